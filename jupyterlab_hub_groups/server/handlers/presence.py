"""``GET presence``: who is using this server; ``POST presence``
``{"current": path | null}``: the document the requester has open, then the
same answer.

Why checked here: the list of who is here is for the server's owner and
the members of ``HubGroupsConfig.presence_groups`` only, decided with a
fresh hub lookup, not merely hidden in the browser.
"""

from __future__ import annotations

import json
import re
import time

import tornado

from ..visitors import may_see_presence, presence_answer
from .base import HubGroupsHandler

#: Longest document path accepted in ``POST presence`` (characters).
MAX_PATH = 1024
#: Largest ``POST presence`` body accepted (bytes).
MAX_PRESENCE_BODY = 4096
# Control characters have no business in a path shown to others.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def parse_current(body: bytes) -> str | None:
    """The ``current`` document of a ``POST presence`` body.

    Parameters
    ----------
    body : bytes
        ``{"current": "<path>"}`` or ``{"current": null}``, nothing else.

    Returns
    -------
    str or None
        The path, or None for "no document" (null or "").

    Raises
    ------
    ValueError
        With a sentence saying what is wrong.
    """
    if len(body) > MAX_PRESENCE_BODY:
        raise ValueError(f"The body is longer than {MAX_PRESENCE_BODY} bytes.")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValueError("The body is not JSON.") from None
    if not isinstance(data, dict) or set(data) != {"current"}:
        raise ValueError('The body must be {"current": <path or null>}, nothing else.')
    current = data["current"]
    if current is None or current == "":
        return None
    if not isinstance(current, str):
        raise ValueError('"current" must be a string or null.')
    if len(current) > MAX_PATH:
        raise ValueError(f'"current" is longer than {MAX_PATH} characters.')
    if _CONTROL.search(current):
        raise ValueError('"current" contains control characters.')
    return current


class PresenceHandler(HubGroupsHandler):
    """``GET presence``: who is using this server; ``POST presence``: the
    document the requester has open, then the same answer.

    Answered to the server's owner and to members of
    ``HubGroupsConfig.presence_groups`` only (checked here, with a fresh
    hub lookup, not just hidden in the browser).
    """

    async def _allowed(self) -> bool:
        """Whether the requester may see who is here; if not, replies."""
        if not self.under_hub:
            return True
        identity = await self.requester()
        if identity is None:
            return False
        if may_see_presence(self.hub_groups_config, identity.name, identity.groups):
            return True
        self.refuse(
            403, "not-a-member", "Only members of this server's groups see who is here."
        )
        return False

    def _who_is_here(self) -> None:
        self.reply(
            200,
            presence_answer(self.hub_groups_config, self.visitors, self.current_user.username),
        )

    @tornado.web.authenticated
    async def get(self) -> None:
        # Reads only: what one has open is said with POST.
        if await self._allowed():
            self._who_is_here()

    @tornado.web.authenticated
    async def post(self) -> None:
        try:
            current = parse_current(self.request.body)
        except ValueError as e:
            self.refuse(400, "bad-request", str(e))
            return
        if not await self._allowed():
            return
        visitor = self.visitors.visitor_for(self)
        if visitor is not None:
            visitor.current = current
            visitor.last_seen = time.time()
        self._who_is_here()
