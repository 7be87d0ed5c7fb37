"""People of the hub, as the projects' and shares' API needs them: the
names one may make a member or share with (persons, never a collaboration
account nor a service), and completion of a name's start.

Why a module of its own: both :mod:`.projects` and :mod:`.projects_api`'s
sharing check names the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

from ..hub_client import HubClient, HubError, user_path
from .api_error import ApiError

#: At most this many names in one request.
MAX_MEMBERS = 200


class People:
    """Who is a person of the hub.

    Parameters
    ----------
    client : HubClient
        With the service's token (``read:users``, ``list:users``).
    account_regex : re.Pattern, optional
        Any collaboration account's name.
    collaborative_group : str, optional
        The group every collaboration account is in.
    """

    def __init__(
        self,
        client: HubClient,
        account_regex: re.Pattern | None,
        collaborative_group: str | None,
    ) -> None:
        self.client = client
        self.account_regex = account_regex
        self.collaborative_group = collaborative_group

    async def check(self, names: Iterable[str]) -> list[str]:
        """``names``, each a person of the hub (400 ``unknown-users`` with
        those that are not: missing, or a collaboration account)."""
        names = list(dict.fromkeys(names))
        if len(names) > MAX_MEMBERS:
            raise ApiError(400, "bad-request", f"At most {MAX_MEMBERS} names per request.")
        unknown = []
        for name in names:
            if not name or (self.account_regex and self.account_regex.fullmatch(name)):
                unknown.append(name)
                continue
            response = await self.client.request("GET", user_path(name), expect=(200, 404))
            groups = (response.body or {}).get("groups") or () if response.code == 200 else ()
            if response.code == 404 or self.collaborative_group in groups:
                unknown.append(name)
        if unknown:
            raise ApiError(
                400,
                "unknown-users",
                f"Not people of this hub: {', '.join(map(repr, unknown))}.",
                users=unknown,
            )
        return names

    async def named(self, prefix: str, most: int) -> list[str]:
        """Up to ``most`` people whose name starts with ``prefix`` (the
        hub's ``name_filter`` finds names containing it), never accounts."""
        found: list[str] = []
        offset = 0
        while len(found) < most:
            path = f"users?name_filter={quote(prefix, safe='')}&offset={offset}&limit=200"
            answer = (await self.client.request("GET", path, paginated=True)).body
            items = answer.get("items") if isinstance(answer, dict) else None
            if not isinstance(items, list):
                raise HubError(502, "hub-bad-response", "JupyterHub's users were not understood.")
            for user in items:
                name = user.get("name")
                if (
                    isinstance(name, str)
                    and name.startswith(prefix)
                    and not (self.account_regex and self.account_regex.fullmatch(name))
                    and self.collaborative_group not in (user.get("groups") or ())
                ):
                    found.append(name)
            if not items or not (answer.get("_pagination") or {}).get("next"):
                break
            offset += len(items)
        return sorted(found)[:most]

