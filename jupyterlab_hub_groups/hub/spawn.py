"""What the hub helper does at each spawn and each login: the
``pre_spawn_hook``, ``Spawner.server_token_scopes`` and the
``Authenticator.post_auth_hook``.

Why a module of its own: these run inside JupyterHub for every server start
and every login, long after ``configure_hub`` returned, with what the hub
knows then (the user's groups at spawn time). Each composes with a hook or
scopes the deployment had already configured (sync or async).

Imports only the standard library (and JupyterHub's ``orm``, lazily, inside
a running hub).
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
    "make_post_auth_hook",
    "make_pre_spawn_hook",
    "make_server_token_scopes",
]


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
    # (see jupyterlab_hub_groups.server.revalidate).
    revalidate = contract.spawn_arg(contract.REVALIDATE_SECONDS, spec.settings.revalidate_seconds)
    # Who sees "People here" on a collaboration account's server: its project.
    project_of = {p.account: p.name for p in spec.projects}
    # The server extension names accounts after groups: {group} for {project}.
    account_pattern = spec.settings.server_account_pattern

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
