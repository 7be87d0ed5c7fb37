"""The base of our HTTP handlers: JSON replies, hub failures as JSON, and
the requester's fresh hub identity.

Why a base class: every endpoint under ``{base_url}hub-groups/api/`` answers
JSON (never cached), turns a failing hub into the same ``502``/``403`` JSON
(also when JupyterHub's own check of the request fails before our code
runs), and asks the hub about the *requesting* user with the token that
authenticated the request (on a shared server, the visitor, not the owner).
It serves no HTTP method itself: each handler module adds its own, and
imports only this one.
"""

from __future__ import annotations

import json

import tornado
from jupyter_server.base.handlers import APIHandler

from ...hub_client import HubClient, HubError
from ...refusal import refusal
from ..config import HubGroupsConfig
from ..identity import HubIdentity, HubIdentityLookup, request_token
from ..membership import UserDirectory
from ..projects import ProjectServers
from ..start import OwnerAtStart
from ..visitors import VisitorLog

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
        directory: UserDirectory | None = None,
        owner: OwnerAtStart | None = None,
    ) -> None:
        self.hub_groups_config = config
        self.owner = owner
        self.lookup = lookup
        self.client = client
        self.visitors = visitors
        self.not_accounts = not_accounts if not_accounts is not None else {}
        self.directory = directory

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

    def refuse(self, status: int, code: str, message: str) -> None:
        """Finish with a refusal: ``{"error": code, "message": message}``
        (:func:`~jupyterlab_hub_groups.refusal.refusal`), never cached."""
        self.reply(status, refusal(code, message))

    def fail(self, error: HubError) -> None:
        """Reply with a hub failure, and log it (without any token)."""
        self.log.warning("hub-groups: %s (%s)", error.message, error.reason)
        self.reply(error.status, error.to_json())

    @property
    def hub_auth(self):
        """JupyterHub's HubAuth of this server, or None outside a hub."""
        return getattr(self.identity_provider, "hub_auth", None)

    def project_servers(self) -> ProjectServers:
        """The requester's projects' shared servers, asked with this server's
        own token (under a hub only)."""
        return ProjectServers(
            self.client, self.hub_auth.api_token, self.hub_groups_config, self.not_accounts
        )

    @property
    def under_hub(self) -> bool:
        return (
            self.hub_auth is not None and self.lookup is not None and self.client is not None
        )

    async def requester(self, max_age: float | None = None) -> HubIdentity | None:
        """The requester as the hub sees them (asked with the token that
        authenticated this request).

        Parameters
        ----------
        max_age : float, optional
            How old a cached answer may be (see
            :meth:`~..identity.HubIdentityLookup.lookup`).

        Returns
        -------
        HubIdentity or None
            None after replying with a JSON error.
        """
        try:
            token = request_token(self.hub_auth, self) or ""
            identity = await self.lookup.lookup(token, max_age)
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
            self.refuse(
                403, "identity-mismatch", "This session's token belongs to another user."
            )
            return None
        return identity
