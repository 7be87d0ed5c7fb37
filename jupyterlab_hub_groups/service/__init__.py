"""The hub side's managed service ``hub-groups``: keeps groups as the YAML
file says, and ends what a removed project member could keep using.

Why a service: a project's members can run code on the project's shared
server and so read that server's own ``$JUPYTERHUB_API_TOKEN`` (it opens
the server: ``access:servers!server``). Removing someone from the project
group does not end that token, nor the processes they left running there.
Stopping the server does: JupyterHub deletes a server's API token and its
OAuth client (and with it every visitor's OAuth token) when it stops.
Nothing in JupyterHub reacts to a membership change, so this service
watches the project groups and restarts (or stops) the shared server of a
project that lost a member. It runs with a token of its own that may read
the file's project groups and start and stop their shared servers, and add
people to the courses that take requests, nothing else (see
``jupyterlab_hub_groups.hub.managed_service.make_service``).

It also does the one-off job of authoritative mode: at start, each group's
members are made exactly the file's (``load_groups`` only adds); a member
removed that way counts as a removal too.

And when a course takes requests to join it (``enrolment: request``) or is
open, it answers them: an HTTP API behind the hub's proxy
(``/services/hub-groups/api/``, :mod:`.api`), the rules (:mod:`.enrolment`),
a database of requests (:mod:`.db`, migrated at every start) and e-mail to
the course's instructors (:mod:`.mail`). Its token may add people to those
courses, nothing more. It looks at those course groups every round of its
watch too, for the changes made outside the Course members panel that
their history shows (:mod:`.course_watch`).

With ``settings.runtime_projects`` (or ``project_access: shares``) it
also makes projects people ask for in JupyterLab (:mod:`.projects`) and
keeps one JupyterHub user share per project member, and per member of a
group someone shared their own server with (:mod:`.shares`), in step with
the groups at every round; their API is :mod:`.projects_api`.

Run by JupyterHub (``c.JupyterHub.services``) as::

    python -m jupyterlab_hub_groups.service STATE_DIR/service.json

with ``JUPYTERHUB_API_URL`` and ``JUPYTERHUB_API_TOKEN`` in its environment.
What it last saw is kept in the hub side's database (``db_url`` of
``service.json``, with the requests), so a removal made while it was not
running (hub restart, authoritative sync) is still acted on.

Importing this package imports none of its jobs: the hub helper imports
:mod:`.db` at config load, which must not bring the service's HTTP client
with it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .config import EnrolmentConfig, ServiceConfig

if TYPE_CHECKING:
    from ..hub_client import HubClient
    from .db import Database

__all__ = ["log", "run", "start_enrolment"]

#: The service's log (its lines appear in the hub's log as ``hub-groups``).
log = logging.getLogger("hub-groups")


async def run(
    config: ServiceConfig | Mapping[str, Any],
    client: HubClient,
    stop: asyncio.Event,
    db: Database | None = None,
) -> None:
    """The service's jobs: sync once (authoritative mode), then watch the
    project groups and the course groups until ``stop`` is set.

    Parameters
    ----------
    config : ServiceConfig or mapping
        ``service.json`` as the hub helper wrote it: ``sync`` (group → members,
        or None), ``projects`` (group → account), ``on_member_removed``,
        ``interval`` and ``enrolment`` (its courses' groups are watched for
        the history) (a mapping is read with :meth:`ServiceConfig.from_dict`).
    client : HubClient
        The hub client, with the service's own token.
    stop : asyncio.Event
        Set to end the watch (SIGTERM).
    db : Database
        The hub side's database, where the watches keep what they saw;
        needed when there are ``projects`` or courses.
    """
    from ..hub_client import HubError
    from .sync import sync_members

    if not isinstance(config, ServiceConfig):
        config = ServiceConfig.from_dict(config)
    retry = 1.0
    while config.sync and not stop.is_set():
        try:
            await sync_members(client, config.sync)
            log.info("members are as the file says")
            break
        except HubError as e:
            log.error("could not sync the members (again in %g s): %s", retry, e)
            await _wait(stop, retry)
            retry = min(retry * 2, 60)
    watches = _watches(config, client, db)
    if not watches:
        await stop.wait()  # a managed service that exits is restarted by the hub
        return
    while not stop.is_set():
        for what, watch in watches:
            try:
                await watch.check()
            except Exception:  # one bad round must not end the watch
                log.exception("watching the %s failed; trying again", what)
        await _wait(stop, config.interval)


def _watches(config: ServiceConfig, client: HubClient, db: Database | None) -> list[tuple[str, Any]]:
    """What the service looks at every ``interval``: the project groups
    (a removed member's shared server), the course groups (their history)."""
    from .course_watch import CourseWatch
    from .watch import Watcher

    watches: list[tuple[str, Any]] = []
    # runtime projects and shares (issue 20): repaired and in step first,
    # so that a leaver's share is gone before the watch restarts the server
    keeper = None
    if config.runtime_projects or config.share_projects:
        from .projects import make_projects

        assert db is not None, "projects need the database"
        keeper = make_projects(config, client, db)
        watches.append(("projects' shares", keeper))
    if config.projects or (keeper and config.on_member_removed != "none"):
        assert db is not None, "the watch needs the database"
        more = keeper.shares.project_accounts if keeper else None
        watcher = Watcher(client, config.projects, config.on_member_removed, db, more_projects=more)
        watches.append(("project groups", watcher))
    if config.enrolment and config.enrolment.courses:
        assert db is not None, "the history needs the database"
        watches.append(("course groups", CourseWatch(client, config.enrolment.courses, db)))
    return watches


class EnrolmentService:
    """The enrolment API while it runs: its HTTP server, database and mailer."""

    def __init__(self, server: Any, db: Any, mailer: Any, students: Any = None):
        self.server = server
        self.db = db
        self.mailer = mailer
        self.students = students

    async def stop(self) -> None:
        """Stop listening and let started e-mails finish (the database is
        the service's, closed by whoever opened it)."""
        self.server.stop()
        if self.students is not None:
            await self.students.stop()
        if self.mailer is not None:
            await self.mailer.idle()


async def start_enrolment(
    config: EnrolmentConfig,
    client: HubClient,
    db: Database,
    hub_auth: Any = None,
    environ: Mapping[str, str] | None = None,
    projects: Any = None,
) -> EnrolmentService:
    """Listen for the API at ``config.listen``, and e-mail what the
    service could not before it last stopped.

    Parameters
    ----------
    config : EnrolmentConfig
        The ``enrolment`` part of ``service.json``
        (:func:`jupyterlab_hub_groups.hub.managed_service.enrolment_config`).
    client : HubClient
        With the service's token.
    db : Database
        The hub side's database (:func:`.db.open_database`), where the
        requests are.
    hub_auth : HubOAuth, optional
        From the service's environment by default.
    environ : mapping, optional
        The service's environment (``os.environ``): the SMTP password, and
        the certificate JupyterHub made for the service (internal SSL).
    projects : Projects, optional
        Runtime projects and shares (:func:`.projects.make_projects`):
        their routes are served too.

    Returns
    -------
    EnrolmentService
    """
    import os
    from urllib.parse import urlsplit

    from tornado.httpserver import HTTPServer

    from .api import MAX_BODY, make_app
    from .enrolment import Course, Enrolment
    from .mail import Mailer, resend_unnotified

    env = os.environ if environ is None else environ
    courses = {
        name: Course(name, c.enrolment, c.notify, c.title) for name, c in config.courses.items()
    }
    mailer = None
    if config.smtp:
        mailer = Mailer(config.smtp, config.public_url, db, environ=env)
        if not config.public_url:
            log.warning("no settings.public_url: e-mails about requests carry no link")
    for course in courses.values():
        if course.enrolment != "request":
            log.info("course %s is open: people join it at once", course.name)
        elif not course.notify:
            log.info("course %s takes requests; nobody is e-mailed (no notify)", course.name)
        elif mailer is None:
            log.info(
                "course %s takes requests; no settings.smtp: new requests are not e-mailed "
                "to %s (instructors see them in JupyterLab)",
                course.name,
                ", ".join(course.notify),
            )
        else:
            log.info(
                "course %s takes requests; new ones are e-mailed to %s through %s:%s",
                course.name,
                ", ".join(course.notify),
                config.smtp["host"],
                config.smtp["port"],
            )
    students = None
    template = config.smtp.get("student_address") if config.smtp else None
    if mailer is not None and template:
        from .student_mail import StudentMailer

        students = StudentMailer(template, mailer, db, courses)
        log.info("students are e-mailed decisions on their requests, at %s", template)
    enrolment = Enrolment(
        courses,
        db,
        client,
        config.rate_limit,
        mailer.notify if mailer else None,
        students.tell if students else None,
    )
    app = make_app(
        enrolment,
        hub_auth=hub_auth,
        account_regex=config.account_regex,
        collaborative_group=config.collaborative_group,
        projects=projects,
    )
    url = urlsplit(config.listen)
    ssl_options = None
    if url.scheme == "https":
        # the hub's internal SSL: the certificate JupyterHub made for the service
        from jupyterhub.utils import make_ssl_context

        ssl_options = make_ssl_context(
            env["JUPYTERHUB_SSL_KEYFILE"],
            env["JUPYTERHUB_SSL_CERTFILE"],
            cafile=env.get("JUPYTERHUB_SSL_CLIENT_CA"),
            purpose=__import__("ssl").Purpose.CLIENT_AUTH,
        )
    server = HTTPServer(app, max_body_size=MAX_BODY, ssl_options=ssl_options)
    server.listen(url.port or (443 if url.scheme == "https" else 80), url.hostname)
    log.info("requests to join courses: listening on %s", config.listen)
    if mailer is not None:
        resent = await resend_unnotified(db, mailer, courses)
        if resent:
            log.info("e-mailing %d request(s) made before the service stopped", resent)
    if students is not None:
        await students.start()
    return EnrolmentService(server, db, mailer, students)


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except asyncio.TimeoutError:
        pass
