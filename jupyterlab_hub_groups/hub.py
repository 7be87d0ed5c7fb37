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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

__all__ = ["HubGroupsConfigError", "HubGroupsSpec", "configure_hub", "load_spec"]

#: Names of projects and courses: they become group names, user names
#: (``<project>-collab``) and, lowercased, parts of role names.
NAME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,120}$")
#: What JupyterHub accepts as a role name.
ROLE_PATTERN = re.compile(r"^[a-z][a-z0-9\-_~.]{1,253}[a-z0-9]$")
#: Kernel and service names: folder names and URL parts.
ITEM_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}$")

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
            elif item in names:
                self.fail(f"{where}[{i}]", f"{item!r} is listed twice")
            else:
                names.append(item)
        return tuple(names)

    def name(self, value: Any, where: str, pattern: re.Pattern = NAME_PATTERN) -> bool:
        if not isinstance(value, str) or not pattern.match(value):
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
        account = settings.collaboration_account.format(project=pname)
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
        },
    )
    defaults = Settings()
    account = body.get("collaboration_account", defaults.collaboration_account)
    if not isinstance(account, str) or "{project}" not in account:
        check.fail(
            "settings.collaboration_account",
            f"must be a string containing '{{project}}', not {account!r}",
        )
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
    generated = body.get("generated_dir")
    if generated is not None and not isinstance(generated, str):
        check.fail("settings.generated_dir", f"must be a folder path, not {generated!r}")
        generated = None
    return Settings(
        collaboration_account=account,
        collaborative_group=collaborative,
        instructors_group=instructors,
        authoritative=authoritative,
        generated_dir=(base / generated) if generated else base / ".hub-groups",
        revalidate_seconds=revalidate,
    )


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
        services[sname] = dict(sbody)
    return services


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

    accounts = {p.account: p for p in projects}
    humans: dict[str, str] = {}
    for p in projects:
        for i, m in enumerate(p.members):
            humans.setdefault(m, f"projects.{p.name}.members[{i}]")
    for c in courses:
        for role in ("students", "instructors"):
            for i, m in enumerate(getattr(c, role)):
                humans.setdefault(m, f"courses.{c.name}.{role}[{i}]")
    for user, where in humans.items():
        if user in accounts:
            check.fail(
                where,
                f"{user!r} is the collaboration account of project "
                f"{accounts[user].name!r}; a person cannot have that name",
            )
    for p in projects:
        role = f"collab-access-{p.name.lower()}"
        if not ROLE_PATTERN.match(role):
            check.fail(f"projects.{p.name}", f"gives the invalid role name {role!r}")
    for c in courses:
        role = f"instructor-{c.name.lower()}"
        if not ROLE_PATTERN.match(role):
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


def write_group_folders(spec: HubGroupsSpec) -> dict[str, Path]:
    """Write each course's kernels and proxy services to its group's folder.

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
        for kname, kspec in c.kernels.items():
            kdir = data / "kernels" / kname
            kdir.mkdir(parents=True, exist_ok=True)
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
    return folder


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
    of who was added is ``seeded.json`` in the generated folder.
    """
    wanted = spec.group_members()
    if spec.settings.authoritative:
        return wanted
    record = spec.settings.generated_dir / "seeded.json"  # type: ignore[operator]
    try:
        seeded = json.loads(record.read_text())
    except (OSError, ValueError):
        seeded = {}
    to_add = {g: [u for u in users if u not in seeded.get(g, [])] for g, users in wanted.items()}
    for g, users in wanted.items():
        seeded[g] = sorted(set(seeded.get(g, [])) | set(users))
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps(seeded, indent=1, sort_keys=True) + "\n")
    return to_add


#: JupyterHub's own default for a server's token (its ``server`` role).
DEFAULT_SERVER_TOKEN_SCOPES = ["users:activity!user", "access:servers!server"]
#: What the collaboration cards need: see and stop shared servers. JupyterHub
#: gives a server's token only those of these scopes that its owner holds
#: (for a project member: the project's collaboration account only).
COLLABORATION_CARD_SCOPES = ["read:servers", "delete:servers"]


def server_token_scopes(existing: Any = None) -> Any:
    """``Spawner.server_token_scopes``: what was there (or JupyterHub's
    default), plus what the collaboration cards need."""
    if callable(existing):

        def scopes(spawner: Any) -> list[str]:
            return _union(existing(spawner), COLLABORATION_CARD_SCOPES)

        return scopes
    return _union(existing or DEFAULT_SERVER_TOKEN_SCOPES, COLLABORATION_CARD_SCOPES)


def _union(first: Any, second: list[str]) -> list[str]:
    return list(first) + [s for s in second if s not in first]


SYNC_SERVICE = "hub-groups-sync"


