"""The YAML file of projects and courses: reading it, checking it whole, and
what it says (as frozen dataclasses).

Why a module of its own: every other part of the hub helper (roles, files,
hooks, the service's config, the ``check`` command) works from a checked
:class:`HubGroupsSpec` and never from raw YAML, so that a mistake is found
once, with its place in the file, before anything is written or applied.

Imports only the standard library (PyYAML when a file is read).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import contract
from .profiles import ProfileGrant, check_definitions, read_profiles

# Every pattern is used with ``fullmatch``: ``re.match`` with ``$`` accepts a
# trailing newline ("vox\n"), which would end up in a path or a command line.

#: Names of projects and courses: they become group names, user names
#: (``<project>-collab``), command-line values and, lowercased, parts of
#: role names.
NAME_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,120}")
#: What JupyterHub accepts as a role name.
ROLE_PATTERN = re.compile(r"[a-z][a-z0-9\-_~.]{1,253}[a-z0-9]")
#: Kernel and service names: folder names and URL parts.
ITEM_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,120}")
#: People: letters of any script, digits, '_', and '.', '@', '+', '-' inside
#: (names from OAuth logins look like e-mail addresses). No space, '/', '!',
#: '=', control or invisible character, nor a leading '-' (which a
#: command such as ``adduser`` would read as an option). 255: JupyterHub's
#: column size.
USER_PATTERN = re.compile(r"\w[\w.@+-]{0,254}")
#: Collaboration accounts: user names JupyterHub keeps as they are (it
#: lowercases names) and that are safe in a URL, a folder and a scope filter.
ACCOUNT_PATTERN = re.compile(r"[a-z0-9][a-z0-9_.-]{0,254}")
#: Environment variable names that look like they hold a secret. The
#: generated folder is readable by every server that mounts it, and a
#: kernel's environment is readable by everyone who runs the kernel.
SECRET_NAME = re.compile(
    r"secret|token|passw(or)?d|credential|api_?key|private_?key|access_?key", re.IGNORECASE
)
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
#: Hosts that mean "every interface": a place to listen, never an address
#: to reach (JupyterHub would advertise the hub's host name instead).
ANY_ADDRESS = ("0.0.0.0", "::")
#: At most this many addresses in a course's ``notify``.
MAX_NOTIFY = 20
#: E-mail addresses: one plain ``local@domain`` each. No spaces, commas,
#: angle brackets, quotes or line breaks: an address goes into a ``To:``
#: header, where those would add recipients or headers.
EMAIL_PATTERN = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)
#: Host names and IPv4 addresses, or an IPv6 address in brackets (the SMTP server).
HOST_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,252}|\[[0-9A-Fa-f:.]{2,45}\]")
#: Names of environment variables (``smtp.password_env``).
ENV_NAME_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")
#: Environment variables the SMTP password may not be given as: the
#: service's own (JupyterHub sets ``JUPYTERHUB_*``, and a variable given to
#: the service replaces them) and those that change what a process runs.
RESERVED_ENV = re.compile(r"JUPYTERHUB_.*|JPY_.*|PYTHON.*|LD_.*|DYLD_.*|PATH|HOME", re.IGNORECASE)
#: SQLAlchemy URLs: ``dialect[+driver]://...``, nothing invisible.
DB_URL_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:\+[A-Za-z0-9_]+)?://[\x21-\x7e]*")
#: The most requests a setting may allow per user and hour.
MAX_RATE_LIMIT = 10000


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

    def as_config(self) -> dict[str, Any]:
        """What the service reads from ``service.json``: no password."""
        return {
            "host": self.host,
            "port": self.port,
            "from": self.sender,
            "security": self.security,
            "username": self.username,
            "password_env": self.password_env,
        }


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


# --- Reading and checking ------------------------------------------------------


class _Checker:
    """Collects mistakes with their place instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def mapping(self, value: Any, where: str, allowed: set[str]) -> dict:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.fail(where, f"must be a mapping, not {_kind(value)}")
            return {}
        for key in value:
            if key not in allowed:
                self.fail(
                    where,
                    f"unknown key {key!r} (expected one of: {', '.join(sorted(allowed))})",
                )
        return dict(value)

    def names(self, value: Any, where: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(where, f"must be a list of user names, not {_kind(value)}")
            return ()
        names: list[str] = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.fail(f"{where}[{i}]", f"must be a user name (a string), not {item!r}")
            elif not USER_PATTERN.fullmatch(item):
                self.fail(
                    f"{where}[{i}]",
                    f"{item!r} is not a usable user name (letters, digits, '_'; '.', '@', "
                    "'+', '-' inside; no spaces, '/', '!' or '=')",
                )
            elif item.lower() in {n.lower() for n in names}:
                # JupyterHub lowercases names: 'VEX' is 'vex'
                self.fail(f"{where}[{i}]", f"{item!r} is listed twice")
            else:
                names.append(item)
        return tuple(names)

    def name(self, value: Any, where: str, pattern: re.Pattern = NAME_PATTERN) -> bool:
        if not isinstance(value, str) or not pattern.fullmatch(value):
            self.fail(
                where,
                f"{value!r} is not a usable name (letters, digits, '_', '.', '-'; "
                "starting with a letter)",
            )
            return False
        return True


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string"}.get(
        type(value), type(value).__name__
    )


