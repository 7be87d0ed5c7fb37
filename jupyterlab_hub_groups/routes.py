"""HTTP handlers of the server extension, under ``{base_url}hub-groups/api/``.

JupyterLab's identity API (``/api/me``) carries no hub groups; these handlers
answer them for the *requesting* user (on a shared server, the visitor, not
the owner), asking the hub with the request's own token.
"""

from __future__ import annotations

import json
import os
import time
from datetime import datetime, timezone

import tornado
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join

from .config import HubGroupsConfig
from .hub_identity import HubIdentity, HubIdentityLookup, HubLookupError
from .visitors import VisitorLog

#: The URL namespace of our API, below the server's base URL.
API_NAMESPACE = ("hub-groups", "api")


class HubGroupsHandler(APIHandler):
    """Base of our handlers: JSON replies, and the requester's fresh hub identity."""

    lookup: HubIdentityLookup | None = None

    def reply(self, status: int, body: dict) -> None:
        """Finish with ``body`` as JSON; never cached by the browser."""
        self.set_status(status)
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(body))

    @property
    def hub_auth(self):
        """JupyterHub's HubAuth of this server, or None outside a hub."""
        return getattr(self.identity_provider, "hub_auth", None)

    async def requester(self, refresh: bool = False) -> HubIdentity | None:
        """The requester as the hub sees them now (with the request's own
        token). On failure, replies with a JSON error and returns None."""
        try:
            identity = await self.lookup.lookup(self.hub_auth.get_token(self) or "", refresh)
        except HubLookupError as e:
            self.log.warning("hub-groups: %s (%s)", e.message, e.reason)
            self.reply(e.status, {"error": e.reason, "message": e.message})
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

    def initialize(self, lookup: HubIdentityLookup | None = None) -> None:
        self.lookup = lookup

    @tornado.web.authenticated
    async def get(self) -> None:
        user = self.current_user
        if self.hub_auth is None or self.lookup is None:
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
            server_owner=os.environ.get("JUPYTERHUB_USER") or None,
            source="hub",
        )
        self.reply(200, body)


class PresenceHandler(HubGroupsHandler):
    """``GET presence[?current=path]``: who is using this server.

    Answered to the server's owner and to members of
    ``HubGroupsConfig.presence_groups`` only (checked here, with a fresh
    hub lookup, not just hidden in the browser). ``current`` is the
    document the requester has open, shown to the others.
    """

    def initialize(
        self,
        lookup: HubIdentityLookup | None = None,
        visitors: VisitorLog | None = None,
        config: HubGroupsConfig | None = None,
    ) -> None:
        self.lookup = lookup
        self.visitors = visitors
        self.hub_groups_config = config

    @tornado.web.authenticated
    async def get(self) -> None:
        if self.hub_auth is not None and self.lookup is not None:
            identity = await self.requester()
            if identity is None:
                return
            owner = os.environ.get("JUPYTERHUB_USER")
            if identity.name != owner and not set(identity.groups) & set(
                self.hub_groups_config.presence_groups
            ):
                self.reply(
                    403,
                    {
                        "error": "not-a-member",
                        "message": "Only members of this server's groups see who is here.",
                    },
                )
                return
        visitor = self.visitors.visitor_for(self)
        current = self.get_argument("current", None)
        if visitor is not None and current is not None:
            visitor.current = current[:1024] or None
        timeout = self.hub_groups_config.presence_timeout
        self.visitors.forget(time.time() - 10 * timeout)
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


def make_lookup(config: HubGroupsConfig, identity_provider) -> HubIdentityLookup | None:
    """The hub lookup for this server, or None outside JupyterHub."""
    hub_auth = getattr(identity_provider, "hub_auth", None)
    if hub_auth is None:
        return None
    ssl_options = None
    if getattr(hub_auth, "certfile", None) and getattr(hub_auth, "keyfile", None):
        from jupyterhub.utils import make_ssl_context

        ssl_options = make_ssl_context(
            hub_auth.keyfile, hub_auth.certfile, cafile=hub_auth.client_ca
        )
    return HubIdentityLookup(
        hub_auth.api_url,
        timeout=config.hub_timeout,
        cache_seconds=config.cache_seconds,
        ssl_options=ssl_options,
    )


def setup_route_handlers(server_app) -> None:
    """Register our handlers on the server's tornado application."""
    web_app = server_app.web_app
    base_url = web_app.settings["base_url"]
    config = HubGroupsConfig(parent=server_app)
    identity_provider = web_app.settings.get("identity_provider")
    lookup = make_lookup(config, identity_provider)
    visitors = VisitorLog(identity_provider).install()
    web_app.settings["hub_groups_visitors"] = visitors
    if lookup is not None and config.revalidate_seconds:
        from .revalidate import AccessRevalidator

        AccessRevalidator(visitors, config.revalidate_seconds, server_app.log).start()
        server_app.log.info(
            "hub-groups: re-checking visitors' access every %g s", config.revalidate_seconds
        )
    from .collaborations import CollaborationActionHandler, CollaborationsHandler

    presence = {"lookup": lookup, "visitors": visitors, "config": config}
    collaborations = {"lookup": lookup, "config": config, "not_accounts": {}}
    api = url_path_join(base_url, *API_NAMESPACE)
    handlers = [
        (url_path_join(api, "me"), MeHandler, {"lookup": lookup}),
        (url_path_join(api, "presence"), PresenceHandler, presence),
        (url_path_join(api, "collaborations"), CollaborationsHandler, collaborations),
        (
            url_path_join(api, "collaborations", r"([^/]+)", r"([a-z]+)"),
            CollaborationActionHandler,
            collaborations,
        ),
    ]
    web_app.add_handlers(".*$", handlers)
