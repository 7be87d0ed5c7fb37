"""Runtime projects of the hub-groups service against a real JupyterHub
(issue 20): who may create, the limit per person, names refused as the
YAML file's are, clashes, who may manage, start and stop, and that the
projects survive a hub restart. The service runs in this process
(:mod:`.projects_world`); the hub is the demo world, its database real.
"""

import pytest

from ..real_hub import RealHub, demo_yaml
from .projects_world import Service, members, runtime_config, shared_with


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    folder = tmp_path_factory.mktemp("projects-hub")
    hub = RealHub(folder, groups_yaml=demo_yaml(folder, on_member_removed="none"))
    hub.start()
    yield hub
    hub.stop()


@pytest.fixture
def service(hub, tmp_path):
    service = Service(hub, tmp_path / "service.sqlite", runtime_config())
    yield service
    service.stop()


def test_a_project_is_made_with_its_group_account_and_shares(hub, service):
    r = service.create("vex", "orca", ["vax"])
    assert r.status_code == 201, r.text
    assert r.json() == {
        "name": "orca",
        "account": "orca-collab",
        "kind": "runtime",
        "creator": "vex",
        "members": ["vax", "vex"],
        "may_manage": True,
        "status": "stopped",
        "url": "/user/orca-collab/",
    }
    assert members(hub, "orca") == {"vex", "vax"}
    assert "orca-collab" in members(hub, "collaborative")
    assert shared_with(hub, "orca-collab") == {"vex", "vax"}
    # vax sees it, may not manage it; fjord does not see it
    [listed] = service.call("GET", "projects", "vax").json()["projects"]
    assert (listed["name"], listed["may_manage"]) == ("orca", False)
    assert service.call("GET", "projects", "fjord").json()["projects"] == []
    # fjord, not a member: refused everywhere, and told nothing of it
    for method, path in [
        ("POST", "projects/orca/start"),
        ("POST", "projects/orca/stop"),
        ("DELETE", "projects/orca"),
    ]:
        r = service.call(method, path, "fjord")
        assert (r.status_code, r.json()["error"]) == (404, "no-such-project"), path
    r = service.call("POST", "projects/orca/members", "fjord", json={"users": ["fjord"]})
    assert r.status_code == 404
    # vax, a member, may not change members nor delete
    r = service.call("POST", "projects/orca/members", "vax", json={"users": ["pike"]})
    assert (r.status_code, r.json()["error"]) == (403, "not-the-creator")
    r = service.call("DELETE", "projects/orca", "vax")
    assert (r.status_code, r.json()["error"]) == (403, "not-the-creator")
    assert members(hub, "orca") == {"vex", "vax"}
    # the creator cannot be removed
    r = service.call("DELETE", "projects/orca/members", "vex", json={"users": ["vex"]})
    assert (r.status_code, r.json()["error"]) == (400, "creator-stays")

    r = service.call("DELETE", "projects/orca", "vex")
    assert r.status_code == 204, r.text
    assert hub.api("GET", "groups/orca").status_code == 404
    assert hub.api("GET", "users/orca-collab").status_code == 404
    assert service.call("GET", "projects", "vex").json()["projects"] == []


def test_members_start_and_stop_the_server_and_a_leaver_loses_it(hub, service):
    assert service.create("vex", "otter", ["vax"]).status_code == 201
    try:
        r = service.call("POST", "projects/otter/start", "vax")
        assert r.status_code == 202, r.text
        hub.wait_ready("otter-collab")
        assert service.call("GET", "projects", "vax").json()["projects"][0]["status"] == "running"
        assert hub.server("otter-collab", "api/status", as_user="vax").status_code == 200
        assert hub.server("otter-collab", "api/status", as_user="fjord").status_code in (
            302,
            403,
            404,
        )
        service.round()  # what it saw: vex and vax
        r = service.call("DELETE", "projects/otter/members", "vex", json={"users": ["vax"]})
        assert r.status_code == 200 and r.json()["members"] == ["vex"]
        # her share is gone at once; the next round restarts the server (the
        # running one may still know her token: single-user servers cache
        # the hub's answer about a token)
        assert shared_with(hub, "otter-collab") == {"vex"}
        assert service.round() == {"otter": ["vax"]}
        hub.wait_ready("otter-collab")
        assert hub.server("otter-collab", "api/status", as_user="vax").status_code != 200
        assert hub.server("otter-collab", "api/status", as_user="vex").status_code == 200
        r = service.call("POST", "projects/otter/stop", "vex")
        assert r.status_code == 202, r.text
        hub.wait_stopped("otter-collab")
    finally:
        service.call("DELETE", "projects/otter", "vex")


