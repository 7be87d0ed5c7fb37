"""What the hub side and the single-user server side must spell alike.

Why this exists: the hub helper tells each single-user server how to behave
through command-line arguments (``--HubGroupsConfig.<trait>=<value>``) that
the server extension's traitlets read, turns real-time collaboration off
with arguments and a config folder that jupyter-collaboration reads, and
names collaboration accounts from one pattern that both sides fill (the YAML
file says ``{project}``, the server's setting says ``{group}``). If either
side spelled these on its own, a rename on one side would silently stop the
other from hearing it: a shared server that never re-checks its visitors,
or a card for an account that does not exist. Both sides import them from
here, and a test parses what the hub writes with the server's own config
class. Both also decide who manages a group from the same scopes
(:data:`MANAGE_SCOPES`): the hub when it gives an owner's server what its
page token may hold, the server when it answers its ``manage`` endpoints; if
they read them differently, an instructor would see a panel the token
cannot use, or none at all. And the hub tells each server, in
:data:`SPAWN_PROBLEMS_ENV`, what went wrong with its start (a hook of ours
replaced later in the config, a profile undoing what it set): the hub
writes it with :func:`spawn_problems_value`, the server reads it with
:func:`read_spawn_problems`, so neither can misread the other.

Standard library only: the hub imports it without Jupyter Server, the
server without PyYAML.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = [
    "COLLABORATION_ACCOUNT", "CONFIG_CLASS", "COURSE_TITLES_ENV", "DEFAULT_ACCOUNT_PATTERN",
    "DEFAULT_PROJECT_ACCOUNT_PATTERN", "GROUP_FIELD", "MANAGE_SCOPES", "MAX_SPAWN_PROBLEMS",
    "MAX_SPAWN_PROBLEM_LENGTH", "MIN_REVALIDATE_SECONDS", "OPEN_COURSES_ENV", "OPEN_ENROLMENTS",
    "OpenCourse", "PRESENCE_GROUPS", "PROJECTS_ENV", "PROJECT_ACCESS", "PROJECT_FIELD", "REVALIDATE_SECONDS",
    "REVALIDATE_SECONDS_RULE", "RTC_OFF_ARGS", "RTC_OFF_PAGE_CONFIG", "RTC_OFF_SERVER_CONFIG",
    "SERVICE_ACCESS_SCOPE", "SERVICE_NAME", "SERVICE_PROJECTS", "SPAWN_PROBLEMS_ENV", "SPAWN_TRAITS",
    "UNREADABLE_SPAWN_PROBLEMS", "account_name", "course_titles_value", "is_spawn_arg",
    "manage_scope", "managed_groups", "open_courses_value", "read_course_titles",
    "projects_value", "read_open_courses", "read_projects", "read_spawn_problems", "server_account_pattern", "spawn_arg",
    "spawn_problems_value"
]

# --- The server extension's settings that the hub sets per server ----------------

#: The server extension's configurable (``c.HubGroupsConfig``).
CONFIG_CLASS = "HubGroupsConfig"
#: Who besides the owner sees "People here": on a collaboration account's
#: server, the project's group.
PRESENCE_GROUPS = "presence_groups"
#: Seconds between re-checks of visitors' access (0 = off): on for
#: collaboration accounts' servers.
REVALIDATE_SECONDS = "revalidate_seconds"
#: The fewest seconds between re-checks when they are on: the file's
#: ``settings.revalidate_seconds`` and the server's trait are both refused
#: below it, in the words of :data:`REVALIDATE_SECONDS_RULE`.
MIN_REVALIDATE_SECONDS = 5
#: What a good ``revalidate_seconds`` is, as both sides' errors say it.
REVALIDATE_SECONDS_RULE = f"must be 0 (off) or at least {MIN_REVALIDATE_SECONDS}"
#: The account pattern, when the file's is not the default.
COLLABORATION_ACCOUNT = "collaboration_account"
#: Every trait the hub's ``pre_spawn_hook`` sets (and so may take back at
#: the next spawn, when the user's groups changed).
#: Whether the owner may be in a project the service keeps (their groups at
#: the start): the page asks the service for projects at start only then.
SERVICE_PROJECTS = "service_projects"
SPAWN_TRAITS = (PRESENCE_GROUPS, REVALIDATE_SECONDS, COLLABORATION_ACCOUNT, SERVICE_PROJECTS)


def spawn_arg(trait: str, value: str | float) -> str:
    """The command-line argument that sets one of :data:`SPAWN_TRAITS`.

    Parameters
    ----------
    trait : str
        One of :data:`SPAWN_TRAITS`.
    value : str or number
        A number is written as traitlets reads it back (``20``, ``7.5``); a
        string as it is (a list trait such as ``presence_groups`` reads one
        string as a list of one).

    Returns
    -------
    str
        ``--HubGroupsConfig.<trait>=<value>``.
    """
    if trait not in SPAWN_TRAITS:
        raise ValueError(f"{trait!r} is not a setting the hub passes to servers")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = f"{value:g}"
    return f"--{CONFIG_CLASS}.{trait}={value}"


def is_spawn_arg(arg: str) -> bool:
    """Whether ``arg`` is one that :func:`spawn_arg` makes (any value); other
    ``--HubGroupsConfig.*`` arguments are a deployment's own, not ours to take back."""
    name, equals, _ = arg.partition("=")
    return bool(equals) and name in {f"--{CONFIG_CLASS}.{t}" for t in SPAWN_TRAITS}


