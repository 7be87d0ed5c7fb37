"""``settings.runtime_projects`` and ``settings.project_access`` (issue 20):
read, checked with their place, and what they turn on (hub/settings.py,
hub/spec.py)."""

import pytest

from jupyterlab_hub_groups.hub import HubGroupsConfigError, load_spec
from jupyterlab_hub_groups.hub.spec import RuntimeProjects


def test_by_default_nobody_makes_projects_and_projects_use_roles():
    spec = load_spec({"projects": {"vox": {"members": ["vex"]}}})
    assert spec.settings.runtime_projects is None
    assert spec.settings.project_access == "roles"
    assert spec.share_projects == {} and not spec.keeps_projects and not spec.service_has_api


@pytest.mark.parametrize(
    "given, allowed",
    [({"allowed": "everyone", "max_per_person": 3}, None), ({"allowed": "staff"}, "staff")],
)
def test_runtime_projects_as_given(given, allowed):
    spec = load_spec({"settings": {"runtime_projects": given}})
    assert spec.settings.runtime_projects == RuntimeProjects(allowed, given.get("max_per_person", 3))
    assert spec.keeps_projects and spec.service_has_api


def test_projects_kept_by_shares_are_the_files_projects():
    spec = load_spec(
        {
            "settings": {"project_access": "shares"},
            "projects": {"vox": {"members": ["vex"]}, "mighty": {}},
        }
    )
    assert spec.share_projects == {"vox": "vox-collab", "mighty": "mighty-collab"}
    assert spec.keeps_projects and spec.service_has_api


@pytest.mark.parametrize(
    "settings, place, words",
    [
        ({"project_access": "acl"}, "settings.project_access", "roles, shares"),
        ({"project_access": None}, "settings.project_access", "roles, shares"),
        ({"runtime_projects": "everyone"}, "settings.runtime_projects", "must be a mapping"),
        ({"runtime_projects": {}}, "settings.runtime_projects", "needs allowed"),
        ({"runtime_projects": {"max_per_person": 2}}, "settings.runtime_projects.allowed", "everyone"),
        ({"runtime_projects": {"allowed": "a b"}}, "settings.runtime_projects.allowed", "not a usable name"),
        ({"runtime_projects": {"allowed": ["staff"]}}, "settings.runtime_projects.allowed", "not a usable name"),
        (
            {"runtime_projects": {"allowed": "everyone", "max_per_person": 0}},
            "settings.runtime_projects.max_per_person",
            "from 1 to 100",
        ),
        (
            {"runtime_projects": {"allowed": "everyone", "max_per_person": 101}},
            "settings.runtime_projects.max_per_person",
            "from 1 to 100",
        ),
        (
            {"runtime_projects": {"allowed": "everyone", "max_per_person": True}},
            "settings.runtime_projects.max_per_person",
            "whole number",
        ),
        (
            {"runtime_projects": {"allowed": "everyone", "max_per_person": "3"}},
            "settings.runtime_projects.max_per_person",
            "whole number",
        ),
        (
            {"runtime_projects": {"allowed": "everyone", "limit": 3}},
            "settings.runtime_projects",
            "unknown key 'limit'",
        ),
    ],
)
def test_each_mistake_names_its_key(settings, place, words):
    with pytest.raises(HubGroupsConfigError) as e:
        load_spec({"settings": settings})
    assert any(p.startswith(place + ":") and words in p for p in e.value.problems), e.value.problems


def test_runtime_projects_null_is_off():
    assert load_spec({"settings": {"runtime_projects": None}}).settings.runtime_projects is None
