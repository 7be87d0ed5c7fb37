"""The hub helper with KubeSpawner, as Zero to JupyterHub runs it: the real
``KubeSpawner`` class (``_mock=True``: no cluster), its pod built the way
JupyterHub and KubeSpawner build it at a start (group overrides, the
``pre_spawn_hook``, the chosen profile, ``get_pod_manifest()``, the
``modify_pod_hook``), and every pod and ConfigMap validated against the
Kubernetes schemas (``kubernetes-validate``, offline).

The people: a student (mmuster), an instructor (prof, holding
``groups!group=<course>`` through a role), a project member (vex), a
collaboration account (vox-collab) and a person in no group (nobody).
"""

from __future__ import annotations

import io
import json
from types import SimpleNamespace

import pytest
import yaml
from traitlets.config import Config

from jupyterlab_hub_groups import contract
from jupyterlab_hub_groups.hub import configure_hub
from jupyterlab_hub_groups.hub.__main__ import check, configmaps
from jupyterlab_hub_groups.hub.files import group_folder
from jupyterlab_hub_groups.hub.kubernetes import NO_ARGS, configmap_folders, render_configmaps
from jupyterlab_hub_groups.hub.spawn import RTC_OFF_ARGS, SpawnRefused
from jupyterlab_hub_groups.hub.spawn_report import HOOK_REPLACED_REPAIRED, POD_HOOK_REPLACED

from .kube import (
    K8S_VERSION,
    env,
    kube_spawner,
    kubernetes_validate,
    mounted,
    notebook,
    offered,
    problems,
    start,
)
from .world import INSTRUCTOR_SCOPES, dirs, world

COURSE = "Class1234_Semester02"
#: The deployment's own profiles (the chart's singleuser.profileList).
PROFILES = [
    {"display_name": "Standard", "slug": "standard", "default": True},
    {
        "display_name": "GPU",
        "slug": "gpu",
        "kubespawner_override": {
            "image": "registry.example.org/gpu:1",
            # a profile that sets args and the path replaces what the
            # pre_spawn_hook set: the modify_pod_hook puts ours back
            "args": ["--ServerApp.log_level=DEBUG"],
            "environment": {"JUPYTER_PATH": "/opt/gpu/share/jupyter"},
        },
    },
]
#: The file's profiles: the course may use the deployment's gpu profile and
#: one of its own; project vox has one of its own.
COURSE_PROFILES = [
    "gpu",
    {
        "slug": "course-r",
        "display_name": "R for the course",
        "kubespawner_override": {"image": "registry.example.org/course-r:2"},
    },
]
VOX_PROFILES = [
    {
        "slug": "vox-big",
        "display_name": "Project vox: 8 GB",
        "kubespawner_override": {"mem_limit": "8G", "image": "registry.example.org/vox:3"},
    }
]

pytestmark = pytest.mark.usefixtures("kube")


def z2jh_config(tmp_path, profiles=True, **settings):
    """What the chart's jupyterhub_config.py sets before hub.extraConfig runs
    (the parts that matter here), then configure_hub as extraConfig does."""
    c = Config()
    c.JupyterHub.spawner_class = "kubespawner.KubeSpawner"
    c.KubeSpawner.cmd = ["jupyterhub-singleuser"]
    c.KubeSpawner.image = "registry.example.org/notebook:1"
    c.KubeSpawner.environment = {"EXTRA": "from singleuser.extraEnv"}
    if profiles:
        c.KubeSpawner.profile_list = [dict(p) for p in PROFILES]
    data = world(
        settings={
            **dirs(tmp_path),
            "course_environments": "configmaps",
            "service_url": "http://hub:10101",
            "service_bind_url": "http://0.0.0.0:10101",
            **settings,
        }
    )
    data["courses"][COURSE]["profiles"] = COURSE_PROFILES
    data["courses"][COURSE]["enrolment"] = "request"
    data["projects"]["vox"]["profiles"] = VOX_PROFILES
    return c, data


# --- Who gets what, in the pod -------------------------------------------------------------


@pytest.fixture
def hub(tmp_path):
    c, data = z2jh_config(tmp_path)
    spec = configure_hub(c, data)
    return SimpleNamespace(c=c, spec=spec, maps=configmap_folders(spec), tmp=tmp_path)


