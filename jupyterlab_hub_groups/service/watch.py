"""Watching the project groups, and ending what a removed member could keep.

Why: a member of a project can read the shared server's own token (it opens
the server); only stopping the server ends it (JupyterHub deletes a server's
token and OAuth client when it stops). Nothing in JupyterHub reacts to a
membership change, so the service compares the project groups with what it
saw last (kept in the hub side's database, :class:`.db.MemberRecords`, so
that a removal made while it was not running still counts, even after a
hub restart that lost ``state_dir``) and restarts or stops the shared
server of a project that lost a member: every server of the account
(named servers too, with their tokens), the default one started again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import quote

from ..hub_client import HubClient, HubError, user_path
from .db import Database

log = logging.getLogger("hub-groups")


async def group_members(
    client: HubClient, groups: set[str], page: int = 200
) -> dict[str, set[str]]:
    """The members of ``groups``, from the paginated group list.

    The token may list only these groups (``list:groups!group=...``), so a
    few pages answer for any number of projects. JupyterHub counts *all*
    groups in ``total``, so a short page, not ``total``, ends the list.

    Parameters
    ----------
    client : HubClient
    groups : set of str
        The project groups.
    page : int
        Groups per request.

    Returns
    -------
    dict
        Group → its members, for the groups of ``groups`` that exist.

    Raises
    ------
    HubError
    """
    members: dict[str, set[str]] = {}
    offset = 0
    while True:
        path = f"groups?offset={offset}&limit={page}"
        answer = (await client.request("GET", path, paginated=True)).body
        if not isinstance(answer, dict) or not isinstance(answer.get("items"), list):
            raise HubError(
                502, "hub-bad-response", "JupyterHub's list of groups was not understood.", path
            )
        items = answer["items"]
        for group in items:
            if group["name"] in groups:
                members[group["name"]] = set(group.get("users") or ())
        limit = answer.get("_pagination", {}).get("limit") or page
        if not items or len(items) < limit or not answer.get("_pagination", {}).get("next"):
            return members
        offset += len(items)


class Watcher:
    """Acts on members leaving project groups.

    Parameters
    ----------
    client : HubClient
        With the service's token.
    projects : mapping
        Project group → its collaboration account.
    action : str
        ``restart`` or ``stop`` the account's server (if it is running).
    db : Database
        Where the members last seen are kept between runs (its
        :class:`~.db.MemberRecords`).
    stop_timeout : float
        How long to wait for a server to stop before giving up this round.
    poll : float
        Seconds between looks at a server that is stopping.
    more_projects : callable, optional
        Read at every round: more projects (group → account) than the
        file's, the runtime ones from the database (:mod:`.projects`).
    """

    def __init__(
        self,
        client: HubClient,
        projects: Mapping[str, str],
        action: str,
        db: Database,
        stop_timeout: float = 300,
        poll: float = 0.5,
        more_projects: Callable[[], Awaitable[Mapping[str, str]]] | None = None,
    ) -> None:
        self.client = client
        self.projects = dict(projects)
        self.action = action
        self.db = db
        self.stop_timeout = stop_timeout
        self.poll = poll
        self.more_projects = more_projects

    async def check(self) -> dict[str, list[str]]:
        """One round: compare the project groups with what was seen last,
        act on every project that lost a member, remember what was seen.

        Returns
        -------
        dict
            Project → members who left it (and were acted on) this round.
        """
        projects = dict(self.projects)
        if self.more_projects is not None:
            projects.update(await self.more_projects())
        current = await group_members(self.client, set(projects))
        before = await self.db.run(self.db.records.watched)
        seen: dict[str, list[str]] = {}
        acted: dict[str, list[str]] = {}
        for project, account in projects.items():
            # A group that is gone has no members: everyone left it.
            now = current.get(project, set())
            left = sorted(before.get(project, set()) - now)
            seen[project] = sorted(now)
            if not left:
                continue
            log.info("%s left project %s: %s the server of %s", left, project, self.action, account)
            try:
                await self.act(account)
            except (HubError, asyncio.TimeoutError) as e:
                log.error("could not %s the server of %s: %s", self.action, account, e)
                # still counted as there: the next round tries again
                seen[project] = sorted(now | set(left))
                continue
            acted[project] = left
        await self.db.run(self.db.records.set_watched, seen)
        return acted

    async def _servers(self, account: str) -> dict[str, dict[str, Any]]:
        """The account's servers, by name (``""``: the default one); none
        when it has none or there is no such account."""
        path = user_path(account)
        response = await self.client.request("GET", path, expect=(200, 404))
        if response.code == 404:
            return {}
        model = response.body
        servers = model.get("servers") if isinstance(model, dict) else None
        if not isinstance(servers or {}, dict) or not all(
            isinstance(v, dict) for v in (servers or {}).values()
        ):
            raise HubError(
                502, "hub-bad-response", "JupyterHub's user model was not understood.", path
            )
        return dict(servers or {})

    async def act(self, account: str) -> None:
        """Stop every server of the account that is running or starting,
        wait until they are gone (their tokens and OAuth clients are deleted
        then), and start the default one again for ``restart`` if it was
        running. A stopped server has no token left: nothing to do.

        Every server, not only the default: with
        ``c.JupyterHub.allow_named_servers``, a member may have started a
        named server of the account (``servers!user=<account>``)
        before the hub helper refused them at spawn, and its token is as
        good as the default server's. Named ones are not started again.
        """
        running = {
            name: server
            for name, server in (await self._servers(account)).items()
            if server.get("pending") != "stop"  # already going: someone stopped it
        }
        if not running:
            return
        for name in sorted(running):
            await self.client.request("DELETE", _server_path(account, name), expect=(202, 204))
        deadline = time.monotonic() + self.stop_timeout
        while set(running) & set(await self._servers(account)):
            if time.monotonic() > deadline:
                raise asyncio.TimeoutError(f"the servers of {account} did not stop")
            await asyncio.sleep(self.poll)
        named = sorted(n for n in running if n)
        log.info(
            "stopped the server of %s%s: its token is no more",
            account,
            f" and its named servers {', '.join(map(repr, named))}" if named else "",
        )
        if self.action == "restart" and "" in running:
            await self.client.request("POST", _server_path(account, ""), expect=(201, 202))
            log.info("started the server of %s again", account)


def _server_path(account: str, name: str) -> str:
    """The API path of one server of ``account`` (``""``: the default one)."""
    if not name:
        return user_path(account, "server")
    return user_path(account, "servers", quote(name, safe=""))
