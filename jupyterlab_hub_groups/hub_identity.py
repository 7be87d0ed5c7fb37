"""Ask JupyterHub afresh who owns a token, and which groups they hold.

Why this exists: the single-user server already knows its visitor's hub model
(``current_user.hub_user``), but HubAuth caches it for ``cache_max_age``
(300 s by default), so a membership change made by an admin or an instructor
would take minutes to show. Here every lookup is a direct ``GET
{hub_api}/user`` with the visitor's own token (no admin token, nothing the
visitor could not ask themselves), kept only for a few seconds, and
concurrent lookups for the same token share one hub request.

Failures are turned into :class:`HubLookupError` with an HTTP status for our
own client (502 when the hub is down, slow or answers garbage; 403 when the
hub refuses the token) and a message fit to show a person; nothing here
raises a traceback into a response.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest


class HubLookupError(Exception):
    """A hub lookup that gave no usable answer.

    Parameters
    ----------
    status : int
        The HTTP status our endpoint answers with.
    reason : str
        A short machine-readable code (``hub-unreachable``, ``hub-timeout``,
        ``hub-error``, ``hub-bad-response``, ``hub-refused``, ``no-token``).
    message : str
        A sentence for a person.
    """

    def __init__(self, status: int, reason: str, message: str):
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class HubIdentity:
    """The hub's answer for one token, reduced to what the UI needs."""

    name: str
    groups: tuple[str, ...]
    fetched_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "groups": list(self.groups),
            "fetched_at": self.fetched_at.isoformat(),
        }


def parse_user_model(body: bytes | str) -> tuple[str, tuple[str, ...]]:
    """Validate a hub ``/api/user`` answer.

    Parameters
    ----------
    body : bytes or str
        The raw response body.

    Returns
    -------
    tuple
        ``(name, groups)`` with groups sorted and de-duplicated.

    Raises
    ------
    ValueError
        When the body is not JSON, or lacks a string ``name`` or a list of
        string ``groups``. Partial answers are refused whole (fail closed).
    """
    model = json.loads(body)
    if not isinstance(model, dict):
        raise ValueError("the answer is not a JSON object")
    name = model.get("name")
    if not isinstance(name, str) or not name:
        raise ValueError("the answer has no user name")
    groups = model.get("groups")
    if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
        raise ValueError("the answer has no list of group names")
    return name, tuple(sorted(set(groups)))


def _token_key(token: str) -> str:
    # Tokens are never kept as dict keys or logged: only their digest.
    return hashlib.sha256(token.encode("utf8", "replace")).hexdigest()


class HubIdentityLookup:
    """Per-token, short-lived, coalescing lookups of hub identities.

    Parameters
    ----------
    api_url : str
        The hub API root, e.g. ``http://127.0.0.1:8081/hub/api``.
    timeout : float
        Seconds to wait for the hub before giving up.
    cache_seconds : float
        How long an answer is reused. Keep it to a few seconds: it exists so
        that many tabs refreshing together cost one hub request.
    fetch : callable, optional
        ``fetch(request) -> response``; defaults to tornado's client.
    ssl_options : optional
        Passed to tornado when the hub API uses internal SSL.
    """

    def __init__(
        self,
        api_url: str,
        timeout: float = 5.0,
        cache_seconds: float = 5.0,
        fetch: Callable[[HTTPRequest], Awaitable[Any]] | None = None,
        ssl_options: Any = None,
    ):
        self.api_url = api_url.rstrip("/")
        self.timeout = timeout
        self.cache_seconds = cache_seconds
        self._fetch = fetch or AsyncHTTPClient().fetch
        self._ssl_options = ssl_options
        self._cache: dict[str, tuple[float, HubIdentity]] = {}
        self._in_flight: dict[str, asyncio.Future[HubIdentity]] = {}

    async def lookup(self, token: str, refresh: bool = False) -> HubIdentity:
        """Who owns ``token``, according to the hub.

        Parameters
        ----------
        token : str
            The requesting user's own hub token.
        refresh : bool
            Skip the cache (a lookup already in flight is still shared: it is
            as fresh as a new one would be).

        Returns
        -------
        HubIdentity

        Raises
        ------
        HubLookupError
        """
        if not token:
            raise HubLookupError(
                403, "no-token", "This request carries no JupyterHub token to look up."
            )
        key = _token_key(token)
        now = time.monotonic()
        if not refresh:
            cached = self._cache.get(key)
            if cached and cached[0] > now:
                return cached[1]
        pending = self._in_flight.get(key)
        if pending is None:
            pending = asyncio.ensure_future(self._ask_hub(token))
            self._in_flight[key] = pending
            pending.add_done_callback(lambda f: self._settle(key, f))
        # shield: one caller going away must not cancel the others' lookup
        return await asyncio.shield(pending)

    def _settle(self, key: str, future: asyncio.Future[HubIdentity]) -> None:
        self._in_flight.pop(key, None)
        if future.cancelled() or future.exception() is not None:
            # A refusal must not leave an older, more generous answer behind.
            self._cache.pop(key, None)
            return
        now = time.monotonic()
        self._cache = {k: v for k, v in self._cache.items() if v[0] > now}
        if self.cache_seconds > 0:
            self._cache[key] = (now + self.cache_seconds, future.result())

    async def _ask_hub(self, token: str) -> HubIdentity:
        request = HTTPRequest(
            self.api_url + "/user",
            headers={"Authorization": f"token {token}", "Accept": "application/json"},
            request_timeout=self.timeout,
            connect_timeout=self.timeout,
            follow_redirects=False,
            ssl_options=self._ssl_options,
        )
        try:
            response = await self._fetch(request)
        except HTTPClientError as e:
            if e.code == 599:
                raise HubLookupError(
                    502,
                    "hub-timeout",
                    f"JupyterHub did not answer within {self.timeout:g} seconds.",
                ) from None
            if e.code in (401, 403):
                raise HubLookupError(
                    403, "hub-refused", "JupyterHub refused this session's token."
                ) from None
            raise HubLookupError(
                502, "hub-error", f"JupyterHub answered with an error (HTTP {e.code})."
            ) from None
        except (OSError, asyncio.TimeoutError):
            raise HubLookupError(
                502, "hub-unreachable", "JupyterHub could not be reached."
            ) from None
        try:
            name, groups = parse_user_model(response.body)
        except (ValueError, UnicodeDecodeError) as e:
            raise HubLookupError(
                502, "hub-bad-response", f"JupyterHub's answer was not understood: {e}."
            ) from None
        return HubIdentity(
            name=name,
            groups=groups,
            fetched_at=datetime.now(timezone.utc),
        )
