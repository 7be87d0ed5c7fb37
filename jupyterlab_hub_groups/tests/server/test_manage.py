"""``hub-groups/api/manage``: the course panel's endpoints against a fake
hub that answers as JupyterHub 6.1.1 does (see conftest.py).

prof holds ``groups!group=Class1234_Semester02`` and ``list:users`` in the
page token's scopes (what the hub helper gives an instructor's own
server); vex is a student of nothing here; fjord an admin-like user with
unfiltered scopes.
"""

import json

import pytest
from tornado.httpclient import HTTPClientError

from conftest import TOKENS, user_model

API = ("hub-groups", "api", "manage")
COURSE = "Class1234_Semester02"
PROF_SCOPES = [
    f"groups!group={COURSE}",
    f"list:groups!group={COURSE}",
    f"read:groups!group={COURSE}",
    f"read:groups:name!group={COURSE}",
    "list:users",
    "read:users:name",
]


@pytest.fixture(autouse=True)
def world(fake_hub, jp_server_config, monkeypatch):
    monkeypatch.setitem(TOKENS, "prof-token", "prof")
    prof = user_model("prof")
    prof["groups"] = ["instructors"]
    prof["scopes"] += PROF_SCOPES
    fake_hub.users["prof-token"] = prof
    fake_hub.users["vex-token"]["groups"] = ["vox"]
    # an admin's token: unfiltered scopes name no group
    fake_hub.users["fjord-token"]["scopes"] += ["admin:groups", "groups", "list:users"]
    fake_hub.people = [
        "admin", "prof", "mmuster", "alice", "mmuster2", "vex", "fjord", "summer", "Zoë",
    ]
    fake_hub.groups = {COURSE: ["mmuster", "alice"], "vox": ["vex"], "other": []}


async def call(jp_fetch, token, *path, method="GET", body=None, params=None):
    if method == "POST" and not isinstance(body, (str, bytes)):
        body = json.dumps(body)
    try:
        return await jp_fetch(
            *API, *path, method=method, body=body, params=params or {},
            headers={"Authorization": f"token {token}"},
        )
    except HTTPClientError as e:
        return e.response


def answer(response, status=200):
    text = response.body.decode()
    assert response.code == status, text
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.headers["Cache-Control"] == "no-store"
    return json.loads(text)


# --- which groups -------------------------------------------------------------------------


async def test_an_instructor_manages_the_course(jp_fetch):
    assert answer(await call(jp_fetch, "prof-token")) == {"groups": [COURSE], "titles": {}}


@pytest.mark.parametrize("token", ["vex-token", "fjord-token"], ids=["student", "admin"])
async def test_everyone_else_manages_nothing(jp_fetch, fake_hub, token):
    """Admins' unfiltered scopes do not make every group appear."""
    assert answer(await call(jp_fetch, token)) == {"groups": [], "titles": {}}
    assert fake_hub.group_requests == []


async def test_managers_of_several_groups_get_them_sorted_and_only_usable_names(jp_fetch, fake_hub):
    fake_hub.users["prof-token"]["scopes"] += [
        "admin:groups!group=b-course", "groups!group=a!b", "groups!group=x/y", "groups!group=ünï",
    ]
    assert answer(await call(jp_fetch, "prof-token")) == {
        "groups": sorted([COURSE, "b-course", "a!b", "ünï"]),
        "titles": {},
    }


# --- members ------------------------------------------------------------------------------


async def test_the_members(jp_fetch, fake_hub):
    fake_hub.groups[COURSE] = ["mmuster", "alice"]
    body = answer(await call(jp_fetch, "prof-token", COURSE))
    assert body["group"] == COURSE and body["members"] == ["alice", "mmuster"]
    assert body["fetched_at"]
    assert fake_hub.group_requests == [("GET", f"/hub/api/groups/{COURSE}")]


@pytest.mark.parametrize("token", ["vex-token", "fjord-token"])
@pytest.mark.parametrize(
    "method, path, body",
    [
        ("GET", (COURSE,), None),
        ("GET", (COURSE, "users"), None),
        ("POST", (COURSE, "preview"), {"names": ["mmuster2"]}),
        ("POST", (COURSE, "add"), {"names": ["mmuster2"]}),
        ("POST", (COURSE, "remove"), {"names": ["mmuster"]}),
    ],
)
async def test_anyone_else_is_refused_before_the_group_is_asked(
    jp_fetch, fake_hub, token, method, path, body
):
    body = answer(await call(jp_fetch, token, *path, method=method, body=body), 403)
    assert body["error"] == "not-a-manager" and body["message"]
    assert fake_hub.group_requests == []
    assert fake_hub.groups[COURSE] == ["mmuster", "alice"]


