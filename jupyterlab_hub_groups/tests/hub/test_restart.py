"""What lets a page restart its own server (into what a group joined since
the start brings: a course's kernels and services, a project's card):
``servers!server`` in the page's token of one's own server, never of a
shared one. The real hub's side (the token stops its own server and no
other) is in test_real.py."""

import pytest
from traitlets.config import Config

from jupyterlab_hub_groups.hub import configure_hub
from jupyterlab_hub_groups.hub.token_scopes import RESTART_SCOPE

from .world import dirs, resolve, spawner, world

COURSE = "Class1234_Semester02"


@pytest.fixture
def page_scopes(tmp_path):
    c = Config()
    configure_hub(c, world(settings={**dirs(tmp_path)}))
    return lambda s: resolve(c.Spawner.oauth_client_allowed_scopes(s))


@pytest.mark.parametrize("who, groups", [("mmuster", [COURSE]), ("alice", []), ("vex", ["vox"])])
def test_ones_own_page_may_restart_its_server(page_scopes, who, groups):
    assert RESTART_SCOPE in page_scopes(spawner(who, groups))


@pytest.mark.parametrize("account", ["vox-collab", "future-collab"])
def test_a_shared_servers_page_may_not(page_scopes, account):
    """A visitor's token there would stop the server under every member."""
    assert RESTART_SCOPE not in page_scopes(spawner(account, ["collaborative"]))


def test_the_scope_names_the_server_it_is_issued_for():
    """JupyterHub fills in a bare ``!server`` with the token's own server:
    never another user's."""
    assert RESTART_SCOPE == "servers!server"
