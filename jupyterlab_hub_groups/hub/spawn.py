"""What the hub helper does at each spawn and each login: the
``pre_spawn_hook``, ``Spawner.server_token_scopes``,
``Spawner.oauth_client_allowed_scopes`` and the
``Authenticator.post_auth_hook``.

Why a module of its own: these run inside JupyterHub for every server start
and every login, long after ``configure_hub`` returned, with what the hub
knows then (the user's groups and roles at spawn time). Each composes with a
hook or scopes the deployment had already configured (sync or async).

Instructors are recognised by what they hold, not by the YAML file's list:
whoever holds ``groups!group=<course>`` in their roles (or their groups'
roles) at spawn, from the file's instructor role or a hand-made one, gets
the course's environment and a page token able to manage the course.

Imports only the standard library (and JupyterHub's ``orm`` and ``roles``,
lazily, inside a running hub).
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
    "SpawnReport",
    "apply_to_spawner",
    "current_plan",
    "make_planner",
    "collaboration_card_scopes",
    "held_scopes",
    "make_oauth_client_allowed_scopes",
    "make_post_auth_hook",
    "make_pre_spawn_hook",
    "make_server_token_scopes",
    "page_token_scopes",
    "refuse_named_server",
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


def _is_collaboration_account(spec: HubGroupsSpec, spawner: Any) -> bool:
    """A shared server: other people run code there."""
    name = spawner.user.name
    return (
        name in spec.collaboration_accounts
        or bool(spec.settings.account_regex.fullmatch(name))
        or spec.settings.collaborative_group in {g.name for g in spawner.user.groups}
    )


class SpawnRefused(RuntimeError):
    """The server cannot start as the hub helper must set it up; the message
    says why and what to change (JupyterHub shows it on the spawn page)."""


def refuse_named_server(spec: HubGroupsSpec, spawner: Any) -> None:
    """Refuse a named server of a collaboration account
    (``/user/vox-collab/<name>/``, with ``c.JupyterHub.allow_named_servers``).

    Why: a project's members may start the account's servers
    (``admin:servers!user=<account>``), named ones included, and read the
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
    if server and _is_collaboration_account(spec, spawner):
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
        else:
            args.append(revalidate)
            if spawner.user.name in project_of:
                project = project_of[spawner.user.name]
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


# --- What went wrong with a start: the hub's log and the server's report -------------

#: The ``pre_spawn_hook`` in force is not ours and did not call ours.
HOOK_REPLACED = (
    "The hub-groups pre_spawn_hook did not run for this server: a pre_spawn_hook set "
    "after configure_hub replaced it. Collaboration was not turned off here and no "
    "course kernels or services were added. Call configure_hub last in the hub's "
    "config (in Zero to JupyterHub, give its hub.extraConfig key a name that sorts "
    "last), or call the hook it set from yours."
)
#: On Kubernetes, when our ``modify_pod_hook`` made up for it.
HOOK_REPLACED_REPAIRED = (
    "The hub-groups pre_spawn_hook did not run for this server (a pre_spawn_hook set "
    "after configure_hub replaced it); its changes were applied by the hub-groups "
    "modify_pod_hook instead. Call configure_hub last in the hub's config (in Zero to "
    "JupyterHub, give its hub.extraConfig key a name that sorts last)."
)
#: KubeSpawner's ``modify_pod_hook`` in force is not ours.
POD_HOOK_REPLACED = (
    "The hub-groups modify_pod_hook is not the one in force (a modify_pod_hook set "
    "after configure_hub replaced it): a profile may have undone what hub-groups set, "
    "and with course_environments: configmaps no course environment is mounted. Call "
    "configure_hub last, or "
    "call the hook it set from yours (with functools.wraps)."
)


def is_ours(hook: Any) -> bool:
    """Whether ``hook`` is one of the hub helper's, or wraps one
    (``functools.wraps`` sets ``__wrapped__``)."""
    seen = 0
    while hook is not None and seen < 20:
        if getattr(hook, "hub_groups_spec", None) is not None:
            return True
        hook, seen = getattr(hook, "__wrapped__", None), seen + 1
    return False


def is_kubespawner(spawner: Any) -> bool:
    """KubeSpawner (or a subclass): the one spawner with ``modify_pod_hook``."""
    return hasattr(spawner, "modify_pod_hook") and hasattr(spawner, "get_pod_manifest")


class SpawnReport:
    """The value of :data:`~..contract.SPAWN_PROBLEMS_ENV` in every server's
    environment: JupyterHub calls it with the spawner when the server
    starts, after the hooks. It says what went wrong with this start (a
    hook of ours replaced later in the config), logs it as an error in the
    hub's log, and the server's groups report shows it.

    On Kubernetes, the ``modify_pod_hook`` writes the variable again after
    it (it runs last and knows best).

    Parameters
    ----------
    spec : HubGroupsSpec
    """

    def __init__(self, spec: HubGroupsSpec):
        self.hub_groups_spec = spec

    def __call__(self, spawner: Any) -> str:
        plan = current_plan(spawner)
        problems = []
        kube = is_kubespawner(spawner)
        if plan is None and not (kube and is_ours(spawner.modify_pod_hook)):
            problems.append(HOOK_REPLACED)
        if kube and not is_ours(spawner.modify_pod_hook):
            problems.append(POD_HOOK_REPLACED)
        for problem in problems:
            spawner.log.error("hub-groups: %s: %s", spawner.user.name, problem)
        return contract.spawn_problems_value(problems)

    def __repr__(self) -> str:
        return "<the hub helper's report of this start>"


