"""The hub side's database: the requests to join courses, who the hub
helper already added to each group, and what the service last saw of the
project groups; its tables, its migrations, and every query made of it.

Why a database, not files in ``state_dir``: requests must survive hub and
service restarts, several people write at once (students asking,
instructors deciding), and a deployment may want them in the same database
server as its hub (any SQLAlchemy URL; SQLite in ``state_dir`` by default).
In Zero to JupyterHub with an external database, ``/srv/jupyterhub`` is
lost at every hub restart: records kept there would be too (initial
members added again, a removal made meanwhile missed). So the hub helper's
record of initial members (:class:`MemberRecords`, written by
:mod:`jupyterlab_hub_groups.hub.seeding` at config load) and the service's
snapshot of project members live here as well.
Why migrations: a deployment upgraded later keeps its records; the hub
helper (at config load) and the service (at start) upgrade the database to
the newest revision (alembic, in ``migrations/``) before anything else.

Names are prefixed (``hub_groups_requests``, ``hub_groups_alembic_version``):
the database may be shared with other applications, JupyterHub's own
included, which has an ``alembic_version`` table of its own.

The store is synchronous (SQLAlchemy Core); the service runs every call on
one worker thread (:class:`Database`), so that the event loop never waits
for the database and two calls never interleave: "is there a pending
request? no: insert one" is one call, and a second, concurrent request of
the same person sees the first one's row. A unique index on pending
requests holds the same rule for a database shared by several processes
(SQLite and PostgreSQL).

Imports SQLAlchemy (and alembic when migrating), JupyterHub's own
dependencies, and nothing of the service: the hub helper imports this
module at config load.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa

log = logging.getLogger("hub-groups")

#: The folder of the alembic migrations.
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: Alembic's record of the revision, named apart from JupyterHub's.
VERSION_TABLE = "hub_groups_alembic_version"
#: The requests' table.
TABLE = "hub_groups_requests"
#: Who the hub helper added to each group (revision 3).
SEEDED_TABLE = "hub_groups_seeded"
#: The project members the service saw last (revision 3).
WATCHED_TABLE = "hub_groups_watched"

#: The states a request goes through: ``pending`` until an instructor
#: approves or declines it, or its author withdraws it. An open course's
#: join is recorded as ``approved`` at once.
STATES = ("pending", "approved", "declined", "withdrawn")

metadata = sa.MetaData()

#: The requests, as the newest revision makes them (see ``migrations/``).
requests = sa.Table(
    TABLE,
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("group", sa.Unicode(255), nullable=False),
    sa.Column("user", sa.Unicode(255), nullable=False),
    sa.Column("state", sa.Unicode(16), nullable=False),
    sa.Column("message", sa.UnicodeText, nullable=True),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("decided", sa.DateTime, nullable=True),
    sa.Column("decided_by", sa.Unicode(255), nullable=True),
    # revision 2: when the instructors' e-mail was handled (sent or given up)
    sa.Column("notified", sa.DateTime, nullable=True),
)

#: The file's members the hub helper added to a group, once each: one row
#: per group and person (revision 3).
seeded = sa.Table(
    SEEDED_TABLE,
    metadata,
    sa.Column("group", sa.Unicode(255), nullable=False),
    sa.Column("user", sa.Unicode(255), nullable=False),
    sa.PrimaryKeyConstraint("group", "user", name=f"pk_{SEEDED_TABLE}"),
)

#: The members of each project group at the service's last look: one row
#: per project and person (revision 3). A project without rows had nobody
#: (or was never seen): nobody can have left it.
watched = sa.Table(
    WATCHED_TABLE,
    metadata,
    sa.Column("project", sa.Unicode(255), nullable=False),
    sa.Column("user", sa.Unicode(255), nullable=False),
    sa.PrimaryKeyConstraint("project", "user", name=f"pk_{WATCHED_TABLE}"),
)


def utcnow() -> datetime:
    """Now, in UTC without a time zone: what the table stores (not every
    database keeps time zones)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def iso(moment: datetime | None) -> str | None:
    """A stored time as ISO 8601 with its UTC offset, for the API."""
    return None if moment is None else moment.replace(tzinfo=timezone.utc).isoformat()


@dataclass(frozen=True)
class Request:
    """One request of one person to join one course."""

    id: int
    group: str
    user: str
    state: str
    message: str | None
    created: datetime
    decided: datetime | None = None
    decided_by: str | None = None
    notified: datetime | None = None

    @classmethod
    def of(cls, row: Any) -> Request:
        return cls(**{k: row._mapping[k] for k in cls.__dataclass_fields__})

    def mine(self) -> dict[str, Any]:
        """As its author sees it (``GET courses``, ``POST .../requests``)."""
        return {
            "state": self.state,
            "message": self.message,
            "created": iso(self.created),
            "decided": iso(self.decided),
        }

    def managed(self) -> dict[str, Any]:
        """As the course's instructors see it (``GET .../requests``)."""
        return {
            "user": self.user,
            "state": self.state,
            "message": self.message,
            "created": iso(self.created),
            "decided": iso(self.decided),
            "decided_by": self.decided_by,
        }


# --- Opening and migrating ------------------------------------------------------------


