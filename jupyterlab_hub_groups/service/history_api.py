"""The history's HTTP API (:mod:`.history`), routed by :func:`.api.routes`:

- ``GET courses/<g>/history?limit=``: the group's events, newest first.
- ``POST courses/<g>/history`` ``{"kind": "added"|"removed", "users": [...]}``:
  the Course members panel's report of a change it made.

Both for whoever's token may manage the group now (``groups!group=<g>``
or ``admin:groups!group=<g>``, read afresh from the hub), any group, not
only the courses that take requests: the panel manages every group the
hub lets one manage. Students, another group's managers, collaboration
accounts and services are refused (403), as everywhere in the API.
"""

from __future__ import annotations

import json

from tornado import web

from .. import contract
from .api import _Handler
from .api_error import ApiError
from .bodies import parse_users
from .history import History, parse_kind, parse_limit


class HistoryHandler(_Handler):
    """``GET`` and ``POST courses/<g>/history``."""

    async def _manages(self, group: str) -> None:
        model = await self.fresh()
        if group not in contract.managed_groups(model.get("scopes") or ()):
            raise ApiError(
                403,
                "not-a-manager",
                f"{self.caller} may not read the history of {group} (with this token).",
            )

    @web.authenticated
    async def get(self, group: str) -> None:
        limit = parse_limit(self.get_argument("limit", None))
        await self._manages(group)
        self.reply(200, await History(self.enrolment).events(group, limit))

    @web.authenticated
    async def post(self, group: str) -> None:
        users = parse_users(self.request.body)
        kind = parse_kind(json.loads(self.request.body))
        await self._manages(group)
        token = self.hub_auth.get_token(self, in_cookie=False)
        if not token:
            raise ApiError(
                403, "token-required", "A report needs the page's token in its header."
            )
        result = await History(self.enrolment).report(group, kind, users, self.caller, token)
        self.reply(200, result)
