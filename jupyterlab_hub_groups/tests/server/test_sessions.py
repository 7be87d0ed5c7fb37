"""Sessions as JupyterHub authenticates them, and cutting off removed members.

The server under test runs JupyterHub's own single-user identity provider
(``JupyterHubIdentityProvider`` with a ``HubOAuth``, see
``hub_oauth_server_config`` in conftest.py) against the fake hub: a request
is authenticated by the token in its header (or URL) when the hub knows it,
else by the token in its OAuth cookie, and HubAuth trusts an answer for
300 s. The access re-checks (:mod:`jupyterlab_hub_groups.server.revalidate`) must
cut off a removed member whichever way they came in, including websockets
still in their handshake.
"""

import asyncio
import json
import logging
from types import SimpleNamespace

import pytest
from jupyter_server.auth.decorator import ws_authenticated
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.base.websocket import WebSocketMixin
from jupyter_server.utils import url_path_join
from tornado.httpclient import HTTPClientError
from tornado.websocket import WebSocketHandler

from conftest import hub_cookie, user_model
from jupyterlab_hub_groups.server.revalidate import CLOSE_REVOKED, AccessRevalidator

PRESENCE = ("hub-groups", "api", "presence")


@pytest.fixture
def jp_server_config(hub_oauth_server_config, fake_hub):
    """vex has a token of their own, a browser cookie and a laptop session."""
    for token in ("vex-cookie", "vex-laptop"):
        fake_hub.users[token] = user_model("vex")
    for model in fake_hub.users.values():
        model["groups"] = ["vox"] if model["name"] == "vex" else ["mighty"]
    hub_oauth_server_config["HubGroupsConfig"].update(presence_groups=["vox"])
    return hub_oauth_server_config


@pytest.fixture
def revalidator(jp_web_app):
    """Re-checks of this server's visitors, run by the tests themselves."""
    return AccessRevalidator(
        jp_web_app.settings["hub_groups_visitors"], 3600, logging.getLogger("test")
    )


@pytest.fixture
def visitors(jp_web_app):
    return jp_web_app.settings["hub_groups_visitors"]


def lose_access(fake_hub, name):
    """What the hub answers once ``name`` left the project: no access scope."""
    for model in fake_hub.users.values():
        if model["name"] == name:
            model["scopes"] = []


async def status_code(jp_fetch, headers, *path, **kwargs):
    headers.setdefault("Authorization", "")
    try:
        return (await jp_fetch(*(path or ("api", "status")), headers=headers, **kwargs)).code
    except HTTPClientError as e:
        return e.code


def token(name):
    return {"Authorization": f"token {name}"}


async def test_a_cookie_session_behind_a_bad_header_token_is_cut_off(
    jp_fetch, jp_web_app, fake_hub, revalidator
):
    # The header's token is not the hub's: JupyterHub authenticates by cookie.
    headers = {"Cookie": hub_cookie(jp_web_app, "vex-cookie"), **token("made-up")}
    assert await status_code(jp_fetch, dict(headers)) == 200
    lose_access(fake_hub, "vex")
    await revalidator.revalidate()
    assert await status_code(jp_fetch, dict(headers)) == 403
    assert await status_code(jp_fetch, {"Cookie": headers["Cookie"]}) == 403


async def test_every_cached_session_of_a_removed_user_is_dropped(
    jp_fetch, fake_hub, visitors, revalidator
):
    assert await status_code(jp_fetch, token("vex-laptop")) == 200
    # The laptop's visit is no longer in the log, but HubAuth still trusts it.
    for key, visitor in list(visitors.visitors.items()):
        visitors.visitors.pop(key)
    assert await status_code(jp_fetch, token("vex-token")) == 200
    lose_access(fake_hub, "vex")
    await revalidator.revalidate()
    assert await status_code(jp_fetch, token("vex-laptop")) == 403
    assert await status_code(jp_fetch, token("vex-token")) == 403


async def test_an_invalid_token_drops_that_sessions_records_only(
    jp_fetch, fake_hub, visitors, revalidator
):
    assert await status_code(jp_fetch, token("vex-token")) == 200
    assert await status_code(jp_fetch, token("vex-laptop")) == 200
    del fake_hub.users["vex-laptop"]  # logged out there
    await revalidator.revalidate()
    assert await status_code(jp_fetch, token("vex-laptop")) == 403
    assert await status_code(jp_fetch, token("vex-token")) == 200
    assert [v.name for v in visitors.visitors.values()] == ["vex"]


async def test_a_hub_failure_cuts_off_nobody(jp_fetch, fake_hub, visitors, revalidator):
    assert await status_code(jp_fetch, token("vex-token")) == 200
    fake_hub.mode = "500"
    await revalidator.revalidate()
    assert [v.name for v in visitors.visitors.values()] == ["vex"]
    assert await status_code(jp_fetch, token("vex-token")) == 200


async def test_cookie_posts_need_the_xsrf_token(jp_fetch, jp_web_app):
    """JupyterLab's ServerConnection sends the XSRF header with a cookie
    session; a forged cross-site form post has none and changes nothing."""
    cookie = {"Cookie": hub_cookie(jp_web_app, "vex-cookie")}
    body = json.dumps({"current": "forged.ipynb"})
    assert await status_code(jp_fetch, dict(cookie), *PRESENCE, method="POST", body=body) == 403
    response = await jp_fetch(*PRESENCE, headers={**cookie, "Authorization": ""})
    assert all(p["current"] is None for p in json.loads(response.body)["people"])
    # A token-authenticated call needs none.
    code = await status_code(jp_fetch, token("vex-token"), *PRESENCE, method="POST", body=body)
    assert code == 200


