"""Who the hub helper added to each group, and what the service last saw
of the project groups: the queries of the two record tables.

Why in the database (not files in ``state_dir``): in Zero to JupyterHub
with an external database, ``/srv/jupyterhub`` is lost at every hub
restart; records kept there would be too (initial members added again, a
removal made meanwhile missed). The hub helper writes :meth:`MemberRecords.seed`
at config load (:mod:`jupyterlab_hub_groups.hub.seeding`), the service
:meth:`MemberRecords.set_watched` (:mod:`.watch`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from .tables import seeded, watched


def _grouped(rows: Iterable[Any]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for key, user in rows:
        found.setdefault(key, set()).add(user)
    return found


class MemberRecords:
    """Who the hub helper added to each group, and what the service saw of
    the project groups: synchronous, like :class:`~.request_store.RequestStore`.

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
        At the newest revision (:func:`~.db.upgrade`).
    """

    def __init__(self, engine: sa.engine.Engine):
        self.engine = engine

    def seeded(self) -> dict[str, set[str]]:
        """Group → the people the hub helper added to it (groups without
        anyone are left out)."""
        with self.engine.connect() as db:
            return _grouped(db.execute(sa.select(seeded.c.group, seeded.c.user)))

    def seed(self, members: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
        """Record ``members`` as added, in one transaction, and say who was
        not recorded before.

        Parameters
        ----------
        members : mapping
            Group → people (the file's members, or an older version's record).

        Returns
        -------
        dict
            Group → the people of ``members`` not recorded before (sorted),
            for every group of ``members``.
        """
        new: dict[str, list[str]] = {}
        with self.engine.begin() as db:
            before = _grouped(db.execute(sa.select(seeded.c.group, seeded.c.user)))
            rows = []
            for group, users in members.items():
                new[group] = sorted(set(users) - before.get(group, set()))
                rows += [{"group": group, "user": user} for user in new[group]]
            if rows:
                db.execute(seeded.insert(), rows)
        return new

    def watched(self) -> dict[str, set[str]]:
        """Project → its members at the service's last look (projects
        without anyone are left out)."""
        with self.engine.connect() as db:
            return _grouped(db.execute(sa.select(watched.c.project, watched.c.user)))

    def set_watched(self, members: Mapping[str, Iterable[str]]) -> None:
        """What the service saw now replaces what it saw before, in one
        transaction (projects that left the file are forgotten).

        Parameters
        ----------
        members : mapping
            Project → its members now.
        """
        rows = [
            {"project": project, "user": user}
            for project, users in members.items()
            for user in sorted(set(users))
        ]
        with self.engine.begin() as db:
            db.execute(watched.delete())
            if rows:
                db.execute(watched.insert(), rows)
