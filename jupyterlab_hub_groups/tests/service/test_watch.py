"""The managed service ``hub-groups`` against a fake hub API: what it does
when a member leaves a project, and when it cannot.

The fake hub answers through the one hub client (its ``fetch``), so the
client's headers, bodies and error mapping are the real ones. What the
watch saw is kept in the hub side's database, SQLite and PostgreSQL in
turn (``db_url``, tests/conftest.py). The real hub is in
tests/hub/test_real.py; here each case is exact and fast.
"""

import asyncio
import io
import json
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from tornado.httpclient import HTTPResponse

from jupyterlab_hub_groups.hub_client import HubClient, HubError
from jupyterlab_hub_groups.service import run
from jupyterlab_hub_groups.service.__main__ import serve
from jupyterlab_hub_groups.service.db import current_revision, open_database
from jupyterlab_hub_groups.service.sync import sync_members
from jupyterlab_hub_groups.service.watch import Watcher, group_members

API = "http://hub.test/hub/api"


class FakeHub:
    """Groups, servers and the calls made, as the hub's REST API shows them."""

    def __init__(self, groups, running=(), other_groups=0):
        self.groups = {g: set(m) for g, m in groups.items()}
        # groups the service's token cannot list: they count in `total` only
        self.other_groups = other_groups
        self.servers = {account: {"ready": True, "pending": None} for account in running}
        # account → its named servers (c.JupyterHub.allow_named_servers)
        self.named = {}
        self.calls = []
        self.requests = []  # every HTTPRequest the client sent
        self.fail = set()  # (method, path) answered with a 500
        self.known = None  # the hub's users (None: whoever is named)
        self.client = HubClient(API, fetch=self.fetch, token="service-token")

    async def fetch(self, request, raise_error=True):
        """The hub API over HTTP, as the client's fetch sees it."""
        self.requests.append(request)
        body = json.loads(request.body) if request.body else None
        code, answer = await self(request.method, request.url.split("/hub/api/", 1)[1], body)
        buffer = io.BytesIO(b"" if answer is None else json.dumps(answer).encode())
        return HTTPResponse(request, code, buffer=buffer)

    async def __call__(self, method, path, body):
        self.calls.append((method, path))
        if (method, path) in self.fail:
            return 500, {"message": "nope"}
        url = urlparse(path)
        parts = url.path.split("/")
        if parts == ["groups"]:
            query = {k: int(v[0]) for k, v in parse_qs(url.query).items()}
            names = sorted(self.groups)
            page = names[query["offset"] : query["offset"] + query["limit"]]
            total = len(names) + self.other_groups
            end = query["offset"] + query["limit"]
            return 200, {
                "items": [{"name": n, "users": sorted(self.groups[n])} for n in page],
                "_pagination": {
                    "offset": query["offset"],
                    "limit": query["limit"],
                    "total": total,
                    "next": {"offset": end} if end < total else None,
                },
            }
        if parts[0] == "groups" and len(parts) == 2:
            return 200, {"name": parts[1], "users": sorted(self.groups[parts[1]])}
        if parts[0] == "groups" and parts[2] == "users":
            users = set(body["users"])
            unknown = sorted(users - self.known) if self.known is not None else []
            if unknown:
                # JupyterHub refuses the whole list
                return 400, {"status": 400, "message": f"No such user: {unknown[0]}"}
            if method == "POST":
                self.groups[parts[1]] |= users
            else:
                self.groups[parts[1]] -= users
            return 200, {"name": parts[1], "users": sorted(self.groups[parts[1]])}
        if parts[0] == "users" and len(parts) == 2:
            server = self.servers.get(parts[1])
            if server and server["pending"] == "stop":
                # a stopping server is gone at the next look
                del self.servers[parts[1]]
                server = None
            named = self.named.get(parts[1], {})
            for name in [n for n, m in named.items() if m["pending"] == "stop"]:
                del named[name]
            servers = {"": server} if server else {}
            return 200, {"name": parts[1], "servers": {**servers, **named}}
        if parts[0] == "users" and parts[2] == "servers" and method == "DELETE":
            self.named[parts[1]][unquote(parts[3])]["pending"] = "stop"
            return 202, None
        if parts[0] == "users" and parts[2] == "server":
            if method == "DELETE":
                self.servers[parts[1]]["pending"] = "stop"
                return 202, None
            self.servers[parts[1]] = {"ready": False, "pending": "spawn"}
            return 202, None
        raise AssertionError(f"unexpected call {method} {path}")

    def server_calls(self):
        return [(m, p) for m, p in self.calls if p.endswith("/server") or "/servers/" in p]


