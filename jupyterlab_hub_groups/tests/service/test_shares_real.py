"""Shares kept in step by the hub-groups service against a real JupyterHub
(issue 20): a project's members through the API and through the hub's own
REST API (followed at the next round), and "Share my server" with people
and with a group, revoked. The service runs in this process
(:mod:`.projects_world`); the shares are the hub's, read from its API.
"""

import pytest
import requests

from jupyterlab_hub_groups.service.shares import FULL_ROUND_EVERY

from ..real_hub import RealHub, demo_yaml
from .projects_world import Service, members, runtime_config, shared_with

COURSE = "Class1234_Semester02"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shares-hub")
    # people may share their own server (their tokens hold shares!user=<self>)
    # where the file lets them make projects
    hub = RealHub(
        folder,
        groups_yaml=demo_yaml(
            folder, on_member_removed="none", runtime_projects={"allowed": "everyone"}
        ),
    )
    hub.start()
    yield hub
    hub.stop()


@pytest.fixture
def service(hub, tmp_path):
    service = Service(hub, tmp_path / "service.sqlite", runtime_config())
    yield service
    service.stop()


def test_every_membership_change_is_followed(hub, service):
    assert service.create("vex", "orca", ["vax"]).status_code == 201
    try:
        assert shared_with(hub, "orca-collab") == {"vex", "vax"}
        # through the API: at once
        r = service.call("POST", "projects/orca/members", "vex", json={"users": ["pike"]})
        assert r.json()["members"] == ["pike", "vax", "vex"]
        assert shared_with(hub, "orca-collab") == {"vex", "vax", "pike"}
        r = service.call("DELETE", "projects/orca/members", "vex", json={"users": ["pike"]})
        assert shared_with(hub, "orca-collab") == {"vex", "vax"}
        # through the hub's REST API (an admin elsewhere): at the next round
        hub.api("POST", "groups/orca/users", json={"users": ["beau"]}).raise_for_status()
        hub.api("DELETE", "groups/orca/users", json={"users": ["vax"]}).raise_for_status()
        assert shared_with(hub, "orca-collab") == {"vex", "vax"}
        service.round()
        assert shared_with(hub, "orca-collab") == {"vex", "beau"}
        # a share made by hand for someone else is taken away too, members
        # unchanged: at the next full round (every account's shares read)
        hub.api("POST", "shares/orca-collab/", json={"user": "fjord"}).raise_for_status()
        for _ in range(FULL_ROUND_EVERY):
            service.round()
        assert shared_with(hub, "orca-collab") == {"vex", "beau"}
        # the listing says the members as the hub has them
        [listed] = service.call("GET", "projects", "beau").json()["projects"]
        assert listed["members"] == ["beau", "vex"]
    finally:
        assert service.call("DELETE", "projects/orca", "vex").status_code == 204
    assert shared_with(hub, "orca-collab") == set()


def test_a_person_shares_her_server_with_people_and_revokes(hub, service):
    r = service.call("POST", "shares", "mmuster", json={"users": ["alice", "pike"]})
    assert r.status_code == 200, r.text
    assert r.json() == {
        "shares": [{"kind": "user", "user": "alice"}, {"kind": "user", "user": "pike"}]
    }
    assert shared_with(hub, "mmuster") == {"alice", "pike"}
    r = service.call("DELETE", "shares", "mmuster", json={"user": "pike"})
    assert r.json() == {"shares": [{"kind": "user", "user": "alice"}]}
    assert shared_with(hub, "mmuster") == {"alice"}
    r = service.call("POST", "shares", "mmuster", json={"users": ["nobody", "vox-collab"]})
    assert (r.status_code, r.json()["error"], r.json()["users"]) == (
        400,
        "unknown-users",
        ["nobody", "vox-collab"],
    )
    service.call("DELETE", "shares", "mmuster", json={"user": "alice"})
    assert service.call("GET", "shares", "mmuster").json() == {"shares": []}
    assert shared_with(hub, "mmuster") == set()