def test_a_student_gets_the_course_environment_and_collaboration_off(hub):
    pod = start(kube_spawner(hub.c, "mmuster", [COURSE]))
    course, rtc_off = hub.maps[COURSE], hub.maps[None]
    assert notebook(pod)["image"] == "registry.example.org/notebook:1"
    assert notebook(pod)["args"] == ["jupyterhub-singleuser", *RTC_OFF_ARGS]
    folder = str(group_folder(hub.tmp, COURSE))
    assert mounted(pod) == {rtc_off.name: str(hub.tmp / "rtc-off"), course.name: folder}
    values = env(pod)
    assert values["JUPYTER_PATH"] == f"{folder}/share/jupyter"
    assert values["JUPYTER_CONFIG_PATH"] == f"{hub.tmp}/rtc-off:{folder}/etc/jupyter"
    assert values["EXTRA"] == "from singleuser.extraEnv", "the chart's extraEnv is kept"
    assert problems(pod) == []
    # every key of the ConfigMap lands at its path under the folder
    volume = next(
        v for v in pod["spec"]["volumes"] if v.get("configMap", {}).get("name") == course.name
    )
    assert sorted(i["path"] for i in volume["configMap"]["items"]) == sorted(course.files)


def test_an_instructor_gets_the_course_environment_through_the_role(hub):
    pod = start(kube_spawner(hub.c, "prof", ["instructors"], roles=[INSTRUCTOR_SCOPES]))
    assert hub.maps[COURSE].name in mounted(pod)
    assert env(pod)["JUPYTER_PATH"].startswith(str(group_folder(hub.tmp, COURSE)))


def test_a_project_member_gets_no_course_files_at_all(hub):
    pod = start(kube_spawner(hub.c, "vex", ["vox"]))
    assert mounted(pod) == {hub.maps[None].name: str(hub.tmp / "rtc-off")}
    assert "JUPYTER_PATH" not in env(pod)
    assert notebook(pod)["args"] == ["jupyterhub-singleuser", *RTC_OFF_ARGS]


def test_a_collaboration_account_keeps_collaboration_and_rechecks_visitors(hub):
    pod = start(kube_spawner(hub.c, "vox-collab", ["collaborative"]))
    assert notebook(pod)["args"] == [
        "jupyterhub-singleuser",
        "--HubGroupsConfig.revalidate_seconds=20",
        "--HubGroupsConfig.presence_groups=vox",
    ]
    assert mounted(pod) == {}, "no collaboration-off folder, no course"
    assert "JUPYTER_CONFIG_PATH" not in env(pod)


def test_a_person_in_no_group_gets_only_collaboration_off(hub):
    pod = start(kube_spawner(hub.c, "nobody", []))
    assert mounted(pod) == {hub.maps[None].name: str(hub.tmp / "rtc-off")}
    assert env(pod)["JUPYTER_CONFIG_PATH"] == str(hub.tmp / "rtc-off")
    assert "JUPYTER_PATH" not in env(pod)


# --- Profiles by group ---------------------------------------------------------------


def test_profiles_are_offered_by_group(hub):
    assert offered(kube_spawner(hub.c, "mmuster", [COURSE])) == ["standard", "gpu", "course-r"]
    assert offered(kube_spawner(hub.c, "prof", [], roles=[INSTRUCTOR_SCOPES])) == [
        "standard",
        "gpu",
        "course-r",
    ]
    assert offered(kube_spawner(hub.c, "vex", ["vox"])) == ["standard", "vox-big"]
    assert offered(kube_spawner(hub.c, "vox-collab", ["collaborative"])) == ["standard", "vox-big"]
    assert offered(kube_spawner(hub.c, "nobody", [])) == ["standard"]


@pytest.mark.parametrize(
    "name, groups, profile",
    [("nobody", [], "gpu"), ("vex", ["vox"], "course-r"), ("mmuster", [COURSE], "vox-big")],
)
def test_a_profile_of_others_is_refused_at_start_also_through_the_api(hub, name, groups, profile):
    """What ``POST /hub/api/users/<name>/server {"profile": ...}`` reaches:
    KubeSpawner refuses a profile that is not in the person's list."""
    with pytest.raises(ValueError, match=f"No such profile: {profile}"):
        start(kube_spawner(hub.c, name, groups), {"profile": profile})


def test_a_profile_that_sets_args_and_the_path_does_not_undo_the_helper(hub):
    pod = start(kube_spawner(hub.c, "mmuster", [COURSE]), {"profile": "gpu"})
    assert notebook(pod)["image"] == "registry.example.org/gpu:1"
    assert notebook(pod)["args"] == [
        "jupyterhub-singleuser",
        "--ServerApp.log_level=DEBUG",
        *RTC_OFF_ARGS,
    ]
    folder = str(group_folder(hub.tmp, COURSE))
    assert env(pod)["JUPYTER_PATH"] == f"{folder}/share/jupyter:/opt/gpu/share/jupyter"
    assert hub.maps[COURSE].name in mounted(pod)
    assert problems(pod) == []


