"""The hub helper without a hub: checking the YAML, and what it becomes."""

import asyncio
import inspect
import json
import os
import stat
import subprocess
import sys
import textwrap
from types import SimpleNamespace

import pytest
from traitlets.config import Config

from jupyterlab_hub_groups.hub import HubGroupsConfigError, configure_hub, load_spec
from jupyterlab_hub_groups.hub.hubconfig import make_roles
from jupyterlab_hub_groups.hub.spawn import RTC_OFF_ARGS


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


def dirs(tmp_path):
    """Settings for a test's own folders: generated files in ``tmp_path``,
    the hub-only state beside it (never inside: it must not be mounted)."""
    return {
        "generated_dir": str(tmp_path),
        "state_dir": str(tmp_path.parent / f"{tmp_path.name}-state"),
    }


def state_dir(tmp_path):
    return tmp_path.parent / f"{tmp_path.name}-state"


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
    spec = configure_hub(c, world(settings={**dirs(tmp_path)}))
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
    configure_hub(c, world(settings={**dirs(tmp_path)}))
    assert c.JupyterHub.load_groups["staff"] == {"users": ["admin"]}
    assert [r["name"] for r in c.JupyterHub.load_roles][0] == "staff"


def test_refuses_to_redefine_a_group_of_the_hub_config(tmp_path):
    c = Config()
    c.JupyterHub.load_groups = {"vox": {"users": ["someone"]}}
    with pytest.raises(HubGroupsConfigError, match="'vox' is also defined elsewhere"):
        configure_hub(c, world(settings={**dirs(tmp_path)}))


def test_yaml_members_are_initial_members(tmp_path):
    """Each member is added once; a runtime removal is not undone at restart."""
    settings = {**dirs(tmp_path)}
    first = Config()
    configure_hub(first, world(settings=settings))
    assert first.JupyterHub.load_groups["vox"] == {"users": ["vex", "vax", "pike"]}

    data = world(settings=settings)
    data["projects"]["vox"]["members"].append("newcomer")
    restart = Config()
    configure_hub(restart, data)
    assert restart.JupyterHub.load_groups["vox"] == {"users": ["newcomer"]}


def test_authoritative_yaml_loads_every_member_at_every_start(tmp_path):
    settings = {**dirs(tmp_path), "authoritative": True}
    for _ in range(2):
        c = Config()
        configure_hub(c, world(settings=settings))
        assert c.JupyterHub.load_groups["vox"] == {"users": ["vex", "vax", "pike"]}


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
    configure_hub(c, world(settings={**dirs(tmp_path)}))
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
    configure_hub(c, world(settings={**dirs(tmp_path)}))
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


def test_authoritative_mode_syncs_through_a_service_limited_to_the_files_groups(tmp_path):
    c = Config()
    configure_hub(
        c,
        world(settings={**dirs(tmp_path), "authoritative": True, "on_member_removed": "none"}),
    )
    [service] = c.JupyterHub.services
    assert service["name"] == "hub-groups"
    config_file = state_dir(tmp_path) / "service.json"
    assert service["command"][-1] == str(config_file)
    role = {r["name"]: r for r in c.JupyterHub.load_roles}["hub-groups"]
    assert role["services"] == ["hub-groups"]
    assert sorted(role["scopes"]) == sorted(
        f"groups!group={g}"
        for g in ["collaborative", "vox", "mighty", "Class1234_Semester02", "instructors"]
    )
    config = json.loads(config_file.read_text())
    assert config["sync"]["vox"] == ["vex", "vax", "pike"]
    assert config["on_member_removed"] == "none"
    # the rosters are not in the folder that single-user servers see
    assert not (tmp_path / "members.json").exists()


def test_default_mode_has_a_service_that_restarts_shared_servers_on_removal(tmp_path):
    c = Config()
    configure_hub(c, world(settings={**dirs(tmp_path)}))
    [service] = c.JupyterHub.services
    assert service["name"] == "hub-groups"
    role = {r["name"]: r for r in c.JupyterHub.load_roles}["hub-groups"]
    # the project groups (list and read their members), and the projects'
    # shared servers (read, stop and start): nothing else
    assert sorted(role["scopes"]) == sorted(
        [
            "list:groups!group=vox",
            "read:groups!group=vox",
            "servers!user=vox-collab",
            "list:groups!group=mighty",
            "read:groups!group=mighty",
            "servers!user=mighty-collab",
        ]
    )
    config = json.loads((state_dir(tmp_path) / "service.json").read_text())
    assert config["projects"] == {"vox": "vox-collab", "mighty": "mighty-collab"}
    assert config["on_member_removed"] == "restart"
    assert config["interval"] == 20
    assert config["sync"] is None


