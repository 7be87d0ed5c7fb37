"""Fixtures for the server extension's tests.

The Jupyter server under test authenticates with its own token, as in the
template, but its identity provider also carries a ``hub_auth`` (a real
``jupyterhub.services.auth.HubAuth``) pointing at a small fake hub, the way
JupyterHub's own identity provider does on a single-user server. The fake
hub's behaviour (ok, 500, slow, garbage, redirect, 401, ...) is set per test,
for the requester's ``/user`` and per collaboration account.

Tests about how JupyterHub itself authenticates a request (cookie or token,
HubAuth's 300 s cache, access scopes) use ``hub_oauth_server_config``
instead: the server then runs JupyterHub's own single-user identity provider
(``JupyterHubIdentityProvider`` with a ``HubOAuth``), against the same fake
hub.
"""

import asyncio
import json
import re
import socket

import pytest
import tornado.httpserver
import tornado.web
from jupyter_server.auth.identity import IdentityProvider, User
from jupyter_server.base.handlers import JupyterHandler
from jupyterhub.services.auth import HubAuth, HubOAuth
from jupyterhub.singleuser.extension import JupyterHubIdentityProvider
from traitlets import Unicode, default

from jupyterlab_hub_groups import contract

pytest_plugins = ("pytest_jupyter.jupyter_server",)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "server_owner(name): HubGroupsConfig.server_owner of the server under test"
    )

#: What JupyterHub requires of a visitor of the server under test
#: (``HubOAuth.access_scopes``); the fake hub grants it to its users.
ACCESS_SCOPE = "access:servers!server=vox-collab/"

#: The OAuth client of the server under test, which names its cookie.
OAUTH_CLIENT = "jupyterhub-user-vox-collab"

#: The server's own hub token (``$JUPYTERHUB_API_TOKEN``) in the tests.
SERVER_TOKEN = "unused"

#: Where the fake hub's "redirect" mode sends its client.
ELSEWHERE = "http://127.0.0.1:9/elsewhere"

#: Modes of the fake hub (``FakeHub.mode``, ``FakeHub.account_modes``).
#: ok, slow (held until released: the client times out), gate (held until
#: released), 500, garbage (not JSON), wrong-shape (JSON, not a user model),
#: redirect (302 to ELSEWHERE), 401 / 403 (the token is refused).
MODES = ("ok", "slow", "gate", "500", "garbage", "wrong-shape", "redirect", "401", "403")