PROJECTS = {"vox": "vox-collab", "mighty": "mighty-collab"}


def world(**kwargs):
    return FakeHub(
        {"vox": {"vex", "vax", "pike"}, "mighty": {"fjord", "beau"}, "Class": {"alice"}}, **kwargs
    )


@pytest.fixture
def db(db_url):
    """The hub side's database, as the service opens it."""
    database = open_database(db_url)
    yield database
    database.close()


def watcher(hub, db, action="restart"):
    return Watcher(hub.client, PROJECTS, action, db, stop_timeout=5, poll=0)


def check(w):
    return asyncio.run(w.check())


def test_a_member_leaving_restarts_the_shared_server(db):
    hub = world(running=["vox-collab", "mighty-collab"])
    w = watcher(hub, db)
    assert check(w) == {}, "the first round only looks"
    hub.groups["vox"].discard("vax")
    assert check(w) == {"vox": ["vax"]}
    assert hub.server_calls() == [
        ("DELETE", "users/vox-collab/server"),
        ("POST", "users/vox-collab/server"),
    ]
    assert hub.servers["vox-collab"]["pending"] == "spawn", "started again"
    assert check(w) == {}, "acted on once"


def test_stop_mode_does_not_start_it_again(db):
    hub = world(running=["vox-collab"])
    w = watcher(hub, db, action="stop")
    check(w)
    hub.groups["vox"].discard("pike")
    check(w)
    assert hub.server_calls() == [("DELETE", "users/vox-collab/server")]
    assert "vox-collab" not in hub.servers


def test_every_server_of_the_account_is_stopped_and_the_default_one_started_again(db):
    """With named servers allowed, a member may have started one of the
    account (before the hub helper refused them at spawn): its token is as
    good as the default server's, and is ended the same way."""
    hub = world(running=["vox-collab"])
    ready = {"ready": True, "pending": None}
    hub.named["vox-collab"] = {"bd": dict(ready), "a b/c": dict(ready)}
    w = watcher(hub, db)
    check(w)
    hub.groups["vox"].discard("vax")
    assert check(w) == {"vox": ["vax"]}
    assert sorted(hub.server_calls()) == [
        ("DELETE", "users/vox-collab/server"),
        ("DELETE", "users/vox-collab/servers/a%20b%2Fc"),
        ("DELETE", "users/vox-collab/servers/bd"),
        ("POST", "users/vox-collab/server"),
    ]
    assert hub.server_calls()[-1] == ("POST", "users/vox-collab/server"), "after every stop"
    assert hub.named["vox-collab"] == {}, "named servers are not started again"


def test_a_named_server_alone_is_stopped_and_nothing_started(db):
    hub = world()
    hub.named["vox-collab"] = {"bd": {"ready": True, "pending": None}}
    w = watcher(hub, db)
    check(w)
    hub.groups["vox"].discard("pike")
    check(w)
    assert hub.server_calls() == [("DELETE", "users/vox-collab/servers/bd")]
    assert "vox-collab" not in hub.servers


def test_nothing_to_do_for_a_server_that_is_not_running(db):
    hub = world()
    w = watcher(hub, db)
    check(w)
    hub.groups["vox"].discard("vax")
    assert check(w) == {"vox": ["vax"]}
    assert hub.server_calls() == []