def load_spec(
    source: str | os.PathLike | Mapping[str, Any],
    overrides: Mapping[str, Any] | None = None,
) -> HubGroupsSpec:
    """Read and check a YAML file (or an already parsed mapping).

    Parameters
    ----------
    source : path or mapping
        The YAML file, or its content as a mapping (for tests and for
        deployments that build it in Python).
    overrides : mapping, optional
        Keys of ``settings:`` given in Python (``jupyterhub_config.py``),
        over the file's: checked alike, reported as ``settings.<key>``.

    Returns
    -------
    HubGroupsSpec

    Raises
    ------
    HubGroupsConfigError
        With every mistake found, each with its place in the file.
    """
    if isinstance(source, Mapping):
        name, data, base = "<mapping>", source, Path.cwd()
    else:
        import yaml

        path = Path(source)
        name, base = str(path), path.resolve().parent
        try:
            data = yaml.load(path.read_text(encoding="utf8"), Loader=_loader())
        except OSError as e:
            raise HubGroupsConfigError(name, [f"cannot be read: {e.strerror}"]) from None
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            where = f"line {mark.line + 1}" if mark else "file"
            raise HubGroupsConfigError(name, [f"{where}: not valid YAML ({e})"]) from None

    check = _Checker()
    top = check.mapping(data, "top level", {"settings", "projects", "courses"})
    raw_settings = top.get("settings")
    if overrides:
        raw_settings = {
            **(raw_settings if isinstance(raw_settings, Mapping) else {}),
            **overrides,
        }
    settings = _read_settings(check, raw_settings, base)

    projects: list[Project] = []
    for pname, pbody in check.mapping(top.get("projects"), "projects", _AnyKey()).items():
        where = f"projects.{pname}"
        if not check.name(pname, where):
            continue
        body = check.mapping(pbody, where, {"members", "profiles"})
        # as the server extension names it (the pattern is checked by now)
        account = contract.account_name(settings.server_account_pattern, pname)
        if not ACCOUNT_PATTERN.fullmatch(account):
            check.fail(
                where,
                f"gives the collaboration account {account!r}, which JupyterHub would not "
                "keep as it is (user names are lowercase letters, digits, '_', '.', '-'): "
                "use a lowercase project name",
            )
        projects.append(
            Project(
                pname,
                check.names(body.get("members"), f"{where}.members"),
                account,
                read_profiles(check, body.get("profiles"), f"{where}.profiles"),
            )
        )

    courses: list[Course] = []
    for cname, cbody in check.mapping(top.get("courses"), "courses", _AnyKey()).items():
        where = f"courses.{cname}"
        if not check.name(cname, where):
            continue
        body = check.mapping(
            cbody,
            where,
            {
                "students",
                "instructors",
                "kernels",
                "services",
                "instructors_get_environment",
                "enrolment",
                "notify",
                "profiles",
            },
        )
        environment = body.get("instructors_get_environment", True)
        if not isinstance(environment, bool):
            check.fail(
                f"{where}.instructors_get_environment",
                f"must be true or false, not {environment!r}",
            )
            environment = True
        enrolment = body.get("enrolment", "closed")
        if enrolment not in ENROLMENT:
            check.fail(
                f"{where}.enrolment", f"must be one of {', '.join(ENROLMENT)}, not {enrolment!r}"
            )
            enrolment = "closed"
        courses.append(
            Course(
                cname,
                check.names(body.get("students"), f"{where}.students"),
                check.names(body.get("instructors"), f"{where}.instructors"),
                _read_kernels(check, body.get("kernels"), f"{where}.kernels"),
                _read_services(check, body.get("services"), f"{where}.services"),
                instructors_get_environment=environment,
                enrolment=enrolment,
                notify=_read_addresses(check, body.get("notify"), f"{where}.notify"),
                profiles=read_profiles(check, body.get("profiles"), f"{where}.profiles"),
            )
        )

    _check_clashes(check, settings, projects, courses)
    check_definitions(
        check,
        [(f"projects.{p.name}.profiles", p.profiles) for p in projects]
        + [(f"courses.{c.name}.profiles", c.profiles) for c in courses],
    )
    if check.problems:
        raise HubGroupsConfigError(name, check.problems)
    return HubGroupsSpec(name, settings, tuple(projects), tuple(courses))


