"""Set up JupyterHub from one YAML file of projects and courses.

Why this exists: the JupyterHub documentation's recipe "Real-time
collaboration without impersonation" and the course-kernel recipes people
share are hand-written ``jupyterhub_config.py`` code, partly outdated for
JupyterLab 4. Here they are one YAML file and one line of hub config::

    from jupyterlab_hub_groups.hub import configure_hub
    configure_hub(c, "groups.yaml")

What it sets up:

- ``projects``: per project a group of its members, a collaboration account
  ``<project>-collab`` (in group ``collaborative``) and a role
  ``collab-access-<project>`` that lets the members use, start and stop that
  account's server (the seed recipe's scopes).
- ``courses``: per course a group of its students, a role letting its
  instructors manage that group, and the course's kernels and
  jupyter-server-proxy services, written to a folder per group that only the
  members' servers see (``JUPYTER_PATH`` / ``JUPYTER_CONFIG_PATH``).
- a ``pre_spawn_hook``, composed with any hook already configured, that turns
  real-time collaboration off on every server but the collaboration
  accounts', and adds the user's groups' folders to the server's paths.
- ``Spawner.server_token_scopes``, per spawn: a server's own token may see
  and stop the shared servers of its owner's projects, and nothing more.
- an ``Authenticator.post_auth_hook`` refusing any login named like a
  collaboration account (nobody may claim ``vox-collab``, nor the account
  of a project that does not exist yet).
- a managed service ``hub-groups`` (:mod:`jupyterlab_hub_groups.hub_service`)
  that restarts a project's shared server when a member leaves the project
  (its token, which members could copy, dies with it), and in authoritative
  mode makes the groups' members the file's.

Hooks and scopes are composed with what the config already has, on
``c.Spawner`` / ``c.Authenticator`` and on every more specific section
(``c.KubeSpawner``...), since traitlets gives a class its most specific one.

Two folders: ``generated_dir`` (course kernels and proxy config, mounted in
every single-user server, so nothing secret and nothing about people) and
``state_dir`` (who was added, what the service saw: hub-only, 0700/0600).

The whole file is checked before anything is applied: every mistake is
reported with its place in the file, and on a mistake nothing is changed.

This module must stay importable in a hub image without JupyterLab or
Jupyter Server: it imports only the standard library and PyYAML.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import re
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

__all__ = ["HubGroupsConfigError", "HubGroupsSpec", "configure_hub", "load_spec"]

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
MARKER = ".hub-groups-generated"
#: What happens to a project's shared server when a member leaves.
ON_MEMBER_REMOVED = ("restart", "stop", "none")
#: The managed service (see :mod:`jupyterlab_hub_groups.hub_service`).
SERVICE = "hub-groups"

#: Real-time collaboration off, server side: jupyter-collaboration's server
#: extensions are not loaded, so /api/collaboration/* does not exist.
#: (``--YDocExtension.disable_rtc=True`` keeps those endpoints and most of the
#: UI.) See also :func:`write_rtc_off_folder` for the UI half.
RTC_OFF_ARGS = (
    "--ServerApp.jpserver_extensions=jupyter_server_ydoc=False",
    "--ServerApp.jpserver_extensions=jupyter_server_fileid=False",
)
#: Real-time collaboration off, UI side: its two labextensions disabled by
#: package name (only then does JupyterLab restore the file browser and cell
#: executor they replace). There is no command-line switch for this: it is a
#: labconfig file in a folder put first on JUPYTER_CONFIG_PATH.
RTC_OFF_PAGE_CONFIG = {
    "disabledExtensions": {
        "@jupyter/collaboration-extension": True,
        "@jupyter/docprovider-extension": True,
    }
}


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

    collaboration_account: str = "{project}-collab"
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
        prefix, suffix = self.collaboration_account.split("{project}")
        return re.compile(
            re.escape(prefix) + ".+" + re.escape(suffix), re.IGNORECASE | re.DOTALL
        )


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
        # replace, not format: the pattern is checked to hold nothing else
        account = settings.collaboration_account.replace("{project}", pname)
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
        body = check.mapping(cbody, where, {"students", "instructors", "kernels", "services"})
        courses.append(
            Course(
                cname,
                check.names(body.get("students"), f"{where}.students"),
                check.names(body.get("instructors"), f"{where}.instructors"),
                _read_kernels(check, body.get("kernels"), f"{where}.kernels"),
                _read_services(check, body.get("services"), f"{where}.services"),
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

    Exactly one ``{project}`` and nothing else in braces (it is filled with
    ``str.replace``; ``str.format`` would also read ``{0}`` or
    ``{project.__class__}``), something besides it (``{project}`` alone
    would make every project's name an account, and the login hook would
    refuse everyone), and only what is safe in a user name.
    """
    if not isinstance(pattern, str) or pattern.count("{project}") != 1:
        return f"must be a string containing '{{project}}' once, not {pattern!r}"
    rest = pattern.replace("{project}", "")
    if not rest:
        return "must have more than '{project}' (e.g. '{project}-collab')"
    if "{" in rest or "}" in rest:
        return f"may hold no braces besides '{{project}}', not {pattern!r}"
    if not ACCOUNT_PATTERN.fullmatch(pattern.replace("{project}", "x")):
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


