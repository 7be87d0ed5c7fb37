"""Reading and checking the YAML file: every mistake with its place (hub/spec.py)."""

import pytest

from jupyterlab_hub_groups.hub import HubGroupsConfigError, load_spec


@pytest.mark.parametrize(
    "data, place, words",
    [
        ({"project": {}}, "top level", "unknown key 'project'"),
        ({"projects": {"vox": {"members": ["vex"], "colour": "red"}}}, "projects.vox", "unknown key 'colour'"),
        ({"projects": {"vox": {"members": ["vex", 7]}}}, "projects.vox.members[1]", "must be a user name"),
        ({"projects": {"vox": {"members": "vex"}}}, "projects.vox.members", "must be a list"),
        ({"projects": {"vox": {"members": ["vex", "vex"]}}}, "projects.vox.members[1]", "listed twice"),
        ({"projects": {"vox": {"members": ["vox-collab"]}}}, "projects.vox.members[0]", "collaboration account"),
        (
            {"projects": {"vox": {}, "mighty": {"members": ["vox-collab"]}}},
            "projects.mighty.members[0]",
            "collaboration account of project 'vox'",
        ),
        ({"projects": {"vox": {}}, "courses": {"VOX": {}}}, "courses.VOX", "already used by projects.vox"),
        ({"projects": {"collaborative": {}}}, "projects.collaborative", "already used"),
        ({"projects": {"<img src=x>": {}}}, "projects.<img src=x>", "not a usable name"),
        ({"courses": {"c1": {"students": [None]}}}, "courses.c1.students[0]", "must be a user name"),
        ({"courses": {"c1": {"kernels": {"k": {"argv": "python"}}}}}, "courses.c1.kernels.k.argv", "non-empty list"),
        (
            {"courses": {"c1": {"kernels": {"k": {"argv": ["python"]}}}}},
            "courses.c1.kernels.k.argv",
            "{connection_file}",
        ),
        ({"courses": {"c1": {"services": {"s": {"command": "run"}}}}}, "courses.c1.services.s.command", "list of strings"),
        ({"settings": {"authoritative": "yes"}}, "settings.authoritative", "true or false"),
        (
            {"courses": {"c1": {"instructors_get_environment": "no"}}},
            "courses.c1.instructors_get_environment",
            "true or false",
        ),
        ({"settings": {"revalidate_seconds": 1}}, "settings.revalidate_seconds", "at least 5"),
        ({"settings": {"collaboration_account": "collab"}}, "settings.collaboration_account", "{project}"),
    ],
)
def test_each_mistake_is_reported_with_its_place(data, place, words):
    with pytest.raises(HubGroupsConfigError) as e:
        load_spec(data)
    assert any(p.startswith(place + ":") and words in p for p in e.value.problems), e.value.problems


def test_all_mistakes_are_reported_at_once():
    with pytest.raises(HubGroupsConfigError) as e:
        load_spec({"projects": {"vox": {"members": [1, 2]}}, "courses": {"c": {"x": 1}}})
    assert len(e.value.problems) == 3
    assert "3 mistake(s), nothing applied" in str(e.value)


def test_a_name_defined_twice_in_the_file_is_refused(yaml_file):
    path = yaml_file(
        """\
        projects:
          vox:
            members: [vex]
          vox:
            members: [vax]
        """
    )
    with pytest.raises(HubGroupsConfigError) as e:
        load_spec(path)
    assert "line 4" in str(e.value) and "'vox' is defined twice" in str(e.value)


def test_invalid_yaml_says_where(yaml_file):
    with pytest.raises(HubGroupsConfigError, match="line 3: not valid YAML"):
        load_spec(yaml_file("projects:\n  vox: [\n"))


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(HubGroupsConfigError, match="cannot be read"):
        load_spec(tmp_path / "nope.yaml")


@pytest.mark.parametrize(
    "where, value",
    [
        ("kernels", {"k": {"argv": ["python", "{connection_file}"], "env": {"API_TOKEN": "s3cr3t"}}}),
        ("kernels", {"k": {"argv": ["python", "{connection_file}"], "env": {"DB_PASSWORD": "x"}}}),
        ("services", {"s": {"command": ["run"], "environment": {"AWS_SECRET_ACCESS_KEY": "x"}}}),
    ],
)
def test_secrets_in_generated_files_are_refused(where, value):
    """Every member can read a kernel's environment (and the generated folder
    is mounted in every server): a secret there is not a secret."""
    with pytest.raises(HubGroupsConfigError, match="looks like a secret"):
        load_spec({"courses": {"c1": {where: value}}})


def test_a_name_with_a_trailing_newline_is_refused():
    with pytest.raises(HubGroupsConfigError, match="not a usable name"):
        load_spec({"projects": {"vox\n": {"members": ["vex"]}}})


@pytest.mark.parametrize("value", ["on", "restart!", True, None])
def test_on_member_removed_is_one_of_three(value):
    with pytest.raises(HubGroupsConfigError, match="settings.on_member_removed: must be"):
        load_spec({"settings": {"on_member_removed": value}})


def test_instructors_get_the_environment_unless_the_course_says_not():
    spec = load_spec(
        {"courses": {"c1": {}, "c2": {"instructors_get_environment": False}}}
    )
    assert [c.instructors_get_environment for c in spec.courses] == [True, False]
