"""The queries of the requests to join courses: ask, withdraw, decide,
list, and the rate limit, each in one transaction.

Synchronous (SQLAlchemy Core): the service runs every call on the one
worker thread of :class:`~.db.Database`, so that "is there a pending
request? no: insert one" is one call, and a second, concurrent request of
the same person sees the first one's row. A unique index on pending
requests holds the same rule for a database shared by several processes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from .tables import Request, requests, utcnow


class RequestStore:
    """Every query of the service, synchronous (see :class:`~.db.Database`).

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
        At the newest revision (:func:`~.db.upgrade`).
    clock : callable
        Now, as :func:`utcnow` gives it (tests set it).
    """

    def __init__(self, engine: sa.engine.Engine, clock: Callable[[], datetime] = utcnow):
        self.engine = engine
        self.clock = clock

    def _latest_query(self):
        return requests.select().order_by(requests.c.id.desc())

    def _pending_row(self, db: sa.engine.Connection, group: str, user: str) -> Any:
        """The person's pending request to join ``group`` (a row), or None."""
        return db.execute(
            self._latest_query()
            .where(
                requests.c.group == group,
                requests.c.user == user,
                requests.c.state == "pending",
            )
            .limit(1)
        ).first()

    def latest(self, group: str, user: str) -> Request | None:
        """The person's latest request to join ``group``, withdrawn or not."""
        with self.engine.connect() as db:
            row = db.execute(
                self._latest_query()
                .where(requests.c.group == group, requests.c.user == user)
                .limit(1)
            ).first()
        return Request.of(row) if row else None

    def latest_of(self, user: str, groups: Iterable[str]) -> dict[str, Request]:
        """The person's latest request for each of ``groups`` that has one."""
        found: dict[str, Request] = {}
        with self.engine.connect() as db:
            rows = db.execute(
                self._latest_query().where(
                    requests.c.user == user, requests.c.group.in_(list(groups))
                )
            )
            for row in rows:
                found.setdefault(row.group, Request.of(row))
        return found

    def submit(
        self, group: str, user: str, message: str | None, limit: int, window: float
    ) -> tuple[str, Request | None, float]:
        """Ask to join ``group``, in one transaction: nothing new while a
        request is pending, else a new pending request unless the person
        made ``limit`` requests in the last ``window`` seconds.

        Returns
        -------
        tuple
            ``("pending", request, 0)`` (one was pending already),
            ``("created", request, 0)`` or ``("rate-limited", None, retry_after)``.
        """
        with self.engine.begin() as db:
            row = self._pending_row(db, group, user)
            if row is not None:
                return "pending", Request.of(row), 0
            retry = self._retry_after(db, user, limit, window)
            if retry:
                return "rate-limited", None, retry
            request = self._insert(db, group, user, "pending", message)
        return "created", request, 0

    def rate_limited(self, user: str, limit: int, window: float) -> float:
        """Seconds until the person may make a request again (0: now)."""
        with self.engine.connect() as db:
            return self._retry_after(db, user, limit, window)

    def _retry_after(self, db: sa.engine.Connection, user: str, limit: int, window: float) -> float:
        if not limit:
            return 0
        now = self.clock()
        made = list(
            db.execute(
                sa.select(requests.c.created)
                .where(
                    requests.c.user == user,
                    requests.c.created > now - timedelta(seconds=window),
                )
                .order_by(requests.c.created)
            ).scalars()
        )
        if len(made) < limit:
            return 0
        # when the oldest that counts leaves the window, one more is allowed
        oldest = made[len(made) - limit]
        return max((oldest + timedelta(seconds=window) - now).total_seconds(), 1)

    def record_joined(self, group: str, user: str, message: str | None) -> Request:
        """An open course's join: approved at once (and counted by the rate limit)."""
        with self.engine.begin() as db:
            return self._insert(db, group, user, "approved", message, decided=True)

    def _insert(
        self,
        db: sa.engine.Connection,
        group: str,
        user: str,
        state: str,
        message: str | None,
        decided: bool = False,
    ) -> Request:
        now = self.clock()
        values = {
            "group": group,
            "user": user,
            "state": state,
            "message": message,
            "created": now,
            "decided": now if decided else None,
            # an open course's join: the student did it, nothing to tell
            "student_notified": now if decided else None,
        }
        result = db.execute(requests.insert().values(**values))
        return Request(id=result.inserted_primary_key[0], **values)

    def withdraw(self, group: str, user: str) -> Request | None:
        """Withdraw the person's pending request; None when there is none."""
        with self.engine.begin() as db:
            row = self._pending_row(db, group, user)
            if row is None:
                return None
            now = self.clock()
            db.execute(
                requests.update()
                .where(requests.c.id == row.id)
                .values(state="withdrawn", decided=now, decided_by=user)
            )
        return replace(Request.of(row), state="withdrawn", decided=now, decided_by=user)

    def of_group(self, group: str, states: Iterable[str]) -> list[Request]:
        """The requests to join ``group`` in ``states``, oldest first."""
        with self.engine.connect() as db:
            rows = db.execute(
                requests.select()
                .where(requests.c.group == group, requests.c.state.in_(list(states)))
                .order_by(requests.c.created, requests.c.id)
            )
            return [Request.of(r) for r in rows]

    def pending_in(self, groups: Iterable[str]) -> list[Request]:
        """Every pending request to join one of ``groups``, oldest first."""
        with self.engine.connect() as db:
            rows = db.execute(
                requests.select()
                .where(requests.c.group.in_(list(groups)), requests.c.state == "pending")
                .order_by(requests.c.created, requests.c.id)
            )
            return [Request.of(r) for r in rows]

    def pending_users(self, group: str, users: Iterable[str]) -> set[str]:
        """Which of ``users`` have a pending request to join ``group``."""
        wanted = list(dict.fromkeys(users))
        found: set[str] = set()
        with self.engine.connect() as db:
            # in parts: some databases limit the parameters of one statement
            for start in range(0, len(wanted), 500):
                found |= set(
                    db.execute(
                        sa.select(requests.c.user).where(
                            requests.c.group == group,
                            requests.c.state == "pending",
                            requests.c.user.in_(wanted[start : start + 500]),
                        )
                    ).scalars()
                )
        return found

    def decide(
        self,
        group: str,
        users: Iterable[str],
        state: str,
        by: str,
        reason: str | None = None,
        tell: bool = False,
    ) -> list[str]:
        """Mark the pending requests of ``users`` to join ``group``
        ``approved`` or ``declined`` by ``by``.

        Parameters
        ----------
        reason : str, optional
            Why they were declined, for their authors (checked); kept with
            a decline only.
        tell : bool
            Whether the students are to be e-mailed (else their e-mail is
            marked handled at once).

        Returns
        -------
        list of str
            The users whose pending request changed.
        """
        assert state in ("approved", "declined")
        wanted = list(dict.fromkeys(users))
        changed: list[str] = []
        now = self.clock()
        values = {
            "state": state,
            "decided": now,
            "decided_by": by,
            "reason": reason if state == "declined" else None,
            "student_notified": None if tell else now,
        }
        with self.engine.begin() as db:
            for start in range(0, len(wanted), 500):
                part = wanted[start : start + 500]
                pending = requests.c.state == "pending"
                where = (requests.c.group == group, pending, requests.c.user.in_(part))
                changed += list(db.execute(sa.select(requests.c.user).where(*where)).scalars())
                db.execute(requests.update().where(*where).values(**values))
        return changed

    def undecline(
        self, group: str, users: Iterable[str], seconds: float
    ) -> tuple[list[str], dict[str, str]]:
        """Put the declines of ``users`` made less than ``seconds`` ago back
        to pending, as they were before (no decision, no reason), if
        nothing happened since: each person's latest request to join
        ``group`` must be that decline.

        Returns
        -------
        tuple
            The users whose request is pending again, and why each other
            one is not: ``{user: "undo-expired" | "no-declined-request"}``.
        """
        wanted = list(dict.fromkeys(users))
        since = self.clock() - timedelta(seconds=seconds)
        undone: list[str] = []
        refused: dict[str, str] = {}
        with self.engine.begin() as db:
            for start in range(0, len(wanted), 500):
                part = wanted[start : start + 500]
                latest: dict[str, Any] = {}
                rows = db.execute(
                    self._latest_query().where(
                        requests.c.group == group, requests.c.user.in_(part)
                    )
                )
                for row in rows:
                    latest.setdefault(row.user, row)
                for user in part:
                    row = latest.get(user)
                    if row is None or row.state != "declined":
                        refused[user] = "no-declined-request"
                    elif row.decided is None or row.decided <= since:
                        refused[user] = "undo-expired"
                    else:
                        db.execute(
                            requests.update()
                            .where(requests.c.id == row.id, requests.c.state == "declined")
                            .values(
                                state="pending",
                                decided=None,
                                decided_by=None,
                                reason=None,
                                student_notified=None,
                            )
                        )
                        undone.append(user)
        return undone, refused

    def settle_member(self, group: str, user: str) -> None:
        """A pending request of someone who is a member by now (an
        instructor added them another way): approved, by nobody here."""
        now = self.clock()
        with self.engine.begin() as db:
            db.execute(
                requests.update()
                .where(
                    requests.c.group == group,
                    requests.c.user == user,
                    requests.c.state == "pending",
                )
                .values(state="approved", decided=now, student_notified=now)
            )

    def unnotified(self, seconds: float) -> list[Request]:
        """Pending requests of the last ``seconds`` whose e-mail was never
        handled (the service stopped before it was sent)."""
        since = self.clock() - timedelta(seconds=seconds)
        with self.engine.connect() as db:
            rows = db.execute(
                requests.select()
                .where(
                    requests.c.state == "pending",
                    requests.c.notified.is_(None),
                    requests.c.created >= since,
                )
                .order_by(requests.c.id)
            )
            return [Request.of(r) for r in rows]

    def mark_notified(self, request_id: int) -> None:
        """The request's e-mail was handled (sent, or failed and logged)."""
        with self.engine.begin() as db:
            db.execute(
                requests.update().where(requests.c.id == request_id).values(notified=self.clock())
            )

    def due_to_students(self, wait: float, seconds: float) -> list[Request]:
        """Decisions of the last ``seconds`` whose student's e-mail is due:
        approvals at once, declines once ``wait`` seconds (the undo's
        window) have passed; not handled yet."""
        now = self.clock()
        with self.engine.connect() as db:
            rows = db.execute(
                requests.select()
                .where(
                    requests.c.student_notified.is_(None),
                    requests.c.decided >= now - timedelta(seconds=seconds),
                    sa.or_(
                        requests.c.state == "approved",
                        sa.and_(
                            requests.c.state == "declined",
                            requests.c.decided <= now - timedelta(seconds=wait),
                        ),
                    ),
                )
                .order_by(requests.c.id)
            )
            return [Request.of(r) for r in rows]

    def claim_student_notice(self, request_id: int, wait: float) -> Request | None:
        """The request, marked handled, if its student's e-mail is due now
        (as :meth:`due_to_students` says) and nobody handled it; else None.

        Marked before it is sent, in one transaction with the check: an
        undo (which needs the decline younger than ``wait``) and a send
        never both happen; a send that fails is not tried again.
        """
        now = self.clock()
        with self.engine.begin() as db:
            row = db.execute(requests.select().where(requests.c.id == request_id)).first()
            if row is None or row.student_notified is not None or row.decided is None:
                return None
            if row.state == "declined" and row.decided > now - timedelta(seconds=wait):
                return None
            if row.state not in ("approved", "declined"):
                return None
            db.execute(
                requests.update()
                .where(requests.c.id == request_id, requests.c.student_notified.is_(None))
                .values(student_notified=now)
            )
        return replace(Request.of(row), student_notified=now)

    def retire_student_notices(self, seconds: float) -> int:
        """Mark handled, unsent, the students' e-mails of decisions older
        than ``seconds`` still waiting (the service was stopped, or e-mail
        to students was off): news that late would mislead more than help.

        Returns
        -------
        int
            How many.
        """
        now = self.clock()
        with self.engine.begin() as db:
            done = db.execute(
                requests.update()
                .where(
                    requests.c.student_notified.is_(None),
                    requests.c.decided.is_not(None),
                    requests.c.decided < now - timedelta(seconds=seconds),
                )
                .values(student_notified=now)
            )
        return done.rowcount
