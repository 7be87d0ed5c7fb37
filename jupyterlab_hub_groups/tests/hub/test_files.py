"""The generated and state folders: what is written, with which modes, and what is cleaned up (hub/files.py).

Who was added is in the hub side's database, SQLite in the state folder by
default (its records: tests/hub/test_seeding.py)."""

import json
import os

import pytest
from traitlets.config import Config

from jupyterlab_hub_groups.hub import HubGroupsConfigError, configure_hub

from .. import records
from .world import dirs, mode, state_dir, world


def database(tmp_path):
    """The default database of a test's state folder."""
    return f"sqlite:///{state_dir(tmp_path) / 'enrolment.sqlite'}"


def test_course_kernels_and_services_are_written_per_group(tmp_path):
    c = Config()
    configure_hub(c, world(settings={**dirs(tmp_path)}))
    [folder] = [p for p in tmp_path.iterdir() if p.name.startswith("Class1234")]
    assert folder.name.startswith("Class1234_Semester02-")
    kernel = json.loads(
        (folder / "share/jupyter/kernels/class1234_semester02/kernel.json").read_text()
    )
    assert kernel["display_name"] == "Python 3 (Class 1234)"
    assert "{connection_file}" in kernel["argv"]
    # The proxy config is Python that adds to c.ServerProxy.servers.
    config = Config()
    namespace = {"c": config}
    exec((folder / "etc/jupyter/jupyter_server_config.py").read_text(), namespace)
    assert config.ServerProxy.servers.get_value({}) == {
        "course-dashboard": {
            "command": ["python", "-m", "http.server", "{port}"],
            "launcher_entry": {"title": "Course dashboard"},
        }
    }


def test_the_rtc_off_folder_disables_collaboration_by_package_name(hook, tmp_path):
    labconfig = json.loads((tmp_path / "rtc-off/labconfig/page_config.json").read_text())
    assert labconfig == {
        "disabledExtensions": {
            "@jupyter/collaboration-extension": True,
            "@jupyter/docprovider-extension": True,
        }
    }
    server = json.loads((tmp_path / "rtc-off/jupyter_server_config.json").read_text())
    assert server["ServerApp"]["jpserver_extensions"] == {
        "jupyter_server_ydoc": False,
        "jupyter_server_fileid": False,
    }


def test_member_records_live_in_a_hub_only_state_folder(tmp_path):
    c = Config()
    configure_hub(c, world(settings={**dirs(tmp_path), "authoritative": True}))
    state = state_dir(tmp_path)
    assert mode(state) == 0o700
    for name in ("enrolment.sqlite", "service.json"):
        assert mode(state / name) == 0o600, name
    assert records.seeded(database(tmp_path))["vox"] == {"vex", "vax", "pike"}
    # the generated folder (mounted in every server) holds no roster
    assert not list(tmp_path.rglob("seeded.json")) and not list(tmp_path.rglob("members.json"))
    assert not list(tmp_path.rglob("*.sqlite*"))
    assert "vex" not in "".join(p.read_text() for p in tmp_path.rglob("*") if p.is_file())


def test_the_state_folder_is_tightened_if_it_exists(tmp_path):
    state = state_dir(tmp_path)
    state.mkdir(mode=0o755)
    (state / "enrolment.sqlite").touch()
    os.chmod(state / "enrolment.sqlite", 0o644)
    configure_hub(Config(), world(settings={**dirs(tmp_path)}))
    assert mode(state) == 0o700
    assert mode(state / "enrolment.sqlite") == 0o600


def test_state_folder_default_is_beside_the_yaml_file(tmp_path):
    path = tmp_path / "groups.yaml"
    path.write_text("projects:\n  vox:\n    members: [vex]\n")
    configure_hub(Config(), path)
    assert mode(tmp_path / ".hub-groups-state") == 0o700
    url = f"sqlite:///{tmp_path / '.hub-groups-state/enrolment.sqlite'}"
    assert records.seeded(url)["vox"] == {"vex"}
    assert not list(tmp_path.rglob("seeded.json"))
    assert not list((tmp_path / ".hub-groups").rglob("*.sqlite*"))


def test_configure_hub_overrides_the_state_folder(tmp_path):
    configure_hub(
        Config(),
        world(settings={"generated_dir": str(tmp_path / "gen")}),
        state_dir=tmp_path / "elsewhere",
    )
    assert records.seeded(f"sqlite:///{tmp_path / 'elsewhere/enrolment.sqlite'}")["vox"]


