"""Authoritative mode: make each group's members exactly the file's.

Why: JupyterHub's ``load_groups`` only ever adds members, so a file that
must win over runtime changes needs someone to remove the extra ones. Done
once, when the service starts (that is, at every hub start).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from urllib.parse import quote

from ..hub_client import HubClient, HubError

log = logging.getLogger("hub-groups")


async def sync_members(client: HubClient, wanted: Mapping[str, list[str]]) -> None:
    """Make each group's members exactly ``wanted``.

    Parameters
    ----------
    client : HubClient
        With the service's token (``groups!group=<g>`` for every group of the
        file).
    wanted : mapping
        Group → its members in the file.

    Raises
    ------
    HubError
        When the hub refuses, fails, or answers something else than a group.
    """
    for group, members in wanted.items():
        path = f"groups/{quote(group, safe='')}"
        model = (await client.request("GET", path)).body
        if not isinstance(model, dict) or not isinstance(model.get("users"), list):
            raise HubError(
                502, "hub-bad-response", "JupyterHub's group model was not understood.", path
            )
        current = set(model["users"])
        extra = sorted(current - set(members))
        missing = sorted(set(members) - current)
        if extra:
            log.info("removing %s from %s, as the file says", extra, group)
            await client.request("DELETE", f"{path}/users", body={"users": extra})
        if missing:
            log.info("adding %s to %s, as the file says", missing, group)
            await client.request("POST", f"{path}/users", body={"users": missing})
