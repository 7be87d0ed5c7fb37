"""Who has been using this server recently, by hub identity, and cutting them off.

Every request and websocket handshake a Jupyter server serves is identified
by its identity provider's ``get_user``, whichever extension handles it. The
log wraps that one method (once) and notes each visitor: name, display name,
last request, websockets, and the document they last said they have open.
Two things read it: the presence endpoint ("People here") and the access
re-checks of collaboration servers (:mod:`.revalidate`), which use
:meth:`VisitorLog.cut_off_user` and :meth:`VisitorLog.cut_off_token`.

A visitor is filed under the token that actually authenticated the request
(:func:`.identity.request_token`: the header or URL token, or else the
OAuth cookie's), so that re-checking "their token" re-checks their session.

Websockets are tracked from their handshake, not from their opening: one
whose handshake is under way when its user is cut off is closed as soon as
it opens (before its own ``open`` runs), and nothing a cut-off socket still
receives is handled.

Tokens are kept in memory only (the re-checks need them), never logged or
sent anywhere but to the hub.
"""

from __future__ import annotations

import inspect
import time
import weakref
from dataclasses import dataclass, field
from datetime import datetime, timezone
from collections.abc import Iterable
from typing import Any

from tornado.websocket import WebSocketHandler

from ..hub_client import token_digest
from .config import HubGroupsConfig
from .identity import request_token
from .projects import this_project

#: Close code for a websocket whose user lost access (4000-4999: private use).
CLOSE_REVOKED = 4403
CLOSE_REVOKED_REASON = "Your access to this server was removed."

# Attributes set on websocket handlers we track.
_GUARDED = "_hub_groups_guarded"
_REVOKED = "_hub_groups_revoked"


@dataclass
class Visitor:
    """One browser session (one token) of one person."""

    token: str
    name: str
    display_name: str
    last_seen: float
    current: str | None = None
    #: Every websocket of this session, from its handshake until it is gone.
    sockets: weakref.WeakSet = field(default_factory=weakref.WeakSet)

    def open_sockets(self) -> list[WebSocketHandler]:
        """The websockets that are open now (handshake done, not closed)."""
        return [s for s in list(self.sockets) if _is_open(s)]


def _is_open(socket: WebSocketHandler) -> bool:
    # tornado sets ws_connection (and then, at once, its stream) when the
    # handshake is accepted, and clears it when the socket is closed.
    connection = getattr(socket, "ws_connection", None)
    return getattr(connection, "stream", None) is not None and not connection.is_closing()


def _guard(socket: WebSocketHandler) -> None:
    """Make ``socket`` obey a revocation, whenever it comes. Idempotent.

    Wraps the handler's own ``open`` and ``on_message`` (on the instance):
    a socket revoked during its handshake is closed instead of opened, and
    one revoked while open handles nothing more, even what a client that
    ignores the close frame sends before tornado gives up on it.
    """
    if getattr(socket, _GUARDED, False):
        return
    setattr(socket, _GUARDED, True)
    own_open = socket.open
    own_on_message = socket.on_message

    def open(*args: Any, **kwargs: Any) -> Any:
        if getattr(socket, _REVOKED, False):
            socket.close(CLOSE_REVOKED, CLOSE_REVOKED_REASON)
            return None
        return own_open(*args, **kwargs)

    def on_message(message: Any) -> Any:
        if getattr(socket, _REVOKED, False):
            return None
        return own_on_message(message)

    socket.open = open
    socket.on_message = on_message


def _revoke_socket(socket: WebSocketHandler) -> bool:
    """Cut off one websocket; True when it was open and is now closing."""
    setattr(socket, _REVOKED, True)
    if not _is_open(socket):
        # In its handshake (or already gone): the guard closes it on open.
        return False
    socket.close(CLOSE_REVOKED, CLOSE_REVOKED_REASON)
    return True


