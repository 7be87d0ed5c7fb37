"""The hub-groups service's token against a real JupyterHub 6.1.1 (issue 20):
what its filtered scopes let it do to projects' accounts, and what they do
not let it do to people (start, share or open their servers).

The token is the one JupyterHub gives the managed service: read from the
service process's environment (``JUPYTERHUB_API_TOKEN``), as the service
itself reads it; the process is found by the pid in the hub's service
model (the tests' admin service may read services).
"""

import asyncio
import time
from pathlib import Path

import pytest
import requests
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from jupyterlab_hub_groups.server.revalidate import CLOSE_REVOKED

from ..real_hub import RealHub, demo_yaml

#: The demo hubs here re-check visitors every this many seconds.
REVALIDATE = 5

PERSON_SHARE = {"user": "fjord"}


def service_token(hub: RealHub) -> str:
    model = hub.api("GET", "services/hub-groups").json()
    environ = Path(f"/proc/{model['pid']}/environ").read_bytes().split(b"\0")
    env = dict(item.decode().split("=", 1) for item in environ if b"=" in item)
    return env["JUPYTERHUB_API_TOKEN"]


def server_args(hub: RealHub, owner: str) -> list[str]:
    """The command line of `owner`'s running server (its pid: spawner state)."""
    pid = hub.api("GET", f"users/{owner}").json()["servers"][""]["state"]["pid"]
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")


@pytest.fixture(scope="module")
def runtime_hub(tmp_path_factory):
    folder = tmp_path_factory.mktemp("runtime-hub")
    hub = RealHub(
        folder,
        groups_yaml=demo_yaml(
            folder,
            runtime_projects={"allowed": "everyone", "max_per_person": 3},
            on_member_removed="none",
            revalidate_seconds=REVALIDATE,
        ),
    )
    hub.start()
    yield hub
    hub.stop()