def test_who_may_create(hub, tmp_path):
    service = Service(hub, tmp_path / "s.sqlite", runtime_config(allowed="instructors"))
    try:
        listing = service.call("GET", "projects", "alice").json()
        assert (listing["may_create"], listing["max_per_person"]) == (False, 2)
        r = service.create("alice", "lynx")
        assert (r.status_code, r.json()["error"]) == (403, "not-allowed")
        assert service.call("GET", "projects", "prof").json()["may_create"] is True
        assert service.create("prof", "lynx", ["alice"]).status_code == 201
        # alice is a member all the same: she sees it, starts it
        [listed] = service.call("GET", "projects", "alice").json()["projects"]
        assert listed["name"] == "lynx"
        # a collaboration account never calls the service
        r = service.call("GET", "projects", "vox-collab")
        assert (r.status_code, r.json()["error"]) == (403, "collaboration-account")
        r = service.create("vox-collab", "mole")
        assert (r.status_code, r.json()["error"]) == (403, "collaboration-account")
        assert service.call("DELETE", "projects/lynx", "prof").status_code == 204
    finally:
        service.stop()


def test_the_limit_counts_the_projects_one_has_made(hub, service):
    assert service.create("pike", "p1").status_code == 201
    assert service.create("pike", "p2").status_code == 201
    r = service.create("pike", "p3")
    assert (r.status_code, r.json()["error"]) == (409, "too-many-projects")
    assert hub.api("GET", "groups/p3").status_code == 404
    assert service.call("GET", "projects", "pike").json()["created"] == 2
    # someone else's count is theirs
    assert service.create("beau", "b1").status_code == 201
    assert service.call("DELETE", "projects/p1", "pike").status_code == 204
    assert service.create("pike", "p3").status_code == 201
    for name, who in [("p2", "pike"), ("p3", "pike"), ("b1", "beau")]:
        assert service.call("DELETE", f"projects/{name}", who).status_code == 204


@pytest.mark.parametrize(
    "name, status, error",
    [
        ("9lives", 400, "invalid-name"),  # starts with a digit
        ("Orca", 400, "invalid-name"),  # JupyterHub would lowercase its account
        ("a b", 400, "invalid-name"),
        ("a/b", 400, "invalid-name"),
        ("", 400, "invalid-name"),
        ("x" * 122, 400, "invalid-name"),
        ("vox", 409, "name-taken"),  # a YAML project
        ("class1234_semester02", 409, "name-taken"),  # a course, whatever its case
        ("collaborative", 409, "name-taken"),  # the collaborative group
        ("instructors", 409, "name-taken"),  # a group of the hub
        ("vex", 409, "name-taken"),  # a person
    ],
)
def test_names_are_checked_as_the_files_are(hub, service, name, status, error):
    before = hub.api("GET", "groups").json()
    r = service.create("jester", name)
    assert (r.status_code, r.json()["error"]) == (status, error), r.text
    assert r.json()["message"]
    assert hub.api("GET", "groups").json() == before
    assert service.call("GET", "projects", "jester").json()["created"] == 0


def test_a_clash_with_an_account_and_unknown_members_are_refused(hub, service):
    hub.api("POST", "users/heron-collab").raise_for_status()
    try:
        r = service.create("jester", "heron")
        assert (r.status_code, r.json()["error"]) == (409, "name-taken")
    finally:
        hub.api("DELETE", "users/heron-collab")
    r = service.create("jester", "heron", ["nobody", "vox-collab", "vax"])
    assert (r.status_code, r.json()["error"]) == (400, "unknown-users")
    assert r.json()["users"] == ["nobody", "vox-collab"]
    assert hub.api("GET", "groups/heron").status_code == 404


def test_people_are_completed_without_accounts(hub, service):
    r = service.call("GET", "people?q=v", "vex")
    assert r.json() == {"users": ["vax", "vex"]}  # not vox-collab
    r = service.call("GET", "people?q=", "vex")
    assert (r.status_code, r.json()["error"]) == (400, "bad-request")


