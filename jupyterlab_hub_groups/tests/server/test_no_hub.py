"""Outside JupyterHub (plain `jupyter lab`), the endpoint says so."""

import json

import pytest


@pytest.fixture
def jp_server_config(monkeypatch):
    # What a server started by a hub would have; outside a hub, unset.
    monkeypatch.setenv("HUB_GROUPS_SPAWN_PROBLEMS", '["A problem the hub found."]')
    return {
        "ServerApp": {
            "jpserver_extensions": {"jupyterlab_hub_groups": True},
            "allow_unauthenticated_access": False,
        }
    }


async def test_no_hub(jp_fetch):
    response = await jp_fetch("hub-groups", "api", "me")
    body = json.loads(response.body)
    assert body["source"] == "no-hub"
    assert body["groups"] == []
    assert body["name"]
    # always there, for the report; read from the environment as under a hub
    assert body["spawn_problems"] == ["A problem the hub found."]
    # no hub, no hub-groups service to ask
    assert body["hub_groups_service"] is False


async def test_nobody_manages_a_group_outside_a_hub(jp_fetch):
    response = await jp_fetch("hub-groups", "api", "manage")
    assert json.loads(response.body) == {"groups": [], "titles": {}}
    from tornado.httpclient import HTTPClientError

    with pytest.raises(HTTPClientError) as e:
        await jp_fetch("hub-groups", "api", "manage", "c1")
    assert e.value.code == 403
    assert json.loads(e.value.response.body)["error"] == "not-a-manager"


async def test_no_shared_servers_outside_a_hub_and_a_code_saying_why(jp_fetch):
    response = await jp_fetch("hub-groups", "api", "collaborations")
    body = json.loads(response.body)
    assert body["collaborations"] == []
    assert body["degraded"]["code"] == "no-hub"
