"""Authoritative mode: make each group's members exactly the file's.

Why: JupyterHub's ``load_groups`` only ever adds members, so a file that
must win over runtime changes needs someone to remove the extra ones. Done
once, when the service starts (that is, at every hub start).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from ..group_changes import NoSuchGroup, change, members
from ..hub_client import HubClient

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
        When the hub refuses, fails, or answers something else than a group
        (the caller tries again later). A name the hub refuses is logged
        and left out; the others are applied (``group_changes.change``).
    """
    for group, names in wanted.items():
        try:
            current = set(await members(client, None, group))
        except NoSuchGroup:
            log.error("group %r is not in the hub: nothing to sync there", group)
            continue
        for method, todo, doing in (
            ("DELETE", sorted(current - set(names)), "removing"),
            ("POST", sorted(set(names) - current), "adding"),
        ):
            if not todo:
                continue
            log.info("%s %r in %r, as the file says", doing, todo, group)
            result = await change(client, None, group, method, todo)
            for e in result.errors:
                log.error("could not sync %r in %r: %s", e["name"], group, e["message"])
