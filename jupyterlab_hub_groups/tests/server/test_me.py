"""The ``hub-groups/api/me`` endpoint against a fake hub (see conftest.py)."""

import asyncio
import json

import pytest
from tornado.httpclient import HTTPClientError

ME = ("hub-groups", "api", "me")


@pytest.fixture
def vex(fake_hub):
    """vex is in project vox and in a course group."""
    fake_hub.users["vex-token"]["groups"] = ["vox", "Class1234_Semester02"]
    return "vex"


async def fetch_me(jp_fetch, token="vex-token", **params):
    try:
        return await jp_fetch(
            *ME, params=params, headers={"Authorization": f"token {token}"}
        )
    except HTTPClientError as e:
        return e.response


async def test_refuses_unauthenticated_requests(jp_fetch, fake_hub, vex):
    with pytest.raises(HTTPClientError) as e:
        await jp_fetch(*ME, headers={"Authorization": ""})
    assert e.value.code == 403
    assert fake_hub.calls == 0


async def test_answers_the_requesting_user_with_fresh_hub_groups(jp_fetch, fake_hub, vex):
    response = await fetch_me(jp_fetch)
    assert response.code == 200
    body = json.loads(response.body)
    assert body["name"] == vex
    assert body["display_name"] == vex
    assert body["groups"] == ["Class1234_Semester02", "vox"]
    assert body["source"] == "hub"
    assert body["fetched_at"]
    assert response.headers["Cache-Control"] == "no-store"
    assert fake_hub.calls == 1


async def test_each_user_gets_their_own_groups(jp_fetch, fake_hub, vex):
    fake_hub.users["fjord-token"]["groups"] = ["mighty"]
    vex_body = json.loads((await fetch_me(jp_fetch)).body)
    fjord_body = json.loads((await fetch_me(jp_fetch, token="fjord-token")).body)
    assert (vex_body["name"], vex_body["groups"]) == ("vex", ["Class1234_Semester02", "vox"])
    assert (fjord_body["name"], fjord_body["groups"]) == ("fjord", ["mighty"])
    assert fake_hub.calls == 2


async def test_short_cache_and_refresh_asks_the_hub_again(jp_fetch, fake_hub, vex):
    await fetch_me(jp_fetch)
    await fetch_me(jp_fetch)
    assert fake_hub.calls == 1, "a second request within the cache time reuses the answer"

    fake_hub.users["vex-token"]["groups"] = ["mighty"]
    response = await fetch_me(jp_fetch, refresh="1")
    assert fake_hub.calls == 2
    assert json.loads(response.body)["groups"] == ["mighty"]


async def test_concurrent_requests_share_one_hub_call(jp_fetch, fake_hub, vex):
    fake_hub.mode = "gate"
    requests = [asyncio.ensure_future(fetch_me(jp_fetch)) for _ in range(5)]
    while fake_hub.calls == 0:
        await asyncio.sleep(0.01)
    fake_hub.mode = "ok"
    fake_hub.release.set()
    responses = await asyncio.gather(*requests)
    assert [r.code for r in responses] == [200] * 5
    assert fake_hub.calls == 1


@pytest.mark.parametrize(
    "mode, status, reason",
    [
        ("500", 502, "hub-error"),
        ("slow", 502, "hub-timeout"),
        ("garbage", 502, "hub-bad-response"),
        ("wrong-shape", 502, "hub-bad-response"),
        ("redirect", 502, "hub-redirect"),
        ("401", 403, "hub-refused"),
        ("403", 403, "hub-refused"),
    ],
)
async def test_hub_failures_give_a_clear_json_error(jp_fetch, fake_hub, vex, mode, status, reason):
    fake_hub.mode = mode
    response = await fetch_me(jp_fetch)
    assert response.code == status
    body = json.loads(response.body)
    assert body["error"] == reason
    assert body["message"] and "Traceback" not in response.body.decode()
    assert "groups" not in body


async def test_hub_down_gives_502(jp_fetch, fake_hub, vex):
    fake_hub.server.stop()
    await fake_hub.server.close_all_connections()
    response = await fetch_me(jp_fetch)
    assert response.code == 502
    assert json.loads(response.body)["error"] == "hub-unreachable"


async def test_a_failure_is_not_cached(jp_fetch, fake_hub, vex):
    fake_hub.mode = "500"
    assert (await fetch_me(jp_fetch)).code == 502
    fake_hub.mode = "ok"
    response = await fetch_me(jp_fetch)
    assert response.code == 200
    assert fake_hub.calls == 2


async def test_a_token_of_someone_else_gives_no_groups(jp_fetch, fake_hub, vex):
    fake_hub.users["vex-token"]["name"] = "someone-else"
    response = await fetch_me(jp_fetch)
    assert response.code == 403
    assert json.loads(response.body)["error"] == "identity-mismatch"
