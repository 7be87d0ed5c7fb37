"""The hub helper against a real JupyterHub running the demo world.

demo/jupyterhub_config.py calls ``configure_hub(c, "demo/groups.yaml")``;
these tests check what that gives to real users (API tokens of their own,
with their own permissions), to real servers (their own tokens, read from
the process as code on the server would) and to real logins.
"""

import asyncio
import time

import pytest
import yaml
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from jupyterlab_hub_groups import contract
from jupyterlab_hub_groups.server.revalidate import CLOSE_REVOKED

from .. import records
from ..real_hub import PROJECT, RealHub, browser_session, demo_yaml, page_token

COURSE = "Class1234_Semester02"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hub")
    # The demo world without the restart on removal: these tests add and
    # remove members while shared servers run, and a restart by the hub-groups
    # service would race with what they check (the server extension's own
    # cut-off, a stop). The restart is tested on `watched_hub` below.
    hub = RealHub(folder, groups_yaml=demo_yaml(folder, on_member_removed="none"))
    hub.start()
    yield hub
    hub.stop()


@pytest.fixture(scope="module")
def watched_hub(tmp_path_factory):
    """The demo world as shipped (a member's removal restarts the shared
    server), checking every 5 s instead of 20, open to any login name
    (as an authenticator without allowed_users), with named servers."""
    folder = tmp_path_factory.mktemp("watched-hub")
    hub = RealHub(
        folder,
        groups_yaml=demo_yaml(folder, revalidate_seconds=5),
        env={"HUB_GROUPS_OPEN_LOGIN": "1"},
        args=["--JupyterHub.allow_named_servers=True"],
    )
    hub.start()
    yield hub
    hub.stop()


def test_project_members_use_start_and_stop_the_shared_server(hub):
    assert hub.start_server("vox-collab", as_user="vex").status_code in (201, 202)
    assert hub.server("vox-collab", "api/status", as_user="vex").status_code == 200
    # Not a member: no access, and no way to start or stop it.
    assert hub.server("vox-collab", "api/status", as_user="fjord").status_code in (403, 404)
    assert hub.api("DELETE", "users/vox-collab/server", as_user="fjord").status_code in (403, 404)
    # A member of one project cannot start another's.
    assert hub.api("POST", "users/mighty-collab/server", as_user="vex").status_code in (403, 404)
    assert hub.stop_server("vox-collab", as_user="vex").status_code in (202, 204)


def test_membership_changes_take_effect_without_restart(hub):
    try:
        assert hub.api("POST", "users/vox-collab/server", as_user="beau").status_code in (403, 404)
        hub.api("POST", "groups/vox/users", json={"users": ["beau"]}).raise_for_status()
        assert hub.start_server("vox-collab", as_user="beau").status_code in (201, 202)
        hub.api("DELETE", "groups/vox/users", json={"users": ["beau"]}).raise_for_status()
        assert hub.api("DELETE", "users/vox-collab/server", as_user="beau").status_code in (403, 404)
    finally:
        hub.api("DELETE", "groups/vox/users", json={"users": ["beau"]})
        hub.stop_server("vox-collab")


def test_instructor_manages_the_course_group_only(hub):
    try:
        r = hub.api("POST", f"groups/{COURSE}/users", as_user="prof", json={"users": ["beau"]})
        assert r.status_code == 200, r.text
        assert COURSE in hub.groups_of("beau")
        r = hub.api("DELETE", f"groups/{COURSE}/users", as_user="prof", json={"users": ["beau"]})
        assert r.status_code == 200, r.text
        assert COURSE not in hub.groups_of("beau")
        r = hub.api("POST", "groups/vox/users", as_user="prof", json={"users": ["prof"]})
        assert r.status_code in (403, 404)
        assert "vox" not in hub.groups_of("prof")
    finally:
        hub.api("DELETE", f"groups/{COURSE}/users", json={"users": ["beau"]})


def test_course_kernel_and_service_exist_only_in_members_servers(hub):
    try:
        hub.start_server("mmuster")
        specs = hub.server("mmuster", "api/kernelspecs", as_user="mmuster").json()["kernelspecs"]
        assert "class1234_semester02" in specs
        page = hub.server("mmuster", "course-dashboard/", as_user="mmuster")
        assert page.status_code == 200 and "Course dashboard" in page.text

        hub.start_server("fjord")
        specs = hub.server("fjord", "api/kernelspecs", as_user="fjord").json()["kernelspecs"]
        assert "class1234_semester02" not in specs
        page = hub.server("fjord", "course-dashboard/", as_user="fjord", allow_redirects=True)
        assert page.status_code == 404 and "Course dashboard" not in page.text
        r = hub.server(
            "fjord", "api/kernels", as_user="fjord", method="POST",
            json={"name": "class1234_semester02"},
        )
        assert r.status_code >= 400
    finally:
        hub.stop_server("mmuster")
        hub.stop_server("fjord")


