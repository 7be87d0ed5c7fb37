"""E-mail to a student about the decision on their request
(service/student_mail.py), through a real local SMTP server: an approval
at once and once, a decline only after its undo window and never when
undone, names and reasons that try to break out, the start's time limit,
and nothing at all without ``smtp.student_address``.
"""

import asyncio
import logging
from datetime import timedelta

import pytest

from jupyterlab_hub_groups.service.enrolment import UNDO_SECONDS
from jupyterlab_hub_groups.service.mail import Mailer
from jupyterlab_hub_groups.service.student_mail import (
    FRESH_SECONDS,
    StudentMailer,
    student_address,
)

from .conftest import COURSE
from .test_decline import decline, undo
from .test_mail import PUBLIC, body_of, free_port, settings, smtp  # noqa: F401 (smtp: a fixture)

TEMPLATE = "{user}@uni.example"


def students_for(world, port, template=TEMPLATE, public_url=PUBLIC, interval=3600):
    """The students' mailer wired into the world's rules, as the service does."""
    mailer = Mailer(settings(port), public_url, world.db, environ={})
    students = StudentMailer(template, mailer, world.db, world.enrolment.courses, interval=interval)
    world.enrolment.teller = students.tell
    return students


async def test_an_approval_is_e_mailed_at_once_and_once(world, smtp):
    students = students_for(world, smtp.port)
    await world.ask("alice-token", message="please")
    r = await world.decide("prof-token", ["alice"])
    assert r.json["approved"] == ["alice"]
    await students.idle()
    [(sender, to, message)] = smtp.messages
    assert (sender, to) == ("hub@example.org", ["alice@uni.example"])
    assert message["To"] == "alice@uni.example"
    assert message["Subject"] == f"You are in {COURSE} now"
    assert message["Auto-Submitted"] == "auto-generated"
    text = body_of(message)
    assert "was approved: you are a member of the course now." in text
    assert "restart your server to get the course's kernels and services" in text
    assert "Restart Now" in text
    assert f"{PUBLIC}hub/user-redirect/lab" in text.split()
    assert await students.sweep() == 0
    await students.stop()
    assert len(smtp.messages) == 1, "never twice"


async def test_a_decline_is_e_mailed_after_its_undo_window_not_before(world, smtp):
    students = students_for(world, smtp.port)
    await world.ask("alice-token")
    r = await decline(world, ["alice"], "The course is full.\nTry next term.")
    assert r.json["declined"] == ["alice"]
    await students.idle()
    world.later(seconds=UNDO_SECONDS - 1)
    assert await students.sweep() == 0
    assert smtp.messages == [], "an undo may still come"
    world.later(seconds=1)
    assert await students.sweep() == 1
    [(_, to, message)] = smtp.messages
    assert to == ["alice@uni.example"]
    assert message["Subject"] == f"Your request to join {COURSE} was declined"
    text = body_of(message)
    assert (
        "The instructor's reason (their own words, not from the hub):\n\n"
        "> The course is full.\n> Try next term.\n"
    ) in text
    assert f"You may ask again: the card Join {COURSE}" in text
    assert await students.sweep() == 0
    await students.stop()


async def test_an_undone_decline_is_never_e_mailed(world, smtp):
    students = students_for(world, smtp.port)
    await world.ask("alice-token")
    await decline(world, ["alice"], "full")
    world.later(seconds=UNDO_SECONDS - 1)
    assert (await undo(world, ["alice"])).json["undone"] == ["alice"]
    world.later(seconds=10 * UNDO_SECONDS)
    assert await students.sweep() == 0
    # then approved: that one is told
    await world.decide("prof-token", ["alice"])
    await students.idle()
    await students.stop()
    assert [m["Subject"] for _, _, m in smtp.messages] == [f"You are in {COURSE} now"]


async def test_a_decline_is_e_mailed_when_its_window_closes_and_on_the_timer(world, smtp):
    """No sweep by hand: the service's own schedule sends it."""
    arrived = asyncio.Event()
    received = smtp.handle_DATA

    async def handle(*args):
        answer = await received(*args)
        arrived.set()
        return answer

    smtp.handle_DATA = handle
    students = students_for(world, smtp.port, interval=0.05)
    await students.start()
    await world.ask("alice-token")
    await decline(world, ["alice"])
    world.later(seconds=UNDO_SECONDS)
    await asyncio.wait_for(arrived.wait(), 10)
    await students.stop()
    [(_, _, message)] = smtp.messages
    assert "The instructor gave no reason." in body_of(message)


