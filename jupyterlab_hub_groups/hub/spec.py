"""What a checked YAML file of projects and courses says, as frozen
dataclasses, and the error that lists a file's mistakes.

Why a module of its own: every other part of the hub helper (roles, files,
hooks, the service's config, the ``check`` command) works from a checked
:class:`HubGroupsSpec` and never from raw YAML, so that a mistake is found
once, with its place in the file, before anything is written or applied.
The file is read and checked by :func:`.reader.load_spec`.

Imports only the standard library.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import contract
from .profiles import ProfileGrant

#: What happens to a project's shared server when a member leaves.
ON_MEMBER_REMOVED = ("restart", "stop", "none")
#: How people join a course: ``closed`` (only instructors and admins add
#: them), ``request`` (they ask, an instructor approves), ``open`` (they
#: join at once).
ENROLMENT = ("closed", "request", "open")
#: How the service talks to the SMTP server, and the port each uses by default.
SMTP_SECURITY = {"none": 25, "starttls": 587, "ssl": 465}
#: Where the hub's proxy reaches the managed service by default
#: (``settings.service_url``); it also listens there unless
#: ``settings.service_bind_url`` says otherwise.
DEFAULT_SERVICE_URL = "http://127.0.0.1:10101"
#: How course environments reach single-user servers: ``folders`` (the hub
#: writes ``generated_dir``, which servers see at the same path: one
#: machine, or a volume mounted in the hub and every server) or
#: ``configmaps`` (Kubernetes: one ConfigMap per course, rendered by
#: ``python -m jupyterlab_hub_groups.hub configmaps`` and mounted by the
#: hub helper only in the pods of the course's members and instructors).
COURSE_ENVIRONMENTS = ("folders", "configmaps")
#: How a project's members reach its shared server: ``roles`` (a role per
#: project, read by JupyterHub at start) or ``shares`` (one JupyterHub share
#: per member, kept in step with the group by the service: no role, no restart).
PROJECT_ACCESS = ("roles", "shares")
#: The bounds of ``settings.runtime_projects.max_per_person``.
MAX_PER_PERSON = (1, 100)


class HubGroupsConfigError(ValueError):
    """The YAML file has mistakes; nothing was applied.

    Parameters
    ----------
    source : str
        The file (or "<mapping>") the mistakes are in.
    problems : list of str
        One line per mistake, each starting with its place in the file.
    """

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: {len(problems)} mistake(s), nothing applied:\n{lines}")


@dataclass(frozen=True)
class Smtp:
    """The ``settings.smtp`` section: how the service sends e-mail."""

    host: str
    port: int
    #: The ``From:`` address.
    sender: str
    security: str = "starttls"
    username: str | None = None
    #: The *name* of an environment variable of the hub process holding the
    #: password (never the password itself: the file is no secret store).
    password_env: str | None = None
    #: A student's address made from their user name (``{user}@uni.example``),
    #: for the e-mail of a decision on their request; None: students get none.
    student_address: str | None = None

    def as_config(self) -> dict[str, Any]:
        """What the service reads from ``service.json``: no password
        (``student_address`` only when set)."""
        config = {
            "host": self.host,
            "port": self.port,
            "from": self.sender,
            "security": self.security,
            "username": self.username,
            "password_env": self.password_env,
        }
        if self.student_address is not None:
            config["student_address"] = self.student_address
        return config


@dataclass(frozen=True)
class RuntimeProjects:
    """The ``settings.runtime_projects`` section: who may make projects in
    JupyterLab (the service creates their group, account and shares)."""

    #: The group whose members may create projects; None: everyone.
    allowed: str | None = None
    #: Projects one person may have created (existing ones count).
    max_per_person: int = 3


@dataclass(frozen=True)
class Settings:
    """The file's ``settings:`` section."""

    collaboration_account: str = contract.DEFAULT_PROJECT_ACCOUNT_PATTERN
    collaborative_group: str = "collaborative"
    instructors_group: str | None = "instructors"
    authoritative: bool = False
    generated_dir: Path | None = None
    revalidate_seconds: float = 20
    state_dir: Path | None = None
    on_member_removed: str = "restart"
    #: Where the hub's proxy (and the hub) reach the managed service's HTTP
    #: API, when a course takes requests or is open: ``http(s)://host:port``,
    #: no path. In Zero to JupyterHub the proxy is a pod of its own:
    #: ``http://hub:10101``, the hub pod's Service.
    service_url: str = DEFAULT_SERVICE_URL
    #: Where the service listens, when that is not ``service_url``'s host
    #: (``http://0.0.0.0:10101`` in a pod: ``hub`` is the Service's cluster
    #: address, which no process in the pod can bind). None: ``service_url``.
    service_bind_url: str | None = None
    #: One of :data:`COURSE_ENVIRONMENTS`.
    course_environments: str = "folders"
    #: The hub side's database (any SQLAlchemy URL): who was added from the
    #: file, what the service saw, requests to join. None: SQLite in state_dir.
    enrolment_db_url: str | None = None
    #: Requests (new or renewed) per user per hour; 0: no limit.
    enrolment_rate_limit: int = 5
    #: The hub's public address (ending with '/'), for links in e-mails;
    #: None: e-mails carry no link.
    public_url: str | None = None
    #: How e-mails are sent; None: no e-mail.
    smtp: Smtp | None = None
    #: Projects made at runtime; None: nobody makes them.
    runtime_projects: RuntimeProjects | None = None
    #: One of :data:`PROJECT_ACCESS`: how the file's projects are reached.
    project_access: str = "roles"

    @property
    def db_url(self) -> str:
        """The hub side's database: ``enrolment_db_url``, or an SQLite file
        in ``state_dir`` (hub-only: the folder is 0700, the file 0600)."""
        if self.enrolment_db_url:
            return self.enrolment_db_url
        assert self.state_dir is not None
        return f"sqlite:///{self.state_dir / 'enrolment.sqlite'}"

    @property
    def service_listen(self) -> str:
        """Where the service listens: ``service_bind_url``, else ``service_url``."""
        return self.service_bind_url or self.service_url

    @property
    def account_regex(self) -> re.Pattern:
        """Any name the account pattern can give (``<anything>-collab``),
        for :func:`make_post_auth_hook`: not only today's projects', or a
        person could claim the account of a project created later."""
        prefix, suffix = self.collaboration_account.split(contract.PROJECT_FIELD)
        return re.compile(
            re.escape(prefix) + ".+" + re.escape(suffix), re.IGNORECASE | re.DOTALL
        )

    @property
    def server_account_pattern(self) -> str:
        """The account pattern as the server extension takes it
        (``HubGroupsConfig.collaboration_account``: ``{group}``, not ``{project}``)."""
        return contract.server_account_pattern(self.collaboration_account)