# --- What it becomes ---------------------------------------------------------------


def make_roles(spec: HubGroupsSpec) -> list[dict[str, Any]]:
    """The roles the file asks for, in ``load_roles`` form."""
    roles: list[dict[str, Any]] = []
    for p in spec.projects:
        roles.append(
            {
                # Role names must be lowercase; group names need not be.
                "name": f"collab-access-{p.name.lower()}",
                "description": f"Use, start and stop the shared server of project {p.name}",
                "scopes": [
                    # use the collaboration account's server
                    f"access:servers!user={p.account}",
                    # start and stop it
                    f"admin:servers!user={p.account}",
                    # the seed's shortcut: the admin page, showing only that account
                    "admin-ui",
                    f"list:users!user={p.account}",
                ],
                "groups": [p.name],
            }
        )
    for c in spec.courses:
        if not c.instructors:
            continue
        roles.append(
            {
                "name": f"instructor-{c.name.lower()}",
                "description": f"Manage the members of course {c.name}",
                "scopes": [
                    # read the course group and add or remove its members
                    f"groups!group={c.name}",
                    # find the people to add: user names only, no other details
                    "list:users",
                ],
                "users": list(c.instructors),
            }
        )
    return roles


def group_folder(generated_dir: Path, group: str) -> Path:
    """The folder of one group's kernels and server config.

    Group names may hold characters that are awkward in paths; the folder
    name is a readable part plus a digest, so it is unique and safe.
    """
    readable = re.sub(r"[^A-Za-z0-9_.-]", "_", group)[:60]
    digest = hashlib.sha256(group.encode("utf8")).hexdigest()[:8]
    return generated_dir / f"{readable}-{digest}"


# --- Files: generated (public) and state (hub-only) ------------------------------------


def _public_tree(folder: Path) -> None:
    """Folders 0755 and files 0644 under ``folder``, whatever the hub's umask:
    single-user servers may run as other users, and nothing here is secret.
    Symbolic links are skipped (chmod would follow them out of the folder)."""
    os.chmod(folder, 0o755)
    for root, dirs, files in os.walk(folder):
        for name, mode in [(d, 0o755) for d in dirs] + [(f, 0o644) for f in files]:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                os.chmod(path, mode)


