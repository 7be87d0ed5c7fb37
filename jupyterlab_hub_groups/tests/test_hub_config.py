"""The hub helper without a hub: checking the YAML, and what it becomes."""

import asyncio
import json
import subprocess
import sys
import textwrap
from types import SimpleNamespace

import pytest
from traitlets.config import Config

from jupyterlab_hub_groups.hub import (
    RTC_OFF_ARGS,
    HubGroupsConfigError,
    configure_hub,
    load_spec,
    make_roles,
)


def world(**extra):
    data = {
        "projects": {
            "vox": {"members": ["vex", "vax", "pike"]},
            "mighty": {"members": ["fjord", "beau", "jester"]},
        },
        "courses": {
            "Class1234_Semester02": {
                "students": ["mmuster", "alice"],
                "instructors": ["prof"],
                "kernels": {
                    "class1234_semester02": {
                        "display_name": "Python 3 (Class 1234)",
                        "argv": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                    }
                },
                "services": {
                    "course-dashboard": {
                        "command": ["python", "-m", "http.server", "{port}"],
                        "launcher_entry": {"title": "Course dashboard"},
                    }
                },
            }
        },
    }
    data.update(extra)
    return data


@pytest.fixture
def yaml_file(tmp_path):
    def write(text):
        path = tmp_path / "groups.yaml"
        path.write_text(textwrap.dedent(text))
        return path

    return write


# --- Mistakes: each reported with its place, nothing applied -------------------------


@pytest.mark.parametrize(
    "data, place, words",
    [
        ({"project": {}}, "top level", "unknown key 'project'"),
        ({"projects": {"vox": {"members": ["vex"], "colour": "red"}}}, "projects.vox", "unknown key 'colour'"),
        ({"projects": {"vox": {"members": ["vex", 7]}}}, "projects.vox.members[1]", "must be a user name"),
        ({"projects": {"vox": {"members": "vex"}}}, "projects.vox.members", "must be a list"),
        ({"projects": {"vox": {"members": ["vex", "vex"]}}}, "projects.vox.members[1]", "listed twice"),
        ({"projects": {"vox": {"members": ["vox-collab"]}}}, "projects.vox.members[0]", "collaboration account"),
        (
            {"projects": {"vox": {}, "mighty": {"members": ["vox-collab"]}}},
            "projects.mighty.members[0]",
            "collaboration account of project 'vox'",
        ),
        ({"projects": {"vox": {}}, "courses": {"VOX": {}}}, "courses.VOX", "already used by projects.vox"),
        ({"projects": {"collaborative": {}}}, "projects.collaborative", "already used"),
        ({"projects": {"<img src=x>": {}}}, "projects.<img src=x>", "not a usable name"),
        ({"courses": {"c1": {"students": [None]}}}, "courses.c1.students[0]", "must be a user name"),
        ({"courses": {"c1": {"kernels": {"k": {"argv": "python"}}}}}, "courses.c1.kernels.k.argv", "non-empty list"),
        (
            {"courses": {"c1": {"kernels": {"k": {"argv": ["python"]}}}}},
            "courses.c1.kernels.k.argv",
            "{connection_file}",
        ),
        ({"courses": {"c1": {"services": {"s": {"command": "run"}}}}}, "courses.c1.services.s.command", "list of strings"),
        ({"settings": {"authoritative": "yes"}}, "settings.authoritative", "true or false"),
        ({"settings": {"revalidate_seconds": 1}}, "settings.revalidate_seconds", "at least 5"),
        ({"settings": {"collaboration_account": "collab"}}, "settings.collaboration_account", "{project}"),
    ],
)
def test_each_mistake_is_reported_with_its_place(data, place, words):
    with pytest.raises(HubGroupsConfigError) as e:
        load_spec(data)
    assert any(p.startswith(place + ":") and words in p for p in e.value.problems), e.value.problems


def test_all_mistakes_are_reported_at_once():
    with pytest.raises(HubGroupsConfigError) as e:
        load_spec({"projects": {"vox": {"members": [1, 2]}}, "courses": {"c": {"x": 1}}})
    assert len(e.value.problems) == 3
    assert "3 mistake(s), nothing applied" in str(e.value)


def test_a_name_defined_twice_in_the_file_is_refused(yaml_file):
    path = yaml_file(
        """\
        projects:
          vox:
            members: [vex]
          vox:
            members: [vax]
        """
    )
    with pytest.raises(HubGroupsConfigError) as e:
        load_spec(path)
    assert "line 4" in str(e.value) and "'vox' is defined twice" in str(e.value)


def test_invalid_yaml_says_where(yaml_file):
    with pytest.raises(HubGroupsConfigError, match="line 3: not valid YAML"):
        load_spec(yaml_file("projects:\n  vox: [\n"))


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(HubGroupsConfigError, match="cannot be read"):
        load_spec(tmp_path / "nope.yaml")


