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
else (see ``jupyterlab_hub_groups.hub.hubconfig._service``).

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
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .hubapi import Call, HubError, log
from .sync import sync_members
from .watch import Watcher

__all__ = ["run"]


async def run(config: Mapping[str, Any], call: Call, stop: asyncio.Event) -> None:
    """Sync once (authoritative mode), then watch until ``stop`` is set."""
    retry = 1.0
    while config.get("sync") and not stop.is_set():
        try:
            await sync_members(call, config["sync"])
            log.info("members are as the file says")
            break
        except (HubError, OSError, KeyError) as e:
            log.error("could not sync the members (again in %g s): %s", retry, e)
            await _wait(stop, retry)
            retry = min(retry * 2, 60)
    if not config.get("projects"):
        await stop.wait()  # a managed service that exits is restarted by the hub
        return
    watcher = Watcher(
        call, config["projects"], config["on_member_removed"], Path(config["snapshot"])
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