# --- Collaboration accounts --------------------------------------------------------

#: The placeholder of the account pattern in the YAML file
#: (``settings.collaboration_account``), filled with a project's name.
PROJECT_FIELD = "{project}"
#: The placeholder of the account pattern on the server
#: (``HubGroupsConfig.collaboration_account``), filled with a group's name.
GROUP_FIELD = "{group}"
#: The YAML file's default pattern.
DEFAULT_PROJECT_ACCOUNT_PATTERN = PROJECT_FIELD + "-collab"
#: The server's default pattern: the same accounts.
DEFAULT_ACCOUNT_PATTERN = GROUP_FIELD + "-collab"


def server_account_pattern(pattern: str) -> str:
    """The server's form of a checked YAML account pattern: ``{project}-collab``
    becomes ``{group}-collab`` (a project is a hub group of the same name)."""
    return pattern.replace(PROJECT_FIELD, GROUP_FIELD)


def account_name(pattern: str, group: str) -> str:
    """The collaboration account (user name, unchecked) of one project group,
    from a server-form pattern (:func:`server_account_pattern`)."""
    return pattern.format(group=group)


# --- Real-time collaboration off ---------------------------------------------------

#: jupyter-collaboration's server extensions, not loaded where collaboration
#: is off (so /api/collaboration/* does not exist there).
#: ``--YDocExtension.disable_rtc=True`` would keep those endpoints and most
#: of the UI.
_RTC_SERVER_EXTENSIONS = ("jupyter_server_ydoc", "jupyter_server_fileid")

#: Real-time collaboration off, server side, as command-line arguments of a
#: server the hook spawns.
RTC_OFF_ARGS = tuple(
    f"--ServerApp.jpserver_extensions={name}=False" for name in _RTC_SERVER_EXTENSIONS
)
#: The same as a ``jupyter_server_config.json``, for servers started without
#: the hook's arguments.
RTC_OFF_SERVER_CONFIG = {
    "ServerApp": {"jpserver_extensions": {name: False for name in _RTC_SERVER_EXTENSIONS}}
}
#: Real-time collaboration off, UI side: its two labextensions disabled by
#: package name (only then does JupyterLab restore the file browser and cell
#: executor they replace). There is no command-line switch for this: it is a
#: labconfig ``page_config.json`` in a folder put first on
#: ``JUPYTER_CONFIG_PATH``.
RTC_OFF_PAGE_CONFIG = {
    "disabledExtensions": {
        "@jupyter/collaboration-extension": True,
        "@jupyter/docprovider-extension": True,
    }
}

