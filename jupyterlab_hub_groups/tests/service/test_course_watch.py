"""Changes to the course groups made outside the Course members panel
(service/course_watch.py) and how they meet the panel's own reports
(service/history.py HistoryStore.record): on a real database (SQLite, and
PostgreSQL where the project's conftest has one), the clock set by the
tests. The look at a real hub is in test_enrolment_real.py.
"""

from datetime import datetime, timedelta

import pytest

from jupyterlab_hub_groups.service.course_watch import CourseChanges
from jupyterlab_hub_groups.service.db import open_database
from jupyterlab_hub_groups.service.history import ATTRIBUTION_SECONDS, HistoryStore
from jupyterlab_hub_groups.service.tables import member_changes

from ..conftest import DATABASES, database_url

C = "Class1234_Semester02"
T0 = datetime(2026, 12, 7, 9, 0, 0)


@pytest.fixture(params=DATABASES)
def stores(request):
    clock = [T0]
    db = open_database(database_url(request, request.param), clock=lambda: clock[0])
    engine = db.store.engine
    yield (
        CourseChanges(engine, lambda: clock[0]),
        HistoryStore(engine, lambda: clock[0]),
        db,
        clock,
    )
    db.close()


def changes(db, group=C):
    with db.store.engine.connect() as c:
        rows = c.execute(
            member_changes.select().where(member_changes.c.group == group).order_by(member_changes.c.id)
        )
        return [(r.kind, r.user, r.by) for r in rows]


def test_the_first_look_records_nothing_the_next_ones_each_change(stores):
    watch, _, db, clock = stores
    assert watch.apply({C: ["alice", "mmuster"]}) == {}
    assert changes(db) == [], "who was there before is not a change anyone made since"
    clock[0] += timedelta(minutes=1)
    assert watch.apply({C: ["mmuster", "bob"]}) == {C: {"added": ["bob"], "removed": ["alice"]}}
    assert changes(db) == [("added", "bob", None), ("removed", "alice", None)]
    clock[0] += timedelta(minutes=1)
    assert watch.apply({C: ["mmuster", "bob"]}) == {}, "nothing new: nothing recorded"
    assert watch.seen() == {C: {"mmuster", "bob"}}


def test_a_group_seen_empty_is_still_seen(stores):
    watch, _, db, _ = stores
    watch.apply({C: []})
    assert watch.seen() == {C: set()}
    assert watch.apply({C: ["alice"]}) == {C: {"added": ["alice"]}}


def test_a_group_the_hub_no_longer_has_is_left_as_it_was(stores):
    watch, _, db, _ = stores
    watch.apply({C: ["alice"], "Other": ["bob"]})
    assert watch.apply({"Other": ["bob"]}) == {}
    assert watch.seen() == {C: {"alice"}, "Other": {"bob"}}
    assert changes(db) == []


def test_a_change_the_panel_reported_first_is_not_recorded_again(stores):
    watch, history, db, clock = stores
    watch.apply({C: ["mmuster"]})
    clock[0] += timedelta(seconds=5)
    assert history.record(C, "added", ["alice"], "prof") == ["alice"]
    clock[0] += timedelta(seconds=5)
    assert watch.apply({C: ["mmuster", "alice"]}) == {}
    assert changes(db) == [("added", "alice", "prof")]


def test_a_report_after_the_watch_puts_its_author_on_the_watchs_row(stores):
    watch, history, db, clock = stores
    watch.apply({C: ["mmuster", "alice"]})
    clock[0] += timedelta(seconds=5)
    assert watch.apply({C: ["mmuster"]}) == {C: {"removed": ["alice"]}}
    clock[0] += timedelta(seconds=1)
    assert history.record(C, "removed", ["alice"], "prof") == ["alice"]
    assert changes(db) == [("removed", "alice", "prof")], "one row, now prof's"
    # a second report of it changes nothing more, and claims nothing
    assert history.record(C, "removed", ["alice"], "otherprof") == []
    assert changes(db) == [("removed", "alice", "prof")]


def test_an_old_change_nobody_reported_is_not_claimed(stores):
    watch, history, db, clock = stores
    watch.apply({C: ["mmuster", "alice"]})
    watch.apply({C: ["mmuster"]})
    clock[0] += timedelta(seconds=ATTRIBUTION_SECONDS + 1)
    assert history.record(C, "removed", ["alice"], "prof") == []
    assert changes(db) == [("removed", "alice", None)]


def test_an_approval_is_the_event_of_the_add_it_made(stores):
    watch, history, db, clock = stores
    store = db.store
    watch.apply({C: ["mmuster"]})
    clock[0] += timedelta(minutes=1)
    store.submit(C, "alice", "hi", 5, 3600)
    store.decide(C, ["alice"], "approved", "prof")
    clock[0] += timedelta(minutes=1)
    assert watch.apply({C: ["mmuster", "alice"]}) == {}
    assert changes(db) == []
    # removed and added again on the admin page later: both are changes
    clock[0] += timedelta(minutes=1)
    assert watch.apply({C: ["mmuster"]}) == {C: {"removed": ["alice"]}}
    clock[0] += timedelta(minutes=1)
    assert watch.apply({C: ["mmuster", "alice"]}) == {C: {"added": ["alice"]}}
    assert changes(db) == [("removed", "alice", None), ("added", "alice", None)]


def test_a_declined_request_does_not_explain_an_add(stores):
    watch, _, db, clock = stores
    watch.apply({C: []})
    clock[0] += timedelta(minutes=1)
    db.store.submit(C, "alice", "hi", 5, 3600)
    db.store.decide(C, ["alice"], "declined", "prof")
    clock[0] += timedelta(minutes=1)
    assert watch.apply({C: ["alice"]}) == {C: {"added": ["alice"]}}


def test_many_people_at_once(stores):
    watch, _, db, _ = stores
    watch.apply({C: []})
    people = [f"s{i:04}" for i in range(1200)]
    assert watch.apply({C: people})[C]["added"] == people
    assert len(changes(db)) == 1200
    assert watch.apply({C: people[:100]})[C]["removed"] == people[100:]


def test_hostile_names_are_carried_as_they_are(stores):
    watch, _, db, _ = stores
    odd = ["a/b", "Grüße", "x'; DROP TABLE x; --", "=cmd|' /C calc'!A0"]
    watch.apply({g: [] for g in odd})
    assert watch.apply({g: [g] for g in odd}) == {g: {"added": [g]} for g in odd}
    for g in odd:
        assert changes(db, g) == [("added", g, None)]


def test_a_request_of_someone_added_elsewhere_is_settled(stores):
    """mmuster2 asks; an admin adds them on the hub's page: the request no
    longer waits (the instructors' list, the Manage card's count), and the
    history says approved, by nobody in the panel, once."""
    watch, _, db, clock = stores
    store = db.store
    watch.apply({C: ["mmuster"]})
    clock[0] += timedelta(minutes=1)
    store.submit(C, "mmuster2", "hi", 5, 3600)
    store.submit(C, "jester", "me too", 5, 3600)
    assert [r.user for r in store.pending_in([C])] == ["mmuster2", "jester"]
    clock[0] += timedelta(minutes=1)
    assert watch.apply({C: ["mmuster", "mmuster2"]}) == {}, "the approval is the event"
    assert [r.user for r in store.pending_in([C])] == ["jester"], "jester still waits"
    settled = store.latest(C, "mmuster2")
    assert (settled.state, settled.decided_by, settled.decided) == ("approved", None, clock[0])
    assert settled.student_notified == clock[0], "no e-mail for it"
    assert changes(db) == []