def page_config(hub, owner, as_user):
    import json
    import re

    r = hub.server(owner, "lab", as_user=as_user)
    assert r.status_code == 200, r.text[:500]
    m = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', r.text, re.S)
    return json.loads(m.group(1))


COLLABORATION_PACKAGES = {"@jupyter/collaboration-extension", "@jupyter/docprovider-extension"}


def test_collaboration_only_on_collaboration_accounts(hub):
    """Off on personal servers, server side (no collaboration endpoints) and
    in the UI (its labextensions disabled); on for collaboration accounts."""
    session = "api/collaboration/session/notebook.ipynb"
    body = {"format": "json", "type": "notebook"}
    try:
        hub.start_server("vex")
        assert COLLABORATION_PACKAGES <= set(page_config(hub, "vex", "vex")["disabledExtensions"])
        r = hub.server("vex", session, as_user="vex", method="PUT", json=body)
        assert r.status_code == 404
        assert hub.server("vex", "api/status", as_user="vex").status_code == 200

        hub.start_server("vox-collab")
        config = page_config(hub, "vox-collab", "vex")
        assert not COLLABORATION_PACKAGES & set(config["disabledExtensions"])
        assert config.get("disableRTC") is False
        r = hub.server("vox-collab", session, as_user="vex", method="PUT", json=body)
        assert r.status_code in (200, 201), r.text
    finally:
        hub.stop_server("vex")
        hub.stop_server("vox-collab")


def test_runtime_membership_survives_a_restart(hub):
    try:
        hub.api("POST", "groups/mighty/users", json={"users": ["alice"]}).raise_for_status()
        hub.api("DELETE", "groups/mighty/users", json={"users": ["jester"]}).raise_for_status()
        hub.restart()
        members = hub.api("GET", "groups/mighty").json()["users"]
        assert "alice" in members, "added at runtime, kept"
        assert "jester" not in members, "removed at runtime, not put back from the YAML"
    finally:
        hub.api("DELETE", "groups/mighty/users", json={"users": ["alice"]})
        hub.api("POST", "groups/mighty/users", json={"users": ["jester"]})


def test_removal_reaches_open_sessions(hub):
    """Within 60 s of leaving the project, an open session is cut off:
    the collaboration websocket is closed and REST calls get 403."""
    hub.api("POST", "groups/vox/users", json={"users": ["beau"]}).raise_for_status()
    token = hub.token_for("beau")
    try:
        hub.start_server("vox-collab")
        assert hub.server("vox-collab", "api/status", as_user="beau").status_code == 200
        room = "api/collaboration/room/JupyterLab:globalAwareness"
        url = hub.url.replace("http", "ws") + f"/user/vox-collab/{room}"

        async def removed_then_cut_off():
            ws = await websocket_connect(
                HTTPRequest(url, headers={"Authorization": f"token {token}"})
            )
            hub.api("DELETE", "groups/vox/users", json={"users": ["beau"]}).raise_for_status()
            removed = time.monotonic()

            async def until_closed():
                while await ws.read_message() is not None:
                    pass  # awareness updates, until the server closes the socket

            # One deadline for the whole wait: awareness messages keep coming,
            # so a per-message timeout would never expire.
            await asyncio.wait_for(until_closed(), 60)
            return ws.close_code, time.monotonic() - removed

        code, elapsed = asyncio.run(removed_then_cut_off())
        assert code == CLOSE_REVOKED
        assert elapsed < 60
        assert hub.server("vox-collab", "api/status", as_user="beau").status_code == 403
    finally:
        hub.api("DELETE", "groups/vox/users", json={"users": ["beau"]})
        hub.stop_server("vox-collab")


def test_authoritative_yaml_undoes_runtime_changes_at_restart(tmp_path):
    yaml_file = demo_yaml(tmp_path, authoritative=True)
    hub = RealHub(tmp_path / "hub", groups_yaml=yaml_file)
    hub.data_dir.mkdir()
    hub.start()
    try:
        hub.api("POST", "groups/mighty/users", json={"users": ["alice"]}).raise_for_status()
        hub.api("DELETE", "groups/mighty/users", json={"users": ["jester"]}).raise_for_status()
        hub.restart()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            members = sorted(hub.api("GET", "groups/mighty").json()["users"])
            if members == ["beau", "fjord", "jester"]:
                break
            time.sleep(0.5)
        assert members == ["beau", "fjord", "jester"]
    finally:
        hub.stop()


