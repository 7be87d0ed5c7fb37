"""What lets a page restart its server into a course joined since it
started: the groups of the start in the server's environment
(``$HUB_GROUPS_GROUPS_AT_START``) and ``servers!server`` in the page's token,
both only where a course has kernels or services (they come with a start).
The real hub's side (the token stops its own server and no other) is in
test_real.py."""

import json

import pytest
from traitlets.config import Config

from jupyterlab_hub_groups import contract
from jupyterlab_hub_groups.hub import configure_hub
from jupyterlab_hub_groups.hub.token_scopes import RESTART_SCOPE

from .world import dirs, resolve, spawner, world

COURSE = "Class1234_Semester02"


def configured(tmp_path, environments=True):
    data = world(settings={**dirs(tmp_path)})
    if not environments:
        data["courses"][COURSE].pop("kernels")
        data["courses"][COURSE].pop("services")
    c = Config()
    configure_hub(c, data)
    return c


def test_every_start_records_the_owners_groups_then(tmp_path):
    c = configured(tmp_path)
    at_start = c.Spawner.environment[contract.GROUPS_AT_START_ENV]
    assert callable(at_start), "resolved at each start, not at configure_hub"
    s = spawner("mmuster", [COURSE, "a{username}"])
    value = at_start(s)
    assert "{" not in value, "KubeSpawner formats environment values"
    assert contract.read_groups_at_start(value) == sorted([COURSE, "a{username}"])
    assert json.loads(at_start(spawner("alice", []))) == []
    assert "mmuster" not in repr(at_start), "one object for every user's start"


@pytest.mark.parametrize("who", ["mmuster", "alice"])
def test_ones_own_page_may_restart_its_server(tmp_path, who):
    c = configured(tmp_path)
    groups = [COURSE] if who == "mmuster" else []
    assert RESTART_SCOPE in resolve(c.Spawner.oauth_client_allowed_scopes(spawner(who, groups)))


def test_a_shared_servers_page_may_not(tmp_path):
    """A visitor's token there would stop the server under every member."""
    c = configured(tmp_path)
    shared = spawner("vox-collab", ["collaborative"])
    assert RESTART_SCOPE not in resolve(c.Spawner.oauth_client_allowed_scopes(shared))


def test_without_course_environments_neither(tmp_path):
    """Nothing comes with a start: a restart brings nothing new."""
    c = configured(tmp_path, environments=False)
    assert contract.GROUPS_AT_START_ENV not in c.Spawner.environment
    scopes = resolve(c.Spawner.oauth_client_allowed_scopes(spawner("mmuster", [COURSE])))
    assert RESTART_SCOPE not in scopes