def test_additions_and_other_groups_change_nothing(db):
    hub = world(running=["vox-collab"])
    w = watcher(hub, db)
    check(w)
    hub.groups["vox"].add("beau")
    hub.groups["Class"].clear()
    assert check(w) == {}
    assert hub.server_calls() == []


def test_a_deleted_project_group_counts_as_everyone_leaving(db):
    hub = world(running=["mighty-collab"])
    w = watcher(hub, db)
    check(w)
    del hub.groups["mighty"]
    assert check(w) == {"mighty": ["beau", "fjord"]}


def test_a_removal_made_while_the_service_was_down_is_acted_on(db_url):
    hub = world(running=["vox-collab"])
    before = open_database(db_url)
    check(watcher(hub, before))
    before.close()
    hub.groups["vox"].discard("vex")  # e.g. the authoritative sync at start
    # the service starts again: what it saw is in the database, not in it
    after = open_database(db_url)
    try:
        assert check(watcher(hub, after)) == {"vox": ["vex"]}
        assert after.records.watched() == {
            "vox": {"pike", "vax"},
            "mighty": {"beau", "fjord"},
        }
    finally:
        after.close()


def test_a_failed_restart_is_tried_again_next_round(db):
    hub = world(running=["vox-collab"])
    w = watcher(hub, db)
    check(w)
    hub.groups["vox"].discard("vax")
    hub.fail.add(("DELETE", "users/vox-collab/server"))
    assert check(w) == {}
    hub.fail.clear()
    assert check(w) == {"vox": ["vax"]}
    assert hub.server_calls()[-2:] == [
        ("DELETE", "users/vox-collab/server"),
        ("POST", "users/vox-collab/server"),
    ]


def test_a_failed_look_changes_nothing(db):
    hub = world(running=["vox-collab"])
    w = watcher(hub, db)
    check(w)
    hub.groups["vox"].discard("vax")
    hub.fail.add(("GET", "groups?offset=0&limit=200"))
    with pytest.raises(HubError):
        check(w)
    hub.fail.clear()
    assert check(w) == {"vox": ["vax"]}


def test_every_page_of_groups_is_read(tmp_path):
    hub = FakeHub({f"g{i:03d}": {f"u{i}"} for i in range(7)}, other_groups=50)
    members = asyncio.run(group_members(hub.client, {"g000", "g006"}, page=3))
    assert members == {"g000": {"u0"}, "g006": {"u6"}}
    # a short page ends the list, though `total` counts groups it cannot see
    assert [p for _, p in hub.calls] == [
        "groups?offset=0&limit=3",
        "groups?offset=3&limit=3",
        "groups?offset=6&limit=3",
    ]


def test_sync_makes_the_members_the_files():
    hub = world()
    asyncio.run(sync_members(hub.client, {"vox": ["vex", "beau"], "Class": ["alice"]}))
    assert hub.groups["vox"] == {"vex", "beau"}
    assert ("DELETE", "groups/Class/users") not in hub.calls


def test_a_name_the_hub_does_not_know_does_not_stop_the_others(caplog):
    """The file names someone the hub has no user for: JupyterHub refuses a
    whole list for one unknown name; the others still join, and the sync
    does not fail (which would retry it for ever)."""
    hub = world()
    hub.known = {"vex", "vax", "pike", "beau", "fjord", "alice", "kim"}
    with caplog.at_level("ERROR", logger="hub-groups"):
        asyncio.run(sync_members(hub.client, {"vox": ["vex", "kim", "ghost"]}))
    assert hub.groups["vox"] == {"vex", "kim"}
    assert "could not sync 'ghost' in 'vox'" in caplog.text


