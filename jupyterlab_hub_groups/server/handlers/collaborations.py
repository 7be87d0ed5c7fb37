"""The shared servers of the requester's projects: their status, and stop.

``GET {base_url}hub-groups/api/collaborations`` lists, for each hub group of
the *requesting* user, the collaboration account ``<group>-collab`` (the
pattern is ``HubGroupsConfig.collaboration_account``) if the hub shows it,
with its server's status. ``POST .../collaborations/<account>/stop`` stops
that server.

Why through this server: the hub is asked with this server's own token
(``$JUPYTERHUB_API_TOKEN``), whose scopes JupyterHub resolves against the
server owner's own permissions (``Spawner.server_token_scopes``, to which
the hub helper adds ``read:servers!user=<account>`` and
``delete:servers!user=<account>`` for the accounts of the owner's projects
only). So it can never do more than the owner could, nor touch any server
but a project's shared one; and the requester's own membership of
the project is checked here with a fresh lookup, since on a shared server
the requester is not always the owner. Starting is not done here: the
browser goes to the hub's spawn page, so its progress and errors are what
the user sees.

Account names come from group names (which anyone able to create groups
chooses) and from the URL: only names made of ASCII letters, digits and
``._@+-`` are ever sent to the hub (escaped all the same); others are
refused (400) or skipped.
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

import tornado

from ... import contract
from ...hub_client import HubError, user_path
from .base import HubGroupsHandler

#: What a collaboration account's name may be: checked whole (fullmatch),
#: so that no "/", "..", newline or other surprise reaches a hub URL.
ACCOUNT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,254}")


def is_account_name(name: str) -> bool:
    """Whether ``name`` may be sent to the hub as a collaboration account."""
    return ACCOUNT_NAME.fullmatch(name) is not None


def server_status(model: dict[str, Any]) -> str:
    """``running``, ``starting``, ``stopping`` or ``stopped`` from a hub user model."""
    servers = model.get("servers")
    server = servers.get("") if isinstance(servers, dict) else None
    if not server or not isinstance(server, dict):
        return "stopped"
    if server.get("pending") == "spawn":
        return "starting"
    if server.get("pending") == "stop":
        return "stopping"
    return "running" if server.get("ready") else "starting"


#: Why a card's status is unknown, when the hub refuses this server's token.
SCOPES_HINT = (
    "This server's hub token may not see shared servers (see Spawner.server_token_scopes)."
)


class _ProjectsHandler(HubGroupsHandler):
    """What both routes share: the requester's groups, and the account of a
    group. No HTTP method of its own, so that neither route answers a
    method the other serves."""

    async def _requester_groups(self) -> tuple[str, list[str]] | None:
        if not self.under_hub:
            self.reply(200, {"collaborations": [], "degraded": "Not running under JupyterHub."})
            return None
        identity = await self.requester()
        return None if identity is None else (identity.name, list(identity.groups))

    def _account_of(self, group: str) -> str:
        return contract.account_name(self.hub_groups_config.collaboration_account, group)


class CollaborationsHandler(_ProjectsHandler):
    """``GET collaborations``: the requester's projects' shared servers."""

    #: Seconds a group is remembered as having no visible account: most of a
    #: user's groups (courses, teams) are not projects; no need to ask each poll.
    NOT_AN_ACCOUNT_SECONDS = 120

    #: Hub requests at once for one listing: a user in 200 groups is
    #: answered in a few round trips, not 200 one after the other.
    CONCURRENT_LOOKUPS = 8

    @tornado.web.authenticated
    async def get(self) -> None:
        who = await self._requester_groups()
        if who is None:
            return
        _, groups = who
        here = self.hub_groups_config.server_owner
        state: dict[str, Any] = {"degraded": None, "silent": False}
        slots = asyncio.Semaphore(self.CONCURRENT_LOOKUPS)

        async def card(group: str) -> dict[str, str] | None:
            account = self._account_of(group)
            if account == here or not is_account_name(account):
                return None  # no card for the server one is on, nor for odd names
            if self.not_accounts.get(account, 0) > time.monotonic():
                return None
            status: str | None = "unknown"
            async with slots:
                if not state["silent"]:
                    try:
                        status, note = await self._status(account)
                        # (lookups end in any order: a note is never undone)
                        state["degraded"] = note or state["degraded"]
                    except HubError as e:
                        state["degraded"] = e.message
                        # A hub that does not answer is not asked N more times.
                        state["silent"] = e.reason in ("hub-timeout", "hub-unreachable")
                        status = "unknown"
            if status is None:
                return None  # not a project, or not one the owner may see
            return {"group": group, "account": account, "status": status}

        cards = await asyncio.gather(*(card(g) for g in groups))
        collaborations = [c for c in cards if c is not None]
        self.reply(200, {"collaborations": collaborations, "degraded": state["degraded"]})

    async def _status(self, account: str) -> tuple[str | None, str | None]:
        """The status of ``account``'s server, and why it is unknown (or None)."""
        response = await self.client.request(
            "GET", user_path(account), self.hub_auth.api_token, expect=(200, 403, 404)
        )
        if response.code == 404:
            self.not_accounts[account] = time.monotonic() + self.NOT_AN_ACCOUNT_SECONDS
            return None, None
        if response.code == 403:
            return "unknown", SCOPES_HINT
        if not isinstance(response.body, dict):
            raise HubError(502, "hub-bad-response", "JupyterHub's user model was not understood.")
        return server_status(response.body), None


class CollaborationActionHandler(_ProjectsHandler):
    """``POST collaborations/<account>/stop``."""

    @tornado.web.authenticated
    async def post(self, account: str, action: str) -> None:
        if action != "stop":
            self.refuse(404, "unknown-action", "The only action is stop.")
            return
        if not is_account_name(account):
            # Refused before anything else: never looked up, never sent on.
            self.refuse(400, "bad-account", "That is not an account name.")
            return
        who = await self._requester_groups()
        if who is None:
            return
        name, groups = who
        if not any(self._account_of(g) == account for g in groups):
            self.refuse(403, "not-a-member", f"{name} is not in the project of {account}.")
            return
        try:
            response = await self.client.request(
                "DELETE",
                user_path(account, "server"),
                self.hub_auth.api_token,
                expect=(202, 204, 403, 404),
            )
        except HubError as e:
            self.fail(e)
            return
        if response.code in (403, 404):
            self.refuse(
                403,
                "hub-refused",
                "JupyterHub does not let this server stop that one "
                "(see Spawner.server_token_scopes).",
            )
            return
        self.log.info("hub-groups: %s stopped the server of %s", name, account)
        status = "stopping" if response.code == 202 else "stopped"
        self.reply(200, {"account": account, "status": status})
