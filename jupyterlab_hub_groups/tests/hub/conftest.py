"""Fixtures of the hub helper's tests."""

import textwrap

import pytest
from traitlets.config import Config

from jupyterlab_hub_groups.hub import configure_hub

from .world import dirs, world


@pytest.fixture
def yaml_file(tmp_path):
    def write(text):
        path = tmp_path / "groups.yaml"
        path.write_text(textwrap.dedent(text))
        return path

    return write


@pytest.fixture
def hook(tmp_path):
    c = Config()
    configure_hub(c, world(settings={**dirs(tmp_path)}))
    return c.Spawner.pre_spawn_hook
