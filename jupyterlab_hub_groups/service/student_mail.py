"""E-mail to a student when their request to join a course was decided.

Why: a student learns of a decision in JupyterLab only while a page of
theirs is open; one who closed it learns nothing until they come back.
JupyterHub keeps no e-mail address of its users, so the address is made
from the user name with the YAML's ``settings.smtp.student_address``
(``{user}@uni.example``, checked by the hub helper); it is stored nowhere.
A user name that cannot be an address's local part (a space, a comma, an
``@``, a letter outside ASCII...) is simply not e-mailed, and the hub's
log says so.

When: an approval at once; a decline once its undo's window
(:data:`~.enrolment.UNDO_SECONDS`) is over, so that a decline undone is
never e-mailed. Each e-mail is claimed in the database in one transaction
with that check (:meth:`~.request_store.RequestStore.claim_student_notice`)
before it is sent: an undo and a send never both happen, and no e-mail
goes twice. Sweeps look for what is due: right after a decision (the
``teller`` hook of :class:`~.enrolment.Enrolment`), when a decline's
window closes, every :data:`SWEEP_SECONDS`, and once at start, where
decisions older than :data:`FRESH_SECONDS` are marked handled, not sent.
Off the request path, like the instructors' e-mail (:mod:`.mail`): a
failing SMTP server is logged and never fails a decision.

The message is plain text; the instructor's reason goes in as written,
under a line saying whose words they are, quoted line by line, with its
invisible and direction characters shown as ``<U+XXXX>``
(:func:`.mail.visible`).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from .db import Database
from .enrolment import UNDO_SECONDS, loggable
from .mail import Mailer, visible
from .tables import Request

log = logging.getLogger("hub-groups")

#: Decisions older than this when the service starts are not e-mailed.
FRESH_SECONDS = 24 * 3600
#: Seconds between two looks for e-mails due.
SWEEP_SECONDS = 30
#: After a decline's window, wait this much more before looking (the
#: database's clock and the event loop's are not the same one).
MARGIN_SECONDS = 1
#: An address's local part (RFC 5322 dot-atom, ASCII): what a user name
#: may bring into it. No space, comma, quote, angle bracket, ``@`` or line
#: break, which would add a recipient or a header.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
LOCAL_PART = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*")


def student_address(template: str, user: str) -> str | None:
    """``user``'s address made with ``template``, or None when their name
    cannot be part of one.

    Parameters
    ----------
    template : str
        ``settings.smtp.student_address``, checked by the hub helper: one
        ``{user}`` before the ``@``, no other braces.
    user : str
        From the database (the hub's name of the person).

    Returns
    -------
    str or None
    """
    # replace, never format: a name is text, not a format string
    local, at, domain = template.replace("{user}", user).rpartition("@")
    if not at or len(local) > 64 or not LOCAL_PART.fullmatch(local):
        return None
    return f"{local}@{domain}"


def compose_decision(
    request: Request, course: str, sender: str, to: str, public_url: str | None
) -> EmailMessage:
    """The e-mail to ``request``'s student about its decision.

    Parameters
    ----------
    request : Request
        Approved or declined.
    course : str
        What people read for the course (its title, else its group).
    sender, to : str
        Checked addresses.
    public_url : str or None
        The hub's public address; None: no link.

    Returns
    -------
    email.message.EmailMessage
    """
    group = visible(course)
    message = EmailMessage()
    if request.state == "approved":
        message["Subject"] = f"You are in {group} now"
        lines = [
            f"Your request to join {group} was approved: you are a member of the course now.",
            "",
            "What to do next: restart your server to get the course's kernels and services.",
            f'In JupyterLab, the notification "You are in {group} now" has Restart Now;',
            "or, in the menu File > Hub Control Panel, Stop My Server, then Start My Server.",
            "A server that is not running gets them at its next start.",
        ]
    else:
        message["Subject"] = f"Your request to join {group} was declined"
        lines = [f"Your request to join {group} was declined.", ""]
        if request.reason:
            lines += ["The instructor's reason (their own words, not from the hub):", ""]
            lines += [f"> {visible(line)}".rstrip() for line in request.reason.split("\n")]
        else:
            lines.append("The instructor gave no reason.")
        lines += [
            "",
            f"You may ask again: the card Join {group} in JupyterLab's launcher.",
        ]
    if public_url:
        lines += ["", "Your JupyterLab on the hub:", f"{public_url}hub/user-redirect/lab"]
    lines += [
        "",
        "-- ",
        "Sent by the hub-groups service of JupyterHub because you asked to join",
        f"{group}. Your address is made from your user name on the hub.",
    ]
    message["From"] = sender
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2])
    message["Auto-Submitted"] = "auto-generated"
    text = "\n".join(lines) + "\n"
    message.set_content(
        text, charset="utf-8", cte="7bit" if text.isascii() else "quoted-printable"
    )
    return message


class StudentMailer:
    """Sends the students' e-mails of decisions when they are due.

    Parameters
    ----------
    template : str
        ``settings.smtp.student_address``.
    mailer : Mailer
        Its SMTP server, sender and public address.
    db : Database
    courses : mapping
        Course name → its course (a ``title``, if any, is what the e-mail
        names).
    wait : float
        A decline's undo window (:data:`~.enrolment.UNDO_SECONDS`).
    interval : float
        Seconds between sweeps (:data:`SWEEP_SECONDS`).
    fresh : float
        Decisions older than this are not e-mailed (:data:`FRESH_SECONDS`).
    """

    def __init__(
        self,
        template: str,
        mailer: Mailer,
        db: Database,
        courses: Mapping[str, Any],
        wait: float = UNDO_SECONDS,
        interval: float = SWEEP_SECONDS,
        fresh: float = FRESH_SECONDS,
    ):
        self.template = template
        self.mailer = mailer
        self.db = db
        self.courses = courses
        self.wait = wait
        self.interval = interval
        self.fresh = fresh
        self._tasks: set[asyncio.Task] = set()
        self._later: set[asyncio.TimerHandle] = set()
        self._timer: asyncio.Task | None = None

    def tell(self, after: float) -> None:
        """The ``teller`` of :class:`~.enrolment.Enrolment`: decisions were
        made whose e-mails are due in ``after`` seconds; returns at once."""
        if after <= 0:
            self._sweep_soon()
            return
        loop = asyncio.get_running_loop()
        handle: asyncio.TimerHandle

        def due() -> None:
            self._later.discard(handle)
            self._sweep_soon()

        handle = loop.call_later(after + MARGIN_SECONDS, due)
        self._later.add(handle)

    def _sweep_soon(self) -> None:
        task = asyncio.get_running_loop().create_task(self.sweep())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def start(self) -> None:
        """Mark what is too old handled, send what is due, and sweep every
        ``interval`` from now on."""
        try:
            retired = await self.db.run(self.db.store.retire_student_notices, self.fresh)
            if retired:
                log.info(
                    "%d decision(s) older than %g hours were not e-mailed to their students",
                    retired,
                    self.fresh / 3600,
                )
        except Exception:
            log.exception("could not look for old decisions to e-mail")
        await self.sweep()
        self._timer = asyncio.get_running_loop().create_task(self._every_interval())

    async def _every_interval(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self.sweep()

    async def sweep(self) -> int:
        """Send every e-mail due now that nobody claimed (never raises).

        Returns
        -------
        int
            How many this sweep claimed.
        """
        store = self.db.store
        try:
            due = await self.db.run(store.due_to_students, self.wait, self.fresh)
        except Exception:
            log.exception("could not look for decisions to e-mail to students")
            return 0
        claimed = 0
        for found in due:
            try:
                request = await self.db.run(store.claim_student_notice, found.id, self.wait)
            except Exception:
                log.exception("could not claim the e-mail of request %d", found.id)
                continue
            if request is not None:
                claimed += 1
                await self._send(request)
        return claimed

    async def _send(self, request: Request) -> None:
        who, group = loggable(request.user), loggable(request.group)
        to = student_address(self.template, request.user)
        if to is None:
            log.warning(
                "%s is not e-mailed that their request to join %s was %s: no e-mail address "
                "can be made of that user name (settings.smtp.student_address)",
                who,
                group,
                request.state,
            )
            return
        course = self.courses.get(request.group)
        shown = (course.title if course else "") or request.group
        try:
            message = compose_decision(
                request, shown, self.mailer.smtp["from"], to, self.mailer.public_url
            )
            await asyncio.get_running_loop().run_in_executor(None, self.mailer.send, message)
            log.info("e-mailed %s that their request to join %s was %s", who, group, request.state)
        except Exception as e:  # never the decision's failure
            log.error(
                "could not e-mail %s that their request to join %s was %s: %s",
                who,
                group,
                request.state,
                f"{type(e).__name__}: {e}",
            )

    async def idle(self) -> None:
        """Wait until every sweep started so far is over (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def stop(self) -> None:
        """No more sweeps; let those under way finish. What was not sent
        is sent at the next start (if still fresh)."""
        for handle in self._later:
            handle.cancel()
        self._later.clear()
        if self._timer is not None:
            self._timer.cancel()
            await asyncio.gather(self._timer, return_exceptions=True)
            self._timer = None
        await self.idle()
