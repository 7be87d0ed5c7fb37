"""``hub-groups/api/presence``: who is here, for members only (fake hub, see conftest.py)."""

import json
import time

import pytest
from tornado.httpclient import HTTPClientError

PRESENCE = ("hub-groups", "api", "presence")


@pytest.fixture
def jp_server_config(jp_server_config, request):
    jp_server_config["HubGroupsConfig"].update(presence_groups=["vox"], presence_timeout=20)
    owner = request.node.get_closest_marker("server_owner")
    if owner is not None:
        jp_server_config["HubGroupsConfig"]["server_owner"] = owner.args[0]
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


async def say_current(jp_fetch, token, body):
    """``POST presence``: tell the others which document one has open."""
    if not isinstance(body, (str, bytes)):
        body = json.dumps(body)
    try:
        return await jp_fetch(
            *PRESENCE, method="POST", body=body, headers={"Authorization": f"token {token}"}
        )
    except HTTPClientError as e:
        return e.response


def current_of(response, name):
    return {p["name"]: p["current"] for p in json.loads(response.body)["people"]}.get(name)


async def test_refuses_unauthenticated_requests(jp_fetch):
    with pytest.raises(HTTPClientError) as e:
        await jp_fetch(*PRESENCE, headers={"Authorization": ""})
    assert e.value.code == 403


async def test_members_see_who_is_here(jp_fetch):
    # fjord uses the server (say, through a share) but is not in the group
    await jp_fetch("api", "status", headers={"Authorization": "token fjord-token"})
    await say_current(jp_fetch, "vex-token", {"current": "notebooks/analysis.ipynb"})
    response = await presence(jp_fetch, "vex-token")
    assert response.code == 200
    body = json.loads(response.body)
    people = {p["name"]: p for p in body["people"]}
    assert set(people) == {"vex", "fjord"}
    assert people["vex"]["current"] == "notebooks/analysis.ipynb"
    assert people["vex"]["last_seen"]
    assert body["me"] == "vex"
    assert body["shared"] is True


async def test_a_collaboration_accounts_server_names_its_project(jp_fetch):
    """The page shows members where they are: project vox, as vox-collab."""
    body = json.loads((await presence(jp_fetch, "vex-token")).body)
    assert body["project"] == {"group": "vox", "account": "vox-collab"}


@pytest.mark.server_owner("vex")
async def test_a_personal_server_with_presence_groups_names_no_project(jp_fetch):
    # an administrator may give any server presence groups: not a project's
    body = json.loads((await presence(jp_fetch, "vex-token")).body)
    assert body["shared"] is True and body["project"] is None


async def test_non_members_get_403_and_no_names(jp_fetch):
    await jp_fetch("api", "status", headers={"Authorization": "token vex-token"})
    response = await presence(jp_fetch, "fjord-token")
    assert response.code == 403
    body = json.loads(response.body)
    assert body["error"] == "not-a-member"
    assert "vex" not in response.body.decode()


async def test_the_owner_sees_who_is_here(jp_fetch, jp_web_app):
    jp_web_app.settings["hub_groups_config"].server_owner = "fjord"
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
        await say_current(jp_fetch, "vex-laptop", {"current": "a.ipynb"})
        people = json.loads((await presence(jp_fetch, "vex-token")).body)["people"]
        assert [p["name"] for p in people] == ["vex"]
    finally:
        del TOKENS["vex-laptop"]


async def test_hub_down_gives_502_not_names(jp_fetch, fake_hub):
    fake_hub.mode = "500"
    response = await presence(jp_fetch, "vex-token")
    assert response.code == 502
    assert "people" not in json.loads(response.body)


async def test_get_changes_nothing(jp_fetch):
    response = await presence(jp_fetch, "vex-token", current="notebooks/analysis.ipynb")
    assert response.code == 200
    assert current_of(response, "vex") is None
    assert current_of(await presence(jp_fetch, "vex-token"), "vex") is None


async def test_post_says_what_one_has_open_and_answers_who_is_here(jp_fetch):
    response = await say_current(jp_fetch, "vex-token", {"current": "notebooks/a b.ipynb"})
    assert response.code == 200
    assert current_of(response, "vex") == "notebooks/a b.ipynb"
    assert json.loads(response.body)["me"] == "vex"
    assert current_of(await presence(jp_fetch, "vex-token"), "vex") == "notebooks/a b.ipynb"
    response = await say_current(jp_fetch, "vex-token", {"current": None})
    assert current_of(response, "vex") is None


@pytest.mark.parametrize(
    "body",
    [
        "",
        "not json",
        "[]",
        '"a.ipynb"',
        {},
        {"current": 5},
        {"current": ["a.ipynb"]},
        {"current": "a.ipynb", "admin": True},
        {"current": "x" * 1025},
        {"current": "a\nb.ipynb"},
        {"current": "a\u0000b.ipynb"},
        json.dumps({"current": "a.ipynb", "padding": "x" * 5000}),
        b"\xff\xfe",
    ],
)
async def test_post_refuses_bad_input(jp_fetch, body):
    response = await say_current(jp_fetch, "vex-token", body)
    assert response.code == 400
    reply = json.loads(response.body)
    assert reply["error"] == "bad-request" and reply["message"]
    assert current_of(await presence(jp_fetch, "vex-token"), "vex") is None


async def test_non_members_cannot_post(jp_fetch):
    response = await say_current(jp_fetch, "fjord-token", {"current": "spy.ipynb"})
    assert response.code == 403
    assert json.loads(response.body)["error"] == "not-a-member"
    assert current_of(await presence(jp_fetch, "vex-token"), "fjord") is None


@pytest.mark.server_owner("fjord")
async def test_the_owner_is_the_configured_server_owner(jp_fetch):
    """``HubGroupsConfig.server_owner`` ($JUPYTERHUB_USER by default) says
    who owns the server."""
    assert (await presence(jp_fetch, "fjord-token")).code == 200
    assert (await presence(jp_fetch, "vex-token")).code == 200


def test_the_log_forgets_old_visitors_on_the_way_in():
    """Housekeeping happens when a request is noted, not when one reads."""
    from types import SimpleNamespace

    from jupyterlab_hub_groups.server.visitors import VisitorLog

    log = VisitorLog(SimpleNamespace(get_user=lambda handler: None), keep_seconds=60)
    request = SimpleNamespace()
    log.note(request, SimpleNamespace(username="fjord", display_name=""))
    log.visitors["user:fjord"].last_seen -= 61
    log.people(20)
    assert "user:fjord" in log.visitors, "reading changes nothing"
    log._last_prune -= 6  # a tenth of keep_seconds later
    log.note(request, SimpleNamespace(username="vex", display_name="Vex"))
    assert list(log.visitors) == ["user:vex"]
