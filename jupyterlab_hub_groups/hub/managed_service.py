"""The managed service ``hub-groups`` as the hub helper sets it up: its
``c.JupyterHub.services`` entry, its role, its config (``service.json``,
:class:`~..service.config.ServiceConfig`) and what it gets of the hub's
environment.

Why a module of its own: the service's token is the strongest thing the
hub helper makes (it adds people to groups, restarts servers), so its
scopes are worked out here from the file alone, narrowest first; and the
hub's environment is read here, in one place (:func:`make_service`'s
``environ``), for the passwords the service needs: never written to a file
or a config value.

Imports only the standard library (and the service's config file's
definition, standard library too).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ..contract import SERVICE_NAME
from ..service.config import (
    CourseConfig,
    EnrolmentConfig,
    RuntimeProjectsConfig,
    ServiceConfig,
)
from .spec import HubGroupsSpec, Settings


def make_service(
    spec: HubGroupsSpec, environ: Mapping[str, str] | None = None
) -> tuple[dict[str, Any], dict[str, Any], ServiceConfig] | None:
    """The managed service ``hub-groups``, its role and its config, or None
    when it has nothing to do.

    One process for its jobs: in authoritative mode, make each group's
    members exactly the file's at start (``load_groups`` only adds); unless
    ``on_member_removed`` is ``none``, watch the project groups and restart
    (or stop) a project's shared server when a member leaves; when a course
    takes requests or is open, answer requests to join it (an HTTP API at
    ``settings.service_url``, behind the hub's proxy at
    ``/services/hub-groups/``) and add the people approved; with runtime
    projects or ``project_access: shares``, keep projects with shares (the
    same API). Its token may
    do that and nothing else. The watch and the requests use the hub
    side's database (``db_url`` in the config); a PostgreSQL password the
    hub has in ``$PGPASSWORD`` (Zero to JupyterHub's ``hub.db.password``)
    and the URL does not hold is passed on to the service's environment.
    Nothing is written here.

    Parameters
    ----------
    spec : HubGroupsSpec
    environ : mapping, optional
        The hub's environment (``os.environ``): the one place the hub
        helper reads it. Its passwords are read from it again when the
        service starts (:class:`FromHubEnvironment`), not now.

    Returns
    -------
    tuple or None
        ``(entry, role, config)``: the ``c.JupyterHub.services`` entry, its
        ``load_roles`` role, and what goes into ``state_dir/service.json``.
    """
    env = os.environ if environ is None else environ
    settings = spec.settings
    watch = settings.on_member_removed != "none" and bool(spec.projects)
    # an HTTP API for people: courses to join, projects kept by shares
    api = spec.service_has_api
    if not (settings.authoritative or watch or api):
        return None
    assert settings.state_dir is not None
    scopes = service_scopes(spec)
    config_file = settings.state_dir / "service.json"
    config = ServiceConfig(
        sync=spec.group_members() if settings.authoritative else None,
        projects={p.name: p.account for p in spec.projects} if watch else {},
        on_member_removed=settings.on_member_removed,
        # removed members lose the shared server within this time, as they
        # lose open sessions through the server extension's re-checks
        interval=settings.revalidate_seconds or Settings.revalidate_seconds,
        # what the service saw last (the watch) and the requests to join
        db_url=settings.db_url,
        # the API's settings (where it listens, who may not call); no course
        # in it when only projects need the API
        enrolment=enrolment_config(spec) if api else None,
        runtime_projects=runtime_projects_config(spec),
        share_projects=spec.share_projects,
    )
    service: dict[str, Any] = {
        "name": SERVICE_NAME,
        "command": [sys.executable, "-m", "jupyterlab_hub_groups.service", str(config_file)],
    }
    # read from the hub's environment when the service starts: a password
    # is in no config object, no file and no command line
    environment: dict[str, FromHubEnvironment] = {}
    if api:
        # behind the hub's proxy at /services/hub-groups/, with an OAuth client
        service["url"] = settings.service_url
        # not in the hub's Services menu: JupyterLab calls it with the page's
        # token; its home page is JSON for whoever debugs it, no page for people
        service["display"] = False
        # part of the hub: a browser visit logs in without JupyterHub's
        # "Authorize access" page (the service learns the visitor's name and
        # groups, which it asks the hub for with every call anyway)
        service["oauth_no_confirm"] = True
        smtp = settings.smtp
        if smtp is not None and smtp.password_env:
            environment[smtp.password_env] = FromHubEnvironment(smtp.password_env, env)
    if (watch or api) and "PGPASSWORD" in env:
        # JupyterHub gives managed services none of the hub's environment;
        # libpq reads the password of a URL without one from $PGPASSWORD
        url = urlsplit(settings.db_url)
        if (
            url.scheme.split("+")[0] in ("postgresql", "postgres")
            and not url.password
            and "password" not in parse_qs(url.query)
        ):
            environment["PGPASSWORD"] = FromHubEnvironment("PGPASSWORD", env)
    if environment:
        service["environment"] = environment
    role = {
        "name": SERVICE_NAME,
        "description": "Keep the YAML file's groups; restart shared servers when members "
        "leave; add the people approved to the courses they asked to join; keep projects' "
        "shares",
        "scopes": scopes,
        "services": [SERVICE_NAME],
    }
    return service, role, config


def service_scopes(spec: HubGroupsSpec) -> list[str]:
    """The scopes of the service's role, narrowest first (see the README's
    table and SECURITY.md).

    - ``authoritative``: ``groups!group=<g>`` for each group of the file.
    - The watch (``on_member_removed``): per project, read its group and
      ``servers!user=<account>`` (``read:servers`` + ``delete:servers``
      for ``stop``).
    - Courses taking requests: ``groups!group=<course>``.
    - ``project_access: shares``: per project, read its group, start and
      stop its account's server and keep its shares (``shares!user=<account>``),
      and ``read:users:name`` (a share for a member is made by name).
    - Runtime projects: ``admin:users`` and ``admin:groups`` (create the
      account and the group of a project named at runtime: no filter can
      name what does not exist yet), ``list:users`` (name completion), and
      on the accounts, which are all in the collaborative group once made,
      ``servers!group=<collaborative>`` and ``shares!group=<collaborative>``
      (JupyterHub 6.1.1 reads a ``!group=`` filter on a user or server
      through the database at each request). Not unfiltered ``shares``: it
      holds ``access:servers`` on every server.
    - Whenever projects are kept by shares: ``users:shares`` (read and
      revoke what a person was given, no access to any server), to take a
      leaver's share of a member's own shared server away.
    """
    settings = spec.settings
    scopes: list[str] = []

    def add(*more: str) -> None:
        scopes.extend(s for s in more if s not in scopes)

    if settings.authoritative:
        # read, list, add and remove members: the file's groups only
        add(*(f"groups!group={g}" for g in spec.group_members()))
    shares = spec.share_projects
    if settings.on_member_removed != "none" or shares:
        for p in spec.projects:
            if not settings.authoritative:
                add(f"list:groups!group={p.name}", f"read:groups!group={p.name}")
            if settings.on_member_removed == "restart" or p.name in shares:
                # read, start and stop that one server (``servers`` is exactly these)
                add(f"servers!user={p.account}")
            else:
                add(f"read:servers!user={p.account}", f"delete:servers!user={p.account}")
            if p.name in shares:
                add(f"shares!user={p.account}")
    if shares:
        add("read:users:name")
    for course in spec.enrolment_courses:
        # add the people an instructor approves (or who join an open course)
        add(f"groups!group={course.name}")
    if settings.runtime_projects is not None:
        collaborative = settings.collaborative_group
        add(
            "admin:users",
            "admin:groups",
            "list:users",
            f"servers!group={collaborative}",
            f"shares!group={collaborative}",
        )
    if spec.keeps_projects:
        add("users:shares")
    return scopes


def runtime_projects_config(spec: HubGroupsSpec) -> RuntimeProjectsConfig | None:
    """What the service needs to let people make projects, or None when
    nobody may: who may, how many each, how accounts are named, and the
    names no project may take (the file's projects and groups)."""
    runtime = spec.settings.runtime_projects
    if runtime is None:
        return None
    settings = spec.settings
    reserved = [*spec.group_members(), *(c.name for c in spec.courses)]
    if runtime.allowed:
        reserved.append(runtime.allowed)
    return RuntimeProjectsConfig(
        allowed=runtime.allowed,
        max_per_person=runtime.max_per_person,
        account_pattern=settings.collaboration_account,
        collaborative_group=settings.collaborative_group,
        reserved=sorted(set(reserved)),
    )


def enrolment_config(spec: HubGroupsSpec) -> EnrolmentConfig:
    """What the service needs to answer requests to join courses (the
    ``enrolment`` part of ``service.json``, 0600 in ``state_dir``).

    Parameters
    ----------
    spec : HubGroupsSpec

    Returns
    -------
    EnrolmentConfig
        ``courses`` (course → ``enrolment``, ``notify`` and ``title``; closed courses
        are not there), ``rate_limit``, ``public_url``, ``smtp``
        (no password: its variable's name), and who may not ask
        (collaboration accounts: ``account_regex``, ``collaborative_group``).
    """
    settings = spec.settings
    return EnrolmentConfig(
        courses={
            c.name: CourseConfig(c.enrolment, c.notify, c.title) for c in spec.enrolment_courses
        },
        rate_limit=settings.enrolment_rate_limit,
        public_url=settings.public_url,
        smtp=settings.smtp.as_config() if settings.smtp else None,
        # where it listens: on Kubernetes every interface of the hub pod,
        # while the proxy reaches it as service_url (http://hub:10101)
        listen=settings.service_listen,
        account_regex=settings.account_regex.pattern,
        collaborative_group=settings.collaborative_group,
    )


class FromHubEnvironment:
    """A service environment value read from the hub's own environment when
    JupyterHub starts the service (JupyterHub calls callables in
    ``environment`` with the service's spawner).

    Why not the value itself: ``c.JupyterHub.services`` is a config object
    that JupyterHub logs parts of and that ``check`` prints; the SMTP
    password should be in the hub's environment only. An unset variable
    gives an empty value, which the service reports at start.

    Parameters
    ----------
    name : str
        The variable.
    environ : mapping
        The hub's environment, as :func:`make_service` was given it
        (``os.environ`` itself: read when called, not copied).
    """

    def __init__(self, name: str, environ: Mapping[str, str]):
        self.name = name
        self.environ = environ

    def __call__(self, spawner: Any = None) -> str:
        return self.environ.get(self.name, "")

    def __repr__(self) -> str:
        return f"<the hub's ${self.name}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FromHubEnvironment) and other.name == self.name

    __hash__ = None  # type: ignore[assignment]
