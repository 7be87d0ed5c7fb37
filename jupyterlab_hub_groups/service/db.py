"""The hub side's database: opening it, migrating it, and the one worker
thread its queries run on. It holds the requests to join courses, who the
hub helper already added to each group, and what the service last saw of
the project groups: the tables are in :mod:`.tables`, the queries in
:mod:`.request_store` and :mod:`.member_records` (all importable from here
too, as before).

Why a database, not files in ``state_dir``: requests must survive hub and
service restarts, several people write at once (students asking,
instructors deciding), and a deployment may want them in the same database
server as its hub (any SQLAlchemy URL; SQLite in ``state_dir`` by default).
In Zero to JupyterHub with an external database, ``/srv/jupyterhub`` is
lost at every hub restart: records kept there would be too. So the hub
helper's record of initial members (:class:`MemberRecords`, written by
:mod:`jupyterlab_hub_groups.hub.seeding` at config load) and the service's
snapshot of project members live here as well.
Why migrations: a deployment upgraded later keeps its records; the hub
helper (at config load) and the service (at start) upgrade the database to
the newest revision (alembic, in ``migrations/``) before anything else.

The stores are synchronous (SQLAlchemy Core); the service runs every call
on one worker thread (:class:`Database`), so that the event loop never
waits for the database and two calls never interleave.

Imports SQLAlchemy (and alembic when migrating), JupyterHub's own
dependencies, and of the service only its database modules: the hub
helper imports this module at config load.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa

from .member_records import MemberRecords
from .request_store import RequestStore
from .tables import (  # noqa: F401 (the names importers know the database by)
    SEEDED_TABLE,
    STATES,
    TABLE,
    VERSION_TABLE,
    WATCHED_TABLE,
    Request,
    iso,
    metadata,
    requests,
    seeded,
    utcnow,
    watched,
)

log = logging.getLogger("hub-groups")

#: The folder of the alembic migrations.
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


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
