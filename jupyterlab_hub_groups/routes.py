"""HTTP handlers of the server extension, under ``{base_url}hub-groups/api/``.

JupyterLab's identity API (``/api/me``) carries no hub groups; these handlers
answer them for the *requesting* user (on a shared server, the visitor, not
the owner), asking the hub with the token that authenticated the request.

- ``GET me[?refresh=1]``: name, display name and hub groups of the requester.
- ``GET presence``: who is using this server (owner and members only).
- ``POST presence`` ``{"current": path | null}``: the document the requester
  has open, shown to the others; answers like ``GET presence``.
- ``GET collaborations``, ``POST collaborations/<account>/stop``: see
  :mod:`.collaborations`.
"""

from __future__ import annotations

import json
import re
import time
from datetime import datetime, timezone
from typing import Any

import tornado
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join

from .config import HubGroupsConfig
from .hub_client import HubClient, HubError, request_token
from .hub_identity import HubIdentity, HubIdentityLookup
from .visitors import VisitorLog

#: The URL namespace of our API, below the server's base URL.
API_NAMESPACE = ("hub-groups", "api")


class HubGroupsHandler(APIHandler):
    """Base of our handlers: JSON replies, and the requester's fresh hub identity."""

    def initialize(
        self,
        config: HubGroupsConfig,
        lookup: HubIdentityLookup | None = None,
        client: HubClient | None = None,
        visitors: VisitorLog | None = None,
        not_accounts: dict[str, float] | None = None,
    ) -> None:
        self.hub_groups_config = config
        self.lookup = lookup
        self.client = client
        self.visitors = visitors
        self.not_accounts = not_accounts if not_accounts is not None else {}

    async def prepare(self) -> None:
        """Authenticate as Jupyter Server does, but when JupyterHub's own
        check of the request (HubAuth, when its cache has no answer) fails
        because of the hub, answer 502 JSON like every other hub failure
        here, rather than HubAuth's 500 (which also names the hub's
        internal URL and host)."""
        try:
            await super().prepare()
        except (tornado.web.Finish, tornado.web.HTTPError) as e:
            if (
                self.hub_auth is None
                or not isinstance(e, tornado.web.HTTPError)
                or e.status_code < 500
            ):
                raise  # refusals (401, 403, XSRF) stay as they are
            self.log.warning("hub-groups: JupyterHub's authentication failed: %s", e)
            unreachable = (e.log_message or "").startswith("Failed to connect")
            self.fail(
                HubError(
                    502,
                    "hub-unreachable" if unreachable else "hub-error",
                    "JupyterHub could not be asked who made this request.",
                )
            )
            raise tornado.web.Finish() from None
        except Exception as e:
            if self.hub_auth is None:
                raise
            # e.g. HubAuth reading a hub answer that is not JSON, or has no scopes
            self.log.warning("hub-groups: JupyterHub's authentication failed: %r", e)
            self.fail(
                HubError(
                    502,
                    "hub-bad-response",
                    "JupyterHub's answer about this request was not understood.",
                )
            )
            raise tornado.web.Finish() from None

    def reply(self, status: int, body: dict) -> None:
        """Finish with ``body`` as JSON; never cached by the browser."""
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(body))

    def fail(self, error: HubError) -> None:
        """Reply with a hub failure, and log it (without any token)."""
        self.log.warning("hub-groups: %s (%s)", error.message, error.reason)
        self.reply(error.status, error.to_json())

    @property
    def hub_auth(self):
        """JupyterHub's HubAuth of this server, or None outside a hub."""
        return getattr(self.identity_provider, "hub_auth", None)

    @property
    def under_hub(self) -> bool:
        return self.hub_auth is not None and self.lookup is not None

    async def requester(self, refresh: bool = False) -> HubIdentity | None:
        """The requester as the hub sees them now (asked with the token that
        authenticated this request). On failure, replies with a JSON error
        and returns None."""
        try:
            identity = await self.lookup.lookup(request_token(self.hub_auth, self) or "", refresh)
        except HubError as e:
            self.fail(e)
            return None
        if identity.name != self.current_user.username:
            # The token in hand belongs to someone else than the session:
            # answer nobody's groups rather than the wrong person's.
            self.log.warning(
                "hub-groups: token owner %r differs from session user %r",
                identity.name,
                self.current_user.username,
            )
            self.reply(
                403,
                {
                    "error": "identity-mismatch",
                    "message": "This session's token belongs to another user.",
                },
            )
            return None
        return identity


class MeHandler(HubGroupsHandler):
    """``GET me[?refresh=1]``: name, display name and hub groups of the requester."""

    @tornado.web.authenticated
    async def get(self) -> None:
        user = self.current_user
        if not self.under_hub:
            # Plain `jupyter lab`: there are no hub groups to report.
            self.reply(
                200,
                {
                    "name": user.username,
                    "display_name": user.display_name,
                    "groups": [],
                    "server_owner": None,
                    "source": "no-hub",
                    "fetched_at": datetime.now(timezone.utc).isoformat(),
                },
            )
            return
        refresh = self.get_argument("refresh", "0") not in ("", "0", "false")
        identity = await self.requester(refresh)
        if identity is None:
            return
        body = identity.to_json()
        body.update(
            display_name=user.display_name or identity.name,
            server_owner=self.hub_groups_config.server_owner or None,
            source="hub",
        )
        self.reply(200, body)


