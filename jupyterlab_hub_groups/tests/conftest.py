"""Fixtures shared by the hub side's tests: the databases they run on.

The hub side keeps its records (who was added, what the service saw, the
requests to join courses) in one database: SQLite in ``state_dir`` by
default, or any SQLAlchemy URL, PostgreSQL in Zero to JupyterHub. The
database tests run on both; PostgreSQL is a real server
(:mod:`.postgres`), started once per test process.
"""

from __future__ import annotations

import pytest

from .postgres import MISSING, PostgresServer, find_bin_dir

#: The databases a test of ``db_url`` runs on.
DATABASES = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server for this test process, stopped and deleted at
    the end. Fails (never skips) without one: CI must run these tests."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.fail(MISSING, pytrace=False)
    server = PostgresServer(bin_dir)
    try:
        server.start()
    except Exception:
        server.stop()
        raise
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres):
    """The URL of a new, empty PostgreSQL database, dropped after the test."""
    name = postgres.new_database()
    yield postgres.url(name)
    postgres.drop_database(name)


def database_url(request, kind: str) -> str:
    """A new, empty database of ``kind``: ``sqlite``, a file in a folder of
    its own (apart from the test's ``tmp_path``, which hub tests use as
    ``generated_dir``); ``postgresql``, on the test server."""
    if kind == "sqlite":
        folder = request.getfixturevalue("tmp_path_factory").mktemp("db")
        return f"sqlite:///{folder / 'hub-groups.sqlite'}"
    assert kind == "postgresql", kind
    return request.getfixturevalue("postgres_url")


@pytest.fixture(params=DATABASES)
def db_url(request):
    """A new, empty database, SQLite and PostgreSQL in turn."""
    return database_url(request, request.param)
