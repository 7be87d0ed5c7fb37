"""The HTTP API of the ``hub-groups`` service:
``/services/hub-groups/api/`` behind the hub's proxy.

- ``GET courses``: the courses one may ask to join or join, with one's
  membership and latest request.
- ``POST courses/<g>/requests`` ``{"message"?}``: ask (or join an open course).
- ``DELETE courses/<g>/requests/mine``: withdraw one's pending request.
- ``GET courses/<g>/requests?state=``: the course's requests (its managers).
- ``POST courses/<g>/requests/approve|decline`` ``{"users": [...], "reason"?}``:
  decide (its managers); ``.../undecline`` undoes a decline for 60 s.
- ``GET pending``: the pending requests of the courses one manages.
- ``GET|POST courses/<g>/history``: a group's history (:mod:`.history_api`).
- ``projects``, ``people``, ``shares``: runtime projects and shared servers
  (:mod:`.projects_api`), when the service keeps them.

Why a service and not the single-user server extension: the requests must
be one list that every user's server sees, outlive every server, and be
acted on with a token that may add people to the course, which no
single-user server may hold (anyone running code there could read it).

Every handler is authenticated by JupyterHub's own ``HubOAuth``: a token in
the ``Authorization`` header (the page token of one's own server, or an API
token), or the service's OAuth cookie for a browser visit; either must hold
``access:services!service=hub-groups``. The caller is the token's user,
never a name in the request. A token in the header is checked with the hub
afresh at every request (``use_cache=False``): one hub request per API
request, and membership, roles and scopes as they are now (a role taken
away stops decisions at once, a student just approved is a member at
once). Whether the caller may decide for a course is read from that
answer. Collaboration accounts (other people run code as them) and
services are refused. Authentication asks the hub without blocking the
event loop (HubAuth's own ``get_current_user`` waits for the hub on a
thread).

Answers are JSON, never cached (``Cache-Control: no-store``); errors are
``{"error", "message"}`` as the server extension's. Every answer of the
service, its 404 and the OAuth callback included, says that nothing in it
may run, load or be framed (``Content-Security-Policy: default-src 'none';
frame-ancestors 'none'``) or be read as another type
(``X-Content-Type-Options: nosniff``): the service shares the hub's origin.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from collections.abc import Mapping
from typing import Any

from jupyterhub.services.auth import HubOAuth, HubOAuthCallbackHandler, HubOAuthenticated
from tornado import web

from .. import contract
from ..refusal import refusal
from .api_error import ApiError
from .bodies import parse_decision, parse_message
from .callers import CallerRules, for_someone_elses_server  # noqa: F401 (importers know them here)
from .enrolment import Enrolment

log = logging.getLogger("hub-groups")

#: Seconds HubAuth reuses the hub's answer about the token of an OAuth
#: cookie (browser visits); a token in the header is asked about afresh.
IDENTITY_CACHE_SECONDS = 5
#: The largest request body the server reads (approving 5000 names).
MAX_BODY = 4 * 1024 * 1024


#: Every answer of the service: nothing in it may run, load or be framed
#: (its pages are JSON, its errors too), and nothing is sniffed as another type.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
}


def _page_headers(handler: web.RequestHandler) -> None:
    for name, value in PAGE_HEADERS.items():
        handler.set_header(name, value)


class _Handler(HubOAuthenticated, web.RequestHandler):
    """What every handler of the API shares: authentication by HubOAuth
    without blocking, JSON answers and errors. No HTTP method of its own."""

    def initialize(self, hub_auth: HubOAuth, enrolment: Enrolment, callers: CallerRules) -> None:
        self.hub_auth = hub_auth
        self.enrolment = enrolment
        self.callers = callers
        self._refusal: tuple[str, str] | None = None
        self._fresh = False

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        _page_headers(self)

    async def prepare(self) -> None:
        """Who is calling, asked of the hub on the event loop; what
        ``@web.authenticated`` then reads (``get_current_user`` returns
        the answer kept here)."""
        try:
            token = self.hub_auth.get_token(self, in_cookie=False)
            if token:
                model = await self.hub_auth.user_for_token(
                    token,
                    use_cache=False,
                    session_id=self.hub_auth.get_session_id(self),
                    sync=False,
                )
                # as HubAuth marks it: no XSRF check for a token in a header
                self._token_authenticated = self._fresh = bool(model)
            else:
                # the OAuth cookie of a browser visit (XSRF-checked by HubOAuth)
                model = await self.hub_auth.get_user(self, sync=False)
        except web.HTTPError as e:
            # HubAuth's own failures (hub down, or refusing our token)
            log.warning("could not ask the hub who is calling: %s", e.log_message)
            self._hub_auth_user_cache = None
            raise ApiError(
                502, "hub-unreachable", "JupyterHub could not be asked who made this request."
            ) from None
        user = None
        if model:
            try:
                user = self.check_hub_user(model)
            except Exception:  # UserNotAllowed: no access:services!service=hub-groups
                self._refusal = (
                    "no-access",
                    f"This token may not use the {contract.SERVICE_NAME} service "
                    f"(it needs {contract.SERVICE_ACCESS_SCOPE}).",
                )
            else:
                problem = self.callers.refusal(user)
                if problem:
                    self._refusal = problem
                    user = None
        self._hub_auth_user_cache = user

    def get_login_url(self) -> str:
        # An API answers 403, never a redirect to a login page.
        raise web.HTTPError(403)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(error, ApiError):
            self.refuse(error.status, error.error, error.message, **error.extra)
        elif status_code == 403:
            code, message = self._refusal or (
                "not-authenticated",
                "This request carries no valid JupyterHub token.",
            )
            self.refuse(403, code, message)
        else:
            self.refuse(status_code, "http-error", self._reason)

    def reply(self, status: int, body: Mapping[str, Any]) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))

    def refuse(self, status: int, code: str, message: str, **extra: Any) -> None:
        """Finish with a refusal (:func:`~jupyterlab_hub_groups.refusal.refusal`
        JSON); a ``retry_after`` is said in the ``Retry-After`` header too."""
        if "retry_after" in extra:
            self.set_header("Retry-After", str(extra["retry_after"]))
        self.reply(status, refusal(code, message, **extra))

    @property
    def caller(self) -> str:
        return self.current_user["name"]

    async def fresh(self) -> dict[str, Any]:
        """The hub's answer about the request's token, asked now (for a
        token in the header: the answer authentication just got)."""
        if self._fresh:
            return self.current_user
        token = self.hub_auth.get_token(self)
        try:
            model = await self.hub_auth.user_for_token(token, use_cache=False, sync=False)
        except web.HTTPError:
            raise ApiError(
                502, "hub-unreachable", "JupyterHub could not be asked about this request."
            ) from None
        if not model or model.get("name") != self.caller:
            raise ApiError(403, "not-authenticated", "This token is no longer valid.")
        return model

    async def manager(self, group: str) -> dict[str, Any]:
        """The caller, if their token may manage ``group`` now (else 403)."""
        self.enrolment.course(group)
        model = await self.fresh()
        if group not in contract.managed_groups(model.get("scopes") or ()):
            raise ApiError(
                403,
                "not-a-manager",
                f"{self.caller} may not decide who joins {group} (with this token).",
            )
        return model

    async def groups_of(self, model: Mapping[str, Any]) -> set[str]:
        """The caller's groups in the hub's answer (the identify scopes of
        a page token include them); asked of the hub for the courses when
        the token may not read them."""
        groups = model.get("groups")
        if isinstance(groups, list):
            return {g for g in groups if isinstance(g, str)}
        return await self.enrolment.members_among(self.caller)


class CoursesHandler(_Handler):
    """``GET courses``."""

    @web.authenticated
    async def get(self) -> None:
        groups = await self.groups_of(await self.fresh())
        self.reply(200, {"courses": await self.enrolment.listing(self.caller, groups)})


class RequestsHandler(_Handler):
    """``POST courses/<g>/requests`` (ask) and ``GET`` (its managers)."""

    @web.authenticated
    async def post(self, group: str) -> None:
        self.enrolment.course(group)
        message = parse_message(self.request.body)
        model = await self.fresh()
        member = group in await self.groups_of(model)
        status, body = await self.enrolment.ask(self.caller, group, message, member)
        self.reply(status, body)

    @web.authenticated
    async def get(self, group: str) -> None:
        await self.manager(group)
        state = self.get_argument("state", None)
        self.reply(200, {"requests": await self.enrolment.requests_of(group, state)})


class MyRequestHandler(_Handler):
    """``DELETE courses/<g>/requests/mine``."""

    @web.authenticated
    async def delete(self, group: str) -> None:
        self.reply(200, await self.enrolment.withdraw(self.caller, group))


class DecisionHandler(_Handler):
    """``POST courses/<g>/requests/approve|decline|undecline`` ``{"users": [...]}``
    (a decline's ``reason`` too)."""

    @web.authenticated
    async def post(self, group: str, decision: str) -> None:
        users, reason = parse_decision(self.request.body)
        await self.manager(group)
        if decision == "undecline":
            return self.reply(200, await self.enrolment.undecline(group, users, self.caller))
        approve = decision == "approve"
        reason = None if approve else reason
        self.reply(200, await self.enrolment.decide(group, users, approve, self.caller, reason))


class PendingHandler(_Handler):
    """``GET pending``: the pending requests of the courses the caller manages."""

    @web.authenticated
    async def get(self) -> None:
        model = await self.fresh()
        managed = contract.managed_groups(model.get("scopes") or ())
        self.reply(200, {"pending": await self.enrolment.pending(managed)})


class HomeHandler(_Handler):
    """``GET /services/hub-groups/``: who the service sees; a browser
    without the service's cookie is sent through the hub's OAuth login."""

    def get_login_url(self) -> str:
        return HubOAuthenticated.get_login_url(self)

    @web.authenticated
    async def get(self) -> None:
        self.reply(
            200,
            {
                "service": contract.SERVICE_NAME,
                "user": self.caller,
                "api": f"{self.hub_auth.base_url}api/",
            },
        )


class OAuthCallbackHandler(HubOAuthCallbackHandler):
    """The end of a browser's OAuth login (JupyterHub's own handler), with
    this application's HubOAuth. Public: it is how a login completes, and
    it checks the OAuth state cookie it set."""

    def initialize(self, hub_auth: HubOAuth) -> None:
        self.hub_auth = hub_auth

    def set_default_headers(self) -> None:
        # its redirect, and its error pages (tornado's HTML) too
        self.set_header("Cache-Control", "no-store")
        _page_headers(self)


class NotFoundHandler(web.RequestHandler):
    """Any other path: 404 JSON, before anything else."""

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        _page_headers(self)

    def prepare(self) -> None:
        self.set_header("Content-Type", "application/json")
        self.set_status(404)
        self.finish(json.dumps(refusal("not-found", "No such endpoint.")))


def routes(prefix: str) -> list[tuple[str, type]]:
    """The API's routes under the service's prefix (``/services/hub-groups/``).

    A course is one path segment, URL-encoded by the caller (``a%2Fb``):
    decoded after the match, a ``/`` in a name cannot reach another route.
    """
    from .history_api import HistoryHandler  # it imports this module

    api = re.escape(prefix + "api/")
    return [
        (api + "courses", CoursesHandler),
        (api + "courses/([^/]+)/requests", RequestsHandler),
        (api + "courses/([^/]+)/requests/mine", MyRequestHandler),
        (api + "courses/([^/]+)/requests/(approve|decline|undecline)", DecisionHandler),
        (api + "pending", PendingHandler),
        (api + "courses/([^/]+)/history", HistoryHandler),
        (re.escape(prefix), HomeHandler),
    ]


def make_app(
    enrolment: Enrolment,
    hub_auth: HubOAuth | None = None,
    account_regex: str | None = None,
    collaborative_group: str | None = None,
    projects: Any = None,
) -> web.Application:
    """The tornado application of the API.

    Parameters
    ----------
    enrolment : Enrolment
    hub_auth : HubOAuth, optional
        From the environment JupyterHub gives a managed service by default
        (``JUPYTERHUB_API_URL``, ``JUPYTERHUB_API_TOKEN``,
        ``JUPYTERHUB_CLIENT_ID``, ``JUPYTERHUB_SERVICE_PREFIX``...).
    account_regex, collaborative_group : str, optional
        Who is a collaboration account (:class:`CallerRules`).
    projects : Projects, optional
        Runtime projects and shares (:mod:`.projects_api`): their routes
        are there only with them.

    Returns
    -------
    tornado.web.Application
    """
    if hub_auth is None:
        hub_auth = HubOAuth(cache_max_age=IDENTITY_CACHE_SECONDS)
    # Exactly the service's own access scope (JupyterHub's default for a
    # service also accepts unfiltered access:services, which it implies).
    hub_auth.access_scopes = {contract.SERVICE_ACCESS_SCOPE}
    prefix = hub_auth.base_url
    kwargs = {
        "hub_auth": hub_auth,
        "enrolment": enrolment,
        "callers": CallerRules(account_regex, collaborative_group),
    }
    handlers: list[Any] = [(pattern, cls, kwargs) for pattern, cls in routes(prefix)]
    if projects is not None:
        from .projects_api import project_routes

        jobs = {**kwargs, "projects": projects}
        handlers += [(pattern, cls, jobs) for pattern, cls in project_routes(prefix)]
    handlers.append(
        (re.escape(prefix) + "oauth_callback", OAuthCallbackHandler, {"hub_auth": hub_auth})
    )
    return web.Application(
        handlers,
        # the OAuth cookie of browser visits; new at every start (a visit
        # after a restart goes through the hub's OAuth again, silently)
        cookie_secret=secrets.token_bytes(32),
        default_handler_class=NotFoundHandler,
    )
