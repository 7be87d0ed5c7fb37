"""Ask JupyterHub afresh who owns a token, and which groups they hold.

Why this exists: the single-user server already knows its visitor's hub model
(``current_user.hub_user``), but HubAuth caches it for ``cache_max_age``
(300 s by default), so a membership change made by an admin or an instructor
would take minutes to show. Here every lookup is a direct ``GET
{hub_api}/user`` with the visitor's own token (no admin token, nothing the
visitor could not ask themselves), kept only for a few seconds, and
concurrent lookups for the same token share one hub request.

The request goes through the one hub client
(:mod:`jupyterlab_hub_groups.hub_client`: SSL options, timeout, no
redirects); its failures are its ``HubError``, with an HTTP status for our
own client and a message fit to show a person; nothing here raises a
traceback into a response.

Also here: :func:`request_token`, which token actually authenticated a
request (the one to ask the hub about), and :class:`SharedCalls`, how
concurrent requests for one token share one hub request (the user lists of
:mod:`.membership` too).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from time import monotonic  # a name of this module: tests set the clock here
from typing import Any, Generic, TypeVar

from .. import contract
from ..hub_client import HubClient, HubError, token_digest


def request_token(hub_auth: Any, handler: Any) -> str | None:
    """The token that authenticated the request ``handler`` serves.

    JupyterHub's ``HubAuth`` tries the token in the URL or the
    ``Authorization`` header first and, when the hub does not know it, the
    token in the OAuth cookie; it marks the handler
    ``_token_authenticated`` when the first one won. A request may thus
    carry a made-up header token and be authenticated by its cookie: asking
    the hub about, or revoking, the header's token would miss the session.

    Parameters
    ----------
    hub_auth : jupyterhub.services.auth.HubAuth
    handler : tornado.web.RequestHandler
        A handler whose user has been identified.

    Returns
    -------
    str or None
        The header or URL token, or the cookie token, or None.
    """
    if getattr(handler, "_token_authenticated", False):
        return hub_auth.get_token(handler, in_cookie=False) or None
    from_cookie = getattr(hub_auth, "_get_token_cookie", None)
    return (from_cookie(handler) if from_cookie is not None else None) or None


T = TypeVar("T")


class SharedCalls(Generic[T]):
    """Concurrent calls for one key share one: the first starts it, the
    others await the same answer, and one caller going away cancels nobody
    else's.

    Parameters
    ----------
    settled : callable
        ``settled(key, answer)`` when a call ends: its answer, or None when
        it failed or was cancelled (then the caller's error is raised to
        every waiter, and an older answer kept for ``key`` must go: a
        refusal must not leave a more generous answer behind).
    """

    def __init__(self, settled: Callable[[str, T | None], None]):
        self._settled = settled
        self._pending: dict[str, asyncio.Future[T]] = {}

    async def run(self, key: str, call: Callable[[], Awaitable[T]]) -> T:
        """The answer of ``call()``, or of the call for ``key`` in flight."""
        pending = self._pending.get(key)
        if pending is None:
            pending = asyncio.ensure_future(call())
            self._pending[key] = pending
            pending.add_done_callback(lambda f: self._settle(key, f))
        # shield: one caller going away must not cancel the others' call
        return await asyncio.shield(pending)

    def _settle(self, key: str, future: asyncio.Future[T]) -> None:
        self._pending.pop(key, None)
        failed = future.cancelled() or future.exception() is not None
        self._settled(key, None if failed else future.result())


@dataclass(frozen=True)
class HubIdentity:
    """The hub's answer for one token, reduced to what we use."""

    name: str
    groups: tuple[str, ...]
    fetched_at: datetime
    #: What the token may do (the answer's ``scopes``, expanded by the hub):
    #: who may manage which group is read from here. Never sent to the browser.
    scopes: tuple[str, ...] = ()

    @property
    def hub_groups_service(self) -> bool:
        """Whether the token may call the hub-side ``hub-groups`` service
        (requests to join courses): it holds
        :data:`~jupyterlab_hub_groups.contract.SERVICE_ACCESS_SCOPE` (or
        every service's ``access:services``).

        The hub helper gives that scope to the page token of a person's own
        server only when a course takes requests (or is open), which is
        when the service's API exists: the browser asks it only then,
        rather than getting a 404 at every load on a hub without it.
        """
        return bool({contract.SERVICE_ACCESS_SCOPE, "access:services"} & set(self.scopes))

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "groups": list(self.groups),
            "fetched_at": self.fetched_at.isoformat(),
            "hub_groups_service": self.hub_groups_service,
        }


