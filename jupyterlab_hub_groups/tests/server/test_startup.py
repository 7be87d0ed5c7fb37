"""``GET me?startup=1``: the first answer of every plugin of the page in
one request and one hub lookup (fake hub, see conftest.py).

Each part must be what its own endpoint answers, or the page would show
something else at start than a moment later."""

import json

import pytest
from tornado.httpclient import HTTPClientError

from jupyterlab_hub_groups import contract
from jupyterlab_hub_groups.server import projects
from jupyterlab_hub_groups.server.startup import courses_to_join

API = ("hub-groups", "api")
COURSE = "Class1234_Semester02"
OPEN = [
    contract.OpenCourse(COURSE, "request"),
    contract.OpenCourse("Drawing_101", "open"),
]


@pytest.fixture
def open_courses(request):
    """The hub helper's list for the server under test (parametrize with
    ``indirect=True``: a value of ``$HUB_GROUPS_OPEN_COURSES``, or None:
    unset); the demo's course and an open one by default."""
    return getattr(request, "param", contract.open_courses_value(OPEN))


@pytest.fixture
def jp_server_config(jp_server_config, open_courses, fake_hub, monkeypatch, request):
    # Set before the server starts: the extension reads it once, at start.
    if open_courses is None:
        monkeypatch.delenv(contract.OPEN_COURSES_ENV, raising=False)
    else:
        monkeypatch.setenv(contract.OPEN_COURSES_ENV, open_courses)
    jp_server_config["HubGroupsConfig"].update(presence_groups=["vox"], server_owner="vox-collab")
    fake_hub.users["vex-token"].update(
        groups=["vox", COURSE],
        scopes=[*fake_hub.users["vex-token"]["scopes"], f"groups!group={COURSE}"],
    )
    fake_hub.users["fjord-token"]["groups"] = ["mighty"]
    fake_hub.accounts = {
        "vox-collab": {"name": "vox-collab", "servers": {"": {"ready": True, "pending": None}}},
        "mighty-collab": {"name": "mighty-collab", "servers": {}},
    }
    return jp_server_config


async def get(jp_fetch, *path, token="vex-token", **params):
    try:
        response = await jp_fetch(
            *API, *path, params=params, headers={"Authorization": f"token {token}"}
        )
    except HTTPClientError as e:
        response = e.response
    return response.code, json.loads(response.body)


async def test_without_startup_me_carries_none(jp_fetch):
    code, body = await get(jp_fetch, "me")
    assert code == 200
    assert "startup" not in body
    code, body = await get(jp_fetch, "me", startup="0")
    assert "startup" not in body


@pytest.mark.parametrize("value", ["yes", "2", "TRUE "])
async def test_a_bad_startup_flag_is_a_400(jp_fetch, value):
    code, body = await get(jp_fetch, "me", startup=value)
    assert code == 400
    assert body["error"] == "bad-request"
    assert "startup" in body["message"]


async def test_each_part_is_what_its_endpoint_answers(jp_fetch, fake_hub):
    code, body = await get(jp_fetch, "me", startup="1")
    assert code == 200
    startup = body["startup"]
    assert startup["manage"] == (await get(jp_fetch, "manage"))[1] == {"groups": [COURSE], "titles": {}}
    collaborations = (await get(jp_fetch, "collaborations"))[1]
    assert startup["collaborations"] == collaborations
    assert collaborations["collaborations"] == [], "vox's account is the server one is on"
    presence = (await get(jp_fetch, "presence"))[1]
    assert startup["presence"]["me"] == presence["me"] == "vex"
    assert startup["presence"]["shared"] is presence["shared"] is True
    assert [p["name"] for p in startup["presence"]["people"]] == ["vex"]


async def test_one_hub_lookup_for_everything(jp_fetch, fake_hub):
    before = fake_hub.calls
    code, body = await get(jp_fetch, "me", startup="1", max_age="0")
    assert code == 200
    assert fake_hub.calls - before == 1, "the page's token is looked up once"


async def test_courses_to_join_leave_out_the_requesters_courses(jp_fetch):
    _, body = await get(jp_fetch, "me", startup="1")
    assert body["startup"]["courses_to_join"] == [{"group": "Drawing_101", "enrolment": "open"}]
    _, body = await get(jp_fetch, "me", startup="1", token="fjord-token")
    assert body["startup"]["courses_to_join"] == [c.to_json() for c in OPEN]


@pytest.mark.parametrize(
    "open_courses", [None, "not json", '[["x"]]', '[{"group": "x", "enrolment": "open"}]'],
    indirect=True,
)
async def test_courses_to_join_are_unknown_without_a_readable_list(jp_fetch, open_courses):
    _, body = await get(jp_fetch, "me", startup="1")
    assert body["startup"]["courses_to_join"] is None


async def test_a_visitor_outside_the_servers_groups_gets_no_presence(jp_fetch):
    code, _ = await get(jp_fetch, "presence", token="fjord-token")
    assert code == 403
    _, body = await get(jp_fetch, "me", startup="1", token="fjord-token")
    assert body["startup"]["presence"] is None
    assert body["startup"]["manage"] == {"groups": [], "titles": {}}
    assert body["startup"]["collaborations"]["collaborations"] == [
        {"group": "mighty", "account": "mighty-collab", "status": "stopped"}
    ]


async def test_a_failing_part_is_null_and_the_rest_is_answered(jp_fetch, monkeypatch):
    async def broken(self, groups):
        raise RuntimeError("boom")

    monkeypatch.setattr(projects.ProjectServers, "answer", broken)
    code, body = await get(jp_fetch, "me", startup="1")
    assert code == 200
    assert body["groups"] == sorted(["vox", COURSE])
    assert body["startup"]["collaborations"] is None
    assert body["startup"]["manage"] == {"groups": [COURSE], "titles": {}}


async def test_a_hub_failing_for_accounts_is_said_not_hidden(jp_fetch, fake_hub):
    fake_hub.account_mode = "403"
    _, body = await get(jp_fetch, "me", startup="1", token="fjord-token")
    collaborations = body["startup"]["collaborations"]
    assert {c["status"] for c in collaborations["collaborations"]} == {"unknown"}
    assert collaborations["degraded"]["code"] == "server-token-scopes"


def test_courses_to_join_keeps_the_lists_order():
    assert courses_to_join(None, ["a"]) is None
    assert courses_to_join(OPEN, []) == [c.to_json() for c in OPEN]
    assert courses_to_join(OPEN, ["Drawing_101", "other"]) == [OPEN[0].to_json()]


def test_open_courses_round_trip_and_refuse_garbage():
    assert contract.read_open_courses(contract.open_courses_value(OPEN)) == OPEN
    assert contract.read_open_courses("[]") == []
    for bad in ("{}", '[["a", "closed"]]', '[["", "open"]]', '[["a", "open", 1]]', "[1]", "nope"):
        assert contract.read_open_courses(bad) is None, bad
    with pytest.raises(ValueError):
        contract.open_courses_value([contract.OpenCourse("a", "closed")])


def test_the_list_holds_no_brace_for_kubespawner_to_format():
    """KubeSpawner formats environment values as templates ({username})."""
    odd = [contract.OpenCourse("a{username}b}", "open")]
    value = contract.open_courses_value(odd)
    assert "{" not in value and "}" not in value
    assert contract.read_open_courses(value) == odd