def test_stopping_on_removal_needs_no_right_to_start(tmp_path):
    c = Config()
    configure_hub(c, world(settings={**dirs(tmp_path), "on_member_removed": "stop"}))
    role = {r["name"]: r for r in c.JupyterHub.load_roles}["hub-groups"]
    assert "read:servers!user=vox-collab" in role["scopes"]
    assert "delete:servers!user=vox-collab" in role["scopes"]
    assert not [s for s in role["scopes"] if s.startswith(("servers", "start:"))]


def test_no_service_when_nothing_is_watched_or_synced(tmp_path):
    c = Config()
    configure_hub(c, world(settings={**dirs(tmp_path), "on_member_removed": "none"}))
    assert "services" not in c.JupyterHub
    assert "hub-groups" not in {r["name"] for r in c.JupyterHub.load_roles}


def test_the_service_is_added_to_services_already_configured(tmp_path):
    c = Config()
    c.JupyterHub.services = [{"name": "other", "api_token": "x"}]
    configure_hub(c, world(settings={**dirs(tmp_path)}))
    assert [s["name"] for s in c.JupyterHub.services] == ["other", "hub-groups"]


# --- Server tokens ---------------------------------------------------------------------------

DEFAULT_SERVER_SCOPES = ["users:activity!user", "access:servers!server"]


def resolve(value):
    """What JupyterHub does with a hook's or a callable's result (maybe_future)."""

    async def run():
        return (await value) if inspect.isawaitable(value) else value

    return asyncio.run(run())


def test_server_tokens_may_see_and_stop_their_own_projects_shared_servers_only(tmp_path):
    """JupyterHub narrows a server token's scopes to its owner's: unfiltered
    read:servers and delete:servers would be hub-wide on an admin's server."""
    c = Config()
    configure_hub(c, world(settings={**dirs(tmp_path)}))
    scopes = c.Spawner.server_token_scopes
    assert callable(scopes), "per spawn: only the owner's projects"
    assert resolve(scopes(spawner("vex", ["vox"]))) == [
        *DEFAULT_SERVER_SCOPES,
        "read:servers!user=vox-collab",
        "delete:servers!user=vox-collab",
    ]
    # an admin in no project gets nothing beyond JupyterHub's default
    assert resolve(scopes(spawner("admin", ["staff"]))) == DEFAULT_SERVER_SCOPES
    # in two projects, a course, and a group named like nothing of ours
    both = resolve(scopes(spawner("beau", ["mighty", "vox", "Class1234_Semester02", "x"])))
    assert sorted(both[2:]) == sorted(
        [
            "read:servers!user=vox-collab",
            "delete:servers!user=vox-collab",
            "read:servers!user=mighty-collab",
            "delete:servers!user=mighty-collab",
        ]
    )
    assert not [s for s in both if "!" not in s], "every scope is filtered"


@pytest.mark.parametrize("kind", ["list", "sync", "async"])
def test_server_token_scopes_already_configured_are_kept(tmp_path, kind):
    def sync_scopes(spawner):
        return ["users:activity!user", "read:users:name!user=" + spawner.user.name]

    async def async_scopes(spawner):
        return sync_scopes(spawner)

    c = Config()
    c.Spawner.server_token_scopes = {
        "list": ["users:activity!user", "read:users:name!user=vex"],
        "sync": sync_scopes,
        "async": async_scopes,
    }[kind]
    configure_hub(c, world(settings={**dirs(tmp_path)}))
    assert resolve(c.Spawner.server_token_scopes(spawner("vex", ["vox"]))) == [
        "users:activity!user",
        "read:users:name!user=vex",
        "read:servers!user=vox-collab",
        "delete:servers!user=vox-collab",
    ]


def test_a_custom_account_pattern_reaches_the_servers(tmp_path):
    c = Config()
    configure_hub(
        c,
        world(settings={**dirs(tmp_path), "collaboration_account": "shared-{project}"}),
    )
    s = spawner("vex", ["vox"])
    asyncio.run(c.Spawner.pre_spawn_hook(s))
    assert "--HubGroupsConfig.collaboration_account=shared-{group}" in s.args


# --- Where files live, and their modes -----------------------------------------------------


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_member_records_live_in_a_hub_only_state_folder(tmp_path):
    c = Config()
    configure_hub(c, world(settings={**dirs(tmp_path), "authoritative": True}))
    state = state_dir(tmp_path)
    assert mode(state) == 0o700
    for name in ("seeded.json", "service.json"):
        assert mode(state / name) == 0o600, name
    # the generated folder (mounted in every server) holds no roster
    assert not list(tmp_path.rglob("seeded.json")) and not list(tmp_path.rglob("members.json"))
    assert "vex" not in "".join(p.read_text() for p in tmp_path.rglob("*") if p.is_file())