def test_a_profile_on_a_shared_server_keeps_the_visitors_rechecked(hub):
    c, data = z2jh_config(hub.tmp / "again")
    data["projects"]["vox"]["profiles"] = [
        {
            "slug": "vox-big",
            "display_name": "Project vox: big",
            "kubespawner_override": {"args": ["--HubGroupsConfig.revalidate_seconds=0"]},
        }
    ]
    configure_hub(c, data)
    pod = start(kube_spawner(c, "vox-collab", ["collaborative"]), {"profile": "vox-big"})
    args = notebook(pod)["args"]
    assert "--HubGroupsConfig.revalidate_seconds=0" not in args
    assert "--HubGroupsConfig.revalidate_seconds=20" in args


def test_the_projects_own_profile_applies_to_its_shared_server(hub):
    pod = start(kube_spawner(hub.c, "vox-collab", ["collaborative"]), {"profile": "vox-big"})
    assert notebook(pod)["image"] == "registry.example.org/vox:3"
    assert (
        notebook(pod)["resources"]["limits"]["memory"] == 8 * 1024**3
    )  # "8G", as KubeSpawner sends it


def test_a_slug_the_deployment_does_not_have_is_a_mistake_at_start(tmp_path):
    c, data = z2jh_config(tmp_path)
    data["courses"][COURSE]["profiles"] = ["gpus"]
    with pytest.raises(Exception, match="no profile 'gpus' in KubeSpawner.profile_list"):
        configure_hub(c, data)


# --- Hooks set after configure_hub -----------------------------------------------------


def test_a_pre_spawn_hook_set_after_configure_hub_is_reported_and_made_up_for(hub):
    ran = []
    hub.c.KubeSpawner.pre_spawn_hook = lambda spawner: ran.append(spawner.user.name)
    s = kube_spawner(hub.c, "mmuster", [COURSE])
    errors = []
    s.log.error = lambda *a: errors.append(a[0] % a[1:])
    pod = start(s)
    assert ran == ["mmuster"]
    assert problems(pod) == [HOOK_REPLACED_REPAIRED]
    assert any(HOOK_REPLACED_REPAIRED in e for e in errors), "and the hub's log says so"
    # made up for by the modify_pod_hook
    assert notebook(pod)["args"] == ["jupyterhub-singleuser", *RTC_OFF_ARGS]
    assert hub.maps[COURSE].name in mounted(pod)


def test_a_named_server_of_a_collaboration_account_is_refused_by_the_pod_hook_too(hub):
    """The pre_spawn_hook that refuses it was replaced later in the config:
    the modify_pod_hook, which makes up for it, refuses the start as well."""
    hub.c.KubeSpawner.pre_spawn_hook = lambda spawner: None
    s = kube_spawner(hub.c, "vox-collab", ["collaborative"], server="bd")
    errors = []
    s.log.error = lambda *a: errors.append(a[0] % a[1:])
    with pytest.raises(SpawnRefused, match="only its default server may run"):
        start(s)
    assert any("not a named server ('bd')" in e for e in errors)
    # the account's default server and a person's named one still start
    assert problems(start(kube_spawner(hub.c, "vox-collab", ["collaborative"]))) == [
        HOOK_REPLACED_REPAIRED
    ]
    assert problems(start(kube_spawner(hub.c, "vex", ["vox"], server="bd"))) == [
        HOOK_REPLACED_REPAIRED
    ]


def test_a_modify_pod_hook_set_after_configure_hub_is_reported(hub):
    hub.c.KubeSpawner.modify_pod_hook = lambda spawner, pod: pod
    s = kube_spawner(hub.c, "mmuster", [COURSE])
    errors = []
    s.log.error = lambda *a: errors.append(a[0] % a[1:])
    pod = start(s, {"profile": "gpu"})
    assert problems(pod) == [POD_HOOK_REPLACED]
    assert any(POD_HOOK_REPLACED in e for e in errors)


def test_a_modify_pod_hook_that_wraps_ours_is_no_problem(hub):
    import functools

    ours_hook = hub.c.KubeSpawner.modify_pod_hook

    @functools.wraps(ours_hook)
    async def mine(spawner, pod):
        pod = await ours_hook(spawner, pod)
        pod.metadata.labels["mine"] = "yes"
        return pod

    hub.c.KubeSpawner.modify_pod_hook = mine
    pod = start(kube_spawner(hub.c, "mmuster", [COURSE]))
    assert pod["metadata"]["labels"]["mine"] == "yes"
    assert problems(pod) == []


