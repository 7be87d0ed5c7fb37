"""E-mail to a course's instructors when someone asks to join it.

Why off the request path: an SMTP server may be slow, down or refusing;
none of that may delay or fail the student's request, which is in the
database before any e-mail is tried. Each message is sent by a task of
its own (smtplib on a worker thread); a failure is logged, never raised.
The request is marked ``notified`` when its e-mails were handled, so that
one committed just before the service stopped is sent at its next start.

The message is plain text (``text/plain; charset=utf-8``): the student's
message goes in as they wrote it, never as markup, marked as their words
and quoted line by line, its invisible and direction characters shown as
``<U+XXXX>``, after the hub's one link. Addresses and the sender are
checked by the hub helper (one plain address each); the headers are built
by :class:`email.message.EmailMessage`, which refuses line breaks in them
(a user name carries none there: it is shown as codes too).
"""

from __future__ import annotations

import asyncio
import logging
import os
import smtplib
import ssl
import unicodedata
from collections.abc import Callable, Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any
from urllib.parse import quote

from .db import Database
from .enrolment import loggable
from .tables import Request

log = logging.getLogger("hub-groups")

#: Seconds to wait for the SMTP server, per step.
SMTP_TIMEOUT = 30
#: Pending requests younger than this whose e-mail was never handled are
#: e-mailed at start; older ones are not (the instructors have seen them).
RESEND_SECONDS = 24 * 3600


def manage_link(public_url: str, course: str) -> str:
    """Where an instructor approves requests: their JupyterLab with the
    course's members panel open.

    Parameters
    ----------
    public_url : str
        The hub's public address, ending with '/'.
    course : str

    Returns
    -------
    str
        ``<public_url>hub/user-redirect/lab?hub-groups-manage=<course, URL-encoded>``.
    """
    return f"{public_url}hub/user-redirect/lab?hub-groups-manage={quote(course, safe='')}"


#: Characters shown as ``<U+XXXX>`` in an e-mail: controls, format
#: characters (bidirectional marks and controls, zero-width and invisible
#: ones, tags), line and paragraph separators (some mail clients break
#: lines there), surrogates, private-use and unassigned code points.
_SHOWN_AS_CODES = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}
#: Joiners that shape words and emoji (ZWNJ, ZWJ): kept between two
#: visible characters, where they only change how those are drawn.
_JOINERS = {"\u200c", "\u200d"}


def visible(text: str) -> str:
    """``text`` with every invisible or direction character written as
    ``<U+XXXX>``, so that what an instructor reads is what was stored:
    no text shown in another order than it is, nothing hidden, no line
    made outside the quote.

    Parameters
    ----------
    text : str
        One line (a line break is shown as a code too).

    Returns
    -------
    str
    """
    out = []
    for i, ch in enumerate(text):
        if unicodedata.category(ch) in _SHOWN_AS_CODES and not (
            ch in _JOINERS and _drawn(text, i - 1) and _drawn(text, i + 1)
        ):
            out.append(f"<U+{ord(ch):04X}>")
        else:
            out.append(ch)
    return "".join(out)


def _drawn(text: str, i: int) -> bool:
    """Whether ``text[i]`` exists and is a letter, mark, number or symbol."""
    return 0 <= i < len(text) and unicodedata.category(text[i])[0] in "LMNS"


def compose(
    request: Request,
    course: str,
    sender: str,
    to: str,
    public_url: str | None,
    title: str = "",
) -> EmailMessage:
    """The e-mail about one request, to one address.

    The hub's words and its one link come first; the student's message
    follows under a line saying whose words they are, each line quoted
    (``> ``) and with its invisible and direction characters shown as
    codes (:func:`visible`), so that nothing in it passes for the hub's
    text or link. The link (:func:`manage_link`) is the only address the
    hub writes.

    Parameters
    ----------
    request : Request
    course : str
    sender, to : str
        Checked addresses.
    public_url : str or None
        The hub's public address; None: no link (the message says why).
    title : str
        What people read for the course (the YAML's title); "" for its
        group's name. The link names the group.

    Returns
    -------
    email.message.EmailMessage
    """
    user, group = visible(request.user), visible(title or course)
    message = EmailMessage()
    message["Subject"] = f"Enrolment request: {user} → {group}"
    message["From"] = sender
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2])
    # an automatic message (RFC 3834): no vacation replies to the hub
    message["Auto-Submitted"] = "auto-generated"
    lines = [f"{user} asks to join {group}.", ""]
    if public_url:
        lines += [
            f"To approve or decline it, open the Course members panel of {group}",
            "in JupyterLab (its requests are at the top). This link opens it:",
            manage_link(public_url, course),
        ]
    else:
        lines += [
            f"To approve or decline it, open JupyterLab on the hub: the card Manage {group}",
            "in the launcher opens the Course members panel (its requests are at the top).",
            "(No link: the hub's public address is not configured, settings.public_url.)",
        ]
    lines.append("")
    if request.message:
        lines += ["Their message (their own words, not from the hub):", ""]
        lines += [f"> {visible(line)}".rstrip() for line in request.message.split("\n")]
    else:
        lines.append("They left no message.")
    lines += [
        "",
        "-- ",
        "Sent by the hub-groups service of JupyterHub. You get this e-mail because",
        f"the hub's configuration names your address to hear of requests to join {group}.",
        "To be taken off that list, ask the hub's admin.",
    ]
    text = "\n".join(lines) + "\n"
    # Plain ASCII as it is (the link readable in the raw message, nothing
    # wrapped); other text quoted-printable, which every server carries.
    message.set_content(
        text, charset="utf-8", cte="7bit" if text.isascii() else "quoted-printable"
    )
    return message