class FakeHub:
    """A hub API under test control: ``GET /hub/api/user`` (who owns the
    token), ``GET /hub/api/users/<name>`` and ``DELETE .../server`` (the
    collaboration accounts, as this server's own token sees them), and the
    group management API as JupyterHub 6.1.1 answers it: ``GET
    /hub/api/users`` (paginated, ``name_filter``), ``GET
    /hub/api/groups/<g>``, ``POST`` / ``DELETE /hub/api/groups/<g>/users``,
    each allowed by the token's ``scopes`` (in its ``/user`` model)."""

    def __init__(self):
        self.mode = "ok"
        self.users = {}  # token -> user model
        self.calls = 0  # GET /user with a visitor's token
        # GET /user with the server's own token (the owner at start, see
        # jupyterlab_hub_groups.server.start), counted apart
        self.server_token_calls = 0
        self.release = asyncio.Event()
        # Other users' models, as this server's own token sees them.
        self.accounts = {}
        self.account_mode = "ok"  # for every account; or "403": the server token may not look
        self.account_modes = {}  # account name -> mode, for that account only
        self.account_paths = []  # every request path under /hub/api/users/, as received
        self.stopped = []  # (account, token) of every stop
        self.started = []  # (account, token) of every start
        self.start_answer = 202  # 201 (started at once) or 202 (pending)
        # The group management API.
        self.people = []  # every user name, in the hub's id order
        self.groups = {}  # group name -> member names
        self.group_mode = "ok"  # for the user list and the group endpoints
        self.page_max = 200  # JupyterHub's api_page_max_limit
        self.group_requests = []  # (method, uri) of every request to those endpoints
        self.group_bodies = []  # the JSON bodies of the POST and DELETE requests

    async def misbehave(self, handler, mode, wrong_shape):
        """Answer as ``mode`` says; True when that answer is given."""
        if mode in ("slow", "gate"):
            # Held until the test releases it (or the client times out).
            await self.release.wait()
        if mode == "500":
            raise tornado.web.HTTPError(500)
        if mode == "garbage":
            handler.finish("<html>not json</html>")
            return True
        if mode == "wrong-shape":
            handler.finish(json.dumps(wrong_shape))
            return True
        if mode == "redirect":
            handler.redirect(ELSEWHERE)
            return True
        if mode in ("401", "403"):
            handler.set_status(int(mode))
            handler.finish(json.dumps({"error": "invalid token"}))
            return True
        return False

    def scopes_of(self, handler):
        """The scopes of the request's token (None: the hub knows no such token)."""
        token = handler.request.headers.get("Authorization", "").partition(" ")[2]
        model = self.users.get(token)
        return None if model is None else list(model.get("scopes", []))

    def may(self, handler, scope, group=None):
        """Whether the token holds ``scope`` (on ``group``), as JupyterHub's
        needs_scope decides; otherwise raises its 403 or, for a scope held
        with another filter, its 404 (nonexistence and no access alike)."""
        held = self.scopes_of(handler)
        if held is None:
            raise tornado.web.HTTPError(403, "Missing or invalid credentials.")
        if scope in held or (group is not None and f"{scope}!group={group}" in held):
            return True
        if group is not None and scope.startswith(("groups", "read:groups")):
            # what groups!group=<g> and admin:groups!group=<g> expand to
            if group in contract.managed_groups(held) or {"groups", "admin:groups"} & set(held):
                return True
            if any(h.startswith(("groups!", "read:groups!", "admin:groups!")) for h in held):
                raise tornado.web.HTTPError(404, "No access to resources or resources not found")
        raise tornado.web.HTTPError(
            403, f"Action is not authorized with current scopes; requires any of [{scope}]"
        )

    def make_app(self):
        hub = self

        class HubAPIHandler(tornado.web.RequestHandler):
            """Errors as JupyterHub's API writes them."""

            def write_error(self, status_code, **kwargs):
                exc = kwargs.get("exc_info", (None, None))[1]
                message = getattr(exc, "log_message", None) or self._reason
                self.finish(json.dumps({"status": status_code, "message": message}))

            def model(self, group):
                return {"kind": "group", "name": group, "users": list(hub.groups[group]),
                        "roles": [], "properties": {}}

        class UserListHandler(HubAPIHandler):
            async def get(self):
                hub.group_requests.append(("GET", self.request.uri))
                if await hub.misbehave(self, hub.group_mode, {"items": "nope"}):
                    return
                hub.may(self, "list:users")
                name_filter = self.get_argument("name_filter", None)
                offset = abs(int(self.get_argument("offset", "0")))
                limit = min(max(abs(int(self.get_argument("limit", str(hub.page_max)))), 1), hub.page_max)
                names = hub.people
                if name_filter:
                    # SQL ilike '%<filter>%': '%' and '_' are wildcards
                    like = "".join(
                        ".*" if c == "%" else "." if c == "_" else re.escape(c) for c in name_filter
                    )
                    names = [n for n in names if re.search(like, n, re.IGNORECASE | re.DOTALL)]
                page = [{"kind": "user", "name": n} for n in names[offset : offset + limit]]
                if "pagination" not in self.request.headers.get("Accept", ""):
                    self.finish(json.dumps(page))
                    return
                following = offset + limit
                self.finish(json.dumps({
                    "items": page,
                    "_pagination": {
                        "offset": offset,
                        "limit": limit,
                        "total": len(names),
                        "next": {"offset": following, "limit": limit, "url": "..."}
                        if following < len(names)
                        else None,
                    },
                }))

        class GroupHandler(HubAPIHandler):
            async def get(self, group):
                hub.group_requests.append(("GET", self.request.uri))
                if await hub.misbehave(self, hub.group_mode, ["not", "a", "group"]):
                    return
                hub.may(self, "read:groups", group)
                if group not in hub.groups:
                    raise tornado.web.HTTPError(404, f"No such group: {group}")
                self.finish(json.dumps(self.model(group)))

        class GroupUsersHandler(HubAPIHandler):
            async def change(self, group, add):
                hub.group_requests.append((self.request.method, self.request.uri))
                if await hub.misbehave(self, hub.group_mode, ["not", "a", "group"]):
                    return
                hub.may(self, "groups", group)
                if group not in hub.groups:
                    raise tornado.web.HTTPError(404, f"No such group: {group}")
                data = json.loads(self.request.body)
                hub.group_bodies.append(data)
                if not isinstance(data, dict) or not set(data) <= {"name", "users", "roles", "properties"}:
                    raise tornado.web.HTTPError(400, f"Invalid JSON keys: {data!r}")
                if "users" not in data:
                    raise tornado.web.HTTPError(400, "Must specify users to add")
                found = []
                for name in data["users"]:
                    name = name.lower()  # Authenticator.normalize_username
                    if name not in hub.people:
                        raise tornado.web.HTTPError(400, f"No such user: {name}")
                    found.append(name)
                members = hub.groups[group]
                for name in found:
                    if add and name not in members:
                        members.append(name)
                    elif not add and name in members:
                        members.remove(name)
                self.finish(json.dumps(self.model(group)))

            async def post(self, group):
                await self.change(group, add=True)

            async def delete(self, group):
                await self.change(group, add=False)

        class UserHandler(tornado.web.RequestHandler):
            async def get(self):
                token = self.request.headers.get("Authorization", "").partition(" ")[2]
                if token == SERVER_TOKEN:
                    hub.server_token_calls += 1
                else:
                    hub.calls += 1
                if await hub.misbehave(self, hub.mode, {"name": "vex", "groups": "vox"}):
                    return
                if token not in hub.users:
                    # What JupyterHub answers for a token it does not know.
                    self.set_status(403)
                    self.finish(json.dumps({"error": "invalid token"}))
                    return
                self.finish(json.dumps(hub.users[token]))

        class AccountHandler(tornado.web.RequestHandler):
            async def get(self, name):
                hub.account_paths.append(self.request.path)
                mode = hub.account_modes.get(name, hub.account_mode)
                if mode == "403":
                    raise tornado.web.HTTPError(403)
                if await hub.misbehave(self, mode, ["not", "a", "user"]):
                    return
                if name not in hub.accounts:
                    raise tornado.web.HTTPError(404)
                self.finish(json.dumps(hub.accounts[name]))

        class AccountServerHandler(tornado.web.RequestHandler):
            async def delete(self, name):
                hub.account_paths.append(self.request.path)
                mode = hub.account_modes.get(name, hub.account_mode)
                if mode == "403" or name not in hub.accounts:
                    raise tornado.web.HTTPError(403)
                if await hub.misbehave(self, mode, ["not", "a", "user"]):
                    return
                token = self.request.headers.get("Authorization", "").partition(" ")[2]
                hub.stopped.append((name, token))
                hub.accounts[name]["servers"] = {}
                self.set_status(204)

            async def post(self, name):
                # As JupyterHub 6.1.1: needs start:servers; 400 when running.
                hub.account_paths.append(self.request.path)
                mode = hub.account_modes.get(name, hub.account_mode)
                if mode == "403" or name not in hub.accounts:
                    raise tornado.web.HTTPError(403)
                if await hub.misbehave(self, mode, ["not", "a", "user"]):
                    return
                if hub.accounts[name].get("servers"):
                    raise tornado.web.HTTPError(400, f"{name}'s server is already running")
                token = self.request.headers.get("Authorization", "").partition(" ")[2]
                hub.started.append((name, token))
                ready = hub.start_answer == 201
                pending = None if ready else "spawn"
                hub.accounts[name]["servers"] = {"": {"ready": ready, "pending": pending}}
                self.set_header("Content-Type", "text/plain")
                self.set_status(hub.start_answer)

        return tornado.web.Application(
            [
                (r"/hub/api/users", UserListHandler),
                (r"/hub/api/groups/([^/]+)", GroupHandler),
                (r"/hub/api/groups/([^/]+)/users", GroupUsersHandler),
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

#: Display names the identity provider gives, by user name (default: the name).
DISPLAY_NAMES = {}


class HubIdentityProvider(IdentityProvider):
    """Token identities as the hub would give them, plus the ``hub_auth``
    that JupyterHub's own identity provider has on a single-user server.

    A token in ``TOKENS`` is accepted whatever the hub says now: it stands
    for a session HubAuth still trusts from its cache."""

    hub_api_url = Unicode(config=True)

    def get_user(self, handler):
        token = self.hub_auth.get_token(handler, in_cookie=False)
        name = TOKENS.get(token)
        if not name:
            return None
        # A token in the header: no XSRF check, as for any API token.
        handler._token_authenticated = True
        return User(username=name, display_name=DISPLAY_NAMES.get(name, name))

    @property
    def hub_auth(self):
        if not hasattr(self, "_hub_auth"):
            self._hub_auth = HubAuth(
                api_url=self.hub_api_url, api_token=SERVER_TOKEN, hub_prefix="/hub/"
            )
        return self._hub_auth


class HubOAuthIdentityProvider(JupyterHubIdentityProvider):
    """JupyterHub's own identity provider of single-user servers, its
    HubOAuth pointed at the fake hub (which a real server reads from the
    environment the hub gives it)."""

    hub_api_url = Unicode(config=True)

    @default("hub_auth")
    def _default_hub_auth(self):
        return HubOAuth(
            parent=self,
            api_url=self.hub_api_url,
            api_token=SERVER_TOKEN,
            hub_prefix="/hub/",
            oauth_client_id=OAUTH_CLIENT,
            access_scopes={ACCESS_SCOPE},
        )


def hub_cookie(web_app, token: str) -> str:
    """A ``Cookie`` header carrying ``token`` the way HubOAuth stores it
    after the OAuth dance (a secure cookie named after the OAuth client)."""
    value = tornado.web.create_signed_value(
        web_app.settings["cookie_secret"], OAUTH_CLIENT, token
    ).decode()
    return f"{OAUTH_CLIENT}={value}"


def user_model(name: str) -> dict:
    """A hub ``/user`` answer for ``name``, with access to the server under test."""
    return {"kind": "user", "name": name, "groups": [], "admin": False, "scopes": [ACCESS_SCOPE]}


@pytest.fixture
def jp_server_config(fake_hub):
    fake_hub.users = {token: user_model(name) for token, name in TOKENS.items()}
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


@pytest.fixture
def hub_oauth_server_config(jp_server_config, fake_hub):
    """``jp_server_config`` with JupyterHub's own identity provider.

    HubOAuth patches XSRF checks into Jupyter Server's and tornado's handler
    classes on each request; they are put back afterwards so that other
    tests see the classes as they were.
    """
    jp_server_config["ServerApp"]["identity_provider_class"] = HubOAuthIdentityProvider
    # As JupyterHub's single-user extension does: tornado's own XSRF check
    # runs before authentication; JupyterHub checks XSRF in prepare() instead.
    jp_server_config["ServerApp"]["tornado_settings"] = {"xsrf_cookies": False}
    jp_server_config["HubOAuthIdentityProvider"] = {"hub_api_url": fake_hub.url}
    patched = ("check_xsrf_cookie", "_xsrf_token_id", "xsrf_token")
    saved = {
        cls: {name: cls.__dict__[name] for name in patched if name in cls.__dict__}
        for cls in (JupyterHandler, tornado.web.RequestHandler)
    }
    yield jp_server_config
    for cls, attributes in saved.items():
        for name in patched:
            if name in attributes:
                setattr(cls, name, attributes[name])
            elif name in cls.__dict__:
                delattr(cls, name)
