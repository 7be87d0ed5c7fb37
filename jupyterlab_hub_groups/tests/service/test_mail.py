"""E-mail to a course's instructors (service/mail.py), through a real
local SMTP server (aiosmtpd) started by each test: what they receive, the
link in it, and that no failure of e-mail fails a request.
"""

import asyncio
import logging
import socket
from email import message_from_bytes, policy
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from jupyterlab_hub_groups.service.db import Request
from jupyterlab_hub_groups.service.mail import (
    Mailer,
    compose,
    manage_link,
    resend_unnotified,
    visible,
)

from .conftest import COURSE, START

PUBLIC = "https://hub.example.org/jupyter/"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """What the SMTP server received; ``refuse``: answer DATA with 550."""

    def __init__(self):
        self.messages = []
        self.logins = []
        self.refuse = False

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "550 mailbox unavailable"
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()

    def authenticator(server, session, envelope, mechanism, auth_data):
        inbox.logins.append((auth_data.login.decode(), auth_data.password.decode()))
        # not handled: aiosmtpd answers 535 itself
        return AuthResult(success=auth_data.password == b"hunter2", handled=False)

    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=authenticator,
        auth_require_tls=False,
    )
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


def settings(port, **extra):
    return {
        "host": "127.0.0.1",
        "port": port,
        "from": "hub@example.org",
        "security": "none",
        "username": None,
        "password_env": None,
        **extra,
    }


def mailer_for(world, smtp_settings, public_url=PUBLIC, environ=None):
    mailer = Mailer(smtp_settings, public_url, world.db, environ=environ or {})
    world.enrolment.notifier = mailer.notify
    return mailer


def body_of(message):
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


async def test_a_new_request_is_e_mailed_with_the_link_to_approve_it(world, smtp):
    mailer = mailer_for(world, settings(smtp.port))
    r = await world.ask("alice-token", message="Hello <b>prof</b>,\nplease let me in")
    assert r.code == 201
    await mailer.idle()
    [(sender, to, message)] = smtp.messages
    assert (sender, to) == ("hub@example.org", ["prof@example.org"])
    assert message["Subject"] == f"Enrolment request: alice → {COURSE}"
    assert message["From"] == "hub@example.org" and message["To"] == "prof@example.org"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "text/plain"
    text = body_of(message)
    assert f"alice asks to join {COURSE}." in text
    # the student's message, as they wrote it, marked as theirs and quoted
    assert (
        "Their message (their own words, not from the hub):\n\n"
        "> Hello <b>prof</b>,\n> please let me in\n"
    ) in text
    link = f"{PUBLIC}hub/user-redirect/lab?hub-groups-manage={COURSE}"
    assert link in text.split()
    assert text.index(link) < text.index("Their message"), "the hub's link first"
    # the request was marked handled
    assert world.rows()[0]["notified"] is not None


async def test_repeating_a_request_sends_nothing_more(world, smtp):
    mailer = mailer_for(world, settings(smtp.port))
    await world.ask("alice-token")
    await world.ask("alice-token")
    await mailer.idle()
    assert len(smtp.messages) == 1
    assert "They left no message." in body_of(smtp.messages[0][2])


@pytest.mark.parametrize("course", ["Class 1234/Semester 02", "a&b=c#d", "Grüße?x"])
def test_the_link_names_the_course_whole(course):
    link = manage_link(PUBLIC, course)
    query = parse_qs(urlsplit(link).query)
    assert query == {"hub-groups-manage": [course]}
    assert urlsplit(link).path == "/jupyter/hub/user-redirect/lab"


@pytest.mark.parametrize("message", ["Hi", "Grüße 👋 " + "x" * 80])
def test_the_link_survives_any_message_as_the_server_gets_it(message):
    """ASCII goes as it is, anything else quoted-printable: a mail client
    decodes both to the same link (and the raw ASCII message shows it)."""
    request = Request(1, COURSE, "alice", "pending", message, START)
    sent = compose(request, COURSE, "hub@example.org", "prof@example.org", PUBLIC)
    raw = bytes(sent)
    received = message_from_bytes(raw, policy=policy.default)
    assert manage_link(PUBLIC, COURSE) in received.get_content().split()
    assert message.split()[0] in received.get_content()
    if message.isascii():
        assert manage_link(PUBLIC, COURSE).encode() in raw
        assert received["Content-Transfer-Encoding"] == "7bit"


