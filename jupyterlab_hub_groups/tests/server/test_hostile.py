"""Every endpoint against hostile or broken input: a permanent suite.

Each of our endpoints (me, presence GET and POST, collaborations, stop, the
manage endpoints) is called with missing, bad, revoked and foreign tokens,
against a hub that fails in every way the fake hub knows (see
conftest.py), and with hostile group, account and user names and request
bodies. Whatever happens, the answer is JSON with a 4xx or 502 status and a
message: never a 500, a traceback, or a name sent to the hub unescaped.
"""

import json
from urllib.parse import quote

import pytest
from tornado.httpclient import AsyncHTTPClient, HTTPClientError

from conftest import DISPLAY_NAMES

API = ("hub-groups", "api")

#: (method, path below hub-groups/api, body)
ENDPOINTS = {
    "me": ("GET", "me", None),
    "presence": ("GET", "presence", None),
    "presence-post": ("POST", "presence", json.dumps({"current": "a.ipynb"})),
    "collaborations": ("GET", "collaborations", None),
    "stop": ("POST", "collaborations/vox-collab/stop", ""),
    "start": ("POST", "collaborations/vox-collab/start", ""),
    "manage": ("GET", "manage", None),
    "manage-group": ("GET", "manage/vox", None),
    "manage-users": ("GET", "manage/vox/users", None),
    "manage-preview": ("POST", "manage/vox/preview", json.dumps({"names": ["fjord"]})),
    "manage-add": ("POST", "manage/vox/add", json.dumps({"names": ["fjord"]})),
    "manage-remove": ("POST", "manage/vox/remove", json.dumps({"names": ["vex"]})),
}

#: What lets vex manage group ``vox`` (as an instructor's page token would).
MANAGES_VOX = ["groups!group=vox", "list:users"]

#: Group names no one should have, but a hub admin may create.
HOSTILE_NAMES = [
    "../etc",
    "a!b",
    "a=b",
    "line\nbreak",
    "trailing\n",
    "ünïcødé",
    "<img src=x onerror=alert(1)>",
    'quote"d',
    "%0A",
]


@pytest.fixture(autouse=True)
def world(fake_hub, jp_server_config, monkeypatch):
    """vex is in project vox, on vox's shared server; fjord is in mighty."""
    jp_server_config["HubGroupsConfig"].update(presence_groups=["vox"], server_owner="vox-collab")
    fake_hub.users["vex-token"]["groups"] = ["vox"]
    fake_hub.users["fjord-token"]["groups"] = ["mighty"]
    fake_hub.accounts = {
        "vox-collab": {"name": "vox-collab", "servers": {"": {"ready": True, "pending": None}}},
        "mighty-collab": {"name": "mighty-collab", "servers": {}},
    }
    # vex may manage vox's members: every manage endpoint gets past its check
    fake_hub.users["vex-token"]["scopes"] += MANAGES_VOX
    fake_hub.people = ["vex", "vax", "fjord", "admin"]
    fake_hub.groups = {"vox": ["vex", "vax"]}


async def call(jp_fetch, endpoint, headers):
    method, path, body = ENDPOINTS[endpoint]
    try:
        return await jp_fetch(*API, *path.split("/"), method=method, body=body, headers=headers)
    except HTTPClientError as e:
        return e.response


def check_json_error(response, status):
    """A JSON error with a message, and nothing of a traceback or a 500."""
    text = response.body.decode()
    assert response.code == status, text
    assert "Traceback" not in text
    body = json.loads(text)
    assert isinstance(body.get("message"), str) and body["message"]
    return body


# --- tokens -------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("token", ["", "token", "token not-a-token", "Basic dmV4OnZleA=="])
async def test_no_or_a_bad_token_is_refused_before_the_hub_is_asked(
    jp_fetch, fake_hub, endpoint, token
):
    response = await call(jp_fetch, endpoint, {"Authorization": token})
    check_json_error(response, 403)
    assert fake_hub.calls == 0
    assert fake_hub.account_paths == [] and fake_hub.stopped == []
    assert fake_hub.group_requests == []


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_a_revoked_token_is_refused(jp_fetch, fake_hub, endpoint):
    """Valid when the session began (HubAuth still trusts it), unknown to the hub now."""
    del fake_hub.users["vex-token"]
    response = await call(jp_fetch, endpoint, {"Authorization": "token vex-token"})
    assert check_json_error(response, 403)["error"] == "hub-refused"
    assert fake_hub.stopped == []
    assert fake_hub.group_requests == []


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_a_token_of_someone_else_is_refused(jp_fetch, fake_hub, endpoint):
    """The session is vex's, but the hub says the token is fjord's."""
    fake_hub.users["vex-token"] = dict(fake_hub.users["fjord-token"])
    response = await call(jp_fetch, endpoint, {"Authorization": "token vex-token"})
    body = check_json_error(response, 403)
    assert body["error"] == "identity-mismatch"
    assert "groups" not in body and "people" not in body
    assert fake_hub.stopped == []
    assert fake_hub.group_requests == []


