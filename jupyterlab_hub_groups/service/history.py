"""A course's history for its managers: requests asked, approved, declined
and withdrawn (who decided and when, from the requests' table), and the
adds and removes made in the Course members panel, by whom.

Why the panel reports its changes here: adds and removes go from the
instructor's own server straight to the hub with the instructor's token
(:mod:`jupyterlab_hub_groups.server.membership`), and the hub keeps no
record of who changed a group. After a change succeeds, the panel sends
``POST courses/<g>/history {"kind": "added"|"removed", "users": [...]}``
with the same page token. A report is taken only from someone whose token
may manage the group *now* (read afresh from the hub), and only as far as
the hub confirms it: the group's members are read with the caller's own
token, and a name is recorded as added only if it is a member now, as
removed only if it is not. A report that repeats the person's last
recorded change is not recorded again. So a false report cannot put into
the history a change that did not happen, nor a row in a group its author
does not manage; what it can do is claim for its author a change another
manager (or an admin elsewhere) made and nobody reported, which a manager
could as well have made themselves. Changes made outside the panel (the
hub's admin page, its REST API) are recorded without an author by the
service's watch (:mod:`.course_watch`), at most one round after they
were made: the hub does not say who made them.

The queries are synchronous, like :class:`~.request_store.RequestStore`,
and run on the database's one worker thread (:class:`~.db.Database`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from ..group_changes import NoSuchGroup, members
from ..group_changes import user_name_problem as name_problem
from ..hub_client import HubError
from .api_error import ApiError, bad_request
from .enrolment import Enrolment, loggable
from .tables import Request, iso, member_changes, requests, utcnow

log = logging.getLogger("hub-groups")

#: What a report may say happened.
KINDS = ("added", "removed")
#: How long after the watch recorded a change without an author
#: (:mod:`.course_watch`) the panel's report of it may still put its
#: author on it: the report is sent as soon as the hub answered the
#: panel, so a minute covers a slow page; ten leave room for a page in
#: the background.
ATTRIBUTION_SECONDS = 600
#: Events answered by default, and at most (newest first).
DEFAULT_LIMIT = 1000
MAX_LIMIT = 5000


class HistoryStore:
    """The queries of the history, synchronous.

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
        At the newest revision (:func:`~.db.upgrade`).
    clock : callable
        Now, as :func:`~.tables.utcnow` gives it (tests set it).
    """

    def __init__(self, engine: sa.engine.Engine, clock: Callable[[], datetime] = utcnow):
        self.engine = engine
        self.clock = clock

    def record(self, group: str, kind: str, users: Iterable[str], by: str) -> list[str]:
        """Record that ``by`` ``kind`` ``users`` in ``group`` now, in one
        transaction; a person whose last recorded change is the same kind
        is left out, unless the watch recorded it without an author less
        than :data:`ATTRIBUTION_SECONDS` ago: ``by`` is put on that row.

        Returns
        -------
        list of str
            Who was recorded (or had the change put on their name).
        """
        assert kind in KINDS
        wanted = list(dict.fromkeys(users))
        now = self.clock()
        recorded: list[str] = []
        with self.engine.begin() as db:
            for start in range(0, len(wanted), 500):
                part = wanted[start : start + 500]
                last: dict[str, Any] = {}
                rows = db.execute(
                    member_changes.select()
                    .where(member_changes.c.group == group, member_changes.c.user.in_(part))
                    .order_by(member_changes.c.id)
                )
                for row in rows:
                    last[row.user] = row
                claimed = [
                    last[u].id
                    for u in part
                    if u in last
                    and last[u].kind == kind
                    and last[u].by is None
                    and (now - last[u].at).total_seconds() < ATTRIBUTION_SECONDS
                ]
                if claimed:
                    db.execute(
                        member_changes.update()
                        .where(member_changes.c.id.in_(claimed))
                        .values(by=by)
                    )
                new = [u for u in part if u not in last or last[u].kind != kind]
                done = set(new) | {u for u in part if u in last and last[u].id in claimed}
                recorded += [u for u in part if u in done]
                if new:
                    db.execute(
                        member_changes.insert(),
                        [
                            {"group": group, "user": u, "kind": kind, "at": now, "by": by}
                            for u in new
                        ],
                    )
        return recorded

    def changes(self, group: str, limit: int) -> list[dict[str, Any]]:
        """The ``limit`` newest recorded changes of ``group``, newest first."""
        with self.engine.connect() as db:
            rows = db.execute(
                member_changes.select()
                .where(member_changes.c.group == group)
                .order_by(member_changes.c.at.desc(), member_changes.c.id.desc())
                .limit(limit)
            )
            return [dict(r._mapping) for r in rows]

    def requests(self, group: str, limit: int) -> list[Request]:
        """The ``limit`` requests of ``group`` whose last event is newest:
        every event among the newest ``limit`` of the group's requests is
        in one of them."""
        last = sa.func.coalesce(requests.c.decided, requests.c.created)
        with self.engine.connect() as db:
            rows = db.execute(
                requests.select()
                .where(requests.c.group == group)
                .order_by(last.desc(), requests.c.id.desc())
                .limit(limit)
            )
            return [Request.of(r) for r in rows]


def request_events(request: Request, open_course: bool) -> list[dict[str, Any]]:
    """The events of one request: asked (by its author), then how it
    ended, by whom (None: nobody in the panel, e.g. the person was added
    another way meanwhile). An open course's join is one event, joined."""
    if open_course and request.state == "approved" and request.decided_by is None:
        return [_event(request.created, "joined", request.user, request.user)]
    events = [_event(request.created, "asked", request.user, request.user)]
    if request.state != "pending" and request.decided is not None:
        by = request.user if request.state == "withdrawn" else request.decided_by
        event = _event(request.decided, request.state, request.user, by)
        if request.state == "declined":
            event["reason"] = getattr(request, "reason", None)
        events.append(event)
    return events