# --- Server tokens ------------------------------------------------------------------------


def test_an_admins_server_token_cannot_stop_other_servers(hub):
    """JupyterHub gives a server token the requested scopes its owner holds:
    any unfiltered scope there is hub-wide on an admin's server."""
    try:
        hub.start_server("admin")
        hub.start_server("fjord")
        token = hub.server_token("admin")
        assert hub.api_with(token, "GET", "user").json()["name"] == "admin"
        assert hub.api_with(token, "DELETE", "users/fjord/server").status_code in (403, 404)
        assert hub.api_with(token, "DELETE", "users/vox-collab/server").status_code in (403, 404)
        assert hub.api_with(token, "GET", "users/fjord").status_code in (403, 404)
        assert hub.api("GET", "users/fjord").json()["servers"][""]["ready"]
    finally:
        hub.stop_server("admin")
        hub.stop_server("fjord")


def test_a_members_server_token_sees_and_stops_its_projects_shared_server_only(hub):
    """What the collaboration cards do, through the member's own server."""
    try:
        hub.start_server("vex")
        hub.start_server("vox-collab")
        token = hub.server_token("vex")
        model = hub.api_with(token, "GET", "users/vox-collab").json()
        assert model["servers"][""]["ready"]
        assert hub.api_with(token, "GET", "users/mighty-collab").status_code in (403, 404)
        assert hub.api_with(token, "DELETE", "users/mighty-collab/server").status_code in (403, 404)
        assert hub.api_with(token, "DELETE", "users/fjord/server").status_code in (403, 404)
        assert hub.api_with(token, "DELETE", "users/vox-collab/server").status_code in (202, 204)
        hub.wait_stopped("vox-collab")
    finally:
        hub.stop_server("vex")
        hub.stop_server("vox-collab")


# --- A member leaves: the shared server's token dies ---------------------------------------


def test_removing_a_member_restarts_the_shared_server(watched_hub):
    """A member could have copied the shared server's token (it opens the
    server); after their removal that token no longer works."""
    hub = watched_hub
    try:
        hub.start_server("vox-collab")
        old = hub.server_token("vox-collab")
        assert hub.api_with(old, "GET", "user").status_code == 200
        # the service has looked at least once, so it knows vax was a member
        deadline = time.monotonic() + 60
        while "vax" not in records.watched(hub.db_url).get("vox", ()):
            assert time.monotonic() < deadline, "the hub-groups service never looked"
            time.sleep(0.2)

        hub.api("DELETE", "groups/vox/users", json={"users": ["vax"]}).raise_for_status()
        removed = time.monotonic()
        while (code := hub.api_with(old, "GET", "user").status_code) == 200:
            assert time.monotonic() - removed < 60, "the old server token still works"
            time.sleep(0.3)
        assert code == 403
        hub.wait_ready("vox-collab")
        new = hub.server_token("vox-collab")
        assert new != old and hub.api_with(new, "GET", "user").status_code == 200
        # one look (5 s here), the stop and the start
        assert time.monotonic() - removed < 45
        assert "restart the server of vox-collab" in hub.log()
    finally:
        hub.api("POST", "groups/vox/users", json={"users": ["vax"]})
        hub.stop_server("vox-collab")


def test_a_member_gets_no_named_server_of_the_shared_account(watched_hub):
    """With named servers on, vex may ask for ``vox-collab/bd``
    (``servers!user=vox-collab``); its token would outlive his
    removal, which restarts the default server only. The start is refused:
    no server, no token, nothing to open."""
    hub = watched_hub
    try:
        r = hub.api("POST", "users/vox-collab/servers/bd", as_user="vex")
        assert r.status_code not in (201, 202), r.text
        assert "named servers are not" not in r.text.lower(), "named servers are on here"
        deadline = time.monotonic() + 60
        while "bd" in (servers := hub.api("GET", "users/vox-collab").json()["servers"]):
            assert time.monotonic() < deadline, servers
            time.sleep(0.3)
        assert hub.server("vox-collab", "bd/api/status", as_user="vex").status_code != 200
        assert "only its default server may run (/user/vox-collab/)" in hub.log()
    finally:
        hub.api("DELETE", "users/vox-collab/servers/bd", json={"remove": True})