class Mailer:
    """Sends the e-mails of new requests, each in a task of its own.

    Parameters
    ----------
    smtp : mapping
        ``host``, ``port``, ``from``, ``security`` (``none``, ``starttls``,
        ``ssl``), ``username``, ``password_env`` (the variable's *name*).
    public_url : str or None
    db : Database
        Where a request is marked ``notified``.
    environ : mapping, optional
        Where the password is read (``os.environ``).
    send : callable, optional
        ``send(message)``, blocking; :meth:`send_smtp` by default.
    """

    def __init__(
        self,
        smtp: Mapping[str, Any],
        public_url: str | None,
        db: Database,
        environ: Mapping[str, str] | None = None,
        send: Callable[[EmailMessage], None] | None = None,
    ):
        self.smtp = dict(smtp)
        self.public_url = public_url
        self.db = db
        env = os.environ if environ is None else environ
        name = self.smtp.get("password_env")
        self._password = env.get(name, "") if name else None
        if name and not self._password:
            log.error(
                "settings.smtp.password_env names $%s, which is empty in the hub's "
                "environment: the SMTP server will likely refuse to send",
                name,
            )
        self._send = send or self.send_smtp
        self._tasks: set[asyncio.Task] = set()

    def notify(self, request: Request, course: Any) -> None:
        """E-mail ``course.notify`` about ``request``; returns at once."""
        task = asyncio.get_running_loop().create_task(
            self._notify(request, course.name, course.notify, course.title)
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _notify(
        self, request: Request, course: str, addresses: tuple[str, ...], title: str = ""
    ) -> None:
        loop = asyncio.get_running_loop()
        for to in addresses:
            try:
                message = compose(
                    request, course, self.smtp["from"], to, self.public_url, title
                )
                await loop.run_in_executor(None, self._send, message)
                log.info(
                    "e-mailed %s about %s's request to join %s",
                    to,
                    loggable(request.user),
                    loggable(course),
                )
            except Exception as e:  # never the request's failure
                log.error(
                    "could not e-mail %s about %s's request to join %s: %s",
                    to,
                    loggable(request.user),
                    loggable(course),
                    f"{type(e).__name__}: {e}",
                )
        try:
            await self.db.run(self.db.store.mark_notified, request.id)
        except Exception:
            log.exception("could not record that request %d was e-mailed", request.id)

    async def idle(self) -> None:
        """Wait until every e-mail started so far was handled (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def send(self, message: EmailMessage) -> None:
        """Send one message now (blocking), the configured way; raises on
        failure (the students' e-mails, :mod:`.student_mail`, log it)."""
        self._send(message)

    def send_smtp(self, message: EmailMessage) -> None:
        """Send one message through the configured SMTP server (blocking).

        ``starttls`` refuses a server that does not offer STARTTLS (never
        falls back to plain text); ``ssl`` speaks TLS from the start. Both
        check the server's certificate against the system's authorities.
        """
        host, port, security = self.smtp["host"], self.smtp["port"], self.smtp["security"]
        context = ssl.create_default_context()
        if security == "ssl":
            server: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=SMTP_TIMEOUT, context=context
            )
        else:
            server = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT)
        with server:
            if security == "starttls":
                server.starttls(context=context)
            if self.smtp.get("username"):
                server.login(self.smtp["username"], self._password or "")
            server.send_message(message)


async def resend_unnotified(db: Database, mailer: Mailer, courses: Mapping[str, Any]) -> int:
    """E-mail the pending requests whose e-mail was never handled (the
    service stopped in between), of the last :data:`RESEND_SECONDS`.

    Returns
    -------
    int
        How many requests.
    """
    found = await db.run(db.store.unnotified, RESEND_SECONDS)
    count = 0
    for request in found:
        course = courses.get(request.group)
        if course is None or not course.notify:
            await db.run(db.store.mark_notified, request.id)
            continue
        mailer.notify(request, course)
        count += 1
    return count