def _event(at: datetime, kind: str, user: str, by: str | None) -> dict[str, Any]:
    return {"at": iso(at), "kind": kind, "user": user, "by": by}


class History:
    """The rules of the history, without HTTP (see :mod:`.history_api`).

    Parameters
    ----------
    enrolment : Enrolment
        Its database, hub client and courses.
    """

    def __init__(self, enrolment: Enrolment):
        self.enrolment = enrolment
        db = enrolment.db
        self.store = HistoryStore(db.store.engine, db.store.clock)

    async def events(self, group: str, limit: int) -> dict[str, Any]:
        """``GET courses/<g>/history``: the group's newest events first.

        Returns
        -------
        dict
            ``{"events": [{"at", "kind", "user", "by", ...}], "truncated": bool}``.
        """
        run = self.enrolment.db.run
        found = await run(self.store.requests, group, limit + 1)
        changes = await run(self.store.changes, group, limit + 1)
        course = self.enrolment.courses.get(group)
        open_course = course is not None and course.enrolment == "open"
        events = [e for r in found for e in request_events(r, open_course)]
        events += [_event(c["at"], c["kind"], c["user"], c["by"]) for c in changes]
        # ISO 8601 of one offset sorts as time; the stable sort keeps a
        # request's decision after its asking when both are at one moment
        events.sort(key=lambda e: e["at"], reverse=True)
        return {"events": events[:limit], "truncated": len(events) > limit}

    async def report(
        self, group: str, kind: str, users: list[str], by: str, token: str
    ) -> dict[str, Any]:
        """``POST courses/<g>/history``: record what the hub confirms of a
        manager's report (the caller is checked to manage ``group`` first).

        Parameters
        ----------
        token : str
            The caller's own token: the group's members are read with it.

        Returns
        -------
        dict
            ``{"recorded": [...], "unconfirmed": [...]}``: who was recorded,
            and who the hub's members contradict.
        """
        if kind not in KINDS:
            raise bad_request(f"kind is one of {', '.join(KINDS)}.")
        usable = [u for u in users if not name_problem(u)]
        try:
            now = set(await members(self.enrolment.client, token, group))
        except NoSuchGroup:
            raise ApiError(404, "no-such-group", "The hub has no such group.") from None
        except HubError as e:
            raise ApiError(e.status, e.reason, e.message) from None
        confirmed = [u for u in usable if (u in now) == (kind == "added")]
        unconfirmed = [u for u in users if u not in confirmed]
        recorded = await self.enrolment.db.run(self.store.record, group, kind, confirmed, by)
        if recorded:
            log.info(
                "%s %s %d person(s) in %s (the panel's report)",
                loggable(by),
                kind,
                len(recorded),
                loggable(group),
            )
        return {"recorded": recorded, "unconfirmed": unconfirmed}


def parse_limit(value: str | None) -> int:
    """``?limit=``: 1 to :data:`MAX_LIMIT`, :data:`DEFAULT_LIMIT` when absent."""
    if value is None:
        return DEFAULT_LIMIT
    try:
        limit = int(value)
    except ValueError:
        raise bad_request("limit is a whole number.") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise bad_request(f"limit is from 1 to {MAX_LIMIT}.")
    return limit


def parse_kind(body: Mapping[str, Any]) -> str:
    """The report's ``kind``."""
    kind = body.get("kind")
    if kind not in KINDS:
        raise bad_request(f"kind is one of {', '.join(KINDS)}.")
    return kind