# --- websockets ---------------------------------------------------------------


class HeldSocket(WebSocketMixin, WebSocketHandler, JupyterHandler):
    """A websocket whose handshake waits for the test, as a kernel's waits
    for its kernel; it greets on open and records what it is sent."""

    def initialize(self, state):
        self.state = state

    @ws_authenticated
    async def get(self, *args, **kwargs):
        self.state.arrived.set()
        await self.state.gate.wait()
        return await super().get(*args, **kwargs)

    def open(self, *args, **kwargs):
        super().open(*args, **kwargs)
        self.state.opened.append(self)
        self.write_message("welcome")

    def on_message(self, message):
        self.state.received.append(message)
        self.state.message.set()

    def on_close(self):
        self.state.closed.set()


@pytest.fixture
def held(jp_web_app, jp_base_url):
    state = SimpleNamespace(
        arrived=asyncio.Event(),
        gate=asyncio.Event(),
        message=asyncio.Event(),
        closed=asyncio.Event(),
        opened=[],
        received=[],
    )
    route = url_path_join(jp_base_url, "held-socket")
    jp_web_app.add_handlers(".*$", [(route, HeldSocket, {"state": state})])
    return state


async def test_a_websocket_in_its_handshake_is_closed_once_it_opens(
    jp_ws_fetch, fake_hub, held, revalidator
):
    connecting = asyncio.ensure_future(jp_ws_fetch("held-socket", headers=token("vex-token")))
    await held.arrived.wait()
    lose_access(fake_hub, "vex")
    await revalidator.revalidate()
    held.gate.set()
    ws = await connecting
    assert await ws.read_message() is None, "the socket said welcome: it was opened"
    assert ws.close_code == CLOSE_REVOKED
    assert held.opened == []


async def test_an_open_websocket_is_closed_and_nothing_more_it_sends_is_handled(
    jp_ws_fetch, fake_hub, held, revalidator
):
    held.gate.set()
    ws = await jp_ws_fetch("held-socket", headers=token("vex-token"))
    assert await ws.read_message() == "welcome"
    ws.write_message("before")
    lose_access(fake_hub, "vex")
    await revalidator.revalidate()
    # A client may ignore the close frame and keep sending for a while.
    ws.write_message("after")
    assert await ws.read_message() is None
    assert ws.close_code == CLOSE_REVOKED
    await held.closed.wait()  # the server has read all the client sent
    assert held.received == ["before"]


async def test_a_removed_users_other_websockets_are_closed_too(
    jp_ws_fetch, jp_web_app, fake_hub, held, revalidator
):
    held.gate.set()
    laptop = await jp_ws_fetch("held-socket", headers=token("vex-laptop"))
    browser = await jp_ws_fetch(
        "held-socket", headers={"Cookie": hub_cookie(jp_web_app, "vex-cookie"), "Authorization": ""}
    )
    fjord = await jp_ws_fetch("held-socket", headers=token("fjord-token"))
    for ws in (laptop, browser, fjord):
        assert await ws.read_message() == "welcome"
    lose_access(fake_hub, "vex")
    await revalidator.revalidate()
    for ws in (laptop, browser):
        assert await ws.read_message() is None
        assert ws.close_code == CLOSE_REVOKED
    fjord.write_message("still here")
    await held.message.wait()
    assert held.received == ["still here"]
    fjord.close()


# --- JupyterHub's own check failing ---------------------------------------------


@pytest.mark.parametrize(
    "mode, reason",
    [
        ("500", "hub-error"),
        ("garbage", "hub-bad-response"),
        ("wrong-shape", "hub-bad-response"),
        ("redirect", "hub-unreachable"),
        ("down", "hub-unreachable"),
    ],
)
@pytest.mark.parametrize("endpoint", ["me", "presence", "collaborations"])
async def test_a_failing_hub_before_our_handler_gives_502_json(
    jp_fetch, fake_hub, endpoint, mode, reason
):
    """A session HubAuth has no cached answer for (its first request, or
    every 300 s): JupyterHub's own check fails first."""
    if mode == "down":
        fake_hub.server.stop()
        await fake_hub.server.close_all_connections()
    else:
        fake_hub.mode = mode
    try:
        response = await jp_fetch("hub-groups", "api", endpoint, headers=token("vex-token"))
    except HTTPClientError as e:
        response = e.response
    assert response.code == 502, response.body
    body = json.loads(response.body)
    assert body["error"] == reason and body["message"]
    assert fake_hub.url not in response.body.decode(), "no internal address"


async def test_the_servers_owner_is_never_rechecked(jp_fetch, fake_hub, revalidator):
    """On one's own server (re-checked when one may share it) only the
    people it is shared with are asked about: the owner costs no hub
    request and keeps their sessions."""
    assert await status_code(jp_fetch, token("vex-token")) == 200
    revalidator.owner = "vex"
    lose_access(fake_hub, "vex")
    asked = fake_hub.calls
    await revalidator.revalidate()
    assert fake_hub.calls == asked, "no GET /hub/api/user for the owner"
    assert await status_code(jp_fetch, token("vex-token")) == 200