async def test_a_group_the_hub_does_not_have(jp_fetch, fake_hub):
    fake_hub.users["prof-token"]["scopes"].append("groups!group=gone")
    body = answer(await call(jp_fetch, "prof-token", "gone"), 404)
    assert body["error"] == "no-such-group"
    body = answer(await call(jp_fetch, "prof-token", "gone", "add", method="POST",
                             body={"names": ["alice"]}), 404)
    assert body["error"] == "no-such-group"


# --- completion ---------------------------------------------------------------------------


async def test_completion_puts_names_starting_with_the_prefix_first(jp_fetch, fake_hub):
    body = answer(await call(jp_fetch, "prof-token", COURSE, "users", params={"prefix": "MM"}))
    assert body == {"users": ["mmuster", "mmuster2", "summer"]}
    assert fake_hub.group_requests == [("GET", "/hub/api/users?limit=200&offset=0&name_filter=MM")]
    body = answer(await call(jp_fetch, "prof-token", COURSE, "users", params={"prefix": "m", "limit": 2}))
    assert body == {"users": ["mmuster", "mmuster2"]}


async def test_completion_sends_the_prefix_escaped(jp_fetch, fake_hub):
    await call(jp_fetch, "prof-token", COURSE, "users", params={"prefix": "a&limit=1#"})
    assert fake_hub.group_requests[-1][1].endswith("name_filter=a%26limit%3D1%23")


async def test_completion_without_list_users_is_empty(jp_fetch, fake_hub):
    fake_hub.users["prof-token"]["scopes"].remove("list:users")
    body = answer(await call(jp_fetch, "prof-token", COURSE, "users", params={"prefix": "mm"}))
    assert body == {"users": []}


@pytest.mark.parametrize("params", [{"limit": "51"}, {"limit": "0"}, {"limit": "x"}, {"prefix": "a\nb"}])
async def test_bad_completion_arguments_are_400(jp_fetch, fake_hub, params):
    body = answer(await call(jp_fetch, "prof-token", COURSE, "users", params=params), 400)
    assert body["error"] == "bad-request"
    assert fake_hub.group_requests == []


# --- preview ------------------------------------------------------------------------------


async def test_preview_sorts_the_names_and_changes_nothing(jp_fetch, fake_hub):
    names = ["MMuster2", "alice", " mmuster2 ", "nobody", "a/b", "", "ALICE", "zoë", "line\nbreak"]
    body = answer(await call(jp_fetch, "prof-token", COURSE, "preview", method="POST",
                             body={"names": names}))
    assert body == {
        "new": ["mmuster2", "Zoë"],
        "member": ["alice"],
        "unknown": ["nobody"],
        "invalid": ["a/b", "line\nbreak"],
        # why, name by name
        "problems": [
            {"name": "a/b", "error": "invalid", "message": "A user name cannot contain '/'."},
            {
                "name": "line\nbreak",
                "error": "invalid",
                "message": "A user name cannot contain control or invisible characters.",
            },
        ],
    }
    assert fake_hub.groups[COURSE] == ["mmuster", "alice"]
    assert [m for m, _ in fake_hub.group_requests] == ["GET", "GET"], "the group, one page of users"


async def test_preview_without_list_users_leaves_existence_to_the_hub(jp_fetch, fake_hub):
    fake_hub.users["prof-token"]["scopes"].remove("list:users")
    body = answer(await call(jp_fetch, "prof-token", COURSE, "preview", method="POST",
                             body={"names": ["mmuster2", "nobody", "Alice"]}))
    assert body == {
        "new": ["mmuster2", "nobody"], "member": ["Alice"], "unknown": [], "invalid": [], "problems": [],
    }


# --- collaboration accounts ---------------------------------------------------------------

ACCOUNT = "collaboration-account"


@pytest.fixture
def with_accounts(fake_hub):
    fake_hub.people += ["vox-collab", "mighty-collab"]
    fake_hub.groups["vox"] = ["vex"]