def _write_marker(folder: Path, what: str) -> None:
    (folder / MARKER).write_text(
        f"Written by jupyterlab_hub_groups.hub ({what}). This folder is deleted\n"
        "at a hub start when the YAML file no longer asks for it.\n"
    )


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def write_group_folders(spec: HubGroupsSpec) -> dict[str, Path]:
    """Write each course's kernels and proxy services to its group's folder.

    Kernels that left a course are deleted from its folder (the folder is
    ours: it has our marker).

    Returns
    -------
    dict
        Group name → folder, for the groups that have one.
    """
    folders: dict[str, Path] = {}
    generated = spec.settings.generated_dir
    assert generated is not None
    for c in spec.courses:
        if not (c.kernels or c.services):
            continue
        folder = group_folder(generated, c.name)
        data = folder / "share" / "jupyter"
        config = folder / "etc" / "jupyter"
        folder.mkdir(parents=True, exist_ok=True)
        _write_marker(folder, f"group {c.name!r}")
        kernels = data / "kernels"
        kernels.mkdir(parents=True, exist_ok=True)
        for old in kernels.iterdir():
            if old.name not in c.kernels:
                _remove(old)
        for kname, kspec in c.kernels.items():
            kdir = kernels / kname
            kdir.mkdir(exist_ok=True)
            (kdir / "kernel.json").write_text(json.dumps(kspec, indent=1) + "\n")
        config.mkdir(parents=True, exist_ok=True)
        server_config = config / "jupyter_server_config.py"
        if c.services:
            # A Python config file, so that the services of several groups
            # add up (`.update`) instead of the last file replacing the rest.
            server_config.write_text(
                f"# Written by jupyterlab_hub_groups.hub for group {c.name!r}.\n"
                "import json\n"
                f"c.ServerProxy.servers.update(json.loads({json.dumps(json.dumps(c.services))}))\n"
            )
        elif server_config.exists():
            server_config.unlink()
        _public_tree(folder)
        folders[c.name] = folder
    return folders


def write_rtc_off_folder(spec: HubGroupsSpec) -> Path:
    """Write the config folder that turns collaboration off on a server.

    Returns
    -------
    Path
        The folder, to put first on the server's ``JUPYTER_CONFIG_PATH``.
    """
    folder = spec.settings.generated_dir / "rtc-off"  # type: ignore[operator]
    (folder / "labconfig").mkdir(parents=True, exist_ok=True)
    _write_marker(folder, "real-time collaboration off")
    (folder / "labconfig" / "page_config.json").write_text(
        json.dumps(RTC_OFF_PAGE_CONFIG, indent=1) + "\n"
    )
    # The same as RTC_OFF_ARGS, for servers started without the hook's args.
    (folder / "jupyter_server_config.json").write_text(
        json.dumps(
            {
                "ServerApp": {
                    "jpserver_extensions": {
                        "jupyter_server_ydoc": False,
                        "jupyter_server_fileid": False,
                    }
                }
            },
            indent=1,
        )
        + "\n"
    )
    _public_tree(folder)
    return folder


def remove_stale_folders(generated_dir: Path, keep: list[Path]) -> list[Path]:
    """Delete the folders of courses that left the file (or have no kernels
    or services any more): those with our marker only, never anything else
    someone put in ``generated_dir``.

    Returns
    -------
    list of Path
        The folders deleted.
    """
    removed = []
    for child in generated_dir.iterdir():
        if child in keep or child.is_symlink() or not child.is_dir():
            continue
        if (child / MARKER).is_file():
            shutil.rmtree(child)
            removed.append(child)
    return removed