def test_projects_survive_a_hub_restart(hub, tmp_path):
    path = tmp_path / "service.sqlite"
    first = Service(hub, path, runtime_config())
    try:
        assert first.create("beau", "seal", ["jester"]).status_code == 201
    finally:
        first.stop()
    hub.restart()
    again = Service(hub, path, runtime_config())
    try:
        [listed] = again.call("GET", "projects", "jester").json()["projects"]
        assert (listed["name"], listed["creator"]) == ("seal", "beau")
        # a member added through the hub's REST API gets a share at the next round
        hub.api("POST", "groups/seal/users", json={"users": ["fjord"]}).raise_for_status()
        assert "fjord" not in shared_with(hub, "seal-collab")
        again.round()
        assert shared_with(hub, "seal-collab") == {"beau", "jester", "fjord"}
        assert again.call("DELETE", "projects/seal", "beau").status_code == 204
    finally:
        again.stop()


def test_a_yaml_project_kept_by_shares_is_listed_and_shared(hub, tmp_path):
    service = Service(
        hub, tmp_path / "s.sqlite", runtime_config(), share_projects={"mighty": "mighty-collab"}
    )
    try:
        service.round()
        assert shared_with(hub, "mighty-collab") == members(hub, "mighty")
        [listed] = service.call("GET", "projects", "fjord").json()["projects"]
        assert (listed["kind"], listed["creator"], listed["may_manage"]) == ("file", None, False)
        r = service.call("DELETE", "projects/mighty", "fjord")
        assert (r.status_code, r.json()["error"]) == (403, "not-the-creator")
    finally:
        hub.api("DELETE", "shares/mighty-collab/")
        service.stop()


def test_a_round_repairs_what_a_failure_or_an_admin_left(hub, service):
    """A project whose account left the collaborative group (or was never
    put there: a failure midway) gets it back; one whose group an admin
    deleted is deleted to the end (account, record), as a failed deletion."""
    assert service.create("fjord", "kelp", ["beau"]).status_code == 201
    assert service.create("fjord", "reef").status_code == 201
    hub.api("DELETE", "groups/collaborative/users", json={"users": ["kelp-collab"]})
    hub.api("DELETE", "users/kelp-collab").raise_for_status()
    hub.api("DELETE", "groups/reef").raise_for_status()
    service.round()
    assert "kelp-collab" in members(hub, "collaborative")
    assert shared_with(hub, "kelp-collab") == {"fjord", "beau"}
    assert hub.api("GET", "users/reef-collab").status_code == 404
    assert [p["name"] for p in service.call("GET", "projects", "fjord").json()["projects"]] == [
        "kelp"
    ]
    assert service.call("GET", "projects", "fjord").json()["created"] == 1
    assert service.call("DELETE", "projects/kelp", "fjord").status_code == 204


def test_a_failure_midway_leaves_nothing_half_made(hub, service, monkeypatch):
    """The hub refuses to put the account into the collaborative group:
    the group and the account made before are undone, nothing recorded."""
    from jupyterlab_hub_groups.hub_client import HubError
    from jupyterlab_hub_groups.service import projects as projects_module

    async def refused(self, account):
        raise HubError(502, "hub-error", "JupyterHub answered with an error.")

    monkeypatch.setattr(projects_module.Projects, "_into_collaborative", refused)
    r = service.create("fjord", "clam", ["beau"])
    assert (r.status_code, r.json()["error"]) == (502, "hub-error")
    assert hub.api("GET", "groups/clam").status_code == 404
    assert hub.api("GET", "users/clam-collab").status_code == 404
    assert service.call("GET", "projects", "fjord").json()["created"] == 0


@pytest.mark.parametrize(
    "body",
    [
        b"[]",
        b"not json",
        b'{"members": ["vax"]}',
        b'{"name": 3}',
        b'{"name": "eel", "members": "vax"}',
        b'{"name": "eel", "members": [3]}',
    ],
)
def test_a_body_that_is_not_a_project_is_refused(hub, service, body):
    r = service.call("POST", "projects", "jester", data=body)
    assert (r.status_code, r.json()["error"]) == (400, "bad-request")
    assert hub.api("GET", "groups/eel").status_code == 404
