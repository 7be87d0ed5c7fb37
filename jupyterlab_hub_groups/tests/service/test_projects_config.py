"""``service.json``'s runtime projects and share projects (issue 20):
written and read back equal, and a value that is not one refused saying
where (jupyterlab_hub_groups/service/config.py)."""

import json

import pytest

from jupyterlab_hub_groups.service.config import (
    RuntimeProjectsConfig,
    ServiceConfig,
    ServiceConfigError,
)

RUNTIME = {
    "allowed": "students",
    "max_per_person": 3,
    "account_pattern": "{project}-collab",
    "collaborative_group": "collaborative",
    "reserved": ["vox", "Open101"],
}


def test_runtime_projects_and_shares_read_back_equal():
    written = ServiceConfig(
        runtime_projects=RuntimeProjectsConfig(
            allowed=None,
            max_per_person=2,
            account_pattern="{project}-collab",
            collaborative_group="collaborative",
            reserved=["vox"],
        ),
        share_projects={"vox": "vox-collab"},
    )
    read = ServiceConfig.from_json(written.to_json())
    assert read == written
    assert read.runtime_projects.allowed is None
    assert read.runtime_projects.reserved == ("vox",)
    assert read.share_projects == {"vox": "vox-collab"}


def test_without_them_nobody_makes_projects_and_nothing_is_shared():
    read = ServiceConfig.from_json("{}")
    assert read.runtime_projects is None
    assert read.share_projects == {}


def test_a_group_may_be_the_only_one_allowed():
    read = ServiceConfig.from_dict({"runtime_projects": RUNTIME})
    assert read.runtime_projects == RuntimeProjectsConfig(
        "students", 3, "{project}-collab", "collaborative", ("vox", "Open101")
    )


def _with(**change):
    runtime = {**RUNTIME, **change}
    return json.dumps({"runtime_projects": {k: v for k, v in runtime.items() if v != "-"}})


@pytest.mark.parametrize(
    "text, problem",
    [
        ('{"runtime_projects": 3}', "runtime_projects must be a JSON object"),
        (_with(maximum=3), "runtime_projects has unknown keys: maximum"),
        (_with(max_per_person="-"), "runtime_projects needs max_per_person"),
        (_with(account_pattern="-"), "runtime_projects needs account_pattern"),
        (_with(collaborative_group="-"), "runtime_projects needs collaborative_group"),
        (_with(max_per_person=0), "runtime_projects.max_per_person must be from 1 to 100"),
        (_with(max_per_person=101), "runtime_projects.max_per_person must be from 1 to 100"),
        (_with(max_per_person="3"), "runtime_projects.max_per_person has the wrong type (str)"),
        (_with(max_per_person=True), "runtime_projects.max_per_person has the wrong type (bool)"),
        (_with(allowed=""), "runtime_projects.allowed must be a group's name, or null"),
        (_with(allowed=["a"]), "runtime_projects.allowed has the wrong type (list)"),
        (_with(account_pattern="collab"), "runtime_projects.account_pattern must hold {project}"),
        (_with(account_pattern="{project}"), "runtime_projects.account_pattern must hold"),
        (
            _with(account_pattern="{project}-{project}"),
            "runtime_projects.account_pattern must hold {project} once",
        ),
        (_with(collaborative_group=""), "runtime_projects.collaborative_group must be a group"),
        (_with(reserved="vox"), "runtime_projects.reserved has the wrong type (str)"),
        (_with(reserved=["vox", 3]), "runtime_projects.reserved must be a list of names"),
        ('{"share_projects": ["vox"]}', "share_projects has the wrong type (list)"),
        ('{"share_projects": {"vox": 3}}', "share_projects.vox must be a non-empty account"),
        ('{"share_projects": {"vox": ""}}', "share_projects.vox must be a non-empty account"),
    ],
)
def test_a_bad_value_is_refused_saying_where(text, problem):
    with pytest.raises(ServiceConfigError) as e:
        ServiceConfig.from_json(text, "/srv/state/service.json")
    assert e.value.problem.startswith(problem)
