"""The hub helper against a real JupyterHub running the demo world.

demo/jupyterhub_config.py calls ``configure_hub(c, "demo/groups.yaml")``;
these tests check what that gives to real users (API tokens of their own,
with their own permissions).
"""

import asyncio
import time

import pytest
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from jupyterlab_hub_groups.revalidate import CLOSE_REVOKED

from .real_hub import PROJECT, RealHub

COURSE = "Class1234_Semester02"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    hub = RealHub(tmp_path_factory.mktemp("hub"))
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
            while await asyncio.wait_for(ws.read_message(), 60) is not None:
                pass  # awareness updates, until the server closes the socket
            return ws.close_code, time.monotonic() - removed

        code, elapsed = asyncio.run(removed_then_cut_off())
        assert code == CLOSE_REVOKED
        assert elapsed < 60
        assert hub.server("vox-collab", "api/status", as_user="beau").status_code == 403
    finally:
        hub.api("DELETE", "groups/vox/users", json={"users": ["beau"]})
        hub.stop_server("vox-collab")


def test_authoritative_yaml_undoes_runtime_changes_at_restart(tmp_path):
    yaml_file = tmp_path / "groups.yaml"
    yaml_file.write_text(
        (PROJECT / "demo" / "groups.yaml").read_text() + "\nsettings:\n  authoritative: true\n"
    )
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
