"""The one HTTP client this server extension uses to call JupyterHub's REST API.

Why this exists: the server extension asks the hub several things (who
owns the requester's token, the state of a collaboration server, to stop
one, whether a visitor still has access), and each of them needs the same
care JupyterHub's own ``HubAuth._api_request`` takes: the hub's API URL, the
internal-SSL client certificate when the hub uses one, a timeout, no
following of redirects (a redirect would carry a token elsewhere), and
failures turned into one exception with an HTTP status for our own client
and a sentence for a person. Having it once means no call can forget one of
them.

Also here: :func:`token_digest`, the only way a token is turned into a key
(dict keys, logs: never the token itself), and :func:`request_token`, which
token actually authenticated a request.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest, HTTPResponse
from tornado.simple_httpclient import HTTPTimeoutError


class HubError(Exception):
    """A hub call that gave no usable answer.

    Parameters
    ----------
    status : int
        The HTTP status our endpoint answers with: 502 when the hub is
        down, slow, or answers with an error, garbage or a redirect; 403
        when the hub refuses the token.
    reason : str
        A short machine-readable code: ``hub-unreachable``, ``hub-timeout``,
        ``hub-error``, ``hub-bad-response``, ``hub-redirect``,
        ``hub-refused`` or ``no-token``.
    message : str
        A sentence for a person (no token, no traceback).
    """

    def __init__(self, status: int, reason: str, message: str):
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.message = message

    def to_json(self) -> dict[str, str]:
        """The body our endpoints answer with."""
        return {"error": self.reason, "message": self.message}


def token_digest(token: str) -> str:
    """The key a token is known by here; HubAuth keys its cache the same way.

    Parameters
    ----------
    token : str
        A hub API or OAuth token.

    Returns
    -------
    str
        Its SHA-256, in hex.
    """
    return hashlib.sha256(token.encode("utf8", "replace")).hexdigest()


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


@dataclass(frozen=True)
class HubResponse:
    """A hub answer with one of the expected status codes."""

    code: int
    #: The parsed JSON body, or None when there was none.
    body: Any


class HubClient:
    """Calls to the hub API, all alike.

    Parameters
    ----------
    api_url : str
        The hub API root, e.g. ``http://127.0.0.1:8081/hub/api``.
    timeout : float
        Seconds to wait for the hub (to connect, and for the answer).
    ssl_options : optional
        An ``ssl.SSLContext`` when the hub API uses internal SSL.
    fetch : callable, optional
        ``fetch(request, raise_error=False) -> HTTPResponse``; tornado's
        client by default.
    """

    def __init__(
        self,
        api_url: str,
        timeout: float = 5.0,
        ssl_options: Any = None,
        fetch: Callable[..., Awaitable[HTTPResponse]] | None = None,
    ):
        self.api_url = api_url.rstrip("/")
        self.timeout = timeout
        self.ssl_options = ssl_options
        self._fetch = fetch or AsyncHTTPClient().fetch

    @classmethod
    def for_hub_auth(cls, hub_auth: Any, timeout: float) -> HubClient:
        """The client for the hub that ``hub_auth`` (this server's HubAuth) knows,
        with its client certificate when it has one, as HubAuth does."""
        ssl_options = None
        if getattr(hub_auth, "certfile", None) or getattr(hub_auth, "keyfile", None):
            from jupyterhub.utils import make_ssl_context

            ssl_options = make_ssl_context(
                hub_auth.keyfile, hub_auth.certfile, cafile=hub_auth.client_ca
            )
        return cls(hub_auth.api_url, timeout=timeout, ssl_options=ssl_options)

    async def request(
        self,
        method: str,
        path: str,
        token: str,
        expect: Collection[int] = (200,),
    ) -> HubResponse:
        """Call ``{api_url}/{path}`` with ``token``.

        Parameters
        ----------
        method : str
        path : str
            Below the API root; names in it must already be escaped (see
            :func:`user_path`).
        token : str
            The token to send: the requester's own, or this server's.
        expect : collection of int
            The status codes the caller handles itself. Any other is an
            error; so is a 2xx answer whose body is not JSON.

        Returns
        -------
        HubResponse

        Raises
        ------
        HubError
        """
        if not token:
            raise HubError(403, "no-token", "This request carries no JupyterHub token.")
        request = HTTPRequest(
            f"{self.api_url}/{path}",
            method=method,
            headers={"Authorization": f"token {token}", "Accept": "application/json"},
            request_timeout=self.timeout,
            connect_timeout=self.timeout,
            follow_redirects=False,
            ssl_options=self.ssl_options,
        )
        try:
            response = await self._fetch(request, raise_error=False)
        except HTTPTimeoutError:
            raise HubError(
                502, "hub-timeout", f"JupyterHub did not answer within {self.timeout:g} seconds."
            ) from None
        except (OSError, HTTPClientError):
            # refused, reset, DNS, TLS (ssl.SSLError is an OSError), closed stream
            raise HubError(502, "hub-unreachable", "JupyterHub could not be reached.") from None
        code = response.code
        if code not in expect:
            raise _error_for(code)
        body = None
        if response.body:
            try:
                body = json.loads(response.body)
            except (ValueError, UnicodeDecodeError):
                if 200 <= code < 300:
                    raise HubError(
                        502, "hub-bad-response", "JupyterHub's answer was not JSON."
                    ) from None
        return HubResponse(code, body)


def user_path(name: str, *rest: str) -> str:
    """``users/<name>[/rest]`` with ``name`` escaped whole (a ``/`` in it
    cannot reach another API path)."""
    return "/".join(("users", quote(name, safe=""), *rest))


def _error_for(code: int) -> HubError:
    if code == 599:
        # tornado's code for a request that got no answer at all
        return HubError(502, "hub-unreachable", "JupyterHub could not be reached.")
    if 300 <= code < 400:
        return HubError(
            502, "hub-redirect", f"JupyterHub answered with a redirect (HTTP {code}); not followed."
        )
    if code in (401, 403):
        return HubError(403, "hub-refused", "JupyterHub refused the token.")
    if 200 <= code < 300:
        return HubError(
            502, "hub-bad-response", f"JupyterHub answered HTTP {code}, unexpected here."
        )
    return HubError(502, "hub-error", f"JupyterHub answered with an error (HTTP {code}).")
