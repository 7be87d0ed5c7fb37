"""The service's calls to the hub's REST API."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger("hub-groups")

#: ``(method, path, body) -> (status, JSON body)``: the hub's REST API.
Call = Callable[[str, str, Any], Awaitable[tuple[int, Any]]]


class HubError(RuntimeError):
    """The hub answered something this service cannot go on with."""


def hub_api(api_url: str, token: str, timeout: float = 30) -> Call:
    """A :data:`Call` to the hub's REST API with this service's token."""
    from tornado.httpclient import AsyncHTTPClient

    client = AsyncHTTPClient()
    headers = {
        "Authorization": f"token {token}",
        "Content-Type": "application/json",
        # paginated answers ({items, _pagination}) from list endpoints
        "Accept": "application/jupyterhub-pagination+json",
    }

    async def call(method: str, path: str, body: Any = None) -> tuple[int, Any]:
        response = await client.fetch(
            f"{api_url.rstrip('/')}/{path}",
            method=method,
            headers=headers,
            body=None if body is None else json.dumps(body),
            allow_nonstandard_methods=True,
            raise_error=False,
            request_timeout=timeout,
        )
        if response.code == 599:
            raise HubError(f"{method} {path}: {response.error}")
        try:
            return response.code, json.loads(response.body or b"null")
        except ValueError:
            return response.code, None

    return call


async def _expect(call: Call, method: str, path: str, body: Any, codes: tuple[int, ...]) -> Any:
    code, answer = await call(method, path, body)
    if code not in codes:
        raise HubError(f"{method} {path}: {code} {answer!r}")
    return answer
