"""Bad server extension settings are refused with a clear message."""

import pytest
from traitlets import TraitError

from jupyterlab_hub_groups.config import HubGroupsConfig


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
