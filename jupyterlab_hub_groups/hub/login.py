"""What the hub helper does at each login: the ``Authenticator.post_auth_hook``
that refuses a login named like a collaboration account.

Why a module of its own: it runs for every login, inside JupyterHub, and
composes with a hook the deployment had already configured (sync or async).

Imports only the standard library.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

from .spec import HubGroupsSpec


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
