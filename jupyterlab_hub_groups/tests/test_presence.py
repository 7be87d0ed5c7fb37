"""``hub-groups/api/presence``: who is here, for members only (fake hub, see conftest.py)."""

import json
import time

import pytest
from tornado.httpclient import HTTPClientError

PRESENCE = ("hub-groups", "api", "presence")


@pytest.fixture
def jp_server_config(jp_server_config):
    jp_server_config["HubGroupsConfig"].update(presence_groups=["vox"], presence_timeout=20)
    return jp_server_config


@pytest.fixture(autouse=True)
def world(fake_hub, jp_server_config, monkeypatch):
    """vex is in vox; fjord is not; the server belongs to vox-collab."""
    monkeypatch.setenv("JUPYTERHUB_USER", "vox-collab")
    fake_hub.users["vex-token"]["groups"] = ["vox"]
    fake_hub.users["fjord-token"]["groups"] = ["mighty"]


async def presence(jp_fetch, token, **params):
    try:
        return await jp_fetch(*PRESENCE, params=params, headers={"Authorization": f"token {token}"})
    except HTTPClientError as e:
        return e.response


async def test_refuses_unauthenticated_requests(jp_fetch):
    with pytest.raises(HTTPClientError) as e:
        await jp_fetch(*PRESENCE, headers={"Authorization": ""})
    assert e.value.code == 403


async def test_members_see_who_is_here(jp_fetch):
    # fjord uses the server (say, through a share) but is not in the group
    await jp_fetch("api", "status", headers={"Authorization": "token fjord-token"})
    response = await presence(jp_fetch, "vex-token", current="notebooks/analysis.ipynb")
    assert response.code == 200
    body = json.loads(response.body)
    people = {p["name"]: p for p in body["people"]}
    assert set(people) == {"vex", "fjord"}
    assert people["vex"]["current"] == "notebooks/analysis.ipynb"
    assert people["vex"]["last_seen"]
    assert body["me"] == "vex"
    assert body["shared"] is True


async def test_non_members_get_403_and_no_names(jp_fetch):
    await jp_fetch("api", "status", headers={"Authorization": "token vex-token"})
    response = await presence(jp_fetch, "fjord-token")
    assert response.code == 403
    body = json.loads(response.body)
    assert body["error"] == "not-a-member"
    assert "vex" not in response.body.decode()


async def test_the_owner_sees_who_is_here(jp_fetch, monkeypatch, fake_hub):
    monkeypatch.setenv("JUPYTERHUB_USER", "fjord")
    assert (await presence(jp_fetch, "fjord-token")).code == 200


async def test_a_visitor_leaves_after_the_timeout(jp_fetch, jp_web_app):
    await jp_fetch("api", "status", headers={"Authorization": "token fjord-token"})
    visitors = jp_web_app.settings["hub_groups_visitors"]
    for visitor in visitors.visitors.values():
        if visitor.name == "fjord":
            visitor.last_seen = time.time() - 21
    people = json.loads((await presence(jp_fetch, "vex-token")).body)["people"]
    assert [p["name"] for p in people] == ["vex"]


async def test_one_person_in_several_sessions_is_listed_once(jp_fetch, fake_hub):
    fake_hub.users["vex-laptop"] = dict(fake_hub.users["vex-token"])
    from conftest import TOKENS

    TOKENS["vex-laptop"] = "vex"
    try:
        await presence(jp_fetch, "vex-laptop", current="a.ipynb")
        people = json.loads((await presence(jp_fetch, "vex-token")).body)["people"]
        assert [p["name"] for p in people] == ["vex"]
    finally:
        del TOKENS["vex-laptop"]


async def test_hub_down_gives_502_not_names(jp_fetch, fake_hub):
    fake_hub.mode = "500"
    response = await presence(jp_fetch, "vex-token")
    assert response.code == 502
    assert "people" not in json.loads(response.body)