def parse_user_model(model: Any) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """Validate a hub ``/api/user`` answer.

    Parameters
    ----------
    model
        The parsed JSON body.

    Returns
    -------
    tuple
        ``(name, groups, scopes)`` with groups and scopes sorted and
        de-duplicated; no ``scopes`` in the answer means none.

    Raises
    ------
    ValueError
        When the answer is not an object with a string ``name`` and a list
        of string ``groups``, or has ``scopes`` that are not a list of
        strings. Partial answers are refused whole (fail closed).
    """
    if not isinstance(model, dict):
        raise ValueError("the answer is not a JSON object")
    name = model.get("name")
    if not isinstance(name, str) or not name:
        raise ValueError("the answer has no user name")
    groups = model.get("groups")
    if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
        raise ValueError("the answer has no list of group names")
    scopes = model.get("scopes", [])
    if not isinstance(scopes, list) or not all(isinstance(x, str) for x in scopes):
        raise ValueError("the answer's scopes are not a list of strings")
    return name, tuple(sorted(set(groups))), tuple(sorted(set(scopes)))


class HubIdentityLookup:
    """Per-token, short-lived, coalescing lookups of hub identities.

    Parameters
    ----------
    client : HubClient
        The extension's hub client.
    cache_seconds : float
        How long an answer is reused, at most. Keep it to a few seconds: it
        exists so that many tabs refreshing together cost one hub request.
    """

    def __init__(self, client: HubClient, cache_seconds: float = 5.0):
        self.client = client
        self.cache_seconds = cache_seconds
        # token digest -> (when the answer arrived, on the monotonic clock; answer)
        self._cache: dict[str, tuple[float, HubIdentity]] = {}
        self._in_flight: SharedCalls[HubIdentity] = SharedCalls(self._keep)

    async def lookup(self, token: str, max_age: float | None = None) -> HubIdentity:
        """Who owns ``token``, according to the hub.

        Parameters
        ----------
        token : str
            The requesting user's own hub token.
        max_age : float, optional
            Reuse a cached answer only if it is at most this many seconds
            old; 0 asks the hub now. ``cache_seconds`` by default, and never
            more (nothing is kept longer). A lookup already in flight is
            shared whatever ``max_age`` says: its answer is as fresh as a
            new request's would be.

        Returns
        -------
        HubIdentity

        Raises
        ------
        HubError
        """
        if not token:
            raise HubError(
                403, "no-token", "This request carries no JupyterHub token to look up."
            )
        key = token_digest(token)
        limit = self.cache_seconds if max_age is None else min(max_age, self.cache_seconds)
        cached = self._cache.get(key)
        if cached is not None and limit > 0 and monotonic() - cached[0] <= limit:
            return cached[1]
        return await self._in_flight.run(key, lambda: self._ask_hub(token))

    def _keep(self, key: str, identity: HubIdentity | None) -> None:
        if identity is None:
            # A refusal must not leave an older, more generous answer behind.
            self._cache.pop(key, None)
            return
        now = monotonic()
        self._cache = {k: v for k, v in self._cache.items() if now - v[0] <= self.cache_seconds}
        if self.cache_seconds > 0:
            self._cache[key] = (now, identity)

    async def _ask_hub(self, token: str) -> HubIdentity:
        response = await self.client.request("GET", "user", token)
        try:
            name, groups, scopes = parse_user_model(response.body)
        except ValueError as e:
            raise HubError(
                502, "hub-bad-response", f"JupyterHub's answer was not understood: {e}."
            ) from None
        return HubIdentity(
            name=name, groups=groups, fetched_at=datetime.now(timezone.utc), scopes=scopes
        )
