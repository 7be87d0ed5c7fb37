"""Projects made at runtime (issue 20): the rules, without HTTP.

Why: a YAML project needs an admin, a file edit and a hub restart
(JupyterHub reads roles at start only). A runtime project needs neither:
the service makes its group and collaboration account, and gives each
member a user share of the account's server (:mod:`.shares`), which takes
effect at once. Names are checked as the YAML file's are (the hub
helper's own checks: a usable name, an account JupyterHub keeps as it is,
an account nobody can log in as), and never clash with a group, a person,
an account or a name the file uses.

The order of the hub calls is chosen so that a failure midway leaves
nothing half made for long:

- creating records the project first (which claims the name and counts
  against the creator's limit), then makes the group, the account, puts
  the account into the collaborative group, then the members. A failure
  undoes what was made, newest first; if the undoing fails too, the next
  round of the watch (:meth:`Projects.repair`) finishes it: a project
  whose group exists gets its account; one whose group does not is
  deleted.
- deleting stops the account's servers first (their tokens die), then
  deletes the shares, the group, the account and last the record. A
  failure leaves the record, and the next round finds a project without
  its group and deletes the rest.

Every change holds :func:`.shares.changes`' lock, as the rounds do.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa

from .. import contract
from ..hub.checker import ACCOUNT_PATTERN, NAME_PATTERN
from ..hub.settings import _account_pattern_problem
from ..hub.spec import Settings
from ..hub_client import HubClient, HubError, server_status, user_path
from .api_error import ApiError
from .config import RuntimeProjectsConfig
from .db import Database
from .people import People
from .project_store import ProjectRecord, ProjectStore
from .shares import Shares, changes
from .watch import Watcher, group_members

log = logging.getLogger("hub-groups")

def _hub_failure(e: HubError) -> ApiError:
    return ApiError(e.status, e.reason, e.message)


class Projects:
    """Runtime projects (and the YAML ones kept by shares, listed).

    Parameters
    ----------
    client : HubClient
        With the service's token.
    db : Database
    store : ProjectStore
    shares : Shares
    config : RuntimeProjectsConfig, optional
        None: nobody creates projects (the YAML ones kept by shares are
        still listed, started and stopped).
    """

    def __init__(
        self,
        client: HubClient,
        db: Database,
        store: ProjectStore,
        shares: Shares,
        config: RuntimeProjectsConfig | None,
    ) -> None:
        self.client = client
        self.db = db
        self.store = store
        self.shares = shares
        self.config = config
        self.account_regex = None
        if config is not None:
            problem = _account_pattern_problem(config.account_pattern)
            if problem:
                raise ValueError(f"runtime_projects.account_pattern {problem}")
            settings = Settings(collaboration_account=config.account_pattern)
            self.account_regex = settings.account_regex
            self._server_pattern = contract.server_account_pattern(config.account_pattern)
        self.collaborative_group = config.collaborative_group if config else None
        self.people = People(client, self.account_regex, self.collaborative_group)

    # --- reading ------------------------------------------------------------------------

    def may_create(self, groups: set[str]) -> bool:
        """Whether someone in ``groups`` may create projects."""
        return self.config is not None and (
            self.config.allowed is None or self.config.allowed in groups
        )

    async def _all(self) -> dict[str, tuple[str, str | None]]:
        """Group → (account, creator or None for a YAML project)."""
        records = await self.db.run(self.store.projects)
        found: dict[str, tuple[str, str | None]] = {
            g: (a, None) for g, a in self.shares.share_projects.items()
        }
        found.update({p.name: (p.account, p.creator) for p in records})
        return found

    async def status(self, account: str) -> str:
        """The account's default server as the cards show it
        (:func:`~..hub_client.server_status`); ``stopped`` without an account."""
        response = await self.client.request("GET", user_path(account), expect=(200, 404))
        return server_status(response.body) if response.code == 200 else "stopped"

    async def model(
        self, name: str, account: str, creator: str | None, members: Iterable[str], model: Mapping
    ) -> dict[str, Any]:
        """A project as the API answers it (``P`` of the contract)."""
        caller = model.get("name")
        return {
            "name": name,
            "account": account,
            "kind": "file" if creator is None else "runtime",
            "creator": creator,
            "members": sorted(members),
            "may_manage": creator is not None and (caller == creator or bool(model.get("admin"))),
            "status": await self.status(account),
            "url": f"/user/{account}/",
        }

    async def listing(self, model: Mapping[str, Any], groups: set[str]) -> dict[str, Any]:
        """``GET projects``: those the caller is a member of or created."""
        caller = model["name"]
        try:
            every = await self._all()
            listed = []
            # the caller's groups (the hub's answer of this request) and what
            # they created: a few hub requests, however many projects there are
            for name, (account, creator) in sorted(every.items()):
                if name not in groups and caller != creator:
                    continue
                people = await self._members_of(name)
                if people is None or (caller not in people and caller != creator):
                    continue
                listed.append(await self.model(name, account, creator, people, model))
        except HubError as e:
            raise _hub_failure(e) from None
        created = await self.db.run(self.store.created_by, caller)
        return {
            "projects": listed,
            "may_create": self.may_create(groups),
            "created": created,
            "max_per_person": self.config.max_per_person if self.config else 0,
        }

    async def _members_of(self, group: str) -> set[str] | None:
        """The members of ``group``, or None when the hub has no such group."""
        path = f"groups/{quote(group, safe='')}"
        response = await self.client.request("GET", path, expect=(200, 404))
        if response.code == 404:
            return None
        users = response.body.get("users") if isinstance(response.body, dict) else None
        if not isinstance(users, list):
            raise HubError(502, "hub-bad-response", "JupyterHub's group was not understood.", path)
        return set(users)

    async def find(self, name: str, model: Mapping[str, Any], manage: bool = False):
        """The project ``name`` and its members, for a caller who is a
        member (or, with ``manage``, its creator or an admin); 404 for
        someone else, as for a project that does not exist (a name is not
        told to people outside it)."""
        every = await self._all()
        try:
            members = await self._members_of(name) if name in every else None
        except HubError as e:
            raise _hub_failure(e) from None
        caller = model["name"]
        if members is None:
            raise ApiError(404, "no-such-project", f"There is no project {name!r}.")
        account, creator = every[name]
        if manage:
            if creator is None or (caller != creator and not model.get("admin")):
                if caller not in members:
                    raise ApiError(404, "no-such-project", f"There is no project {name!r}.")
                raise ApiError(
                    403, "not-the-creator", f"Only the creator of {name} or an admin may change it."
                )
        elif caller not in members and not (creator is not None and caller == creator):
            raise ApiError(404, "no-such-project", f"There is no project {name!r}.")
        return account, creator, members

    # --- checks -------------------------------------------------------------------------

    def account_of(self, name: str) -> str:
        """The collaboration account of project ``name``, after its checks."""
        if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
            raise ApiError(
                400,
                "invalid-name",
                f"{name!r} is not a usable name (letters, digits, '_', '.', '-'; "
                "starting with a letter; at most 121 characters).",
            )
        account = contract.account_name(self._server_pattern, name)
        if not ACCOUNT_PATTERN.fullmatch(account):
            raise ApiError(
                400,
                "invalid-name",
                f"{name!r} gives the collaboration account {account!r}, which JupyterHub would "
                "not keep as it is: use a lowercase name.",
            )
        if not self.account_regex.fullmatch(account):
            # the login hook refuses every name the pattern gives: one it
            # does not refuse, a person could register and log in as
            raise ApiError(
                400,
                "invalid-name",
                f"{name!r} gives an account {account!r} a person could log in as.",
            )
        return account

    async def _exists(self, path: str) -> bool:
        response = await self.client.request("GET", path, expect=(200, 404))
        return response.code == 200

    async def check_free(self, name: str, account: str) -> None:
        """409 ``name-taken`` when the name is reserved or the hub has a
        group or a person of that name, or the account."""
        config = self.config
        reserved = {r.lower() for r in (*config.reserved, config.collaborative_group)}
        if config.allowed:
            reserved.add(config.allowed.lower())
        taken = None
        if name.lower() in reserved:
            taken = f"{name!r} is used by the hub's configuration."
        elif await self._exists(f"groups/{quote(name, safe='')}"):
            taken = f"There is a group {name!r} already."
        elif await self._exists(user_path(account)):
            taken = f"The account {account!r} exists already."
        elif await self._exists(user_path(name.lower())):
            taken = f"{name!r} is the name of a person."
        if taken:
            raise ApiError(409, "name-taken", taken)

    # --- changes ------------------------------------------------------------------------

    async def create(
        self, model: Mapping[str, Any], groups: set[str], name: Any, members: list[str]
    ) -> dict[str, Any]:
        """``POST projects``: a new project with its creator among the members."""
        caller = model["name"]
        if not self.may_create(groups):
            raise ApiError(403, "not-allowed", f"{caller} may not create projects.")
        account = self.account_of(name)
        async with changes():
            try:
                members = await self.people.check([caller, *members])
                await self.check_free(name, account)
            except HubError as e:
                raise _hub_failure(e) from None
            most = self.config.max_per_person
            try:
                added = await self.db.run(self.store.add_project, name, account, caller, most)
            except sa.exc.IntegrityError:
                raise ApiError(409, "name-taken", f"There is a project {name!r} already.") from None
            if not added:
                raise ApiError(
                    409,
                    "too-many-projects",
                    f"{caller} has created {most} projects, the most one may have.",
                )
            made: list[str] = []
            try:
                await self._make(name, account, members, made)
            except (HubError, ApiError) as e:
                await self._undo(name, account, made)
                raise e if isinstance(e, ApiError) else _hub_failure(e) from None
            log.info("%s created project %s (account %s) with %s", caller, name, account, members)
            await self._shares_of(name)
        return await self.model(name, account, caller, members, model)

    async def _shares_of(self, name: str) -> None:
        """The project's shares in step now; a failure is left to the next
        round (the change itself is made)."""
        try:
            await self.shares.sync_unlocked(only_project=name)
        except HubError as e:
            log.warning("the shares of %s wait for the next round: %s", name, e)

    async def _make(self, name: str, account: str, members: list[str], made: list[str]) -> None:
        group = f"groups/{quote(name, safe='')}"
        response = await self.client.request("POST", group, expect=(201, 409))
        if response.code == 409:
            raise ApiError(409, "name-taken", f"There is a group {name!r} already.")
        made.append("group")
        response = await self.client.request("POST", user_path(account), expect=(201, 409))
        if response.code == 409:
            raise ApiError(409, "name-taken", f"The account {account!r} exists already.")
        made.append("account")
        await self._into_collaborative(account)
        await self.client.request("POST", f"{group}/users", body={"users": members}, expect=(200,))

    async def _into_collaborative(self, account: str) -> None:
        await self.client.request(
            "POST",
            f"groups/{quote(self.collaborative_group, safe='')}/users",
            body={"users": [account]},
            expect=(200,),
        )

    async def _undo(self, name: str, account: str, made: list[str]) -> None:
        """Undo a creation that failed, newest first; what cannot be undone
        is left to :meth:`repair`."""
        try:
            if "account" in made:
                await self.client.request("DELETE", user_path(account), expect=(204, 404))
            if "group" in made:
                await self.client.request(
                    "DELETE", f"groups/{quote(name, safe='')}", expect=(204, 404)
                )
            await self.db.run(self.store.remove_project, name)
        except HubError as e:
            log.error("could not undo the project %s (the next round will): %s", name, e)

    async def change_members(
        self, model: Mapping[str, Any], name: str, users: list[str], add: bool
    ) -> dict[str, Any]:
        """``POST``/``DELETE projects/<name>/members``: for its creator or an admin."""
        async with changes():
            account, creator, members = await self.find(name, model, manage=True)
            try:
                if add:
                    users = await self.people.check(users)
                elif creator in users:
                    raise ApiError(
                        400, "creator-stays", f"{creator} created {name} and stays a member."
                    )
                path = f"groups/{quote(name, safe='')}/users"
                await self.client.request(
                    "POST" if add else "DELETE", path, body={"users": users}, expect=(200,)
                )
            except HubError as e:
                raise _hub_failure(e) from None
            members = (members | set(users)) if add else (members - set(users))
            await self._shares_of(name)
        change = "added to" if add else "removed from"
        log.info("%s: %s %s project %s", model["name"], users, change, name)
        return await self.model(name, account, creator, members, model)

    async def delete(self, model: Mapping[str, Any], name: str) -> None:
        """``DELETE projects/<name>``: for its creator or an admin."""
        async with changes():
            account, _, _ = await self.find(name, model, manage=True)
            try:
                await self._remove(name, account)
            except HubError as e:
                raise _hub_failure(e) from None
        log.info("%s deleted project %s", model["name"], name)

    async def _remove(self, name: str, account: str) -> None:
        await Watcher(self.client, {}, "stop", self.db).act(account)
        await self.shares.revoke_all(account)
        await self.client.request("DELETE", f"groups/{quote(name, safe='')}", expect=(204, 404))
        await self.client.request("DELETE", user_path(account), expect=(204, 404))
        await self.db.run(self.store.remove_project, name)

    async def start_stop(self, model: Mapping[str, Any], name: str, start: bool) -> dict:
        """``POST projects/<name>/start|stop``: for its members."""
        account, creator, members = await self.find(name, model)
        if model["name"] not in members:
            raise ApiError(403, "not-a-member", f"Only members of {name} start or stop it.")
        path = user_path(account, "server")
        try:
            if start:
                await self.client.request("POST", path, expect=(201, 202, 400))
            else:
                await self.client.request("DELETE", path, expect=(202, 204, 400))
        except HubError as e:
            raise _hub_failure(e) from None
        return await self.model(name, account, creator, members, model)

    # --- the watch's round ----------------------------------------------------------------

    async def check(self) -> None:
        """One round of the watch loop: :meth:`repair`, then every share in
        step (:meth:`.shares.Shares.sync`)."""
        await self.repair()
        await self.shares.sync()

    async def repair(self) -> None:
        """Finish what a failure left (see the module's docstring): a
        project without its group is deleted, one whose account is not in
        the collaborative group gets it there (made if missing)."""
        if self.config is None:
            return
        async with changes():
            records: list[ProjectRecord] = await self.db.run(self.store.projects)
            if not records:
                return
            groups = {p.name for p in records} | {self.collaborative_group}
            members = await group_members(self.client, groups)
            accounts = members.get(self.collaborative_group, set())
            for project in records:
                try:
                    await self._repair(project, project.name in members, accounts)
                except HubError as e:  # one project must not stop the others
                    log.error("could not repair project %s (next round): %s", project.name, e)

    async def _repair(self, project: ProjectRecord, has_group: bool, accounts: set[str]) -> None:
        if not has_group:
            log.info("project %s has no group any more: deleting the rest", project.name)
            await self._remove(project.name, project.account)
        elif project.account not in accounts:
            log.info("project %s: its account %s is back", project.name, project.account)
            await self.client.request("POST", user_path(project.account), expect=(201, 409))
            await self._into_collaborative(project.account)


def make_projects(config: Any, client: HubClient, db: Database) -> Projects | None:
    """The service's projects, or None when it keeps none (no runtime
    projects, no YAML project kept by shares).

    Parameters
    ----------
    config : ServiceConfig
    client : HubClient
    db : Database
    """
    if config.runtime_projects is None and not config.share_projects:
        return None
    store = ProjectStore(db.store.engine, db.store.clock)
    shares = Shares(client, db, store, config.share_projects)
    return Projects(client, db, store, shares, config.runtime_projects)
