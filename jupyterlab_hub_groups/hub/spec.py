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
#: Marks a folder of ``generated_dir`` as ours, so that it may be deleted
#: when its course leaves the file (and nothing else ever is).
#: What happens to a project's shared server when a member leaves.
ON_MEMBER_REMOVED = ("restart", "stop", "none")


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


def load_spec(source: str | os.PathLike | Mapping[str, Any]) -> HubGroupsSpec:
    """Read and check a YAML file (or an already parsed mapping).

    Parameters
    ----------
    source : path or mapping
        The YAML file, or its content as a mapping (for tests and for
        deployments that build it in Python).

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
    settings = _read_settings(check, top.get("settings"), base)

    projects: list[Project] = []
    for pname, pbody in check.mapping(top.get("projects"), "projects", _AnyKey()).items():
        where = f"projects.{pname}"
        if not check.name(pname, where):
            continue
        body = check.mapping(pbody, where, {"members"})
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
            Project(pname, check.names(body.get("members"), f"{where}.members"), account)
        )

    courses: list[Course] = []
    for cname, cbody in check.mapping(top.get("courses"), "courses", _AnyKey()).items():
        where = f"courses.{cname}"
        if not check.name(cname, where):
            continue
        body = check.mapping(
            cbody,
            where,
            {"students", "instructors", "kernels", "services", "instructors_get_environment"},
        )
        environment = body.get("instructors_get_environment", True)
        if not isinstance(environment, bool):
            check.fail(
                f"{where}.instructors_get_environment",
                f"must be true or false, not {environment!r}",
            )
            environment = True
        courses.append(
            Course(
                cname,
                check.names(body.get("students"), f"{where}.students"),
                check.names(body.get("instructors"), f"{where}.instructors"),
                _read_kernels(check, body.get("kernels"), f"{where}.kernels"),
                _read_services(check, body.get("services"), f"{where}.services"),
                instructors_get_environment=environment,
            )
        )

    _check_clashes(check, settings, projects, courses)
    if check.problems:
        raise HubGroupsConfigError(name, check.problems)
    return HubGroupsSpec(name, settings, tuple(projects), tuple(courses))


def _loader():
    """A safe YAML loader that refuses a key given twice in one mapping
    (plain YAML keeps the last one silently: a project would vanish)."""
    import yaml

    class UniqueKeyLoader(yaml.SafeLoader):
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
    return Settings(
        collaboration_account=account,
        collaborative_group=collaborative,
        instructors_group=instructors,
        authoritative=authoritative,
        generated_dir=base / (folders["generated_dir"] or ".hub-groups"),
        revalidate_seconds=revalidate,
        state_dir=base / (folders["state_dir"] or ".hub-groups-state"),
        on_member_removed=removed,
    )


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
