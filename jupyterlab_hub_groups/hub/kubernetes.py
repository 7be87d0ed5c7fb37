"""Zero to JupyterHub (KubeSpawner): course environments as ConfigMaps, and
the pod hook that has the last word after profiles.

Why a module of its own: on Kubernetes the hub, the proxy and each server
run in pods of their own, so two things of one machine do not hold.

- The hub cannot write a folder that every server sees (that takes a
  ReadWriteMany volume, which the big clouds do not give by default, and
  every pod would see every course's files). With
  ``settings.course_environments: configmaps`` each course's folder (its
  kernels and jupyter-server-proxy services) and the folder that turns
  collaboration off are ConfigMaps: ``python -m jupyterlab_hub_groups.hub
  configmaps groups.yaml | kubectl apply -f -``. At each spawn the pod
  mounts only those of the courses its owner belongs to (or manages), at
  the paths the hook puts on ``JUPYTER_PATH``: a non-member's pod does not
  have the files at all. A ConfigMap's name carries a digest of what it
  holds, so a pod never mounts an older version of a course than the hub
  reads (a change not yet applied fails the spawn with Kubernetes' own
  "configmap not found" event, which KubeSpawner shows).
- KubeSpawner applies the chosen profile (``kubespawner_override``) after
  the ``pre_spawn_hook``: a profile that sets ``args`` or
  ``environment.JUPYTER_PATH`` would replace what the hook set. The
  ``modify_pod_hook`` runs after profiles, on the pod itself: it applies the
  same plan again (:class:`.spawn.SpawnPlan`), mounts the ConfigMaps, and
  writes the start's report (:data:`~..contract.SPAWN_PROBLEMS_ENV`).

Imports only the standard library (and KubeSpawner's models, lazily,
inside a running hub).
"""

from __future__ import annotations

import hashlib
import inspect
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import contract
from .files import course_files, group_folders, rtc_off_files, rtc_off_folder
from .spawn import (
    SpawnPlan,
    SpawnRefused,
    current_plan,
    merged_args,
    merged_path,
    path_variables,
    unmergeable,
)
from .spawn_report import HOOK_REPLACED_REPAIRED
from .spec import HubGroupsSpec

#: The label every ConfigMap of ours carries (``kubectl apply --prune -l``).
PART_OF = "jupyterlab-hub-groups"
#: The annotation naming the hub group a ConfigMap is for.
GROUP_ANNOTATION = "hub-groups.jupyter.org/group"
#: What the folder that turns collaboration off is called in names.
RTC_OFF = "rtc-off"
#: Names of our volumes in a pod start with this (a pod's own namespace).
VOLUME_PREFIX = "hub-groups-"
#: The notebook container of a KubeSpawner pod.
NOTEBOOK_CONTAINER = "notebook"
#: The pod has no args to add ours to (``singleuser.cmd`` unset: the image's CMD).
NO_ARGS = (
    "The server was started with the image's own command (no singleuser.cmd / "
    "KubeSpawner.cmd), so the hub-groups arguments could not be passed: visitors of a "
    "shared server are not re-checked. Set singleuser.cmd: jupyterhub-singleuser."
)


@dataclass(frozen=True)
class ConfigMapFolder:
    """One folder of the generated tree, as a ConfigMap.

    Attributes
    ----------
    name : str
        The ConfigMap's name: readable, the group's digest, the content's digest.
    group : str or None
        The course's group; None for the folder that turns collaboration off.
    mount_path : Path
        Where pods mount it (the path the hook puts on the server's paths).
    files : mapping
        Relative path → text.
    """

    name: str
    group: str | None
    mount_path: Path
    files: Mapping[str, str]

    @staticmethod
    def key(relative: str) -> str:
        """A file's key in the ConfigMap (keys may not hold ``/``)."""
        return relative.replace("/", "__")

    def manifest(self) -> dict[str, Any]:
        """The ConfigMap, for ``kubectl apply`` (no namespace: ``-n``)."""
        metadata: dict[str, Any] = {
            "name": self.name,
            "labels": {
                "app.kubernetes.io/part-of": PART_OF,
                "app.kubernetes.io/component": (
                    "course-environment" if self.group is not None else "collaboration-off"
                ),
            },
        }
        if self.group is not None:
            metadata["annotations"] = {GROUP_ANNOTATION: self.group}
        return {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": metadata,
            "data": {self.key(r): text for r, text in sorted(self.files.items())},
        }

    def volume(self, name: str) -> dict[str, Any]:
        """The pod's volume of this ConfigMap, each key at its path."""
        return {
            "name": name,
            "configMap": {
                "name": self.name,
                "items": [{"key": self.key(r), "path": r} for r in sorted(self.files)],
                "defaultMode": 0o644,
            },
        }


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf8")).hexdigest()[:8]


