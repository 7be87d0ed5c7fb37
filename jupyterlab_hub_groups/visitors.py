"""Who has been using this server recently, by hub identity.

Every request and websocket handshake a Jupyter server serves is identified
by its identity provider's ``get_user``, whichever extension handles it. The
log wraps that one method (once) and notes each visitor: name, display name,
last request, open websockets, and the document they last said they have
open. Two things read it: the presence endpoint ("People here") and the
access re-checks of collaboration servers (:mod:`.revalidate`).

Tokens are kept in memory only (the re-checks need them), never logged or
sent anywhere but to the hub.
"""

from __future__ import annotations

import hashlib
import inspect
import time
import weakref
from dataclasses import dataclass, field
from typing import Any

from tornado.websocket import WebSocketHandler


def token_key(token: str) -> str:
    """The digest a visitor is filed under (HubAuth keys its cache the same way)."""
    return hashlib.sha256(token.encode("utf8", "replace")).hexdigest()


@dataclass
class Visitor:
    """One browser session (one token) of one person."""

    token: str
    name: str
    display_name: str
    last_seen: float
    current: str | None = None
    sockets: weakref.WeakSet = field(default_factory=weakref.WeakSet)

    def open_sockets(self) -> list[WebSocketHandler]:
        # A closed tornado websocket has no connection left.
        return [s for s in list(self.sockets) if getattr(s, "ws_connection", None) is not None]


class VisitorLog:
    """Recent visitors of this server.

    Parameters
    ----------
    identity_provider
        The server's identity provider; under JupyterHub it has ``hub_auth``.
    """

    def __init__(self, identity_provider: Any):
        self.identity_provider = identity_provider
        self.hub_auth = getattr(identity_provider, "hub_auth", None)
        self.visitors: dict[str, Visitor] = {}
        self._installed = False

    def install(self) -> VisitorLog:
        """Start noting visitors. Idempotent."""
        if self._installed:
            return self
        self._installed = True
        original = self.identity_provider.get_user

        async def get_user(handler):
            user = original(handler)
            if inspect.isawaitable(user):
                user = await user
            if user is not None:
                self.note(handler, user)
            return user

        self.identity_provider.get_user = get_user
        return self

    def note(self, handler: Any, user: Any) -> Visitor | None:
        """Record that ``user`` made the request ``handler`` serves."""
        token = self.hub_auth.get_token(handler) if self.hub_auth is not None else None
        key = token_key(token) if token else f"user:{user.username}"
        visitor = self.visitors.get(key)
        if visitor is None:
            visitor = self.visitors[key] = Visitor(
                token or "", user.username, user.display_name or user.username, time.time()
            )
        visitor.last_seen = time.time()
        visitor.display_name = user.display_name or user.username
        if isinstance(handler, WebSocketHandler):
            visitor.sockets.add(handler)
        return visitor

    def visitor_for(self, handler: Any) -> Visitor | None:
        """The visitor record of the request ``handler`` serves."""
        token = self.hub_auth.get_token(handler) if self.hub_auth is not None else None
        user = handler.current_user
        key = token_key(token) if token else f"user:{user.username}"
        return self.visitors.get(key)

    def forget(self, older_than: float) -> None:
        """Drop visitors unseen since ``older_than`` (epoch seconds) and with
        no open websocket."""
        for key, visitor in list(self.visitors.items()):
            if visitor.last_seen < older_than and not visitor.open_sockets():
                del self.visitors[key]

    def people(self, timeout: float) -> list[dict[str, Any]]:
        """Everyone present: seen within ``timeout`` seconds or with an open
        websocket; one entry per person, however many tabs or browsers."""
        now = time.time()
        people: dict[str, dict[str, Any]] = {}
        for visitor in list(self.visitors.values()):
            sockets = len(visitor.open_sockets())
            if not sockets and now - visitor.last_seen > timeout:
                continue
            person = people.get(visitor.name)
            if person is None or visitor.last_seen > person["_last_seen"]:
                merged_sockets = sockets + (person["connections"] if person else 0)
                people[visitor.name] = {
                    "name": visitor.name,
                    "display_name": visitor.display_name,
                    "current": visitor.current or (person["current"] if person else None),
                    "_last_seen": visitor.last_seen,
                    "connections": merged_sockets,
                }
            else:
                person["connections"] += sockets
                person["current"] = person["current"] or visitor.current
        result = []
        for person in sorted(people.values(), key=lambda p: p["name"]):
            last_seen = person.pop("_last_seen")
            person["last_seen"] = _iso(last_seen)
            result.append(person)
        return result


def _iso(epoch: float) -> str:
    from datetime import datetime, timezone

    return datetime.fromtimestamp(epoch, timezone.utc).isoformat()
