"""The projects and shares of the hub-groups service against a real
JupyterHub (the demo world, :mod:`..real_hub`): the service's API and its
watch's rounds run in this process, on an event loop of their own (a
thread), with the tests' admin service token of the demo hub as the
service's token and the hub's real database behind every answer.

Why not the managed service the hub runs: the tests decide when a round
runs (one round, then look), and start a *new* service process (a new
loop, database opened afresh) after a hub restart.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from pathlib import Path
from urllib.parse import quote

import requests
import tornado.httpserver
from jupyterhub.services.auth import HubOAuth

from jupyterlab_hub_groups.hub_client import HubClient
from jupyterlab_hub_groups.service.api import make_app
from jupyterlab_hub_groups.service.config import RuntimeProjectsConfig
from jupyterlab_hub_groups.service.db import open_database
from jupyterlab_hub_groups.service.enrolment import Enrolment
from jupyterlab_hub_groups.service.project_store import ProjectStore
from jupyterlab_hub_groups.service.projects import Projects
from jupyterlab_hub_groups.service.shares import Shares
from jupyterlab_hub_groups.service.watch import Watcher

from ..real_hub import RealHub

#: The demo's YAML projects and courses: names no runtime project may take.
RESERVED = ("vox", "mighty", "Class1234_Semester02")


def runtime_config(allowed=None, most=2) -> RuntimeProjectsConfig:
    return RuntimeProjectsConfig(
        allowed=allowed,
        max_per_person=most,
        account_pattern="{project}-collab",
        collaborative_group="collaborative",
        reserved=RESERVED,
    )


class Service:
    """The service's projects, shares, API and rounds, on a loop of their own.

    Parameters
    ----------
    hub : RealHub
    db_path : Path
        Its database (SQLite); the same file for a service started again.
    config : RuntimeProjectsConfig
    share_projects : dict, optional
        YAML projects kept by shares.
    """

    def __init__(self, hub: RealHub, db_path: Path, config, share_projects=None):
        self.hub = hub
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.port = None
        self._call(self._start(db_path, config, share_projects or {}))
        self.url = f"http://127.0.0.1:{self.port}/services/hub-groups/api/"

    def _call(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(120)

    async def _start(self, db_path, config, share_projects):
        self.client = HubClient(f"{self.hub.url}/hub/api", timeout=30, token=self.hub.token)
        self.db = open_database(f"sqlite:///{db_path}")
        self.store = ProjectStore(self.db.store.engine)
        self.shares = Shares(self.client, self.db, self.store, share_projects)
        self.projects = Projects(self.client, self.db, self.store, self.shares, config)
        self.watcher = Watcher(
            self.client, dict(share_projects), "restart", self.db,
            more_projects=self.shares.project_accounts,
        )
        hub_auth = HubOAuth(
            api_url=f"{self.hub.url}/hub/api",
            api_token=self.hub.token,
            oauth_client_id="service-hub-groups-tests",
            hub_prefix="/hub/",
            base_url="/services/hub-groups/",
        )
        enrolment = Enrolment({}, self.db, self.client, 0)
        app = make_app(
            enrolment,
            hub_auth=hub_auth,
            account_regex=r".+\-collab",
            collaborative_group="collaborative",
            projects=self.projects,
        )
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        sock.setblocking(False)
        self.server = tornado.httpserver.HTTPServer(app)
        self.server.add_sockets([sock])
        self.port = sock.getsockname()[1]

    def round(self) -> dict:
        """One round of the watch loop, as :func:`jupyterlab_hub_groups.service.run`
        runs it: repair, shares, then the watch (what it acted on)."""

        async def one():
            await self.projects.check()
            return await self.watcher.check()

        return self._call(one())

    def stop(self) -> None:
        async def down():
            self.server.stop()

        self._call(down())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.db.close()

    # --- calling it ------------------------------------------------------------------

    def call(self, method, path, as_user, **kwargs) -> requests.Response:
        """Call the API as ``as_user`` (an API token of theirs)."""
        return requests.request(
            method,
            self.url + path,
            headers={"Authorization": f"token {self.hub.token_for(as_user)}"},
            timeout=120,
            **kwargs,
        )

    def create(self, as_user, name, members=()):
        return self.call("POST", "projects", as_user, json={"name": name, "members": list(members)})


def shared_with(hub: RealHub, owner: str) -> set[str]:
    """Who has a user share of ``owner``'s default server, as the hub says."""
    r = hub.api("GET", f"shares/{quote(owner, safe='')}/")
    if r.status_code == 404:
        return set()
    r.raise_for_status()
    return {s["user"]["name"] for s in r.json()["items"] if s["kind"] == "user"}


def members(hub: RealHub, group: str) -> set[str]:
    r = hub.api("GET", f"groups/{quote(group, safe='')}")
    return set(r.json()["users"]) if r.status_code == 200 else set()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
