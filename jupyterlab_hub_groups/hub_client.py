"""The one HTTP client that calls JupyterHub's REST API, for the server
extension and for the hub-side managed service alike.

Why this exists: the server extension asks the hub several things (who
owns the requester's token, the state of a collaboration server, to stop
one, whether a visitor still has access), and the managed service
``hub-groups`` others (group members, to restart a shared server). Each
needs the same care JupyterHub's own ``HubAuth._api_request`` takes: the
hub's API URL, the internal-SSL client certificate when the hub uses one, a
timeout, no following of redirects (a redirect would carry a token
elsewhere), and failures turned into one exception with an HTTP status for
our own client and a sentence for a person. Having it once means no call
can forget one of them.

Also here: :func:`token_digest`, the only way a token is turned into a key
(dict keys, logs: never the token itself).

Needs tornado only (which JupyterHub and Jupyter Server both have);
``jupyterhub.utils`` is imported only when internal SSL is on.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest, HTTPResponse
from tornado.simple_httpclient import HTTPTimeoutError

from .refusal import refusal


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
    where : str, optional
        The call that failed (``GET groups/vox``), for logs on the hub side;
        never in :meth:`to_json`.
    """

    def __init__(self, status: int, reason: str, message: str, where: str | None = None):
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

    def to_json(self) -> dict[str, str]:
        """The body our endpoints answer with."""
        return refusal(self.reason, self.message)


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
    token : str, optional
        The token sent when a call names none: a service's own. A single-user
        server's client has none, so that every call says whose token it
        sends (the requester's or the server's), and one that forgets is
        refused here (``no-token``) instead of sent with the wrong one.
    """

    def __init__(
        self,
        api_url: str,
        timeout: float = 5.0,
        ssl_options: Any = None,
        fetch: Callable[..., Awaitable[HTTPResponse]] | None = None,
        token: str | None = None,
    ):
        self.api_url = api_url.rstrip("/")
        self.timeout = timeout
        self.ssl_options = ssl_options
        self.token = token
        self._fetch = fetch or AsyncHTTPClient().fetch

    @classmethod
    def for_hub_auth(cls, hub_auth: Any, timeout: float) -> HubClient:
        """The client of a single-user server.

        Parameters
        ----------
        hub_auth : jupyterhub.services.auth.HubAuth
            The server's HubAuth: its hub API URL, and its client certificate
            when the hub uses internal SSL (as HubAuth's own calls do).
        timeout : float

        Returns
        -------
        HubClient
            Without a default token.
        """
        return cls(
            hub_auth.api_url,
            timeout=timeout,
            ssl_options=_ssl_options(hub_auth.keyfile, hub_auth.certfile, hub_auth.client_ca)
            if getattr(hub_auth, "certfile", None) or getattr(hub_auth, "keyfile", None)
            else None,
        )

    @classmethod
    def from_environment(
        cls, timeout: float = 30.0, environ: Mapping[str, str] | None = None
    ) -> HubClient:
        """The client of a hub service, from what JupyterHub puts in the
        environment of a service it runs.

        Parameters
        ----------
        timeout : float
        environ : mapping, optional
            ``os.environ`` by default. ``JUPYTERHUB_API_URL`` and
            ``JUPYTERHUB_API_TOKEN`` (the service's own token, sent by
            default); with internal SSL also ``JUPYTERHUB_SSL_KEYFILE``,
            ``JUPYTERHUB_SSL_CERTFILE`` and ``JUPYTERHUB_SSL_CLIENT_CA``.

        Returns
        -------
        HubClient
        """
        env = os.environ if environ is None else environ
        keyfile = env.get("JUPYTERHUB_SSL_KEYFILE")
        certfile = env.get("JUPYTERHUB_SSL_CERTFILE")
        return cls(
            env["JUPYTERHUB_API_URL"],
            timeout=timeout,
            ssl_options=_ssl_options(keyfile, certfile, env.get("JUPYTERHUB_SSL_CLIENT_CA"))
            if keyfile or certfile
            else None,
            token=env["JUPYTERHUB_API_TOKEN"],
        )

    async def request(
        self,
        method: str,
        path: str,
        token: str | None = None,
        expect: Collection[int] = (200,),
        *,
        body: Any = None,
        paginated: bool = False,
    ) -> HubResponse:
        """Call ``{api_url}/{path}`` with ``token``.

        Parameters
        ----------
        method : str
        path : str
            Below the API root; names in it must already be escaped (see
            :func:`user_path`).
        token : str, optional
            The token to send: the requester's own, or this server's; the
            client's own (a service's) when None.
        expect : collection of int
            The status codes the caller handles itself. Any other is an
            error; so is a 2xx answer whose body is not JSON.
        body : optional
            Sent as JSON (``POST groups/<g>/users {"users": [...]}``).
        paginated : bool
            Ask a list endpoint for JupyterHub's paginated answer
            (``{"items": [...], "_pagination": {...}}``).

        Returns
        -------
        HubResponse

        Raises
        ------
        HubError
        """
        token = self.token if token is None else token
        where = f"{method} {path}"
        if not token:
            raise HubError(403, "no-token", "This request carries no JupyterHub token.", where)
        headers = {
            "Authorization": f"token {token}",
            "Accept": "application/jupyterhub-pagination+json" if paginated else "application/json",
        }
        if body is not None:
            headers["Content-Type"] = "application/json"
        request = HTTPRequest(
            f"{self.api_url}/{path}",
            method=method,
            headers=headers,
            body=None if body is None else json.dumps(body),
            # a DELETE with a body (group members), a POST without one (start)
            allow_nonstandard_methods=True,
            request_timeout=self.timeout,
            connect_timeout=self.timeout,
            follow_redirects=False,
            ssl_options=self.ssl_options,
        )
        try:
            response = await self._fetch(request, raise_error=False)
        except HTTPTimeoutError:
            raise HubError(
                502,
                "hub-timeout",
                f"JupyterHub did not answer within {self.timeout:g} seconds.",
                where,
            ) from None
        except (OSError, HTTPClientError):
            # refused, reset, DNS, TLS (ssl.SSLError is an OSError), closed stream
            raise HubError(
                502, "hub-unreachable", "JupyterHub could not be reached.", where
            ) from None
        code = response.code
        if code not in expect:
            error = _error_for(code)
            error.where = where
            raise error
        answer = None
        if response.body:
            try:
                answer = json.loads(response.body)
            except (ValueError, UnicodeDecodeError):
                if 200 <= code < 300:
                    raise HubError(
                        502, "hub-bad-response", "JupyterHub's answer was not JSON.", where
                    ) from None
        return HubResponse(code, answer)


def _ssl_options(keyfile: str | None, certfile: str | None, cafile: str | None) -> Any:
    """An SSL context with the hub's internal-SSL client certificate, made
    the way JupyterHub makes its own (imported only when SSL is on)."""
    from jupyterhub.utils import make_ssl_context

    return make_ssl_context(keyfile, certfile, cafile=cafile)


def user_path(name: str, *rest: str) -> str:
    """``users/<name>[/rest]`` with ``name`` escaped whole (a ``/`` in it
    cannot reach another API path)."""
    return "/".join(("users", quote(name, safe=""), *rest))


def server_status(model: Any) -> str:
    """``running``, ``starting``, ``stopping`` or ``stopped``: the default
    server of a hub user model, as the collaboration cards show it (the
    server extension's listing and the service's projects alike)."""
    servers = model.get("servers") if isinstance(model, dict) else None
    server = servers.get("") if isinstance(servers, dict) else None
    if not server or not isinstance(server, dict):
        return "stopped"
    if server.get("pending") == "spawn":
        return "starting"
    if server.get("pending") == "stop":
        return "stopping"
    return "running" if server.get("ready") else "starting"


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
