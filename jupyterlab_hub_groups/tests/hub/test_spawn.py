"""The pre_spawn_hook, server token scopes and the login hook (hub/spawn.py)."""

import asyncio
import json

import pytest
from traitlets.config import Config

from jupyterlab_hub_groups import contract
from jupyterlab_hub_groups.hub import configure_hub
from jupyterlab_hub_groups.hub.spawn import RTC_OFF_ARGS, SpawnRefused
from jupyterlab_hub_groups.hub.spawn_report import HOOK_REPLACED
from jupyterlab_hub_groups.hub.token_scopes import RESTART_SCOPE as RESTART

from .world import (
    DEFAULT_SERVER_SCOPES,
    INSTRUCTOR_SCOPES,
    FakeAuthenticator,
    dirs,
    new_start,
    resolve,
    spawner,
    world,
)

COURSE = "Class1234_Semester02"


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


@pytest.mark.parametrize(
    "name, groups",
    [("vox-collab", ["collaborative"]), ("newproj-collab", []), ("shared", ["collaborative"])],
    ids=["project account", "named like one", "in the collaborative group"],
)
def test_a_named_server_of_a_collaboration_account_is_refused(tmp_path, name, groups):
    """Its token would be a second shared server's, which a member's
    removal does not end; refused before the deployment's own hook runs."""
    ran = []
    c = Config()
    c.Spawner.pre_spawn_hook = lambda spawner: ran.append(spawner.name)
    configure_hub(c, world(settings={**dirs(tmp_path)}))
    named = spawner(name, groups, server="bd")
    with pytest.raises(SpawnRefused, match=f"only its default server may run .*/user/{name}/"):
        asyncio.run(c.Spawner.pre_spawn_hook(named))
    assert ran == [], "the deployment's hook did not run for it"
    assert any("not a named server ('bd')" in str(e[1]) for e in named.errors), "the hub's log says why"
    # its default server starts as before
    default = spawner(name, groups)
    asyncio.run(c.Spawner.pre_spawn_hook(default))
    assert ran == [""]


def test_a_persons_named_servers_start_as_before(hook):
    named = spawner("vex", ["vox"], server="bd")
    asyncio.run(hook(named))
    assert set(RTC_OFF_ARGS) <= set(named.args)


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


