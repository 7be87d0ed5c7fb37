"""Fixtures for the server extension's tests.

The Jupyter server under test authenticates with its own token, as in the
template, but its identity provider also carries a ``hub_auth`` (a real
``jupyterhub.services.auth.HubAuth``) pointing at a small fake hub, the way
JupyterHub's own identity provider does on a single-user server. The fake
hub's behaviour (ok, 500, slow, garbage, 401) is set per test.
"""

import asyncio
import json
import socket

import pytest
import tornado.httpserver
import tornado.web
from jupyter_server.auth.identity import IdentityProvider, User
from jupyterhub.services.auth import HubAuth
from traitlets import Unicode

pytest_plugins = ("pytest_jupyter.jupyter_server",)


class FakeHub:
    """A hub API with one endpoint, ``GET /hub/api/user``, under test control."""

    def __init__(self):
        self.mode = "ok"
        self.users = {}  # token -> user model
        self.calls = 0
        self.release = asyncio.Event()
        # Other users' models, as this server's own token sees them.
        self.accounts = {}
        self.account_mode = "ok"  # or "403": the server token may not look
        self.stopped = []  # (account, token) of every stop

    def make_app(self):
        hub = self

        class UserHandler(tornado.web.RequestHandler):
            async def get(self):
                hub.calls += 1
                token = self.request.headers.get("Authorization", "").partition(" ")[2]
                if hub.mode == "slow":
                    # Held until the test releases it (or the client times out).
                    await hub.release.wait()
                if hub.mode == "gate":
                    await hub.release.wait()
                if hub.mode == "500":
                    raise tornado.web.HTTPError(500)
                if hub.mode == "garbage":
                    self.finish("<html>not json</html>")
                    return
                if hub.mode == "wrong-shape":
                    self.finish(json.dumps({"name": "vex", "groups": "vox"}))
                    return
                if hub.mode in ("401", "403") or token not in hub.users:
                    self.set_status(403 if hub.mode == "403" else 401)
                    self.finish(json.dumps({"error": "invalid token"}))
                    return
                self.finish(json.dumps(hub.users[token]))

        class AccountHandler(tornado.web.RequestHandler):
            def get(self, name):
                if hub.account_mode == "403":
                    raise tornado.web.HTTPError(403)
                if name not in hub.accounts:
                    raise tornado.web.HTTPError(404)
                self.finish(json.dumps(hub.accounts[name]))

        class AccountServerHandler(tornado.web.RequestHandler):
            def delete(self, name):
                if hub.account_mode == "403" or name not in hub.accounts:
                    raise tornado.web.HTTPError(403)
                token = self.request.headers.get("Authorization", "").partition(" ")[2]
                hub.stopped.append((name, token))
                hub.accounts[name]["servers"] = {}
                self.set_status(204)

        return tornado.web.Application(
            [
                (r"/hub/api/user", UserHandler),
                (r"/hub/api/users/([^/]+)", AccountHandler),
                (r"/hub/api/users/([^/]+)/server", AccountServerHandler),
            ]
        )


@pytest.fixture
def fake_hub():
    hub = FakeHub()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.setblocking(False)
    server = tornado.httpserver.HTTPServer(hub.make_app())
    server.add_sockets([sock])
    hub.server = server
    hub.url = f"http://127.0.0.1:{sock.getsockname()[1]}/hub/api"
    yield hub
    hub.release.set()
    server.stop()


#: The hub users the tests act as, by token.
TOKENS = {"vex-token": "vex", "fjord-token": "fjord"}


class HubIdentityProvider(IdentityProvider):
    """Token identities as the hub would give them, plus the ``hub_auth``
    that JupyterHub's own identity provider has on a single-user server."""

    hub_api_url = Unicode(config=True)

    def get_user(self, handler):
        token = self.hub_auth.get_token(handler, in_cookie=False)
        name = TOKENS.get(token)
        if not name:
            return None
        # A token in the header: no XSRF check, as for any API token.
        handler._token_authenticated = True
        return User(username=name)

    @property
    def hub_auth(self):
        if not hasattr(self, "_hub_auth"):
            self._hub_auth = HubAuth(
                api_url=self.hub_api_url, api_token="unused", hub_prefix="/hub/"
            )
        return self._hub_auth


@pytest.fixture
def jp_server_config(fake_hub):
    fake_hub.users = {
        token: {"kind": "user", "name": name, "groups": [], "admin": False}
        for token, name in TOKENS.items()
    }
    return {
        "ServerApp": {
            "jpserver_extensions": {"jupyterlab_hub_groups": True},
            # Test against a server which requires authentication on all endpoints
            "allow_unauthenticated_access": False,
            "identity_provider_class": HubIdentityProvider,
        },
        "HubIdentityProvider": {"hub_api_url": fake_hub.url},
        "HubGroupsConfig": {"hub_timeout": 1.0, "cache_seconds": 5.0},
    }
