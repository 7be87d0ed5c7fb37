"""Bad server extension settings are refused with a clear message."""

import re

import pytest
from traitlets import TraitError

from jupyterlab_hub_groups.server.config import HubGroupsConfig


@pytest.mark.parametrize("value", [-1, 31, 3600])
def test_cache_seconds_must_stay_short(value):
    with pytest.raises(TraitError, match="cache_seconds must be between 0 and 30"):
        HubGroupsConfig(cache_seconds=value)


@pytest.mark.parametrize("value", [0, -5])
def test_hub_timeout_must_be_positive(value):
    with pytest.raises(TraitError, match="hub_timeout must be positive"):
        HubGroupsConfig(hub_timeout=value)


def test_defaults():
    config = HubGroupsConfig()
    assert (config.cache_seconds, config.hub_timeout) == (5.0, 5.0)


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("revalidate_seconds", 2, "revalidate_seconds must be 0 (off) or at least 5, not 2"),
        ("revalidate_seconds", -1, "revalidate_seconds must be 0 (off) or at least 5"),
        ("presence_timeout", 4, "presence_timeout must be at least 5, not 4"),
        ("collaboration_account", "collab", "collaboration_account must contain {group}"),
        # a pattern that cannot be filled would fail each request instead
        ("collaboration_account", "{group}-{id}", "collaboration_account must contain {group}"),
        ("collaboration_account", "{group", "collaboration_account must contain {group}"),
    ],
)
def test_bounds(name, value, message):
    with pytest.raises(TraitError, match=re.escape(message)):
        HubGroupsConfig(**{name: value})


@pytest.mark.parametrize(
    "name, value",
    [("cache_seconds", 0), ("cache_seconds", 30), ("revalidate_seconds", 0),
     ("revalidate_seconds", 5), ("presence_timeout", 5), ("hub_timeout", 0.1),
     ("collaboration_account", "collab-{group}")],
)
def test_values_within_bounds(name, value):
    assert getattr(HubGroupsConfig(**{name: value}), name) == value


def test_server_owner_defaults_to_the_hub_user(monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "vox-collab")
    assert HubGroupsConfig().server_owner == "vox-collab"
    assert HubGroupsConfig(server_owner="vex").server_owner == "vex"
    monkeypatch.delenv("JUPYTERHUB_USER")
    assert HubGroupsConfig().server_owner == ""


def test_spawn_problems_default_to_what_the_hub_set(monkeypatch):
    from jupyterlab_hub_groups import contract

    monkeypatch.setenv(contract.SPAWN_PROBLEMS_ENV, '["one", " two\\n"]')
    assert HubGroupsConfig().spawn_problems == ["one", "two"]
    monkeypatch.setenv(contract.SPAWN_PROBLEMS_ENV, "[garbage")
    assert HubGroupsConfig().spawn_problems == [contract.UNREADABLE_SPAWN_PROBLEMS]
    assert HubGroupsConfig(spawn_problems=["set here"]).spawn_problems == ["set here"]
    monkeypatch.delenv(contract.SPAWN_PROBLEMS_ENV)
    assert HubGroupsConfig().spawn_problems == []
