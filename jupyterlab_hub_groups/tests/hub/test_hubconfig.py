"""What a good file becomes in the hub config, and what it keeps of it (hub/hubconfig.py)."""

import json
import subprocess
import sys

import pytest
from traitlets.config import Config

from jupyterlab_hub_groups.hub import HubGroupsConfigError, configure_hub, load_spec
from jupyterlab_hub_groups.hub.managed_service import make_service
from jupyterlab_hub_groups.hub.roles import make_roles
from jupyterlab_hub_groups.hub.spawn import RTC_OFF_ARGS

from .world import FakeAuthenticator, dirs, mode, resolve, spawner, state_dir, world


def test_nothing_is_applied_on_a_mistake():
    c = Config()
    c.JupyterHub.load_groups = {"staff": {"users": ["admin"]}}
    with pytest.raises(HubGroupsConfigError):
        configure_hub(c, {"projects": {"vox": {"members": [7]}}})
    assert c.JupyterHub.load_groups == {"staff": {"users": ["admin"]}}
    assert "load_roles" not in c.JupyterHub
    assert "pre_spawn_hook" not in c.Spawner


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
    # use the shared server; start, see and stop it: no admin page (admin-ui,
    # list:users), no spawner state (admin:servers)
    assert roles["collab-access-vox"]["scopes"] == [
        "access:servers!user=vox-collab",
        "servers!user=vox-collab",
    ]
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
    # what the watch saw is kept in the hub side's database, not in a file
    assert config["db_url"] == f"sqlite:///{state_dir(tmp_path) / 'enrolment.sqlite'}"
    assert "snapshot" not in config


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


@pytest.mark.parametrize("setting", ["allowed_users", "admin_users"])
def test_an_account_may_not_be_a_person_the_authenticator_knows(tmp_path, setting):
    c = Config()
    setattr(c.Authenticator, setting, {"someone", "vox-collab"})
    with pytest.raises(HubGroupsConfigError, match=f"'vox-collab'.*{setting}"):
        configure_hub(c, world(settings={**dirs(tmp_path)}))
    assert "load_groups" not in c.JupyterHub


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
        "start:servers!user=vox-collab",
        "delete:servers!user=vox-collab",
    ]
    github = GitHubOAuthenticator(config=c)
    assert resolve(github.post_auth_hook(FakeAuthenticator(), None, {"name": "vox-collab"})) is None
    assert resolve(github.post_auth_hook(FakeAuthenticator(), None, {"name": "vex"})) == {"name": "vex"}
    assert calls == ["kube hook", "github"]
    # sections that are not spawners or authenticators are left alone
    assert "pre_spawn_hook" not in c.JupyterHub


# --- Requests to join courses ------------------------------------------------------------

COURSE = "Class1234_Semester02"
ACCESS = "access:services!service=hub-groups"


def enrolment_world(tmp_path, course=None, **settings):
    data = world(settings={**dirs(tmp_path), "on_member_removed": "none", **settings})
    data["courses"][COURSE].update(
        course or {"enrolment": "request", "notify": ["prof@example.org"]}
    )
    data["courses"]["Open101"] = {"enrolment": "open"}
    data["courses"]["Closed9"] = {"students": ["alice"]}
    return data


def test_a_course_taking_requests_gets_the_service_with_the_narrowest_role(tmp_path):
    c = Config()
    configure_hub(c, enrolment_world(tmp_path))
    [service] = c.JupyterHub.services
    assert service["name"] == "hub-groups"
    assert service["url"] == "http://127.0.0.1:10101"
    assert "environment" not in service, "no SMTP password to pass"
    role = {r["name"]: r for r in c.JupyterHub.load_roles}["hub-groups"]
    # add people to the courses that take requests or are open: nothing else
    assert role["scopes"] == [f"groups!group={COURSE}", "groups!group=Open101"]


