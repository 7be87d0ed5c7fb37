"""The ``hub-groups/api/me`` endpoint against a fake hub (see conftest.py):
who the requester is, and how fresh (``cache_seconds``, ``max_age``, ``refresh``)."""

import asyncio
import json

import pytest
from tornado.httpclient import HTTPClientError

from jupyterlab_hub_groups import contract

ME = ("hub-groups", "api", "me")


@pytest.fixture
def spawn_env(request):
    """The hub's ``HUB_GROUPS_SPAWN_PROBLEMS`` for the server under test
    (parametrize with ``indirect=True``); unset by default."""
    return getattr(request, "param", None)


@pytest.fixture
def jp_server_config(jp_server_config, spawn_env, monkeypatch):
    # Set before the server starts: the extension reads it once, at start.
    if spawn_env is None:
        monkeypatch.delenv(contract.SPAWN_PROBLEMS_ENV, raising=False)
    else:
        monkeypatch.setenv(contract.SPAWN_PROBLEMS_ENV, spawn_env)
    return jp_server_config


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
    assert body["spawn_problems"] == []
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


# --- spawn_problems: what the hub found wrong with this server's start ------------

REPLACED = "The hub's pre_spawn_hook was replaced after configure_hub: courses get no kernels."


@pytest.mark.parametrize(
    "spawn_env, problems",
    [
        (json.dumps([REPLACED, "<img src=x onerror=alert(1)>"]),
         [REPLACED, "<img src=x onerror=alert(1)>"]),
        ("[]", []),
        ("", []),
        ("not json", [contract.UNREADABLE_SPAWN_PROBLEMS]),
        ('{"problems": []}', [contract.UNREADABLE_SPAWN_PROBLEMS]),
        ('["ok", 7]', [contract.UNREADABLE_SPAWN_PROBLEMS]),
    ],
    indirect=["spawn_env"],
)
async def test_the_answer_carries_the_hubs_spawn_problems(jp_fetch, fake_hub, vex, problems):
    body = json.loads((await fetch_me(jp_fetch)).body)
    assert body["spawn_problems"] == problems
    assert body["groups"] == ["Class1234_Semester02", "vox"]


@pytest.mark.parametrize("spawn_env", [json.dumps([REPLACED])], indirect=True)
async def test_every_requester_sees_this_servers_spawn_problems(jp_fetch, fake_hub, vex):
    """They are about the server, not the requester: a visitor of a shared
    server sees the same (and a hub failure answers no problems at all)."""
    for token in ("vex-token", "fjord-token"):
        assert json.loads((await fetch_me(jp_fetch, token=token)).body)["spawn_problems"] == [REPLACED]
    fake_hub.mode = "500"
    assert "spawn_problems" not in json.loads((await fetch_me(jp_fetch, refresh="1")).body)


# --- hub_groups_service: whether the page may call the hub's service --------------


@pytest.mark.parametrize(
    "scopes, answer",
    [
        # what the hub helper gives one's own server's page token where a
        # course takes requests
        (["access:servers!server=vex/", contract.SERVICE_ACCESS_SCOPE], True),
        (["access:services"], True),
        # a hub without the service, a server started before it took requests
        (["access:servers!server=vex/"], False),
        (["access:services!service=other", "read:users:groups!user=vex"], False),
        ([], False),
    ],
)
async def test_the_answer_says_whether_the_token_may_call_the_hub_groups_service(
    jp_fetch, fake_hub, vex, scopes, answer
):
    fake_hub.users["vex-token"]["scopes"] = scopes
    body = json.loads((await fetch_me(jp_fetch)).body)
    assert body["hub_groups_service"] is answer
    # the scopes themselves stay on the server
    assert "scopes" not in body
    assert body["groups"] == ["Class1234_Semester02", "vox"]


async def test_each_token_is_answered_for_itself(jp_fetch, fake_hub, vex):
    fake_hub.users["vex-token"]["scopes"] = [contract.SERVICE_ACCESS_SCOPE]
    assert json.loads((await fetch_me(jp_fetch)).body)["hub_groups_service"] is True
    body = json.loads((await fetch_me(jp_fetch, token="fjord-token")).body)
    assert body["hub_groups_service"] is False


# --- max_age: how old an answer the client accepts ----------------------------