def test_a_person_shares_her_server_with_her_group_kept_in_step(hub, service):
    course = members(hub, COURSE)
    assert "mmuster" in course and "alice" in course
    # shared with alice by name first: that share outlives the group's
    service.call("POST", "shares", "mmuster", json={"users": ["alice"]})
    r = service.call("POST", "shares", "mmuster", json={"group": COURSE})
    assert r.status_code == 200, r.text
    assert r.json()["shares"] == [
        {"kind": "user", "user": "alice"},
        {"kind": "group", "group": COURSE, "users": sorted(course - {"mmuster"})},
    ]
    assert shared_with(hub, "mmuster") == course - {"mmuster"}
    try:
        # a newcomer to the course, added elsewhere, gets one at mmuster's
        # next call (her page's GET projects): the service shares her
        # server with her token, never its own
        hub.api("POST", f"groups/{COURSE}/users", json={"users": ["jester"]}).raise_for_status()
        service.round()
        assert "jester" not in shared_with(hub, "mmuster")
        assert service.call("GET", "projects", "mmuster").status_code == 200
        assert "jester" in shared_with(hub, "mmuster")
        # a leaver loses it at the next round
        hub.api("DELETE", f"groups/{COURSE}/users", json={"users": ["jester"]}).raise_for_status()
        service.round()
        assert "jester" not in shared_with(hub, "mmuster")
    finally:
        hub.api("DELETE", f"groups/{COURSE}/users", json={"users": ["jester"]})
    # revoking the group ends the shares made for it, not alice's by name
    r = service.call("DELETE", "shares", "mmuster", json={"group": COURSE})
    assert r.json() == {"shares": [{"kind": "user", "user": "alice"}]}
    assert shared_with(hub, "mmuster") == {"alice"}
    service.call("DELETE", "shares", "mmuster", json={"user": "alice"})
    assert shared_with(hub, "mmuster") == set()


def test_alice_opens_the_shared_server_until_it_is_revoked(hub, service):
    hub.start_server("mmuster")
    try:
        service.call("POST", "shares", "mmuster", json={"group": COURSE})
        assert hub.server("mmuster", "api/status", as_user="alice").status_code == 200
        service.call("DELETE", "shares", "mmuster", json={"group": COURSE})
        assert "alice" not in shared_with(hub, "mmuster")
        # the hub refuses her now (the running server may keep its cached
        # answer about her old token: a new token of hers is asked afresh)
        fresh = hub.api("POST", "users/alice/tokens", json={"note": "after"}).json()["token"]
        r = requests.get(
            f"{hub.url}/user/mmuster/api/status",
            headers={"Authorization": f"token {fresh}"},
            allow_redirects=False,
            timeout=60,
        )
        assert r.status_code == 403
    finally:
        service.call("DELETE", "shares", "mmuster", json={"group": COURSE})
        hub.stop_server("mmuster")


def test_one_shares_only_with_ones_own_groups(hub, service):
    r = service.call("POST", "shares", "alice", json={"group": "vox"})
    assert (r.status_code, r.json()["error"]) == (403, "not-your-group")
    r = service.call("POST", "shares", "vox-collab", json={"users": ["alice"]})
    assert (r.status_code, r.json()["error"]) == (403, "collaboration-account")
    r = service.call("DELETE", "shares", "alice", json={})
    assert (r.status_code, r.json()["error"]) == (400, "bad-request")
    assert shared_with(hub, "alice") == set()


def test_shares_survive_a_service_restart(hub, tmp_path):
    path = tmp_path / "service.sqlite"
    first = Service(hub, path, runtime_config())
    try:
        first.call("POST", "shares", "alice", json={"group": COURSE})
    finally:
        first.stop()
    again = Service(hub, path, runtime_config())
    try:
        hub.api("POST", f"groups/{COURSE}/users", json={"users": ["beau"]}).raise_for_status()
        [group] = again.call("GET", "shares", "alice").json()["shares"]
        assert group["group"] == COURSE and "beau" in group["users"]
        assert "beau" in shared_with(hub, "alice")
        # and a leaver loses it at the next round, without alice
        hub.api("DELETE", f"groups/{COURSE}/users", json={"users": ["beau"]})
        again.round()
        assert "beau" not in shared_with(hub, "alice")
    finally:
        hub.api("DELETE", f"groups/{COURSE}/users", json={"users": ["beau"]})
        again.call("DELETE", "shares", "alice", json={"group": COURSE})
        again.stop()
    assert shared_with(hub, "alice") == set()


def test_one_account_failing_does_not_stop_the_others(hub, service, monkeypatch):
    from jupyterlab_hub_groups.hub_client import HubError
    from jupyterlab_hub_groups.service.shares import Shares

    assert service.create("jester", "ant").status_code == 201
    assert service.create("jester", "bee").status_code == 201
    try:
        for group in ("ant", "bee"):
            hub.api("POST", f"groups/{group}/users", json={"users": ["pike"]}).raise_for_status()
        real = Shares.shared_with

        async def failing(self, owner, token=None):
            if owner == "ant-collab":
                raise HubError(502, "hub-timeout", "JupyterHub did not answer.")
            return await real(self, owner, token)

        monkeypatch.setattr(Shares, "shared_with", failing)
        service.round()
        assert "pike" in shared_with(hub, "bee-collab")
        assert "pike" not in shared_with(hub, "ant-collab")
        monkeypatch.setattr(Shares, "shared_with", real)
        service.round()
        assert "pike" in shared_with(hub, "ant-collab")
    finally:
        for group in ("ant", "bee"):
            service.call("DELETE", f"projects/{group}", "jester")
