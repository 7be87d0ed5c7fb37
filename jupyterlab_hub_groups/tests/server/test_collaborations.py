"""``hub-groups/api/collaborations``: the requester's projects' shared
servers, and starting and stopping one (fake hub, see conftest.py)."""

import asyncio
import json

import pytest
from tornado.httpclient import HTTPClientError

API = ("hub-groups", "api", "collaborations")


@pytest.fixture(autouse=True)
def world(fake_hub, jp_server_config, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "vex")
    fake_hub.users["vex-token"]["groups"] = ["vox", "Class1234_Semester02"]
    fake_hub.users["fjord-token"]["groups"] = ["mighty"]
    fake_hub.accounts = {
        "vox-collab": {"name": "vox-collab", "servers": {"": {"ready": True, "pending": None}}},
        "mighty-collab": {"name": "mighty-collab", "servers": {}},
    }


async def call(jp_fetch, token, *path, method="GET"):
    try:
        return await jp_fetch(
            *API,
            *path,
            method=method,
            body=b"" if method == "POST" else None,
            headers={"Authorization": f"token {token}"},
        )
    except HTTPClientError as e:
        return e.response


async def test_lists_the_requesters_projects_only(jp_fetch):
    body = json.loads((await call(jp_fetch, "vex-token")).body)
    # the course group has no "-collab" account: no card
    assert body["collaborations"] == [
        {"group": "vox", "account": "vox-collab", "status": "running"}
    ]
    assert body["degraded"] is None
    body = json.loads((await call(jp_fetch, "fjord-token")).body)
    assert body["collaborations"] == [
        {"group": "mighty", "account": "mighty-collab", "status": "stopped"}
    ]


async def test_no_card_for_the_server_one_is_on(jp_fetch, jp_web_app):
    jp_web_app.settings["hub_groups_config"].server_owner = "vox-collab"
    body = json.loads((await call(jp_fetch, "vex-token")).body)
    assert body["collaborations"] == []


async def test_degrades_when_the_server_token_may_not_look(jp_fetch, fake_hub):
    fake_hub.account_mode = "403"
    body = json.loads((await call(jp_fetch, "vex-token")).body)
    assert {c["status"] for c in body["collaborations"]} == {"unknown"}
    assert body["degraded"]["code"] == "server-token-scopes"
    assert "server_token_scopes" in body["degraded"]["message"]


async def test_members_stop_with_the_servers_own_token(jp_fetch, fake_hub):
    response = await call(jp_fetch, "vex-token", "vox-collab", "stop", method="POST")
    assert response.code == 200
    assert json.loads(response.body)["status"] == "stopped"
    assert fake_hub.stopped == [("vox-collab", "unused")], "this server's token, not vex's"


async def test_non_members_cannot_stop(jp_fetch, fake_hub):
    response = await call(jp_fetch, "fjord-token", "vox-collab", "stop", method="POST")
    assert response.code == 403
    assert json.loads(response.body)["error"] == "not-a-member"
    assert fake_hub.stopped == []


@pytest.mark.parametrize("answer, status", [(202, "starting"), (201, "running")])
async def test_members_start_with_the_servers_own_token(jp_fetch, fake_hub, answer, status):
    """Started here, not on the hub's spawn page: the page follows the state."""
    fake_hub.users["vex-token"]["groups"] = ["mighty"]
    fake_hub.start_answer = answer
    response = await call(jp_fetch, "vex-token", "mighty-collab", "start", method="POST")
    assert response.code == 200
    assert json.loads(response.body) == {"account": "mighty-collab", "status": status}
    assert fake_hub.started == [("mighty-collab", "unused")], "this server's token, not vex's"


async def test_starting_a_running_server_says_it_runs(jp_fetch, fake_hub):
    # JupyterHub answers 400 in English; its model says it in a word
    response = await call(jp_fetch, "vex-token", "vox-collab", "start", method="POST")
    assert response.code == 200
    assert json.loads(response.body)["status"] == "running"
    fake_hub.accounts["vox-collab"]["servers"][""] = {"ready": False, "pending": "stop"}
    response = await call(jp_fetch, "vex-token", "vox-collab", "start", method="POST")
    assert json.loads(response.body)["status"] == "stopping"
    assert fake_hub.started == []