def _loader():
    """A safe YAML loader that refuses a key given twice in one mapping
    (plain YAML keeps the last one silently: a project would vanish).

    Built on libyaml's ``CSafeLoader`` when PyYAML has it: with 1,000
    projects the pure-Python loader was 92 % of ``configure_hub``'s time
    (140 ms against 17 ms), and hub start is measured against the
    hand-written recipe (bench/README.md). Both read the same YAML.
    """
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class UniqueKeyLoader(base):
        def construct_mapping(self, node, deep=False):
            seen = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"{key!r} is defined twice",
                        key_node.start_mark,
                    )
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    return UniqueKeyLoader


class _AnyKey(set):
    """An ``allowed`` set for mappings whose keys are names, not keywords."""

    def __contains__(self, item: object) -> bool:
        return True


def _read_settings(check: _Checker, value: Any, base: Path) -> Settings:
    body = check.mapping(
        value,
        "settings",
        {
            "collaboration_account",
            "collaborative_group",
            "instructors_group",
            "authoritative",
            "generated_dir",
            "revalidate_seconds",
            "state_dir",
            "on_member_removed",
            "service_url",
            "service_bind_url",
            "course_environments",
            "enrolment_db_url",
            "enrolment_rate_limit",
            "public_url",
            "smtp",
        },
    )
    defaults = Settings()
    account = body.get("collaboration_account", defaults.collaboration_account)
    problem = _account_pattern_problem(account)
    if problem:
        check.fail("settings.collaboration_account", problem)
        account = defaults.collaboration_account
    collaborative = body.get("collaborative_group", defaults.collaborative_group)
    check.name(collaborative, "settings.collaborative_group")
    instructors = body.get("instructors_group", defaults.instructors_group)
    if instructors is not None:
        check.name(instructors, "settings.instructors_group")
    authoritative = body.get("authoritative", False)
    if not isinstance(authoritative, bool):
        check.fail("settings.authoritative", f"must be true or false, not {authoritative!r}")
        authoritative = False
    revalidate = body.get("revalidate_seconds", defaults.revalidate_seconds)
    if isinstance(revalidate, bool) or not isinstance(revalidate, (int, float)) or (
        revalidate != 0 and revalidate < 5
    ):
        check.fail(
            "settings.revalidate_seconds",
            f"must be 0 (off) or a number of seconds of at least 5, not {revalidate!r}",
        )
        revalidate = defaults.revalidate_seconds
    folders = {}
    for key in ("generated_dir", "state_dir"):
        folders[key] = body.get(key)
        if folders[key] is not None and (not isinstance(folders[key], str) or not folders[key]):
            check.fail(f"settings.{key}", f"must be a folder path, not {folders[key]!r}")
            folders[key] = None
    removed = body.get("on_member_removed", defaults.on_member_removed)
    if removed not in ON_MEMBER_REMOVED:
        check.fail(
            "settings.on_member_removed",
            f"must be one of {', '.join(ON_MEMBER_REMOVED)}, not {removed!r}",
        )
        removed = defaults.on_member_removed
    environments = body.get("course_environments", defaults.course_environments)
    if environments not in COURSE_ENVIRONMENTS:
        check.fail(
            "settings.course_environments",
            f"must be one of {', '.join(COURSE_ENVIRONMENTS)}, not {_shown(environments)}",
        )
        environments = defaults.course_environments
    return Settings(
        collaboration_account=account,
        collaborative_group=collaborative,
        instructors_group=instructors,
        authoritative=authoritative,
        generated_dir=base / (folders["generated_dir"] or ".hub-groups"),
        revalidate_seconds=revalidate,
        state_dir=base / (folders["state_dir"] or ".hub-groups-state"),
        on_member_removed=removed,
        course_environments=environments,
        **_read_enrolment_settings(check, body),
    )