# --- The hub-side managed service ----------------------------------------------------

#: The managed service's name in ``c.JupyterHub.services``, and of its role.
SERVICE_NAME = "hub-groups"
#: What a token must hold to call the service's HTTP API (requests to join
#: courses): the hub adds it to the ``user`` role and to the page token of
#: one's own server; the service's HubAuth requires it.
SERVICE_ACCESS_SCOPE = f"access:services!service={SERVICE_NAME}"

# --- Who manages a group ---------------------------------------------------------------

#: The scopes that let their holder change one group's members, filtered by
#: ``!group=<name>``. The hub helper reads them in the roles of a server's
#: owner (to give the server's page token what the course panel needs, and
#: the course's environment); the server extension reads them in the
#: requester's token (to decide who may use its ``manage`` endpoints).
#: Unfiltered ``groups`` / ``admin:groups`` (admins) name no group and are
#: not read as "every group".
MANAGE_SCOPES = ("groups", "admin:groups")


def manage_scope(group: str) -> str:
    """The scope that lets its holder manage ``group``'s members.

    Parameters
    ----------
    group : str

    Returns
    -------
    str
        ``groups!group=<group>``.
    """
    return f"{MANAGE_SCOPES[0]}!group={group}"


def managed_groups(scopes: Iterable[str]) -> set[str]:
    """The groups whose members ``scopes`` let their holder change.

    Read as JupyterHub reads a scope: the base before the first ``!``, then
    the filter's name before the first ``=`` (``groups!group=a!b`` is group
    ``a!b``).

    Parameters
    ----------
    scopes : iterable of str
        Raw (a role's) or expanded (a token's ``/hub/api/user`` answer).

    Returns
    -------
    set of str
        Every ``<name>`` of a ``groups!group=<name>`` or
        ``admin:groups!group=<name>``; unfiltered scopes give none.
    """
    groups = set()
    for scope in scopes:
        if not isinstance(scope, str):
            continue
        base, bang, filter_ = scope.partition("!")
        key, equals, value = filter_.partition("=")
        if base in MANAGE_SCOPES and bang and key == "group" and equals and value:
            groups.add(value)
    return groups


# --- What went wrong with a server's start ---------------------------------------------

#: The environment variable the hub sets at each spawn: a JSON list of
#: sentences, one per problem the hub helper found with this server's start
#: (e.g. "The hub's pre_spawn_hook was replaced after configure_hub: ...", or
#: a KubeSpawner profile that undid what the hook set). An empty list, or
#: the variable unset, means none. The server extension reports them in its
#: ``me`` answer, and the browser in the groups report: never silent.
SPAWN_PROBLEMS_ENV = "HUB_GROUPS_SPAWN_PROBLEMS"
#: At most this many sentences are passed on (the last one then says how
#: many more there were): an environment variable is not a log.
MAX_SPAWN_PROBLEMS = 20
#: Characters kept of one sentence; a longer one ends with "…".
MAX_SPAWN_PROBLEM_LENGTH = 500
#: What the server says when the variable is there but not a JSON list of
#: strings (a hub of another version, a deployment's own value).
UNREADABLE_SPAWN_PROBLEMS = (
    f"The hub's report of problems with this server's start could not be read"
    f" (${SPAWN_PROBLEMS_ENV} is not a JSON list of sentences); the hub's log may say more."
)


