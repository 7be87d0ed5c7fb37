"""Outside JupyterHub (plain `jupyter lab`), the endpoint says so."""

import json

import pytest


@pytest.fixture
def jp_server_config():
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