def _read_enrolment_settings(check: _Checker, body: Mapping[str, Any]) -> dict[str, Any]:
    """The settings of requests to join courses: where the service listens,
    its database, the rate limit, the public address and e-mail."""
    defaults = Settings()
    found: dict[str, Any] = {}
    service_url = body.get("service_url", defaults.service_url)
    problem = _url_problem(service_url, path=False)
    if not problem and _host(service_url) in ANY_ADDRESS:
        problem = (
            f"{_shown(service_url)} is a place to listen, not an address the hub's proxy "
            "can reach: give that address here (http://hub:10101 in Zero to JupyterHub) "
            "and the place to listen as service_bind_url (http://0.0.0.0:10101)"
        )
    if problem:
        check.fail("settings.service_url", problem)
    else:
        found["service_url"] = service_url.rstrip("/")
    bind_url = body.get("service_bind_url")
    if bind_url is not None:
        problem = _url_problem(bind_url, path=False)
        if not problem and "service_url" in found:
            scheme = found["service_url"].partition(":")[0]
            if bind_url.partition(":")[0] != scheme:
                problem = f"must use the scheme of service_url ({scheme}), not {_shown(bind_url)}"
        if problem:
            check.fail("settings.service_bind_url", problem)
        else:
            found["service_bind_url"] = bind_url.rstrip("/")
    public_url = body.get("public_url")
    if public_url is not None:
        problem = _url_problem(public_url, path=True)
        if problem:
            check.fail("settings.public_url", problem)
        else:
            found["public_url"] = public_url if public_url.endswith("/") else public_url + "/"
    db_url = body.get("enrolment_db_url")
    if db_url is not None:
        if not isinstance(db_url, str) or not DB_URL_PATTERN.fullmatch(db_url):
            # not echoed: a database URL may hold a password
            check.fail(
                "settings.enrolment_db_url",
                "must be an SQLAlchemy database URL (dialect://..., no spaces or "
                "invisible characters)",
            )
        else:
            found["enrolment_db_url"] = db_url
    limit = body.get("enrolment_rate_limit", defaults.enrolment_rate_limit)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 0 <= limit <= MAX_RATE_LIMIT:
        check.fail(
            "settings.enrolment_rate_limit",
            f"must be a whole number of requests per user and hour from 0 (no limit) "
            f"to {MAX_RATE_LIMIT}, not {limit!r}",
        )
    else:
        found["enrolment_rate_limit"] = limit
    if body.get("smtp") is not None:
        found["smtp"] = _read_smtp(check, body["smtp"])
    return found


