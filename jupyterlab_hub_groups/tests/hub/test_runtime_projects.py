"""The hub side of projects kept by shares (issue 20): the service's URL,
scopes and config, no role per project with ``project_access: shares``, the
page token's right to call the service and share one's own server, and the
spawn of an account made at runtime (hub/managed_service.py, roles.py,
token_scopes.py, spawn.py)."""

import asyncio

import pytest
from traitlets.config import Config

from jupyterlab_hub_groups import contract
from jupyterlab_hub_groups.hub import configure_hub, load_spec
from jupyterlab_hub_groups.hub.managed_service import make_service
from jupyterlab_hub_groups.hub.roles import SHARING_SCOPES, make_roles
from jupyterlab_hub_groups.hub.spawn import RTC_OFF_ARGS, SpawnRefused
from jupyterlab_hub_groups.hub.token_scopes import RESTART_SCOPE, collaboration_card_scopes
from jupyterlab_hub_groups.service.config import RuntimeProjectsConfig, ServiceConfig

from .world import dirs, resolve, spawner, world

ACCESS = contract.SERVICE_ACCESS_SCOPE
RUNTIME = {"allowed": "everyone", "max_per_person": 3}


def spec_with(tmp_path, **settings):
    return load_spec(world(settings={**dirs(tmp_path), **settings}))


class FakeDb:
    """What ``orm.Group.find`` asks of a database: the hub's groups now."""

    def __init__(self, groups):
        self.groups = set(groups)

    def query(self, cls):
        return self

    def filter(self, condition):
        self.name = condition.right.value
        return self

    def first(self):
        return self.name if self.name in self.groups else None


def account(name, groups=("collaborative",), hub_groups=(), **kw):
    s = spawner(name, list(groups), **kw)
    s.user.db = FakeDb(hub_groups)
    return s


# --- The service: its URL, scopes and config ----------------------------------------


@pytest.mark.parametrize(
    "settings",
    [{"runtime_projects": RUNTIME}, {"project_access": "shares"}],
    ids=["runtime projects", "shares"],
)
def test_the_service_has_a_url_without_any_course_taking_requests(tmp_path, settings):
    entry, role, config = make_service(spec_with(tmp_path, on_member_removed="none", **settings))
    assert entry["url"] == "http://127.0.0.1:10101"
    assert entry["oauth_no_confirm"] is True and entry["display"] is False
    assert config.enrolment.courses == {}, "the API's settings, no course"
    assert config.enrolment.listen == "http://127.0.0.1:10101"
    assert ServiceConfig.from_json(config.to_json()) == config


def test_without_them_the_service_has_no_url(tmp_path):
    entry, _, config = make_service(spec_with(tmp_path))
    assert "url" not in entry and config.enrolment is None
    assert config.runtime_projects is None and config.share_projects == {}


def test_runtime_projects_scopes_and_config(tmp_path):
    spec = spec_with(
        tmp_path,
        runtime_projects={"allowed": "staff", "max_per_person": 2},
        on_member_removed="none",
    )
    _, role, config = make_service(spec)
    assert role["scopes"] == [
        "admin:users",
        "admin:groups",
        "list:users",
        "servers!group=collaborative",
        "shares!group=collaborative",
        "users:shares",
    ]
    assert "shares" not in role["scopes"], "unfiltered shares would open every server"
    assert config.runtime_projects == RuntimeProjectsConfig(
        allowed="staff",
        max_per_person=2,
        account_pattern="{project}-collab",
        collaborative_group="collaborative",
        reserved=(
            "Class1234_Semester02",
            "collaborative",
            "instructors",
            "mighty",
            "staff",
            "vox",
        ),
    )
    assert config.share_projects == {}


def test_everyone_may_make_projects_is_no_group(tmp_path):
    _, _, config = make_service(spec_with(tmp_path, runtime_projects=RUNTIME))
    assert config.runtime_projects.allowed is None
    assert config.runtime_projects.max_per_person == 3