def test_hooks_set_before_configure_hub_run_first(tmp_path):
    c, data = z2jh_config(tmp_path)
    calls = []
    c.KubeSpawner.pre_spawn_hook = lambda spawner: calls.append("pre")

    def theirs(spawner, pod):
        calls.append("pod")
        pod.spec.containers[0].args = [*pod.spec.containers[0].args, "--theirs"]
        return pod

    c.KubeSpawner.modify_pod_hook = theirs
    configure_hub(c, data)
    pod = start(kube_spawner(c, "mmuster", [COURSE]))
    assert calls == ["pre", "pod"]
    assert notebook(pod)["args"] == ["jupyterhub-singleuser", "--theirs", *RTC_OFF_ARGS]


# --- Environment values the chart allows -------------------------------------------------


def test_jupyter_path_from_a_value_from_refuses_a_students_start_with_a_clear_message(tmp_path):
    c, data = z2jh_config(tmp_path)
    c.KubeSpawner.environment = {
        "JUPYTER_PATH": {"valueFrom": {"configMapKeyRef": {"name": "paths", "key": "jupyter"}}}
    }
    configure_hub(c, data)
    with pytest.raises(SpawnRefused, match="JUPYTER_PATH is set to a Kubernetes valueFrom"):
        start(kube_spawner(c, "mmuster", [COURSE]))


def test_jupyter_path_from_a_function_gets_the_course_folder_first(tmp_path):
    c, data = z2jh_config(tmp_path)
    c.KubeSpawner.environment = {"JUPYTER_PATH": lambda spawner: f"/opt/{spawner.user.name}"}
    configure_hub(c, data)
    pod = start(kube_spawner(c, "mmuster", [COURSE]))
    folder = str(group_folder(tmp_path, COURSE))
    assert env(pod)["JUPYTER_PATH"] == f"{folder}/share/jupyter:/opt/mmuster"


# --- The ConfigMaps ------------------------------------------------------------------------


def test_configmaps_are_valid_and_named_by_their_content(hub, tmp_path):
    manifests = render_configmaps(hub.spec)
    for manifest in manifests:
        kubernetes_validate.validate(manifest, K8S_VERSION, strict=True)
    names = [m["metadata"]["name"] for m in manifests]
    assert names == [hub.maps[None].name, hub.maps[COURSE].name]
    # another kernel: another name, so that no pod mounts an older course
    c, data = z2jh_config(tmp_path / "other")
    data["courses"][COURSE]["kernels"]["r"] = {
        "argv": ["R", "-f", "{connection_file}"],
        "display_name": "R",
    }
    changed = configmap_folders(configure_hub(c, data))
    assert changed[COURSE].name != hub.maps[COURSE].name
    assert changed[None].name == hub.maps[None].name


def test_the_hub_writes_no_course_folder_with_configmaps(hub):
    assert not group_folder(hub.tmp, COURSE).exists()
    assert not (hub.tmp / "rtc-off").exists()


def test_the_command_prints_what_kubectl_applies(hub, tmp_path):
    path = tmp_path / "groups.yaml"
    _, data = z2jh_config(tmp_path)
    data["settings"] = {**data["settings"], **dirs(hub.tmp)}
    path.write_text(yaml.safe_dump(data))
    out, err = io.StringIO(), io.StringIO()
    assert configmaps(str(path), out, err) == 0
    documents = list(yaml.safe_load_all(out.getvalue()))
    assert documents == render_configmaps(hub.spec)
    assert "|" in out.getvalue(), "files are written as blocks one can read"


# --- The service in a cluster ---------------------------------------------------------------


def test_the_service_listens_on_every_interface_and_is_reached_through_the_hub_service(hub):
    entry = next(s for s in hub.c.JupyterHub.services if s["name"] == contract.SERVICE_NAME)
    assert entry["url"] == "http://hub:10101", "where the proxy pod sends /services/hub-groups/"
    config = json.loads((hub.spec.settings.state_dir / "service.json").read_text())
    assert config["enrolment"]["listen"] == "http://0.0.0.0:10101"