def _add_sync_service(c: Any, spec: HubGroupsSpec) -> dict[str, Any]:
    """Authoritative mode: a managed service makes each group's members
    exactly the file's at every hub start (``load_groups`` only adds).

    It may change the file's groups and nothing else.
    """
    import sys

    wanted = spec.settings.generated_dir / "members.json"  # type: ignore[operator]
    wanted.parent.mkdir(parents=True, exist_ok=True)
    wanted.write_text(json.dumps(spec.group_members(), indent=1, sort_keys=True) + "\n")
    services = list(c.JupyterHub.services) if "services" in c.JupyterHub else []
    services.append(
        {
            "name": SYNC_SERVICE,
            "command": [sys.executable, "-m", "jupyterlab_hub_groups.hub", "sync", str(wanted)],
        }
    )
    c.JupyterHub.services = services
    return {
        "name": SYNC_SERVICE,
        "description": "Keep the members of the YAML file's groups as the file says",
        "scopes": [f"groups!group={g}" for g in spec.group_members()],
        "services": [SYNC_SERVICE],
    }


async def sync_members(api_url: str, token: str, wanted: Mapping[str, list[str]], log=print) -> None:
    """Make each group's members exactly ``wanted`` through the hub's REST API."""
    from urllib.parse import quote

    from tornado.httpclient import AsyncHTTPClient

    client = AsyncHTTPClient()
    headers = {"Authorization": f"token {token}", "Content-Type": "application/json"}

    async def call(method: str, path: str, body: Any = None) -> Any:
        response = await client.fetch(
            f"{api_url.rstrip('/')}/{path}",
            method=method,
            headers=headers,
            body=None if body is None else json.dumps(body),
            allow_nonstandard_methods=True,
        )
        return json.loads(response.body or b"null")

    for group, members in wanted.items():
        path = f"groups/{quote(group, safe='')}"
        current = set((await call("GET", path))["users"])
        extra = sorted(current - set(members))
        missing = sorted(set(members) - current)
        if extra:
            log(f"hub-groups-sync: removing {extra} from {group}")
            await call("DELETE", f"{path}/users", {"users": extra})
        if missing:
            log(f"hub-groups-sync: adding {missing} to {group}")
            await call("POST", f"{path}/users", {"users": missing})


def _main(argv: list[str]) -> None:
    """``python -m jupyterlab_hub_groups.hub sync MEMBERS_JSON`` (run by the hub)."""
    import asyncio
    import signal

    if len(argv) != 2 or argv[0] != "sync":
        raise SystemExit("usage: python -m jupyterlab_hub_groups.hub sync MEMBERS_JSON")
    wanted = json.loads(Path(argv[1]).read_text())

    async def run() -> None:
        await sync_members(
            os.environ["JUPYTERHUB_API_URL"], os.environ["JUPYTERHUB_API_TOKEN"], wanted
        )
        print("hub-groups-sync: members are as the file says", flush=True)
        # A managed service that exits is restarted by the hub: stay until stopped.
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()

    asyncio.run(run())


def configure_hub(
    c: Any,
    source: str | os.PathLike | Mapping[str, Any],
    generated_dir: str | os.PathLike | None = None,
) -> HubGroupsSpec:
    """Apply a projects-and-courses YAML file to a JupyterHub config.

    Parameters
    ----------
    c : traitlets.config.Config
        The ``c`` of ``jupyterhub_config.py``.
    source : path or mapping
        The YAML file (see the README), or its content as a mapping.
    generated_dir : path, optional
        Overrides ``settings.generated_dir``: where the groups' kernels and
        server config are written, and the record of initial members (keep
        it with the hub's database). Single-user servers must see this
        folder at the same path.

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
    if generated_dir is not None:
        spec = replace(spec, settings=replace(spec.settings, generated_dir=Path(generated_dir)))
    existing_groups = dict(c.JupyterHub.load_groups) if "load_groups" in c.JupyterHub else {}
    clashes = [g for g in spec.group_members() if g in existing_groups]
    existing_roles = list(c.JupyterHub.load_roles) if "load_roles" in c.JupyterHub else []
    role_names = {r.get("name") for r in existing_roles}
    clashes += [r["name"] for r in make_roles(spec) if r["name"] in role_names]
    if clashes:
        raise HubGroupsConfigError(
            spec.source,
            [f"{name!r} is also defined elsewhere in the hub config" for name in clashes],
        )

    folders = write_group_folders(spec)
    rtc_off = write_rtc_off_folder(spec)
    roles = existing_roles + make_roles(spec)
    if spec.settings.authoritative:
        roles.append(_add_sync_service(c, spec))
    groups = dict(existing_groups)
    for group, users in _seeded_members(spec).items():
        groups[group] = {"users": users}
    c.JupyterHub.load_groups = groups
    c.JupyterHub.load_roles = roles
    previous = c.Spawner.pre_spawn_hook if "pre_spawn_hook" in c.Spawner else None
    c.Spawner.pre_spawn_hook = make_pre_spawn_hook(spec, folders, rtc_off, previous)
    existing_scopes = c.Spawner.server_token_scopes if "server_token_scopes" in c.Spawner else None
    c.Spawner.server_token_scopes = server_token_scopes(existing_scopes)
    return spec


if __name__ == "__main__":
    import sys

    _main(sys.argv[1:])