def _sentence(text: str) -> str:
    # One line of plain text: control characters (line breaks, escapes)
    # become spaces, then at most MAX_SPAWN_PROBLEM_LENGTH characters.
    text = "".join(" " if ord(c) < 32 or 127 <= ord(c) < 160 else c for c in text).strip()
    if len(text) > MAX_SPAWN_PROBLEM_LENGTH:
        text = text[: MAX_SPAWN_PROBLEM_LENGTH - 1].rstrip() + "\u2026"
    return text


def _tidy(problems: list[str]) -> list[str]:
    sentences = [s for s in (_sentence(p) for p in problems) if s]
    if len(sentences) > MAX_SPAWN_PROBLEMS:
        more = len(sentences) - (MAX_SPAWN_PROBLEMS - 1)
        sentences = sentences[: MAX_SPAWN_PROBLEMS - 1]
        sentences.append(f"{more} more problems were found; the hub's log has them all.")
    return sentences


def spawn_problems_value(problems: Iterable[str]) -> str:
    """The value of :data:`SPAWN_PROBLEMS_ENV` for a server's start.

    Parameters
    ----------
    problems : iterable of str
        One sentence per problem; none for a clean start (the hub still
        sets the variable, so a problem of the last start does not linger).

    Returns
    -------
    str
        A JSON list (ASCII only), after what :func:`read_spawn_problems`
        does to it: each sentence on one line and at most
        :data:`MAX_SPAWN_PROBLEM_LENGTH` characters, at most
        :data:`MAX_SPAWN_PROBLEMS` of them.

    Raises
    ------
    TypeError
        When a problem is not a string.
    """
    problems = list(problems)
    for problem in problems:
        if not isinstance(problem, str):
            raise TypeError(f"a spawn problem must be a sentence, not {problem!r}")
    return json.dumps(_tidy(problems))


def read_spawn_problems(value: str | None) -> list[str]:
    """The problems with this server's start, from :data:`SPAWN_PROBLEMS_ENV`.

    Parameters
    ----------
    value : str or None
        The variable's value; None when it is unset.

    Returns
    -------
    list of str
        The sentences (each on one line and at most
        :data:`MAX_SPAWN_PROBLEM_LENGTH` characters, at most
        :data:`MAX_SPAWN_PROBLEMS`); ``[]`` when unset, empty or an empty
        list; ``[UNREADABLE_SPAWN_PROBLEMS]`` when the value is not a JSON
        list of strings (the hub meant to say something: never silent).
    """
    if value is None or not value.strip():
        return []
    try:
        problems = json.loads(value)
    except ValueError:
        return [UNREADABLE_SPAWN_PROBLEMS]
    if not isinstance(problems, list) or not all(isinstance(p, str) for p in problems):
        return [UNREADABLE_SPAWN_PROBLEMS]
    return _tidy(problems)


# --- The courses that take new members ---------------------------------------------------

#: Set by the hub helper on every server: the courses anyone may ask to join
#: (``request``) or join (``open``), as JSON ``[group, enrolment]`` pairs with
#: braces escaped (KubeSpawner formats env values as templates). ``me``'s
#: start-up answer names those the page's user is not in, so the page asks
#: the hub service for Join cards only when there is one; unset: unknown.
OPEN_COURSES_ENV = "HUB_GROUPS_OPEN_COURSES"
#: How a listed course takes new members.
OPEN_ENROLMENTS = ("request", "open")


@dataclass(frozen=True)
class OpenCourse:
    """A course that takes new members, as :data:`OPEN_COURSES_ENV` lists it."""

    #: The course's hub group.
    group: str
    #: ``request`` (an instructor decides) or ``open`` (joined at once).
    enrolment: str

    def to_json(self) -> dict[str, str]:
        return {"group": self.group, "enrolment": self.enrolment}


def _pairs_value(pairs: list[list[str]]) -> str:
    # JSON; braces can only be inside the strings, where JSON may escape
    # them (KubeSpawner formats env values as templates)
    return json.dumps(pairs).replace("{", "\\u007b").replace("}", "\\u007d")


