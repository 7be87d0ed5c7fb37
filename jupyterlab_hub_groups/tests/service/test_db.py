"""The hub side's database (service/db.py) and its alembic migrations
(service/migrations/): from nothing to the newest revision, an older
database with requests upgraded without losing them, back and forth, the
queries, and the file's mode. On SQLite and on a real PostgreSQL server
(``db_url``, tests/conftest.py) unless a test is about SQLite's file.
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
    MemberRecords,
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


#: Every table of ours at the newest revision.
TABLES = {
    "hub_groups_requests",
    "hub_groups_seeded",
    "hub_groups_watched",
    "hub_groups_member_changes",
    "hub_groups_courses_seen",
    "hub_groups_projects",
    "hub_groups_group_shares",
    "hub_groups_share_grants",
    "hub_groups_alembic_version",
}
#: Revision 7's tables (runtime projects and group shares).
PROJECT_TABLES = {"hub_groups_projects", "hub_groups_group_shares", "hub_groups_share_grants"}

SEEN = "hub_groups_courses_seen"

#: The newest revision.
NEWEST = "0007"


def test_there_is_one_line_of_revisions():
    assert revisions() == ["0001", "0002", "0003", "0004", "0005", "0006", "0007"]
    assert ScriptDirectory.from_config(alembic_config()).get_heads() == [NEWEST]


def test_an_empty_database_is_migrated_to_the_newest_revision_at_open(db_url):
    database = open_database(db_url)
    try:
        assert current_revision(database.store.engine) == NEWEST
        assert set(sa.inspect(database.store.engine).get_table_names()) == TABLES
    finally:
        database.close()


def test_an_sqlite_file_is_made_for_the_hub_only(tmp_path):
    path = tmp_path / "enrolment.sqlite"
    open_database(f"sqlite:///{path}").close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_database_file_made_readable_is_tightened(tmp_path):
    path = tmp_path / "enrolment.sqlite"
    path.touch()
    os.chmod(path, 0o644)
    open_database(f"sqlite:///{path}").close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_database_at_revision_1_with_requests_keeps_them(db_url):
    engine = make_engine(db_url)
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
    assert current_revision(engine) == NEWEST
    store = RequestStore(engine, clock=lambda: T0)
    alice = store.latest("C", "alice")
    assert (alice.state, alice.message, alice.created) == ("pending", "hi ✓", T0)
    # their e-mails, if any, are long handled: not sent again at start
    assert alice.notified == T0 and store.unnotified(10**9) == []
    bob = store.latest("C", "bob")
    assert (bob.state, bob.decided_by) == ("approved", "prof")
    # decided before revision 4: no reason, and the student's e-mail is not due
    assert (bob.reason, bob.student_notified) == (None, T0)
    assert (alice.reason, alice.student_notified) == (None, None)
    # and the newest revision's rule holds for them
    assert store.submit("C", "alice", "again", 5, 3600)[0] == "pending"
    engine.dispose()


def test_every_revision_goes_down_to_nothing_and_up_again(db_url):
    """From nothing to the newest revision one step at a time, back to
    nothing, and up again: each step's tables, and nothing of ours left
    at the bottom (JupyterHub's own tables, in a shared database, stay)."""
    engine = make_engine(db_url)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE users (id INTEGER PRIMARY KEY)"))
    tables = {
        "0001": {"hub_groups_requests"},
        "0002": {"hub_groups_requests"},
        "0003": TABLES
        - PROJECT_TABLES
        - {"hub_groups_alembic_version", "hub_groups_member_changes", SEEN},
        "0004": TABLES
        - PROJECT_TABLES
        - {"hub_groups_alembic_version", "hub_groups_member_changes", SEEN},
        "0005": TABLES - PROJECT_TABLES - {"hub_groups_alembic_version", SEEN},
        "0006": TABLES - PROJECT_TABLES - {"hub_groups_alembic_version"},
        "0007": TABLES - {"hub_groups_alembic_version"},
    }
    for revision in revisions():
        upgrade(engine, revision)
        assert current_revision(engine) == revision
        assert set(sa.inspect(engine).get_table_names()) == {
            "users",
            "hub_groups_alembic_version",
            *tables[revision],
        }
    for revision in reversed(["base", *revisions()[:-1]]):
        downgrade(engine, revision)
        assert current_revision(engine) == (None if revision == "base" else revision)
    assert set(sa.inspect(engine).get_table_names()) <= {"users", "hub_groups_alembic_version"}
    upgrade(engine)
    assert set(sa.inspect(engine).get_table_names()) == {"users", *TABLES}
    engine.dispose()


def test_downgrade_and_upgrade_again_keep_the_requests(db_url):
    engine = make_engine(db_url)
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
    engine.dispose()


def test_downgrading_revision_3_drops_the_member_records_only(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    RequestStore(engine, clock=lambda: T0).submit("C", "alice", "hi", 5, 3600)
    records = MemberRecords(engine)
    records.seed({"vox": ["vex"]})
    records.set_watched({"vox": ["vex"]})
    downgrade(engine, "0002")
    assert "hub_groups_seeded" not in sa.inspect(engine).get_table_names()
    assert "hub_groups_watched" not in sa.inspect(engine).get_table_names()
    upgrade(engine)
    assert records.seeded() == {} and records.watched() == {}
    assert RequestStore(engine).latest("C", "alice").message == "hi"
    engine.dispose()


def test_downgrading_revision_4_drops_the_reasons_and_keeps_the_rules(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    store = RequestStore(engine, clock=lambda: T0)
    store.submit("C", "alice", "hi", 5, 3600)
    store.decide("C", ["alice"], "declined", "prof")
    with engine.begin() as connection:
        connection.execute(dbmod.requests.update().values(reason="Full ✓"))
    assert store.latest("C", "alice").reason == "Full ✓"
    downgrade(engine, "0003")
    table = sa.Table("hub_groups_requests", sa.MetaData(), autoload_with=engine)
    assert "reason" not in table.c and "student_notified" not in table.c
    row = {"group": "C", "user": "bob", "state": "pending", "created": T0}
    with engine.begin() as connection:
        connection.execute(table.insert(), [row])
    # the one-pending rule of revision 2 outlives the table's rebuild
    if engine.dialect.name in ("sqlite", "postgresql"):
        with pytest.raises(sa.exc.IntegrityError):
            with engine.begin() as connection:
                connection.execute(table.insert(), [row])
    upgrade(engine)
    assert store.latest("C", "alice").state == "declined"
    assert store.latest("C", "alice").reason is None
    engine.dispose()


def test_alembics_own_command_line_migrates_it(db_url):
    """What an admin runs by hand (back up first): alembic's commands with
    our migrations, on the database's URL."""
    url = db_url
    config = alembic_config(url=url)
    command.upgrade(config, "head")
    command.downgrade(config, "0001")
    command.upgrade(config, "head")
    engine = make_engine(url)
    assert current_revision(engine) == NEWEST
    engine.dispose()
    out = subprocess.run(
        [sys.executable, "-c", "import alembic.config; alembic.config.main(['--help'])"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0


def test_one_pending_request_per_person_and_course_is_the_databases_rule(db_url):
    """Two service processes racing would still not make two."""
    engine = make_engine(db_url)
    upgrade(engine)
    row = {"group": "C", "user": "alice", "state": "pending", "created": T0}
    with engine.begin() as connection:
        connection.execute(dbmod.requests.insert(), [row])
    with pytest.raises(sa.exc.IntegrityError):
        with engine.begin() as connection:
            connection.execute(dbmod.requests.insert(), [row])
    with engine.begin() as connection:
        connection.execute(dbmod.requests.insert(), [{**row, "state": "declined"}])
    engine.dispose()


def test_names_are_apart_from_jupyterhubs_own_tables(db_url):
    """A deployment may point enrolment_db_url at a database JupyterHub
    uses too: its alembic_version is not ours."""
    url = db_url
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
        connection.execute(sa.text("INSERT INTO alembic_version VALUES ('4621fec11365')"))
    open_database(url).close()
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == (
            "4621fec11365"
        )
    engine.dispose()


def test_the_rate_limits_window(db_url):
    clock = [T0]
    engine = make_engine(db_url)
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
    engine.dispose()


@pytest.fixture
def store(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    yield RequestStore(engine, clock=lambda: T0)
    engine.dispose()


def test_a_courses_requests_and_decisions(store):
    """The queries the instructors' side makes, on both databases."""
    for user in ("alice", "bob", "carol"):
        assert store.submit("C", user, f"{user} ✓", 0, 3600)[0] == "created"
    store.submit("Other", "alice", None, 0, 3600)
    assert store.pending_users("C", ["alice", "bob", "dave"]) == {"alice", "bob"}
    assert [r.user for r in store.pending_in(["C"])] == ["alice", "bob", "carol"]
    assert sorted(store.decide("C", ["alice", "dave"], "approved", "prof")) == ["alice"]
    assert store.decide("C", ["bob"], "declined", "prof") == ["bob"]
    assert store.withdraw("C", "carol").state == "withdrawn"
    assert store.withdraw("C", "carol") is None
    states = {r.user: (r.state, r.decided_by) for r in store.of_group("C", dbmod.STATES)}
    assert states == {
        "alice": ("approved", "prof"),
        "bob": ("declined", "prof"),
        "carol": ("withdrawn", "carol"),
    }
    assert set(store.latest_of("alice", ["C", "Other", "None"])) == {"C", "Other"}
    assert store.latest("C", "alice").message == "alice ✓"


@pytest.fixture
def records(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    yield MemberRecords(engine)
    engine.dispose()


def test_seeded_members_are_recorded_once(records):
    assert records.seed({"vox": ["vex", "vax"], "Class": []}) == {"vox": ["vax", "vex"], "Class": []}
    assert records.seed({"vox": ["vax", "pike"], "mighty": ["beau"]}) == {
        "vox": ["pike"],
        "mighty": ["beau"],
    }
    assert records.seeded() == {"vox": {"vex", "vax", "pike"}, "mighty": {"beau"}}
    # names as JupyterHub allows them, in one group of a name as odd
    odd = {"Grüße Kurs/1": ["ö-ä", "a.b@example.org", "x" * 255]}
    assert records.seed(odd) == {"Grüße Kurs/1": sorted(odd["Grüße Kurs/1"])}
    assert records.seeded()["Grüße Kurs/1"] == set(odd["Grüße Kurs/1"])


def test_what_the_watch_saw_replaces_what_it_saw_before(records):
    assert records.watched() == {}
    records.set_watched({"vox": ["vex", "vax"], "mighty": ["beau"], "empty": []})
    assert records.watched() == {"vox": {"vex", "vax"}, "mighty": {"beau"}}
    records.set_watched({"vox": ["vex"]})
    assert records.watched() == {"vox": {"vex"}}, "a project that left the file is forgotten"
    records.set_watched({})
    assert records.watched() == {}


def test_the_records_are_one_per_group_and_person(records):
    """The primary keys: a second row for the same pair is refused."""
    records.seed({"vox": ["vex"]})
    with pytest.raises(sa.exc.IntegrityError):
        with records.engine.begin() as db:
            db.execute(dbmod.seeded.insert(), [{"group": "vox", "user": "vex"}])
    with pytest.raises(sa.exc.IntegrityError):
        with records.engine.begin() as db:
            db.execute(dbmod.watched.insert(), [{"project": "p", "user": "u"}] * 2)
