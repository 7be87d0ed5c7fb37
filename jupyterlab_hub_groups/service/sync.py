"""Authoritative mode: make each group's members exactly the file's.

Why: JupyterHub's ``load_groups`` only ever adds members, so a file that
must win over runtime changes needs someone to remove the extra ones. Done
once, when the service starts (that is, at every hub start).
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

from .hubapi import Call, HubError, _expect, log


async def sync_members(call: Call, wanted: Mapping[str, list[str]]) -> None:
    """Make each group's members exactly ``wanted``."""
    for group, members in wanted.items():
        path = f"groups/{quote(group, safe='')}"
        code, model = await call("GET", path, None)
        if code != 200:
            raise HubError(f"GET {path}: {code}")
        current = set(model["users"])
        extra = sorted(current - set(members))
        missing = sorted(set(members) - current)
        if extra:
            log.info("removing %s from %s, as the file says", extra, group)
            await _expect(call, "DELETE", f"{path}/users", {"users": extra}, (200,))
        if missing:
            log.info("adding %s to %s, as the file says", missing, group)
            await _expect(call, "POST", f"{path}/users", {"users": missing}, (200,))
