"""The shared servers of one's projects, as the hub shows them to this
server's own token: what ``GET collaborations`` answers, and the start-up
answer of ``me`` too.

Why with this server's token: JupyterHub resolves its scopes against the
server owner's own permissions (``Spawner.server_token_scopes``, to which
the hub helper adds ``read:servers!user=<account>`` for the accounts of the
owner's projects only), so it never sees more than the owner could.
Account names come from group names (which anyone able to create groups
chooses): only names made of ASCII letters, digits and ``._@+-`` are ever
sent to the hub (escaped all the same); others are skipped.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterable
from typing import Any

from .. import contract
from ..hub_client import HubClient, HubError, user_path
from .config import HubGroupsConfig

#: What a collaboration account's name may be: checked whole (fullmatch),
#: so that no "/", "..", newline or other surprise reaches a hub URL.
ACCOUNT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,254}")

#: Why a card's status is unknown, when the hub refuses this server's token:
#: the code a page words, and a sentence for the logs.
SCOPES_HINT = {
    "code": "server-token-scopes",
    "message": "This server's hub token may not see shared servers (see Spawner.server_token_scopes).",
}

#: Seconds a group is remembered as having no visible account: most of a
#: user's groups (courses, teams) are not projects; no need to ask each poll.
NOT_AN_ACCOUNT_SECONDS = 120

#: Hub requests at once for one listing: a user in 200 groups is answered
#: in a few round trips, not 200 one after the other.
CONCURRENT_LOOKUPS = 8


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


class ProjectServers:
    """Lists the shared servers of a requester's projects.

    Parameters
    ----------
    client : HubClient
        The extension's hub client.
    token : str
        This server's own hub token.
    config : HubGroupsConfig
        The account pattern, and this server's owner (no card for the
        server one is on).
    not_accounts : dict
        Account → until when (``time.monotonic()``) it is known to be none;
        shared by every request of this server.
    """

    def __init__(
        self,
        client: HubClient,
        token: str,
        config: HubGroupsConfig,
        not_accounts: dict[str, float],
    ):
        self.client = client
        self.token = token
        self.config = config
        self.not_accounts = not_accounts

    def account_of(self, group: str) -> str:
        """The collaboration account of ``group``."""
        return contract.account_name(self.config.collaboration_account, group)

    async def answer(self, groups: Iterable[str]) -> dict[str, Any]:
        """``{"collaborations": [{group, account, status}], "degraded"}``.

        A hub that fails says why in ``degraded``, ``{code, message}`` (cards
        then ``unknown``; pages word the code, the message is for logs);
        one that does not answer at all is not asked again for the rest.
        """
        state: dict[str, Any] = {"degraded": None, "silent": False}
        slots = asyncio.Semaphore(CONCURRENT_LOOKUPS)

        async def card(group: str) -> dict[str, str] | None:
            account = self.account_of(group)
            if account == self.config.server_owner or not is_account_name(account):
                return None  # no card for the server one is on, nor for odd names
            if self.not_accounts.get(account, 0) > time.monotonic():
                return None
            status: str | None = "unknown"
            async with slots:
                if not state["silent"]:
                    try:
                        status, note = await self.status(account)
                        # (lookups end in any order: a note is never undone)
                        state["degraded"] = note or state["degraded"]
                    except HubError as e:
                        state["degraded"] = {"code": e.reason, "message": e.message}
                        # A hub that does not answer is not asked N more times.
                        state["silent"] = e.reason in ("hub-timeout", "hub-unreachable")
                        status = "unknown"
            if status is None:
                return None  # not a project, or not one the owner may see
            return {"group": group, "account": account, "status": status}

        cards = await asyncio.gather(*(card(g) for g in groups))
        return {
            "collaborations": [c for c in cards if c is not None],
            "degraded": state["degraded"],
        }

    async def status(self, account: str) -> tuple[str | None, dict[str, str] | None]:
        """The status of ``account``'s server, and why it is unknown (or None)."""
        response = await self.client.request(
            "GET", user_path(account), self.token, expect=(200, 403, 404)
        )
        if response.code == 404:
            self.not_accounts[account] = time.monotonic() + NOT_AN_ACCOUNT_SECONDS
            return None, None
        if response.code == 403:
            return "unknown", dict(SCOPES_HINT)
        if not isinstance(response.body, dict):
            raise HubError(502, "hub-bad-response", "JupyterHub's user model was not understood.")
        return server_status(response.body), None