def _shown(value: Any) -> str:
    """A value in a message: its repr (line breaks and invisible characters
    escaped), shortened."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _host(url: str) -> str:
    """The host of a checked URL (an IPv6 address without its brackets)."""
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or ""


def _url_problem(value: Any, path: bool) -> str | None:
    """Why ``value`` is not a usable ``http(s)`` URL of the hub or the
    service, or None. No user or password in it, no query or fragment,
    nothing invisible; ``path``: whether it may have a path (the hub under
    a prefix) or must be ``scheme://host:port``."""
    from urllib.parse import urlsplit

    if not isinstance(value, str) or not value:
        return f"must be an http(s) URL, not {_shown(value)}"
    if any(ch.isspace() or not ch.isprintable() for ch in value):
        return "must be an http(s) URL without spaces, line breaks or invisible characters"
    try:
        url = urlsplit(value)
        url.port  # noqa: B018 (raises on a bad port)
    except ValueError:
        return "is not a URL (its port must be a number)"
    if url.username is not None or url.password is not None:
        return "may hold no user name or password"  # and is not echoed
    if url.scheme not in ("http", "https") or not url.hostname:
        return f"must be an http(s) URL with a host, not {_shown(value)}"
    if url.query or url.fragment or "?" in value or "#" in value:
        return f"may have no query or fragment, not {_shown(value)}"
    if not path and url.path not in ("", "/"):
        return f"must be scheme://host:port without a path, not {_shown(value)}"
    return None