@pytest.mark.parametrize("removed", ["restart", "stop", "none"])
def test_shares_scopes_are_per_project(tmp_path, removed):
    _, role, config = make_service(
        spec_with(tmp_path, project_access="shares", on_member_removed=removed)
    )
    for project in ("vox", "mighty"):
        assert {
            f"list:groups!group={project}",
            f"read:groups!group={project}",
            f"servers!user={project}-collab",
            f"shares!user={project}-collab",
        } <= set(role["scopes"])
    assert {"read:users:name", "users:shares"} <= set(role["scopes"])
    assert not {"admin:users", "admin:groups", "shares", "servers"} & set(role["scopes"])
    assert all("!" in s for s in role["scopes"] if s not in ("read:users:name", "users:shares"))
    assert config.share_projects == {"vox": "vox-collab", "mighty": "mighty-collab"}
    assert config.runtime_projects is None


# --- Roles --------------------------------------------------------------------------------


def test_with_shares_no_project_has_a_role(tmp_path):
    spec = spec_with(tmp_path, project_access="shares")
    assert not [r for r in make_roles(spec) if r["name"].startswith("collab-access-")]
    assert [r["name"] for r in make_roles(spec)] == ["instructor-class1234_semester02"]
    # the accounts are still in the collaborative group
    assert spec.group_members()["collaborative"] == ["vox-collab", "mighty-collab"]
    roles = make_roles(spec_with(tmp_path, project_access="roles", runtime_projects=RUNTIME))
    assert {"collab-access-vox", "collab-access-mighty"} <= {r["name"] for r in roles}


@pytest.mark.parametrize(
    "settings, user_scopes",
    [
        ({"runtime_projects": RUNTIME}, ["self", ACCESS, *SHARING_SCOPES]),
        ({"project_access": "shares"}, ["self", ACCESS, *SHARING_SCOPES]),
        ({}, None),
    ],
    ids=["runtime projects", "shares", "neither"],
)
def test_every_user_may_call_the_service_and_share_their_server(tmp_path, settings, user_scopes):
    c = Config()
    configure_hub(c, world(settings={**dirs(tmp_path), **settings}))
    user = [r for r in c.JupyterHub.load_roles if r["name"] == "user"]
    assert (user[0]["scopes"] if user else None) == user_scopes


# --- Tokens ------------------------------------------------------------------------------


@pytest.fixture
def page_scopes(tmp_path):
    def make(**settings):
        c = Config()
        configure_hub(c, world(settings={**dirs(tmp_path), **settings}))
        return lambda s: resolve(c.Spawner.oauth_client_allowed_scopes(s))

    return make


@pytest.mark.parametrize(
    "settings", [{"runtime_projects": RUNTIME}, {"project_access": "shares"}], ids=["runtime", "shares"]
)
def test_ones_own_page_may_call_the_service_and_share_the_server(page_scopes, settings):
    scopes = page_scopes(**settings)
    assert scopes(spawner("alice", [])) == [ACCESS, *SHARING_SCOPES, RESTART_SCOPE]
    assert scopes(spawner("vex", ["vox"])) == [ACCESS, *SHARING_SCOPES, RESTART_SCOPE]


@pytest.mark.parametrize("name", ["vox-collab", "orca-collab"])
def test_never_on_an_accounts_page(page_scopes, name):
    scopes = page_scopes(runtime_projects=RUNTIME, project_access="shares")
    assert scopes(spawner(name, ["collaborative"])) == []


def test_with_shares_a_members_server_token_gets_no_card_scopes(tmp_path):
    """JupyterHub would drop them (the member holds no role on the account)."""
    assert collaboration_card_scopes(spec_with(tmp_path, project_access="shares"), {"vox"}) == []
    assert collaboration_card_scopes(spec_with(tmp_path), {"vox"}) == [
        "read:servers!user=vox-collab",
        "start:servers!user=vox-collab",
        "delete:servers!user=vox-collab",
    ]