@pytest.mark.parametrize(
    "settings, warned",
    [
        ({"service_url": "http://127.0.0.1:10101", "service_bind_url": None}, True),
        ({}, False),
    ],
)
def test_check_warns_about_a_loopback_service_url_on_kubernetes(tmp_path, settings, warned):
    _, data = z2jh_config(tmp_path)
    data["settings"] = {k: v for k, v in {**data["settings"], **settings}.items() if v is not None}
    path = tmp_path / "groups.yaml"
    path.write_text(yaml.safe_dump(data))
    out, err = io.StringIO(), io.StringIO()
    assert check(str(path), out, err, kubernetes=True) == 0
    assert ("loopback" in err.getvalue()) == warned
    assert "ConfigMap hub-groups-class1234-semester02-" in out.getvalue()


def test_a_listen_address_as_service_url_is_a_mistake(tmp_path):
    _, data = z2jh_config(tmp_path, service_url="http://0.0.0.0:10101")
    with pytest.raises(Exception, match="a place to listen, not an address"):
        configure_hub(Config(), data)


@pytest.mark.parametrize(
    "settings, courses_profiles, message",
    [
        ({"course_environments": "volume"}, None, "settings.course_environments: must be one of"),
        ({"service_bind_url": "https://0.0.0.0:10101"}, None, "must use the scheme of service_url"),
        ({"service_bind_url": "http://0.0.0.0:10101/x"}, None, "without a path"),
        ({}, [{"slug": "x"}], "display_name: must be the name"),
        ({}, ["no spaces"], "is not a profile slug"),
        ({}, ["gpu", "gpu"], "lists the profile 'gpu' twice"),
        (
            {},
            [{"slug": "r", "display_name": "R", "kubespawner_override": "image"}],
            "must be a mapping",
        ),
        ({}, "gpu", "must be a list of profile slugs"),
    ],
)
def test_kubernetes_settings_and_profiles_are_checked(
    tmp_path, settings, courses_profiles, message
):
    from jupyterlab_hub_groups.hub import HubGroupsConfigError, load_spec

    _, data = z2jh_config(tmp_path, **settings)
    if courses_profiles is not None:
        data["courses"][COURSE]["profiles"] = courses_profiles
    with pytest.raises(HubGroupsConfigError, match=message):
        load_spec(data)


def test_without_a_command_the_arguments_cannot_be_passed_and_the_report_says_so(tmp_path):
    """singleuser.cmd: null runs the image's own command, which takes no
    arguments of ours: the shared server's visitors would not be re-checked."""
    c, data = z2jh_config(tmp_path)
    c.KubeSpawner.cmd = None
    configure_hub(c, data)
    pod = start(kube_spawner(c, "vox-collab", ["collaborative"]))
    assert "args" not in notebook(pod)
    assert problems(pod) == [NO_ARGS]


def test_the_path_keeps_its_place_among_the_variables(hub):
    """KubeSpawner orders variables so that $(NAME) references resolve: a
    variable we change stays where it was."""
    hub.c.KubeSpawner.environment = {
        "JUPYTER_PATH": "/opt/share/jupyter",
        "MORE_PATHS": "$(JUPYTER_PATH):/srv/more",
    }
    pod = start(kube_spawner(hub.c, "mmuster", [COURSE]))
    names = [e["name"] for e in notebook(pod)["env"]]
    assert names.index("JUPYTER_PATH") < names.index("MORE_PATHS")
    assert env(pod)["JUPYTER_PATH"].endswith(":/opt/share/jupyter")


def test_a_slug_with_no_profile_list_at_all_is_a_mistake_at_start(tmp_path):
    c, data = z2jh_config(tmp_path, profiles=False)
    with pytest.raises(Exception, match=r"no profile 'gpu' in KubeSpawner.profile_list \(it has: none\)"):
        configure_hub(c, data)
    # profiles the file defines whole need no list
    c, data = z2jh_config(tmp_path / "defined", profiles=False)
    data["courses"][COURSE]["profiles"] = COURSE_PROFILES[1:]
    configure_hub(c, data)
    assert offered(kube_spawner(c, "mmuster", [COURSE])) == ["course-r"]
    assert offered(kube_spawner(c, "nobody", [])) == []


def test_no_profile_for_everyone_is_warned_about(tmp_path, caplog):
    import logging

    c, data = z2jh_config(tmp_path, profiles=False)
    data["courses"][COURSE]["profiles"] = COURSE_PROFILES[1:]
    with caplog.at_level(logging.WARNING):
        configure_hub(c, data)
    assert "no profile that everyone may pick" in caplog.text
    caplog.clear()
    c, data = z2jh_config(tmp_path / "with-standard")
    with caplog.at_level(logging.WARNING):
        configure_hub(c, data)
    assert "no profile that everyone may pick" not in caplog.text
