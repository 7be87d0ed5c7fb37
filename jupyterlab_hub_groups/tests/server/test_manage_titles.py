"""``GET manage`` gives the titles people read for the groups one manages
(issue 19, item 3): the hub helper's ``$HUB_GROUPS_COURSE_TITLES``, only
those of the requester's own groups (fake hub, see conftest.py)."""

import json

import pytest
from tornado.httpclient import HTTPClientError

from jupyterlab_hub_groups import contract

COURSE = "Class1234_Semester02"
TITLES = {COURSE: "Data Science 1 <b>(Winter)</b>", "Other_Course": "Secret plans"}


@pytest.fixture
def jp_server_config(jp_server_config, fake_hub, monkeypatch):
    # Set before the server starts: the extension reads it once, at start.
    monkeypatch.setenv(contract.COURSE_TITLES_ENV, contract.course_titles_value(TITLES))
    fake_hub.users["vex-token"]["scopes"] = [
        *fake_hub.users["vex-token"]["scopes"],
        f"groups!group={COURSE}",
        "groups!group=untitled",
    ]
    return jp_server_config


async def get(jp_fetch, *path, token="vex-token", **params):
    try:
        response = await jp_fetch(
            "hub-groups", "api", *path, params=params,
            headers={"Authorization": f"token {token}"},
        )
    except HTTPClientError as e:
        response = e.response
    return response.code, json.loads(response.body)


async def test_the_titles_of_ones_own_groups_only(jp_fetch):
    code, body = await get(jp_fetch, "manage")
    assert code == 200
    assert body == {"groups": [COURSE, "untitled"], "titles": {COURSE: TITLES[COURSE]}}
    # the start-up answer carries the same
    _, me = await get(jp_fetch, "me", startup="1")
    assert me["startup"]["manage"] == body


async def test_someone_managing_nothing_learns_no_title(jp_fetch):
    code, body = await get(jp_fetch, "manage", token="fjord-token")
    assert body == {"groups": [], "titles": {}}


def test_the_titles_round_trip_without_a_brace_and_garbage_gives_none():
    """KubeSpawner formats environment values as templates ({username})."""
    odd = {"a": "x {username} y}", "b": "é"}
    value = contract.course_titles_value(odd)
    assert "{" not in value and "}" not in value and value.isascii()
    assert contract.read_course_titles(value) == odd
    for bad in (None, "", "nope", "{}", '[["a"]]', '[["a", ""]]', '[["a", 1]]'):
        assert contract.read_course_titles(bad) == {}, bad