async def test_the_start_sends_what_is_due_and_not_what_is_older_than_a_day(world, smtp):
    store = world.db.store
    for user in ("mmuster2", "alice"):
        store.submit(COURSE, user, None, 5, 3600)
    # decided while e-mail was off, or before the service stopped
    store.decide(COURSE, ["mmuster2"], "approved", "prof", None, True)
    world.later(seconds=FRESH_SECONDS + 60)
    store.decide(COURSE, ["alice"], "approved", "prof", None, True)
    students = students_for(world, smtp.port)
    await students.start()
    await students.stop()
    assert [to for _, to, _ in smtp.messages] == [["alice@uni.example"]]
    assert all(row["student_notified"] is not None for row in world.rows()), "old one handled"


@pytest.mark.parametrize(
    "user",
    [
        "a b",
        "bob,eve",
        "eve@evil.example",
        "müller",
        "x\r\nBcc: all@uni.example",
        ".alice",
        "al..ice",
        "<alice>",
        '"alice"',
        "a" * 65,
    ],
)
def test_a_name_no_address_can_hold_makes_none(user):
    assert student_address(TEMPLATE, user) is None


@pytest.mark.parametrize(
    "template, user, address",
    [
        (TEMPLATE, "alice", "alice@uni.example"),
        (TEMPLATE, "o'neil+1", "o'neil+1@uni.example"),
        (TEMPLATE, "{user}", "{user}@uni.example"),
        ("s.{user}@mail.uni.example", "Alice.B", "s.Alice.B@mail.uni.example"),
    ],
)
def test_a_plain_name_makes_its_address(template, user, address):
    assert student_address(template, user) == address


async def test_a_name_no_address_can_hold_is_logged_not_e_mailed(world, smtp, caplog):
    caplog.set_level(logging.INFO, "hub-groups")
    store = world.db.store
    for user in ("eve@evil.example", "x\nBcc: all@uni.example", "alice"):
        store.submit(COURSE, user, None, 5, 3600)
    store.decide(COURSE, ["eve@evil.example", "x\nBcc: all@uni.example"], "approved", "p", None, True)
    store.decide(COURSE, ["alice"], "approved", "p", None, True)
    students = students_for(world, smtp.port)
    assert await students.sweep() == 3
    assert [to for _, to, _ in smtp.messages] == [["alice@uni.example"]]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2 and all("no e-mail address" in w for w in warnings), warnings
    assert any("'x\\nBcc: all@uni.example'" in w for w in warnings), "one log line, quoted"


async def test_a_reason_that_imitates_the_hub_stays_quoted_and_shown(world, smtp):
    students = students_for(world, smtp.port)
    await world.ask("alice-token")
    reason = "<b>Full</b>\n\n-- \nhttps://evil.example/login\n\u200bevil"
    assert (await decline(world, ["alice"], reason)).code == 200
    world.later(seconds=UNDO_SECONDS)
    await students.sweep()
    text = body_of(smtp.messages[0][2])
    assert "> <b>Full</b>\n>\n> --\n> https://evil.example/login\n> <U+200B>evil\n" in text
    links = [w for w in text.split() if w.startswith("http")]
    assert links == ["https://evil.example/login", f"{PUBLIC}hub/user-redirect/lab"]
    assert text.index("> https://evil") < text.index("Your JupyterLab on the hub:")


async def test_without_a_public_url_there_is_no_link(world, smtp):
    students = students_for(world, smtp.port, public_url=None)
    await world.ask("alice-token")
    await world.decide("prof-token", ["alice"])
    await students.idle()
    assert "http" not in body_of(smtp.messages[0][2])


async def test_a_failing_smtp_server_fails_no_decision_and_is_logged(world, caplog):
    caplog.set_level(logging.INFO, "hub-groups")
    students = students_for(world, free_port())  # nobody listens there
    await world.ask("alice-token")
    r = await world.decide("prof-token", ["alice"])
    assert (r.code, r.json["approved"]) == (200, ["alice"])
    await students.idle()
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("could not e-mail alice that their request to join" in e for e in errors), errors
    assert world.rows()[0]["student_notified"] is not None, "not tried again"


async def test_without_a_student_address_nothing_is_due(world, smtp):
    """The world's rules have no teller: decisions are handled at once."""
    await world.ask("alice-token")
    await world.decide("prof-token", ["alice"])
    assert world.rows()[0]["student_notified"] is not None
    world.later(seconds=UNDO_SECONDS)
    students = students_for(world, smtp.port)
    assert await students.sweep() == 0
    assert smtp.messages == []


async def test_old_decisions_stay_unsent_however_late(world, smtp):
    store = world.db.store
    store.submit(COURSE, "alice", None, 5, 3600)
    store.decide(COURSE, ["alice"], "declined", "prof", "no", True)
    world.later(seconds=FRESH_SECONDS + 1)
    students = students_for(world, smtp.port)
    assert await students.sweep() == 0
    assert world.clock[0] - timedelta(seconds=FRESH_SECONDS) > world.rows()[0]["decided"]
    assert smtp.messages == []