@dataclass(frozen=True)
class Project:
    """A collaboration: a group of members sharing one account's server."""

    name: str
    members: tuple[str, ...]
    account: str
    #: KubeSpawner profiles only its members (and its account) may pick.
    profiles: tuple[ProfileGrant, ...] = ()


@dataclass(frozen=True)
class Course:
    """A course: students, instructors, and what only its members get."""

    name: str
    students: tuple[str, ...]
    instructors: tuple[str, ...]
    kernels: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    services: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    #: Kernel name → its logo, an SVG document (``logo-svg.svg``).
    kernel_logos: Mapping[str, str] = field(default_factory=dict)
    #: Whether whoever may manage the course group (``groups!group=<course>``,
    #: from the file's instructors or any role) also gets its kernels and
    #: services in their own server.
    instructors_get_environment: bool = True
    #: How people join: one of :data:`ENROLMENT`.
    enrolment: str = "closed"
    #: Who is e-mailed about a new request (when ``settings.smtp`` is set).
    notify: tuple[str, ...] = ()
    #: KubeSpawner profiles only its people may pick (see :mod:`.profiles`).
    profiles: tuple[ProfileGrant, ...] = ()
    #: What people read for the course (cards, panels, notifications,
    #: e-mails); "" for its group's name.
    title: str = ""

    @property
    def shown_as(self) -> str:
        """The course as people read it: its title, else its group's name."""
        return self.title or self.name


@dataclass(frozen=True)
class HubGroupsSpec:
    """A checked YAML file."""

    source: str
    settings: Settings
    projects: tuple[Project, ...]
    courses: tuple[Course, ...]

    @property
    def collaboration_accounts(self) -> list[str]:
        return [p.account for p in self.projects]

    @property
    def share_projects(self) -> dict[str, str]:
        """The file's projects kept by shares (``project_access: shares``):
        group → account; empty with roles."""
        if self.settings.project_access != "shares":
            return {}
        return {p.name: p.account for p in self.projects}

    @property
    def keeps_projects(self) -> bool:
        """Whether the service keeps projects' access with shares (runtime
        projects, or ``project_access: shares``): it then has its HTTP API
        (``GET projects``, share my server)."""
        return (
            self.settings.runtime_projects is not None
            or self.settings.project_access == "shares"
        )

    @property
    def service_has_api(self) -> bool:
        """Whether the service answers people (courses to join, projects):
        it then has a URL, and every page token may call it."""
        return bool(self.enrolment_courses) or self.keeps_projects

    @property
    def enrolment_courses(self) -> list[Course]:
        """The courses people may ask to join (``request``) or join (``open``)."""
        return [c for c in self.courses if c.enrolment != "closed"]

    def group_members(self) -> dict[str, list[str]]:
        """Every group the file defines, with its members in the file."""
        groups: dict[str, list[str]] = {
            self.settings.collaborative_group: self.collaboration_accounts
        }
        for project in self.projects:
            groups[project.name] = list(project.members)
        instructors: list[str] = []
        for course in self.courses:
            groups[course.name] = list(course.students)
            instructors += [i for i in course.instructors if i not in instructors]
        if self.settings.instructors_group and instructors:
            groups[self.settings.instructors_group] = instructors
        return groups