# --- a failing hub ------------------------------------------------------------


HUB_FAILURES = [
    ("500", "hub-error"),
    ("slow", "hub-timeout"),
    ("garbage", "hub-bad-response"),
    ("redirect", "hub-redirect"),
    ("wrong-shape", "hub-bad-response"),
]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("mode, reason", HUB_FAILURES)
async def test_a_failing_hub_gives_502_json(jp_fetch, fake_hub, endpoint, mode, reason):
    fake_hub.mode = mode
    response = await call(jp_fetch, endpoint, {"Authorization": "token vex-token"})
    body = check_json_error(response, 502)
    assert body["error"] == reason
    assert "people" not in body and "groups" not in body
    assert fake_hub.account_paths == []
    assert fake_hub.group_requests == []


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_an_unreachable_hub_gives_502_json(jp_fetch, fake_hub, endpoint):
    fake_hub.server.stop()
    await fake_hub.server.close_all_connections()
    response = await call(jp_fetch, endpoint, {"Authorization": "token vex-token"})
    assert check_json_error(response, 502)["error"] == "hub-unreachable"


@pytest.mark.parametrize("mode, reason", HUB_FAILURES + [("403", "hub-refused")])
async def test_a_failing_hub_on_stop_gives_json(jp_fetch, fake_hub, mode, reason):
    fake_hub.account_modes["vox-collab"] = mode
    response = await call(jp_fetch, "stop", {"Authorization": "token vex-token"})
    body = check_json_error(response, 403 if mode == "403" else 502)
    assert body["error"] == reason
    assert fake_hub.stopped == []


# --- hostile names --------------------------------------------------------------


async def test_hostile_group_names_come_back_as_json_strings(jp_fetch, fake_hub):
    fake_hub.users["vex-token"]["groups"] = HOSTILE_NAMES + ["vox"]
    response = await call(jp_fetch, "me", {"Authorization": "token vex-token"})
    assert response.code == 200
    assert json.loads(response.body)["groups"] == sorted(HOSTILE_NAMES + ["vox"])
    assert response.headers["Content-Type"].startswith("application/json")