def _name(readable: str, *digests: str) -> str:
    """A DNS-1123 name: ``hub-groups-<readable>-<digests>``."""
    slug = re.sub(r"[^a-z0-9]+", "-", readable.lower()).strip("-")[:30].strip("-")
    return "-".join(["hub-groups", *([slug] if slug else []), *digests])


def configmap_folders(spec: HubGroupsSpec) -> dict[str | None, ConfigMapFolder]:
    """Every folder as a ConfigMap: each course with kernels or services
    (by group), and the one that turns collaboration off (None).

    Parameters
    ----------
    spec : HubGroupsSpec

    Returns
    -------
    dict
        Group (None: collaboration off) → its ConfigMap.
    """
    folders = group_folders(spec)
    found: dict[str | None, ConfigMapFolder] = {}
    for course in spec.courses:
        if course.name not in folders:
            continue
        files = course_files(course)
        content = _digest(json.dumps(files, sort_keys=True))
        name = _name(course.name, _digest(course.name), content)
        found[course.name] = ConfigMapFolder(name, course.name, folders[course.name], files)
    files = rtc_off_files()
    found[None] = ConfigMapFolder(
        _name(RTC_OFF, _digest(json.dumps(files, sort_keys=True))),
        None,
        rtc_off_folder(spec),
        files,
    )
    return found


def render_configmaps(spec: HubGroupsSpec) -> list[dict[str, Any]]:
    """The ConfigMaps to apply before the hub reads ``spec``, in order."""
    folders = configmap_folders(spec)
    return [folders[None].manifest()] + [
        f.manifest() for g, f in sorted(folders.items(), key=lambda i: str(i[0])) if g is not None
    ]


# --- The pod: after profiles ------------------------------------------------------------


def _model(kind: str, value: Any) -> Any:
    """A KubeSpawner model (``V1Volume``...) from the API's JSON form."""
    from kubernetes_asyncio.client import models
    from kubespawner.utils import get_k8s_model

    return get_k8s_model(getattr(models, kind), value)


def _notebook(pod: Any) -> Any:
    containers = pod.spec.containers
    return next((c for c in containers if c.name == NOTEBOOK_CONTAINER), containers[0])


def _env(container: Any, name: str) -> Any:
    return next((e for e in container.env or [] if e.name == name), None)


def _set_env(container: Any, name: str, value: str | None) -> None:
    """Set (or, with None, remove) one variable, in its place: KubeSpawner
    orders variables so that ``$(NAME)`` references resolve."""
    env = list(container.env or [])
    at = next((i for i, e in enumerate(env) if e.name == name), None)
    var = None if value is None else _model("V1EnvVar", {"name": name, "value": value})
    if at is None:
        env += [var] if var is not None else []
    elif var is None:
        del env[at]
    else:
        env[at] = var
    container.env = env


def apply_to_pod(
    spec: HubGroupsSpec,
    plan: SpawnPlan,
    pod: Any,
    folders: Mapping[str | None, ConfigMapFolder],
) -> list[str]:
    """Put ``plan`` into a KubeSpawner pod: our arguments on the notebook
    container's command, our folders first on its paths, the ConfigMaps of
    its courses mounted.

    Returns
    -------
    list of str
        Problems found (for the start's report).

    Raises
    ------
    SpawnRefused
        A path variable set from a ``valueFrom`` that the plan must change.
    """
    problems: list[str] = []
    container = _notebook(pod)
    if container.args is None:
        if plan.args:
            problems.append(NO_ARGS)
    else:
        container.args = merged_args(list(container.args), plan)
    generated = spec.settings.generated_dir
    assert generated is not None
    for name, ours in path_variables(plan):
        var = _env(container, name)
        if var is not None and var.value_from is not None:
            if ours:
                raise SpawnRefused(unmergeable(name, {"valueFrom": "..."}))
            continue
        _set_env(container, name, merged_path(name, var.value if var else None, ours, generated))
    if folders:
        wanted = [folders[g] for g in plan.environments if g in folders]
        if plan.rtc_off and None in folders:
            wanted.insert(0, folders[None])
        volumes = [v for v in pod.spec.volumes or [] if not v.name.startswith(VOLUME_PREFIX)]
        mounts = [m for m in container.volume_mounts or [] if not m.name.startswith(VOLUME_PREFIX)]
        for i, folder in enumerate(wanted):
            name = f"{VOLUME_PREFIX}{i}"
            volumes.append(_model("V1Volume", folder.volume(name)))
            mounts.append(
                _model(
                    "V1VolumeMount",
                    {"name": name, "mountPath": str(folder.mount_path), "readOnly": True},
                )
            )
        pod.spec.volumes = volumes
        container.volume_mounts = mounts
    return problems


