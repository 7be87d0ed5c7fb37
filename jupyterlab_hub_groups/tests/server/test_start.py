"""The groups joined since this server started (``joined_since_start`` of
``hub-groups/api/me``), against the fake hub of conftest.py: what the
server's own token says at start, compared with the requester's groups now."""

import asyncio
import json

import pytest
from tornado.httpclient import HTTPClientError

from conftest import SERVER_TOKEN
from jupyterlab_hub_groups.server.start import OwnerAtStart

ME = ("hub-groups", "api", "me")


@pytest.fixture
def at_start(request):
    """The owner's hub model as the server's token sees it at start
    (parametrize with ``indirect=True``): vex in vox by default."""
    return getattr(request, "param", {"name": "vex", "groups": ["vox"], "scopes": []})


@pytest.fixture
def jp_server_config(jp_server_config, fake_hub, at_start, monkeypatch):
    # Set before the server starts: it asks once, as it starts.
    if at_start is not None:
        fake_hub.users[SERVER_TOKEN] = at_start
    monkeypatch.setattr(OwnerAtStart, "wait", 0.05)
    return jp_server_config


async def looked_up(jp_web_app) -> OwnerAtStart:
    """The server's lookup of its owner, once it ended."""
    owner = jp_web_app.settings["hub_groups_owner"]
    await asyncio.wait_for(owner.done.wait(), 10)
    return owner


async def me(jp_fetch, token="vex-token"):
    try:
        response = await jp_fetch(*ME, headers={"Authorization": f"token {token}"})
    except HTTPClientError as e:
        response = e.response
    return response.code, json.loads(response.body)


async def test_the_owner_sees_the_groups_joined_since_the_server_started(
    jp_fetch, jp_web_app, fake_hub
):
    owner = await looked_up(jp_web_app)
    assert (owner.name, owner.groups) == ("vex", frozenset({"vox"}))
    assert fake_hub.server_token_calls == 1
    # added to mighty and a course while the server runs
    fake_hub.users["vex-token"]["groups"] = ["vox", "mighty", "Class1234_Semester02"]
    code, body = await me(jp_fetch)
    assert code == 200
    assert body["groups"] == ["Class1234_Semester02", "mighty", "vox"]
    assert body["joined_since_start"] == ["Class1234_Semester02", "mighty"]
    # asked once, at start, not at each request
    assert fake_hub.server_token_calls == 1


async def test_nothing_joined_nothing_said_nor_for_a_group_left(jp_fetch, jp_web_app, fake_hub):
    await looked_up(jp_web_app)
    fake_hub.users["vex-token"]["groups"] = ["vox"]
    assert (await me(jp_fetch))[1]["joined_since_start"] == []
    fake_hub.users["vex-token"]["groups"] = []
    _, body = await me(jp_fetch, token="vex-token")
    assert body["joined_since_start"] == []


async def test_a_visitor_is_told_nothing_about_their_own_server(jp_fetch, jp_web_app, fake_hub):
    """On someone else's server (a shared one), what a visitor's own server
    got at its start is not known here."""
    await looked_up(jp_web_app)
    fake_hub.users["fjord-token"]["groups"] = ["mighty", "newly-joined"]
    code, body = await me(jp_fetch, token="fjord-token")
    assert code == 200
    assert body["joined_since_start"] == []


@pytest.mark.parametrize(
    "at_start",
    [None, {"name": "vex", "groups": "vox"}],
    ids=["token refused", "garbled answer"],
    indirect=True,
)
async def test_unknown_at_start_says_nothing_and_asks_once(jp_fetch, jp_web_app, fake_hub):
    owner = await looked_up(jp_web_app)
    assert owner.groups is None
    fake_hub.users["vex-token"]["groups"] = ["vox", "mighty"]
    code, body = await me(jp_fetch)
    assert code == 200
    assert body["groups"] == ["mighty", "vox"]
    assert body["joined_since_start"] == []
    assert fake_hub.server_token_calls == 1


@pytest.mark.parametrize("mode", ["500", "slow"])
async def test_a_hub_failing_at_start_is_asked_again(jp_fetch, jp_web_app, fake_hub, mode):
    fake_hub.mode = mode
    owner = jp_web_app.settings["hub_groups_owner"]
    # the first try fails (a slow hub: after hub_timeout, 1 s here) ...
    while fake_hub.server_token_calls < 1:
        await asyncio.sleep(0.01)
    fake_hub.mode = "ok"
    # ... a later one is answered
    await looked_up(jp_web_app)
    assert owner.groups == frozenset({"vox"})
    assert fake_hub.server_token_calls == 2
    fake_hub.users["vex-token"]["groups"] = ["vox", "mighty"]
    assert (await me(jp_fetch))[1]["joined_since_start"] == ["mighty"]


async def test_a_hub_down_at_start_is_asked_a_few_times_then_given_up(jp_web_app, fake_hub):
    fake_hub.mode = "500"
    owner = await looked_up(jp_web_app)
    assert owner.groups is None
    assert fake_hub.server_token_calls == OwnerAtStart.tries
