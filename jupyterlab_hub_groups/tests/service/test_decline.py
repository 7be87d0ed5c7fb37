"""A decline's reason and its undo (issue 19, item 5): the reason is
checked as a student's message is, kept with the decline and shown to its
student and the course's managers only; a manager may undo a decline for
UNDO_SECONDS, back to pending as it was, if nothing happened since.
"""

import pytest

from jupyterlab_hub_groups.service.bodies import MAX_MESSAGE
from jupyterlab_hub_groups.service.enrolment import UNDO_SECONDS

from .conftest import COURSE, DATABASES, ODD
from .test_enrolment_api import REFUSED_MESSAGES, courses_of

ON_BOTH = pytest.mark.parametrize("world", DATABASES, indirect=True)


async def decline(world, users, reason=None, token="prof-token", group=COURSE):
    body = {"users": users} if reason is None else {"users": users, "reason": reason}
    return await world.call("POST", f"courses/{quote(group)}/requests/decline", token, body)


async def undo(world, users, token="prof-token", group=COURSE):
    return await world.call(
        "POST", f"courses/{quote(group)}/requests/undecline", token, {"users": users}
    )


def quote(group):
    from urllib.parse import quote as q

    return q(group, safe="")


async def mine(world, token="alice-token", group=COURSE):
    return courses_of(await world.call("GET", "courses", token))[group]["request"]


@ON_BOTH
async def test_the_reason_is_the_students_and_the_managers_only(world):
    await world.ask("alice-token", message="please")
    await world.ask("mmuster2-token")
    r = await decline(world, ["alice"], "  The course is full ✓ — try in spring.\r\nSorry  ")
    assert r.json == {"approved": [], "declined": ["alice"], "errors": []}
    said = "The course is full ✓ — try in spring.\nSorry"
    assert (await mine(world))["reason"] == said
    assert (await mine(world))["state"] == "declined"
    listed = await world.call("GET", f"courses/{COURSE}/requests?state=declined", "prof-token")
    assert [(q["user"], q["reason"]) for q in listed.json["requests"]] == [("alice", said)]
    # another student sees nothing of it, nor of alice
    other = await world.call("GET", "courses", "mmuster2-token")
    assert said not in other.body.decode() and "alice" not in other.body.decode()
    assert (await mine(world, "mmuster2-token"))["reason"] is None
    # nor does GET pending carry reasons (nothing declined is pending)
    assert "reason" not in (await world.call("GET", "pending", "prof-token")).body.decode()


async def test_no_reason_is_none_and_an_approval_keeps_none(world):
    await world.ask("alice-token")
    await world.ask("mmuster2-token")
    await decline(world, ["alice"], "   ")
    assert (await mine(world))["reason"] is None
    r = await world.call(
        "POST",
        f"courses/{COURSE}/requests/approve",
        "prof-token",
        {"users": ["mmuster2"], "reason": "ignored"},
    )
    assert r.json["approved"] == ["mmuster2"]
    assert {row["user"]: row["reason"] for row in world.rows()} == {"alice": None, "mmuster2": None}


@pytest.mark.parametrize("reason", REFUSED_MESSAGES.values(), ids=REFUSED_MESSAGES.keys())
async def test_reasons_out_of_bounds_are_refused_and_nothing_is_declined(world, reason):
    await world.ask("alice-token")
    r = await decline(world, ["alice"], reason)
    assert (r.code, r.json["error"]) == (400, "bad-request"), r.body
    assert "reason" in r.json["message"]
    assert [row["state"] for row in world.rows()] == ["pending"]


@pytest.mark.parametrize("reason", [7, ["a"], {"a": 1}])
async def test_a_reason_must_be_text(world, reason):
    await world.ask("alice-token")
    r = await decline(world, ["alice"], reason)
    assert (r.code, r.json["message"]) == (400, "The reason must be text.")


async def test_a_reason_of_the_largest_size_is_kept(world):
    await world.ask("alice-token")
    await decline(world, ["alice"], "x" * MAX_MESSAGE)
    assert (await mine(world))["reason"] == "x" * MAX_MESSAGE


