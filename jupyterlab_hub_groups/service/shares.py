"""Keeping JupyterHub user shares in step with groups (issue 20).

Why one user share per member and not one group share: JupyterHub 6.1.1
stores and lists a group share, but its members get 403 on the token path
(``scopes.get_scopes_for`` of an API token adds ``owner.shared_with_me``,
not the shares of the owner's groups), and every browser request to a
single-user server is checked through a token. So the service gives each
member a share of their own, and takes it away when they leave.

Two kinds of servers are kept so:

- a project's collaboration account (runtime projects, recorded in the
  database, and YAML projects with ``project_access: shares``): exactly
  the group's members have a share; any other share of the account is
  deleted (nobody else shares an account's server);
- a person's own default server shared with one of their groups (``Share
  my server``): every member but the owner has a share; a leaver's share
  is deleted only if the service made it for the group (the owner may
  also have shared with that person by name, which stays).

Done at once after each change made through the API, and at every round of
the service's watch loop, so that members added or removed elsewhere (the
admin page, the REST API) are followed within ``interval``. A leaver of a
project also has the shared server restarted by the watch
(:class:`.watch.Watcher`): the server's token dies with it.

Whose token: the service's own for the accounts (``shares!group=
<collaborative>`` or ``shares!user=<account>``) and to take any share away
(``users:shares``: read and revoke what a person was given, no access to
any server). A person's own server is shared with the *owner's* token,
sent with their request (their page token holds ``shares!user=<self>``):
the service never holds ``shares`` on people's servers, which would give
it ``access:servers`` on all of them. So a newcomer to a group someone
shared with gets their share at the owner's next call (``GET projects``
or ``GET shares``, which their page makes), a leaver loses theirs at the
next round.

All changes of one service process run one at a time (:func:`changes`):
a round never sees a project half made by a request.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from ..hub_client import HubClient, HubError
from .db import Database
from .project_store import ProjectStore
from .watch import group_members

log = logging.getLogger("hub-groups")

_locks: weakref.WeakKeyDictionary[Any, asyncio.Lock] = weakref.WeakKeyDictionary()
#: Per event loop: account → the members its shares were last made exactly
#: for (by the API's requests or the rounds: one record for both).
_in_step: weakref.WeakKeyDictionary[Any, dict[str, frozenset[str]]] = weakref.WeakKeyDictionary()

#: Every this many rounds, every account's shares are read from the hub;
#: in between, only those of projects whose members changed (1,000 projects
#: would be 1,000 hub requests a round). A share made or deleted by hand,
#: members unchanged, is put right within this many rounds.
FULL_ROUND_EVERY = 15
#: Up to this many groups are read one by one, more from the list of all.
FEW_GROUPS = 5


def changes() -> asyncio.Lock:
    """The lock every change of projects and shares holds, one per event
    loop (tests run several loops in one process)."""
    loop = asyncio.get_running_loop()
    if loop not in _locks:
        _locks[loop] = asyncio.Lock()
    return _locks[loop]


def share_path(owner: str) -> str:
    """The API path of the shares of ``owner``'s default server (server
    name ``""``: the path ends with ``/``)."""
    return f"shares/{quote(owner, safe='')}/"


class Shares:
    """The hub's user shares of default servers, and keeping them in step.

    Parameters
    ----------
    client : HubClient
        With the service's token.
    db : Database
    store : ProjectStore
    share_projects : mapping
        YAML projects kept by shares: group → collaboration account.
    """

    def __init__(
        self,
        client: HubClient,
        db: Database,
        store: ProjectStore,
        share_projects: Mapping[str, str] | None = None,
    ) -> None:
        self.client = client
        self.db = db
        self.store = store
        self.share_projects = dict(share_projects or {})
        self._rounds = 0

    @property
    def _in_step(self) -> dict[str, frozenset[str]]:
        return _in_step.setdefault(asyncio.get_running_loop(), {})

    # --- the hub's shares ------------------------------------------------------------------

    async def shared_with(self, owner: str, token: str | None = None) -> set[str] | None:
        """The people with a user share of ``owner``'s default server;
        None when the hub has no such server (no such user)."""
        users: set[str] = set()
        offset = 0
        while True:
            path = f"{share_path(owner)}?offset={offset}&limit=200"
            response = await self.client.request(
                "GET", path, token, expect=(200, 404), paginated=True
            )
            if response.code == 404:
                return None
            answer = response.body
            items = answer.get("items") if isinstance(answer, dict) else None
            if not isinstance(items, list):
                raise HubError(
                    502, "hub-bad-response", "JupyterHub's list of shares was not understood.", path
                )
            for share in items:
                if share.get("kind") == "user" and isinstance(share.get("user"), dict):
                    users.add(share["user"]["name"])
            if not items or not (answer.get("_pagination") or {}).get("next"):
                return users
            offset += len(items)

    async def grant(self, owner: str, user: str, token: str | None = None) -> bool:
        """Share ``owner``'s default server with ``user`` (again: the hub
        keeps one share). False when the hub has no such user or server."""
        response = await self.client.request(
            "POST", share_path(owner), token, body={"user": user}, expect=(200, 400, 404)
        )
        if response.code != 200:
            log.warning("could not share the server of %s with %s: %s", owner, user, response.body)
            return False
        return True

    async def revoke(self, owner: str, user: str) -> None:
        """End ``user``'s share of ``owner``'s default server (none: nothing),
        with the service's ``users:shares``."""
        path = f"users/{quote(user, safe='')}/shared/{quote(owner, safe='')}/"
        await self.client.request("DELETE", path, expect=(204, 404))

    async def revoke_all(self, owner: str) -> None:
        """End every share of an account's default server."""
        for user in await self.shared_with(owner) or ():
            await self.revoke(owner, user)

    async def members_of(self, groups: set[str]) -> dict[str, set[str]]:
        """Group → members, for those of ``groups`` that exist: one request
        per group for a few (an owner's, at each call of their page), the
        paginated list of every group for more (a round)."""
        if len(groups) > FEW_GROUPS:
            return await group_members(self.client, groups)
        found = {}
        for group in groups:
            path = f"groups/{quote(group, safe='')}"
            response = await self.client.request("GET", path, expect=(200, 404))
            body = response.body if isinstance(response.body, dict) else {}
            if response.code == 200 and isinstance(body.get("users"), list):
                found[group] = set(body["users"])
        return found

    # --- keeping them in step --------------------------------------------------------------

    async def sync_account(self, account: str, members: set[str]) -> dict[str, list[str]]:
        """Exactly ``members`` share ``account``'s server.

        Returns
        -------
        dict
            ``granted`` and ``revoked``: who was changed (sorted).
        """
        self._in_step.pop(account, None)
        current = await self.shared_with(account)
        if current is None:
            log.warning("the collaboration account %s is not in the hub: no shares", account)
            return {"granted": [], "revoked": []}
        granted = [u for u in sorted(members - current) if await self.grant(account, u)]
        revoked = sorted(current - members)
        for user in revoked:
            await self.revoke(account, user)
        if len(granted) == len(members - current):
            self._in_step[account] = frozenset(members)
        if granted or revoked:
            log.info("shares of %s: granted to %s, revoked from %s", account, granted, revoked)
        return {"granted": granted, "revoked": revoked}

    async def sync_owner(
        self, owner: str, wanted: set[str], granted: set[str], token: str | None
    ) -> dict[str, list[str]]:
        """Those the service shared with for a group (``granted``) and no
        longer in it (``wanted``: the groups' members) lose their share;
        with the owner's ``token``, everyone of ``wanted`` gets one."""
        wanted = wanted - {owner}
        made: list[str] = []
        if token is not None:
            current = await self.shared_with(owner, token)
            if current is None:
                return {"granted": [], "revoked": []}
            made = [u for u in sorted(wanted - current) if await self.grant(owner, u, token)]
        revoked = sorted(granted - wanted)
        for user in revoked:
            await self.revoke(owner, user)
        kept = (granted & wanted) | set(made)
        if kept != granted:
            await self.db.run(self.store.set_grants, owner, kept)
        if made or revoked:
            log.info(
                "shares of %s for groups: granted to %s, revoked from %s", owner, made, revoked
            )
        return {"granted": made, "revoked": revoked}

    async def project_accounts(self) -> dict[str, str]:
        """Every project kept by shares: group → account (runtime ones from
        the database, read now; YAML ones with ``project_access: shares``)."""
        runtime = await self.db.run(self.store.projects)
        return {**self.share_projects, **{p.name: p.account for p in runtime}}

    async def sync(
        self,
        only_project: str | None = None,
        only_owner: str | None = None,
        token: str | None = None,
    ) -> None:
        """Keep every share in step (or one project's, or one owner's, with
        their ``token``). Holds :func:`changes`' lock; :meth:`sync_unlocked`
        is for a caller that holds it.

        Raises
        ------
        HubError
            The first failure; the rest waits for the next round.
        """
        async with changes():
            await self.sync_unlocked(only_project, only_owner, token)

    async def sync_unlocked(
        self,
        only_project: str | None = None,
        only_owner: str | None = None,
        token: str | None = None,
    ) -> None:
        """:meth:`sync`, for a caller already holding :func:`changes`' lock."""
        projects = {} if only_owner else await self.project_accounts()
        if only_project is not None:
            projects = {k: v for k, v in projects.items() if k == only_project}
        owners: dict[str, set[str]] = {}
        grants: dict[str, set[str]] = {}
        if only_project is None:
            owners = await self.db.run(self.store.group_shares)
            grants = await self.db.run(self.store.grants)
            if only_owner is not None:
                owners = {only_owner: owners.get(only_owner, set())}
                grants = {only_owner: grants.get(only_owner, set())}
        groups = set(projects) | {g for gs in owners.values() for g in gs}
        members = await self.members_of(groups)
        full = True
        round_ = only_project is None and only_owner is None
        if round_:
            full = self._rounds % FULL_ROUND_EVERY == 0
            self._rounds += 1
        failed = []
        for project, account in sorted(projects.items()):
            if project not in members:
                continue
            if not full and self._in_step.get(account) == frozenset(members[project]):
                continue
            try:
                await self.sync_account(account, members[project])
            except HubError as e:
                if not round_:
                    raise
                failed.append(f"{account}: {e}")  # one account must not stop the others
        for owner in sorted(set(owners) | set(grants)):
            wanted = set().union(*(members.get(g, set()) for g in owners.get(owner, ())))
            try:
                await self.sync_owner(
                    owner, wanted, grants.get(owner, set()), token if owner == only_owner else None
                )
            except HubError as e:
                if not round_:
                    raise
                failed.append(f"{owner}: {e}")
        if failed:
            log.error("shares not in step yet (next round): %s", "; ".join(failed))

    async def top_up(self, owner: str, token: str | None) -> None:
        """With ``owner``'s token at hand (any call of theirs): the newcomers
        to the groups they shared with get their shares."""
        if token and owner in await self.db.run(self.store.group_shares, owner):
            await self.sync(only_owner=owner, token=token)

    # --- share my server ----------------------------------------------------------------

    async def listing(self, owner: str, token: str) -> dict[str, Any]:
        """``GET shares``: who may open ``owner``'s default server: the
        people shared with by name, and each group with its members."""
        groups = (await self.db.run(self.store.group_shares, owner)).get(owner, set())
        grants = (await self.db.run(self.store.grants, owner)).get(owner, set())
        current = await self.shared_with(owner, token) or set()
        members = await self.members_of(groups)
        shares: list[dict[str, Any]] = [
            {"kind": "user", "user": user} for user in sorted(current - grants)
        ]
        shares += [
            {
                "kind": "group",
                "group": group,
                "users": sorted(members.get(group, set()) - {owner}),
            }
            for group in sorted(groups)
        ]
        return {"shares": shares}

    async def share_with_people(self, owner: str, token: str, users: list[str]) -> dict:
        """Share ``owner``'s server with ``users`` by name (checked people):
        such a share stays when they leave a group the server is shared with."""
        async with changes():
            for user in users:
                if user != owner:
                    await self.grant(owner, user, token)
            grants = (await self.db.run(self.store.grants, owner)).get(owner, set())
            if grants & set(users):
                await self.db.run(self.store.set_grants, owner, grants - set(users))
        return await self.listing(owner, token)

    async def share_with_group(self, owner: str, token: str, group: str) -> dict:
        """Share ``owner``'s server with a group, kept in step from now on."""
        async with changes():
            await self.db.run(self.store.add_group_share, owner, group)
            await self.sync_unlocked(only_owner=owner, token=token)
        return await self.listing(owner, token)

    async def unshare_person(self, owner: str, token: str, user: str) -> dict:
        """End ``user``'s share (a member of a group the server is still
        shared with gets it back: revoke the group instead)."""
        async with changes():
            await self.revoke(owner, user)
            grants = (await self.db.run(self.store.grants, owner)).get(owner, set())
            if user in grants:
                await self.db.run(self.store.set_grants, owner, grants - {user})
            await self.sync_unlocked(only_owner=owner, token=token)
        return await self.listing(owner, token)

    async def unshare_group(self, owner: str, token: str, group: str) -> dict:
        """Stop sharing with a group: its members lose the shares made for it."""
        async with changes():
            await self.db.run(self.store.remove_group_share, owner, group)
            await self.sync_unlocked(only_owner=owner, token=token)
        return await self.listing(owner, token)