def _private_dir(folder: Path) -> Path:
    """The hub-only state folder: made (or tightened to) 0700."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder


def write_private(path: Path, text: str) -> None:
    """Write a state file readable by the hub's user only (0600), atomically:
    a hub stopped halfway leaves the old file, not half of a new one."""
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # the file may have existed with another mode
        os.write(fd, text.encode("utf8"))
    finally:
        os.close(fd)
    os.replace(tmp, path)


def _set_path(existing: str | None, ours: list[str], generated_dir: Path) -> str | None:
    """``ours`` first, then what was there, less what we added before (the
    spawner keeps its environment between spawns, and groups change)."""
    kept = [
        p
        for p in (existing or "").split(os.pathsep)
        if p and not Path(p).is_relative_to(generated_dir)
    ]
    return os.pathsep.join(ours + kept) or None


def make_pre_spawn_hook(
    spec: HubGroupsSpec,
    folders: Mapping[str, Path],
    rtc_off: Path,
    previous: Callable[[Any], Any] | None = None,
) -> Callable[[Any], Any]:
    """The hook that adapts each server to its user's groups.

    Parameters
    ----------
    spec : HubGroupsSpec
    folders : mapping
        Group name → folder written by :func:`write_group_folders`.
    rtc_off : Path
        The folder written by :func:`write_rtc_off_folder`.
    previous : callable, optional
        A hook configured before; it runs first, and is awaited if async.
    """
    generated = spec.settings.generated_dir
    assert generated is not None
    collaborative = spec.settings.collaborative_group
    # Visitors removed from the project are cut off within this time
    # (see jupyterlab_hub_groups.revalidate).
    revalidate = f"--HubGroupsConfig.revalidate_seconds={spec.settings.revalidate_seconds:g}"
    # Who sees "People here" on a collaboration account's server: its project.
    project_of = {p.account: p.name for p in spec.projects}
    # The server extension names accounts after groups: {group} for {project}.
    account_pattern = spec.settings.collaboration_account.replace("{project}", "{group}")

    async def pre_spawn_hook(spawner: Any) -> None:
        if previous is not None:
            result = previous(spawner)
            if inspect.isawaitable(result):
                await result
        groups = {g.name for g in spawner.user.groups}
        # Start from the spawner's settings less what this hook added before.
        args = [
            a
            for a in spawner.args
            if a not in RTC_OFF_ARGS
            and not a.startswith(
                (
                    "--HubGroupsConfig.revalidate",
                    "--HubGroupsConfig.presence",
                    "--HubGroupsConfig.collaboration_account",
                )
            )
        ]
        config_path: list[str] = []
        if collaborative in groups:
            spawner.log.info("hub-groups: collaboration on for %s", spawner.user.name)
            args.append(revalidate)
            if spawner.user.name in project_of:
                args.append(f"--HubGroupsConfig.presence_groups={project_of[spawner.user.name]}")
        else:
            args += RTC_OFF_ARGS
            # First on the path: the earliest folder wins for labconfig.
            config_path.append(str(rtc_off))
        if account_pattern != "{group}-collab":
            args.append(f"--HubGroupsConfig.collaboration_account={account_pattern}")
        spawner.args = args

        mine = [folders[g] for g in sorted(groups) if g in folders]
        config_path += [str(f / "etc" / "jupyter") for f in mine]
        env = dict(spawner.environment)
        for name, ours in (
            ("JUPYTER_PATH", [str(f / "share" / "jupyter") for f in mine]),
            ("JUPYTER_CONFIG_PATH", config_path),
        ):
            value = _set_path(env.get(name), ours, generated)
            if value:
                env[name] = value
            else:
                env.pop(name, None)
        spawner.environment = env

    pre_spawn_hook.hub_groups_spec = spec  # type: ignore[attr-defined]
    return pre_spawn_hook


def _seeded_members(spec: HubGroupsSpec) -> dict[str, list[str]]:
    """The members ``load_groups`` should add at this start.

    JupyterHub's ``load_groups`` only ever adds. In the default mode the
    file's members are the *initial* members: each is added once, and a
    removal made later at runtime stays removed after a restart. The record
    of who was added is ``seeded.json`` in the state folder (written in both
    modes, so that leaving authoritative mode keeps it right).

    Older versions kept it in the generated folder, which every server
    mounts: it is moved once (and any copy found there later is deleted).
    """
    state = spec.settings.state_dir
    generated = spec.settings.generated_dir
    assert state is not None and generated is not None
    record = state / "seeded.json"
    sources = [record] if record.exists() else [record, generated / "seeded.json"]
    seeded: dict[str, list[str]] = {}
    for source in sources:
        try:
            seeded = json.loads(source.read_text())
            break
        except (OSError, ValueError):
            continue
    wanted = spec.group_members()
    to_add = {g: [u for u in users if u not in seeded.get(g, [])] for g, users in wanted.items()}
    for g, users in wanted.items():
        seeded[g] = sorted(set(seeded.get(g, [])) | set(users))
    write_private(record, json.dumps(seeded, indent=1, sort_keys=True) + "\n")
    # Rosters of older versions, in the folder every server sees.
    for old in ("seeded.json", "members.json"):
        (generated / old).unlink(missing_ok=True)
    return wanted if spec.settings.authoritative else to_add


# --- Server tokens --------------------------------------------------------------------

#: JupyterHub's own default for a server's token (its ``server`` role).
DEFAULT_SERVER_TOKEN_SCOPES = ["users:activity!user", "access:servers!server"]


def collaboration_card_scopes(spec: HubGroupsSpec, groups: set[str]) -> list[str]:
    """What the collaboration cards need on a server of a member of
    ``groups``: see and stop the shared servers of those projects.

    Filtered: JupyterHub narrows a server token's scopes to its owner's, so
    an unfiltered ``delete:servers`` would be hub-wide on an admin's server.
    """
    scopes: list[str] = []
    for p in spec.projects:
        if p.name in groups:
            scopes += [f"read:servers!user={p.account}", f"delete:servers!user={p.account}"]
    return scopes


def make_server_token_scopes(spec: HubGroupsSpec, existing: Any = None) -> Callable:
    """``Spawner.server_token_scopes``, resolved at each spawn: what was
    configured (a list, or a callable, sync or async; else JupyterHub's
    ``server`` role), plus :func:`collaboration_card_scopes` for the
    owner's projects at that time.

    Returns
    -------
    callable
        Called by JupyterHub with the spawner; a coroutine function (JupyterHub
        awaits it through ``maybe_future``).
    """

    async def server_token_scopes(spawner: Any) -> list[str]:
        base = existing(spawner) if callable(existing) else existing
        if inspect.isawaitable(base):
            base = await base
        if not base:
            base = _server_role_scopes(spawner)
        groups = {g.name for g in spawner.user.groups}
        return _union(list(base), collaboration_card_scopes(spec, groups))

    server_token_scopes.hub_groups_spec = spec  # type: ignore[attr-defined]
    return server_token_scopes


def _server_role_scopes(spawner: Any) -> list[str]:
    """What JupyterHub gives a server token when nothing is configured: its
    ``server`` role (which a deployment may have changed in load_roles)."""
    try:
        from jupyterhub import orm

        role = orm.Role.find(spawner.user.db, "server")
    except (ImportError, AttributeError):  # outside a hub (tests)
        role = None
    return list(role.scopes) if role is not None else list(DEFAULT_SERVER_TOKEN_SCOPES)


def _union(first: list[str], second: list[str]) -> list[str]:
    return first + [s for s in second if s not in first]


# --- Logins ---------------------------------------------------------------------------


def make_post_auth_hook(
    spec: HubGroupsSpec, previous: Callable[..., Any] | None = None
) -> Callable[..., Any]:
    """``Authenticator.post_auth_hook`` refusing logins named like a
    collaboration account.

    Any name the pattern can give is refused, not only today's accounts: a
    person who registered ``newproj-collab`` under an open authenticator
    would otherwise own the shared server of project ``newproj`` once it is
    created. Returning None is how JupyterHub's login refuses (the login
    page answers 403 "Invalid username or password").

    Parameters
    ----------
    spec : HubGroupsSpec
    previous : callable, optional
        A hook configured before; it runs after the check (awaited if
        async), and the name it returns is checked again.
    """
    is_account = spec.settings.account_regex
    pattern = spec.settings.collaboration_account

    def refused(authenticator: Any, model: Any) -> bool:
        name = model.get("name") if isinstance(model, Mapping) else None
        if isinstance(name, str) and is_account.fullmatch(name):
            authenticator.log.warning(
                "hub-groups: login refused for %r: named like a collaboration account (%s)",
                name,
                pattern,
            )
            return True
        return False

    async def post_auth_hook(authenticator: Any, handler: Any, model: Any) -> Any:
        if refused(authenticator, model):
            return None
        if previous is not None:
            model = previous(authenticator, handler, model)
            if inspect.isawaitable(model):
                model = await model
            if refused(authenticator, model):
                return None
        return model

    post_auth_hook.hub_groups_spec = spec  # type: ignore[attr-defined]
    return post_auth_hook


# --- The managed service ----------------------------------------------------------------


def _service(spec: HubGroupsSpec) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]] | None:
    """The managed service ``hub-groups``, its role and its config, or None
    when it has nothing to do.

    One process for both jobs: in authoritative mode, make each group's
    members exactly the file's at start (``load_groups`` only adds); unless
    ``on_member_removed`` is ``none``, watch the project groups and restart
    (or stop) a project's shared server when a member leaves. Its token may
    do that and nothing else.
    """
    settings = spec.settings
    watch = settings.on_member_removed != "none" and bool(spec.projects)
    if not (settings.authoritative or watch):
        return None
    assert settings.state_dir is not None
    scopes: list[str] = []
    if settings.authoritative:
        # read, list, add and remove members: the file's groups only
        scopes += [f"groups!group={g}" for g in spec.group_members()]
    if watch:
        for p in spec.projects:
            if not settings.authoritative:
                scopes += [f"list:groups!group={p.name}", f"read:groups!group={p.name}"]
            if settings.on_member_removed == "restart":
                # read, start and stop that one server (``servers`` is exactly these)
                scopes.append(f"servers!user={p.account}")
            else:
                scopes += [f"read:servers!user={p.account}", f"delete:servers!user={p.account}"]
    config_file = settings.state_dir / "service.json"
    config = {
        "sync": spec.group_members() if settings.authoritative else None,
        "projects": {p.name: p.account for p in spec.projects} if watch else {},
        "on_member_removed": settings.on_member_removed,
        # removed members lose the shared server within this time, as they
        # lose open sessions through the server extension's re-checks
        "interval": settings.revalidate_seconds or Settings.revalidate_seconds,
        "snapshot": str(settings.state_dir / "watch.json"),
    }
    service = {
        "name": SERVICE,
        "command": [sys.executable, "-m", "jupyterlab_hub_groups.hub_service", str(config_file)],
    }
    role = {
        "name": SERVICE,
        "description": "Keep the YAML file's groups; restart shared servers when members leave",
        "scopes": scopes,
        "services": [SERVICE],
    }
    return service, role, config


# --- Applying it ------------------------------------------------------------------------


def _sections(c: Any, base: str, key: str) -> list[str]:
    """``base`` and every more specific section of ``c`` that sets ``key``.

    traitlets gives an instance the setting of its most specific class
    (``c.KubeSpawner.pre_spawn_hook`` over ``c.Spawner.pre_spawn_hook``):
    ours must be composed into each, or it is silently replaced. Sections
    are recognised by name (``...Spawner``, ``...Authenticator``), so that
    no spawner or authenticator package is imported here.
    """
    names = [base]
    for name in list(c.keys()):
        if name != base and name.endswith(base) and isinstance(c[name], Mapping):
            if key in c[name]:
                names.append(name)
    return names


def _people_known_to_the_authenticator(c: Any) -> dict[str, str]:
    """Lowercased names in ``allowed_users`` / ``admin_users`` of the
    Authenticator sections → where they are set."""
    people: dict[str, str] = {}
    for setting in ("allowed_users", "admin_users"):
        for section in _sections(c, "Authenticator", setting):
            value = c[section][setting] if setting in c[section] else ()
            if hasattr(value, "get_value"):  # c.Authenticator.allowed_users.add(...)
                value = value.get_value(set())
            for name in value or ():
                if isinstance(name, str):
                    people.setdefault(name.lower(), f"c.{section}.{setting}")
    return people


def configure_hub(
    c: Any,
    source: str | os.PathLike | Mapping[str, Any],
    generated_dir: str | os.PathLike | None = None,
    state_dir: str | os.PathLike | None = None,
) -> HubGroupsSpec:
    """Apply a projects-and-courses YAML file to a JupyterHub config.

    Call it last in ``jupyterhub_config.py`` (after any hook, scopes or
    ``allowed_users`` of yours): it composes with what is already set.

    Parameters
    ----------
    c : traitlets.config.Config
        The ``c`` of ``jupyterhub_config.py``.
    source : path or mapping
        The YAML file (see the README), or its content as a mapping.
    generated_dir : path, optional
        Overrides ``settings.generated_dir``: where the groups' kernels and
        server config are written. Single-user servers must see this folder
        at the same path; it holds nothing secret and nothing about people.
    state_dir : path, optional
        Overrides ``settings.state_dir``: the hub-only record of initial
        members and the service's state (made 0700, files 0600). Keep it
        with the hub's database; never mount it in single-user servers.

    Returns
    -------
    HubGroupsSpec
        The checked file.

    Raises
    ------
    HubGroupsConfigError
        When the file has mistakes; then ``c`` is left as it was.
    """
    spec = load_spec(source)
    overrides = {}
    if generated_dir is not None:
        overrides["generated_dir"] = Path(generated_dir)
    if state_dir is not None:
        overrides["state_dir"] = Path(state_dir)
    if overrides:
        spec = replace(spec, settings=replace(spec.settings, **overrides))
    problems = _check_against_config(c, spec)
    if problems:
        raise HubGroupsConfigError(spec.source, problems)

    settings = spec.settings
    assert settings.generated_dir is not None and settings.state_dir is not None
    _private_dir(settings.state_dir)
    settings.generated_dir.mkdir(parents=True, exist_ok=True)
    folders = write_group_folders(spec)
    rtc_off = write_rtc_off_folder(spec)
    remove_stale_folders(settings.generated_dir, [*folders.values(), rtc_off])
    os.chmod(settings.generated_dir, 0o755)

    existing_groups = dict(c.JupyterHub.load_groups) if "load_groups" in c.JupyterHub else {}
    roles = list(c.JupyterHub.load_roles) if "load_roles" in c.JupyterHub else []
    roles += make_roles(spec)
    service = _service(spec)
    if service is not None:
        entry, role, config = service
        write_private(
            settings.state_dir / "service.json", json.dumps(config, indent=1, sort_keys=True) + "\n"
        )
        services = list(c.JupyterHub.services) if "services" in c.JupyterHub else []
        c.JupyterHub.services = [*services, entry]
        roles.append(role)
    groups = dict(existing_groups)
    for group, users in _seeded_members(spec).items():
        groups[group] = {"users": users}
    c.JupyterHub.load_groups = groups
    c.JupyterHub.load_roles = roles

    for section in _sections(c, "Spawner", "pre_spawn_hook"):
        previous = c[section].pre_spawn_hook if "pre_spawn_hook" in c[section] else None
        c[section].pre_spawn_hook = make_pre_spawn_hook(spec, folders, rtc_off, previous)
    for section in _sections(c, "Spawner", "server_token_scopes"):
        existing = c[section].server_token_scopes if "server_token_scopes" in c[section] else None
        c[section].server_token_scopes = make_server_token_scopes(spec, existing)
    for section in _sections(c, "Authenticator", "post_auth_hook"):
        previous = c[section].post_auth_hook if "post_auth_hook" in c[section] else None
        c[section].post_auth_hook = make_post_auth_hook(spec, previous)
    return spec


def _check_against_config(c: Any, spec: HubGroupsSpec) -> list[str]:
    """Mistakes only the hub config shows: names defined twice, accounts
    that are people, folders that overlap."""
    problems: list[str] = []
    existing_groups = c.JupyterHub.load_groups if "load_groups" in c.JupyterHub else {}
    existing_roles = c.JupyterHub.load_roles if "load_roles" in c.JupyterHub else []
    existing_services = c.JupyterHub.services if "services" in c.JupyterHub else []
    role_names = {r.get("name") for r in existing_roles}
    ours = [g for g in spec.group_members() if g in existing_groups]
    ours += [r["name"] for r in make_roles(spec) if r["name"] in role_names]
    if _service(spec) is not None:
        if SERVICE in role_names:
            ours.append(SERVICE)
        if SERVICE in {s.get("name") for s in existing_services}:
            ours.append(SERVICE)
    problems += [f"{name!r} is also defined elsewhere in the hub config" for name in ours]

    people = _people_known_to_the_authenticator(c)
    for p in spec.projects:
        where = people.get(p.account.lower())
        if where:
            problems.append(
                f"projects.{p.name}: its collaboration account {p.account!r} is a person "
                f"in {where}"
            )

    generated = spec.settings.generated_dir.resolve()  # type: ignore[union-attr]
    state = spec.settings.state_dir.resolve()  # type: ignore[union-attr]
    if state.is_relative_to(generated) or generated.is_relative_to(state):
        problems.append(
            f"settings.state_dir: {str(state)!r} must be apart from generated_dir "
            f"{str(generated)!r}: servers see the generated folder, only the hub the state"
        )
    return problems