@pytest.fixture(scope="module")
def shares_hub(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shares-hub")
    hub = RealHub(
        folder,
        groups_yaml=demo_yaml(
            folder,
            runtime_projects=None,
            project_access="shares",
            on_member_removed="none",
            revalidate_seconds=REVALIDATE,
        ),
    )
    hub.start()
    yield hub
    hub.stop()


def test_the_service_makes_a_project_at_runtime_and_keeps_its_shares(runtime_hub):
    hub = runtime_hub
    token = service_token(hub)

    def call(method, path, **kw):
        return hub.api_with(token, method, path, **kw)

    try:
        # the account and the group of a name nobody could know in advance
        assert call("POST", "users/orca-collab").status_code == 201
        assert call("POST", "groups/orca").status_code == 201
        r = call("POST", "groups/orca/users", json={"users": ["vex", "vax"]})
        assert r.status_code == 200, r.text
        # before it is in the collaborative group, the filters do not cover it
        assert call("POST", "users/orca-collab/server").status_code in (403, 404)
        r = call("POST", "groups/collaborative/users", json={"users": ["orca-collab"]})
        assert r.status_code == 200, r.text
        # start and stop it: servers!group=collaborative
        r = call("POST", "users/orca-collab/server")
        assert r.status_code in (201, 202), r.text
        hub.wait_ready("orca-collab")
        # spawned as a file project's account: collaboration on, People here
        # for its members, visitors re-checked
        args = server_args(hub, "orca-collab")
        assert "--HubGroupsConfig.presence_groups=orca" in args
        assert f"--HubGroupsConfig.revalidate_seconds={REVALIDATE}" in args
        assert not [a for a in args if "jupyter_server_ydoc=False" in a]
        # members get in by a share each: shares!group=collaborative (no
        # earlier refusal of vex here: the server caches identities)
        assert hub.server("orca-collab", "api/status", as_user="fjord").status_code in (403, 404)
        r = call("POST", "shares/orca-collab/", json={"user": "vex"})
        assert r.status_code == 200, r.text
        assert hub.server("orca-collab", "api/status", as_user="vex").status_code == 200
        listed = call("GET", "shares/orca-collab").json()["items"]
        assert [s["user"]["name"] for s in listed] == ["vex"]
        # a removed member's share is taken back: the server's re-check
        # closes their open session and refuses their next request
        code, elapsed = asyncio.run(
            revoked_then_cut_off(
                hub, "orca-collab", hub.token_for("vex"),
                lambda: call("PATCH", "shares/orca-collab/", json={"user": "vex"}),
            )
        )
        assert code == CLOSE_REVOKED
        assert elapsed < 3 * REVALIDATE + 10
        assert hub.server("orca-collab", "api/status", as_user="vex").status_code in (403, 404)
        # the service may read names for completion (list:users)
        assert call("GET", "users?name_filter=ve").status_code == 200
        r = call("DELETE", "users/orca-collab/server")
        assert r.status_code in (202, 204), r.text
        hub.wait_stopped("orca-collab")
        assert call("DELETE", "shares/orca-collab/").status_code == 204
    finally:
        hub.api("DELETE", "users/orca-collab/server")
        hub.api("DELETE", "users/orca-collab")
        hub.api("DELETE", "groups/orca")


async def revoked_then_cut_off(hub, server, token, revoke):
    """Open a collaboration websocket on ``server`` with ``token``, call
    ``revoke``, and wait (one deadline) until the server closes it: its
    close code and the seconds it took."""
    room = "api/collaboration/room/JupyterLab:globalAwareness"
    url = hub.url.replace("http", "ws") + f"/user/{server}/{room}"
    ws = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {token}"}))
    r = revoke()
    assert r.status_code == 200, r.text
    revoked = time.monotonic()

    async def until_closed():
        while await ws.read_message() is not None:
            pass  # awareness updates, until the server closes the socket

    await asyncio.wait_for(until_closed(), 60)
    return ws.close_code, time.monotonic() - revoked


def test_the_service_cannot_start_share_or_open_a_persons_server(runtime_hub):
    hub = runtime_hub
    token = service_token(hub)
    try:
        hub.start_server("mmuster")
        assert hub.api_with(token, "POST", "users/vex/server").status_code in (403, 404)
        assert hub.api_with(token, "DELETE", "users/mmuster/server").status_code in (403, 404)
        r = hub.api_with(token, "POST", "shares/mmuster/", json=PERSON_SHARE)
        assert r.status_code in (403, 404), r.text
        r = hub.api_with(token, "GET", "users/mmuster/tokens")
        assert r.status_code in (403, 404), "no tokens of people"
        r = requests.get(
            f"{hub.url}/user/mmuster/api/status",
            headers={"Authorization": f"token {token}"},
            allow_redirects=False,
            timeout=60,
        )
        assert r.status_code in (302, 403, 404), "no access:servers on people's servers"
    finally:
        hub.stop_server("mmuster")


def test_a_person_shares_their_own_server_and_the_service_may_revoke(runtime_hub):
    """The user role holds shares!user and read:users:name: a person shares
    their own server (only theirs); the service's users:shares takes a
    share away without any access to the server."""
    hub = runtime_hub
    token = service_token(hub)
    try:
        hub.start_server("mmuster")
        r = hub.api("POST", "shares/mmuster/", as_user="mmuster", json={"user": "alice"})
        assert r.status_code == 200, r.text
        r = hub.api("POST", "shares/mmuster/", as_user="mmuster", json={"group": "Class1234_Semester02"})
        assert r.status_code == 403, "no read:groups:name: a group is shared member by member"
        assert hub.server("mmuster", "api/status", as_user="alice").status_code == 200
        r = hub.api("POST", "shares/vex/", as_user="mmuster", json={"user": "alice"})
        assert r.status_code in (403, 404), "nobody else's server"
        r = hub.api_with(token, "DELETE", "users/alice/shared/mmuster/")
        assert r.status_code == 204, r.text
        assert hub.api("GET", "users/alice/shared", as_user="alice").json()["items"] == []
    finally:
        hub.api("DELETE", "shares/mmuster/")
        hub.stop_server("mmuster")


def test_with_shares_no_role_gives_members_the_account(shares_hub):
    hub = shares_hub
    token = service_token(hub)
    try:
        assert "collab-access-vox" not in hub.log(), "no role per project at start"
        # not a member by role: a member's own token cannot start it
        assert hub.api("POST", "users/vox-collab/server", as_user="vex").status_code in (403, 404)
        r = hub.api_with(token, "POST", "users/vox-collab/server")
        assert r.status_code in (201, 202), r.text
        hub.wait_ready("vox-collab")
        # (not asked for vex before the share: the server caches identities;
        # nor for the other members, whom the service may be sharing it with)
        assert hub.server("vox-collab", "api/status", as_user="fjord").status_code in (403, 404)
        r = hub.api_with(token, "POST", "shares/vox-collab/", json={"user": "vex"})
        assert r.status_code == 200, r.text
        assert hub.server("vox-collab", "api/status", as_user="vex").status_code == 200
        # the service reads its projects' groups, and no other group
        assert hub.api_with(token, "GET", "groups/vox").status_code == 200
        assert hub.api_with(token, "GET", "groups/instructors").status_code in (403, 404)
        assert hub.api_with(token, "POST", "groups/vox/users", json={"users": ["fjord"]}).status_code in (403, 404)
        # a member's share is taken back at once; the re-check ends the session
        code, _ = asyncio.run(
            revoked_then_cut_off(
                hub, "vox-collab", hub.token_for("vex"),
                lambda: hub.api_with(token, "PATCH", "shares/vox-collab/", json={"user": "vex"}),
            )
        )
        assert code == CLOSE_REVOKED
        # nor the people's servers, nor any account it does not keep
        r = hub.api_with(token, "POST", "shares/vex/", json=PERSON_SHARE)
        assert r.status_code in (403, 404), r.text
        assert hub.api_with(token, "POST", "users/vex/server").status_code in (403, 404)
        assert hub.api_with(token, "POST", "users/someone-collab").status_code in (403, 404)
    finally:
        hub.api("DELETE", "shares/vox-collab/")
        hub.stop_server("vox-collab")