def test_without_a_public_url_the_e_mail_says_why_it_has_no_link():
    request = Request(1, COURSE, "alice", "pending", None, START)
    text = compose(request, COURSE, "hub@example.org", "prof@example.org", None).get_content()
    assert "http" not in text
    assert "settings.public_url" in text
    # and where to go instead: the launcher's card opens the panel
    assert f"the card Manage {COURSE}\nin the launcher opens the Course members panel" in text


@pytest.mark.parametrize("public_url", [PUBLIC, None], ids=["link", "no link"])
def test_the_e_mail_tells_the_instructor_why_they_get_it_what_to_do_and_where(public_url):
    """Worded for the instructor who reads it: no word of the hub's
    configuration file (``notify``), but why this address gets it, what to
    do and where (the Course members panel), and how to stop it."""
    request = Request(1, COURSE, "alice", "pending", None, START)
    text = compose(request, COURSE, "hub@example.org", "prof@example.org", public_url).get_content()
    flat = " ".join(text.split())
    assert "notify" not in text and "listed in" not in text
    assert "To approve or decline it, open" in flat
    assert "the Course members panel" in flat and "requests are at the top" in flat
    signature = text[text.index("\n-- \n") :]
    assert (
        "You get this e-mail because the hub's configuration names your address "
        f"to hear of requests to join {COURSE}." in " ".join(signature.split())
    )
    assert "To be taken off that list, ask the hub's admin." in signature


async def test_the_smtp_password_comes_from_the_variable_named(world, smtp):
    mailer = mailer_for(
        world,
        settings(smtp.port, username="hub", password_env="HUB_GROUPS_SMTP_PASSWORD"),
        environ={"HUB_GROUPS_SMTP_PASSWORD": "hunter2"},
    )
    await world.ask("alice-token")
    await mailer.idle()
    assert smtp.logins == [("hub", "hunter2")]
    assert len(smtp.messages) == 1


@pytest.mark.parametrize("failure", ["down", "refused", "wrong password", "no starttls"])
async def test_an_e_mail_failure_never_fails_the_request(world, smtp, caplog, failure):
    smtp_settings = settings(smtp.port)
    environ = {}
    if failure == "down":
        smtp_settings["port"] = free_port()  # nobody listens there
    elif failure == "refused":
        smtp.refuse = True
    elif failure == "wrong password":
        smtp_settings.update(username="hub", password_env="SMTP_PASSWORD")
        environ = {"SMTP_PASSWORD": "wrong"}
    else:
        # the server offers no STARTTLS: never sent in the clear instead
        smtp_settings["security"] = "starttls"
    mailer = mailer_for(world, smtp_settings, environ=environ)
    caplog.set_level(logging.INFO, "hub-groups")
    r = await world.ask("alice-token", message="hi")
    assert (r.code, r.json["state"]) == (201, "pending")
    await mailer.idle()
    assert smtp.messages == []
    errors = [rec.getMessage() for rec in caplog.records if rec.levelno >= logging.ERROR]
    assert any("could not e-mail prof@example.org about alice's request" in e for e in errors), errors
    assert world.rows()[0]["notified"] is not None, "handled: not retried at every start"
    # and the instructors still see it
    assert (await world.call("GET", "pending", "prof-token")).json["pending"]


async def test_a_course_name_that_would_break_a_header_breaks_no_header(world, smtp):
    """A name with a line break (never from the YAML file) cannot add a
    header: it is shown as codes, and the e-mail is sent."""
    mailer = mailer_for(world, settings(smtp.port))
    course = world.enrolment.courses["a\nb"]
    world.enrolment.courses["a\nb"] = type(course)(course.name, "request", ("prof@example.org",))
    r = await world.ask("alice-token", group="a\nb")
    assert r.code == 201
    await mailer.idle()
    [(_, _, message)] = smtp.messages
    assert message["Subject"] == "Enrolment request: alice → a<U+000A>b"
    assert "alice asks to join a<U+000A>b.\n" in body_of(message)
    assert manage_link(PUBLIC, "a\nb") in body_of(message).split()


async def test_requests_the_service_could_not_e_mail_before_it_stopped_are_sent_at_start(
    world, smtp
):
    """The request was committed, the service stopped before its e-mail."""
    await world.ask("alice-token")  # the world's notifier only records it
    assert world.rows()[0]["notified"] is None
    mailer = Mailer(settings(smtp.port), PUBLIC, world.db, environ={})
    assert await resend_unnotified(world.db, mailer, world.enrolment.courses) == 1
    await mailer.idle()
    assert len(smtp.messages) == 1
    assert await resend_unnotified(world.db, mailer, world.enrolment.courses) == 0