async def test_hostile_group_names_are_not_sent_to_the_hub_as_accounts(jp_fetch, fake_hub):
    fake_hub.users["vex-token"]["groups"] = HOSTILE_NAMES + ["mighty"]
    response = await call(jp_fetch, "collaborations", {"Authorization": "token vex-token"})
    assert response.code == 200
    assert json.loads(response.body)["collaborations"] == [
        {"group": "mighty", "account": "mighty-collab", "status": "stopped"}
    ]
    assert fake_hub.account_paths == ["/hub/api/users/mighty-collab"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
async def test_a_hostile_display_name_comes_back_as_a_json_string(jp_fetch, monkeypatch, name):
    """Presence lists display names as the identity provider gives them."""
    monkeypatch.setitem(DISPLAY_NAMES, "vex", name)
    response = await call(jp_fetch, "presence", {"Authorization": "token vex-token"})
    assert response.code == 200
    assert [p["display_name"] for p in json.loads(response.body)["people"]] == [name]


@pytest.mark.parametrize(
    "raw",
    [
        "..",
        "..%2Fvox-collab",
        "..%2F..%2Fhub%2Fapi%2Fusers%2Fadmin",
        "vox-collab%0A",
        "vox-collab%0D%0Ax",
        "%0Avox-collab",
        "vox-collab!",
        "a!b-collab",
        "a=b-collab",
        "v%C3%B6x-collab",
        "vox-collab%00",
        "%3Cimg%20src%3Dx%3E-collab",
        "vox-collab%20",
        "%FF%FE",
        "x" * 300,
    ],
)
async def test_hostile_account_names_are_refused_before_the_hub(
    jp_serverapp, http_server_client, jp_http_port, jp_base_url, fake_hub, raw
):
    # The member of a group with such a name must be refused all the same.
    fake_hub.users["vex-token"]["groups"] = ["vox", "a!b", "a=b", "vox-collab\n"]
    url = f"http://127.0.0.1:{jp_http_port}{jp_base_url}hub-groups/api/collaborations/{raw}/stop"
    response = await AsyncHTTPClient().fetch(
        url,
        method="POST",
        body="",
        headers={"Authorization": "token vex-token"},
        raise_error=False,
    )
    assert 400 <= response.code < 500
    check_json_error(response, response.code)
    assert fake_hub.account_paths == [] and fake_hub.stopped == []


async def test_an_unknown_action_is_a_json_404(jp_fetch, fake_hub):
    try:
        response = await jp_fetch(
            *API, "collaborations", "vox-collab", "restart", method="POST", body="",
            headers={"Authorization": "token vex-token"},
        )
    except HTTPClientError as e:
        response = e.response
    assert check_json_error(response, 404)["error"] == "unknown-action"
    assert fake_hub.account_paths == []


def test_names_are_checked_whole():
    from jupyterlab_hub_groups.server.projects import is_account_name

    assert is_account_name("vox-collab")
    assert is_account_name("Class1234_Semester02-collab")
    for name in ["vox-collab\n", "\nvox-collab", "", "..", "a/b", "vöx", "a b", "x" * 256]:
        assert not is_account_name(name), repr(name)


@pytest.mark.parametrize("name", ["mighty-collab", "a.b-collab", "a@b+c-collab"])
async def test_a_safe_account_name_is_sent_escaped(jp_fetch, fake_hub, name):
    fake_hub.users["vex-token"]["groups"] = [name.removesuffix("-collab")]
    fake_hub.accounts[name] = {"name": name, "servers": {}}
    response = await call(jp_fetch, "collaborations", {"Authorization": "token vex-token"})
    assert response.code == 200
    assert fake_hub.account_paths == [f"/hub/api/users/{quote(name, safe='')}"]


# --- the manage endpoints: group names, bodies, user names -------------------------------

MANAGE_ROUTES = [
    ("GET", "", None),
    ("GET", "/users", None),
    ("POST", "/preview", json.dumps({"names": ["fjord"]})),
    ("POST", "/add", json.dumps({"names": ["fjord"]})),
    ("POST", "/remove", json.dumps({"names": ["vex"]})),
]


async def raw(jp_http_port, jp_base_url, method, path, body=None, token="vex-token"):
    """A request with the path exactly as given (no client-side escaping)."""
    url = f"http://127.0.0.1:{jp_http_port}{jp_base_url}hub-groups/api/{path}"
    return await AsyncHTTPClient().fetch(
        url,
        method=method,
        body=body,
        headers={"Authorization": f"token {token}"},
        raise_error=False,
        allow_nonstandard_methods=True,
    )


@pytest.mark.parametrize(
    "group",
    [
        "..",
        "%2E%2E",
        "..%2Fvox",
        "a%2Fb",
        "vox%2F",
        "vox%0A",
        "%0Avox",
        "line%0Abreak",
        "tab%09bed",
        "nul%00",
        "rtl%E2%80%AEx",
        "%FF%FE",
        "x" * 300,
    ],
)
@pytest.mark.parametrize("method, rest, body", MANAGE_ROUTES, ids=lambda x: str(x)[:12])
async def test_hostile_group_names_are_refused_before_the_hub(
    jp_serverapp, http_server_client, jp_http_port, jp_base_url, fake_hub, group, method, rest, body
):
    # Even for someone who holds a scope on such a name.
    fake_hub.users["vex-token"]["scopes"] += ["groups!group=..", "groups!group=vox\n", "groups!group=a/b"]
    response = await raw(jp_http_port, jp_base_url, method, f"manage/{group}{rest}", body)
    assert response.code == 400, response.body
    check_json_error(response, 400)
    assert fake_hub.group_requests == [] and fake_hub.group_bodies == []


@pytest.mark.parametrize("group", ["a!b", "ünïcødé", "with space", "per%cent", "<img src=x onerror=alert(1)>"])
async def test_unusual_group_names_reach_only_their_managers_and_go_escaped(
    jp_fetch, fake_hub, group
):
    fake_hub.groups[group] = ["vax"]
    fake_hub.users["vex-token"]["scopes"].append(f"groups!group={group}")
    refused = await call_path(jp_fetch, "GET", ("manage", group), token="fjord-token")
    assert check_json_error(refused, 403)["error"] == "not-a-manager"
    assert fake_hub.group_requests == []

    listed = json.loads((await call_path(jp_fetch, "GET", ("manage",))).body)["groups"]
    assert group in listed
    response = await call_path(
        jp_fetch, "POST", ("manage", group, "add"), json.dumps({"names": ["fjord"]})
    )
    assert response.code == 200, response.body
    assert json.loads(response.body)["members"] == ["fjord", "vax"]
    escaped = quote(group, safe="")
    # (the user list is asked beside the group)
    assert [uri for _, uri in fake_hub.group_requests if uri.startswith("/hub/api/groups/")] == [
        f"/hub/api/groups/{escaped}",
        f"/hub/api/groups/{escaped}/users",
    ]


async def call_path(jp_fetch, method, path, body=None, token="vex-token", **kwargs):
    try:
        return await jp_fetch(
            *API, *path, method=method, body=body,
            headers={"Authorization": f"token {token}"}, **kwargs,
        )
    except HTTPClientError as e:
        return e.response


HOSTILE_BODIES = {
    "5001 names": json.dumps({"names": [f"u{i}" for i in range(5001)]}),
    "a number": json.dumps({"names": ["fjord", 7]}),
    "null": json.dumps({"names": [None]}),
    "a list in the list": json.dumps({"names": [["fjord"]]}),
    "an object": json.dumps({"names": [{"name": "fjord"}]}),
    "a name of 256": json.dumps({"names": ["x" * 256]}),
    "names not a list": json.dumps({"names": "fjord"}),
    "no names": json.dumps({"users": ["fjord"]}),
    "a list": json.dumps(["fjord"]),
    "not JSON": "names=fjord",
    "not UTF-8": b"\xff\xfe{",
    "empty": "",
    "huge": json.dumps({"names": ["fjord"], "padding": "x" * (5 * 1024 * 1024)}),
    "deep": "[" * 100_000 + "]" * 100_000,
}


@pytest.mark.parametrize("body", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
@pytest.mark.parametrize("action", ["preview", "add", "remove"])
async def test_hostile_bodies_are_400_json_before_the_hub(jp_fetch, fake_hub, body, action):
    response = await call_path(jp_fetch, "POST", ("manage", "vox", action), body)
    assert check_json_error(response, 400)["error"] == "bad-request"
    assert fake_hub.calls == 0, "refused before even the identity lookup"
    assert fake_hub.group_requests == []


async def test_hostile_user_names_are_reported_and_never_sent(jp_fetch, fake_hub):
    names = ["../admin", "a/b", "fjord\n", "..", "x\u202e", "\u0000", "fjord"]
    response = await call_path(
        jp_fetch, "POST", ("manage", "vox", "add"), json.dumps({"names": names})
    )
    body = json.loads(response.body)
    assert response.code == 200
    # "fjord\n" is "fjord" once trimmed, then folded with it
    assert body["added"] == ["fjord"]
    assert [e["name"] for e in body["errors"]] == ["../admin", "a/b", "..", "x\u202e", "\u0000"]
    assert {e["error"] for e in body["errors"]} == {"invalid"}
    assert fake_hub.group_bodies == [{"users": ["fjord"]}]


@pytest.mark.parametrize("mode, reason", HUB_FAILURES + [("403", "hub-refused")])
@pytest.mark.parametrize("method, rest, body", MANAGE_ROUTES, ids=lambda x: str(x)[:12])
async def test_a_failing_hub_on_the_group_api_gives_json(
    jp_fetch, fake_hub, mode, reason, method, rest, body
):
    """The identity lookup succeeds; the group or user list request fails."""
    fake_hub.group_mode = mode
    path = ("manage", "vox", *[p for p in rest.split("/") if p])
    response = await call_path(jp_fetch, method, path, body, params={"prefix": "f"} if rest else {})
    if mode == "403" and rest == "/users":
        # completion without the right to list users: nothing to complete
        assert response.code == 200 and json.loads(response.body) == {"users": []}
        return
    if mode == "403" and rest == "/preview":
        # the user list refused, the group refused: the group's refusal wins
        pass
    body = check_json_error(response, 403 if mode == "403" else 502)
    assert body["error"] == reason
    assert fake_hub.groups["vox"] == ["vex", "vax"]