def every_server_environment(spec: HubGroupsSpec) -> dict[str, Any]:
    """What the hub helper puts in every server's environment: the start's
    report (:class:`SpawnReport`) and the courses taking new members
    (:data:`~..contract.OPEN_COURSES_ENV`, for the page's Join cards)."""
    return {
        contract.SPAWN_PROBLEMS_ENV: SpawnReport(spec),
        contract.OPEN_COURSES_ENV: contract.open_courses_value(
            contract.OpenCourse(course.name, course.enrolment)
            for course in spec.enrolment_courses
        ),
    }


def with_report(spec: HubGroupsSpec, spawner: Any) -> None:
    """Make sure this start's environment carries :class:`SpawnReport` (and
    the rest of :func:`every_server_environment`).

    ``configure_hub`` puts them in every ``environment`` the config has, but
    a config that sets ``c.Spawner.environment`` after it would drop them;
    the per-spawn scopes, which JupyterHub resolves at every start before
    any hook, put them back.
    """
    if not isinstance(spawner.environment.get(contract.SPAWN_PROBLEMS_ENV), SpawnReport):
        spawner.environment = {**spawner.environment, **every_server_environment(spec)}


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
        with_report(spec, spawner)
        base = existing(spawner) if callable(existing) else existing
        if inspect.isawaitable(base):
            base = await base
        if not base:
            base = _server_role_scopes(spawner)
        groups = {g.name for g in spawner.user.groups}
        return _union(list(base), collaboration_card_scopes(spec, groups))

    server_token_scopes.hub_groups_spec = spec  # type: ignore[attr-defined]
    return server_token_scopes


# --- The page's token (the OAuth client of each server) ------------------------------


def page_token_scopes(spec: HubGroupsSpec, spawner: Any) -> list[str]:
    """What the OAuth tokens of a server's visitors may hold, beyond using
    the server: on the server of an owner who manages groups, exactly
    ``groups!group=<g>`` for each such group, plus the ``list:users``
    scopes the owner holds (filtered or not), to find the people to add;
    and, when a course takes requests or is open, the right to call the
    ``hub-groups`` service (:data:`~..contract.SERVICE_ACCESS_SCOPE`), so
    that the page can ask to join a course or answer requests.

    Only on a person's own server: never on a collaboration account's
    (everyone there runs code as the account and can read what the page
    holds). Unfiltered ``groups`` / ``admin:groups`` (admins) give nothing:
    they name no group, and admins have the hub's admin page.

    JupyterHub issues each visitor only the part of these that the visitor
    holds, and asks no confirmation on one's own server.

    Parameters
    ----------
    spec : HubGroupsSpec
    spawner : jupyterhub.spawner.Spawner

    Returns
    -------
    list of str
        Sorted; empty for everyone else.
    """
    if _is_collaboration_account(spec, spawner):
        return []
    service = [contract.SERVICE_ACCESS_SCOPE] if spec.enrolment_courses else []
    held = held_scopes(spawner)
    if not held:
        return service
    managed = contract.managed_groups(held)
    if not managed:
        return service
    listing = sorted(s for s in held if s == "list:users" or s.startswith("list:users!"))
    return [contract.manage_scope(g) for g in sorted(managed)] + listing + service


def make_oauth_client_allowed_scopes(spec: HubGroupsSpec, existing: Any = None) -> Callable:
    """``Spawner.oauth_client_allowed_scopes``, resolved at each spawn: what
    was configured (a list, or a callable, sync or async), plus
    :func:`page_token_scopes` for the owner at that time.

    Parameters
    ----------
    spec : HubGroupsSpec
    existing : list or callable, optional
        The deployment's own setting.

    Returns
    -------
    callable
        Called by JupyterHub with the spawner, and awaited.
    """

    async def oauth_client_allowed_scopes(spawner: Any) -> list[str]:
        with_report(spec, spawner)
        base = existing(spawner) if callable(existing) else existing
        if inspect.isawaitable(base):
            base = await base
        return _union(list(base or []), page_token_scopes(spec, spawner))

    setting = PerSpawnScopes(oauth_client_allowed_scopes)
    setting.hub_groups_spec = spec
    return setting


class PerSpawnScopes(list):
    """A callable setting that JupyterHub 6.1.1 can also write as JSON.

    JupyterHub calls ``Spawner.oauth_client_allowed_scopes`` with the
    spawner when it makes the server's OAuth client (a callable is
    documented), but ``Spawner.get_env`` also writes the setting as it is
    into ``$JUPYTERHUB_OAUTH_CLIENT_ALLOWED_SCOPES`` with ``json.dumps``,
    which fails on a function: the spawn fails with "Object of type function
    is not JSON serializable". An empty list that can be called writes
    ``[]`` there. Nothing reads that variable (it is informational; the OAuth
    client holds the scopes), and the one object serves every user's spawn:
    it must not carry one user's scopes into another's environment.

    Parameters
    ----------
    resolve : callable
        Called with the spawner; returns the scopes (or an awaitable of them).
    """

    def __init__(self, resolve: Callable[[Any], Any]):
        super().__init__()
        self._resolve = resolve

    def __call__(self, spawner: Any) -> Any:
        return self._resolve(spawner)

    def __bool__(self) -> bool:
        # JupyterHub calls the setting only when it is truthy
        return True

    def __repr__(self) -> str:
        return f"<per-spawn scopes of the hub helper ({self._resolve.__qualname__})>"


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