class VisitorLog:
    """Recent visitors of this server.

    Parameters
    ----------
    identity_provider
        The server's identity provider; under JupyterHub it has ``hub_auth``.
    keep_seconds : float
        How long a visitor without an open websocket is remembered after
        their last request. Should cover HubAuth's cache time (the re-checks
        must see everyone HubAuth may still trust) and the presence timeout.
    """

    def __init__(self, identity_provider: Any, keep_seconds: float = 300.0):
        self.identity_provider = identity_provider
        self.hub_auth = getattr(identity_provider, "hub_auth", None)
        self.keep_seconds = keep_seconds
        self.visitors: dict[str, Visitor] = {}
        self._installed = False
        self._last_prune = time.monotonic()

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

    def key_for(self, handler: Any, user: Any) -> tuple[str, str | None]:
        """``(key, token)`` a request is filed under: the digest of the token
        that authenticated it, or ``user:<name>`` without a hub."""
        token = request_token(self.hub_auth, handler) if self.hub_auth is not None else None
        return (token_digest(token) if token else f"user:{user.username}"), token

    def note(self, handler: Any, user: Any) -> Visitor:
        """Record that ``user`` made the request ``handler`` serves."""
        now = time.time()
        self._maybe_prune(now)
        key, token = self.key_for(handler, user)
        visitor = self.visitors.get(key)
        if visitor is None:
            visitor = self.visitors[key] = Visitor(
                token or "", user.username, user.display_name or user.username, now
            )
        visitor.last_seen = now
        visitor.display_name = user.display_name or user.username
        if isinstance(handler, WebSocketHandler):
            _guard(handler)
            visitor.sockets.add(handler)
        return visitor

    def visitor_for(self, handler: Any) -> Visitor | None:
        """The visitor record of the request ``handler`` serves."""
        return self.visitors.get(self.key_for(handler, handler.current_user)[0])

    def forget(self, older_than: float) -> None:
        """Drop visitors unseen since ``older_than`` (epoch seconds) and with
        no open websocket."""
        for key, visitor in list(self.visitors.items()):
            if visitor.last_seen < older_than and not visitor.open_sockets():
                del self.visitors[key]

    def _maybe_prune(self, now: float) -> None:
        # Housekeeping on the way in, at most every tenth of keep_seconds, so
        # that reading the log (GET presence) never changes it.
        if time.monotonic() - self._last_prune >= self.keep_seconds / 10:
            self._last_prune = time.monotonic()
            self.forget(now - self.keep_seconds)

    # --- cutting off ---------------------------------------------------------

    def cut_off_user(self, name: str) -> int:
        """Everything ``name`` has here is cut off: every websocket of every
        session closed (those in their handshake as soon as they open),
        every session forgotten, and every HubAuth cache entry of theirs
        dropped, so that their next request asks the hub (and is refused).

        Returns
        -------
        int
            How many open websockets were closed.
        """
        closed = 0
        for key, visitor in list(self.visitors.items()):
            if visitor.name == name:
                closed += self._cut_off(key)
        self._drop_cached(lambda key, model: isinstance(model, dict) and model.get("name") == name)
        return closed

    def cut_off_token(self, key: str) -> int:
        """The session filed under ``key`` (a token digest) is cut off, and
        HubAuth forgets that token; the user's other sessions are kept.

        Returns
        -------
        int
            How many open websockets were closed.
        """
        closed = self._cut_off(key)
        # HubAuth keys its cache "token:<session id>:<token digest>"
        self._drop_cached(lambda cache_key, model: str(cache_key).endswith(f":{key}"))
        return closed

    def _cut_off(self, key: str) -> int:
        visitor = self.visitors.pop(key, None)
        if visitor is None:
            return 0
        # The record goes; its sockets keep their own revoked mark until closed.
        return sum(_revoke_socket(s) for s in list(visitor.sockets))

    def _drop_cached(self, match) -> None:
        cache = getattr(self.hub_auth, "cache", None)
        if cache is None:
            return
        # HubAuth's _ExpiringDict keeps its entries in `.values` (a dict,
        # shadowing dict.values); a plain dict keeps them in itself.
        store = cache.values if isinstance(getattr(cache, "values", None), dict) else cache
        for cache_key, model in list(store.items()):
            if match(cache_key, model):
                cache.pop(cache_key, None)

    # --- presence ------------------------------------------------------------

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
            person["last_seen"] = datetime.fromtimestamp(last_seen, timezone.utc).isoformat()
            result.append(person)
        return result


def may_see_presence(config: HubGroupsConfig, name: str, groups: Iterable[str]) -> bool:
    """Whether ``name`` may see who is here: the server's owner, and the
    members of ``presence_groups``."""
    return name == config.server_owner or bool(set(groups) & set(config.presence_groups))


def presence_answer(config: HubGroupsConfig, visitors: VisitorLog, me: str) -> dict[str, Any]:
    """The body of ``GET presence``: who is here, for ``me``."""
    timeout = config.presence_timeout
    return {
        "people": visitors.people(timeout),
        "me": me,
        "timeout": timeout,
        # A shared server: show the list even when one is alone on it.
        "shared": bool(config.presence_groups),
        # A collaboration account's: the page names its project ({group, account}).
        "project": this_project(config),
    }
