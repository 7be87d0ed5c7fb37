"""docs/z2jh/values.yaml, the chart values the README walks through, runs as
the chart would run it: its groups file checks, its ``hub.extraConfig``
applies to a config set as the chart's ``jupyterhub_config.py`` sets it
from these values, and the pods of the demo world (real KubeSpawner, no
cluster) and the ConfigMaps to apply are valid Kubernetes objects. The
database is a real PostgreSQL server, as in the values.

The chart's own ``values.schema.json`` is not checked here (it is not on
this machine's registries); the keys used are the chart's documented ones.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from traitlets.config import Config

from jupyterlab_hub_groups import contract
from jupyterlab_hub_groups.hub.__main__ import check
from jupyterlab_hub_groups.hub.kubernetes import configmap_folders, render_configmaps

from .kube import K8S_VERSION, kube_spawner, kubernetes_validate, mounted, notebook, offered, start
from .world import INSTRUCTOR_SCOPES

VALUES = Path(__file__).resolve().parents[3] / "docs" / "z2jh" / "values.yaml"
COURSE = "Class1234_Semester02"

pytestmark = pytest.mark.usefixtures("kube")


@pytest.fixture
def values():
    return yaml.safe_load(VALUES.read_text())


def groups_file(values, tmp_path, db_url):
    """The values' groups file, with this test's folders and database for
    the cluster's."""
    data = yaml.safe_load(values["hub"]["extraFiles"]["hub-groups"]["stringData"])
    data["settings"].update(
        generated_dir=str(tmp_path / "courses"),
        state_dir=str(tmp_path / "state"),
        enrolment_db_url=db_url,
    )
    path = tmp_path / "groups.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def chart_config(values):
    """``c`` as the chart's jupyterhub_config.py sets it from ``values``
    before running hub.extraConfig (what matters to the hub helper)."""
    single = values["singleuser"]
    c = Config()
    c.JupyterHub.spawner_class = "kubespawner.KubeSpawner"
    c.JupyterHub.db_url = values["hub"]["db"]["url"]
    c.Spawner.cmd = single["cmd"]
    c.KubeSpawner.image = f"{single['image']['name']}:{single['image']['tag']}"
    c.KubeSpawner.environment = dict(single.get("extraEnv") or {})
    c.KubeSpawner.profile_list = single.get("profileList", [])
    return c


def run_extra_config(values, c, path):
    """hub.extraConfig, in the chart's order (sorted keys), on ``c``."""
    mount = values["hub"]["extraFiles"]["hub-groups"]["mountPath"]
    for key in sorted(values["hub"]["extraConfig"]):
        code = values["hub"]["extraConfig"][key].replace(mount, str(path))
        exec(compile(code, f"hub.extraConfig.{key}", "exec"), {"c": c})


def test_the_values_configure_every_feature_on_kubernetes(
    values, tmp_path, postgres_url, monkeypatch
):
    monkeypatch.setenv("PGPASSWORD", "from hub.db.password")  # as the chart sets it
    path = groups_file(values, tmp_path, postgres_url)
    out, err = io.StringIO(), io.StringIO()
    assert check(str(path), out, err, kubernetes=True) == 0
    assert "warning" not in err.getvalue(), err.getvalue()

    c = chart_config(values)
    run_extra_config(values, c, path)

    # the service: listening in the hub pod, reached by the proxy through
    # the hub's Service on the port the values open
    service = next(s for s in c.JupyterHub.services if s["name"] == contract.SERVICE_NAME)
    settings = yaml.safe_load(path.read_text())["settings"]
    port = urlsplit(settings["service_url"]).port
    assert service["url"] == "http://hub:10101"
    assert values["hub"]["service"]["extraPorts"] == [
        {
            "name": "hub-groups",
            "port": port,
            "targetPort": urlsplit(settings["service_bind_url"]).port,
        }
    ]
    rule = values["hub"]["networkPolicy"]["ingress"][0]
    assert rule["ports"] == [{"port": port}]
    assert rule["from"][0]["podSelector"]["matchLabels"] == {
        "app": "jupyterhub",
        "component": "proxy",
    }
    config = json.loads((tmp_path / "state" / "service.json").read_text())
    assert config["enrolment"]["listen"] == "http://0.0.0.0:10101"
    assert config["db_url"] == postgres_url
    # the SMTP password from the values' extraEnv, the database password from hub.db
    assert set(service["environment"]) == {"HUB_GROUPS_SMTP_PASSWORD", "PGPASSWORD"}

    # the ConfigMaps to apply
    for manifest in render_configmaps_of(path):
        kubernetes_validate.validate(manifest, K8S_VERSION, strict=True)

    # who gets what
    maps = configmap_folders_of(path)
    student = start(kube_spawner(c, "mmuster", [COURSE]), {"profile": "gpu"})
    assert notebook(student)["image"].startswith("registry.example.org/notebook-hub-groups-gpu")
    assert maps[COURSE].name in mounted(student)
    instructor = start(kube_spawner(c, "prof", ["instructors"], roles=[INSTRUCTOR_SCOPES]))
    assert maps[COURSE].name in mounted(instructor)
    member = start(kube_spawner(c, "vex", ["vox"]))
    assert mounted(member) == {maps[None].name: str(tmp_path / "courses" / "rtc-off")}
    account = start(kube_spawner(c, "vox-collab", ["collaborative"]), {"profile": "vox-large"})
    assert notebook(account)["resources"]["limits"]["memory"] == 8 * 1024**3  # "8G"
    assert offered(kube_spawner(c, "nobody", [])) == ["standard"]
    with pytest.raises(ValueError, match="No such profile: gpu"):
        start(kube_spawner(c, "fjord", ["mighty"]), {"profile": "gpu"})


def render_configmaps_of(path):
    from jupyterlab_hub_groups.hub import load_spec

    return render_configmaps(load_spec(path))


def configmap_folders_of(path):
    from jupyterlab_hub_groups.hub import load_spec

    return configmap_folders(load_spec(path))


def test_one_database_for_the_hub_and_the_package(values):
    """What must last is in the hub's own database (the chart's hub.db),
    which survives a restart of the hub pod; state_dir is not on a volume."""
    settings = yaml.safe_load(values["hub"]["extraFiles"]["hub-groups"]["stringData"])["settings"]
    assert settings["enrolment_db_url"] == values["hub"]["db"]["url"]
    assert values["hub"]["db"]["type"] == "postgres"


def test_the_extra_config_key_runs_last(values):
    """The chart runs hub.extraConfig in sorted order: ours must be last, or
    a hook set by a later key replaces the package's."""
    keys = sorted(values["hub"]["extraConfig"])
    assert keys[-1] == "zz-hub-groups"
    assert "configure_hub" in values["hub"]["extraConfig"][keys[-1]]
