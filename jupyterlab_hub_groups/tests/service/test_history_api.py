"""A group's history in the hub-groups service (service/history.py,
service/history_api.py): who may read it and report to it, what the
requests' decisions and the panel's reports put in it, and what a false
report cannot. Against the fake hub (conftest.py); a change "made in the
panel" is made on the fake hub's groups, as the server extension would,
then reported as the panel does.
"""

from urllib.parse import quote

import pytest

from jupyterlab_hub_groups.service.history import MAX_LIMIT

from .conftest import COURSE, DATABASES, ODD, OPEN, page, user

ON_BOTH = pytest.mark.parametrize("world", DATABASES, indirect=True)


def path(group=COURSE):
    return f"courses/{quote(group, safe='')}/history"


async def history(world, token="prof-token", group=COURSE, **query):
    q = "&".join(f"{k}={v}" for k, v in query.items())
    r = await world.call("GET", path(group) + (f"?{q}" if q else ""), token)
    assert r.code == 200, r.body
    return r.json


def rows(answer):
    return [(e["kind"], e["user"], e["by"]) for e in answer["events"]]


async def report(world, kind, users, token="prof-token", group=COURSE):
    return await world.call("POST", path(group), token, {"kind": kind, "users": users})


@pytest.fixture
def other_prof(world):
    """otherprof manages Open101 only."""
    world.hub.users["otherprof-token"] = user(
        "otherprof", page("otherprof") + [f"groups!group={OPEN}"]
    )
    world.hub.people.append("otherprof")
    return "otherprof-token"


