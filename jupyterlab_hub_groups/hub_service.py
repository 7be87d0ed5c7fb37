"""The hub side's managed service ``hub-groups``: keeps groups as the YAML
file says, and ends what a removed project member could keep using.

Why a service: a project's members can run code on the project's shared
server and so read that server's own ``$JUPYTERHUB_API_TOKEN`` (it opens
the server: ``access:servers!server``). Removing someone from the project
group does not end that token, nor the processes they left running there.
Stopping the server does: JupyterHub deletes a server's API token and its
OAuth client (and with it every visitor's OAuth token) when it stops.
Nothing in JupyterHub reacts to a membership change, so this service
watches the project groups and restarts (or stops) the shared server of a
project that lost a member. It runs with a token of its own that may read
the file's project groups and start and stop their shared servers, nothing
else (see ``jupyterlab_hub_groups.hub._service``).

It also does the one-off job of authoritative mode: at start, each group's
members are made exactly the file's (``load_groups`` only adds); a member
removed that way counts as a removal too.

Run by JupyterHub (``c.JupyterHub.services``) as::

    python -m jupyterlab_hub_groups.hub_service STATE_DIR/service.json

with ``JUPYTERHUB_API_URL`` and ``JUPYTERHUB_API_TOKEN`` in its environment.
What it last saw is kept in ``STATE_DIR/watch.json`` (0600), so a removal
made while it was not running (hub restart, authoritative sync) is still
acted on.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .hub import write_private

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


async def sync_members(call: Call, wanted: Mapping[str, list[str]]) -> None:
    """Make each group's members exactly ``wanted``."""
    for group, members in wanted.items():
        path = f"groups/{quote(group, safe='')}"
        code, model = await call("GET", path, None)
        if code != 200:
            raise HubError(f"GET {path}: {code}")
        current = set(model["users"])
        extra = sorted(current - set(members))
        missing = sorted(set(members) - current)
        if extra:
            log.info("removing %s from %s, as the file says", extra, group)
            await _expect(call, "DELETE", f"{path}/users", {"users": extra}, (200,))
        if missing:
            log.info("adding %s to %s, as the file says", missing, group)
            await _expect(call, "POST", f"{path}/users", {"users": missing}, (200,))


async def _expect(call: Call, method: str, path: str, body: Any, codes: tuple[int, ...]) -> Any:
    code, answer = await call(method, path, body)
    if code not in codes:
        raise HubError(f"{method} {path}: {code} {answer!r}")
    return answer


async def group_members(call: Call, groups: set[str], page: int = 200) -> dict[str, set[str]]:
    """The members of ``groups``, from the paginated group list.

    The token may list only these groups (``list:groups!group=...``), so a
    few pages answer for any number of projects. JupyterHub counts *all*
    groups in ``total``, so a short page, not ``total``, ends the list.
    """
    members: dict[str, set[str]] = {}
    offset = 0
    while True:
        answer = await _expect(call, "GET", f"groups?offset={offset}&limit={page}", None, (200,))
        items = answer["items"]
        for group in items:
            if group["name"] in groups:
                members[group["name"]] = set(group.get("users") or ())
        limit = answer.get("_pagination", {}).get("limit") or page
        if not items or len(items) < limit or not answer["_pagination"].get("next"):
            return members
        offset += len(items)


