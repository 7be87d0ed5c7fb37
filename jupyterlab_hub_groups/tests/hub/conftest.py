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


@pytest.fixture
def kubeconfig(tmp_path, monkeypatch):
    """A kube config for KubeSpawner, beside ``tmp_path``: ``$KUBECONFIG``,
    which kubernetes_asyncio reads once, when it is imported."""
    from kubernetes_asyncio.config import kube_config

    from .kube import write_kubeconfig

    path = write_kubeconfig(tmp_path.parent / f"{tmp_path.name}-kubeconfig")
    monkeypatch.setenv("KUBECONFIG", str(path))
    monkeypatch.setattr(kube_config, "KUBE_CONFIG_DEFAULT_LOCATION", str(path))
    return path


@pytest.fixture
def kube(kubeconfig):
    """What KubeSpawner needs to be made: a kube config, and an event loop
    running while it is made (as in the hub), this test's own."""
    import asyncio

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield loop
    # KubeSpawner's shared client closes when its task is cancelled, as the
    # hub cancels its tasks at shutdown
    tasks = asyncio.all_tasks(loop)
    for task in tasks:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
    asyncio.set_event_loop(None)
    loop.close()
