"""What the server extension says and does when the hub-groups service keeps
projects with shares (issue 20): the start-up answer's ``project_access``
and ``projects_service`` from ``$HUB_GROUPS_PROJECTS``, and a
``collaborations`` listing that leaves the service's projects to it
(fake hub, see conftest.py)."""

import json

import pytest
from tornado.httpclient import HTTPClientError

from jupyterlab_hub_groups import contract
from jupyterlab_hub_groups.server.config import HubGroupsConfig

API = ("hub-groups", "api")


@pytest.fixture
def projects_env(request):
    """``$HUB_GROUPS_PROJECTS`` of the server under test (parametrize with
    ``indirect=True``; None: unset)."""
    return getattr(request, "param", None)


@pytest.fixture
def service_projects(request):
    """``c.HubGroupsConfig.service_projects`` of the server under test
    (parametrize with ``indirect=True``; None: not set)."""
    return getattr(request, "param", None)


@pytest.fixture
def jp_server_config(jp_server_config, projects_env, service_projects, fake_hub, monkeypatch):
    # set before the server starts: the extension reads it once
    if projects_env is None:
        monkeypatch.delenv(contract.PROJECTS_ENV, raising=False)
    else:
        monkeypatch.setenv(contract.PROJECTS_ENV, projects_env)
    if service_projects is not None:
        jp_server_config["HubGroupsConfig"]["service_projects"] = service_projects
    monkeypatch.setenv("JUPYTERHUB_USER", "vex")
    fake_hub.users["vex-token"]["groups"] = ["vox", "orca"]
    fake_hub.accounts = {
        "vox-collab": {"name": "vox-collab", "servers": {"": {"ready": True, "pending": None}}},
        "orca-collab": {"name": "orca-collab", "servers": {}},
    }
    return jp_server_config


async def get(jp_fetch, *path, **params):
    try:
        response = await jp_fetch(
            *API, *path, params=params, headers={"Authorization": "token vex-token"}
        )
    except HTTPClientError as e:
        response = e.response
    return response.code, json.loads(response.body)


@pytest.mark.parametrize(
    "projects_env, access, service",
    [
        (None, "roles", None),
        (contract.projects_value("roles"), "roles", None),
        (contract.projects_value("shares"), "shares", None),
        (contract.projects_value("roles", None, 3), "roles", {"allowed": None, "max_per_person": 3}),
        (
            contract.projects_value("shares", "staff", 5),
            "shares",
            {"allowed": "staff", "max_per_person": 5},
        ),
        ("not json", "roles", None),
    ],
    indirect=["projects_env"],
)
async def test_the_startup_answer_says_how_projects_are_kept(jp_fetch, access, service):
    code, body = await get(jp_fetch, "me", startup="1")
    assert code == 200
    startup = body["startup"]
    assert startup["project_access"] == access
    if service is None:
        assert "projects_service" not in startup, "absent when nobody makes projects"
    else:
        assert startup["projects_service"] == service


@pytest.mark.parametrize(
    "projects_env, service_projects, said",
    [
        (contract.projects_value("roles", None, 3), None, True),  # cannot say: ask
        (contract.projects_value("roles", None, 3), False, False),
        (contract.projects_value("shares"), True, True),
        (contract.projects_value("roles"), False, None),  # no service's projects
    ],
    indirect=["projects_env", "service_projects"],
)
async def test_the_startup_answer_says_whether_the_owner_may_be_in_a_services_project(
    jp_fetch, said
):
    code, body = await get(jp_fetch, "me", startup="1")
    assert code == 200
    assert body["startup"].get("service_projects") == said


@pytest.mark.parametrize(
    "projects_env",
    [contract.projects_value("shares"), contract.projects_value("roles", None, 3)],
    indirect=True,
    ids=["shares", "runtime projects"],
)
async def test_projects_the_token_may_not_see_are_left_to_the_service(jp_fetch, fake_hub):
    """With shares, members hold no role on the account: the hub refuses
    this server's token, and the card is the service's, not a broken one."""
    fake_hub.account_mode = "403"
    code, body = await get(jp_fetch, "collaborations")
    assert code == 200
    assert body == {"collaborations": [], "degraded": None}


@pytest.mark.parametrize("projects_env", [contract.projects_value("roles")], indirect=True)
async def test_with_roles_only_a_refusal_is_still_said(jp_fetch, fake_hub):
    fake_hub.account_mode = "403"
    _, body = await get(jp_fetch, "collaborations")
    assert {c["status"] for c in body["collaborations"]} == {"unknown"}
    assert body["degraded"]["code"] == "server-token-scopes"


@pytest.mark.parametrize(
    "projects_env", [contract.projects_value("shares", None, 3)], indirect=True
)
async def test_projects_the_token_may_see_keep_their_cards(jp_fetch):
    """A YAML project kept by roles beside runtime ones: still listed here."""
    _, body = await get(jp_fetch, "collaborations")
    assert sorted(c["group"] for c in body["collaborations"]) == ["orca", "vox"]


def test_the_value_round_trips_and_garbage_is_unknown(monkeypatch):
    for value, read in [
        (contract.projects_value("shares", "staff", 2), ("shares", {"allowed": "staff", "max_per_person": 2})),
        (contract.projects_value("roles", "staff"), ("roles", None)),
        ('[["project_access", "acl"]]', None),
        ('[["project_access", "roles"], ["max_per_person", "x"]]', None),
        ("{}", None),
        ("", None),
    ]:
        monkeypatch.setenv(contract.PROJECTS_ENV, value)
        assert HubGroupsConfig().projects == read, value
    assert "{" not in contract.projects_value("shares", "g{0}", 1), "KubeSpawner formats braces"
