"""The records of runtime projects and of group shares, in the hub side's
database (revision 7): synchronous, like
:class:`~.request_store.RequestStore`; the service runs every call on the
database's worker thread (:meth:`.db.Database.run`).

Why recorded: the hub knows the groups, accounts and shares, not which of
them the service made, who made a project (the limit per person, who may
manage it), nor that a user share stands for a group's member (a leaver's
share must go, a share given by name must stay). These outlive the
service and the hub, so that a new service process keeps them in step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from .tables import group_shares, projects, share_grants, utcnow


@dataclass(frozen=True)
class ProjectRecord:
    """A runtime project as recorded."""

    name: str
    account: str
    creator: str
    created: datetime


def _grouped(rows: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    grouped: dict[str, set[str]] = {}
    for key, value in rows:
        grouped.setdefault(key, set()).add(value)
    return grouped


class ProjectStore:
    """Runtime projects, group shares and the grants made for them.

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
        At the newest revision (:func:`~.db.upgrade`).
    clock : callable, optional
        Now, in UTC without a time zone (tests set it).
    """

    def __init__(self, engine: sa.engine.Engine, clock: Callable[[], datetime] = utcnow):
        self.engine = engine
        self.clock = clock

    # --- projects ----------------------------------------------------------------------

    def projects(self) -> list[ProjectRecord]:
        """Every runtime project, by name."""
        with self.engine.connect() as db:
            rows = db.execute(projects.select().order_by(projects.c.name))
            return [ProjectRecord(**row._mapping) for row in rows]

    def project(self, name: str) -> ProjectRecord | None:
        """The project named ``name`` (exactly), or None."""
        with self.engine.connect() as db:
            row = db.execute(projects.select().where(projects.c.name == name)).first()
            return None if row is None else ProjectRecord(**row._mapping)

    def add_project(self, name: str, account: str, creator: str, most: int) -> bool:
        """Record a project, unless ``creator`` already made ``most`` (in
        the same transaction: two requests at once cannot pass the limit
        together on a database that serialises writers, and the service
        makes one call at a time anyway).

        Returns
        -------
        bool
            False when the limit is reached (nothing recorded).

        Raises
        ------
        sqlalchemy.exc.IntegrityError
            When the name or the account is recorded already.
        """
        with self.engine.begin() as db:
            made = db.execute(
                sa.select(sa.func.count()).where(projects.c.creator == creator)
            ).scalar_one()
            if made >= most:
                return False
            db.execute(
                projects.insert().values(
                    name=name, account=account, creator=creator, created=self.clock()
                )
            )
        return True

    def created_by(self, creator: str) -> int:
        """How many recorded projects ``creator`` made."""
        with self.engine.connect() as db:
            return db.execute(
                sa.select(sa.func.count()).where(projects.c.creator == creator)
            ).scalar_one()

    def remove_project(self, name: str) -> None:
        """Forget a project (its group and account are gone from the hub)."""
        with self.engine.begin() as db:
            db.execute(projects.delete().where(projects.c.name == name))

    # --- group shares ----------------------------------------------------------------

    def group_shares(self, owner: str | None = None) -> dict[str, set[str]]:
        """Owner → the groups their default server is shared with (only
        ``owner``'s when given: a page's call reads one row or none)."""
        query = sa.select(group_shares.c.owner, group_shares.c.group)
        if owner is not None:
            query = query.where(group_shares.c.owner == owner)
        with self.engine.connect() as db:
            return _grouped(db.execute(query))

    def add_group_share(self, owner: str, group: str) -> None:
        with self.engine.begin() as db:
            exists = db.execute(
                sa.select(group_shares.c.owner).where(
                    group_shares.c.owner == owner, group_shares.c.group == group
                )
            ).first()
            if exists is None:
                db.execute(group_shares.insert().values(owner=owner, group=group))

    def remove_group_share(self, owner: str, group: str) -> None:
        with self.engine.begin() as db:
            db.execute(
                group_shares.delete().where(
                    group_shares.c.owner == owner, group_shares.c.group == group
                )
            )

    # --- grants --------------------------------------------------------------------------

    def grants(self, owner: str | None = None) -> dict[str, set[str]]:
        """Owner → the people the service shared their server with for a
        group (only ``owner``'s when given)."""
        query = sa.select(share_grants.c.owner, share_grants.c.user)
        if owner is not None:
            query = query.where(share_grants.c.owner == owner)
        with self.engine.connect() as db:
            return _grouped(db.execute(query))

    def set_grants(self, owner: str, users: Iterable[str]) -> None:
        """``owner``'s grants are now ``users``, in one transaction."""
        rows = [{"owner": owner, "user": user} for user in sorted(set(users))]
        with self.engine.begin() as db:
            db.execute(share_grants.delete().where(share_grants.c.owner == owner))
            if rows:
                db.execute(share_grants.insert(), rows)
