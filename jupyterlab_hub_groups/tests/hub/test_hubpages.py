"""What the hub's own pages show a project's members and everyone else
(issue 19, items 9 and 10): the project role gives no admin page, the
``hub-groups`` service is not in the Services menu and asks no
confirmation. The pages themselves: ui-tests/tests/hubpages.spec.ts."""

import pytest
from jupyterhub.scopes import expand_scopes, has_scope
from jupyterhub.services.service import Service
from traitlets.config import Config

from jupyterlab_hub_groups.hub import configure_hub, load_spec
from jupyterlab_hub_groups.hub.managed_service import make_service
from jupyterlab_hub_groups.hub.roles import make_roles
from jupyterlab_hub_groups.hub.token_scopes import collaboration_card_scopes

from .world import dirs, world

COURSE = "Class1234_Semester02"


def project_roles(tmp_path):
    spec = load_spec(world(settings={**dirs(tmp_path)}))
    return spec, [r for r in make_roles(spec) if r["name"].startswith("collab-access-")]


def test_a_project_role_gives_no_admin_page(tmp_path):
    """``admin-ui`` put an Admin link on members' hub pages and let them
    open /hub/admin (Shutdown Hub, Stop All, Add Users); ``list:users`` was
    for that page only; ``admin:servers`` also reads the spawner's state."""
    _, roles = project_roles(tmp_path)
    assert [r["name"] for r in roles] == ["collab-access-vox", "collab-access-mighty"]
    for role in roles:
        held = expand_scopes(role["scopes"])
        assert not has_scope("admin-ui", held)
        assert not any(s.startswith(("list:users", "admin:server")) for s in held), held


@pytest.mark.parametrize("project, account", [("vox", "vox-collab"), ("mighty", "mighty-collab")])
def test_a_project_role_still_does_what_the_cards_need(tmp_path, project, account):
    """The card's start is the hub's spawn page (``servers`` on the account,
    JupyterHub's SpawnHandler); its status and stop go through the member's
    server token, whose scopes JupyterHub narrows to what the member holds;
    open is ``access:servers``. Nothing for the other project's account."""
    spec, roles = project_roles(tmp_path)
    (role,) = [r for r in roles if r["groups"] == [project]]
    held = expand_scopes(role["scopes"])
    for scope in ["servers", "access:servers"] + [
        s.partition("!")[0] for s in collaboration_card_scopes(spec, {project})
    ]:
        assert has_scope(f"{scope}!user={account}", held), scope
    other = "mighty-collab" if account == "vox-collab" else "vox-collab"
    assert not has_scope(f"servers!user={other}", held)


def enrolment_spec(tmp_path):
    data = world(settings={**dirs(tmp_path)})
    data["courses"][COURSE].update({"enrolment": "request"})
    return load_spec(data)


def test_the_service_is_not_in_the_hubs_services_menu_and_asks_no_confirmation(tmp_path):
    entry, _, _ = make_service(enrolment_spec(tmp_path))
    assert entry["url"]  # a page behind the proxy: the one JupyterHub would list
    assert entry["display"] is False
    assert entry["oauth_no_confirm"] is True
    # JupyterHub's own names for these (a misspelt key would be refused at start)
    service = Service(name=entry["name"], display=entry["display"])
    service.oauth_no_confirm = entry["oauth_no_confirm"]
    assert {"display", "oauth_no_confirm"} <= set(Service.class_trait_names(input=True))
    assert service.display is False and service.oauth_no_confirm is True


def test_the_hub_config_has_the_service_so(tmp_path):
    c = Config()
    data = world(settings={**dirs(tmp_path)})
    data["courses"][COURSE].update({"enrolment": "request"})
    configure_hub(c, data)
    (entry,) = [s for s in c.JupyterHub.services if s["name"] == "hub-groups"]
    assert (entry["display"], entry["oauth_no_confirm"]) == (False, True)