#: Longest document path accepted in ``POST presence`` (characters).
MAX_PATH = 1024
#: Largest ``POST presence`` body accepted (bytes).
MAX_PRESENCE_BODY = 4096
# Control characters have no business in a path shown to others.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def parse_current(body: bytes) -> str | None:
    """The ``current`` document of a ``POST presence`` body.

    Parameters
    ----------
    body : bytes
        ``{"current": "<path>"}`` or ``{"current": null}``, nothing else.

    Returns
    -------
    str or None
        The path, or None for "no document" (null or "").

    Raises
    ------
    ValueError
        With a sentence saying what is wrong.
    """
    if len(body) > MAX_PRESENCE_BODY:
        raise ValueError(f"The body is longer than {MAX_PRESENCE_BODY} bytes.")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValueError("The body is not JSON.") from None
    if not isinstance(data, dict) or set(data) != {"current"}:
        raise ValueError('The body must be {"current": <path or null>}, nothing else.')
    current = data["current"]
    if current is None or current == "":
        return None
    if not isinstance(current, str):
        raise ValueError('"current" must be a string or null.')
    if len(current) > MAX_PATH:
        raise ValueError(f'"current" is longer than {MAX_PATH} characters.')
    if _CONTROL.search(current):
        raise ValueError('"current" contains control characters.')
    return current


class PresenceHandler(HubGroupsHandler):
    """``GET presence``: who is using this server; ``POST presence``: the
    document the requester has open, then the same answer.

    Answered to the server's owner and to members of
    ``HubGroupsConfig.presence_groups`` only (checked here, with a fresh
    hub lookup, not just hidden in the browser).
    """

    async def _allowed(self) -> bool:
        """Whether the requester may see who is here; if not, replies."""
        if not self.under_hub:
            return True
        identity = await self.requester()
        if identity is None:
            return False
        if identity.name == self.hub_groups_config.server_owner or set(
            identity.groups
        ) & set(self.hub_groups_config.presence_groups):
            return True
        self.reply(
            403,
            {
                "error": "not-a-member",
                "message": "Only members of this server's groups see who is here.",
            },
        )
        return False

    def _who_is_here(self) -> None:
        timeout = self.hub_groups_config.presence_timeout
        self.reply(
            200,
            {
                "people": self.visitors.people(timeout),
                "me": self.current_user.username,
                "timeout": timeout,
                # A shared server: show the list even when one is alone on it.
                "shared": bool(self.hub_groups_config.presence_groups),
            },
        )

    @tornado.web.authenticated
    async def get(self) -> None:
        # Reads only: what one has open is said with POST.
        if await self._allowed():
            self._who_is_here()

    @tornado.web.authenticated
    async def post(self) -> None:
        try:
            current = parse_current(self.request.body)
        except ValueError as e:
            self.reply(400, {"error": "bad-request", "message": str(e)})
            return
        if not await self._allowed():
            return
        visitor = self.visitors.visitor_for(self)
        if visitor is not None:
            visitor.current = current
            visitor.last_seen = time.time()
        self._who_is_here()


def make_client(config: HubGroupsConfig, identity_provider: Any) -> HubClient | None:
    """The hub client of this server, or None outside JupyterHub."""
    hub_auth = getattr(identity_provider, "hub_auth", None)
    if hub_auth is None:
        return None
    return HubClient.for_hub_auth(hub_auth, timeout=config.hub_timeout)


def setup_route_handlers(server_app) -> None:
    """Register our handlers on the server's tornado application."""
    web_app = server_app.web_app
    base_url = web_app.settings["base_url"]
    config = HubGroupsConfig(parent=server_app)
    identity_provider = web_app.settings.get("identity_provider")
    client = make_client(config, identity_provider)
    lookup = (
        HubIdentityLookup(client, cache_seconds=config.cache_seconds) if client else None
    )
    hub_auth = getattr(identity_provider, "hub_auth", None)
    # Remember visitors as long as HubAuth may trust them (so the re-checks
    # see them all), and as long as presence may list them.
    keep = max(
        getattr(hub_auth, "cache_max_age", 300) or 300,
        config.presence_timeout,
        config.revalidate_seconds,
    )
    visitors = VisitorLog(identity_provider, keep_seconds=keep).install()
    web_app.settings.update(
        hub_groups_config=config, hub_groups_client=client, hub_groups_visitors=visitors
    )
    if client is not None and config.revalidate_seconds:
        from .revalidate import AccessRevalidator

        revalidator = AccessRevalidator(
            visitors, config.revalidate_seconds, server_app.log, client=client
        )
        revalidator.start()
        web_app.settings["hub_groups_revalidator"] = revalidator
        server_app.log.info(
            "hub-groups: re-checking visitors' access every %g s", config.revalidate_seconds
        )
    from .collaborations import CollaborationActionHandler, CollaborationsHandler

    shared = {
        "config": config,
        "lookup": lookup,
        "client": client,
        "visitors": visitors,
        # groups without a collaboration account, remembered across requests
        "not_accounts": {},
    }
    api = url_path_join(base_url, *API_NAMESPACE)
    handlers = [
        (url_path_join(api, "me"), MeHandler, shared),
        (url_path_join(api, "presence"), PresenceHandler, shared),
        (url_path_join(api, "collaborations"), CollaborationsHandler, shared),
        (
            url_path_join(api, "collaborations", r"([^/]+)", r"([^/]+)"),
            CollaborationActionHandler,
            shared,
        ),
    ]
    web_app.add_handlers(".*$", handlers)
