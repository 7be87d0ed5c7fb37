"""Cut off visitors whose access to this server was taken away at the hub.

Why this exists: a single-user server trusts a visitor's hub identity for
``HubOAuth.cache_max_age`` (300 s), and an open websocket (a collaboration
room, a kernel) is never checked again at all. So removing someone from a
project group at the hub does not stop them from editing, or running code
as the collaboration account, in a session they already have open.

With ``c.HubGroupsConfig.revalidate_seconds > 0`` (the hub helper sets it on
collaboration accounts' servers), every ``revalidate_seconds`` the server
extension asks the hub afresh (``use_cache=False``) whether each recent
visitor (see :mod:`.visitors`) still has access to this server. For one who
does not: their open websockets are closed and their cached identity is
dropped, so their next request is refused (403).

Costs one hub request per recent visitor per interval; visitors unseen for
longer than the hub identity cache and with no open websocket are forgotten.
"""

from __future__ import annotations

import time
from typing import Any

from tornado.ioloop import PeriodicCallback

from .visitors import Visitor, VisitorLog

#: Close code for a websocket whose user lost access (4000-4999: private use).
CLOSE_REVOKED = 4403


class AccessRevalidator:
    """Re-checks recent visitors' access with the hub, and cuts off the ones
    who lost it.

    Parameters
    ----------
    visitors : VisitorLog
        The server's visitor log (installed).
    interval : float
        Seconds between checks.
    log
        A logger.
    """

    def __init__(self, visitors: VisitorLog, interval: float, log: Any):
        self.visitors = visitors
        self.hub_auth = visitors.hub_auth
        self.interval = interval
        self.log = log
        self._callback: PeriodicCallback | None = None
        self._running = False

    def start(self) -> None:
        """Check every ``interval`` seconds from now on."""
        self._callback = PeriodicCallback(self.revalidate, self.interval * 1000)
        self._callback.start()

    def stop(self) -> None:
        if self._callback is not None:
            self._callback.stop()

    async def revalidate(self) -> None:
        """Check every recent visitor once."""
        if self._running:
            return
        self._running = True
        try:
            self.visitors.forget(time.time() - max(self.hub_auth.cache_max_age, self.interval))
            for key, visitor in list(self.visitors.visitors.items()):
                if not visitor.token:
                    continue
                try:
                    model = await self.hub_auth.user_for_token(
                        visitor.token, use_cache=False, sync=False
                    )
                except Exception as e:
                    # The hub is down or slow: nobody is cut off for that.
                    self.log.warning("hub-groups: could not re-check visitors: %s", e)
                    return
                if model and self.hub_auth.check_scopes(self.hub_auth.access_scopes, model):
                    continue
                self.revoke(key, visitor)
        finally:
            self._running = False

    def revoke(self, key: str, visitor: Visitor) -> None:
        sockets = visitor.open_sockets()
        self.log.warning(
            "hub-groups: %s no longer has access to this server; closing %d connection(s)",
            visitor.name,
            len(sockets),
        )
        for socket in sockets:
            socket.close(CLOSE_REVOKED, "Your access to this server was removed.")
        # HubAuth keys its cache by session and token digest: drop every entry
        # of this token, so that the next request asks the hub (and gets 403).
        cache = self.hub_auth.cache
        # (_ExpiringDict keeps its entries in `.values`, not in the dict itself)
        store = cache.values if isinstance(getattr(cache, "values", None), dict) else cache
        for cache_key in [k for k in list(store) if str(k).endswith(key)]:
            cache.pop(cache_key, None)
        self.visitors.visitors.pop(key, None)