def test_server_tokens_may_see_start_and_stop_their_own_projects_shared_servers_only(tmp_path):
    """JupyterHub narrows a server token's scopes to its owner's: unfiltered
    read:, start: and delete:servers would be hub-wide on an admin's server."""
    c = Config()
    configure_hub(c, world(settings={**dirs(tmp_path)}))
    scopes = c.Spawner.server_token_scopes
    assert callable(scopes), "per spawn: only the owner's projects"
    assert resolve(scopes(spawner("vex", ["vox"]))) == [
        *DEFAULT_SERVER_SCOPES,
        "read:servers!user=vox-collab",
        "start:servers!user=vox-collab",
        "delete:servers!user=vox-collab",
    ]
    # an admin in no project gets nothing beyond JupyterHub's default
    assert resolve(scopes(spawner("admin", ["staff"]))) == DEFAULT_SERVER_SCOPES
    # in two projects, a course, and a group named like nothing of ours
    both = resolve(scopes(spawner("beau", ["mighty", "vox", "Class1234_Semester02", "x"])))
    assert sorted(both[2:]) == sorted(
        [
            "read:servers!user=vox-collab",
            "start:servers!user=vox-collab",
            "delete:servers!user=vox-collab",
            "read:servers!user=mighty-collab",
            "start:servers!user=mighty-collab",
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
        "start:servers!user=vox-collab",
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


# --- Instructors: the course's environment ------------------------------------------------


def course_paths(s, tmp_path):
    """The course folders on a spawned server's JUPYTER_PATH."""
    return [
        p for p in s.environment.get("JUPYTER_PATH", "").split(":") if p.startswith(str(tmp_path))
    ]


@pytest.mark.parametrize(
    "who",
    [
        # the file's instructor role, as the hub helper makes it
        {"roles": [INSTRUCTOR_SCOPES]},
        # a hand-made role given to a group of teaching assistants
        {"group_roles": {"tas": [["admin:groups!group=Class1234_Semester02"]]}},
    ],
    ids=["instructor role", "role of the owner's group"],
)
def test_whoever_manages_a_course_gets_its_environment(hook, tmp_path, who):
    s = spawner("prof", ["instructors", "tas"], **who)
    asyncio.run(hook(s))
    paths = course_paths(s, tmp_path)
    assert len(paths) == 1 and paths[0].endswith("share/jupyter")
    config = s.environment["JUPYTER_CONFIG_PATH"].split(":")
    assert config[1].startswith(str(tmp_path)) and config[1].endswith("etc/jupyter")
    # the same folder as the students'
    student = spawner("mmuster", [COURSE])
    asyncio.run(hook(student))
    assert course_paths(student, tmp_path) == paths


@pytest.mark.parametrize(
    "scopes",
    [
        ["admin:groups", "admin:users", "admin:servers"],  # an admin: names no group
        ["groups", "list:users"],
        ["read:groups!group=Class1234_Semester02", "list:users"],  # may only look
        ["groups!group=Class1234_Semester03"],  # another course
        ["groups!user=Class1234_Semester02"],  # not a group filter
    ],
)
def test_nobody_else_gets_a_course_environment(hook, tmp_path, scopes):
    s = spawner("admin", ["staff"], roles=[scopes])
    asyncio.run(hook(s))
    assert course_paths(s, tmp_path) == []


def test_a_course_may_keep_its_environment_from_its_instructors(tmp_path):
    data = world(settings={**dirs(tmp_path)})
    data["courses"][COURSE]["instructors_get_environment"] = False
    c = Config()
    configure_hub(c, data)
    prof = spawner("prof", ["instructors"], roles=[INSTRUCTOR_SCOPES])
    asyncio.run(c.Spawner.pre_spawn_hook(prof))
    assert course_paths(prof, tmp_path) == []
    # its students keep it; an instructor who is also a student has it as one
    for s in (spawner("mmuster", [COURSE]), spawner("prof", [COURSE], roles=[INSTRUCTOR_SCOPES])):
        asyncio.run(c.Spawner.pre_spawn_hook(s))
        assert len(course_paths(s, tmp_path)) == 1


def test_an_instructor_who_lost_the_role_loses_the_environment_at_the_next_spawn(hook, tmp_path):
    s = spawner("prof", ["instructors"], roles=[INSTRUCTOR_SCOPES], environment={"JUPYTER_PATH": "/opt/x"})
    asyncio.run(hook(s))
    assert len(course_paths(s, tmp_path)) == 1
    s.user.orm_user.roles = []
    asyncio.run(hook(s))
    assert s.environment["JUPYTER_PATH"] == "/opt/x"


def test_roles_that_cannot_be_read_give_nothing_extra(hook, tmp_path):
    """Fail closed, and say so: the student part still works."""
    s = spawner("prof", [COURSE, "instructors"], roles=[INSTRUCTOR_SCOPES])
    del s.user.orm_user
    asyncio.run(hook(s))
    assert len(course_paths(s, tmp_path)) == 1, "as a student"
    assert s.warnings and "could not be read" in s.warnings[0][0]


# --- Instructors: the page token's scopes -------------------------------------------------


@pytest.fixture
def page_scopes(tmp_path):
    c = Config()
    configure_hub(c, world(settings={**dirs(tmp_path)}))
    scopes = c.Spawner.oauth_client_allowed_scopes
    assert callable(scopes), "per spawn: what the owner holds then"
    return lambda s: resolve(scopes(s))


def test_an_instructors_own_server_may_issue_exactly_the_management_scopes(page_scopes):
    prof = spawner("prof", ["instructors"], roles=[INSTRUCTOR_SCOPES, ["read:users:name"]])
    assert page_scopes(prof) == ["groups!group=Class1234_Semester02", "list:users", RESTART]


@pytest.mark.parametrize(
    "who, expected",
    [
        # students, project members, nobody in particular
        (spawner("mmuster", [COURSE]), []),
        (spawner("vex", ["vox"]), []),
        # an admin: unfiltered scopes name no group (the admin page is theirs)
        (spawner("admin", [], roles=[["admin:groups", "admin:users", "list:users"]]), []),
        # list:users alone manages nothing
        (spawner("alice", [], roles=[["list:users"]]), []),
        # a hand-made role through a group, list:users filtered: kept as held
        (
            spawner(
                "ta",
                ["tas"],
                group_roles={
                    "tas": [["admin:groups!group=b-course", "list:users!group=b-course"]]
                },
            ),
            ["groups!group=b-course", "list:users!group=b-course"],
        ),
        # two courses, no list:users: the groups only
        (
            spawner("prof2", [], roles=[["groups!group=zeta", "groups!group=alpha"]]),
            ["groups!group=alpha", "groups!group=zeta"],
        ),
        # a group name with a '!' in it is read as JupyterHub reads it
        (spawner("odd", [], roles=[["groups!group=a!b"]]), ["groups!group=a!b"]),
    ],
    ids=["student", "member", "admin", "list-users", "group-role", "two", "bang"],
)
def test_nobody_else_gets_more_than_the_groups_they_manage(page_scopes, who, expected):
    assert page_scopes(who) == [*expected, RESTART]


@pytest.mark.parametrize("account", ["vox-collab", "future-collab"])
def test_never_on_a_collaboration_accounts_server(page_scopes, account):
    """Every member runs code there as the account: its page holds nothing
    of anyone's to manage, whatever the account was given."""
    shared = spawner(account, ["collaborative"], roles=[INSTRUCTOR_SCOPES])
    assert page_scopes(shared) == []
    alone = spawner(account, [], roles=[INSTRUCTOR_SCOPES])
    assert page_scopes(alone) == []


@pytest.mark.parametrize("kind", ["list", "sync", "async"])
def test_oauth_client_allowed_scopes_already_configured_are_kept(tmp_path, kind):
    mine = ["read:users:activity!user", "custom:scope"]

    def sync_scopes(spawner):
        return list(mine)

    async def async_scopes(spawner):
        return sync_scopes(spawner)

    c = Config()
    c.Spawner.oauth_client_allowed_scopes = {
        "list": list(mine),
        "sync": sync_scopes,
        "async": async_scopes,
    }[kind]
    configure_hub(c, world(settings={**dirs(tmp_path)}))
    scopes = c.Spawner.oauth_client_allowed_scopes
    prof = spawner("prof", ["instructors"], roles=[INSTRUCTOR_SCOPES])
    assert resolve(scopes(prof)) == [*mine, *INSTRUCTOR_SCOPES, RESTART]
    assert resolve(scopes(spawner("mmuster", [COURSE]))) == [*mine, RESTART]


def test_more_specific_spawner_sections_are_composed_too(tmp_path):
    """traitlets gives KubeSpawner its own section's setting over Spawner's."""
    c = Config()
    c.KubeSpawner.oauth_client_allowed_scopes = ["custom:scope"]
    c.KubeSpawner.pre_spawn_hook = lambda spawner: None
    configure_hub(c, world(settings={**dirs(tmp_path)}))
    prof = spawner("prof", ["instructors"], roles=[INSTRUCTOR_SCOPES])
    assert resolve(c.KubeSpawner.oauth_client_allowed_scopes(prof)) == [
        "custom:scope",
        *INSTRUCTOR_SCOPES,
        RESTART,
    ]
    assert resolve(c.Spawner.oauth_client_allowed_scopes(prof)) == [*INSTRUCTOR_SCOPES, RESTART]
    asyncio.run(c.KubeSpawner.pre_spawn_hook(prof))
    assert len(course_paths(prof, tmp_path)) == 1


def test_jupyterhubs_spawner_takes_the_setting_and_still_writes_its_environment(tmp_path):
    """JupyterHub 6.1.1 calls the setting for the OAuth client, and also
    writes it with json.dumps into the server's environment, which a plain
    function fails (the spawn fails)."""
    from types import SimpleNamespace

    from jupyterhub.spawner import Spawner

    c = Config()
    configure_hub(c, world(settings={**dirs(tmp_path)}))
    prof = spawner("prof", ["instructors"], roles=[INSTRUCTOR_SCOPES])
    prof.user.url = "/user/prof/"
    hub = SimpleNamespace(
        public_host="", api_url="http://127.0.0.1:8081/hub/api", base_url="/hub/"
    )
    real = Spawner(config=c, user=prof.user, hub=hub)
    assert resolve(real._get_oauth_client_allowed_scopes()) == [
        "access:servers!server=prof/",
        *INSTRUCTOR_SCOPES,
        RESTART,
    ]
    # nothing of one user's in what every spawn writes
    assert real.get_env()["JUPYTERHUB_OAUTH_CLIENT_ALLOWED_SCOPES"] == "[]"


# --- Requests to join courses: the page token may call the service ---------------------

ACCESS = "access:services!service=hub-groups"


@pytest.fixture
def enrolment_page_scopes(tmp_path):
    data = world(settings={**dirs(tmp_path)})
    data["courses"][COURSE]["enrolment"] = "request"
    c = Config()
    configure_hub(c, data)
    return lambda s: resolve(c.Spawner.oauth_client_allowed_scopes(s))


@pytest.mark.parametrize(
    "who, expected",
    [
        (spawner("alice", []), [ACCESS]),
        (spawner("mmuster", [COURSE]), [ACCESS]),
        (
            spawner("prof", ["instructors"], roles=[INSTRUCTOR_SCOPES]),
            [*INSTRUCTOR_SCOPES, ACCESS],
        ),
        (spawner("admin", [], roles=[["admin:groups", "access:services"]]), [ACCESS]),
    ],
    ids=["outsider", "student", "instructor", "admin"],
)
def test_ones_own_page_may_call_the_service(enrolment_page_scopes, who, expected):
    assert enrolment_page_scopes(who) == [*expected, RESTART]


@pytest.mark.parametrize("account", ["vox-collab", "future-collab"])
def test_a_collaboration_accounts_page_may_not_call_the_service(enrolment_page_scopes, account):
    """Everyone there runs code as the account: a visitor's token in that
    page could ask to join courses, or decide, in the visitor's name."""
    assert enrolment_page_scopes(spawner(account, ["collaborative"])) == []


def test_without_requests_the_page_may_not_call_the_service(page_scopes):
    assert page_scopes(spawner("alice", [])) == [RESTART]


def test_the_service_scope_is_composed_with_what_was_configured(tmp_path):
    data = world(settings={**dirs(tmp_path)})
    data["courses"][COURSE]["enrolment"] = "open"
    c = Config()
    c.Spawner.oauth_client_allowed_scopes = ["custom:scope"]
    configure_hub(c, data)
    assert resolve(c.Spawner.oauth_client_allowed_scopes(spawner("alice", []))) == [
        "custom:scope",
        ACCESS,
        RESTART,
    ]


# --- Environment values that are not strings ------------------------------------------


def test_a_path_given_as_a_function_of_the_spawner_gets_the_course_folders(hook, tmp_path):
    """JupyterHub and KubeSpawner call environment values that are functions
    at each start: ours are put in front of what the function gives then."""
    seen = []

    def deployment_path(spawner):
        seen.append(spawner.user.name)
        return f"/opt/{spawner.user.name}:{tmp_path}/stale-course/share/jupyter"

    s = spawner("mmuster", [COURSE], environment={"JUPYTER_PATH": deployment_path})
    asyncio.run(hook(s))
    value = s.environment["JUPYTER_PATH"]
    assert callable(value) and not seen, "called when the server starts, not before"
    paths = value(s).split(":")
    assert paths[0].startswith(str(tmp_path)) and paths[0].endswith("share/jupyter")
    assert paths[1:] == ["/opt/mmuster"], "an earlier start's folder is not kept"
    # the next start wraps the deployment's function again, not our wrapper
    s.user.groups = []
    asyncio.run(hook(new_start(s)))
    assert s.environment["JUPYTER_PATH"](s) == "/opt/mmuster"
    assert s.environment["JUPYTER_PATH"].base is deployment_path


def test_a_value_from_that_cannot_be_merged_refuses_the_start_with_a_clear_message(hook):
    value_from = {"valueFrom": {"configMapKeyRef": {"name": "paths", "key": "jupyter"}}}
    s = spawner("mmuster", [COURSE], environment={"JUPYTER_PATH": value_from})
    with pytest.raises(SpawnRefused, match="JUPYTER_PATH is set to a Kubernetes valueFrom"):
        asyncio.run(hook(s))
    assert s.errors, "and the hub's log says so"
    # someone with no course folder to add starts with it untouched
    other = spawner("fjord", ["mighty"], environment={"JUPYTER_PATH": value_from})
    asyncio.run(hook(other))
    assert other.environment["JUPYTER_PATH"] == value_from
    # every server gets the config path, so a valueFrom there always refuses
    config = spawner("fjord", ["mighty"], environment={"JUPYTER_CONFIG_PATH": value_from})
    with pytest.raises(SpawnRefused, match="JUPYTER_CONFIG_PATH"):
        asyncio.run(hook(config))


def test_other_variables_that_are_not_strings_are_left_alone(hook):
    def token(spawner):
        return "x"

    env = {"MY_TOKEN": token, "FROM_SECRET": {"valueFrom": {"secretKeyRef": {"name": "s"}}}}
    s = spawner("mmuster", [COURSE], environment=dict(env))
    asyncio.run(hook(s))
    assert s.environment["MY_TOKEN"] is token
    assert s.environment["FROM_SECRET"] == env["FROM_SECRET"]


# --- The start's report -----------------------------------------------------------------


def test_a_pre_spawn_hook_set_after_configure_hub_is_reported_to_the_log_and_the_server(tmp_path):
    """JupyterHub calls the report (an environment value) when the server
    starts, after the hooks: it tells whether ours ran for this start."""
    c = Config()
    configure_hub(c, world(settings={**dirs(tmp_path)}))
    report = c.Spawner.environment[contract.SPAWN_PROBLEMS_ENV]
    s = spawner("mmuster", [COURSE])
    asyncio.run(c.Spawner.pre_spawn_hook(s))
    assert json.loads(report(s)) == [] and not s.errors
    # the next start, with a hook that replaced ours: the plan of the last
    # start does not count
    new_start(s)
    assert json.loads(report(s)) == [HOOK_REPLACED]
    assert HOOK_REPLACED in s.errors[0], "and the hub's log says so, as an error"
    # a hook that calls ours (however it wraps it) is no problem
    ours = c.Spawner.pre_spawn_hook

    async def theirs(spawner):
        await ours(spawner)

    asyncio.run(theirs(new_start(s)))
    assert json.loads(report(s)) == []


def test_the_report_is_added_to_every_environment_the_config_sets(tmp_path):
    c = Config()
    c.Spawner.environment = {"A": "1"}
    c.KubeSpawner.environment = {"B": "2"}  # Zero to JupyterHub's singleuser.extraEnv
    configure_hub(c, world(settings={**dirs(tmp_path)}))
    for section, kept in (("Spawner", "A"), ("KubeSpawner", "B")):
        environment = c[section].environment
        assert kept in environment and callable(environment[contract.SPAWN_PROBLEMS_ENV])


def test_an_environment_set_after_configure_hub_still_gets_the_report_at_each_start(tmp_path):
    """The demo's config, like many, sets c.Spawner.environment after
    configure_hub: the per-spawn scopes, resolved before any hook, put the
    report back."""
    c = Config()
    configure_hub(c, world(settings={**dirs(tmp_path)}))
    c.Spawner.environment = {"PATH": "/opt/bin"}
    s = spawner("mmuster", [COURSE], environment=dict(c.Spawner.environment))
    resolve(c.Spawner.server_token_scopes(s))
    assert callable(s.environment[contract.SPAWN_PROBLEMS_ENV])
    assert s.environment["PATH"] == "/opt/bin"
    # and nothing from the last start's plan counts for this one
    assert json.loads(s.environment[contract.SPAWN_PROBLEMS_ENV](s)) == [HOOK_REPLACED]
    asyncio.run(c.Spawner.pre_spawn_hook(s))
    assert json.loads(s.environment[contract.SPAWN_PROBLEMS_ENV](s)) == []