# --- The spawn of an account made at runtime ---------------------------------------------


@pytest.fixture
def hook(tmp_path):
    c = Config()
    configure_hub(c, world(settings={**dirs(tmp_path), "runtime_projects": RUNTIME}))
    return lambda s: asyncio.run(c.Spawner.pre_spawn_hook(s))


def test_a_runtime_account_is_spawned_as_a_file_projects(hook):
    made = account("orca-collab", hub_groups={"orca", "collaborative"})
    hook(made)
    file_project = spawner("vox-collab", ["collaborative"])
    hook(file_project)
    assert not set(RTC_OFF_ARGS) & set(made.args), "collaboration on"
    assert made.args == [
        "--HubGroupsConfig.revalidate_seconds=20",
        # People here for the project's members; the top bar's project
        "--HubGroupsConfig.presence_groups=orca",
    ]
    assert made.args == [a.replace("vox", "orca") for a in file_project.args]


def test_its_named_servers_are_refused(hook):
    with pytest.raises(SpawnRefused, match="only its default server"):
        hook(account("orca-collab", hub_groups={"orca"}, server="bd"))


@pytest.mark.parametrize(
    "name, groups, hub_groups",
    [
        ("orca-collab", ["collaborative"], {"collaborative"}),
        ("orca-collab", [], {"orca"}),
        ("-collab", ["collaborative"], {""}),
    ],
    ids=["its group does not exist", "not in the collaborative group", "no project name"],
)
def test_no_project_without_its_group_and_the_collaborative_group(hook, name, groups, hub_groups):
    s = account(name, groups, hub_groups)
    hook(s)
    assert not any(a.startswith("--HubGroupsConfig.presence_groups") for a in s.args)


def test_an_unreadable_hub_names_no_project(hook):
    s = spawner("orca-collab", ["collaborative"])  # no database to ask
    hook(s)
    assert s.args == ["--HubGroupsConfig.revalidate_seconds=20"]
    assert any("could not be read" in w[0] for w in s.warnings)


def test_a_custom_pattern_is_read_backwards(tmp_path):
    c = Config()
    configure_hub(
        c,
        world(
            settings={
                **dirs(tmp_path),
                "runtime_projects": RUNTIME,
                "collaboration_account": "shared.{project}.team",
            }
        ),
    )
    s = account("shared.orca.team", hub_groups={"orca"})
    asyncio.run(c.Spawner.pre_spawn_hook(s))
    assert "--HubGroupsConfig.presence_groups=orca" in s.args


def test_every_server_is_told_how_projects_are_kept(tmp_path):
    c = Config()
    configure_hub(
        c,
        world(
            settings={
                **dirs(tmp_path),
                "runtime_projects": {"allowed": "staff", "max_per_person": 4},
                "project_access": "shares",
            }
        ),
    )
    value = c.Spawner.environment[contract.PROJECTS_ENV]
    assert contract.read_projects(value) == ("shares", {"allowed": "staff", "max_per_person": 4})
    c = Config()
    configure_hub(c, world(settings={**dirs(tmp_path)}))
    assert contract.read_projects(c.Spawner.environment[contract.PROJECTS_ENV]) == ("roles", None)


def test_sharing_is_composed_with_the_configs_user_role(tmp_path):
    c = Config()
    c.JupyterHub.load_roles = [{"name": "user", "scopes": ["self", "read:users:name"]}]
    configure_hub(c, world(settings={**dirs(tmp_path), "runtime_projects": RUNTIME}))
    [user] = [r for r in c.JupyterHub.load_roles if r["name"] == "user"]
    assert user["scopes"] == ["self", "read:users:name", ACCESS, "shares!user"], "no duplicate"


