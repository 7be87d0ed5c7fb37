"""How a course looks to people (issue 19, item 3): its title, and a
kernel's logo from the YAML file, on its launcher cards (``logo-svg.svg`` beside its
``kernel.json``), written to the course's folder and to its ConfigMap;
what may not be in one is refused with where and why."""

import json

import pytest
from traitlets.config import Config

from jupyterlab_hub_groups.contract import COURSE_TITLES_ENV, read_course_titles
from jupyterlab_hub_groups.hub import HubGroupsConfigError, configure_hub
from jupyterlab_hub_groups.hub.kubernetes import render_configmaps
from jupyterlab_hub_groups.hub.reader import load_spec

from jupyterlab_hub_groups.service.config import ServiceConfig

from .world import dirs, state_dir, world

COURSE = "Class1234_Semester02"
KERNEL = "class1234_semester02"
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><circle cx="4" cy="4" r="3"/></svg>'


def with_logo(tmp_path, logo=LOGO):
    data = world(settings={**dirs(tmp_path)})
    data["courses"][COURSE]["kernels"][KERNEL]["logo"] = logo
    return data


def kernel_folder(tmp_path):
    [course] = [p for p in tmp_path.iterdir() if p.name.startswith(COURSE)]
    return course / "share/jupyter/kernels" / KERNEL


def test_a_kernels_logo_is_written_beside_it_and_goes_with_the_file(tmp_path):
    data = with_logo(tmp_path)
    configure_hub(Config(), data)
    folder = kernel_folder(tmp_path)
    assert (folder / "logo-svg.svg").read_text() == LOGO + "\n"
    assert "logo" not in (folder / "kernel.json").read_text(), "not a kernel.json key"

    del data["courses"][COURSE]["kernels"][KERNEL]["logo"]
    configure_hub(Config(), data)
    assert not (folder / "logo-svg.svg").exists()
    assert (folder / "kernel.json").exists()


def test_the_logo_is_in_the_courses_configmap_too(tmp_path):
    spec = load_spec(with_logo(tmp_path))
    [course] = [
        m
        for m in render_configmaps(spec)
        if COURSE in (m["metadata"].get("annotations") or {}).values()
    ]
    assert course["data"][f"share__jupyter__kernels__{KERNEL}__logo-svg.svg"] == LOGO + "\n"


@pytest.mark.parametrize(
    "logo, why",
    [
        ("a picture", "must be an SVG document"),
        (42, "must be an SVG document"),
        ("<svg>" + " " * 100_000 + "</svg>", "at most 100000 characters"),
        ('<svg><script>alert(1)</script></svg>', "no script"),
        ('<svg onload="alert(1)"></svg>', "no script"),
        ('<svg><a href="javascript:alert(1)"><circle/></a></svg>', "no script"),
        ("<svg><foreignObject><p>x</p></foreignObject></svg>", "no script"),
        ('<!DOCTYPE svg [<!ENTITY x "y">]><svg>&x;</svg>', "must be an SVG document"),
        ('<svg><!DOCTYPE x></svg>', "no script"),
    ],
)
def test_what_a_logo_may_not_be_is_refused_saying_where(tmp_path, logo, why):
    with pytest.raises(HubGroupsConfigError) as info:
        configure_hub(Config(), with_logo(tmp_path, logo))
    message = str(info.value)
    assert f"courses.{COURSE}.kernels.{KERNEL}.logo" in message
    assert why in message


def test_a_title_reaches_the_service_which_lists_the_course_by_it(tmp_path):
    data = world(settings={**dirs(tmp_path), "on_member_removed": "none"})
    data["courses"][COURSE].update(enrolment="request", title="  Data Science 1 (Winter)  ")
    configure_hub(Config(), data)
    service_json = state_dir(tmp_path) / "service.json"
    assert json.loads(service_json.read_text())["enrolment"]["courses"][COURSE]["title"] == (
        "Data Science 1 (Winter)"
    )
    config = ServiceConfig.from_json(service_json.read_text())
    assert config.enrolment.courses[COURSE].title == "Data Science 1 (Winter)"


@pytest.mark.parametrize(
    "title, why",
    [
        ("", "non-empty string"),
        (12, "non-empty string"),
        ("x" * 101, "at most 100 characters"),
        ("two\nlines", "one line of printable text"),
        ("hidden\u200bspace", "one line of printable text"),
        ("right\u202eleft", "one line of printable text"),
    ],
)
def test_what_a_title_may_not_be_is_refused_saying_where(tmp_path, title, why):
    data = world(settings={**dirs(tmp_path)})
    data["courses"][COURSE]["title"] = title
    with pytest.raises(HubGroupsConfigError) as info:
        configure_hub(Config(), data)
    assert f"courses.{COURSE}.title" in str(info.value)
    assert why in str(info.value)


def test_every_server_gets_the_titles_for_the_manage_cards(tmp_path):
    data = world(settings={**dirs(tmp_path)})
    c = Config()
    configure_hub(c, data)
    assert COURSE_TITLES_ENV not in c.Spawner.environment, "no title, nothing"
    data["courses"][COURSE]["title"] = "Data Science 1 {user}"
    c = Config()
    configure_hub(c, data)
    value = c.Spawner.environment[COURSE_TITLES_ENV]
    assert "{" not in value
    assert read_course_titles(value) == {COURSE: "Data Science 1 {user}"}