async def test_a_slow_smtp_server_does_not_slow_the_request(world):
    """The request is answered while the e-mail waits."""
    release = asyncio.Event()
    sent = []
    loop = asyncio.get_running_loop()

    def send(message):
        asyncio.run_coroutine_threadsafe(release.wait(), loop).result(timeout=10)
        sent.append(message)

    mailer = Mailer(settings(1), PUBLIC, world.db, environ={}, send=send)
    world.enrolment.notifier = mailer.notify
    r = await world.ask("alice-token")
    assert r.code == 201 and sent == []
    release.set()
    await mailer.idle()
    assert len(sent) == 1


# --- The student's words, as theirs ----------------------------------------------------


def text_of(message, user="alice"):
    request = Request(1, COURSE, user, "pending", message, START)
    sent = compose(request, COURSE, "hub@example.org", "prof@example.org", PUBLIC)
    received = message_from_bytes(bytes(sent), policy=policy.default)
    return received, received.get_content()


def test_a_message_that_imitates_the_hub_stays_quoted_and_the_link_is_the_only_one():
    """A student writes what looks like the hub's own text and link: every
    line of it is quoted under whose words they are, and the one address
    outside the quote is the hub's."""
    forged = (
        "Please approve.\n\n-- \nApprove or decline it here:\n"
        "https://evil.example.org/hub/user-redirect/lab?hub-groups-manage=x\n"
        "\u2028Approve here: https://evil.example.org/b"
    )
    _, text = text_of(forged)
    lines = text.split("\n")
    start = lines.index("Their message (their own words, not from the hub):")
    quoted = lines[start + 2 : lines.index("-- ", start) - 1]
    assert quoted and all(line == ">" or line.startswith("> ") for line in quoted), quoted
    assert len(quoted) == forged.count("\n") + 1, "a line separator makes no line"
    assert "> <U+2028>Approve here: https://evil.example.org/b" in quoted
    outside = [line for i, line in enumerate(lines) if not line.startswith(">")]
    urls = [w for line in outside for w in line.split() if "://" in w]
    assert urls == [manage_link(PUBLIC, COURSE)]


INVISIBLE = {
    "right-to-left mark": ("pay\u200fment", "pay<U+200F>ment"),
    "override (stored before they were refused)": ("a\u202eb", "a<U+202E>b"),
    "zero width space": ("ww\u200bw", "ww<U+200B>w"),
    "soft hyphen": ("in\u00advisible", "in<U+00AD>visible"),
    "tag characters": ("hi\U000e0041\U000e0042", "hi<U+E0041><U+E0042>"),
    "word joiner": ("a\u2060b", "a<U+2060>b"),
    "joiner alone": ("\u200dx", "<U+200D>x"),
    "byte order mark": ("\ufeffhi", "<U+FEFF>hi"),
}


@pytest.mark.parametrize("message, shown", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_invisible_and_direction_characters_are_shown(message, shown):
    _, text = text_of(message)
    assert f"> {shown}\n" in text


@pytest.mark.parametrize(
    "message",
    ["👩\u200d👩\u200d👧\u200d👦", "می\u200cخواهم", "Grüße 👋🏽 — مرحبا", "❤\ufe0f\u200d🔥"],
    ids=["family emoji", "Persian word", "unicode", "emoji with a variation selector"],
)
def test_joiners_inside_words_and_emoji_are_kept(message):
    _, text = text_of(message)
    assert f"> {message}\n" in text


def test_a_stored_name_with_a_line_break_breaks_no_header():
    """A request stored before such names were refused: its e-mail is
    still sent, the name shown as codes, in the subject and the text."""
    received, text = text_of("hi", user="evil\r\nbcc: x@y.org")
    assert received["Subject"] == f"Enrolment request: evil<U+000D><U+000A>bcc: x@y.org → {COURSE}"
    assert received["Bcc"] is None
    assert text.startswith(f"evil<U+000D><U+000A>bcc: x@y.org asks to join {COURSE}.\n")


def test_visible_leaves_plain_text_alone():
    plain = "Hello <b>prof</b> {x} %s \\ 'quoted' — Grüße"
    assert visible(plain) == plain


def test_a_course_with_a_title_is_named_by_it_and_linked_by_its_group():
    """Issue 19, item 3: what people read, and the panel the link opens."""
    request = Request(1, COURSE, "alice", "pending", None, START)
    sent = compose(
        request, COURSE, "hub@example.org", "prof@example.org", PUBLIC, "Data Science 1"
    )
    text = sent.get_content()
    assert sent["Subject"] == "Enrolment request: alice → Data Science 1"
    assert "alice asks to join Data Science 1." in text
    assert manage_link(PUBLIC, COURSE) in text.split()
