"""The requests' database (service/db.py) and its alembic migrations
(service/migrations/): from nothing to the newest revision, an older
database with requests upgraded without losing them, back and forth, and
the file's mode.
"""

import os
import stat
import subprocess
import sys
from datetime import datetime

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from jupyterlab_hub_groups.service import db as dbmod
from jupyterlab_hub_groups.service.db import (
    RequestStore,
    alembic_config,
    current_revision,
    downgrade,
    make_engine,
    open_database,
    upgrade,
)

T0 = datetime(2026, 12, 1, 9, 0, 0)


def revisions():
    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def test_there_is_one_line_of_at_least_two_revisions():
    assert revisions() == ["0001", "0002"]
    assert ScriptDirectory.from_config(alembic_config()).get_heads() == ["0002"]


def test_an_empty_database_is_migrated_to_the_newest_revision_at_open(tmp_path):
    path = tmp_path / "enrolment.sqlite"
    database = open_database(f"sqlite:///{path}")
    try:
        assert current_revision(database.store.engine) == "0002"
        tables = set(sa.inspect(database.store.engine).get_table_names())
        assert tables == {"hub_groups_requests", "hub_groups_alembic_version"}
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        database.close()


def test_a_database_file_made_readable_is_tightened(tmp_path):
    path = tmp_path / "enrolment.sqlite"
    path.touch()
    os.chmod(path, 0o644)
    open_database(f"sqlite:///{path}").close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_database_at_revision_1_with_requests_keeps_them(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    table = sa.Table("hub_groups_requests", sa.MetaData(), autoload_with=engine)
    assert "notified" not in table.c
    rows = [
        {
            "group": "C",
            "user": "alice",
            "state": "pending",
            "message": "hi ✓",
            "created": T0,
            "decided": None,
            "decided_by": None,
        },
        {
            "group": "C",
            "user": "bob",
            "state": "approved",
            "message": None,
            "created": T0,
            "decided": T0,
            "decided_by": "prof",
        },
    ]
    with engine.begin() as connection:
        connection.execute(table.insert(), rows)

    upgrade(engine)
    assert current_revision(engine) == "0002"
    store = RequestStore(engine, clock=lambda: T0)
    alice = store.latest("C", "alice")
    assert (alice.state, alice.message, alice.created) == ("pending", "hi ✓", T0)
    # their e-mails, if any, are long handled: not sent again at start
    assert alice.notified == T0 and store.unnotified(10**9) == []
    bob = store.latest("C", "bob")
    assert (bob.state, bob.decided_by) == ("approved", "prof")
    # and the newest revision's rule holds for them
    assert store.submit("C", "alice", "again", 5, 3600)[0] == "pending"


def test_downgrade_and_upgrade_again_keep_the_requests(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'e.sqlite'}")
    upgrade(engine)
    store = RequestStore(engine, clock=lambda: T0)
    store.submit("C", "alice", "hi", 5, 3600)
    downgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    downgrade(engine, "base")
    assert "hub_groups_requests" not in sa.inspect(engine).get_table_names()
    upgrade(engine)
    store.submit("C", "alice", "hi", 5, 3600)
    downgrade(engine, "0001")
    upgrade(engine)
    assert store.latest("C", "alice").message == "hi"


def test_alembics_own_command_line_migrates_it(tmp_path):
    """What an admin runs by hand (back up first): alembic's commands with
    our migrations, on the database's URL."""
    url = f"sqlite:///{tmp_path / 'e.sqlite'}"
    config = alembic_config(url=url)
    command.upgrade(config, "head")
    command.downgrade(config, "0001")
    command.upgrade(config, "head")
    assert current_revision(make_engine(url)) == "0002"
    out = subprocess.run(
        [sys.executable, "-c", "import alembic.config; alembic.config.main(['--help'])"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0


def test_one_pending_request_per_person_and_course_is_the_databases_rule(tmp_path):
    """Two service processes racing would still not make two."""
    engine = make_engine(f"sqlite:///{tmp_path / 'e.sqlite'}")
    upgrade(engine)
    row = {"group": "C", "user": "alice", "state": "pending", "created": T0}
    with engine.begin() as connection:
        connection.execute(dbmod.requests.insert(), [row])
    with pytest.raises(sa.exc.IntegrityError):
        with engine.begin() as connection:
            connection.execute(dbmod.requests.insert(), [row])
    with engine.begin() as connection:
        connection.execute(dbmod.requests.insert(), [{**row, "state": "declined"}])


def test_names_are_apart_from_jupyterhubs_own_tables(tmp_path):
    """A deployment may point enrolment_db_url at a database JupyterHub
    uses too: its alembic_version is not ours."""
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
        connection.execute(sa.text("INSERT INTO alembic_version VALUES ('4621fec11365')"))
    open_database(url).close()
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == (
            "4621fec11365"
        )


def test_the_rate_limits_window(tmp_path):
    clock = [T0]
    engine = make_engine(f"sqlite:///{tmp_path / 'e.sqlite'}")
    upgrade(engine)
    store = RequestStore(engine, clock=lambda: clock[0])
    from datetime import timedelta

    for group in "ABC":
        assert store.submit(group, "alice", None, 3, 3600)[0] == "created"
        clock[0] += timedelta(minutes=10)
    outcome, request, retry = store.submit("D", "alice", None, 3, 3600)
    assert (outcome, request, retry) == ("rate-limited", None, 30 * 60)
    assert store.submit("D", "bob", None, 3, 3600)[0] == "created"
    clock[0] += timedelta(minutes=30)
    assert store.submit("D", "alice", None, 3, 3600)[0] == "created"
    assert store.submit("E", "carol", None, 0, 3600)[0] == "created", "0: no limit"
