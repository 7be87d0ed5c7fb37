"""The server extension: our handlers under ``{base_url}hub-groups/api/``,
the visitor log, and the access re-checks of shared servers.

- ``GET me[?max_age=<seconds>|?refresh=1]``: name, display name and hub
  groups of the requester (:mod:`.handlers.me`), with the groups the owner
  joined since this server started (:mod:`.start`).
- ``GET presence``, ``POST presence``: who is using this server, for its
  owner and members only (:mod:`.handlers.presence`).
- ``GET collaborations``, ``POST collaborations/<account>/stop``: the
  requester's projects' shared servers (:mod:`.handlers.collaborations`).
- ``GET manage``, ``GET manage/<group>[/users]``, ``POST
  manage/<group>/preview|add|remove``: the members of the groups the
  requester may manage (:mod:`.handlers.manage`, :mod:`.membership`).

Everything here needs Jupyter Server; the hub side (:mod:`jupyterlab_hub_groups.hub`,
:mod:`jupyterlab_hub_groups.service`) never imports it.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.utils import url_path_join

from ..hub_client import HubClient
from .config import HubGroupsConfig
from .handlers.base import API_NAMESPACE
from .handlers.collaborations import CollaborationActionHandler, CollaborationsHandler
from .handlers.manage import (
    ManageHandler,
    ManagedActionHandler,
    ManagedGroupHandler,
    ManagedUsersHandler,
)
from .handlers.me import MeHandler
from .handlers.presence import PresenceHandler
from .identity import HubIdentityLookup
from .membership import UserDirectory
from .start import OwnerAtStart
from .visitors import VisitorLog

__all__ = ["setup"]


def make_client(config: HubGroupsConfig, identity_provider: Any) -> HubClient | None:
    """The hub client of this server.

    Parameters
    ----------
    config : HubGroupsConfig
    identity_provider
        The server's identity provider; under JupyterHub it has ``hub_auth``.

    Returns
    -------
    HubClient or None
        None outside JupyterHub.
    """
    hub_auth = getattr(identity_provider, "hub_auth", None)
    if hub_auth is None:
        return None
    return HubClient.for_hub_auth(hub_auth, timeout=config.hub_timeout)


def setup(server_app: Any) -> None:
    """Register our handlers on the server's tornado application, and start
    the access re-checks where they are on.

    Parameters
    ----------
    server_app : jupyter_server.serverapp.ServerApp
    """
    web_app = server_app.web_app
    base_url = web_app.settings["base_url"]
    config = HubGroupsConfig(parent=server_app)
    identity_provider = web_app.settings.get("identity_provider")
    client = make_client(config, identity_provider)
    lookup = (
        HubIdentityLookup(client, cache_seconds=config.cache_seconds) if client else None
    )
    hub_auth = getattr(identity_provider, "hub_auth", None)
    # Remember visitors as long as HubAuth may trust them (so the re-checks
    # see them all), and as long as presence may list them.
    keep = max(
        getattr(hub_auth, "cache_max_age", 300) or 300,
        config.presence_timeout,
        config.revalidate_seconds,
    )
    visitors = VisitorLog(identity_provider, keep_seconds=keep).install()
    web_app.settings.update(
        hub_groups_config=config,
        hub_groups_client=client,
        hub_groups_lookup=lookup,
        hub_groups_visitors=visitors,
    )
    if client is not None and config.revalidate_seconds:
        # Only under JupyterHub, which it needs (jupyterhub is not a
        # dependency: plain `jupyter lab` must load without it).
        from .revalidate import AccessRevalidator

        revalidator = AccessRevalidator(
            visitors, config.revalidate_seconds, server_app.log, client=client
        )
        revalidator.start()
        web_app.settings["hub_groups_revalidator"] = revalidator
        server_app.log.info(
            "hub-groups: re-checking visitors' access every %g s", config.revalidate_seconds
        )
    owner = None
    if client is not None and getattr(hub_auth, "api_token", None):
        # The owner's groups as the server starts: those joined later are
        # named in the groups report (what comes at a start needs a restart).
        owner = OwnerAtStart(client, hub_auth.api_token, server_app.log)
        owner.start()
    web_app.settings["hub_groups_owner"] = owner
    shared = {
        "config": config,
        "owner": owner,
        "lookup": lookup,
        "client": client,
        "visitors": visitors,
        # groups without a collaboration account, remembered across requests
        "not_accounts": {},
        # each manager's user list, for a few seconds (preview, then add)
        "directory": UserDirectory(client) if client else None,
    }
    api = url_path_join(base_url, *API_NAMESPACE)
    handlers = [
        (url_path_join(api, "me"), MeHandler, shared),
        (url_path_join(api, "presence"), PresenceHandler, shared),
        (url_path_join(api, "collaborations"), CollaborationsHandler, shared),
        (
            url_path_join(api, "collaborations", r"([^/]+)", r"([^/]+)"),
            CollaborationActionHandler,
            shared,
        ),
        (url_path_join(api, "manage"), ManageHandler, shared),
        (url_path_join(api, "manage", r"([^/]+)"), ManagedGroupHandler, shared),
        (url_path_join(api, "manage", r"([^/]+)", "users"), ManagedUsersHandler, shared),
        (url_path_join(api, "manage", r"([^/]+)", r"([^/]+)"), ManagedActionHandler, shared),
    ]
    web_app.add_handlers(".*$", handlers)