def make_modify_pod_hook(
    spec: HubGroupsSpec,
    planner: Callable[[Any], SpawnPlan],
    previous: Callable[..., Any] | None = None,
) -> Callable[[Any, Any], Any]:
    """``KubeSpawner.modify_pod_hook``: the hook's plan again, on the pod,
    after profiles (:func:`apply_to_pod`), and the start's report.

    When the ``pre_spawn_hook`` did not run (a hook set later in the config
    replaced it), the plan is made here and the report says so.

    Parameters
    ----------
    spec : HubGroupsSpec
    planner : callable
        :func:`.spawn.make_planner`'s function (the one the pre_spawn_hook uses).
    previous : callable, optional
        A hook configured before; it runs first (awaited if async).
    """
    folders = configmap_folders(spec) if spec.settings.course_environments == "configmaps" else {}

    async def modify_pod_hook(spawner: Any, pod: Any) -> Any:
        if previous is not None:
            pod = previous(spawner, pod)
            if inspect.isawaitable(pod):
                pod = await pod
        plan = current_plan(spawner)
        problems: list[str] = []
        try:
            if plan is None:
                # the planner refuses what the pre_spawn_hook would have
                plan = planner(spawner)
                problems.append(HOOK_REPLACED_REPAIRED)
            problems += apply_to_pod(spec, plan, pod, folders)
        except SpawnRefused as e:
            spawner.log.error("%s", e)
            raise
        for problem in problems:
            spawner.log.error("hub-groups: %s: %s", spawner.user.name, problem)
        report = contract.spawn_problems_value(problems)
        _set_env(_notebook(pod), contract.SPAWN_PROBLEMS_ENV, report)
        return pod

    modify_pod_hook.hub_groups_spec = spec  # type: ignore[attr-defined]
    return modify_pod_hook


# --- What a deployer should hear --------------------------------------------------------


def is_loopback(url: str) -> bool:
    """Whether ``url``'s host is this machine only (127.0.0.0/8, ::1, localhost)."""
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    return host in ("localhost", "::1") or host.startswith("127.")


def uses_kubespawner(c: Any) -> bool:
    """Whether the hub config spawns with KubeSpawner (by name: nothing of
    KubeSpawner is imported to know it)."""
    value = c.JupyterHub.spawner_class if "spawner_class" in c.JupyterHub else None
    name = value if isinstance(value, str) else getattr(value, "__name__", "")
    return "kubespawner" in str(name).lower() or bool(
        [k for k in c.keys() if k.endswith("KubeSpawner")]
    )


def kubernetes_warnings(spec: HubGroupsSpec) -> list[str]:
    """What does not work when the hub, the proxy and each server run in
    pods of their own (Zero to JupyterHub), with what to write instead."""
    warnings: list[str] = []
    settings = spec.settings
    if spec.service_has_api and is_loopback(settings.service_url):
        warnings.append(
            f"settings.service_url {settings.service_url!r} is this pod's loopback: the "
            "proxy, in a pod of its own, cannot reach the hub-groups service there (Join "
            "cards, requests and projects fail). Use service_url: http://hub:10101 and "
            "service_bind_url: http://0.0.0.0:10101, and open the port "
            "(hub.service.extraPorts, hub.networkPolicy.ingress; see docs/z2jh/values.yaml)."
        )
    if settings.course_environments == "folders" and any(
        c.kernels or c.services for c in spec.courses
    ):
        warnings.append(
            "settings.course_environments is 'folders': every server's pod must mount "
            f"generated_dir ({settings.generated_dir}) from a ReadWriteMany volume the hub "
            "writes, and every pod then has every course's files. Use "
            "course_environments: configmaps (python -m jupyterlab_hub_groups.hub configmaps)."
        )
    return warnings
