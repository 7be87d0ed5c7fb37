"""The shared servers of one's projects, as the hub shows them to this
server's own token: what ``GET collaborations`` answers, and the start-up
answer of ``me`` too; starting and stopping one; and the project of this
server, when it is a collaboration account's.

Why with this server's token: JupyterHub resolves its scopes against the
server owner's own permissions (``Spawner.server_token_scopes``, to which
the hub helper adds ``read:servers``, ``start:servers`` and
``delete:servers`` filtered to the accounts of the owner's projects only),
so it never sees nor does more than the owner could. Starting here rather
than on the hub's spawn page keeps members in JupyterLab: that page shows
the account's name and a "Logout" as if one were logged in as it.
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
from ..hub_client import HubClient, HubError, server_status, user_path
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

#: What a member may do to a shared server here.
ACTIONS = ("start", "stop")

#: Hub requests at once for one listing: a user in 200 groups is answered
#: in a few round trips, not 200 one after the other.
CONCURRENT_LOOKUPS = 8


def is_account_name(name: str) -> bool:
    """Whether ``name`` may be sent to the hub as a collaboration account."""
    return ACCOUNT_NAME.fullmatch(name) is not None


def this_project(config: HubGroupsConfig) -> dict[str, str] | None:
    """The project whose shared server this is, or None.

    The hub helper gives a collaboration account's server its project as
    ``presence_groups``; the project is the one of those whose account
    (by the pattern) is this server's owner, so that a personal server
    given presence groups by an administrator names no project.

    Returns
    -------
    dict or None
        ``{"group", "account"}``.
    """
    for group in config.presence_groups:
        if contract.account_name(config.collaboration_account, group) == config.server_owner:
            return {"group": group, "account": config.server_owner}
    return None


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
            if self.config.service_keeps_projects:
                # a project kept by shares (runtime, or the file's with
                # project_access: shares): its members hold no role on the
                # account, so this token may not see it; its card comes from
                # the service's GET projects, not a broken one from here
                return None, None
            return "unknown", dict(SCOPES_HINT)
        if not isinstance(response.body, dict):
            raise HubError(502, "hub-bad-response", "JupyterHub's user model was not understood.")
        return server_status(response.body), None

    async def act(self, account: str, action: str) -> str | None:
        """Start or stop ``account``'s server (``action``, one of :data:`ACTIONS`).

        Returns
        -------
        str or None
            The server's state after the request (``running``, ``starting``,
            ``stopping``, ``stopped``); None when the hub refuses this
            server's token (a server started before its token could do this).

        Raises
        ------
        HubError
            When the hub fails.
        """
        path = user_path(account, "server")
        if action == "stop":
            response = await self.client.request(
                "DELETE", path, self.token, expect=(202, 204, 403, 404)
            )
            if response.code in (403, 404):
                return None
            return "stopping" if response.code == 202 else "stopped"
        try:
            response = await self.client.request(
                "POST", path, self.token, expect=(201, 202, 400, 403, 404)
            )
        except HubError as e:
            if e.reason != "hub-timeout":
                raise
            # JupyterHub answers a start only once the spawn is over or
            # ``slow_spawn_timeout`` (10 s) has passed, often after our
            # ``hub_timeout``: it is starting; the page follows its state
            # (and says so if it stops instead).
            return "starting"
        if response.code in (403, 404):
            return None
        if response.code == 400:
            # Already running, or still stopping: the hub says which in
            # English only; its model says it in a word.
            status, _ = await self.status(account)
            return status
        return "running" if response.code == 201 else "starting"
