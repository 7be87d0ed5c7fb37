"""The groups a server started with: the hub helper's
``$HUB_GROUPS_GROUPS_AT_START``, read by the server extension and given to
the owner's page in ``me``'s start-up answer (fake hub, see conftest.py),
so that the page shows a card of a group joined since as waiting for a
restart."""

import json

import pytest
from tornado.httpclient import HTTPClientError

from jupyterlab_hub_groups import contract

COURSE = "Class1234_Semester02"


@pytest.fixture
def at_start(request):
    """``$HUB_GROUPS_GROUPS_AT_START`` for the server under test (parametrize
    with ``indirect=True``; None: unset): vex was in vox alone."""
    return getattr(request, "param", contract.groups_at_start_value(["vox"]))


@pytest.fixture
def jp_server_config(jp_server_config, at_start, fake_hub, monkeypatch):
    # Set before the server starts: the extension reads it once, at start.
    if at_start is None:
        monkeypatch.delenv(contract.GROUPS_AT_START_ENV, raising=False)
    else:
        monkeypatch.setenv(contract.GROUPS_AT_START_ENV, at_start)
    jp_server_config["HubGroupsConfig"].update(server_owner="vex")
    # approved into the course since the server started
    fake_hub.users["vex-token"]["groups"] = ["vox", COURSE]
    return jp_server_config


async def startup(jp_fetch, token):
    try:
        response = await jp_fetch(
            "hub-groups", "api", "me",
            params={"startup": "1"},
            headers={"Authorization": f"token {token}"},
        )
    except HTTPClientError as e:
        response = e.response
    assert response.code == 200
    return json.loads(response.body)


async def test_the_owner_gets_the_groups_of_the_start_not_of_now(jp_fetch):
    body = await startup(jp_fetch, "vex-token")
    assert body["groups"] == sorted(["vox", COURSE])
    assert body["startup"]["groups_at_start"] == ["vox"]


async def test_a_visitor_learns_nothing_of_the_owners_groups(jp_fetch):
    body = await startup(jp_fetch, "fjord-token")
    assert body["startup"]["groups_at_start"] is None


@pytest.mark.parametrize("at_start", [None, "not json", '{"a": 1}', '["a", 2]', '[""]'], indirect=True)
async def test_unknown_without_a_readable_list(jp_fetch, at_start):
    body = await startup(jp_fetch, "vex-token")
    assert body["startup"]["groups_at_start"] is None


def test_the_value_round_trips_hostile_names_without_a_brace():
    """KubeSpawner formats environment values as templates ({username})."""
    names = ["a{username}b}", "é ü", "x\"y", "<img src=x>"]
    value = contract.groups_at_start_value(names)
    assert "{" not in value and "}" not in value
    assert value.isascii()
    assert contract.read_groups_at_start(value) == sorted(names)
    assert contract.read_groups_at_start("[]") == []
