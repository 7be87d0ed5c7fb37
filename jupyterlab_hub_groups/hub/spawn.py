"""What the hub helper does at each spawn: the ``pre_spawn_hook`` and its
plan (collaboration on or off, the course folders a server gets), and the
refusal of a collaboration account's named servers.

Why a module of its own: these run inside JupyterHub for every server start,
long after ``configure_hub`` returned, with what the hub knows then (the
user's groups and roles at spawn time). The hook composes with a hook the
deployment had already configured (sync or async). What else runs per spawn
or login is beside it: the start's report (:mod:`.spawn_report`), the
server's and the page's token scopes (:mod:`.token_scopes`) and the login
hook (:mod:`.login`).

Instructors are recognised by what they hold, not by the YAML file's list:
whoever holds ``groups!group=<course>`` in their roles (or their groups'
roles) at spawn, from the file's instructor role or a hand-made one, gets
the course's environment (and, :mod:`.token_scopes`, a page token able to
manage the course).

Imports only the standard library (and JupyterHub's ``roles``, lazily,
inside a running hub).
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import contract
from ..contract import RTC_OFF_ARGS
from .spec import HubGroupsSpec

__all__ = [
    "RTC_OFF_ARGS",
    "SpawnPlan",
    "SpawnRefused",
    "apply_to_spawner",
    "current_plan",
    "held_scopes",
    "is_collaboration_account",
    "make_planner",
    "make_pre_spawn_hook",
    "refuse_named_server",
    "runtime_project",
]


def held_scopes(spawner: Any) -> set[str] | None:
    """The scopes the server's owner holds now, unexpanded: those of their
    roles and of their groups' roles, as JupyterHub resolves what a token of
    theirs may get (``roles_to_scopes(get_roles_for(user))``).

    Parameters
    ----------
    spawner : jupyterhub.spawner.Spawner

    Returns
    -------
    set of str, or None
        None when they cannot be read (logged): callers then give nothing
        (fail closed).
    """
    try:
        from jupyterhub import roles

        return set(roles.roles_to_scopes(roles.get_roles_for(spawner.user.orm_user)))
    except (ImportError, AttributeError, TypeError) as e:
        spawner.log.warning(
            "hub-groups: the roles of %s could not be read (%s): no instructor's extras",
            getattr(spawner.user, "name", "?"),
            e,
        )
        return None


def is_collaboration_account(spec: HubGroupsSpec, spawner: Any) -> bool:
    """A shared server: other people run code there."""
    name = spawner.user.name
    return (
        name in spec.collaboration_accounts
        or bool(spec.settings.account_regex.fullmatch(name))
        or spec.settings.collaborative_group in {g.name for g in spawner.user.groups}
    )


def hub_group_exists(spawner: Any, name: str) -> bool:
    """Whether the hub has a group called ``name`` now (its database, as
    the spawner's user sees it); False when it cannot be read (logged)."""
    try:
        from jupyterhub import orm

        return orm.Group.find(spawner.user.db, name=name) is not None
    except (ImportError, AttributeError) as e:
        spawner.log.warning("hub-groups: the hub's groups could not be read (%s)", e)
        return False


def runtime_project(spec: HubGroupsSpec, spawner: Any) -> str | None:
    """The project of a collaboration account made at runtime (by the
    service, or by hand: not in the file), or None.

    The account's name is the pattern filled with the project's group
    name (``orca-collab`` for ``orca``); it counts only when it is in the
    collaborative group and that group exists in the hub now, so that a
    name that merely looks like an account names no project.
    """
    name = spawner.user.name
    settings = spec.settings
    if settings.collaborative_group not in {g.name for g in spawner.user.groups}:
        return None
    prefix, suffix = settings.collaboration_account.split(contract.PROJECT_FIELD)
    if not (name.startswith(prefix) and name.endswith(suffix)):
        return None
    project = name[len(prefix) : len(name) - len(suffix)]
    if not project or not hub_group_exists(spawner, project):
        return None
    return project


class SpawnRefused(RuntimeError):
    """The server cannot start as the hub helper must set it up; the message
    says why and what to change (JupyterHub shows it on the spawn page)."""


def refuse_named_server(spec: HubGroupsSpec, spawner: Any) -> None:
    """Refuse a named server of a collaboration account
    (``/user/vox-collab/<name>/``, with ``c.JupyterHub.allow_named_servers``).

    Why: a project's members may start the account's servers
    (``servers!user=<account>``), named ones included, and read the
    token of any server they run code on. Only the default server is the
    project's shared server: the one the collaboration cards open, the one
    a member's removal restarts. A named server would be a second shared
    server whose token a removed member could keep using; with none, every
    token of the account dies with the restart (the service also stops any
    named server a hub started before this rule).

    Raises
    ------
    SpawnRefused
        For any named server (``spawner.name`` not empty) of a
        collaboration account, whoever starts it.
    """
    server = getattr(spawner, "name", "") or ""
    if server and is_collaboration_account(spec, spawner):
        account = spawner.user.name
        raise SpawnRefused(
            f"hub-groups: {account} is a project's shared account: only its default "
            f"server may run (/user/{account}/), not a named server ({server!r}). A named "
            "server's token would outlive a member's removal from the project. Open the "
            "default server instead."
        )


@dataclass
class SpawnPlan:
    """What the hub helper adds to one server's start, worked out once and
    applied twice on Kubernetes (to the spawner by the ``pre_spawn_hook``,
    to the pod by the ``modify_pod_hook``, after KubeSpawner's profiles).

    Attributes
    ----------
    spawn : int
        Which start this is for (a digest of the start's API token, new at
        every start): a plan of an earlier start does not count.
    args : list of str
        Ours, after the spawner's own (collaboration off, re-checks...).
    jupyter_path, config_path : list of str
        Ours, first on ``JUPYTER_PATH`` / ``JUPYTER_CONFIG_PATH``.
    environments : list of str
        The courses whose environment this server gets.
    rtc_off : bool
        Whether collaboration is off (every server but a shared one's).
    """

    spawn: int
    args: list[str]
    jupyter_path: list[str]
    config_path: list[str]
    environments: list[str]
    rtc_off: bool


def spawn_id(spawner: Any) -> int:
    """Which start of ``spawner`` this is: JupyterHub gives a server a new
    API token at every start, before any hook runs."""
    return hash(("hub-groups", getattr(spawner, "api_token", None)))


def current_plan(spawner: Any) -> SpawnPlan | None:
    """The plan the ``pre_spawn_hook`` made for this start, or None (it did
    not run: replaced later in the config, or not called by what replaced it)."""
    plan = getattr(spawner, "_hub_groups_plan", None)
    return plan if isinstance(plan, SpawnPlan) and plan.spawn == spawn_id(spawner) else None


def make_planner(
    spec: HubGroupsSpec, folders: Mapping[str, Path], rtc_off: Path
) -> Callable[[Any], SpawnPlan]:
    """What the hub helper adds to a server's start, as a function of the
    spawner: collaboration on or off, and the folders of the user's courses
    (also of the courses the user may manage, ``groups!group=<course>``
    held at spawn, unless the course says ``instructors_get_environment:
    false``).

    Parameters
    ----------
    spec : HubGroupsSpec
    folders : mapping
        Group name → its folder (written by :func:`.files.write_group_folders`,
        or where its ConfigMap is mounted).
    rtc_off : Path
        The folder that turns collaboration off (idem).
    """
    collaborative = spec.settings.collaborative_group
    # Visitors removed from the project are cut off within this time
    # (see jupyterlab_hub_groups.server.revalidate).
    revalidate = contract.spawn_arg(contract.REVALIDATE_SECONDS, spec.settings.revalidate_seconds)
    # Who sees "People here" on a collaboration account's server: its project.
    project_of = {p.account: p.name for p in spec.projects}
    # The server extension names accounts after groups: {group} for {project}.
    account_pattern = spec.settings.server_account_pattern
    # Courses whose environment their instructors get too.
    teaching = {c.name for c in spec.courses if c.instructors_get_environment}
    # Groups that are (shares) or may be (runtime) projects the service keeps.
    shared_projects = set(spec.share_projects)
    not_kept = _not_service_projects(spec) if spec.settings.runtime_projects else None

    def plan(spawner: Any) -> SpawnPlan:
        refuse_named_server(spec, spawner)
        groups = {g.name for g in spawner.user.groups}
        args: list[str] = []
        config_path: list[str] = []
        rtc = collaborative not in groups
        if rtc:
            args += RTC_OFF_ARGS
            # First on the path: the earliest folder wins for labconfig.
            config_path.append(str(rtc_off))
            if spec.keeps_projects:
                # one's own server, which one may share (Share My Server):
                # a visitor whose share was revoked is cut off as a
                # project's leaver is (the owner is never re-checked)
                args.append(revalidate)
                kept = bool(groups & shared_projects) or (
                    not_kept is not None and bool(groups - not_kept)
                )
                args.append(contract.spawn_arg(contract.SERVICE_PROJECTS, str(kept)))
        else:
            args.append(revalidate)
            # a project of the file, or one made at runtime (the service's)
            project = project_of.get(spawner.user.name) or runtime_project(spec, spawner)
            if project:
                args.append(contract.spawn_arg(contract.PRESENCE_GROUPS, project))
        if account_pattern != contract.DEFAULT_ACCOUNT_PATTERN:
            args.append(contract.spawn_arg(contract.COLLABORATION_ACCOUNT, account_pattern))
        with_environment = set(groups)
        if teaching:
            held = held_scopes(spawner)
            if held:
                with_environment |= teaching & contract.managed_groups(held)
        mine = sorted(g for g in with_environment if g in folders)
        return SpawnPlan(
            spawn=spawn_id(spawner),
            args=args,
            jupyter_path=[str(folders[g] / "share" / "jupyter") for g in mine],
            config_path=config_path + [str(folders[g] / "etc" / "jupyter") for g in mine],
            environments=mine,
            rtc_off=rtc,
        )

    return plan


def _not_service_projects(spec: HubGroupsSpec) -> set[str]:
    """With runtime projects, the groups that are no project the service
    keeps: every group the file defines (courses, the collaborative group,
    its projects unless shares keep them) and the group allowed to make
    projects. Any other group may be one made at runtime."""
    groups = set(spec.group_members()) | {c.name for c in spec.courses}
    groups -= set(spec.share_projects)
    runtime = spec.settings.runtime_projects
    if runtime is not None and runtime.allowed:
        groups.add(runtime.allowed)
    return groups


def merged_args(existing: list[str], plan: SpawnPlan) -> list[str]:
    """``existing`` less any argument the hook adds (ours from an earlier
    start, or a profile's own value for one of our settings), then ours."""
    kept = [a for a in existing if a not in RTC_OFF_ARGS and not contract.is_spawn_arg(a)]
    return kept + plan.args


def merged_path(name: str, existing: str | None, ours: list[str], generated: Path) -> str | None:
    """``ours`` first on a path variable, then what was there, less what the
    hook added before (the spawner keeps its environment between starts,
    and groups change)."""
    if existing is not None and not isinstance(existing, str):
        raise SpawnRefused(unmergeable(name, existing))
    kept = [
        p
        for p in (existing or "").split(os.pathsep)
        if p and not Path(p).is_relative_to(generated)
    ]
    return os.pathsep.join(ours + kept) or None


def unmergeable(name: str, value: Any) -> str:
    """Why a path variable's value cannot take our folders, and what to do."""
    kind = "a Kubernetes valueFrom" if isinstance(value, Mapping) else type(value).__name__
    return (
        f"hub-groups: {name} is set to {kind} in the spawner's environment, which the hub "
        f"helper cannot put the course folders in front of. Give {name} as a string or "
        "as a function of the spawner (in singleuser.extraEnv, c.Spawner.environment or "
        "a profile), or leave it unset."
    )


class PathWithCourses:
    """A path variable the deployment gives as a function of the spawner
    (JupyterHub and KubeSpawner call such environment values at each
    start), with the hook's folders put first when it is called.

    Parameters
    ----------
    name : str
        The variable (for the error message).
    ours : list of str
        The hook's folders.
    base : callable
        The deployment's function.
    generated : Path
        The hook's folders of earlier starts are under it.
    """

    def __init__(self, name: str, ours: list[str], base: Callable[[Any], Any], generated: Path):
        self.name = name
        self.ours = ours
        self.base = base
        self.generated = generated

    def __call__(self, spawner: Any) -> str:
        return merged_path(self.name, self.base(spawner), self.ours, self.generated) or ""

    def __repr__(self) -> str:
        return f"<{self.name}: the hub helper's folders, then {self.base!r}>"


def path_variables(plan: SpawnPlan) -> list[tuple[str, list[str]]]:
    """The path variables the plan puts folders on, with its folders."""
    return [("JUPYTER_PATH", plan.jupyter_path), ("JUPYTER_CONFIG_PATH", plan.config_path)]


def apply_to_spawner(plan: SpawnPlan, spawner: Any, generated: Path) -> None:
    """Put ``plan`` into the spawner's ``args`` and ``environment``.

    Raises
    ------
    SpawnRefused
        When a path variable holds something that cannot be merged (a
        Kubernetes ``valueFrom``) and the plan must change it.
    """
    spawner.args = merged_args(list(spawner.args), plan)
    env = dict(spawner.environment)
    for name, ours in path_variables(plan):
        existing = env.get(name)
        if isinstance(existing, PathWithCourses):
            existing = existing.base
        if callable(existing):
            env[name] = PathWithCourses(name, ours, existing, generated)
        elif existing is not None and not isinstance(existing, str) and not ours:
            continue  # nothing to add: a valueFrom stays as it is
        else:
            value = merged_path(name, existing, ours, generated)
            if value:
                env[name] = value
            else:
                env.pop(name, None)
    spawner.environment = env


def make_pre_spawn_hook(
    spec: HubGroupsSpec,
    planner: Callable[[Any], SpawnPlan],
    previous: Callable[[Any], Any] | None = None,
) -> Callable[[Any], Any]:
    """The hook that adapts each server to its user's groups, and remembers
    what it did for this start (the ``modify_pod_hook`` and the start's
    report read it). It refuses a named server of a collaboration account
    (:func:`refuse_named_server`) before anything else runs.

    Parameters
    ----------
    spec : HubGroupsSpec
    planner : callable
        :func:`make_planner`'s function.
    previous : callable, optional
        A hook configured before; it runs first, and is awaited if async.
    """
    generated = spec.settings.generated_dir
    assert generated is not None

    async def pre_spawn_hook(spawner: Any) -> None:
        try:
            # before the deployment's hook: a refused start does nothing
            refuse_named_server(spec, spawner)
            if previous is not None:
                result = previous(spawner)
                if inspect.isawaitable(result):
                    await result
            plan = planner(spawner)
            if not plan.rtc_off:
                spawner.log.info("hub-groups: collaboration on for %s", spawner.user.name)
            apply_to_spawner(plan, spawner, generated)
        except SpawnRefused as e:
            spawner.log.error("%s", e)
            raise
        spawner._hub_groups_plan = plan

    pre_spawn_hook.hub_groups_spec = spec  # type: ignore[attr-defined]
    return pre_spawn_hook
