"""Changes to the course groups made outside the Course members panel,
for the courses' history.

Why: an admin on the hub's admin page, a script on the hub's REST API or
the hub helper's authoritative sync changes a course group without the
panel, and the hub records no such change. The service looks at the
course groups every round of its watch (``interval``), compares them with
what it saw last (kept in the database, :data:`~.tables.courses_seen`,
so that a change made while it was not running still counts) and records
each difference as a change without an author (``by`` None: "outside the
panel").

Which change is whose, when both the panel and the watch see it:

- The panel reports its change after the hub took it. When the report
  comes first, the watch finds the person's last recorded change is of
  the same kind and records nothing.
- When the watch comes first, it records the change without an author,
  and the report that follows within :data:`ATTRIBUTION_SECONDS` puts
  its author on that row (:meth:`~.history.HistoryStore.record`).
- A person added because a request was approved (or who joined an open
  course) is the request's event already: an add is not recorded when
  the person's request was approved after their last recorded change.
- A person added while their request waited (on the admin page, or in
  the panel directly) has it settled at the next look: approved, by
  nobody here (the history's "outside the panel"), without an e-mail.

A group the hub no longer has is left as it was last seen; a group seen
for the first time is remembered without recording anything (who was
in it before is not a change anyone made since).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime

import sqlalchemy as sa

from ..hub_client import HubClient
from .db import Database
from .enrolment import loggable
from .tables import courses_seen, member_changes, requests, utcnow
from .watch import group_members

log = logging.getLogger("hub-groups")

#: The row that says a group was seen, even empty (no user has this name).
SEEN_MARK = ""


class CourseChanges:
    """The watch's queries, synchronous (run on the database's worker
    thread, as :class:`~.history.HistoryStore`'s).

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
        At the newest revision.
    clock : callable
        Now, as :func:`~.tables.utcnow` gives it.
    """

    def __init__(self, engine: sa.engine.Engine, clock: Callable[[], datetime] = utcnow):
        self.engine = engine
        self.clock = clock

    def seen(self) -> dict[str, set[str]]:
        """Group → its members at the last look, for every group seen."""
        found: dict[str, set[str]] = {}
        with self.engine.connect() as db:
            for group, user in db.execute(sa.select(courses_seen.c.group, courses_seen.c.user)):
                people = found.setdefault(group, set())
                if user != SEEN_MARK:
                    people.add(user)
        return found

    def apply(self, now: Mapping[str, Iterable[str]]) -> dict[str, dict[str, list[str]]]:
        """Record what changed since the last look in the groups of ``now``
        and remember ``now``, in one transaction.

        Parameters
        ----------
        now : mapping
            Group → its members now (the groups the hub has).

        Returns
        -------
        dict
            Group → ``{"added": [...], "removed": [...]}`` recorded this
            time (groups with nothing recorded are left out).
        """
        at = self.clock()
        recorded: dict[str, dict[str, list[str]]] = {}
        before = self.seen()
        with self.engine.begin() as db:
            for group, members in now.items():
                members = set(members) - {SEEN_MARK}
                _settle(db, group, members, at)
                if group in before:
                    done = self._record(db, group, before[group], members, at)
                    if done:
                        recorded[group] = done
                db.execute(courses_seen.delete().where(courses_seen.c.group == group))
                db.execute(
                    courses_seen.insert(),
                    [{"group": group, "user": u} for u in sorted(members | {SEEN_MARK})],
                )
        return recorded

    def _record(
        self,
        db: sa.engine.Connection,
        group: str,
        before: set[str],
        members: set[str],
        at: datetime,
    ) -> dict[str, list[str]]:
        changed = {"added": members - before, "removed": before - members}
        people = changed["added"] | changed["removed"]
        if not people:
            return {}
        last: dict[str, tuple[str, datetime]] = {}
        for part in _parts(sorted(people)):
            rows = db.execute(
                sa.select(member_changes.c.user, member_changes.c.kind, member_changes.c.at)
                .where(member_changes.c.group == group, member_changes.c.user.in_(part))
                .order_by(member_changes.c.id)
            )
            for user, kind, when in rows:
                last[user] = (kind, when)
        approved: dict[str, datetime] = {}
        for part in _parts(sorted(changed["added"])):
            rows = db.execute(
                sa.select(requests.c.user, sa.func.max(requests.c.decided))
                .where(
                    requests.c.group == group,
                    requests.c.user.in_(part),
                    requests.c.state == "approved",
                )
                .group_by(requests.c.user)
            )
            approved.update({user: when for user, when in rows if when is not None})
        done: dict[str, list[str]] = {}
        for kind, users in changed.items():
            new = []
            for user in sorted(users):
                if last.get(user, ("", None))[0] == kind:
                    continue  # the panel reported it already
                since = last[user][1] if user in last else None
                explained = user in approved and (since is None or approved[user] >= since)
                if kind == "added" and explained:
                    continue  # the approval (or the join) is the event
                new.append(user)
            if new:
                db.execute(
                    member_changes.insert(),
                    [{"group": group, "user": u, "kind": kind, "at": at, "by": None} for u in new],
                )
                done[kind] = new
        return done


def _settle(db: sa.engine.Connection, group: str, members: set[str], at: datetime) -> None:
    """The pending requests of members (added elsewhere while they
    waited): approved, by nobody here, no e-mail (as
    :meth:`~.request_store.RequestStore.settle_member` does when such a
    person asks again). Else they would wait for ever in the instructors'
    list and on the Manage card's count."""
    for part in _parts(sorted(members)):
        db.execute(
            requests.update()
            .where(
                requests.c.group == group,
                requests.c.user.in_(part),
                requests.c.state == "pending",
            )
            .values(state="approved", decided=at, student_notified=at)
        )


def _parts(names: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(names), size):
        yield names[start : start + size]


class CourseWatch:
    """One look at the course groups per round of the service's watch.

    Parameters
    ----------
    client : HubClient
        With the service's token (``groups!group=<course>`` for each
        course it answers requests for: reading its members included).
    courses : iterable of str
        The course groups.
    db : Database
    """

    def __init__(self, client: HubClient, courses: Iterable[str], db: Database):
        self.client = client
        self.courses = set(courses)
        self.db = db
        self.changes = CourseChanges(db.store.engine, db.store.clock)

    async def check(self) -> dict[str, dict[str, list[str]]]:
        """Record the changes made since the last look (see
        :meth:`CourseChanges.apply`)."""
        now = await group_members(self.client, self.courses)
        recorded = await self.db.run(self.changes.apply, now)
        for group, done in recorded.items():
            for kind, users in done.items():
                log.info(
                    "%d person(s) %s in %s outside the panel", len(users), kind, loggable(group)
                )
        return recorded