@pytest.mark.parametrize(
    "token, error",
    [
        ("alice-token", "not-a-manager"),
        ("mmuster-token", "not-a-manager"),  # a student of the course
        ("otherprof-token", "not-a-manager"),  # another course's instructor
        ("admin-token", "not-a-manager"),  # unfiltered scopes name no group
        ("collab-token", "collaboration-account"),
        ("other-service-token", "users-only"),
        (None, "not-authenticated"),
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_only_the_groups_managers_read_and_report(world, other_prof, token, error, method):
    await world.ask("alice-token")
    body = {"kind": "added", "users": ["mmuster"]} if method == "POST" else None
    r = await world.call(method, path(), token, body)
    assert (r.code, r.json["error"]) == (403, error), r.body
    assert rows(await history(world)) == [("asked", "alice", "alice")], "nothing recorded"


async def test_another_courses_instructor_has_their_own(world, other_prof):
    world.hub.groups[OPEN] = ["alice"]
    assert (await report(world, "added", ["alice"], other_prof, OPEN)).json["recorded"] == [
        "alice"
    ]
    assert rows(await history(world, other_prof, OPEN)) == [("added", "alice", "otherprof")]
    assert rows(await history(world)) == [], "none of it in prof's course"


@ON_BOTH
async def test_decisions_and_the_panels_changes_newest_first(world):
    for token in ["alice-token", "mmuster2-token"]:
        world.later(minutes=1)
        assert (await world.ask(token)).code == 201
    world.later(minutes=1)
    await world.decide("prof-token", ["mmuster2"], "approve")
    world.later(minutes=1)
    await world.decide("prof-token", ["alice"], "decline")
    world.later(minutes=1)
    await world.ask("alice-token")
    world.later(minutes=1)
    await world.call("DELETE", f"courses/{COURSE}/requests/mine", "alice-token")
    # the panel: prof adds alice and removes mmuster (on the hub), and says so
    world.later(minutes=1)
    world.hub.groups[COURSE] = sorted(set(world.hub.groups[COURSE]) | {"alice"})
    r = await report(world, "added", ["alice"])
    assert (r.code, r.json) == (200, {"recorded": ["alice"], "unconfirmed": []})
    world.later(minutes=1)
    world.hub.groups[COURSE].remove("mmuster")
    assert (await report(world, "removed", ["mmuster"])).json["recorded"] == ["mmuster"]

    answer = await history(world)
    assert rows(answer) == [
        ("removed", "mmuster", "prof"),
        ("added", "alice", "prof"),
        ("withdrawn", "alice", "alice"),
        ("asked", "alice", "alice"),
        ("declined", "alice", "prof"),
        ("approved", "mmuster2", "prof"),
        ("asked", "mmuster2", "mmuster2"),
        ("asked", "alice", "alice"),
    ]
    assert answer["truncated"] is False
    times = [e["at"] for e in answer["events"]]
    assert times == sorted(times, reverse=True)
    assert times[0] == "2026-12-01T09:08:00+00:00"
    assert answer["events"][4].get("reason") is None


async def test_a_report_records_only_what_the_hub_confirms(world):
    """mmuster is a member, alice is not: 'added alice' and 'removed
    mmuster' did not happen; a report said twice is recorded once."""
    r = await report(world, "added", ["alice", "mmuster"])
    assert r.json == {"recorded": ["mmuster"], "unconfirmed": ["alice"]}
    r = await report(world, "removed", ["mmuster", "alice"])
    assert r.json == {"recorded": ["alice"], "unconfirmed": ["mmuster"]}
    r = await report(world, "added", ["mmuster"])
    assert r.json == {"recorded": [], "unconfirmed": []}, "the same again: not twice"
    assert rows(await history(world)) == [
        ("removed", "alice", "prof"),
        ("added", "mmuster", "prof"),
    ]
    assert world.hub.group_bodies == [], "a report changes no group"


async def test_a_report_is_checked_with_the_callers_own_token(world):
    """A role taken away between the change and the report: refused."""
    world.hub.users["prof-token"] = user("prof", page("prof"))
    r = await report(world, "added", ["mmuster"])
    assert (r.code, r.json["error"]) == (403, "not-a-manager")
    world.hub.users["prof-token"] = user("prof", page("prof") + [f"groups!group={COURSE}"])
    assert rows(await history(world)) == []


@pytest.mark.parametrize(
    "body, message",
    [
        ({"kind": "joined", "users": ["mmuster"]}, "kind"),
        ({"users": ["mmuster"]}, "kind"),
        ({"kind": "added", "users": "mmuster"}, "users"),
        ({"kind": "added"}, "users"),
    ],
)
async def test_a_bad_report_is_a_400(world, body, message):
    r = await world.call("POST", path(), "prof-token", body)
    assert (r.code, r.json["error"]) == (400, "bad-request")
    assert message in r.json["message"]


@pytest.mark.parametrize("limit", ["0", "x", str(MAX_LIMIT + 1)])
async def test_a_bad_limit_is_a_400(world, limit):
    r = await world.call("GET", path() + f"?limit={limit}", "prof-token")
    assert (r.code, r.json["error"]) == (400, "bad-request")


async def test_the_newest_events_up_to_the_limit(world):
    for name in ["alice", "mmuster2"]:
        world.later(minutes=1)
        await world.ask(f"{name}-token")
    world.later(minutes=1)
    await world.decide("prof-token", ["alice"], "decline")
    answer = await history(world, limit=2)
    assert rows(answer) == [("declined", "alice", "prof"), ("asked", "mmuster2", "mmuster2")]
    assert answer["truncated"] is True


async def test_an_open_courses_join_is_one_event(world):
    world.hub.users["prof-token"]["scopes"].append(f"groups!group={OPEN}")
    await world.ask("alice-token", group=OPEN)
    assert rows(await history(world, group=OPEN)) == [("joined", "alice", "alice")]


#: A name the hub accepts that a spreadsheet would run (the CSV's business).
HOSTILE = '=HYPERLINK("x",a,"b")'


async def test_hostile_names_and_groups_are_carried_as_they_are(world):
    group = ODD[0]  # a/b
    world.hub.people.append(HOSTILE)
    world.hub.groups[group] = [HOSTILE]
    r = await report(world, "added", [HOSTILE], group=group)
    assert r.json["recorded"] == [HOSTILE]
    assert rows(await history(world, group=group)) == [("added", HOSTILE, "prof")]
