"""Managing a group's members from JupyterLab: the endpoints of the course
panel.

- ``GET manage``: the groups the requester may manage (sorted);
  ``{"groups": []}`` for everyone else.
- ``GET manage/<group>``: its members.
- ``GET manage/<group>/users?prefix=&limit=``: names to complete from.
- ``POST manage/<group>/preview`` ``{"names": [...]}``: which are new,
  already members, unknown, invalid (and why: ``problems``, one
  ``{name, error, message}`` each); changes nothing.
- ``POST manage/<group>/add``, ``POST manage/<group>/remove``: the change,
  with a result per name.

Why here: JupyterHub lets an instructor change a group's members
(``groups!group=<g>``) but has no page for it besides the admin page; its
forum's answer to an instructor who wants "a few clicks" is a UI of one's
own that makes the group API requests. This is that UI's server side.

Who may manage a group is the hub's to say: the token that authenticated
the request (the page's, whose scopes the hub helper sets on the owner's own
server) must hold ``groups!group=<g>`` or ``admin:groups!group=<g>`` in the
hub's ``/hub/api/user`` answer. Collaboration accounts (names the
account pattern gives) are never offered nor added: no person. Reads use the short-cached answer; every
change asks the hub again first (``max_age=0``), so a revoked role stops
changes at once. Every hub request carries the requester's own token: the
hub checks it again, and nothing here can do more than the requester could
with the REST API. Unfiltered ``groups`` (admins) name no group here.

Names and sizes are checked before anything reaches the hub
(:mod:`..membership`); hub failures are the same JSON as everywhere else.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import tornado

from ... import contract
from ...hub_client import HubError
from ..identity import HubIdentity, request_token
from ..membership import (
    BadRequest,
    account_matcher,
    account_problem,
    NoSuchGroup,
    change,
    error,
    group_problem,
    manage_answer,
    members,
    name_problem,
    parse_completion,
    parse_names,
)
from .base import HubGroupsHandler

#: The actions of ``POST manage/<group>/<action>``.
ACTIONS = ("preview", "add", "remove")


class _ManageHandler(HubGroupsHandler):
    """What the routes share: the requester's right to manage a group, and
    the replies. No HTTP method of its own."""

    def bad_request(self, message: str) -> None:
        self.refuse(400, "bad-request", message)

    async def authorized(self, group: str, fresh: bool = False) -> HubIdentity | None:
        """The requester, if they may manage ``group``; else None, after
        replying (400 for a name we never send, 403 ``not-a-manager``, or
        the hub's failure).

        Parameters
        ----------
        group : str
            From the URL, decoded.
        fresh : bool
            Ask the hub now (``max_age=0``), for changes.
        """
        problem = group_problem(group)
        if problem:
            self.bad_request(problem)
            return None
        if not self.under_hub:
            self._not_a_manager(self.current_user.username, group)
            return None
        identity = await self.requester(0 if fresh else None)
        if identity is None:
            return None
        if group not in contract.managed_groups(identity.scopes):
            self._not_a_manager(identity.name, group)
            return None
        return identity

    def _not_a_manager(self, name: str, group: str) -> None:
        self.refuse(
            403,
            "not-a-manager",
            f"{name} may not manage the members of {group} (with the token this page has).",
        )

    def no_such_group(self, group: str) -> None:
        self.refuse(404, "no-such-group", f"There is no group {group}.")

    @property
    def accounts(self):
        """What collaboration accounts' names match (never offered nor added)."""
        return account_matcher(self.hub_groups_config.collaboration_account)

    @property
    def hub_token(self) -> str:
        """The requester's own hub token, sent with every hub request.
        (Not ``token``: that is Jupyter Server's own, for its identity
        provider.)"""
        return request_token(self.hub_auth, self) or ""


class ManageHandler(_ManageHandler):
    """``GET manage``: the groups the requester may manage."""

    @tornado.web.authenticated
    async def get(self) -> None:
        if not self.under_hub:
            self.reply(200, {"groups": [], "titles": {}})
            return
        identity = await self.requester()
        if identity is None:
            return
        self.reply(200, manage_answer(identity, self.hub_groups_config.course_titles))


class ManagedGroupHandler(_ManageHandler):
    """``GET manage/<group>``: its members."""

    @tornado.web.authenticated
    async def get(self, group: str) -> None:
        if await self.authorized(group) is None:
            return
        try:
            found = await members(self.client, self.hub_token, group)
        except NoSuchGroup:
            self.no_such_group(group)
            return
        except HubError as e:
            self.fail(e)
            return
        self.reply(
            200,
            {
                "group": group,
                "members": found,
                "fetched_at": datetime.now(timezone.utc).isoformat(),
            },
        )


class ManagedUsersHandler(_ManageHandler):
    """``GET manage/<group>/users?prefix=&limit=``: names to complete from."""

    @tornado.web.authenticated
    async def get(self, group: str) -> None:
        try:
            prefix, limit = parse_completion(
                self.get_argument("prefix", None), self.get_argument("limit", None)
            )
        except BadRequest as e:
            self.bad_request(str(e))
            return
        if await self.authorized(group) is None:
            return
        try:
            users = await self.directory.search(self.hub_token, prefix, limit)
        except HubError as e:
            self.fail(e)
            return
        accounts = self.accounts
        self.reply(200, {"users": [u for u in users if not account_problem(u, accounts)]})


class ManagedActionHandler(_ManageHandler):
    """``POST manage/<group>/preview|add|remove`` ``{"names": [...]}``."""

    @tornado.web.authenticated
    async def post(self, group: str, action: str) -> None:
        if action not in ACTIONS:
            self.refuse(404, "unknown-action", "The actions are preview, add and remove.")
            return
        try:
            names = parse_names(self.request.body)
        except BadRequest as e:
            self.bad_request(str(e))
            return
        identity = await self.authorized(group, fresh=action != "preview")
        if identity is None:
            return
        # Why each name is never sent to the hub: not a user name, or (to
        # add) a collaboration account's. Removing one is allowed.
        refused: dict[str, tuple[str, str]] = {}
        accounts = self.accounts
        for n in names:
            if problem := name_problem(n):
                refused[n] = ("invalid", problem)
            elif action != "remove" and (problem := account_problem(n, accounts)):
                refused[n] = ("collaboration-account", problem)
        valid = [n for n in names if n not in refused]
        invalid = [n for n in names if n in refused]
        try:
            if action == "remove":
                body = await self._remove(group, valid)
            else:
                body = await self._preview_or_add(group, valid, add=action == "add")
        except NoSuchGroup:
            self.no_such_group(group)
            return
        except HubError as e:
            self.fail(e)
            return
        reasons = [error(n, *refused[n]) for n in invalid]
        if action == "preview":
            body["invalid"] = invalid
            body["problems"] = reasons
        else:
            body["errors"] = reasons + body["errors"]
            self.log.info(
                "hub-groups: %s %s %d name(s) in %s (%d error(s))",
                identity.name,
                "added" if action == "add" else "removed",
                len(body["added" if action == "add" else "removed"]),
                group,
                len(body["errors"]),
            )
        self.reply(200, body)

    async def _preview_or_add(self, group: str, names: list[str], add: bool) -> dict:
        # the group and the user list at once: the wall time of one
        before, (users, found) = await asyncio.gather(
            members(self.client, self.hub_token, group), self.directory.find(self.hub_token, names)
        )
        current = set(before)
        current_lower = {m.lower() for m in current}
        new, member, unknown = [], [], []
        for name in names:
            spelled = found[name]
            if users.names is None:
                # The token may not list users: the hub checks the names.
                (member if name.lower() in current_lower else new).append(name)
            elif spelled is None:
                unknown.append(name)
            elif spelled in current:
                member.append(spelled)
            else:
                new.append(spelled)
        if not add:
            return {"new": new, "member": member, "unknown": unknown}
        done = await change(self.client, self.hub_token, group, "POST", new)
        return {
            "added": done.done,
            "already": member,
            "errors": [
                error(n, "unknown-user", f"JupyterHub has no user {n}.") for n in unknown
            ]
            + done.errors,
            "members": done.members if done.members is not None else sorted(before),
        }

    async def _remove(self, group: str, names: list[str]) -> dict:
        before = await members(self.client, self.hub_token, group)
        exact = set(before)
        by_lower: dict[str, list[str]] = {}
        for m in before:
            by_lower.setdefault(m.lower(), []).append(m)
        leaving, not_member = [], []
        for name in names:
            same = by_lower.get(name.lower(), [])
            if name in exact:
                leaving.append(name)
            elif len(same) == 1:
                leaving.append(same[0])
            else:
                not_member.append(name)
        done = await change(self.client, self.hub_token, group, "DELETE", leaving)
        return {
            "removed": done.done,
            "not_member": not_member,
            "errors": done.errors,
            "members": done.members if done.members is not None else sorted(before),
        }

