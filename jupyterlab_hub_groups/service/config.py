"""``service.json``: the managed service's config, as the hub helper writes
it into ``state_dir`` and the service reads it at start.

Why a module of its own: the file is the one thing the hub helper tells
the service (``python -m jupyterlab_hub_groups.service STATE_DIR/service.json``).
If each side spelled its keys on its own, a key renamed on one side would
be read as missing on the other: a watch that never restarts a server, a
course that takes no requests. Both sides use :class:`ServiceConfig`; the
hub writes it with :meth:`ServiceConfig.to_json`, the service reads it with
:meth:`ServiceConfig.from_json`, which says what is wrong with a file
that is not one (instead of a ``KeyError`` at the first use).

Standard library only: the hub helper imports it at config load.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "CourseConfig",
    "EnrolmentConfig",
    "RuntimeProjectsConfig",
    "ServiceConfig",
    "ServiceConfigError",
]

#: The bounds of ``settings.runtime_projects.max_per_person``.
MAX_PER_PERSON_RANGE = (1, 100)
#: The placeholder of the account pattern (``contract.PROJECT_FIELD``; spelt
#: here so that this module stays importable on its own).
_PROJECT_FIELD = "{project}"

#: The keys of a course's SMTP server settings (``settings.smtp`` without
#: its password: the *name* of the variable that holds it).
SMTP_KEYS = (
    "host",
    "port",
    "from",
    "security",
    "username",
    "password_env",
    # the template of a student's address (``{user}@uni.example``); optional
    "student_address",
)


class ServiceConfigError(ValueError):
    """``service.json`` is not what the hub helper writes.

    Parameters
    ----------
    source : str
        The file (or ``<mapping>``).
    problem : str
        What is wrong, with the key it is at.
    """

    def __init__(self, source: str, problem: str):
        self.source = source
        self.problem = problem
        super().__init__(
            f"{source}: {problem} (the hub helper writes this file at hub start: "
            "restart the hub, or run the service with the file it wrote)"
        )


@dataclass(frozen=True)
class CourseConfig:
    """A course that takes requests or is open."""

    #: ``request`` or ``open``.
    enrolment: str
    #: Who is e-mailed about a new request.
    notify: tuple[str, ...] = ()
    #: What people read for the course; "" for its group's name.
    title: str = ""


@dataclass(frozen=True)
class EnrolmentConfig:
    """What the service needs to answer requests to join courses."""

    #: Course → how people join it (closed courses are not there).
    courses: Mapping[str, CourseConfig]
    #: Requests per user and hour; 0: no limit.
    rate_limit: int
    #: Where the API listens (``http(s)://host:port``).
    listen: str
    #: Who may not ask: names the collaboration account pattern can give...
    account_regex: str | None = None
    #: ... and the members of the collaborative group.
    collaborative_group: str | None = None
    #: The hub's public address, for links in e-mails.
    public_url: str | None = None
    #: :data:`SMTP_KEYS` (no password); None: no e-mail.
    smtp: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class RuntimeProjectsConfig:
    """What the service needs to let people make projects at runtime
    (``settings.runtime_projects`` of the YAML file)."""

    #: The group whose members may create projects; None: everyone.
    allowed: str | None
    #: Projects one person may have created (existing ones count).
    max_per_person: int
    #: The YAML's ``collaboration_account`` (``{project}-collab``).
    account_pattern: str
    #: The group every collaboration account is in.
    collaborative_group: str
    #: Names no project may take: every YAML project and course group.
    reserved: tuple[str, ...] = ()

    def __post_init__(self):
        # a list from the hub helper or the JSON file: the same config
        object.__setattr__(self, "reserved", tuple(self.reserved))


@dataclass(frozen=True)
class ServiceConfig:
    """``service.json``: the service's jobs and what each needs."""

    #: What happens to a project's shared server when a member leaves.
    on_member_removed: str = "restart"
    #: Seconds between two looks at the project groups.
    interval: float = 20
    #: Authoritative mode: group → its members, made exactly so at start.
    sync: Mapping[str, list[str]] | None = None
    #: The watched projects: group → collaboration account.
    projects: Mapping[str, str] = field(default_factory=dict)
    #: The hub side's database (any SQLAlchemy URL).
    db_url: str | None = None
    #: Requests to join courses; None when no course takes them.
    enrolment: EnrolmentConfig | None = None
    #: Projects made at runtime; None when nobody may make them.
    runtime_projects: RuntimeProjectsConfig | None = None
    #: YAML projects whose access is kept by shares (``project_access:
    #: shares``): group → collaboration account. Empty otherwise.
    share_projects: Mapping[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        """The file's text (keys sorted, one per line)."""
        return json.dumps(asdict(self), indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str, source: str = "service.json") -> ServiceConfig:
        """Read what :meth:`to_json` wrote.

        Raises
        ------
        ServiceConfigError
            When ``text`` is not JSON, or not the service's config.
        """
        try:
            data = json.loads(text)
        except ValueError as e:
            raise ServiceConfigError(source, f"not JSON ({e})") from None
        return cls.from_dict(data, source)

    @classmethod
    def from_dict(cls, data: Any, source: str = "<mapping>") -> ServiceConfig:
        """A config from its parsed JSON (or a mapping alike: tests).

        Raises
        ------
        ServiceConfigError
        """
        body = _object(data, source, "the config", set(_fields(cls)))
        enrolment = body.get("enrolment")
        runtime = body.get("runtime_projects")
        checked = {
            "on_member_removed": _typed(body, "on_member_removed", str, source),
            "interval": _typed(body, "interval", (int, float), source),
            "sync": _typed(body, "sync", dict, source),
            "projects": _typed(body, "projects", dict, source),
            "db_url": _typed(body, "db_url", str, source),
            "enrolment": None if enrolment is None else _enrolment(enrolment, source),
            "runtime_projects": None if runtime is None else _runtime_projects(runtime, source),
            "share_projects": _names(body, "share_projects", source),
        }
        # absent or null: the default
        return cls(**{k: v for k, v in checked.items() if v is not None})


def _fields(cls: type) -> list[str]:
    return list(cls.__dataclass_fields__)


def _object(value: Any, source: str, what: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise ServiceConfigError(source, f"{what} must be a JSON object")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise ServiceConfigError(source, f"{what} has unknown keys: {', '.join(unknown)}")
    return dict(value)


def _typed(
    body: Mapping[str, Any], key: str, kind: type | tuple[type, ...], source: str, at: str = ""
) -> Any:
    """``body[key]`` when it is a ``kind`` (or None, or absent); ``at``: where
    ``body`` is in the file (``enrolment.``)."""
    value = body.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, kind)):
        raise ServiceConfigError(
            source, f"{at}{key} has the wrong type ({type(value).__name__})"
        )
    return value