def _read_addresses(check: _Checker, value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        check.fail(where, f"must be a list of e-mail addresses, not {_kind(value)}")
        return ()
    if len(value) > MAX_NOTIFY:
        check.fail(where, f"may list at most {MAX_NOTIFY} addresses")
        return ()
    addresses: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not EMAIL_PATTERN.fullmatch(item):
            check.fail(
                f"{where}[{i}]",
                f"must be one e-mail address (name@example.org), not {_shown(item)}",
            )
        elif item.lower() in {a.lower() for a in addresses}:
            check.fail(f"{where}[{i}]", f"{item!r} is listed twice")
        else:
            addresses.append(item)
    return tuple(addresses)


def _read_smtp(check: _Checker, value: Any) -> Smtp | None:
    where = "settings.smtp"
    gave_password = isinstance(value, Mapping) and "password" in value
    if gave_password:
        # before the unknown-key message: say what to do instead
        check.fail(
            f"{where}.password",
            "a password never goes in this file: put it in an environment variable of "
            "the hub and give that variable's name as password_env",
        )
        value = {k: v for k, v in value.items() if k != "password"}
    body = check.mapping(
        value, where, {"host", "port", "from", "security", "username", "password_env"}
    )
    if not body:
        if isinstance(value, Mapping):
            check.fail(where, "needs at least host and from")
        return None
    bad = len(check.problems)
    host = body.get("host")
    if not isinstance(host, str) or not HOST_PATTERN.fullmatch(host):
        check.fail(f"{where}.host", f"must be a host name or address, not {_shown(host)}")
    security = body.get("security", "starttls")
    if security not in SMTP_SECURITY:
        check.fail(
            f"{where}.security",
            f"must be one of {', '.join(SMTP_SECURITY)}, not {_shown(security)}",
        )
        security = "starttls"
    port = body.get("port", SMTP_SECURITY[security])
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        check.fail(f"{where}.port", f"must be a port number (1-65535), not {_shown(port)}")
    sender = body.get("from")
    if not isinstance(sender, str) or not EMAIL_PATTERN.fullmatch(sender):
        check.fail(
            f"{where}.from", f"must be one e-mail address (hub@example.org), not {_shown(sender)}"
        )
    username = body.get("username")
    if username is not None and (
        not isinstance(username, str)
        or not username
        or len(username) > 255
        or any(not ch.isprintable() or ch.isspace() for ch in username)
    ):
        check.fail(
            f"{where}.username",
            "must be a user name without spaces or invisible characters",
        )
    password_env = body.get("password_env")
    if password_env is not None:
        if not isinstance(password_env, str) or not ENV_NAME_PATTERN.fullmatch(password_env):
            check.fail(
                f"{where}.password_env",
                "must be the name of an environment variable (letters, digits, '_'), "
                f"not {_shown(password_env)}",
            )
        elif RESERVED_ENV.fullmatch(password_env):
            check.fail(
                f"{where}.password_env",
                f"{password_env!r} is a variable JupyterHub or Python uses: choose a name "
                "of your own (e.g. HUB_GROUPS_SMTP_PASSWORD)",
            )
    if (username is None) != (password_env is None) and not gave_password:
        check.fail(where, "username and password_env go together: give both or neither")
    if username is not None and security == "none":
        check.fail(
            f"{where}.security",
            "none would send the username and password in clear text: use starttls or "
            "ssl to log in",
        )
    if len(check.problems) > bad:
        return None
    return Smtp(host, port, sender, security, username, password_env)


def _account_pattern_problem(pattern: Any) -> str | None:
    """Why ``collaboration_account`` cannot be used, or None.

    Exactly one ``{project}`` and nothing else in braces (both sides fill it
    with :func:`.contract.account_name`, that is ``str.format``, which would
    also read ``{0}`` or ``{project.__class__}``), something besides it
    (``{project}`` alone would make every project's name an account, and the
    login hook would refuse everyone), and only what is safe in a user name.
    """
    field = contract.PROJECT_FIELD
    if not isinstance(pattern, str) or pattern.count(field) != 1:
        return f"must be a string containing '{field}' once, not {pattern!r}"
    rest = pattern.replace(field, "")
    if not rest:
        return "must have more than '{project}' (e.g. '{project}-collab')"
    if "{" in rest or "}" in rest:
        return f"may hold no braces besides '{{project}}', not {pattern!r}"
    if not ACCOUNT_PATTERN.fullmatch(pattern.replace(field, "x")):
        return (
            f"gives account names JupyterHub cannot use as they are: {pattern!r} "
            "(lowercase letters, digits, '_', '.', '-', starting with a letter or digit)"
        )
    return None


def _read_kernels(check: _Checker, value: Any, where: str) -> dict[str, dict]:
    kernels: dict[str, dict] = {}
    for kname, kbody in check.mapping(value, where, _AnyKey()).items():
        kwhere = f"{where}.{kname}"
        if not check.name(kname, kwhere, ITEM_PATTERN):
            continue
        body = check.mapping(
            kbody, kwhere, {"display_name", "argv", "language", "env", "metadata"}
        )
        argv = body.get("argv")
        if not isinstance(argv, list) or not argv or not all(isinstance(a, str) for a in argv):
            check.fail(f"{kwhere}.argv", "must be a non-empty list of strings")
            continue
        if not any("{connection_file}" in a for a in argv):
            check.fail(f"{kwhere}.argv", "must contain '{connection_file}'")
        display = body.get("display_name", kname)
        if not isinstance(display, str):
            check.fail(f"{kwhere}.display_name", "must be a string")
        env = body.get("env", {})
        if not isinstance(env, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in env.items()
        ):
            check.fail(f"{kwhere}.env", "must map names to strings")
        else:
            _refuse_secrets(check, env, f"{kwhere}.env")
        spec = {"argv": argv, "display_name": display, "language": body.get("language", "python")}
        if env:
            spec["env"] = dict(env)
        if body.get("metadata"):
            spec["metadata"] = body["metadata"]
        kernels[kname] = spec
    return kernels


def _read_services(check: _Checker, value: Any, where: str) -> dict[str, dict]:
    services: dict[str, dict] = {}
    for sname, sbody in check.mapping(value, where, _AnyKey()).items():
        swhere = f"{where}.{sname}"
        if not check.name(sname, swhere, ITEM_PATTERN):
            continue
        if not isinstance(sbody, Mapping):
            check.fail(swhere, f"must be a mapping, not {_kind(sbody)}")
            continue
        # Passed to jupyter-server-proxy as it is (c.ServerProxy.servers);
        # only what every entry needs is checked here.
        command = sbody.get("command")
        if not isinstance(command, list) or not all(isinstance(a, str) for a in command):
            check.fail(f"{swhere}.command", "must be a list of strings")
            continue
        environment = sbody.get("environment")
        if isinstance(environment, Mapping):
            _refuse_secrets(check, environment, f"{swhere}.environment")
        services[sname] = dict(sbody)
    return services


def _refuse_secrets(check: _Checker, env: Mapping[str, Any], where: str) -> None:
    """Refuse environment variables named like secrets.

    Refused rather than warned about: a warning scrolls by in the hub's log,
    while the exposure is certain. The value is written to the generated
    folder, which every single-user server mounts, and every member who runs
    the kernel or service can read its environment anyway. A secret belongs
    in the members' spawner environment or a secret store.
    """
    for name in env:
        if isinstance(name, str) and SECRET_NAME.search(name):
            check.fail(
                f"{where}.{name}",
                "looks like a secret: it would be readable in the generated folder "
                "(mounted in every server) and by every member; pass it another way",
            )


def _check_clashes(
    check: _Checker, settings: Settings, projects: list[Project], courses: list[Course]
) -> None:
    seen: dict[str, str] = {}

    def claim(group: str, where: str) -> None:
        folded = group.lower()
        if folded in seen:
            check.fail(where, f"the name {group!r} is already used by {seen[folded]}")
        else:
            seen[folded] = where

    claim(settings.collaborative_group, "settings.collaborative_group")
    if settings.instructors_group:
        claim(settings.instructors_group, "settings.instructors_group")
    for p in projects:
        claim(p.name, f"projects.{p.name}")
    for c in courses:
        claim(c.name, f"courses.{c.name}")

    accounts = {p.account.lower(): p for p in projects}
    humans: dict[str, str] = {}
    for p in projects:
        for i, m in enumerate(p.members):
            humans.setdefault(m, f"projects.{p.name}.members[{i}]")
    for c in courses:
        for role in ("students", "instructors"):
            for i, m in enumerate(getattr(c, role)):
                humans.setdefault(m, f"courses.{c.name}.{role}[{i}]")
    account_regex = settings.account_regex
    for user, where in humans.items():
        if user.lower() in accounts:
            check.fail(
                where,
                f"{user!r} is the collaboration account of project "
                f"{accounts[user.lower()].name!r}; a person cannot have that name",
            )
        elif account_regex.fullmatch(user):
            check.fail(
                where,
                f"{user!r} is named like a collaboration account "
                f"({settings.collaboration_account!r}): nobody with such a name can log in",
            )
    for p in projects:
        role = f"collab-access-{p.name.lower()}"
        if not ROLE_PATTERN.fullmatch(role):
            check.fail(f"projects.{p.name}", f"gives the invalid role name {role!r}")
    for c in courses:
        role = f"instructor-{c.name.lower()}"
        if not ROLE_PATTERN.fullmatch(role):
            check.fail(f"courses.{c.name}", f"gives the invalid role name {role!r}")