@pytest.fixture
def clock(monkeypatch):
    """The lookup's clock, set by the test (seconds, monotonic)."""
    from jupyterlab_hub_groups.server import identity

    now = [1000.0]
    monkeypatch.setattr(identity, "monotonic", lambda: now[0])
    return now


async def test_max_age_reuses_an_answer_young_enough_and_asks_the_hub_otherwise(
    jp_fetch, fake_hub, vex, clock
):
    assert (await fetch_me(jp_fetch)).code == 200
    assert fake_hub.calls == 1
    clock[0] += 2  # the answer is 2 s old
    fake_hub.users["vex-token"]["groups"] = ["mighty"]

    response = await fetch_me(jp_fetch, max_age="5")
    assert fake_hub.calls == 1, "2 s old is young enough for max_age=5"
    assert json.loads(response.body)["groups"] == ["Class1234_Semester02", "vox"]

    response = await fetch_me(jp_fetch, max_age="1")
    assert fake_hub.calls == 2, "2 s old is too old for max_age=1"
    assert json.loads(response.body)["groups"] == ["mighty"]

    # the fresh answer is reused as before, by default too
    await fetch_me(jp_fetch, max_age="1")
    await fetch_me(jp_fetch)
    assert fake_hub.calls == 2


async def test_max_age_0_and_refresh_ask_the_hub_now(jp_fetch, fake_hub, vex, clock):
    await fetch_me(jp_fetch)
    await fetch_me(jp_fetch, max_age="0")
    assert fake_hub.calls == 2, "even an answer of this instant"
    await fetch_me(jp_fetch, refresh="1", max_age="5")
    assert fake_hub.calls == 3, "refresh=1 means max_age=0"


async def test_max_age_never_stretches_the_cache(jp_fetch, fake_hub, vex, clock):
    """An answer is kept cache_seconds (5 here) at most: a membership change
    shows within that, whatever a client asks for."""
    await fetch_me(jp_fetch)
    clock[0] += 6
    await fetch_me(jp_fetch, max_age="3600")
    assert fake_hub.calls == 2


async def test_without_max_age_an_answer_lives_cache_seconds(jp_fetch, fake_hub, vex, clock):
    await fetch_me(jp_fetch)
    clock[0] += 4.5
    await fetch_me(jp_fetch)
    assert fake_hub.calls == 1
    clock[0] += 1  # 5.5 s old
    await fetch_me(jp_fetch)
    assert fake_hub.calls == 2


async def test_concurrent_max_age_0_requests_share_one_hub_request(
    jp_fetch, jp_web_app, fake_hub, vex
):
    """The hub holds its answer (gate) until both requests are waiting on
    the lookup; the second joins the first's request instead of making one."""
    fake_hub.mode = "gate"
    lookup = jp_web_app.settings["hub_groups_lookup"]
    original = lookup.lookup
    entered = []
    both_waiting = asyncio.Event()

    async def counting(token, max_age=None):
        entered.append(max_age)
        if len(entered) == 2:
            both_waiting.set()
        # runs up to its first real wait (the shared request) before the
        # test's task resumes
        return await original(token, max_age)

    lookup.lookup = counting
    requests = [asyncio.ensure_future(fetch_me(jp_fetch, max_age="0")) for _ in range(2)]
    await both_waiting.wait()
    fake_hub.mode = "ok"
    fake_hub.release.set()
    responses = await asyncio.gather(*requests)
    assert [r.code for r in responses] == [200, 200]
    assert entered == [0.0, 0.0]
    assert fake_hub.calls == 1


@pytest.mark.parametrize("value", ["", "abc", "-1", "nan", "inf", "-inf", "1e999", "1s", "0x10"])
async def test_a_bad_max_age_is_a_400(jp_fetch, fake_hub, vex, value):
    response = await fetch_me(jp_fetch, max_age=value)
    assert response.code == 400
    body = json.loads(response.body)
    assert body["error"] == "bad-request" and "max_age" in body["message"]
    assert fake_hub.calls == 0


@pytest.mark.parametrize(
    "max_age, refresh, seconds",
    [
        (None, None, None),
        ("0", None, 0.0),
        ("2.5", None, 2.5),
        ("30", "", 30.0),
        (None, "1", 0.0),
        ("5", "true", 0.0),
        (None, "false", None),
        (None, "0", None),
    ],
)
def test_parse_max_age(max_age, refresh, seconds):
    from jupyterlab_hub_groups.server.handlers.me import parse_max_age

    assert parse_max_age(max_age, refresh) == seconds