def test_the_state_folder_is_tightened_if_it_exists(tmp_path):
    state = state_dir(tmp_path)
    state.mkdir(mode=0o755)
    (state / "seeded.json").write_text("{}")
    os.chmod(state / "seeded.json", 0o644)
    configure_hub(Config(), world(settings={**dirs(tmp_path)}))
    assert mode(state) == 0o700
    assert mode(state / "seeded.json") == 0o600


def test_state_folder_default_is_beside_the_yaml_file(tmp_path):
    path = tmp_path / "groups.yaml"
    path.write_text("projects:\n  vox:\n    members: [vex]\n")
    configure_hub(Config(), path)
    assert mode(tmp_path / ".hub-groups-state") == 0o700
    assert json.loads((tmp_path / ".hub-groups-state/seeded.json").read_text())["vox"] == ["vex"]
    assert not (tmp_path / ".hub-groups/seeded.json").exists()


def test_configure_hub_overrides_the_state_folder(tmp_path):
    configure_hub(
        Config(),
        world(settings={"generated_dir": str(tmp_path / "gen")}),
        state_dir=tmp_path / "elsewhere",
    )
    assert (tmp_path / "elsewhere/seeded.json").exists()


@pytest.mark.parametrize("inside", ["state in generated", "generated in state", "same"])
def test_state_and_generated_folders_must_be_apart(tmp_path, inside):
    gen, state = {
        "state in generated": (tmp_path, tmp_path / "state"),
        "generated in state": (tmp_path / "gen", tmp_path),
        "same": (tmp_path, tmp_path),
    }[inside]
    with pytest.raises(HubGroupsConfigError, match="state_dir"):
        configure_hub(Config(), world(settings={"generated_dir": str(gen), "state_dir": str(state)}))


def test_seeded_record_of_older_versions_moves_to_the_state_folder_once(tmp_path):
    """Older versions kept seeded.json in the generated folder: it is moved,
    and what it says still holds (a runtime removal is not undone)."""
    tmp_path.mkdir(exist_ok=True)
    old = tmp_path / "seeded.json"
    old.write_text(json.dumps({"vox": ["pike", "vax", "vex"]}))
    (tmp_path / "members.json").write_text(json.dumps({"vox": ["vex"]}))
    c = Config()
    configure_hub(c, world(settings={**dirs(tmp_path)}))
    assert c.JupyterHub.load_groups["vox"] == {"users": []}, "all three were seeded before"
    assert not old.exists() and not (tmp_path / "members.json").exists()
    moved = json.loads((state_dir(tmp_path) / "seeded.json").read_text())
    assert moved["vox"] == ["pike", "vax", "vex"]
    assert mode(state_dir(tmp_path) / "seeded.json") == 0o600
    # once: a stale copy left in the generated folder later is not read again
    old.write_text(json.dumps({"mighty": ["beau", "fjord", "jester"]}))
    c = Config()
    configure_hub(c, world(settings={**dirs(tmp_path)}))
    assert c.JupyterHub.load_groups["mighty"] == {"users": []}
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


@pytest.mark.parametrize(
    "where, value",
    [
        ("kernels", {"k": {"argv": ["python", "{connection_file}"], "env": {"API_TOKEN": "s3cr3t"}}}),
        ("kernels", {"k": {"argv": ["python", "{connection_file}"], "env": {"DB_PASSWORD": "x"}}}),
        ("services", {"s": {"command": ["run"], "environment": {"AWS_SECRET_ACCESS_KEY": "x"}}}),
    ],
)
def test_secrets_in_generated_files_are_refused(where, value):
    """Every member can read a kernel's environment (and the generated folder
    is mounted in every server): a secret there is not a secret."""
    with pytest.raises(HubGroupsConfigError, match="looks like a secret"):
        load_spec({"courses": {"c1": {where: value}}})


def test_harmless_kernel_environment_is_kept(tmp_path):
    data = world(settings={**dirs(tmp_path)})
    kernel = data["courses"]["Class1234_Semester02"]["kernels"]["class1234_semester02"]
    kernel["env"] = {"PYTHONHASHSEED": "0", "MPLBACKEND": "agg"}
    configure_hub(Config(), data)
    [path] = tmp_path.rglob("kernel.json")
    assert json.loads(path.read_text())["env"] == {"PYTHONHASHSEED": "0", "MPLBACKEND": "agg"}


# --- Collaboration accounts cannot be claimed ---------------------------------------------


class FakeAuthenticator:
    def __init__(self):
        self.warnings = []
        self.log = SimpleNamespace(warning=lambda *a: self.warnings.append(a))


