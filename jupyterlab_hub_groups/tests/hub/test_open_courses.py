"""The courses taking new members, in every server's environment
(``$HUB_GROUPS_OPEN_COURSES``): what the server's start-up answer tells the
page's Join cards, read back with the server's own reader."""

from traitlets.config import Config

from jupyterlab_hub_groups import contract
from jupyterlab_hub_groups.hub import configure_hub

from .world import dirs, world

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
