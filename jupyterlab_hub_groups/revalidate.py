"""Cut off visitors whose access to this server was taken away at the hub.

Why this exists: a single-user server trusts a visitor's hub identity for
``HubOAuth.cache_max_age`` (300 s), and an open websocket (a collaboration
room, a kernel) is never checked again at all. So removing someone from a
project group at the hub does not stop them from editing, or running code
as the collaboration account, in a session they already have open.

With ``c.HubGroupsConfig.revalidate_seconds > 0`` (the hub helper sets it on
collaboration accounts' servers), the server extension notes the token of
each visitor it sees, and every ``revalidate_seconds`` asks the hub afresh
(``use_cache=False``) whether each recent visitor still has access to this
server. For one who does not: their open websockets are closed and their
cached identity is dropped, so their next request is refused (403).

Costs one hub request per recent visitor per interval; visitors unseen for
longer than the hub identity cache and with no open websocket are forgotten.
Tokens are kept in memory only, never logged.
"""

from __future__ import annotations

import hashlib
import inspect
import time
import weakref
from dataclasses import dataclass, field
from typing import Any

from tornado.ioloop import PeriodicCallback
from tornado.websocket import WebSocketHandler

#: Close code for a websocket whose user lost access (4000-4999: private use).
CLOSE_REVOKED = 4403


@dataclass
class Visitor:
    """A recent visitor of this server, by token."""

    token: str
    name: str
    last_seen: float
    sockets: weakref.WeakSet = field(default_factory=weakref.WeakSet)


class AccessRevalidator:
    """Re-checks recent visitors' access with the hub, and cuts off the ones
    who lost it.

    Parameters
    ----------
    identity_provider
        The server's JupyterHub identity provider (it has ``hub_auth``).
    interval : float
        Seconds between checks.
    log
        A logger.
    """

    def __init__(self, identity_provider: Any, interval: float, log: Any):
        self.identity_provider = identity_provider
        self.hub_auth = identity_provider.hub_auth
        self.interval = interval
        self.log = log
        self.visitors: dict[str, Visitor] = {}
        self._callback: PeriodicCallback | None = None
        self._running = False

    def install(self) -> None:
        """Start noting visitors and checking them every ``interval``."""
        original = self.identity_provider.get_user

        async def get_user(handler):
            user = original(handler)
            if inspect.isawaitable(user):
                user = await user
            if user is not None:
                self.note(handler, user)
            return user

        # Every request and websocket handshake is identified here: the one
        # place that sees them all, whichever extension serves them.
        self.identity_provider.get_user = get_user
        self._callback = PeriodicCallback(self.revalidate, self.interval * 1000)
        self._callback.start()

    def stop(self) -> None:
        if self._callback is not None:
            self._callback.stop()

    def note(self, handler: Any, user: Any) -> None:
        token = self.hub_auth.get_token(handler)
        if not token:
            return
        key = hashlib.sha256(token.encode("utf8", "replace")).hexdigest()
        visitor = self.visitors.get(key)
        if visitor is None:
            visitor = self.visitors[key] = Visitor(token, user.username, time.monotonic())
        visitor.last_seen = time.monotonic()
        if isinstance(handler, WebSocketHandler):
            visitor.sockets.add(handler)

    async def revalidate(self) -> None:
        """Check every recent visitor once."""
        if self._running:
            return
        self._running = True
        try:
            forget_before = time.monotonic() - max(self.hub_auth.cache_max_age, self.interval)
            for key, visitor in list(self.visitors.items()):
                if visitor.last_seen < forget_before and not len(visitor.sockets):
                    del self.visitors[key]
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
        sockets = list(visitor.sockets)
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
        del self.visitors[key]