# --- Logins ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, allowed",
    [("vox-collab", False), ("newproj-collab", False), ("newcomer", True)],
)
def test_nobody_logs_in_as_a_collaboration_account(watched_hub, name, allowed):
    """With an authenticator open to any name: today's accounts, and those
    of projects that do not exist yet, are refused."""
    r = watched_hub.login(name)
    assert r.status_code == (302 if allowed else 403), r.text[:300]


# --- Instructors: the course's environment, and the page token ------------------------------


def kernels(hub, owner):
    return hub.server(owner, "api/kernelspecs", as_user=owner).json()["kernelspecs"]


def test_an_instructors_server_has_the_course_environment(hub):
    """prof is in no course group; the role the hub helper makes for the
    course's instructors is what gives the kernel and the service."""
    assert COURSE not in hub.groups_of("prof")
    try:
        hub.start_server("prof")
        assert "class1234_semester02" in kernels(hub, "prof")
        page = hub.server("prof", "course-dashboard/", as_user="prof")
        assert page.status_code == 200 and "Course dashboard" in page.text
    finally:
        hub.stop_server("prof")


def test_a_course_can_keep_its_environment_from_its_instructors(tmp_path):
    data = yaml.safe_load((PROJECT / "demo" / "groups.yaml").read_text())
    data["courses"][COURSE]["instructors_get_environment"] = False
    data["settings"] = {"on_member_removed": "none"}
    path = tmp_path / "groups.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    hub = RealHub(tmp_path / "hub", groups_yaml=path)
    hub.data_dir.mkdir()
    hub.start()
    try:
        hub.start_server("prof")
        assert "class1234_semester02" not in kernels(hub, "prof")
        assert hub.server("prof", "course-dashboard/", as_user="prof").status_code in (302, 404)
        hub.start_server("mmuster")
        assert "class1234_semester02" in kernels(hub, "mmuster"), "the students keep it"
    finally:
        hub.stop()


def token_scopes(hub, name, server):
    """The scopes of the token `name`'s browser gets on `server` after a real
    login (the page's token, which that server asks the hub about)."""
    token = page_token(hub, browser_session(hub, name, server), server)
    answer = hub.api_with(token, "GET", "user").json()
    assert answer["name"] == name
    return answer["scopes"]


GROUP_SCOPES = ("groups", "admin:groups", "read:groups", "list:groups", "read:groups:name")


#: What prof's page token may do at the hub (SECURITY.md, "The instructor
#: token's exact reach"): JupyterHub has no scope narrower than
#: groups!group=<course> for adding and removing members, and that one also
#: writes the group's properties.
INSTRUCTOR_MAY = [
    ("GET", "groups", None),  # lists only the course
    ("GET", f"groups/{COURSE}", None),
    ("POST", f"groups/{COURSE}/users", {"users": ["beau"]}),
    ("DELETE", f"groups/{COURSE}/users", {"users": ["beau"]}),
    ("POST", f"groups/{COURSE}/users", {"users": ["prof"]}),  # anyone, themselves too
    ("DELETE", f"groups/{COURSE}/users", {"users": ["prof"]}),
    ("PUT", f"groups/{COURSE}/properties", {"set-by": "prof"}),
    ("GET", "users", None),  # names only (list:users)
    ("GET", "users/mmuster", None),  # idem
]
#: What it may not: other groups, making or deleting groups, roles, users,
#: tokens, shares, other servers (its own it may restart: below).
INSTRUCTOR_MAY_NOT = [
    ("GET", "groups/vox", None),
    ("POST", "groups/vox/users", {"users": ["prof"]}),
    ("PUT", "groups/vox/properties", {"x": 1}),
    ("POST", "groups/instructors/users", {"users": ["beau"]}),
    ("POST", "groups/newgroup", None),
    ("DELETE", f"groups/{COURSE}", None),
    ("POST", "users/newbie", None),
    ("DELETE", "users/mmuster", None),
    ("POST", "users/mmuster/tokens", {}),
    ("POST", "users/prof/tokens", {}),
    ("POST", "users/mmuster/server", None),
    ("DELETE", "users/mmuster/server", None),
    # his own server he may share (the demo makes projects at runtime: the
    # user role holds shares!user), nobody else's
    ("POST", "shares/mmuster/", {"user": "prof"}),
    ("GET", f"groups/{COURSE}/shared", None),
    ("GET", "services", None),
    ("GET", "proxy", None),
]


