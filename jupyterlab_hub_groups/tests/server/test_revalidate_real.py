"""The access re-checks against a real JupyterHub: a browser session.

A browser's requests to a shared server are authenticated by the server's
OAuth cookie; they may also carry a token in the header that the hub does
not know (a stale one, or made up), in which case JupyterHub quietly falls
back to the cookie. The re-checks must follow the session that actually
authenticated (the cookie's token) and, once the member is removed, cut it
off: not the made-up token, which was never anybody's.
"""

import time

import pytest
import requests
import yaml

from jupyterlab_hub_groups.hub import spec as hub_helper

from ..real_hub import PROJECT, RealHub, browser_session

SERVER = "vox-collab"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    folder = tmp_path_factory.mktemp("revalidate-hub")
    spec = yaml.safe_load((PROJECT / "demo" / "groups.yaml").read_text())
    settings = dict(spec.get("settings") or {})
    settings["revalidate_seconds"] = 5
    if "on_member_removed" in getattr(hub_helper.Settings, "__dataclass_fields__", {}):
        # No restart of the shared server on removal: it would cut the
        # session off by itself, and this is about the re-checks.
        settings["on_member_removed"] = "none"
    spec["settings"] = settings
    groups_yaml = folder / "groups.yaml"
    groups_yaml.write_text(yaml.safe_dump(spec, sort_keys=False))
    hub = RealHub(folder / "hub", groups_yaml=groups_yaml)
    hub.data_dir.mkdir()
    hub.start()
    yield hub
    hub.stop()


def status(hub: RealHub, session: requests.Session, **headers) -> int:
    return session.get(
        f"{hub.url}/user/{SERVER}/api/status", headers=headers, allow_redirects=False, timeout=60
    ).status_code


def test_a_cookie_session_behind_a_made_up_token_is_cut_off(hub):
    hub.api("POST", "groups/vox/users", json={"users": ["beau"]}).raise_for_status()
    try:
        hub.start_server(SERVER)
        # Every request to the server carries a token the hub does not know
        # (as a page would whose token has expired): the cookie authenticates.
        made_up = {"Authorization": "token made-up-by-the-page"}
        session = browser_session(hub, "beau", SERVER, **made_up)
        assert status(hub, session, **made_up) == 200

        hub.api("DELETE", "groups/vox/users", json={"users": ["beau"]}).raise_for_status()
        removed = time.monotonic()
        # Re-checks run every 5 s; HubAuth alone would trust the cookie for 300 s.
        while status(hub, session, **made_up) == 200:
            assert time.monotonic() - removed < 60, "still in after 60 s"
            time.sleep(0.5)
        assert status(hub, session, **made_up) == 403
        assert status(hub, session, Authorization="") == 403
    finally:
        hub.api("DELETE", "groups/vox/users", json={"users": ["beau"]})
        hub.stop_server(SERVER)
