"""KubeSpawner as Zero to JupyterHub runs it, for the hub helper's tests:
the real ``KubeSpawner`` class (``_mock=True``: no cluster is called), a
start built the way JupyterHub and KubeSpawner build it, and the pod as the
Kubernetes API server receives it, validated against its schema
(``kubernetes-validate``, offline)."""

from __future__ import annotations

import asyncio
import itertools
import json
from types import SimpleNamespace

import pytest
import yaml

from jupyterlab_hub_groups import contract

from .world import spawner

kubernetes_validate = pytest.importorskip(
    "kubernetes_validate", reason="kubernetes-validate is in the test extra"
)
pytest.importorskip("kubespawner", reason="jupyterhub-kubespawner is in the test extra")

#: The oldest Kubernetes the Zero to JupyterHub chart supports (kubeVersion).
K8S_VERSION = "1.32.0"

_starts = itertools.count(1)


def write_kubeconfig(path):
    """A kube config naming a cluster nobody calls (a closed local port):
    KubeSpawner reads one when it is made, even with ``_mock``."""
    context = {"cluster": "none", "user": "none", "namespace": "jhub"}
    path.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "clusters": [{"name": "none", "cluster": {"server": "https://127.0.0.1:9"}}],
                "users": [{"name": "none", "user": {"token": "none"}}],
                "contexts": [{"name": "none", "context": context}],
                "current-context": "none",
            }
        )
    )
    return path


def run(coroutine):
    """Run on the test's event loop (the ``kube`` fixture's), where
    KubeSpawner's shared client lives."""
    return asyncio.get_event_loop().run_until_complete(coroutine)


def kube_spawner(c, name, groups, roles=(), server=""):
    """The real KubeSpawner of ``name`` in ``groups`` (its server named
    ``server``; ``""``: the default one), with JupyterHub's own ORM objects
    for the roles the hooks read (made while the loop runs, as KubeSpawner
    needs)."""
    from kubespawner import KubeSpawner

    owner = spawner(name, groups, roles=roles).user
    user = SimpleNamespace(
        name=name,
        id=next(_starts),
        url=f"/user/{name}/",
        escaped_name=name,
        groups=owner.groups,
        orm_user=owner.orm_user,
    )

    async def make():
        if not server:
            return KubeSpawner(config=c, _mock=True, user=user)
        from jupyterhub import orm

        # a spawner's name is its ORM record's (never added to a database)
        return KubeSpawner(config=c, _mock=True, user=user, orm_spawner=orm.Spawner(name=server))

    return run(make())


def start(s, options=None):
    """The pod of one start of ``s``, built as JupyterHub (``User.spawn``)
    and KubeSpawner (``_start``) build it, serialised as the API server
    receives it and validated against the Kubernetes schema."""
    from jupyterhub.utils import maybe_future
    from kubernetes_asyncio.client import ApiClient

    async def build():
        s.user_options = options or {}
        s.api_token = f"token-{next(_starts)}"  # new at every start
        await s.apply_group_overrides()
        await maybe_future(s.run_pre_spawn_hook())
        await s.load_user_options()
        pod = await s.get_pod_manifest()
        if s.modify_pod_hook:
            pod = await maybe_future(s.modify_pod_hook(s, pod))
        async with ApiClient() as api:
            return api.sanitize_for_serialization(pod)

    pod = run(build())
    kubernetes_validate.validate(pod, K8S_VERSION, strict=True)
    return pod


def offered(s):
    """The slugs of the profiles ``s``'s owner may pick (the form and the start)."""
    profiles = s.profile_list
    return [p["slug"] for p in run(profiles(s))] if callable(profiles) else None


def notebook(pod):
    return next(c for c in pod["spec"]["containers"] if c["name"] == "notebook")


def env(pod):
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in notebook(pod).get("env", [])}


def mounted(pod):
    """Our ConfigMaps in the pod: name → where the notebook container has it
    (always read-only)."""
    volumes = {
        v["name"]: v["configMap"]["name"]
        for v in pod["spec"].get("volumes", [])
        if v["name"].startswith("hub-groups-")
    }
    mounts = {m["name"]: m for m in notebook(pod).get("volumeMounts", [])}
    assert all(mounts[v]["readOnly"] for v in volumes)
    return {cm: mounts[v]["mountPath"] for v, cm in volumes.items()}


def problems(pod):
    """What the start's report in the pod says."""
    return json.loads(env(pod)[contract.SPAWN_PROBLEMS_ENV])