def make_engine(url: str) -> sa.engine.Engine:
    """An engine for ``url``; an SQLite file is created 0600 first.

    Parameters
    ----------
    url : str
        Any SQLAlchemy URL.

    Returns
    -------
    sqlalchemy.engine.Engine
    """
    parsed = sa.engine.make_url(url)
    kwargs: dict[str, Any] = {"future": True}
    if parsed.get_backend_name() == "sqlite":
        # one worker thread uses it, not the thread that made it
        kwargs["connect_args"] = {"check_same_thread": False}
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            _private_file(Path(database))
    return sa.create_engine(url, **kwargs)


def _private_file(path: Path) -> None:
    """Create ``path`` readable by the service's user only (0600), or
    tighten it: requests hold people's names and messages. SQLite gives its
    journal files the database's mode."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def alembic_config(connection: sa.engine.Connection | None = None, url: str | None = None):
    """Alembic's configuration for our migrations, on ``connection`` (or
    ``url``), without an ``alembic.ini``.

    Parameters
    ----------
    connection : sqlalchemy.engine.Connection, optional
    url : str, optional
        Used when no connection is given (alembic's command line).

    Returns
    -------
    alembic.config.Config
    """
    from alembic.config import Config

    config = Config()
    # configparser reads '%' as interpolation
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: sa.engine.Engine, revision: str = "head") -> None:
    """Migrate the database to ``revision`` (the newest by default).

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
    revision : str
    """
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def migrate(engine: sa.engine.Engine, logger: logging.Logger) -> None:
    """Migrate the database to the newest revision, saying so in
    ``logger`` when it was not there yet.

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
    logger : logging.Logger
        The service's log, or the hub's at config load.
    """
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    if before != after:
        logger.info("hub-groups database migrated from %s to %s", before or "nothing", after)


def downgrade(engine: sa.engine.Engine, revision: str) -> None:
    """Migrate the database back to ``revision`` (``base``: nothing of ours)."""
    from alembic import command

    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), revision)


def current_revision(engine: sa.engine.Engine) -> str | None:
    """The revision the database is at (None: not ours yet)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"version_table": VERSION_TABLE}
        )
        return context.get_current_revision()


# --- Queries -----------------------------------------------------------------------------


class RequestStore:
    """Every query of the service, synchronous (see :class:`Database`).

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
        At the newest revision (:func:`upgrade`).
    clock : callable
        Now, as :func:`utcnow` gives it (tests set it).
    """

    def __init__(self, engine: sa.engine.Engine, clock: Callable[[], datetime] = utcnow):
        self.engine = engine
        self.clock = clock

    def _latest_query(self):
        return requests.select().order_by(requests.c.id.desc())

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
            row = db.execute(
                self._latest_query()
                .where(
                    requests.c.group == group,
                    requests.c.user == user,
                    requests.c.state == "pending",
                )
                .limit(1)
            ).first()
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
        }
        result = db.execute(requests.insert().values(**values))
        return Request(id=result.inserted_primary_key[0], **values)

    def withdraw(self, group: str, user: str) -> Request | None:
        """Withdraw the person's pending request; None when there is none."""
        with self.engine.begin() as db:
            row = db.execute(
                self._latest_query()
                .where(
                    requests.c.group == group,
                    requests.c.user == user,
                    requests.c.state == "pending",
                )
                .limit(1)
            ).first()
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

    def decide(self, group: str, users: Iterable[str], state: str, by: str) -> list[str]:
        """Mark the pending requests of ``users`` to join ``group``
        ``approved`` or ``declined`` by ``by``.

        Returns
        -------
        list of str
            The users whose pending request changed.
        """
        assert state in ("approved", "declined")
        wanted = list(dict.fromkeys(users))
        changed: list[str] = []
        now = self.clock()
        with self.engine.begin() as db:
            for start in range(0, len(wanted), 500):
                part = wanted[start : start + 500]
                pending = requests.c.state == "pending"
                where = (requests.c.group == group, pending, requests.c.user.in_(part))
                changed += list(db.execute(sa.select(requests.c.user).where(*where)).scalars())
                db.execute(
                    requests.update().where(*where).values(state=state, decided=now, decided_by=by)
                )
        return changed

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
                .values(state="approved", decided=now)
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


def _grouped(rows: Iterable[Any]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for key, user in rows:
        found.setdefault(key, set()).add(user)
    return found


class MemberRecords:
    """Who the hub helper added to each group, and what the service saw of
    the project groups: synchronous, like :class:`RequestStore`.

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
        At the newest revision (:func:`upgrade`).
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


T = TypeVar("T")


class Database:
    """The stores, called from the event loop: every call runs on one
    worker thread, in the order made.

    Parameters
    ----------
    store : RequestStore
    records : MemberRecords, optional
        On the store's engine by default.
    """

    def __init__(self, store: RequestStore, records: MemberRecords | None = None):
        self.store = store
        self.records = records if records is not None else MemberRecords(store.engine)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hub-groups-db")

    async def run(self, call: Callable[..., T], *args: Any) -> T:
        """``await db.run(db.store.submit, ...)``: ``call(*args)`` on the worker."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, call, *args)

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        self.store.engine.dispose()


def open_database(url: str, clock: Callable[[], datetime] = utcnow) -> Database:
    """The hub side's database at ``url``, migrated to the newest revision.

    Parameters
    ----------
    url : str
        Any SQLAlchemy URL.
    clock : callable, optional

    Returns
    -------
    Database
    """
    engine = make_engine(url)
    migrate(engine, log)
    return Database(RequestStore(engine, clock))
