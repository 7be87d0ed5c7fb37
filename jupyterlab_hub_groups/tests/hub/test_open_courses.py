"""The courses taking new members, in every server's environment
(``$HUB_GROUPS_OPEN_COURSES``): what the server's start-up answer tells the
page's Join cards, read back with the server's own reader."""

from traitlets.config import Config

from jupyterlab_hub_groups import contract
from jupyterlab_hub_groups.hub import configure_hub

from .world import dirs, resolve, spawner, world

COURSE = "Class1234_Semester02"


def courses(**by_name):
    """The demo world with these courses' enrolment (and a closed one)."""
    data = world()
    base = data["courses"][COURSE]
    data["courses"] = {
        name: {**base, "enrolment": enrolment, "kernels": {}, "services": {}}
        for name, enrolment in by_name.items()
    }
    return data


def test_every_environment_lists_the_courses_taking_new_members(tmp_path):
    c = Config()
    c.KubeSpawner.environment = {"B": "2"}
    spec = courses(Class1234_Semester02="request", Drawing_101="open", Closed_1="closed")
    configure_hub(c, {**spec, "settings": dirs(tmp_path)})
    for section in ("Spawner", "KubeSpawner"):
        listed = contract.read_open_courses(c[section].environment[contract.OPEN_COURSES_ENV])
        assert listed == [
            contract.OpenCourse(COURSE, "request"),
            contract.OpenCourse("Drawing_101", "open"),
        ], section


def test_no_course_taking_members_is_an_empty_list_not_unknown(tmp_path):
    c = Config()
    configure_hub(c, {**courses(Closed_1="closed"), "settings": dirs(tmp_path)})
    assert contract.read_open_courses(c.Spawner.environment[contract.OPEN_COURSES_ENV]) == []


def test_an_environment_set_after_configure_hub_gets_the_list_back_at_each_start(tmp_path):
    """As the demo does: the per-spawn scopes, resolved before any hook, put
    it back with the start's report."""
    c = Config()
    configure_hub(c, {**courses(Drawing_101="open"), "settings": dirs(tmp_path)})
    c.Spawner.environment = {"PATH": "/opt/bin"}
    s = spawner("mmuster", [COURSE], environment=dict(c.Spawner.environment))
    resolve(c.Spawner.server_token_scopes(s))
    assert contract.read_open_courses(s.environment[contract.OPEN_COURSES_ENV]) == [
        contract.OpenCourse("Drawing_101", "open")
    ]
    assert s.environment["PATH"] == "/opt/bin"


def test_a_kubespawner_pod_carries_the_list_unharmed(tmp_path, kubeconfig):
    """KubeSpawner formats environment values as templates: the list must
    come through it as the hub wrote it (real KubeSpawner, ``_mock=True``)."""
    from .kube import env, kube_spawner, start
    from .test_kubernetes import z2jh_config

    c, data = z2jh_config(tmp_path)
    configure_hub(c, data)
    pod = start(kube_spawner(c, "fjord", ["mighty"]))
    assert contract.read_open_courses(env(pod)[contract.OPEN_COURSES_ENV]) == [
        contract.OpenCourse(COURSE, "request")
    ]
