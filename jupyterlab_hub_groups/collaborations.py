"""The shared servers of the requester's projects: their status, and stop.

``GET {base_url}hub-groups/api/collaborations`` lists, for each hub group of
the *requesting* user, the collaboration account ``<group>-collab`` (the
pattern is ``HubGroupsConfig.collaboration_account``) if the hub shows it,
with its server's status. ``POST .../collaborations/<account>/stop`` stops
that server.

Why through this server: the hub is asked with this server's own token
(``$JUPYTERHUB_API_TOKEN``), whose scopes JupyterHub resolves against the
server owner's own permissions (``Spawner.server_token_scopes``, which the
hub helper extends with ``read:servers`` and ``delete:servers``). So it can
never do more than the owner could; and the requester's own membership of
the project is checked here with a fresh lookup, since on a shared server
the requester is not always the owner. Starting is not done here: the
browser goes to the hub's spawn page, so its progress and errors are what
the user sees.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any
from urllib.parse import quote

import tornado
from tornado.httpclient import AsyncHTTPClient

from .hub_identity import HubIdentityLookup
from .routes import HubGroupsHandler


def server_status(model: dict[str, Any]) -> str:
    """``running``, ``starting``, ``stopping`` or ``stopped`` from a hub user model."""
    server = (model.get("servers") or {}).get("")
    if not server:
        return "stopped"
    if server.get("pending") == "spawn":
        return "starting"
    if server.get("pending") == "stop":
        return "stopping"
    return "running" if server.get("ready") else "starting"


class CollaborationsHandler(HubGroupsHandler):
    """List the requester's projects' shared servers, or stop one."""

    #: Seconds a group is remembered as having no visible account: most of a
    #: user's groups (courses, teams) are not projects; no need to ask each poll.
    NOT_AN_ACCOUNT_SECONDS = 120

    def initialize(
        self,
        lookup: HubIdentityLookup | None = None,
        config: Any = None,
        not_accounts: dict[str, float] | None = None,
    ) -> None:
        self.lookup = lookup
        self.hub_groups_config = config
        self.not_accounts = not_accounts if not_accounts is not None else {}

    async def _requester_groups(self) -> tuple[str, list[str]] | None:
        if self.hub_auth is None or self.lookup is None:
            self.reply(200, {"collaborations": [], "degraded": "Not running under JupyterHub."})
            return None
        identity = await self.requester()
        return None if identity is None else (identity.name, list(identity.groups))

    async def _hub(self, method: str, path: str) -> tuple[int, Any]:
        """Ask the hub with this server's own token; (status, JSON body)."""
        try:
            response = await AsyncHTTPClient().fetch(
                f"{self.hub_auth.api_url.rstrip('/')}/{path}",
                method=method,
                headers={"Authorization": f"token {self.hub_auth.api_token}"},
                request_timeout=self.hub_groups_config.hub_timeout,
                raise_error=False,
            )
        except OSError:
            return 599, None
        try:
            return response.code, json.loads(response.body or b"null")
        except ValueError:
            return response.code, None

    @tornado.web.authenticated
    async def get(self) -> None:
        who = await self._requester_groups()
        if who is None:
            return
        _, groups = who
        pattern = self.hub_groups_config.collaboration_account
        here = os.environ.get("JUPYTERHUB_USER")
        collaborations = []
        degraded = None
        for group in groups:
            account = pattern.format(group=group)
            if account == here:
                continue  # no card for the server the user is on
            if self.not_accounts.get(account, 0) > time.monotonic():
                continue
            code, model = await self._hub("GET", f"users/{quote(account, safe='')}")
            if code == 200 and isinstance(model, dict):
                status = server_status(model)
            elif code == 404:
                # not a project, or not one the owner may see
                self.not_accounts[account] = time.monotonic() + self.NOT_AN_ACCOUNT_SECONDS
                continue
            elif code == 403:
                status = "unknown"
                degraded = (
                    "This server's hub token may not see shared servers "
                    "(see Spawner.server_token_scopes)."
                )
            else:
                status = "unknown"
                degraded = "JupyterHub did not answer."
            collaborations.append({"group": group, "account": account, "status": status})
        self.reply(200, {"collaborations": collaborations, "degraded": degraded})



class CollaborationActionHandler(CollaborationsHandler):
    """``POST collaborations/<account>/stop``."""

    @tornado.web.authenticated
    async def post(self, account: str, action: str) -> None:
        if action != "stop":
            self.reply(404, {"error": "unknown-action", "message": f"No action {action!r}."})
            return
        who = await self._requester_groups()
        if who is None:
            return
        name, groups = who
        pattern = self.hub_groups_config.collaboration_account
        if not any(pattern.format(group=g) == account for g in groups):
            self.reply(
                403,
                {"error": "not-a-member", "message": f"{name} is not in the project of {account}."},
            )
            return
        code, body = await self._hub("DELETE", f"users/{quote(account, safe='')}/server")
        if code in (202, 204):
            self.log.info("hub-groups: %s stopped the server of %s", name, account)
            self.reply(200, {"account": account, "status": "stopping" if code == 202 else "stopped"})
        elif code in (403, 404):
            self.reply(
                403,
                {
                    "error": "hub-refused",
                    "message": "JupyterHub does not let this server stop that one "
                    "(see Spawner.server_token_scopes).",
                },
            )
        else:
            message = body.get("message") if isinstance(body, dict) else None
            self.reply(502, {"error": "hub-error", "message": message or f"HTTP {code}"})