def test_the_service_syncs_then_watches_until_stopped(db):
    hub = world(running=["vox-collab"])
    config = {
        "sync": {"vox": ["vex", "pike"]},
        "projects": PROJECTS,
        "on_member_removed": "restart",
        "interval": 0.01,
    }
    # what the service saw before this start: vax was in vox
    db.records.set_watched({"vox": ["pike", "vax", "vex"]})

    async def main():
        stop = asyncio.Event()
        task = asyncio.create_task(run(config, hub.client, stop, db))
        deadline = asyncio.get_running_loop().time() + 5
        while ("POST", "users/vox-collab/server") not in hub.calls:
            assert asyncio.get_running_loop().time() < deadline, hub.calls
            await asyncio.sleep(0.01)
        stop.set()
        await asyncio.wait_for(task, 5)

    asyncio.run(main())
    assert hub.groups["vox"] == {"vex", "pike"}
    assert hub.server_calls() == [
        ("DELETE", "users/vox-collab/server"),
        ("POST", "users/vox-collab/server"),
    ]


def test_the_service_process_opens_the_database_for_the_watch_alone(db_url, monkeypatch):
    """No course takes requests: the service still opens the database of
    ``db_url`` (migrated to the newest revision), and the watch keeps what
    it saw there."""
    hub = world(running=["vox-collab"])
    monkeypatch.setattr(HubClient, "from_environment", classmethod(lambda cls: hub.client))
    config = {
        "sync": None,
        "projects": PROJECTS,
        "on_member_removed": "restart",
        "interval": 0.01,
        "db_url": db_url,
        "enrolment": None,
    }
    look = ("GET", "groups?offset=0&limit=200")

    async def main():
        stop = asyncio.Event()
        task = asyncio.create_task(serve(config, stop))
        deadline = asyncio.get_running_loop().time() + 10
        # a second look starts after the first one's record is written
        while hub.calls.count(look) < 2:
            assert not task.done(), task
            assert asyncio.get_running_loop().time() < deadline, hub.calls
            await asyncio.sleep(0.005)
        stop.set()
        await asyncio.wait_for(task, 5)

    asyncio.run(main())
    database = open_database(db_url)
    try:
        assert current_revision(database.store.engine) == "0007"
        assert database.records.watched()["vox"] == {"vex", "vax", "pike"}
    finally:
        database.close()


def test_the_service_calls_the_hub_with_its_own_token_and_follows_no_redirect(db):
    hub = world(running=["vox-collab"])
    w = watcher(hub, db)
    check(w)
    hub.groups["vox"].discard("vax")
    check(w)
    asyncio.run(sync_members(hub.client, {"vox": ["vex"]}))
    assert hub.requests
    for request in hub.requests:
        assert request.headers["Authorization"] == "token service-token"
        assert request.follow_redirects is False
    lists = [r for r in hub.requests if r.url.startswith(f"{API}/groups?")]
    assert {r.headers["Accept"] for r in lists} == {"application/jupyterhub-pagination+json"}
    [removal] = [r for r in hub.requests if r.method == "DELETE" and r.url.endswith("/users")]
    assert json.loads(removal.body) == {"users": ["pike"]}
    assert removal.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "answer",
    [{"name": "vox"}, {"users": "vex"}, ["vex"], None],
    ids=["no users", "users not a list", "a list", "nothing"],
)
def test_a_group_answer_that_is_not_a_group_stops_the_sync(answer):
    hub = world()

    async def odd(request, raise_error=True):
        hub.calls.append((request.method, request.url))
        buffer = io.BytesIO(b"" if answer is None else json.dumps(answer).encode())
        return HTTPResponse(request, 200, buffer=buffer)

    hub.client._fetch = odd
    with pytest.raises(HubError) as e:
        asyncio.run(sync_members(hub.client, {"vox": ["vex"]}))
    assert e.value.reason == "hub-bad-response"
    assert all(m == "GET" for m, _ in hub.calls), "nothing changed"


def test_a_failed_call_says_which():
    hub = world()
    hub.fail.add(("GET", "groups/vox"))
    with pytest.raises(HubError) as e:
        asyncio.run(sync_members(hub.client, {"vox": ["vex"]}))
    assert e.value.reason == "hub-error"
    assert str(e.value).startswith("GET groups/vox: ")