def test_nothing_is_applied_on_a_mistake():
    c = Config()
    c.JupyterHub.load_groups = {"staff": {"users": ["admin"]}}
    with pytest.raises(HubGroupsConfigError):
        configure_hub(c, {"projects": {"vox": {"members": [7]}}})
    assert c.JupyterHub.load_groups == {"staff": {"users": ["admin"]}}
    assert "load_roles" not in c.JupyterHub
    assert "pre_spawn_hook" not in c.Spawner


# --- What a good file becomes ------------------------------------------------------------


def test_groups_accounts_and_roles(tmp_path):
    c = Config()
    spec = configure_hub(c, world(settings={"generated_dir": str(tmp_path)}))
    groups = c.JupyterHub.load_groups
    assert groups["vox"] == {"users": ["vex", "vax", "pike"]}
    assert groups["collaborative"] == {"users": ["vox-collab", "mighty-collab"]}
    assert groups["Class1234_Semester02"] == {"users": ["mmuster", "alice"]}
    assert groups["instructors"] == {"users": ["prof"]}
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    assert roles["collab-access-vox"]["groups"] == ["vox"]
    assert set(roles["collab-access-vox"]["scopes"]) == {
        "access:servers!user=vox-collab",
        "admin:servers!user=vox-collab",
        "admin-ui",
        "list:users!user=vox-collab",
    }
    instructor = roles["instructor-class1234_semester02"]
    assert instructor["users"] == ["prof"]
    assert instructor["scopes"] == ["groups!group=Class1234_Semester02", "list:users"]
    assert spec.collaboration_accounts == ["vox-collab", "mighty-collab"]


def test_keeps_what_the_hub_config_already_has(tmp_path):
    c = Config()
    c.JupyterHub.load_groups = {"staff": {"users": ["admin"]}}
    c.JupyterHub.load_roles = [{"name": "staff", "scopes": ["admin-ui"], "groups": ["staff"]}]
    configure_hub(c, world(settings={"generated_dir": str(tmp_path)}))
    assert c.JupyterHub.load_groups["staff"] == {"users": ["admin"]}
    assert [r["name"] for r in c.JupyterHub.load_roles][0] == "staff"


def test_refuses_to_redefine_a_group_of_the_hub_config(tmp_path):
    c = Config()
    c.JupyterHub.load_groups = {"vox": {"users": ["someone"]}}
    with pytest.raises(HubGroupsConfigError, match="'vox' is also defined elsewhere"):
        configure_hub(c, world(settings={"generated_dir": str(tmp_path)}))


def test_yaml_members_are_initial_members(tmp_path):
    """Each member is added once; a runtime removal is not undone at restart."""
    settings = {"generated_dir": str(tmp_path)}
    first = Config()
    configure_hub(first, world(settings=settings))
    assert first.JupyterHub.load_groups["vox"] == {"users": ["vex", "vax", "pike"]}

    data = world(settings=settings)
    data["projects"]["vox"]["members"].append("newcomer")
    restart = Config()
    configure_hub(restart, data)
    assert restart.JupyterHub.load_groups["vox"] == {"users": ["newcomer"]}


def test_authoritative_yaml_loads_every_member_at_every_start(tmp_path):
    settings = {"generated_dir": str(tmp_path), "authoritative": True}
    for _ in range(2):
        c = Config()
        configure_hub(c, world(settings=settings))
        assert c.JupyterHub.load_groups["vox"] == {"users": ["vex", "vax", "pike"]}


def test_course_kernels_and_services_are_written_per_group(tmp_path):
    c = Config()
    configure_hub(c, world(settings={"generated_dir": str(tmp_path)}))
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


# --- The pre_spawn_hook -------------------------------------------------------------------


def spawner(name, groups, args=(), environment=None):
    return SimpleNamespace(
        user=SimpleNamespace(name=name, groups=[SimpleNamespace(name=g) for g in groups]),
        args=list(args),
        environment=dict(environment or {}),
        log=SimpleNamespace(info=lambda *a: None),
    )


@pytest.fixture
def hook(tmp_path):
    c = Config()
    configure_hub(c, world(settings={"generated_dir": str(tmp_path)}))
    return c.Spawner.pre_spawn_hook


def test_collaboration_only_on_collaboration_accounts(hook):
    personal = spawner("vex", ["vox"], args=["--allow-root"])
    asyncio.run(hook(personal))
    assert personal.args == ["--allow-root", *RTC_OFF_ARGS]
    asyncio.run(hook(personal))
    assert personal.args == ["--allow-root", *RTC_OFF_ARGS], "no duplicates on respawn"

    shared = spawner("vox-collab", ["collaborative"])
    asyncio.run(hook(shared))
    assert not set(RTC_OFF_ARGS) & set(shared.args)
    # visitors' access is re-checked there (default every 20 s), and the
    # project's members see who is here
    expected = [
        "--HubGroupsConfig.revalidate_seconds=20",
        "--HubGroupsConfig.presence_groups=vox",
    ]
    assert shared.args == expected
    asyncio.run(hook(shared))
    assert shared.args == expected