@pytest.mark.parametrize("inside", ["state in generated", "generated in state", "same"])
def test_state_and_generated_folders_must_be_apart(tmp_path, inside):
    gen, state = {
        "state in generated": (tmp_path, tmp_path / "state"),
        "generated in state": (tmp_path / "gen", tmp_path),
        "same": (tmp_path, tmp_path),
    }[inside]
    with pytest.raises(HubGroupsConfigError, match="state_dir"):
        configure_hub(Config(), world(settings={"generated_dir": str(gen), "state_dir": str(state)}))


def test_seeded_record_of_older_versions_moves_out_of_the_generated_folder_once(tmp_path):
    """Older versions kept seeded.json in the generated folder: it is moved
    (into the hub-only database now), and what it says still holds (a
    runtime removal is not undone)."""
    tmp_path.mkdir(exist_ok=True)
    old = tmp_path / "seeded.json"
    old.write_text(json.dumps({"vox": ["pike", "vax", "vex"]}))
    (tmp_path / "members.json").write_text(json.dumps({"vox": ["vex"]}))
    c = Config()
    configure_hub(c, world(settings={**dirs(tmp_path)}))
    assert c.JupyterHub.load_groups["vox"] == {"users": []}, "all three were seeded before"
    assert not old.exists() and not (tmp_path / "members.json").exists()
    assert records.seeded(database(tmp_path))["vox"] == {"pike", "vax", "vex"}
    assert mode(state_dir(tmp_path) / "enrolment.sqlite") == 0o600
    # once: a stale copy left in the generated folder later is not read
    # again (a server that could write there cannot keep anyone out)
    old.write_text(json.dumps({"vox": ["pike", "vax", "vex", "newbie"]}))
    data = world(settings={**dirs(tmp_path)})
    data["projects"]["vox"]["members"].append("newbie")
    c = Config()
    configure_hub(c, data)
    assert c.JupyterHub.load_groups["vox"] == {"users": ["newbie"]}
    assert not old.exists()


def test_generated_files_are_readable_by_every_server(tmp_path):
    """Nothing secret is in them, and servers may run as other users."""
    old = os.umask(0o077)  # a hub whose umask keeps everything private
    try:
        configure_hub(Config(), world(settings={**dirs(tmp_path)}))
    finally:
        os.umask(old)
    for path in tmp_path.rglob("*"):
        assert mode(path) == (0o755 if path.is_dir() else 0o644), path


def test_courses_and_kernels_removed_from_the_file_are_removed_at_the_next_start(tmp_path):
    data = world(settings={**dirs(tmp_path)})
    data["courses"]["Other"] = {
        "students": ["bob"],
        "kernels": {"k1": {"argv": ["python", "{connection_file}"]}},
    }
    kernels = data["courses"]["Class1234_Semester02"]["kernels"]
    kernels["extra"] = {"argv": ["python", "{connection_file}"]}
    configure_hub(Config(), data)
    [other] = [p for p in tmp_path.iterdir() if p.name.startswith("Other-")]
    [course] = [p for p in tmp_path.iterdir() if p.name.startswith("Class1234")]
    assert (course / "share/jupyter/kernels/extra/kernel.json").exists()
    # a folder someone else put there is not ours to delete
    (tmp_path / "someone-elses").mkdir()
    (tmp_path / "someone-elses/kernel.json").write_text("{}")

    del data["courses"]["Other"]
    del kernels["extra"]
    configure_hub(Config(), data)
    assert not other.exists()
    assert not (course / "share/jupyter/kernels/extra").exists()
    assert (course / "share/jupyter/kernels/class1234_semester02/kernel.json").exists()
    assert (tmp_path / "someone-elses/kernel.json").exists()
    assert (tmp_path / "rtc-off").exists()


def test_harmless_kernel_environment_is_kept(tmp_path):
    data = world(settings={**dirs(tmp_path)})
    kernel = data["courses"]["Class1234_Semester02"]["kernels"]["class1234_semester02"]
    kernel["env"] = {"PYTHONHASHSEED": "0", "MPLBACKEND": "agg"}
    configure_hub(Config(), data)
    [path] = tmp_path.rglob("kernel.json")
    assert json.loads(path.read_text())["env"] == {"PYTHONHASHSEED": "0", "MPLBACKEND": "agg"}