async def test_collaboration_accounts_are_never_offered(jp_fetch, with_accounts):
    body = answer(await call(jp_fetch, "prof-token", COURSE, "users", params={"prefix": "v"}))
    assert body == {"users": ["vex"]}


async def test_collaboration_accounts_are_previewed_as_not_people(jp_fetch, with_accounts):
    body = answer(await call(jp_fetch, "prof-token", COURSE, "preview", method="POST",
                             body={"names": ["vox-collab", "mmuster2", "Mighty-Collab"]}))
    assert body["new"] == ["mmuster2"]
    assert body["invalid"] == ["vox-collab", "Mighty-Collab"]
    assert body["problems"] == [
        {
            "name": n,
            "error": ACCOUNT,
            "message": f"{n} is a project's collaboration account, not a person: "
            "it cannot be added here.",
        }
        for n in ["vox-collab", "Mighty-Collab"]
    ]


async def test_collaboration_accounts_are_never_added(jp_fetch, fake_hub, with_accounts):
    """Refused by the server, whatever the page sends: never sent to the hub."""
    body = answer(await call(jp_fetch, "prof-token", COURSE, "add", method="POST",
                             body={"names": ["vox-collab", "mmuster2"]}))
    assert body["added"] == ["mmuster2"]
    assert [(e["name"], e["error"]) for e in body["errors"]] == [("vox-collab", ACCOUNT)]
    assert fake_hub.group_bodies == [{"users": ["mmuster2"]}]
    assert "vox-collab" not in fake_hub.groups[COURSE]
    # only an account is sent: nothing reaches the hub's group
    body = answer(await call(jp_fetch, "prof-token", COURSE, "add", method="POST",
                             body={"names": ["VOX-COLLAB"]}))
    assert body["added"] == [] and body["errors"][0]["error"] == ACCOUNT
    assert fake_hub.group_bodies == [{"users": ["mmuster2"]}]


async def test_a_collaboration_account_added_elsewhere_can_be_removed(jp_fetch, fake_hub, with_accounts):
    fake_hub.groups[COURSE].append("vox-collab")
    body = answer(await call(jp_fetch, "prof-token", COURSE, "remove", method="POST",
                             body={"names": ["vox-collab"]}))
    assert body["removed"] == ["vox-collab"] and body["errors"] == []


@pytest.mark.parametrize(
    "pattern, account, person",
    [("{group}-collab", "vox-collab", "collab"), ("collab-{group}", "collab-vox", "vox-collab")],
)
def test_the_account_pattern_is_the_servers(pattern, account, person):
    from jupyterlab_hub_groups.server.membership import account_matcher, account_problem

    accounts = account_matcher(pattern)
    assert account_problem(account, accounts) and account_problem(account.upper(), accounts)
    assert account_problem(person, accounts) is None
    # a pattern of the group name alone would match everyone: none is refused
    assert account_problem("alice", account_matcher("{group}")) is None


# --- add ----------------------------------------------------------------------------------


async def test_add_applies_what_it_can_and_says_what_it_could_not(jp_fetch, fake_hub):
    body = answer(await call(jp_fetch, "prof-token", COURSE, "add", method="POST",
                             body={"names": ["MMuster2", "alice", "nobody", "a/b", "summer"]}))
    assert body["added"] == ["mmuster2", "summer"]
    assert body["already"] == ["alice"]
    assert body["errors"] == [
        {"name": "a/b", "error": "invalid", "message": "A user name cannot contain '/'."},
        {"name": "nobody", "error": "unknown-user", "message": "JupyterHub has no user nobody."},
    ]
    assert body["members"] == ["alice", "mmuster", "mmuster2", "summer"]
    assert sorted(fake_hub.groups[COURSE]) == body["members"]
    assert fake_hub.group_bodies == [{"users": ["mmuster2", "summer"]}], "one POST, known names only"


async def test_a_change_asks_the_hub_afresh_who_may_manage(jp_fetch, fake_hub):
    """The role was taken away after the page looked: reads may use the
    short cache, the change may not."""
    assert answer(await call(jp_fetch, "prof-token")) == {"groups": [COURSE], "titles": {}}
    calls = fake_hub.calls
    fake_hub.users["prof-token"]["scopes"] = ["list:users"]
    assert answer(await call(jp_fetch, "prof-token")) == {"groups": [COURSE], "titles": {}}, "cached read"
    assert fake_hub.calls == calls
    body = answer(await call(jp_fetch, "prof-token", COURSE, "add", method="POST",
                             body={"names": ["mmuster2"]}), 403)
    assert body["error"] == "not-a-manager"
    assert fake_hub.calls == calls + 1
    assert fake_hub.group_bodies == []
    assert fake_hub.groups[COURSE] == ["mmuster", "alice"]