def test_the_services_config_says_what_it_needs_and_no_password(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_GROUPS_SMTP_PASSWORD", "hunter2")
    c = Config()
    configure_hub(
        c,
        enrolment_world(
            tmp_path,
            public_url="https://hub.example.org/",
            enrolment_rate_limit=3,
            smtp={
                "host": "smtp.example.org",
                "from": "hub@example.org",
                "username": "hub",
                "password_env": "HUB_GROUPS_SMTP_PASSWORD",
            },
        ),
        service_url="http://127.0.0.1:4321",
    )
    config_file = state_dir(tmp_path) / "service.json"
    text = config_file.read_text()
    assert "hunter2" not in text
    enrolment = json.loads(text)["enrolment"]
    assert enrolment["courses"] == {
        COURSE: {"enrolment": "request", "notify": ["prof@example.org"], "title": ""},
        "Open101": {"enrolment": "open", "notify": [], "title": ""},
    }, "closed courses are not there"
    assert "db_url" not in enrolment, "one database for every job: the top-level db_url"
    assert enrolment["rate_limit"] == 3
    assert enrolment["public_url"] == "https://hub.example.org/"
    assert enrolment["listen"] == "http://127.0.0.1:4321"
    assert enrolment["smtp"]["password_env"] == "HUB_GROUPS_SMTP_PASSWORD"
    assert enrolment["collaborative_group"] == "collaborative"
    [service] = c.JupyterHub.services
    assert service["url"] == "http://127.0.0.1:4321"
    # the password reaches the service's environment from the hub's own,
    # when JupyterHub starts the service: it is in no config value
    value = service["environment"]["HUB_GROUPS_SMTP_PASSWORD"]
    assert callable(value) and value(None) == "hunter2"
    assert "hunter2" not in repr(c.JupyterHub.services)


PG = "postgresql://hub@db.example.org:5432/jupyterhub"


@pytest.mark.parametrize(
    "db_url, given",
    [
        (PG, True),
        ("postgresql+psycopg2://hub@db/jupyterhub", True),
        ("postgresql+psycopg://hub@db/jupyterhub?sslmode=require", True),
        # the URL holds a password: libpq takes it, not $PGPASSWORD
        ("postgresql://hub:s3cr3t@db/jupyterhub", False),
        ("postgresql://hub@db/jupyterhub?password=s3cr3t", False),
        ("mysql+pymysql://hub@db/jupyterhub", False),
        (None, False),  # SQLite in state_dir
    ],
)
def test_the_hubs_pgpassword_reaches_the_service(tmp_path, monkeypatch, db_url, given):
    """Zero to JupyterHub sets $PGPASSWORD in the hub's environment from
    hub.db.password; JupyterHub gives a managed service none of it. The
    service gets it when it starts, from the hub's environment: it is in
    no config value and no file."""
    monkeypatch.setenv("PGPASSWORD", "hunter2")
    settings = {**dirs(tmp_path)}
    if db_url:
        settings["enrolment_db_url"] = db_url
    spec = load_spec(world(settings=settings))
    entry, _, config = make_service(spec)
    environment = entry.get("environment", {})
    assert ("PGPASSWORD" in environment) is given
    if given:
        value = environment["PGPASSWORD"]
        assert callable(value) and value(None) == "hunter2"
        monkeypatch.setenv("PGPASSWORD", "rotated")
        assert value(None) == "rotated", "read when the service starts"
    assert "hunter2" not in repr(entry) + config.to_json()


def test_no_pgpassword_when_the_hub_has_none(tmp_path, monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    spec = load_spec(world(settings={**dirs(tmp_path), "enrolment_db_url": PG}))
    entry, _, _ = make_service(spec)
    assert "environment" not in entry


def test_pgpassword_and_the_smtp_password_both_reach_the_service(tmp_path, monkeypatch):
    monkeypatch.setenv("PGPASSWORD", "hunter2")
    monkeypatch.setenv("HUB_GROUPS_SMTP_PASSWORD", "swordfish")
    smtp = {
        "host": "smtp.example.org",
        "from": "hub@example.org",
        "username": "hub",
        "password_env": "HUB_GROUPS_SMTP_PASSWORD",
    }
    spec = load_spec(enrolment_world(tmp_path, enrolment_db_url=PG, smtp=smtp))
    service, _, _ = make_service(spec)
    environment = {k: v(None) for k, v in service["environment"].items()}
    assert environment == {"PGPASSWORD": "hunter2", "HUB_GROUPS_SMTP_PASSWORD": "swordfish"}


def test_every_user_may_call_the_service(tmp_path):
    c = Config()
    configure_hub(c, enrolment_world(tmp_path))
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    assert roles["user"] == {"name": "user", "scopes": ["self", ACCESS]}


def test_the_user_role_of_the_config_is_composed(tmp_path):
    c = Config()
    c.JupyterHub.load_roles = [
        {"name": "user", "scopes": ["self", "read:users:name"]},
        {"name": "staff", "scopes": ["admin-ui"], "groups": ["staff"]},
    ]
    configure_hub(c, enrolment_world(tmp_path))
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    assert roles["user"]["scopes"] == ["self", "read:users:name", ACCESS]
    assert [r["name"] for r in c.JupyterHub.load_roles].count("user") == 1
    assert roles["staff"]["scopes"] == ["admin-ui"]


def test_extra_user_scopes_are_composed_rather_than_overridden(tmp_path):
    """Overriding the user role would make JupyterHub 6 ignore extra_user_scopes."""
    c = Config()
    c.JupyterHub.extra_user_scopes = {"read:users:name"}
    configure_hub(c, enrolment_world(tmp_path))
    assert "user" not in {r["name"] for r in c.JupyterHub.load_roles}
    assert c.JupyterHub.extra_user_scopes == {"read:users:name", ACCESS}


def test_closed_courses_change_nothing(tmp_path):
    """The service, its scopes and the user role only when a course takes requests."""
    c = Config()
    configure_hub(c, world(settings={**dirs(tmp_path), "on_member_removed": "none"}))
    assert "services" not in c.JupyterHub
    assert "user" not in {r["name"] for r in c.JupyterHub.load_roles}


def test_the_service_watches_and_takes_requests_at_once(tmp_path):
    c = Config()
    configure_hub(c, enrolment_world(tmp_path, on_member_removed="restart"))
    [service] = c.JupyterHub.services
    role = {r["name"]: r for r in c.JupyterHub.load_roles}["hub-groups"]
    assert "servers!user=vox-collab" in role["scopes"]
    assert f"groups!group={COURSE}" in role["scopes"]
    config = json.loads((state_dir(tmp_path) / "service.json").read_text())
    assert config["projects"] and config["enrolment"]


def test_authoritative_scopes_are_not_repeated(tmp_path):
    c = Config()
    configure_hub(c, enrolment_world(tmp_path, authoritative=True))
    scopes = {r["name"]: r for r in c.JupyterHub.load_roles}["hub-groups"]["scopes"]
    assert scopes.count(f"groups!group={COURSE}") == 1


def test_requests_add_nothing_to_the_generated_folder(tmp_path):
    """Everything about requests is the hub's only (state_dir): the folder
    servers mount has the same files with or without them."""
    closed = tmp_path / "closed"
    taking = tmp_path / "taking"
    closed.mkdir()
    taking.mkdir()
    configure_hub(Config(), world(settings={**dirs(closed), "on_member_removed": "none"}))
    configure_hub(Config(), enrolment_world(taking))

    def files(folder):
        return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))

    assert files(closed) == files(taking)
    assert not [p for p in taking.rglob("*") if "enrol" in p.name or p.suffix == ".sqlite"]
    assert oct(mode(state_dir(taking) / "service.json")) == oct(0o600)