async def test_a_start_the_hub_answers_late_is_starting(jp_fetch, fake_hub):
    """JupyterHub holds a start's answer until the spawn is over or
    slow_spawn_timeout (10 s) has passed: often longer than hub_timeout."""
    fake_hub.users["vex-token"]["groups"] = ["mighty"]
    fake_hub.account_modes["mighty-collab"] = "slow"
    response = await call(jp_fetch, "vex-token", "mighty-collab", "start", method="POST")
    assert response.code == 200
    assert json.loads(response.body)["status"] == "starting"


@pytest.mark.parametrize("mode, reason", [("500", "hub-error"), ("redirect", "hub-redirect")])
async def test_a_failing_hub_gives_502_json_on_start(jp_fetch, fake_hub, mode, reason):
    fake_hub.users["vex-token"]["groups"] = ["mighty"]
    fake_hub.account_modes["mighty-collab"] = mode
    response = await call(jp_fetch, "vex-token", "mighty-collab", "start", method="POST")
    assert response.code == 502
    assert json.loads(response.body)["error"] == reason
    assert fake_hub.started == []


async def test_non_members_cannot_start(jp_fetch, fake_hub):
    response = await call(jp_fetch, "fjord-token", "vox-collab", "start", method="POST")
    assert response.code == 403
    assert json.loads(response.body)["error"] == "not-a-member"
    assert fake_hub.started == [] and fake_hub.account_paths == []


async def test_a_server_token_without_start_is_refused_and_says_so(jp_fetch, fake_hub):
    """A server spawned before its token could start shared servers."""
    fake_hub.account_mode = "403"
    response = await call(jp_fetch, "vex-token", "vox-collab", "start", method="POST")
    assert response.code == 403
    body = json.loads(response.body)
    assert body["error"] == "hub-refused" and "start" in body["message"]


async def test_other_actions_are_refused(jp_fetch, fake_hub):
    response = await call(jp_fetch, "vex-token", "vox-collab", "restart", method="POST")
    assert response.code == 404
    assert json.loads(response.body)["error"] == "unknown-action"
    assert fake_hub.account_paths == []


async def test_refuses_unauthenticated_requests(jp_fetch):
    with pytest.raises(HTTPClientError) as e:
        await jp_fetch(*API, headers={"Authorization": ""})
    assert e.value.code == 403


async def test_groups_without_an_account_are_not_asked_again(jp_fetch, fake_hub):
    asked = []
    original = fake_hub.accounts

    class Recording(dict):
        def __contains__(self, name):
            asked.append(name)
            return dict.__contains__(self, name)

    fake_hub.accounts = Recording(original)
    await call(jp_fetch, "vex-token")
    await call(jp_fetch, "vex-token")
    assert asked.count("Class1234_Semester02-collab") == 1
    assert asked.count("vox-collab") == 2


@pytest.mark.parametrize(
    "mode, reason",
    [
        ("slow", "hub-timeout"),
        ("500", "hub-error"),
        ("garbage", "hub-bad-response"),
        ("redirect", "hub-redirect"),
    ],
)
async def test_a_failing_hub_gives_502_json_on_stop(jp_fetch, fake_hub, mode, reason):
    fake_hub.account_modes["vox-collab"] = mode
    response = await call(jp_fetch, "vex-token", "vox-collab", "stop", method="POST")
    assert response.code == 502
    body = json.loads(response.body)
    assert body["error"] == reason and body["message"]
    assert fake_hub.stopped == []


@pytest.mark.parametrize("mode", ["slow", "500", "garbage", "wrong-shape", "redirect"])
async def test_one_failing_account_degrades_its_card_only(jp_fetch, fake_hub, mode):
    fake_hub.users["vex-token"]["groups"] = ["vox", "mighty"]
    fake_hub.account_modes["vox-collab"] = mode
    response = await call(jp_fetch, "vex-token")
    assert response.code == 200
    body = json.loads(response.body)
    statuses = {c["account"]: c["status"] for c in body["collaborations"]}
    assert statuses["vox-collab"] == "unknown"
    assert body["degraded"]["code"].startswith("hub-"), "a code the page words"
    assert body["degraded"]["message"]
    if mode != "slow":
        # once the hub timed out, the others are not made to wait as well
        assert statuses["mighty-collab"] == "stopped"


