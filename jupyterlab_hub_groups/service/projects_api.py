"""The HTTP API of runtime projects and shared servers (:mod:`.projects`,
:mod:`.shares`), routed by :func:`.api.make_app` when the service keeps
projects:

- ``GET projects``: the projects one is a member of or created, whether
  one may create, how many one did and the limit.
- ``POST projects`` ``{"name", "members"}``: create (201).
- ``POST``/``DELETE projects/<name>/members`` ``{"users"}``: its creator or an admin.
- ``DELETE projects/<name>``: its creator or an admin (204).
- ``POST projects/<name>/start|stop``: its members (202).
- ``GET people?q=``: up to 20 people whose name starts with ``q``.
- ``GET|POST|DELETE shares``: one's own default server shared with people
  (``{"users"}``; revoke ``{"user"}``) or one of one's groups (``{"group"}``).

The caller is the token's user (as everywhere in the API, :mod:`.api`):
collaboration accounts and services are refused before these handlers
run. Whether one is in the allowed group, or shares with one's own group,
is read from the hub's answer about the token, asked at this request.
Sharing one's server is done with the token in the request's header (the
page's: ``shares!user=<self>``), never the service's (403
``token-required`` without one).
"""

from __future__ import annotations

import re
from typing import Any

from tornado import web

from ..hub_client import HubError
from .api import _Handler
from .api_error import ApiError, bad_request
from .bodies import MAX_USERS_BODY, _json_object, _users
from .projects import Projects

#: At most this many names answer ``GET people``.
MAX_PEOPLE = 20


class _ProjectsHandler(_Handler):
    """A handler of this module: the API's, with the projects' rules."""

    def initialize(self, projects: Projects, **kwargs: Any) -> None:
        super().initialize(**kwargs)
        self.projects = projects

    async def caller_groups(self) -> tuple[dict[str, Any], set[str]]:
        """The hub's answer about the token now, and the caller's groups in it."""
        model = await self.fresh()
        groups = model.get("groups")
        if not isinstance(groups, list):
            raise ApiError(
                403, "groups-unreadable", "This token may not read its owner's groups."
            )
        return model, {g for g in groups if isinstance(g, str)}

    def token(self) -> str | None:
        """The token in the request's header (a page's), if any."""
        return self.hub_auth.get_token(self, in_cookie=False)

    def body(self) -> dict[str, Any]:
        return _json_object(self.request.body, MAX_USERS_BODY)


class ProjectsHandler(_ProjectsHandler):
    """``GET`` and ``POST projects``."""

    @web.authenticated
    async def get(self) -> None:
        model, groups = await self.caller_groups()
        # the newcomers to the groups the caller shared their server with
        # get their shares now (the caller's token may make them)
        await self.projects.shares.top_up(self.caller, self.token())
        self.reply(200, await self.projects.listing(model, groups))

    @web.authenticated
    async def post(self) -> None:
        body = self.body()
        name = body.get("name")
        members = body.get("members", [])
        if not isinstance(name, str):
            raise bad_request('The request must be {"name": str, "members": [names]}.')
        members = _users({"users": members})
        model, groups = await self.caller_groups()
        self.reply(201, await self.projects.create(model, groups, name, members))


class ProjectHandler(_ProjectsHandler):
    """``DELETE projects/<name>``."""

    @web.authenticated
    async def delete(self, name: str) -> None:
        await self.projects.delete(await self.fresh(), name)
        self.set_status(204)
        self.finish()


class MembersHandler(_ProjectsHandler):
    """``POST`` and ``DELETE projects/<name>/members`` ``{"users": [...]}``."""

    async def _change(self, name: str, add: bool) -> None:
        users = _users(self.body())
        model = await self.fresh()
        self.reply(200, await self.projects.change_members(model, name, users, add))

    @web.authenticated
    async def post(self, name: str) -> None:
        await self._change(name, True)

    @web.authenticated
    async def delete(self, name: str) -> None:
        await self._change(name, False)


class StartStopHandler(_ProjectsHandler):
    """``POST projects/<name>/start|stop``."""

    @web.authenticated
    async def post(self, name: str, action: str) -> None:
        model = await self.fresh()
        self.reply(202, await self.projects.start_stop(model, name, action == "start"))


class PeopleHandler(_ProjectsHandler):
    """``GET people?q=<prefix>``: names for completion, never accounts."""

    @web.authenticated
    async def get(self) -> None:
        prefix = self.get_argument("q", "")
        if not prefix or len(prefix) > 255:
            raise bad_request("Say at least one character of the name (q).")
        try:
            names = await self.projects.people.named(prefix, MAX_PEOPLE)
        except HubError as e:
            raise ApiError(e.status, e.reason, e.message) from None
        self.reply(200, {"users": names})


class SharesHandler(_ProjectsHandler):
    """``GET``, ``POST`` and ``DELETE shares``: the caller's own default server."""

    @web.authenticated
    async def get(self) -> None:
        await self._call("top_up")
        await self._call("listing")

    @web.authenticated
    async def post(self) -> None:
        body = self.body()
        if "group" in body:
            model, groups = await self.caller_groups()
            group = body["group"]
            if not isinstance(group, str) or group not in groups:
                raise ApiError(
                    403, "not-your-group", "One shares one's server only with one's own groups."
                )
            return await self._call("share_with_group", group)
        users = _users(body)
        await self.fresh()
        try:
            users = await self.projects.people.check(users)
        except HubError as e:
            raise ApiError(e.status, e.reason, e.message) from None
        await self._call("share_with_people", users)

    @web.authenticated
    async def delete(self) -> None:
        body = self.body()
        await self.fresh()
        if isinstance(body.get("group"), str):
            return await self._call("unshare_group", body["group"])
        if isinstance(body.get("user"), str):
            return await self._call("unshare_person", body["user"])
        raise bad_request('The request must be {"user": name} or {"group": name}.')

    async def _call(self, method: str, *args: Any) -> None:
        token = self.token()
        if not token:
            raise ApiError(
                403, "token-required", "Sharing one's server needs the page's token in its header."
            )
        try:
            answer = await getattr(self.projects.shares, method)(self.caller, token, *args)
        except HubError as e:
            raise ApiError(e.status, e.reason, e.message) from None
        if answer is not None:
            self.reply(200, answer)


def project_routes(prefix: str) -> list[tuple[str, type]]:
    """The routes of this module under the service's prefix; a project's
    name is one path segment, URL-encoded by the caller."""
    api = re.escape(prefix + "api/")
    return [
        (api + "projects", ProjectsHandler),
        (api + "projects/([^/]+)", ProjectHandler),
        (api + "projects/([^/]+)/members", MembersHandler),
        (api + "projects/([^/]+)/(start|stop)", StartStopHandler),
        (api + "people", PeopleHandler),
        (api + "shares", SharesHandler),
    ]
