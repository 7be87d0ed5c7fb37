"""The scopes of a server's tokens, resolved at each spawn:
``Spawner.server_token_scopes`` (the server's own token) and
``Spawner.oauth_client_allowed_scopes`` (its visitors' page tokens).

Why a module of its own: these decide what code running on a server, and a
page served by it, may do at the hub. They are worked out per spawn from
what the owner holds then, composed with the deployment's own setting
(a list, or a callable, sync or async), and filtered so that nothing
reaches further than the collaboration cards and the course panel need.

Imports only the standard library (and JupyterHub's ``orm``, lazily,
inside a running hub).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from .. import contract
from .roles import SHARING_SCOPES
from .spawn import held_scopes, is_collaboration_account
from .spawn_report import with_report
from .spec import HubGroupsSpec

#: JupyterHub's own default for a server's token (its ``server`` role).
DEFAULT_SERVER_TOKEN_SCOPES = ["users:activity!user", "access:servers!server"]


def collaboration_card_scopes(spec: HubGroupsSpec, groups: set[str]) -> list[str]:
    """What the collaboration cards need on a server of a member of
    ``groups``: see, start and stop the shared servers of those projects
    (started from the card, not on the hub's spawn page).

    Filtered: JupyterHub narrows a server token's scopes to its owner's, so
    an unfiltered ``delete:servers`` would be hub-wide on an admin's server.

    None with ``project_access: shares``: members then hold no role on the
    account (a share gives ``access:servers`` only), so JupyterHub would
    drop these from every token with a warning. Those projects' cards come
    from the service's ``GET projects``, which starts and stops servers
    with its own ``servers!user=<account>``.
    """
    scopes: list[str] = []
    for p in spec.projects if not spec.share_projects else ():
        if p.name in groups:
            scopes += [
                f"read:servers!user={p.account}",
                f"start:servers!user={p.account}",
                f"delete:servers!user={p.account}",
            ]
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


#: Start and stop this one server (JupyterHub fills in ``!server`` with the
#: server the token is issued for): the page's "Restart my server".
RESTART_SCOPE = "servers!server"


def page_token_scopes(spec: HubGroupsSpec, spawner: Any) -> list[str]:
    """What the OAuth tokens of a server's visitors may hold, beyond using
    the server: on the server of an owner who manages groups, exactly
    ``groups!group=<g>`` for each such group, plus the ``list:users``
    scopes the owner holds (filtered or not), to find the people to add;
    when the service has an API (a course takes requests or is open, or it
    keeps projects with shares), the right to call the ``hub-groups``
    service (:data:`~..contract.SERVICE_ACCESS_SCOPE`), so that the page can
    ask to join a course, answer requests or list one's projects; when it
    keeps projects, :data:`.roles.SHARING_SCOPES` (``shares!user`` is the
    owner's own server only), with which the service shares this server
    for its owner; and
    :data:`RESTART_SCOPE`, so that the page can restart its own server into
    what a group joined since it started brings (a course's kernels and
    services, a project's card: they come with a start).

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
    if is_collaboration_account(spec, spawner):
        return []
    service = [contract.SERVICE_ACCESS_SCOPE] if spec.service_has_api else []
    if spec.keeps_projects:
        service += SHARING_SCOPES
    # restart this server from the page, into what its groups bring now
    service.append(RESTART_SCOPE)
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