def test_course_folders_only_for_members(hook, tmp_path):
    student = spawner("mmuster", ["Class1234_Semester02"], environment={"JUPYTER_PATH": "/opt/x"})
    asyncio.run(hook(student))
    paths = student.environment["JUPYTER_PATH"].split(":")
    assert paths[0].startswith(str(tmp_path)) and paths[0].endswith("share/jupyter")
    assert paths[1:] == ["/opt/x"]
    config = student.environment["JUPYTER_CONFIG_PATH"].split(":")
    assert config[0] == str(tmp_path / "rtc-off"), "first, so that its labconfig wins"
    assert config[1].endswith("etc/jupyter") and len(config) == 2

    other = spawner("fjord", ["mighty"])
    asyncio.run(hook(other))
    assert "JUPYTER_PATH" not in other.environment
    assert other.environment["JUPYTER_CONFIG_PATH"] == str(tmp_path / "rtc-off")


def test_a_student_who_left_the_course_loses_its_folders_at_the_next_spawn(hook, tmp_path):
    s = spawner("mmuster", ["Class1234_Semester02"], environment={"JUPYTER_PATH": "/opt/x"})
    asyncio.run(hook(s))
    s.user.groups = []
    asyncio.run(hook(s))
    assert s.environment["JUPYTER_PATH"] == "/opt/x"
    assert s.environment["JUPYTER_CONFIG_PATH"] == str(tmp_path / "rtc-off")


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


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_composes_with_a_hook_already_configured(tmp_path, kind):
    calls = []

    def sync_hook(spawner):
        calls.append(spawner.user.name)
        spawner.environment["MINE"] = "1"

    async def async_hook(spawner):
        sync_hook(spawner)

    c = Config()
    c.Spawner.pre_spawn_hook = sync_hook if kind == "sync" else async_hook
    configure_hub(c, world(settings={"generated_dir": str(tmp_path)}))
    s = spawner("vex", ["vox"])
    asyncio.run(c.Spawner.pre_spawn_hook(s))
    assert calls == ["vex"]
    assert s.environment["MINE"] == "1"
    assert set(RTC_OFF_ARGS) <= set(s.args)


def test_importable_without_jupyter_server_or_jupyterlab():
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('jupyter_server', 'jupyterlab', 'tornado'):\n"
        "            raise ImportError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import jupyterlab_hub_groups.hub as hub\n"
        "print(hub.configure_hub.__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "configure_hub"


def test_roles_are_lowercase():
    spec = load_spec(world())
    assert all(r["name"] == r["name"].lower() for r in make_roles(spec))


def test_authoritative_mode_adds_a_sync_service_limited_to_the_files_groups(tmp_path):
    c = Config()
    configure_hub(c, world(settings={"generated_dir": str(tmp_path), "authoritative": True}))
    [service] = c.JupyterHub.services
    assert service["name"] == "hub-groups-sync"
    assert service["command"][-2:] == ["sync", str(tmp_path / "members.json")]
    role = {r["name"]: r for r in c.JupyterHub.load_roles}["hub-groups-sync"]
    assert role["services"] == ["hub-groups-sync"]
    assert sorted(role["scopes"]) == sorted(
        f"groups!group={g}"
        for g in ["collaborative", "vox", "mighty", "Class1234_Semester02", "instructors"]
    )
    members = json.loads((tmp_path / "members.json").read_text())
    assert members["vox"] == ["vex", "vax", "pike"]


def test_default_mode_has_no_sync_service(tmp_path):
    c = Config()
    configure_hub(c, world(settings={"generated_dir": str(tmp_path)}))
    assert "services" not in c.JupyterHub


def test_server_tokens_may_see_and_stop_shared_servers(tmp_path):
    c = Config()
    configure_hub(c, world(settings={"generated_dir": str(tmp_path)}))
    assert c.Spawner.server_token_scopes == [
        "users:activity!user",
        "access:servers!server",
        "read:servers",
        "delete:servers",
    ]


def test_server_token_scopes_already_configured_are_kept(tmp_path):
    c = Config()
    c.Spawner.server_token_scopes = ["users:activity!user", "read:users:name"]
    configure_hub(c, world(settings={"generated_dir": str(tmp_path)}))
    assert c.Spawner.server_token_scopes == [
        "users:activity!user",
        "read:users:name",
        "read:servers",
        "delete:servers",
    ]
    c = Config()
    c.Spawner.server_token_scopes = lambda spawner: ["custom"]
    configure_hub(c, world(settings={"generated_dir": str(tmp_path)}))
    assert c.Spawner.server_token_scopes(None) == ["custom", "read:servers", "delete:servers"]


def test_a_custom_account_pattern_reaches_the_servers(tmp_path):
    c = Config()
    configure_hub(
        c,
        world(settings={"generated_dir": str(tmp_path), "collaboration_account": "shared-{project}"}),
    )
    s = spawner("vex", ["vox"])
    asyncio.run(c.Spawner.pre_spawn_hook(s))
    assert "--HubGroupsConfig.collaboration_account=shared-{group}" in s.args