@pytest.mark.parametrize(
    "name, allowed",
    [
        ("vex", True),
        ("collaborator", True),
        ("vox-collab", False),
        ("mighty-collab", False),
        ("newproj-collab", False),  # a future project's account
        ("VOX-COLLAB", False),  # an authenticator that does not lowercase
    ],
)
def test_nobody_logs_in_as_a_collaboration_account(tmp_path, name, allowed):
    c = Config()
    configure_hub(c, world(settings={**dirs(tmp_path)}))
    auth = FakeAuthenticator()
    model = {"name": name, "admin": False, "auth_state": None}
    result = resolve(c.Authenticator.post_auth_hook(auth, None, model))
    # None is how JupyterHub's login refuses (a 403 "Invalid username or password")
    assert (result is model) if allowed else (result is None)
    assert bool(auth.warnings) != allowed


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_composes_with_a_post_auth_hook_already_configured(tmp_path, kind):
    calls = []

    def sync_hook(authenticator, handler, model):
        calls.append(model["name"])
        return dict(model, auth_state={"seen": True})

    async def async_hook(authenticator, handler, model):
        return sync_hook(authenticator, handler, model)

    c = Config()
    c.Authenticator.post_auth_hook = sync_hook if kind == "sync" else async_hook
    configure_hub(c, world(settings={**dirs(tmp_path)}))
    hook = c.Authenticator.post_auth_hook
    result = resolve(hook(FakeAuthenticator(), None, {"name": "vex"}))
    assert result == {"name": "vex", "auth_state": {"seen": True}}
    assert resolve(hook(FakeAuthenticator(), None, {"name": "vox-collab"})) is None
    # the name is checked first: the other hook never sees an account's login
    assert calls == ["vex"]


def test_a_post_auth_hook_that_refuses_still_refuses(tmp_path):
    c = Config()
    c.Authenticator.post_auth_hook = lambda authenticator, handler, model: None
    configure_hub(c, world(settings={**dirs(tmp_path)}))
    assert resolve(c.Authenticator.post_auth_hook(FakeAuthenticator(), None, {"name": "vex"})) is None


@pytest.mark.parametrize("setting", ["allowed_users", "admin_users"])
def test_an_account_may_not_be_a_person_the_authenticator_knows(tmp_path, setting):
    c = Config()
    setattr(c.Authenticator, setting, {"someone", "vox-collab"})
    with pytest.raises(HubGroupsConfigError, match=f"'vox-collab'.*{setting}"):
        configure_hub(c, world(settings={**dirs(tmp_path)}))
    assert "load_groups" not in c.JupyterHub


# --- More specific config sections (c.KubeSpawner, c.GitHubOAuthenticator) ----------------


def test_hooks_on_more_specific_sections_are_composed_too(tmp_path):
    """traitlets gives a KubeSpawner its c.KubeSpawner settings over
    c.Spawner's: ours must be there too, composed with what was there."""
    from jupyterhub.auth import Authenticator
    from jupyterhub.spawner import Spawner

    class KubeSpawner(Spawner):  # the name is what traitlets matches
        async def start(self): ...

        async def stop(self, now=False): ...

        async def poll(self): ...

    class GitHubOAuthenticator(Authenticator):
        pass

    calls = []
    c = Config()
    c.KubeSpawner.pre_spawn_hook = lambda s: calls.append("kube hook")
    c.KubeSpawner.server_token_scopes = ["users:activity!user", "read:users:name!user=x"]
    c.GitHubOAuthenticator.post_auth_hook = lambda a, h, m: calls.append("github") or m
    configure_hub(c, world(settings={**dirs(tmp_path)}))

    kube = KubeSpawner(config=c)
    s = spawner("vex", ["vox"])
    resolve(kube.pre_spawn_hook(s))
    assert calls == ["kube hook"] and set(RTC_OFF_ARGS) <= set(s.args)
    assert resolve(kube.server_token_scopes(s)) == [
        "users:activity!user",
        "read:users:name!user=x",
        "read:servers!user=vox-collab",
        "delete:servers!user=vox-collab",
    ]
    github = GitHubOAuthenticator(config=c)
    assert resolve(github.post_auth_hook(FakeAuthenticator(), None, {"name": "vox-collab"})) is None
    assert resolve(github.post_auth_hook(FakeAuthenticator(), None, {"name": "vex"})) == {"name": "vex"}
    assert calls == ["kube hook", "github"]
    # sections that are not spawners or authenticators are left alone
    assert "pre_spawn_hook" not in c.JupyterHub


def test_a_name_with_a_trailing_newline_is_refused():
    with pytest.raises(HubGroupsConfigError, match="not a usable name"):
        load_spec({"projects": {"vox\n": {"members": ["vex"]}}})


@pytest.mark.parametrize("value", ["on", "restart!", True, None])
def test_on_member_removed_is_one_of_three(value):
    with pytest.raises(HubGroupsConfigError, match="settings.on_member_removed: must be"):
        load_spec({"settings": {"on_member_removed": value}})