# --- One origin for every server ------------------------------------------------------------


@pytest.mark.parametrize(
    "subdomain_host, projects, warned",
    [
        (None, True, True),
        ("", True, True),
        ("https://hub.example.org", True, False),
        (None, False, False),
    ],
    ids=["unset", "empty", "set", "no projects"],
)
def test_projects_on_one_origin_are_warned_about(tmp_path, caplog, subdomain_host, projects, warned):
    """Without subdomains, a page on one server can open another's
    JupyterLab and read its token: project members open each other's pages
    on their shared server by design."""
    import logging

    c = Config()
    if subdomain_host is not None:
        c.JupyterHub.subdomain_host = subdomain_host
    data = world(settings={**dirs(tmp_path)})
    if not projects:
        del data["projects"]
    with caplog.at_level(logging.WARNING):
        configure_hub(c, data)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    said = [w for w in warnings if "c.JupyterHub.subdomain_host" in w]
    assert bool(said) == warned, warnings
    if warned:
        [text] = said
        assert "one web origin" in text and "groups!group=<course>" in text
        assert "trusted with each other's own servers" in text


# --- What a group's managers can hand out --------------------------------------------------


def test_a_role_given_to_a_group_its_managers_fill_is_warned_about(tmp_path, caplog):
    """groups!group=<g> adds anyone to <g>, and members hold the group's
    roles: a role of the course group is one its instructors hand out."""
    import logging

    c = Config()
    c.JupyterHub.load_roles = [
        {"name": "gpu-users", "scopes": ["access:services!service=gpu"], "groups": ["Class1234_Semester02"]},
        {"name": "ta", "scopes": ["groups!group=lab-helpers"], "users": ["tim"]},
        {"name": "helpers", "scopes": ["read:users"], "groups": ["lab-helpers"]},
        {"name": "staff", "scopes": ["admin-ui"], "groups": ["staff"]},
        {"name": "nothing", "scopes": [], "groups": ["Class1234_Semester02"]},
    ]
    with caplog.at_level(logging.WARNING):
        configure_hub(c, world(settings={**dirs(tmp_path)}))
    said = [r.getMessage() for r in caplog.records if "load_roles" in r.getMessage()]
    assert len(said) == 2, said
    course, helpers = said
    assert "role 'gpu-users'" in course and "group 'Class1234_Semester02'" in course
    assert "the instructors of Class1234_Semester02" in course
    assert "access:services!service=gpu" in course
    assert "role 'helpers'" in helpers and "the holders of role 'ta'" in helpers


def test_the_files_own_roles_hand_out_nothing(tmp_path, caplog):
    import logging

    with caplog.at_level(logging.WARNING):
        configure_hub(Config(), world(settings={**dirs(tmp_path)}))
    assert not [r for r in caplog.records if "load_roles" in r.getMessage()]


def test_the_package_never_reads_group_properties():
    """An instructor's token may write their course group's properties
    (JupyterHub has no narrower scope than groups!group=<course>): nothing
    of the package decides anything on them (SECURITY.md, "The instructor
    token's exact reach")."""
    import re
    from pathlib import Path

    package = Path(__file__).resolve().parents[2]
    reads = []
    for path in package.rglob("*.py"):
        if "tests" in path.relative_to(package).parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"""["']properties["']|\.properties\b""", line):
                reads.append(f"{path.relative_to(package)}:{number}: {line.strip()}")
    assert reads == []
