"""The course panel's endpoints against a real JupyterHub (the demo world):
prof changes the course's members through our server extension on prof's
own server, with the token prof's browser got from the hub's OAuth (no
hand-made API token); a student gets nothing.
"""

import re

import pytest
import requests

from ..real_hub import RealHub, browser_session, demo_yaml, page_token

COURSE = "Class1234_Semester02"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    folder = tmp_path_factory.mktemp("manage-hub")
    hub = RealHub(folder, groups_yaml=demo_yaml(folder, on_member_removed="none"))
    hub.start()
    yield hub
    hub.stop()


class Page:
    """What JupyterLab does in `name`'s browser on `name`'s own server:
    our endpoints, with the page's token in a header."""

    def __init__(self, hub: RealHub, name: str):
        hub.start_server(name)
        self.hub = hub
        self.name = name
        self.token = page_token(hub, browser_session(hub, name, name), name)

    def call(self, method, path, **kwargs):
        return requests.request(
            method,
            f"{self.hub.url}/user/{self.name}/hub-groups/api/manage{path}",
            headers={"Authorization": f"token {self.token}"},
            allow_redirects=False,
            timeout=60,
            **kwargs,
        )


def hub_requests_by(hub, name, since):
    """The hub API requests logged with `name`'s identity after offset `since`."""
    return re.findall(
        rf"\d{{3}} (\w+) (/hub/api/\S+) \({re.escape(name)}@", hub.log()[since:]
    )


def test_an_instructor_adds_and_removes_a_student_from_their_own_server(hub):
    assert COURSE not in hub.groups_of("mmuster2")
    try:
        page = Page(hub, "prof")
        assert page.call("GET", "").json() == {"groups": [COURSE], "titles": {}}
        members = page.call("GET", f"/{COURSE}").json()
        assert members["members"] == ["alice", "mmuster"]
        completion = page.call("GET", f"/{COURSE}/users", params={"prefix": "mmu"}).json()
        assert completion["users"][:2] == ["mmuster", "mmuster2"]

        # vox's collaboration account is a hub user, never offered as a person
        completion = page.call("GET", f"/{COURSE}/users", params={"prefix": "vox"}).json()
        assert completion["users"] == []

        names = {"names": ["MMuster2", "alice", "nobody", "a/b", "vox-collab"]}
        preview = page.call("POST", f"/{COURSE}/preview", json=names).json()
        assert preview == {
            "new": ["mmuster2"],
            "member": ["alice"],
            "unknown": ["nobody"],
            "invalid": ["a/b", "vox-collab"],
            "problems": preview["problems"],
        }
        assert [(p["name"], p["error"]) for p in preview["problems"]] == [
            ("a/b", "invalid"),
            ("vox-collab", "collaboration-account"),
        ]
        assert COURSE not in hub.groups_of("mmuster2"), "a preview changes nothing"

        since = len(hub.log())
        added = page.call("POST", f"/{COURSE}/add", json=names).json()
        assert added["added"] == ["mmuster2"] and added["already"] == ["alice"]
        assert [e["error"] for e in added["errors"]] == [
            "invalid",
            "collaboration-account",
            "unknown-user",
        ]
        assert "vox-collab" not in hub.api("GET", f"groups/{COURSE}").json()["users"]
        assert added["members"] == ["alice", "mmuster", "mmuster2"]
        assert COURSE in hub.groups_of("mmuster2")
        # with prof's own token: the hub logged the change as prof's
        assert ("POST", f"/hub/api/groups/{COURSE}/users") in hub_requests_by(hub, "prof", since)

        removed = page.call("POST", f"/{COURSE}/remove", json={"names": ["mmuster2", "vex"]})
        assert removed.json() == {
            "removed": ["mmuster2"],
            "not_member": ["vex"],
            "errors": [],
            "members": ["alice", "mmuster"],
        }
        assert COURSE not in hub.groups_of("mmuster2")
    finally:
        hub.api("DELETE", f"groups/{COURSE}/users", json={"users": ["mmuster2"]})
        hub.stop_server("prof")


def test_a_student_is_refused_on_their_own_server(hub):
    try:
        page = Page(hub, "mmuster")
        assert page.call("GET", "").json() == {"groups": [], "titles": {}}
        for method, path, body in [
            ("GET", f"/{COURSE}", None),
            ("GET", f"/{COURSE}/users", None),
            ("POST", f"/{COURSE}/preview", {"names": ["mmuster2"]}),
            ("POST", f"/{COURSE}/add", {"names": ["mmuster2"]}),
            ("POST", f"/{COURSE}/remove", {"names": ["alice"]}),
        ]:
            r = page.call(method, path, json=body)
            assert r.status_code == 403, (path, r.text)
            assert r.json()["error"] == "not-a-manager"
        assert sorted(hub.api("GET", f"groups/{COURSE}").json()["users"]) == ["alice", "mmuster"]
    finally:
        hub.stop_server("mmuster")
