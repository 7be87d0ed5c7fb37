"""The enrolment API of the hub-groups service against the fake hub of the
project's conftest.py: JupyterHub's own HubOAuth asks it who a token
belongs to (and its scopes), and the service adds people to groups
through it with its own token. The database is a real SQLite file, its
clock set by the tests; a test that parametrizes ``world`` indirectly with
``DATABASES`` runs on a real PostgreSQL server as well.
"""

from __future__ import annotations

import json
import socket
from datetime import datetime, timedelta

import pytest
import tornado.httpserver
from jupyterhub.services.auth import HubOAuth
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from urllib.parse import quote

from jupyterlab_hub_groups import contract
from jupyterlab_hub_groups.hub_client import HubClient
from jupyterlab_hub_groups.service.api import make_app
from jupyterlab_hub_groups.service.db import open_database
from jupyterlab_hub_groups.service.enrolment import Course, Enrolment

from ..conftest import DATABASES, database_url  # noqa: F401 (DATABASES: for the tests)

COURSE = "Class1234_Semester02"
OPEN = "Open101"
#: Course names the YAML file refuses, but the service must still carry
#: safely through its URLs, its database, the hub's URLs and its logs.
ODD = ["a/b", "a!b", "Grüße-Kurs", "a\nb"]
ACCESS = contract.SERVICE_ACCESS_SCOPE


def page(name):
    """What the page token of ``name``'s own server holds, as the hub's
    ``/hub/api/user`` answers it (expanded): JupyterHub's identify scopes,
    access to the server, and the service."""
    return [
        f"read:users:name!user={name}",
        f"read:users:groups!user={name}",
        f"access:servers!server={name}/",
        ACCESS,
    ]

START = datetime(2026, 12, 1, 9, 0, 0)


class LiveModels(dict):
    """The fake hub's token → user model, with ``groups`` read live from
    its groups (as JupyterHub answers ``/hub/api/user``)."""

    def __init__(self, hub, models):
        super().__init__(models)
        self.hub = hub

    def __getitem__(self, token):
        model = dict(super().__getitem__(token))
        if model.get("kind") == "user" and "groups" in model:
            live = [g for g, members in self.hub.groups.items() if model["name"] in members]
            model["groups"] = sorted(set(model["groups"]) | set(live))
        return model


class World:
    """The service under test, and how to call it."""

    def __init__(self, hub, url, app, db, clock, notified, enrolment):
        self.hub = hub
        self.enrolment = enrolment
        self.url = url
        self.app = app
        self.db = db
        self.clock = clock
        self.notified = notified
        self.client = AsyncHTTPClient()

    async def call(self, method, path, token=None, body=None, raw=None, headers=None):
        """Call the API as the holder of ``token``; the answer (any status)."""
        all_headers = dict(headers or {})
        if token:
            all_headers["Authorization"] = f"token {token}"
        if raw is None and body is not None:
            raw = json.dumps(body).encode()
        request = HTTPRequest(
            self.url + path,
            method=method,
            headers=all_headers,
            body=raw,
            allow_nonstandard_methods=True,
            follow_redirects=False,
        )
        response = await self.client.fetch(request, raise_error=False)
        response.json = json.loads(response.body) if response.body else None
        return response

    async def ask(self, token, group=COURSE, message=None, body=None):
        if body is None:
            body = {} if message is None else {"message": message}
        return await self.call("POST", f"courses/{quote(group, safe='')}/requests", token, body)

    async def decide(self, token, users, decision="approve", group=COURSE):
        return await self.call(
            "POST", f"courses/{quote(group, safe='')}/requests/{decision}", token, {"users": users}
        )

    def rows(self):
        from jupyterlab_hub_groups.service.db import requests

        with self.db.store.engine.connect() as db:
            return [dict(r._mapping) for r in db.execute(requests.select())]

    def later(self, **delta):
        self.clock[0] += timedelta(**delta)


def user(name, scopes=None, groups=()):
    return {
        "kind": "user",
        "name": name,
        "admin": False,
        "groups": list(groups),
        "scopes": page(name) if scopes is None else list(scopes),
    }


@pytest.fixture
def world(request, fake_hub, tmp_path):
    """Students alice, mmuster, mmuster2 (mmuster in the course); prof
    manages it; admin has the hub's unfiltered admin scopes; vox-collab is
    a collaboration account; the service's own token may change the
    courses' members. On SQLite, or on the database its parameter names
    (``sqlite`` or ``postgresql``)."""
    fake_hub.people = ["admin", "alice", "mmuster", "mmuster2", "prof", "vox-collab"]
    fake_hub.groups = {COURSE: ["mmuster"], OPEN: [], "collaborative": ["vox-collab"]}
    fake_hub.groups.update({g: [] for g in ODD})
    courses = [COURSE, OPEN, *ODD]
    fake_hub.users = LiveModels(
        fake_hub,
        {
            "service-token": {
                "kind": "service",
                "name": "hub-groups",
                "scopes": [f"groups!group={g}" for g in courses],
            },
            "alice-token": user("alice"),
            "mmuster-token": user("mmuster"),
            "mmuster2-token": user("mmuster2"),
            "prof-token": user(
                "prof",
                page("prof") + [f"groups!group={g}" for g in [COURSE, *ODD]] + ["list:users"],
                ["instructors"],
            ),
            "admin-token": {
                **user("admin", ["admin:groups", "admin:users", "access:services", "admin-ui"]),
                "admin": True,
            },
            "collab-token": user("vox-collab", None, ["collaborative"]),
            "no-access-token": user("alice", page("alice")[:-1]),
            # alice's token for mmuster's server, which she visits (a share),
            # on a hub that gives visitors the service's scope (6.1.1 does
            # not): mmuster's code sees it with every request
            "alice-on-mmuster-token": user(
                "alice",
                [s.replace("server=alice/", "server=mmuster/") for s in page("alice")],
            ),
            # a token that may not read its owner's groups (made with fewer
            # scopes): the hub's answer has no "groups"
            "alice-bare-token": {"kind": "user", "name": "alice", "scopes": [ACCESS]},
            "other-service-token": {"kind": "service", "name": "other", "scopes": [ACCESS]},
        },
    )
    clock = [START]
    kind = getattr(request, "param", "sqlite")
    url = f"sqlite:///{tmp_path / 'enrolment.sqlite'}" if kind == "sqlite" else None
    db = open_database(url or database_url(request, kind), clock=lambda: clock[0])
    notified = []
    enrolment = Enrolment(
        {
            COURSE: Course(COURSE, "request", ("prof@example.org",)),
            OPEN: Course(OPEN, "open", title="Drawing for Beginners"),
            **{g: Course(g, "request") for g in ODD},
        },
        db,
        HubClient(fake_hub.url, timeout=2, token="service-token"),
        rate_limit=5,
        notifier=lambda request, course: notified.append((request.user, course.name)),
    )
    hub_auth = HubOAuth(
        api_url=fake_hub.url,
        api_token="service-token",
        oauth_client_id="service-hub-groups",
        hub_prefix="/hub/",
        base_url="/services/hub-groups/",
        cache_max_age=5,
    )
    app = make_app(
        enrolment,
        hub_auth=hub_auth,
        account_regex=r".+\-collab",
        collaborative_group="collaborative",
    )
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.setblocking(False)
    server = tornado.httpserver.HTTPServer(app)
    server.add_sockets([sock])
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/services/hub-groups/api/"
    yield World(fake_hub, url, app, db, clock, notified, enrolment)
    server.stop()
    db.close()
