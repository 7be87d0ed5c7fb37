"""Runtime projects through the hub-groups service as JupyterHub runs it
(issue 20): the managed service behind the hub's proxy, with the scopes
the hub helper gives it (not the tests' admin token), its own database
and its own watch loop every ``revalidate_seconds``; people call it with
their own tokens. Nothing restarts the hub.
"""

import time

import pytest

from ..real_hub import RealHub, demo_yaml
from .projects_world import members, shared_with

COURSE = "Class1234_Semester02"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    folder = tmp_path_factory.mktemp("managed-projects-hub")
    hub = RealHub(
        folder,
        groups_yaml=demo_yaml(
            folder,
            runtime_projects={"allowed": "everyone", "max_per_person": 2},
            revalidate_seconds=5,
        ),
    )
    hub.start()
    hub.wait_service()
    yield hub
    hub.stop()


def until(condition, timeout=60):
    """Wait for the service's loop to make ``condition`` true (it looks
    every ``revalidate_seconds``), polling, with a deadline."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the service's round did not come"
        time.sleep(0.2)


def call(hub, method, path, user, **kwargs):
    return hub.service(method, path, hub.token_for(user), **kwargs)


def test_a_project_made_by_a_person_is_kept_by_the_running_service(hub):
    r = call(hub, "POST", "projects", "vex", json={"name": "orca", "members": ["vax"]})
    assert r.status_code == 201, r.text
    try:
        assert members(hub, "orca") == {"vex", "vax"}
        assert shared_with(hub, "orca-collab") == {"vex", "vax"}
        [listed] = call(hub, "GET", "projects", "vax").json()["projects"]
        assert listed["name"] == "orca"
        assert call(hub, "GET", "projects", "fjord").json()["projects"] == []

        # vax starts it and opens it (her share); fjord may not
        r = call(hub, "POST", "projects/orca/start", "vax")
        assert r.status_code == 202, r.text
        hub.wait_ready("orca-collab")
        assert hub.server("orca-collab", "api/status", as_user="vax").status_code == 200
        assert hub.server("orca-collab", "api/status", as_user="fjord").status_code != 200
        started = hub.api("GET", "users/orca-collab").json()["servers"][""]["started"]

        # an admin adds pike elsewhere: a share at the next round
        hub.api("POST", "groups/orca/users", json={"users": ["pike"]}).raise_for_status()
        until(lambda: "pike" in shared_with(hub, "orca-collab"))
        # and removes vax: her share goes, the server is restarted (its
        # token, which she could have read, dies with it)
        hub.api("DELETE", "groups/orca/users", json={"users": ["vax"]}).raise_for_status()
        until(lambda: "vax" not in shared_with(hub, "orca-collab"))

        def restarted():
            server = hub.api("GET", "users/orca-collab").json()["servers"].get("")
            return bool(server and server.get("ready") and server["started"] != started)

        until(restarted)
        assert hub.server("orca-collab", "api/status", as_user="vax").status_code != 200
        assert call(hub, "GET", "projects", "vax").json()["projects"] == []
    finally:
        r = call(hub, "DELETE", "projects/orca", "vex")
        assert r.status_code == 204, r.text
    assert hub.api("GET", "users/orca-collab").status_code == 404
    assert hub.api("GET", "groups/orca").status_code == 404


def test_a_person_shares_her_server_with_her_course_through_the_service(hub):
    r = call(hub, "POST", "shares", "mmuster", json={"group": COURSE})
    assert r.status_code == 200, r.text
    try:
        assert "alice" in shared_with(hub, "mmuster")
        hub.api("POST", f"groups/{COURSE}/users", json={"users": ["jester"]}).raise_for_status()
        # her page's next GET projects: the newcomer's share is made then
        assert call(hub, "GET", "projects", "mmuster").status_code == 200
        assert "jester" in shared_with(hub, "mmuster")
        hub.api("DELETE", f"groups/{COURSE}/users", json={"users": ["jester"]}).raise_for_status()
        until(lambda: "jester" not in shared_with(hub, "mmuster"))
    finally:
        hub.api("DELETE", f"groups/{COURSE}/users", json={"users": ["jester"]})
        r = call(hub, "DELETE", "shares", "mmuster", json={"group": COURSE})
        assert r.status_code == 200, r.text
    assert shared_with(hub, "mmuster") == set()


def test_the_limit_and_names_hold_on_the_running_service(hub):
    r = call(hub, "POST", "projects", "beau", json={"name": "vox"})
    assert (r.status_code, r.json()["error"]) == (409, "name-taken")
    r = call(hub, "POST", "projects", "beau", json={"name": "Seal"})
    assert (r.status_code, r.json()["error"]) == (400, "invalid-name")
    assert call(hub, "POST", "projects", "beau", json={"name": "b1"}).status_code == 201
    assert call(hub, "POST", "projects", "beau", json={"name": "b2"}).status_code == 201
    r = call(hub, "POST", "projects", "beau", json={"name": "b3"})
    assert (r.status_code, r.json()["error"]) == (409, "too-many-projects")
    for name in ("b1", "b2"):
        assert call(hub, "DELETE", f"projects/{name}", "beau").status_code == 204
    r = call(hub, "GET", "people?q=vo", "beau")
    assert r.json() == {"users": []}  # vox-collab is an account, not a person