async def test_a_user_deleted_since_the_list_was_read_is_found_by_halving(jp_fetch, fake_hub):
    await call(jp_fetch, "prof-token", COURSE, "preview", method="POST",
               body={"names": ["mmuster2", "summer", "vex"]})
    fake_hub.people.remove("summer")
    body = answer(await call(jp_fetch, "prof-token", COURSE, "add", method="POST",
                             body={"names": ["mmuster2", "summer", "vex"]}))
    assert body["added"] == ["mmuster2", "vex"]
    assert body["errors"] == [
        {"name": "summer", "error": "unknown-user", "message": "JupyterHub has no user summer."}
    ]
    assert body["members"] == ["alice", "mmuster", "mmuster2", "vex"]
    # the batch, then its halves: ["mmuster2"], ["summer", "vex"], then those
    assert fake_hub.group_bodies == [
        {"users": ["mmuster2", "summer", "vex"]},
        {"users": ["mmuster2"]},
        {"users": ["summer", "vex"]},
        {"users": ["summer"]},
        {"users": ["vex"]},
    ]


async def test_adding_500_names_costs_a_handful_of_hub_requests(jp_fetch, fake_hub):
    fake_hub.people += [f"student{i:03d}" for i in range(500)]
    names = {"names": [f"Student{i:03d}" for i in range(500)]}
    preview = answer(await call(jp_fetch, "prof-token", COURSE, "preview", method="POST", body=names))
    assert len(preview["new"]) == 500
    before = fake_hub.calls
    added = answer(await call(jp_fetch, "prof-token", COURSE, "add", method="POST", body=names))
    assert len(added["added"]) == 500 and len(added["members"]) == 502
    assert fake_hub.calls == before + 1, "one fresh identity check for the change"
    # preview: the group and 3 pages of 509 users; add: the group and one POST
    assert [m for m, _ in fake_hub.group_requests] == ["GET"] * 4 + ["GET", "POST"]


# --- remove -------------------------------------------------------------------------------


async def test_remove(jp_fetch, fake_hub):
    body = answer(await call(jp_fetch, "prof-token", COURSE, "remove", method="POST",
                             body={"names": ["MMUSTER", "mmuster2", "nobody", ".."]}))
    assert body == {
        "removed": ["mmuster"],
        "not_member": ["mmuster2", "nobody"],
        "errors": [{"name": "..", "error": "invalid", "message": "A user name cannot be only dots."}],
        "members": ["alice"],
    }
    assert fake_hub.groups[COURSE] == ["alice"]
    assert [m for m, _ in fake_hub.group_requests] == ["GET", "DELETE"]
    assert fake_hub.group_bodies == [{"users": ["mmuster"]}]


async def test_removing_nobody_sends_no_change(jp_fetch, fake_hub):
    body = answer(await call(jp_fetch, "prof-token", COURSE, "remove", method="POST",
                             body={"names": ["mmuster2"]}))
    assert body["removed"] == [] and body["members"] == ["alice", "mmuster"]
    assert [m for m, _ in fake_hub.group_requests] == ["GET"]


# --- routes -------------------------------------------------------------------------------


async def test_an_unknown_action_is_a_json_404(jp_fetch, fake_hub):
    body = answer(await call(jp_fetch, "prof-token", COURSE, "rename", method="POST",
                             body={"names": []}), 404)
    assert body["error"] == "unknown-action"


@pytest.mark.parametrize("path", [(COURSE, "add"), (COURSE, "preview")])
async def test_the_actions_are_posts(jp_fetch, path):
    response = await call(jp_fetch, "prof-token", *path)
    assert response.code == 405


async def test_no_names_ask_for_no_user_list(jp_fetch, fake_hub):
    body = answer(await call(jp_fetch, "prof-token", COURSE, "preview", method="POST",
                             body={"names": [" ", ""]}))
    assert body == {"new": [], "member": [], "unknown": [], "invalid": [], "problems": []}
    assert fake_hub.group_requests == [("GET", f"/hub/api/groups/{COURSE}")]
