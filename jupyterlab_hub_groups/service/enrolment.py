"""Requests to join courses: the rules, without HTTP.

Why: a student cannot add themselves to a course group (that would need
``groups!group=<course>``, which is the instructors'), and an instructor
learns of nobody who wants in. Here a student asks (``request`` courses)
or joins (``open`` courses), an instructor approves or declines, and the
service adds the people approved with its own token, which may change the
members of exactly these courses. Everything is kept in the database
(:mod:`.db`), so requests outlive the hub and the service.

Who is who comes from the hub, never from a request body: the caller is
the token's user; who may decide for a course is whoever's token holds
``groups!group=<course>`` or ``admin:groups!group=<course>`` (the scopes
an instructor's page token carries on their own server), read afresh for
every decision. Closed courses are never listed and take no requests.

Messages are plain text, at most :data:`~.bodies.MAX_MESSAGE` characters,
checked before they are stored (:mod:`.bodies`); names and group names only come from the hub and
the YAML file. A name the hub accepts but that breaks a line or hides
itself (:func:`refuse_unusable_name`) cannot ask; a request of such a name stored
before is still decided. The HTTP API is :mod:`.api`.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..group_changes import NoSuchGroup, change, members
from ..group_changes import user_name_problem as name_problem
from ..hub_client import HubClient, HubError
from ..refusal import refusal
from .api_error import ApiError, bad_request
from .db import Database
from .tables import Request, iso

log = logging.getLogger("hub-groups")

#: The rate limit's window, in seconds.
RATE_WINDOW = 3600
#: Seconds a decline may be undone (``POST .../requests/undecline``); the
#: student's e-mail of a decline waits as long.
UNDO_SECONDS = 60
#: What ``?state=`` of the instructors' list may ask for.
LISTED_STATES = {
    "pending": ("pending",),
    "approved": ("approved",),
    "declined": ("declined",),
    "all": ("pending", "approved", "declined"),
}


@dataclass(frozen=True)
class Course:
    """A course that takes requests or is open, as the YAML file says."""

    name: str
    enrolment: str
    notify: tuple[str, ...] = ()
    #: What people read for it; "" for its group's name.
    title: str = ""


class Enrolment:
    """The rules of requests to join courses.

    Parameters
    ----------
    courses : mapping
        Course name → :class:`Course`; closed courses are not there.
    db : Database
    client : HubClient
        With the service's own token (``groups!group=<course>`` for these
        courses).
    rate_limit : int
        New requests per user per :data:`RATE_WINDOW`; 0: no limit.
    notifier : callable, optional
        Called with ``(request, course)`` for every new pending request
        (the e-mails); must not wait.
    teller : callable, optional
        Called with the seconds after which students' e-mails of decisions
        are due (0 for an approval, :data:`UNDO_SECONDS` for a decline);
        must not wait. None: students are not e-mailed.
    """

    def __init__(
        self,
        courses: Mapping[str, Course],
        db: Database,
        client: HubClient,
        rate_limit: int,
        notifier: Any = None,
        teller: Any = None,
    ):
        self.courses = dict(courses)
        self.db = db
        self.client = client
        self.rate_limit = rate_limit
        self.notifier = notifier
        self.teller = teller

    def course(self, group: str) -> Course:
        """The course ``group``, if it takes requests or is open.

        Raises
        ------
        ApiError
            403 ``closed`` for a closed course, and for any other name (a
            name that is no course says no more than a closed one).
        """
        course = self.courses.get(group)
        if course is None:
            raise ApiError(403, "closed", "This course takes no requests to join.")
        return course

    async def members_among(self, user: str) -> set[str]:
        """The courses ``user`` is in, asked of the hub with the service's
        token (for a caller whose token may not read its own groups)."""
        found = set()
        for group in self.courses:
            try:
                if user in await members(self.client, None, group):
                    found.add(group)
            except NoSuchGroup:
                continue
            except HubError as e:
                raise ApiError(e.status, e.reason, e.message) from None
        return found

    # --- Students ---------------------------------------------------------------------

    async def listing(self, user: str, groups: set[str]) -> list[dict[str, Any]]:
        """``GET courses``: every course taking requests or open, whether
        ``user`` is a member (``groups``: theirs, from the hub), and their
        latest request (None if withdrawn)."""
        latest = await self.db.run(self.db.store.latest_of, user, list(self.courses))
        listed = []
        for name in sorted(self.courses):
            request = latest.get(name)
            listed.append(
                {
                    "group": name,
                    # what people read for it (the group's name without one)
                    "title": self.courses[name].title or name,
                    "enrolment": self.courses[name].enrolment,
                    "member": name in groups,
                    "request": request.mine()
                    if request and request.state != "withdrawn"
                    else None,
                }
            )
        return listed

    async def ask(
        self, user: str, group: str, message: str | None, member: bool
    ) -> tuple[int, dict[str, Any]]:
        """``POST courses/<g>/requests``.

        Parameters
        ----------
        user : str
            The caller (the token's user).
        group : str
        message : str or None
            Checked (:func:`~.bodies.parse_message`).
        member : bool
            Whether the hub says ``user`` is in ``group`` now.

        Returns
        -------
        tuple
            The HTTP status and the answer.

        Raises
        ------
        ApiError
        """
        course = self.course(group)
        refuse_unusable_name(user)
        store = self.db.store
        if member:
            # added another way meanwhile: nothing is pending any more
            await self.db.run(store.settle_member, group, user)
            return 200, {"state": "member"}
        if course.enrolment == "open":
            retry = await self.db.run(store.rate_limited, user, self.rate_limit, RATE_WINDOW)
            if retry:
                raise self._rate_limited(user, retry)
            await self._add(group, [user])
            request = await self.db.run(store.record_joined, group, user, message)
            log.info("%s joined %s (open)", loggable(user), loggable(group))
            return 200, request.mine()
        outcome, request, retry = await self.db.run(
            store.submit, group, user, message, self.rate_limit, RATE_WINDOW
        )
        if outcome == "rate-limited":
            raise self._rate_limited(user, retry)
        assert request is not None
        if outcome == "pending":
            return 200, request.mine()
        log.info("%s asks to join %s", loggable(user), loggable(group))
        if self.notifier is not None:
            self.notifier(request, course)
        return 201, request.mine()

    def _rate_limited(self, user: str, retry: float) -> ApiError:
        seconds = math.ceil(retry)
        log.warning(
            "%s is over the rate limit of requests (again in %d s)", loggable(user), seconds
        )
        return ApiError(
            429,
            "rate-limited",
            f"Too many requests to join courses; try again in {seconds} seconds.",
            retry_after=seconds,
        )

    async def withdraw(self, user: str, group: str) -> dict[str, Any]:
        """``DELETE courses/<g>/requests/mine``."""
        self.course(group)
        request = await self.db.run(self.db.store.withdraw, group, user)
        if request is None:
            raise ApiError(404, "no-pending-request", "You have no pending request here.")
        log.info("%s withdrew their request to join %s", loggable(user), loggable(group))
        return request.mine()

    # --- Instructors ------------------------------------------------------------------

    async def requests_of(self, group: str, state: str | None) -> list[dict[str, Any]]:
        """``GET courses/<g>/requests?state=``: for its managers (checked by the caller)."""
        self.course(group)
        states = LISTED_STATES.get(state or "pending")
        if states is None:
            raise bad_request(f"state is one of {', '.join(LISTED_STATES)}.")
        found = await self.db.run(self.db.store.of_group, group, states)
        return [r.managed() for r in found]

    async def pending(self, groups: set[str]) -> list[dict[str, Any]]:
        """``GET pending``: the pending requests of the courses in ``groups``,
        with their messages (the instructors' notification shows one)."""
        mine = sorted(g for g in groups if g in self.courses)
        if not mine:
            return []
        found: list[Request] = await self.db.run(self.db.store.pending_in, mine)
        return [
            {"group": r.group, "user": r.user, "created": iso(r.created), "message": r.message}
            for r in found
        ]

    async def decide(
        self, group: str, users: list[str], approve: bool, by: str, reason: str | None = None
    ) -> dict[str, Any]:
        """``POST courses/<g>/requests/approve|decline``: for its managers
        (checked by the caller). Approving adds every pending user to the
        group with one hub request (halved only if the hub refuses it).

        Any request that is stored can be decided, whatever the name: one
        asked before the service refused unusable names
        (:func:`refuse_unusable_name`) is declined as asked, and approving it declines
        it too, with an ``invalid`` error saying why (it is never sent to
        the hub, and never stays pending for ever).

        A decline keeps ``reason`` (checked, :func:`~.bodies.parse_decision`)
        for its student, and may be undone for :data:`UNDO_SECONDS`
        (:meth:`undecline`).

        Returns
        -------
        dict
            ``{"approved": [...], "declined": [...], "errors": [{"user", "error", "message"}]}``.
        """
        self.course(group)
        store = self.db.store
        tell = self.teller is not None
        # no database can hold these: never asked, never looked up
        storable = [n for n in users if "\x00" not in n and not _has_surrogate(n)]
        pending = await self.db.run(store.pending_users, group, storable)
        errors = []
        for name in users:
            if name in pending:
                continue
            problem = name_problem(name)
            if problem:
                errors.append({"user": name, **refusal("invalid", problem)})
            else:
                errors.append(
                    {
                        "user": name,
                        **refusal("no-pending-request", f"{name} has no pending request."),
                    }
                )
        ordered = [n for n in users if n in pending]
        approved: list[str] = []
        declined: list[str] = []
        if approve and ordered:
            unfit = {n: problem for n in ordered if (problem := name_problem(n))}
            usable = [n for n in ordered if n not in unfit]
            if usable:
                done = await self._add(group, usable)
                errors += [
                    {"user": e["name"], **refusal(e["error"], e["message"])}
                    for e in done.errors
                ]
                approved = await self.db.run(
                    store.decide, group, done.done, "approved", by, None, tell
                )
            if unfit:
                # the hub's words, not an instructor's: no reason, no e-mail
                declined = await self.db.run(store.decide, group, list(unfit), "declined", by)
                errors += [
                    {
                        "user": n,
                        **refusal(
                            "invalid",
                            f"{unfit[n]} This name cannot be added to a course: "
                            "the request was declined.",
                        ),
                    }
                    for n in declined
                ]
        elif ordered:
            declined = await self.db.run(
                store.decide, group, ordered, "declined", by, reason, tell
            )
        for verb, names in (("approved", approved), ("declined", declined)):
            if names:
                log.info(
                    "%s %s %d request(s) to join %s",
                    loggable(by),
                    verb,
                    len(names),
                    loggable(group),
                )
        if tell and approved:
            self.teller(0)
        if tell and declined and not approve:
            self.teller(UNDO_SECONDS)
        return {"approved": approved, "declined": declined, "errors": errors}

    async def undecline(self, group: str, users: list[str], by: str) -> dict[str, Any]:
        """``POST courses/<g>/requests/undecline``: for its managers (checked
        by the caller). Each decline of ``users`` made less than
        :data:`UNDO_SECONDS` ago that is still the person's latest request
        is pending again, as it was (no reason, and never e-mailed).

        Why in the service, not a decline the page sends late: the decision
        is stored at once, so that every instructor's list, count and
        notification agree, and a closed tab or a lost connection cannot
        drop it; the window and "nothing happened since" are checked where
        the requests are, against one clock.

        Returns
        -------
        dict
            ``{"undone": [...], "errors": [{"user", "error", "message"}]}``.
        """
        self.course(group)
        undone, refused = await self.db.run(
            self.db.store.undecline, group, users, UNDO_SECONDS
        )
        words = {
            "undo-expired": "{} was declined more than {} seconds ago: it cannot be undone.",
            "no-declined-request": "{} has no decline to undo (or asked again since).",
        }
        errors = [
            {"user": n, **refusal(code, words[code].format(n, UNDO_SECONDS))}
            for n, code in refused.items()
        ]
        if undone:
            log.info(
                "%s undid the decline of %d request(s) to join %s",
                loggable(by),
                len(undone),
                loggable(group),
            )
        return {"undone": undone, "errors": errors}

    async def _add(self, group: str, users: list[str]):
        """Add ``users`` to ``group`` with the service's token."""
        try:
            return await change(self.client, None, group, "POST", users)
        except NoSuchGroup:
            raise ApiError(
                404, "no-such-group", "The hub has no such group (yet): ask an admin."
            ) from None
        except HubError as e:
            log.error("could not add %d user(s) to %s: %s", len(users), loggable(group), e)
            raise ApiError(e.status, e.reason, e.message) from None


def refuse_unusable_name(user: str) -> None:
    """Refuse a caller whose name the hub accepts but this service cannot
    carry safely (a line break, a right-to-left mark: into an e-mail's
    subject, a log line, an instructor's list), by the one rule of user
    names (:func:`~..group_changes.user_name_problem`).

    Raises
    ------
    ApiError
        403 ``invalid-name``, saying why and what to do.
    """
    problem = name_problem(user)
    if problem:
        log.warning("%s may not ask to join courses: %s", loggable(user), problem)
        raise ApiError(
            403,
            "invalid-name",
            f"Your user name cannot ask to join a course here. {problem} "
            "Ask the hub's admin for a plain name.",
        )


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def loggable(text: str) -> str:
    """A name in a log line: quoted with escapes when it holds anything
    that could start a new line or hide itself (user names come from the
    hub's authenticator, course names from the file: neither should, and
    a log line must not be forged if one does)."""
    return text if text.isprintable() and " " not in text else repr(text)
