"""The hub side's managed service ``hub-groups``: keeps groups as the YAML
file says, and ends what a removed project member could keep using.

Why a service: a project's members can run code on the project's shared
server and so read that server's own ``$JUPYTERHUB_API_TOKEN`` (it opens
the server: ``access:servers!server``). Removing someone from the project
group does not end that token, nor the processes they left running there.
Stopping the server does: JupyterHub deletes a server's API token and its
OAuth client (and with it every visitor's OAuth token) when it stops.
Nothing in JupyterHub reacts to a membership change, so this service
watches the project groups and restarts (or stops) the shared server of a
project that lost a member. It runs with a token of its own that may read
the file's project groups and start and stop their shared servers, nothing
else (see ``jupyterlab_hub_groups.hub.hubconfig.make_service``).

It also does the one-off job of authoritative mode: at start, each group's
members are made exactly the file's (``load_groups`` only adds); a member
removed that way counts as a removal too.

Run by JupyterHub (``c.JupyterHub.services``) as::

    python -m jupyterlab_hub_groups.service STATE_DIR/service.json

with ``JUPYTERHUB_API_URL`` and ``JUPYTERHUB_API_TOKEN`` in its environment.
What it last saw is kept in ``STATE_DIR/watch.json`` (0600), so a removal
made while it was not running (hub restart, authoritative sync) is still
acted on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..hub_client import HubClient, HubError
from .sync import sync_members
from .watch import Watcher

__all__ = ["log", "run"]

#: The service's log (its lines appear in the hub's log as ``hub-groups``).
log = logging.getLogger("hub-groups")


async def run(config: Mapping[str, Any], client: HubClient, stop: asyncio.Event) -> None:
    """The service's jobs: sync once (authoritative mode), then watch the
    project groups until ``stop`` is set.

    Parameters
    ----------
    config : mapping
        ``service.json`` as the hub helper wrote it: ``sync`` (group → members,
        or None), ``projects`` (group → account), ``on_member_removed``,
        ``interval`` and ``snapshot``.
    client : HubClient
        The hub client, with the service's own token.
    stop : asyncio.Event
        Set to end the watch (SIGTERM).
    """
    retry = 1.0
    while config.get("sync") and not stop.is_set():
        try:
            await sync_members(client, config["sync"])
            log.info("members are as the file says")
            break
        except HubError as e:
            log.error("could not sync the members (again in %g s): %s", retry, e)
            await _wait(stop, retry)
            retry = min(retry * 2, 60)
    if not config.get("projects"):
        await stop.wait()  # a managed service that exits is restarted by the hub
        return
    watcher = Watcher(
        client, config["projects"], config["on_member_removed"], Path(config["snapshot"])
    )
    while not stop.is_set():
        try:
            await watcher.check()
        except Exception:  # one bad round must not end the watch
            log.exception("watching the project groups failed; trying again")
        await _wait(stop, config["interval"])


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except asyncio.TimeoutError:
        pass