def test_the_page_token_on_an_instructors_own_server_may_manage_the_course_and_no_more(hub):
    """The token JupyterHub puts in prof's page: the course's members and
    properties, user names, nothing else."""
    try:
        hub.start_server("prof")
        hub.start_server("mmuster")
        token = page_token(hub, browser_session(hub, "prof", "prof"), "prof")
        prof = hub.api_with(token, "GET", "user").json()["scopes"]
        assert f"groups!group={COURSE}" in prof and "list:users" in prof
        assert contract.managed_groups(prof) == {COURSE}
        assert not [s for s in prof if s.startswith("groups!group=") and s != f"groups!group={COURSE}"]
        for method, path, body in INSTRUCTOR_MAY:
            r = hub.api_with(token, method, path, **({} if body is None else {"json": body}))
            assert r.status_code == 200, (method, path, r.status_code, r.text)
        assert [g["name"] for g in hub.api_with(token, "GET", "groups").json()] == [COURSE]
        assert hub.api("GET", f"groups/{COURSE}").json()["properties"] == {"set-by": "prof"}
        assert set(hub.api_with(token, "GET", "users/mmuster").json()) <= {
            "name", "kind", "admin", "user_info"
        }, "a name, no groups, no servers"
        for method, path, body in INSTRUCTOR_MAY_NOT:
            r = hub.api_with(token, method, path, **({} if body is None else {"json": body}))
            assert r.status_code in (403, 404), (method, path, r.status_code, r.text)
        assert hub.api("GET", "users/mmuster").json()["servers"][""]["ready"]
        assert hub.api("GET", "groups/newgroup").status_code == 404

        student = token_scopes(hub, "mmuster", "mmuster")
        assert contract.managed_groups(student) == set()
        assert "list:users" not in student
        assert not [s for s in student if s.partition("!")[0] in GROUP_SCOPES]
    finally:
        hub.api("PUT", f"groups/{COURSE}/properties", json={})
        hub.api("DELETE", f"groups/{COURSE}/users", json={"users": ["beau", "prof"]})
        hub.api("DELETE", "shares/mmuster/")
        hub.stop_server("prof")
        hub.stop_server("mmuster")


def test_no_group_scopes_on_a_collaboration_accounts_server(hub):
    """vex opens vox-collab's server (the hub's "Authorize access" page
    included): the page there holds nothing to manage groups with."""
    try:
        hub.start_server("vox-collab")
        scopes = token_scopes(hub, "vex", "vox-collab")
        assert contract.managed_groups(scopes) == set()
        assert not [s for s in scopes if s.partition("!")[0] in GROUP_SCOPES], scopes
        assert "list:users" not in scopes
    finally:
        hub.stop_server("vox-collab")


def test_a_page_token_stops_its_own_server_and_no_other_and_the_hub_starts_it_again(hub):
    """The page's "Restart my server" (a course joined since the start):
    the token in mmuster's page stops her server and touches no one
    else's; JupyterHub deletes the server's OAuth client with it, so the
    page's token dies there and the browser's hub session starts it again
    (``/hub/spawn/<user>?next=<the page>``) and comes back to the page."""
    try:
        hub.start_server("mmuster")
        hub.start_server("alice")
        session = browser_session(hub, "mmuster", "mmuster")
        token = page_token(hub, session, "mmuster")
        for method, who in (("DELETE", "alice"), ("POST", "alice"), ("DELETE", "vox-collab")):
            r = hub.api_with(token, method, f"users/{who}/server")
            assert r.status_code in (403, 404), (method, who, r.status_code, r.text)
        assert hub.api("GET", "users/alice").json()["servers"][""]["ready"]

        hub.api("POST", "groups/vox/users", json={"users": ["mmuster"]})
        r = hub.api_with(token, "DELETE", "users/mmuster/server")
        assert r.status_code in (202, 204), r.text
        hub.wait_stopped("mmuster")
        assert hub.api_with(token, "GET", "user").status_code == 403, "gone with the server"

        r = session.get(
            f"{hub.url}/hub/spawn/mmuster", params={"next": "/user/mmuster/lab/tree/x"}, timeout=120
        )
        r.raise_for_status()
        # the hub's progress page, which goes to `next` once the server is up
        assert r.url.startswith(f"{hub.url}/hub/spawn-pending/mmuster?"), r.url
        assert "next=%2Fuser%2Fmmuster%2Flab%2Ftree%2Fx" in r.url
        hub.wait_ready("mmuster")
        assert session.get(f"{hub.url}/user/mmuster/lab", timeout=60).status_code == 200
    finally:
        hub.api("DELETE", "groups/vox/users", json={"users": ["mmuster"]})
        hub.stop_server("mmuster")
        hub.stop_server("alice")
