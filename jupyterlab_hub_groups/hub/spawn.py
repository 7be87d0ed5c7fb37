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
from pathlib import Path
from typing import Any

from .. import contract
from ..contract import RTC_OFF_ARGS
from .spec import HubGroupsSpec

__all__ = [
    "RTC_OFF_ARGS",
    "collaboration_card_scopes",
    "held_scopes",
    "make_oauth_client_allowed_scopes",
    "make_post_auth_hook",
    "make_pre_spawn_hook",
    "make_server_token_scopes",
    "page_token_scopes",
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
    """The hook that adapts each server to its user's groups: real-time
    collaboration on or off, and the folders of the user's courses on its
    paths; also of the courses the user may manage (``groups!group=<course>``
    held at spawn), unless the course says ``instructors_get_environment:
    false``.

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
    # (see jupyterlab_hub_groups.server.revalidate).
    revalidate = contract.spawn_arg(contract.REVALIDATE_SECONDS, spec.settings.revalidate_seconds)
    # Who sees "People here" on a collaboration account's server: its project.
    project_of = {p.account: p.name for p in spec.projects}
    # The server extension names accounts after groups: {group} for {project}.
    account_pattern = spec.settings.server_account_pattern
    # Courses whose environment their instructors get too.
    teaching = {c.name for c in spec.courses if c.instructors_get_environment}

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
            if a not in RTC_OFF_ARGS and not contract.is_spawn_arg(a)
        ]
        config_path: list[str] = []
        if collaborative in groups:
            spawner.log.info("hub-groups: collaboration on for %s", spawner.user.name)
            args.append(revalidate)
            if spawner.user.name in project_of:
                project = project_of[spawner.user.name]
                args.append(contract.spawn_arg(contract.PRESENCE_GROUPS, project))
        else:
            args += RTC_OFF_ARGS
            # First on the path: the earliest folder wins for labconfig.
            config_path.append(str(rtc_off))
        if account_pattern != contract.DEFAULT_ACCOUNT_PATTERN:
            args.append(contract.spawn_arg(contract.COLLABORATION_ACCOUNT, account_pattern))
        spawner.args = args

        # Instructors (whoever may manage a course group) get its
        # environment too, unless the course says otherwise.
        with_environment = set(groups)
        if teaching:
            held = held_scopes(spawner)
            if held:
                managed = contract.managed_groups(held)
                with_environment |= teaching & managed
        mine = [folders[g] for g in sorted(with_environment) if g in folders]
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