@ON_BOTH
async def test_a_decline_is_undone_within_its_window(world):
    await world.ask("alice-token", message="please")
    await decline(world, ["alice"], "full")
    world.later(seconds=UNDO_SECONDS - 1)
    r = await undo(world, ["alice"])
    assert (r.code, r.json) == (200, {"undone": ["alice"], "errors": []})
    request = await mine(world)
    assert (request["state"], request["decided"], request["reason"], request["message"]) == (
        "pending",
        None,
        None,
        "please",
    )
    pending = await world.call("GET", "pending", "prof-token")
    assert [p["user"] for p in pending.json["pending"]] == ["alice"]
    # declined again, with another reason: one request, as before
    await decline(world, ["alice"], "really full")
    assert (await mine(world))["reason"] == "really full"
    assert len(world.rows()) == 1
    assert world.hub.group_bodies == [], "nothing asked of the hub"


@ON_BOTH
async def test_an_undo_after_the_window_is_refused(world):
    await world.ask("alice-token")
    await decline(world, ["alice"])
    world.later(seconds=UNDO_SECONDS)
    r = await undo(world, ["alice"])
    assert r.code == 200
    assert r.json["undone"] == []
    assert [(e["user"], e["error"]) for e in r.json["errors"]] == [("alice", "undo-expired")]
    assert (await mine(world))["state"] == "declined"


async def test_an_undo_after_the_student_asked_again_or_of_nothing_is_refused(world):
    await world.ask("alice-token")
    await decline(world, ["alice"])
    await world.ask("alice-token", message="again")
    await world.ask("mmuster2-token")
    r = await undo(world, ["alice", "mmuster2", "nobody"])
    assert r.json["undone"] == []
    assert {e["user"]: e["error"] for e in r.json["errors"]} == {
        "alice": "no-declined-request",
        "mmuster2": "no-declined-request",
        "nobody": "no-declined-request",
    }
    assert sorted(row["state"] for row in world.rows()) == ["declined", "pending", "pending"]


async def test_an_approval_is_not_undone(world):
    await world.ask("alice-token")
    await world.decide("prof-token", ["alice"], "approve")
    r = await undo(world, ["alice"])
    assert r.json["errors"][0]["error"] == "no-declined-request"
    assert "alice" in world.hub.groups[COURSE]


@pytest.mark.parametrize("token", ["alice-token", "mmuster-token", "admin-token"])
async def test_only_the_courses_managers_undo(world, token):
    await world.ask("alice-token")
    await decline(world, ["alice"])
    r = await undo(world, ["alice"], token)
    assert (r.code, r.json["error"]) == (403, "not-a-manager")
    assert (await mine(world))["state"] == "declined"


@pytest.mark.parametrize("token", [None, "forged-token", "collab-token", "no-access-token"])
async def test_undo_refuses_who_may_not_call(world, token):
    await world.ask("alice-token")
    await decline(world, ["alice"])
    r = await undo(world, ["alice"], token)
    assert r.code == 403
    assert (await mine(world))["state"] == "declined"


@pytest.mark.parametrize("body", [{}, {"users": "alice"}, {"users": [1]}])
async def test_undo_needs_a_list_of_names(world, body):
    r = await world.call("POST", f"courses/{COURSE}/requests/undecline", "prof-token", body)
    assert (r.code, r.json["error"]) == (400, "bad-request")


@pytest.mark.parametrize("group", ODD)
async def test_odd_course_names_and_names_in_messages_travel_safely(world, group):
    await world.ask("alice-token", group=group)
    await decline(world, ["alice"], "<b>no</b> {user} %s", group=group)
    assert (await mine(world, group=group))["reason"] == "<b>no</b> {user} %s"
    r = await undo(world, ["alice", "{0}", "a\nb"], group=group)
    assert r.json["undone"] == ["alice"]
    assert {e["user"] for e in r.json["errors"]} == {"{0}", "a\nb"}