def test_sharing_is_composed_with_extra_user_scopes(tmp_path):
    c = Config()
    c.JupyterHub.extra_user_scopes = {"list:users"}
    configure_hub(c, world(settings={**dirs(tmp_path), "project_access": "shares"}))
    assert "user" not in {r["name"] for r in c.JupyterHub.load_roles}
    assert c.JupyterHub.extra_user_scopes == {"list:users", ACCESS, *SHARING_SCOPES}


def test_check_says_what_the_service_keeps(tmp_path):
    import io

    import yaml

    from jupyterlab_hub_groups.hub.__main__ import check

    path = tmp_path / "groups.yaml"
    settings = {**dirs(tmp_path), "runtime_projects": {"allowed": "staff", "max_per_person": 2}}
    path.write_text(yaml.safe_dump(world(settings={**settings, "project_access": "shares"})))
    out, err = io.StringIO(), io.StringIO()
    assert check(str(path), out, err) == 0
    text = out.getvalue()
    assert "projects made in JupyterLab: by members of staff, at most 2 each" in text
    assert "the file's 2 project(s): members reach them by shares" in text
    assert "shares!user read:users:name" in text
    assert "collab-access-vox" not in text


@pytest.mark.parametrize("subdomain_host, warned", [(None, True), ("https://hub.example.org", False)])
def test_runtime_projects_on_one_origin_are_warned_about(tmp_path, caplog, subdomain_host, warned):
    """Members of a project made at runtime open each other's pages too."""
    import logging

    from jupyterlab_hub_groups.hub.hubconfig import one_origin_warning

    data = world(settings={**dirs(tmp_path), "runtime_projects": RUNTIME})
    del data["projects"]
    c = Config()
    if subdomain_host is not None:
        c.JupyterHub.subdomain_host = subdomain_host
    warning = one_origin_warning(c, load_spec(data))
    assert (warning is not None) == warned
    if warned:
        assert "lets people make them" in warning
    with caplog.at_level(logging.WARNING):
        assert one_origin_warning(Config(), load_spec({"courses": {"c": {}}})) is None


# --- People's own servers when the service keeps projects -------------------------------


def ours(s):
    """The hub helper's arguments of a person's own server, collaboration's aside."""
    return [a for a in s.args if a not in RTC_OFF_ARGS]


def own_server_hook(tmp_path, **settings):
    c = Config()
    configure_hub(c, world(settings={**dirs(tmp_path), **settings}))
    return lambda s: asyncio.run(c.Spawner.pre_spawn_hook(s))


@pytest.mark.parametrize(
    "groups, kept",
    [
        (["Class1234_Semester02"], False),  # a course only: mmuster's page asks nothing
        ([], False),
        (["vox"], False),  # a file project kept by a role: GET collaborations
        (["Class1234_Semester02", "orca"], True),  # any other group may be one
    ],
    ids=["course", "no group", "file project", "a group made at runtime"],
)
def test_with_runtime_projects_ones_own_server_says_whether_one_may_be_in_one(
    tmp_path, groups, kept
):
    hook = own_server_hook(tmp_path, runtime_projects=RUNTIME)
    s = spawner("mmuster", groups)
    hook(s)
    assert ours(s) == [
        # a visitor let in by a share that was revoked is cut off
        "--HubGroupsConfig.revalidate_seconds=20",
        f"--HubGroupsConfig.service_projects={kept}",
    ]


@pytest.mark.parametrize("groups, kept", [(["vox"], True), (["staff"], False)])
def test_with_shares_only_the_files_projects_are_the_services(tmp_path, groups, kept):
    hook = own_server_hook(tmp_path, project_access="shares")
    s = spawner("vex", groups)
    hook(s)
    assert f"--HubGroupsConfig.service_projects={kept}" in s.args


def test_without_projects_kept_by_the_service_ones_own_server_is_as_before(tmp_path):
    hook = own_server_hook(tmp_path)
    s = spawner("mmuster", ["Class1234_Semester02"])
    hook(s)
    assert ours(s) == []