class Watcher:
    """Acts on members leaving project groups.

    Parameters
    ----------
    call : Call
        The hub's REST API.
    projects : mapping
        Project group → its collaboration account.
    action : str
        ``restart`` or ``stop`` the account's server (if it is running).
    snapshot : Path
        Where the members last seen are kept between runs.
    stop_timeout : float
        How long to wait for a server to stop before giving up this round.
    """

    def __init__(
        self,
        call: Call,
        projects: Mapping[str, str],
        action: str,
        snapshot: Path,
        stop_timeout: float = 300,
        poll: float = 0.5,
    ) -> None:
        self.call = call
        self.projects = dict(projects)
        self.action = action
        self.snapshot = snapshot
        self.stop_timeout = stop_timeout
        self.poll = poll

    def _load(self) -> dict[str, list[str]]:
        try:
            return json.loads(self.snapshot.read_text())
        except (OSError, ValueError):
            return {}

    async def check(self) -> dict[str, list[str]]:
        """One round: compare the project groups with what was seen last,
        act on every project that lost a member, remember what was seen.

        Returns
        -------
        dict
            Project → members who left it (and were acted on) this round.
        """
        current = await group_members(self.call, set(self.projects))
        before = self._load()
        seen: dict[str, list[str]] = {}
        acted: dict[str, list[str]] = {}
        for project, account in self.projects.items():
            # A group that is gone has no members: everyone left it.
            now = current.get(project, set())
            left = sorted(set(before.get(project, ())) - now) if project in before else []
            seen[project] = sorted(now)
            if not left:
                continue
            log.info("%s left project %s: %s the server of %s", left, project, self.action, account)
            try:
                await self.act(account)
            except (HubError, asyncio.TimeoutError) as e:
                log.error("could not %s the server of %s: %s", self.action, account, e)
                # still counted as there: the next round tries again
                seen[project] = sorted(now | set(left))
                continue
            acted[project] = left
        write_private(self.snapshot, json.dumps(seen, indent=1, sort_keys=True) + "\n")
        return acted

    async def _server(self, account: str) -> dict[str, Any] | None:
        code, model = await self.call("GET", f"users/{quote(account, safe='')}", None)
        if code == 404:
            return None
        if code != 200:
            raise HubError(f"GET users/{account}: {code}")
        return (model.get("servers") or {}).get("")

    async def act(self, account: str) -> None:
        """Stop the account's server if it is running or starting, wait until
        it is gone (its token and OAuth client are deleted then), and start
        it again for ``restart``. A stopped server has no token left: nothing
        to do."""
        server = await self._server(account)
        if server is None or server.get("pending") == "stop":
            return  # not running, or already going (someone stopped it)
        path = f"users/{quote(account, safe='')}/server"
        await _expect(self.call, "DELETE", path, None, (202, 204))
        deadline = time.monotonic() + self.stop_timeout
        while await self._server(account) is not None:
            if time.monotonic() > deadline:
                raise asyncio.TimeoutError(f"the server of {account} did not stop")
            await asyncio.sleep(self.poll)
        log.info("stopped the server of %s: its token is no more", account)
        if self.action == "restart":
            await _expect(self.call, "POST", path, None, (201, 202))
            log.info("started the server of %s again", account)


async def run(config: Mapping[str, Any], call: Call, stop: asyncio.Event) -> None:
    """Sync once (authoritative mode), then watch until ``stop`` is set."""
    retry = 1.0
    while config.get("sync") and not stop.is_set():
        try:
            await sync_members(call, config["sync"])
            log.info("members are as the file says")
            break
        except (HubError, OSError, KeyError) as e:
            log.error("could not sync the members (again in %g s): %s", retry, e)
            await _wait(stop, retry)
            retry = min(retry * 2, 60)
    if not config.get("projects"):
        await stop.wait()  # a managed service that exits is restarted by the hub
        return
    watcher = Watcher(
        call, config["projects"], config["on_member_removed"], Path(config["snapshot"])
    )
    while not stop.is_set():
        try:
            await watcher.check()
        except Exception:  # one bad round must not end the watch
            log.exception("watching the project groups failed; trying again")
        await _wait(stop, config["interval"])


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except asyncio.TimeoutError:
        pass


def main(argv: list[str]) -> None:
    """``python -m jupyterlab_hub_groups.hub_service SERVICE_JSON``."""
    if len(argv) != 1:
        raise SystemExit("usage: python -m jupyterlab_hub_groups.hub_service SERVICE_JSON")
    logging.basicConfig(
        level=logging.INFO,
        format="[%(levelname)1.1s %(asctime)s hub-groups] %(message)s",
        stream=sys.stderr,
    )
    config = json.loads(Path(argv[0]).read_text())

    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        call = hub_api(os.environ["JUPYTERHUB_API_URL"], os.environ["JUPYTERHUB_API_TOKEN"])
        await run(config, call, stop)

    asyncio.run(serve())


if __name__ == "__main__":
    main(sys.argv[1:])
