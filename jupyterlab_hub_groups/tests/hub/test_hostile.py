"""Hostile input to the hub helper: names that would escape a folder, break
a scope filter, smuggle a second line into a log or a config file, look
like a command-line option, or look like someone else.

Every name in the YAML file ends up somewhere that parses it: a folder
path (course kernels), a URL (``/user/<account>/``), a scope filter
(``access:servers!user=<account>``), a role name, a command line
(``--HubGroupsConfig.presence_groups=<project>``). Each case here must be
refused with its place in the file, before anything is written.
"""

import pytest
from traitlets.config import Config

from jupyterlab_hub_groups.hub import HubGroupsConfigError, configure_hub, load_spec

HOSTILE_NAMES = {
    "dot-dot-slash": "../vox",
    "bang": "vox!user=admin",
    "equals": "vox=1",
    "slash": "a/b",
    "trailing newline": "vox\n",
    "inner newline": "vox\nadmin",
    "unicode letter": "vöx",
    "right-to-left override": "vox\u202e",
    "space": "v ox",
    "leading dash": "-vox",
    "empty": "",
    "too long": "v" * 300,
}


def problems(data):
    with pytest.raises(HubGroupsConfigError) as e:
        load_spec(data)
    return e.value.problems


@pytest.mark.parametrize("name", HOSTILE_NAMES.values(), ids=HOSTILE_NAMES.keys())
def test_hostile_project_names_are_refused(name):
    found = problems({"projects": {name: {"members": ["vex"]}}})
    assert any(p.startswith(f"projects.{name}:") and "not a usable name" in p for p in found)


@pytest.mark.parametrize("name", HOSTILE_NAMES.values(), ids=HOSTILE_NAMES.keys())
def test_hostile_course_names_are_refused(name):
    found = problems({"courses": {name: {"students": ["alice"]}}})
    assert any(p.startswith(f"courses.{name}:") and "not a usable name" in p for p in found)


@pytest.mark.parametrize("name", HOSTILE_NAMES.values(), ids=HOSTILE_NAMES.keys())
@pytest.mark.parametrize("kind", ["kernels", "services"])
def test_hostile_kernel_and_service_names_are_refused(name, kind):
    body = {"argv": ["python", "{connection_file}"]} if kind == "kernels" else {"command": ["x"]}
    found = problems({"courses": {"c1": {kind: {name: body}}}})
    assert any(p.startswith(f"courses.c1.{kind}.{name}:") for p in found), found


HOSTILE_MEMBERS = {
    "dot-dot-slash": "../vex",
    "slash": "a/b",
    "bang": "vex!",
    "equals": "a=b",
    "trailing newline": "vex\n",
    "leading dash": "-rf",
    "space": "v ex",
    "leading space": " vex",
    "right-to-left override": "\u202evex",
    "zero-width space": "ve\u200bx",
    "dots only": "..",
    "tab": "vex\t",
}


@pytest.mark.parametrize("name", HOSTILE_MEMBERS.values(), ids=HOSTILE_MEMBERS.keys())
def test_hostile_member_names_are_refused(name):
    found = problems({"projects": {"vox": {"members": [name]}}})
    assert any(p.startswith("projects.vox.members[0]:") for p in found), found


@pytest.mark.parametrize("name", ["josé", "a.b@example.org", "first.last+tag", "u_1"])
def test_real_world_member_names_are_accepted(name):
    spec = load_spec({"projects": {"vox": {"members": [name]}}})
    assert spec.projects[0].members == (name,)


HOSTILE_PATTERNS = {
    "bang": "{project}!x",
    "slash": "{project}/collab",
    "space": "collab {project}",
    "leading dash": "-{project}",
    "equals": "{project}=x",
    "newline": "{project}-collab\n",
    "unicode": "{project}-cöllab",
    "uppercase": "Collab-{project}",
    "twice": "{project}-{project}",
    "not at all": "collab",
    "nothing else": "{project}",
    "other field": "{project}-{x}",
    "positional field": "{0}-{project}",
    "attribute access": "{project.__class__}-collab",
    "stray brace": "{project}-collab}",
}


@pytest.mark.parametrize("pattern", HOSTILE_PATTERNS.values(), ids=HOSTILE_PATTERNS.keys())
def test_hostile_account_patterns_are_refused(pattern):
    found = problems(
        {"settings": {"collaboration_account": pattern}, "projects": {"vox": {"members": ["vex"]}}}
    )
    assert any(p.startswith("settings.collaboration_account:") for p in found), found


def test_a_mixed_case_project_would_give_an_account_jupyterhub_renames():
    """JupyterHub lowercases user names: 'Vox-collab' would be created as
    'vox-collab' while the role's scopes name 'Vox-collab'."""
    found = problems({"projects": {"Vox": {"members": ["vex"]}}})
    assert any(p.startswith("projects.Vox:") and "lowercase" in p for p in found), found


@pytest.mark.parametrize("name", ["vox-collab", "VOX-collab", "future-collab"])
def test_a_person_named_like_any_collaboration_account_is_refused(name):
    """Such a person could never log in (the login hook refuses the name), and
    'future-collab' would be handed a future project's shared server."""
    found = problems({"projects": {"vox": {"members": ["vex"]}}, "courses": {"c1": {"students": [name]}}})
    assert any(p.startswith("courses.c1.students[0]:") for p in found), found


def test_the_same_person_twice_in_another_case_is_refused():
    found = problems({"projects": {"vox": {"members": ["vex", "VEX"]}}})
    assert any(p.startswith("projects.vox.members[1]:") and "twice" in p for p in found)


def test_yaml_tags_that_run_code_are_refused(tmp_path):
    path = tmp_path / "groups.yaml"
    path.write_text('projects: !!python/object/apply:os.system ["touch pwned"]\n')
    with pytest.raises(HubGroupsConfigError, match="not valid YAML"):
        load_spec(path)
    assert not (tmp_path / "pwned").exists()


def test_nothing_is_written_for_a_hostile_file(tmp_path):
    data = {
        "settings": {"generated_dir": str(tmp_path / "gen"), "state_dir": str(tmp_path / "state")},
        "courses": {"c1": {"kernels": {"../../escape": {"argv": ["python", "{connection_file}"]}}}},
    }
    with pytest.raises(HubGroupsConfigError):
        configure_hub(Config(), data)
    assert list(tmp_path.iterdir()) == []
