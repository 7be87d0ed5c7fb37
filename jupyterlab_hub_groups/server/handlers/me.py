"""``GET me[?refresh=1]``: name, display name and hub groups of the requester.

Why: JupyterLab's identity API (``/api/me``) carries no hub groups; this
answers them for the *requesting* user (on a shared server, the visitor,
not the owner), asking the hub with the token that authenticated the
request. Outside a hub it says so (``source: no-hub``).
"""

from __future__ import annotations

from datetime import datetime, timezone

import tornado

from .base import HubGroupsHandler


class MeHandler(HubGroupsHandler):
    """``GET me[?refresh=1]``: name, display name and hub groups of the requester."""

    @tornado.web.authenticated
    async def get(self) -> None:
        user = self.current_user
        if not self.under_hub:
            # Plain `jupyter lab`: there are no hub groups to report.
            self.reply(
                200,
                {
                    "name": user.username,
                    "display_name": user.display_name,
                    "groups": [],
                    "server_owner": None,
                    "source": "no-hub",
                    "fetched_at": datetime.now(timezone.utc).isoformat(),
                },
            )
            return
        refresh = self.get_argument("refresh", "0") not in ("", "0", "false")
        identity = await self.requester(refresh)
        if identity is None:
            return
        body = identity.to_json()
        body.update(
            display_name=user.display_name or identity.name,
            server_owner=self.hub_groups_config.server_owner or None,
            source="hub",
        )
        self.reply(200, body)