def _enrolment(value: Any, source: str) -> EnrolmentConfig:
    body = _object(value, source, "enrolment", set(_fields(EnrolmentConfig)))
    for key in ("courses", "rate_limit", "listen"):
        if key not in body:
            raise ServiceConfigError(source, f"enrolment needs {key}")
    courses = {}
    for name, course in (_typed(body, "courses", dict, source, "enrolment.") or {}).items():
        course = _object(
            course, source, f"enrolment.courses.{name}", {"enrolment", "notify", "title"}
        )
        if course.get("enrolment") not in ("request", "open"):
            raise ServiceConfigError(
                source, f"enrolment.courses.{name}.enrolment must be request or open"
            )
        title = course.get("title") or ""
        if not isinstance(title, str):
            raise ServiceConfigError(source, f"enrolment.courses.{name}.title must be a string")
        courses[name] = CourseConfig(
            course["enrolment"], tuple(course.get("notify") or ()), title
        )
    smtp = _typed(body, "smtp", dict, source, "enrolment.")
    if smtp is not None:
        _object(smtp, source, "enrolment.smtp", set(SMTP_KEYS))
        if "host" not in smtp or "from" not in smtp:
            raise ServiceConfigError(source, "enrolment.smtp needs host and from")
    return EnrolmentConfig(
        courses=courses,
        rate_limit=_typed(body, "rate_limit", int, source, "enrolment."),
        listen=_typed(body, "listen", str, source, "enrolment."),
        account_regex=_typed(body, "account_regex", str, source, "enrolment."),
        collaborative_group=_typed(body, "collaborative_group", str, source, "enrolment."),
        public_url=_typed(body, "public_url", str, source, "enrolment."),
        smtp=smtp,
    )


def _names(body: Mapping[str, Any], key: str, source: str) -> dict[str, str] | None:
    """``body[key]``: an object of non-empty strings to non-empty strings."""
    value = _typed(body, key, dict, source)
    for name, account in (value or {}).items():
        if not name or not isinstance(account, str) or not account:
            raise ServiceConfigError(
                source, f"{key}.{name} must be a non-empty account name, not {account!r}"
            )
    return value


def _runtime_projects(value: Any, source: str) -> RuntimeProjectsConfig:
    at = "runtime_projects."
    body = _object(value, source, "runtime_projects", set(_fields(RuntimeProjectsConfig)))
    for key in ("max_per_person", "account_pattern", "collaborative_group"):
        if body.get(key) is None:
            raise ServiceConfigError(source, f"runtime_projects needs {key}")
    allowed = _typed(body, "allowed", str, source, at)
    if allowed == "":
        raise ServiceConfigError(
            source, f"{at}allowed must be a group's name, or null for everyone"
        )
    low, high = MAX_PER_PERSON_RANGE
    most = _typed(body, "max_per_person", int, source, at)
    if not low <= most <= high:
        raise ServiceConfigError(
            source, f"{at}max_per_person must be from {low} to {high}, not {most}"
        )
    pattern = _typed(body, "account_pattern", str, source, at)
    if pattern.count(_PROJECT_FIELD) != 1 or pattern == _PROJECT_FIELD:
        raise ServiceConfigError(
            source,
            f"{at}account_pattern must hold {_PROJECT_FIELD} once and more "
            f"(e.g. {_PROJECT_FIELD}-collab), not {pattern!r}",
        )
    group = _typed(body, "collaborative_group", str, source, at)
    if not group:
        raise ServiceConfigError(source, f"{at}collaborative_group must be a group's name")
    reserved = _typed(body, "reserved", list, source, at) or []
    if not all(isinstance(name, str) and name for name in reserved):
        raise ServiceConfigError(source, f"{at}reserved must be a list of names")
    return RuntimeProjectsConfig(allowed, most, pattern, group, tuple(reserved))