def _read_pairs(value: str | None) -> list[tuple[str, str]] | None:
    """The ``[name, value]`` pairs of non-empty strings of an env value;
    None when unset or anything else."""
    try:
        pairs = json.loads(value) if value else None
    except ValueError:
        return None
    if not isinstance(pairs, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) and x for x in p)
        for p in pairs
    ):
        return None
    return [(a, b) for a, b in pairs]


def open_courses_value(courses: Iterable[OpenCourse]) -> str:
    """The value of :data:`OPEN_COURSES_ENV` (ASCII, no brace); ValueError
    for an enrolment not in :data:`OPEN_ENROLMENTS`."""
    pairs = []
    for course in courses:
        if course.enrolment not in OPEN_ENROLMENTS:
            raise ValueError(f"{course.group}: enrolment {course.enrolment!r} takes no one")
        pairs.append([course.group, course.enrolment])
    return _pairs_value(pairs)


def read_open_courses(value: str | None) -> list[OpenCourse] | None:
    """The courses of :data:`OPEN_COURSES_ENV`, in the value's order; None
    when the variable is unset or not a JSON list of ``[group, "request" |
    "open"]`` pairs (unknown: the page asks the service, as without it)."""
    pairs = _read_pairs(value)
    if pairs is None or any(enrolment not in OPEN_ENROLMENTS for _, enrolment in pairs):
        return None
    return [OpenCourse(group, enrolment) for group, enrolment in pairs]


# --- What people read for a course ----------------------------------------------------

#: Set by the hub helper on every server when a course has a ``title`` in
#: the YAML file: ``[group, title]`` pairs, as :data:`OPEN_COURSES_ENV`.
#: ``GET manage`` gives the titles of the groups one manages (the Manage
#: cards, the members panel).
COURSE_TITLES_ENV = "HUB_GROUPS_COURSE_TITLES"


def course_titles_value(titles: Mapping[str, str]) -> str:
    """The value of :data:`COURSE_TITLES_ENV` (ASCII, no brace), by group."""
    return _pairs_value([[group, title] for group, title in sorted(titles.items())])


def read_course_titles(value: str | None) -> dict[str, str]:
    """The titles of :data:`COURSE_TITLES_ENV`, by group; none when the
    variable is unset or unreadable (the groups' names are read then)."""
    return dict(_read_pairs(value) or [])


# --- Projects kept by the hub-groups service ------------------------------------------

#: Set by the hub helper on every server: how the file's projects are reached
#: and, when people make projects at runtime, who may and how many, as
#: :data:`OPEN_COURSES_ENV`'s pairs (``project_access``, ``max_per_person``,
#: ``allowed`` for a group). ``me``'s start-up answer passes it on.
PROJECTS_ENV = "HUB_GROUPS_PROJECTS"
#: ``roles`` (a role per project) or ``shares`` (kept by the service).
PROJECT_ACCESS = ("roles", "shares")


def projects_value(access: str, allowed: str | None = None, most: int | None = None) -> str:
    """The value of :data:`PROJECTS_ENV`; ``most`` None: no runtime projects,
    ``allowed`` None: everyone may make them."""
    pairs = [["project_access", access]] + ([["max_per_person", str(most)]] if most else [])
    return _pairs_value(pairs + ([["allowed", allowed]] if most and allowed else []))


def read_projects(value: str | None) -> tuple[str, dict | None] | None:
    """``(project_access, projects_service)`` from :data:`PROJECTS_ENV`,
    ``projects_service`` being ``{"allowed", "max_per_person"}`` or None
    (nobody makes projects); None when unset or unreadable."""
    pairs = dict(_read_pairs(value) or [])
    most = pairs.get("max_per_person", "")
    if pairs.get("project_access") not in PROJECT_ACCESS or (most and not most.isdigit()):
        return None
    service = {"allowed": pairs.get("allowed"), "max_per_person": int(most)} if most else None
    return pairs["project_access"], service