async def test_every_hub_call_goes_through_the_one_client(jp_fetch, jp_web_app, fake_hub):
    """Identity lookups and collaboration calls share one hub client: same
    SSL options, timeout and no redirects (HubAuth's single _api_request)."""
    client = jp_web_app.settings["hub_groups_client"]
    seen = []
    fetch = client._fetch

    async def recording(request, **kwargs):
        seen.append(request)
        return await fetch(request, **kwargs)

    client._fetch = recording
    await call(jp_fetch, "vex-token")
    await call(jp_fetch, "vex-token", "vox-collab", "stop", method="POST")
    assert {r.url.rpartition("/api/")[2] for r in seen} == {
        "user",
        "users/vox-collab",
        "users/Class1234_Semester02-collab",
        "users/vox-collab/server",
    }
    assert all(r.follow_redirects is False and r.request_timeout == 1.0 for r in seen)
    assert all(r.ssl_options is client.ssl_options for r in seen)


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
async def test_the_stop_route_serves_post_only(jp_fetch, fake_hub, method):
    """Each route answers its own methods: GET on a stop URL is a 405 JSON
    error, not the list (nor a 500), and stops nothing."""
    try:
        response = await jp_fetch(
            *API, "vox-collab", "stop", method=method,
            body=None if method in ("GET", "DELETE") else b"",
            headers={"Authorization": "token vex-token"},
        )
    except HTTPClientError as e:
        response = e.response
    assert response.code == 405
    assert json.loads(response.body)["message"]
    assert fake_hub.stopped == [] and fake_hub.account_paths == []


async def test_many_projects_are_looked_up_a_few_at_a_time(jp_fetch, fake_hub):
    """A user in many groups: the hub is asked about several accounts at
    once (at most CONCURRENT_LOOKUPS), and the cards keep the groups' order."""
    from jupyterlab_hub_groups.server.projects import CONCURRENT_LOOKUPS

    limit = CONCURRENT_LOOKUPS
    groups = [f"p{i:02d}" for i in range(3 * limit)]
    fake_hub.users["vex-token"]["groups"] = groups
    fake_hub.accounts = {f"{g}-collab": {"name": f"{g}-collab", "servers": {}} for g in groups}
    fake_hub.account_mode = "gate"
    listing = asyncio.ensure_future(call(jp_fetch, "vex-token"))
    for _ in range(200):
        if len(fake_hub.account_paths) >= limit:
            break
        await asyncio.sleep(0.01)
    # Held by the hub: as many in flight as allowed, and no more.
    assert len(fake_hub.account_paths) == limit
    fake_hub.release.set()
    response = await listing
    assert response.code == 200
    body = json.loads(response.body)
    assert [c["group"] for c in body["collaborations"]] == groups
    assert {c["status"] for c in body["collaborations"]} == {"stopped"}


async def test_a_lookup_ending_after_a_failure_keeps_the_degraded_note(jp_fetch, fake_hub):
    """Lookups run side by side and end in any order: mighty's good answer,
    arriving after vox's failure, must not clear what the failure said."""
    fake_hub.users["vex-token"]["groups"] = ["vox", "mighty"]
    fake_hub.account_modes["vox-collab"] = "garbage"
    fake_hub.account_modes["mighty-collab"] = "gate"
    listing = asyncio.ensure_future(call(jp_fetch, "vex-token"))
    for _ in range(200):
        if len(fake_hub.account_paths) >= 2:
            break
        await asyncio.sleep(0.01)
    assert len(fake_hub.account_paths) == 2
    # vox's garbage is answered at once; mighty's only now
    await asyncio.sleep(0.05)
    fake_hub.release.set()
    body = json.loads((await listing).body)
    statuses = {c["account"]: c["status"] for c in body["collaborations"]}
    assert statuses == {"vox-collab": "unknown", "mighty-collab": "stopped"}
    assert body["degraded"]["code"] == "hub-bad-response"
