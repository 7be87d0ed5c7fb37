"""The enrolment API of the hub-groups service (service/api.py,
service/enrolment.py): who may call what, what a request does, and what
it refuses. Against the fake hub (conftest.py): HubOAuth asks it who each
token is, and the service changes its groups with its own token. Tests
marked ``ON_BOTH`` run on SQLite and on a real PostgreSQL server.
"""

from urllib.parse import quote

import pytest
import tornado.web

from jupyterlab_hub_groups.service.bodies import MAX_MESSAGE

from .conftest import COURSE, DATABASES, ODD, OPEN, user

#: The service's database, SQLite and PostgreSQL in turn.
ON_BOTH = pytest.mark.parametrize("world", DATABASES, indirect=True)


def courses_of(response):
    return {c["group"]: c for c in response.json["courses"]}


# --- Who may call what ----------------------------------------------------------------


async def test_a_student_sees_the_courses_taking_requests_with_their_state(world):
    r = await world.call("GET", "courses", "alice-token")
    assert r.code == 200
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["Content-Type"] == "application/json"
    listed = courses_of(r)
    assert listed[COURSE] == {
        "group": COURSE,
        "title": COURSE,  # none in the file: the group's name
        "enrolment": "request",
        "member": False,
        "request": None,
    }
    assert listed[OPEN]["enrolment"] == "open"
    # what people read: the file's title (the group's name without one)
    assert listed[OPEN]["title"] == "Drawing for Beginners"
    r = await world.call("GET", "courses", "mmuster-token")
    assert courses_of(r)[COURSE]["member"] is True


@pytest.mark.parametrize(
    "token, error",
    [
        (None, "not-authenticated"),
        ("forged-token", "not-authenticated"),
        # a token without access:services!service=hub-groups (an API token
        # made with fewer scopes, a page of a server not given it)
        ("no-access-token", "no-access"),
        # people run code as a collaboration account: it asks for nobody
        ("collab-token", "collaboration-account"),
        # services are not people
        ("other-service-token", "users-only"),
        # a visitor's token for someone else's server, which that someone's
        # code sees: never usable as the visitor here
        ("alice-on-mmuster-token", "foreign-server-token"),
    ],
)
@pytest.mark.parametrize(
    "method, path, body",
    [
        ("GET", "courses", None),
        ("POST", f"courses/{COURSE}/requests", {"message": "hi"}),
        ("DELETE", f"courses/{COURSE}/requests/mine", None),
        ("GET", f"courses/{COURSE}/requests", None),
        ("POST", f"courses/{COURSE}/requests/approve", {"users": ["alice"]}),
        ("POST", f"courses/{COURSE}/requests/decline", {"users": ["alice"]}),
        ("GET", "pending", None),
    ],
)
async def test_every_endpoint_refuses_who_may_not_call(world, token, error, method, path, body):
    r = await world.call(method, path, token, body)
    assert r.code == 403, r.body
    assert r.json["error"] == error
    assert world.rows() == []
    assert world.hub.group_bodies == [], "the hub's groups were not touched"


@pytest.mark.parametrize("token", ["alice-token", "mmuster-token", "admin-token"])
@pytest.mark.parametrize(
    "method, path, body",
    [
        ("GET", f"courses/{COURSE}/requests", None),
        ("POST", f"courses/{COURSE}/requests/approve", {"users": ["mmuster2"]}),
        ("POST", f"courses/{COURSE}/requests/decline", {"users": ["mmuster2"]}),
    ],
)
async def test_only_the_courses_managers_decide(world, token, method, path, body):
    """Students, and an admin whose scopes name no group (unfiltered
    admin:groups): deciding needs groups!group=<course> in the token."""
    await world.ask("mmuster2-token")
    r = await world.call(method, path, token, body)
    assert (r.code, r.json["error"]) == (403, "not-a-manager")
    assert [row["state"] for row in world.rows()] == ["pending"]
    assert world.hub.groups[COURSE] == ["mmuster"]


async def test_the_admin_may_call_but_manages_nothing_here(world):
    assert (await world.call("GET", "courses", "admin-token")).code == 200
    r = await world.call("GET", "pending", "admin-token")
    assert (r.code, r.json) == (200, {"pending": []})


async def test_each_request_asks_the_hub_once_and_afresh(world):
    """No answer about a token is reused: membership and scopes are as the
    hub says now, for one hub request per API request."""
    before = world.hub.calls
    for _ in range(3):
        assert (await world.call("GET", "courses", "alice-token")).code == 200
    assert world.hub.calls - before == 3
    world.hub.groups[COURSE].append("alice")
    assert courses_of(await world.call("GET", "courses", "alice-token"))[COURSE]["member"]


async def test_a_token_that_cannot_read_its_groups_is_answered_from_the_hub(world):
    """Membership is then read from the courses' members, with the
    service's own token (it may read exactly those groups)."""
    world.hub.groups[COURSE].append("alice")
    r = await world.call("GET", "courses", "alice-bare-token")
    assert courses_of(r)[COURSE]["member"] is True
    assert courses_of(r)[OPEN]["member"] is False
    assert ("GET", f"/hub/api/groups/{COURSE}") in world.hub.group_requests
    r = await world.ask("alice-bare-token")
    assert (r.code, r.json) == (200, {"state": "member"})


async def test_a_role_taken_away_stops_decisions_at_once(world):
    await world.ask("alice-token")
    assert (await world.call("GET", "pending", "prof-token")).json["pending"]
    models = dict.__getitem__(world.hub.users, "prof-token")
    models["scopes"] = [s for s in models["scopes"] if not s.startswith("groups!")]
    r = await world.decide("prof-token", ["alice"])
    assert (r.code, r.json["error"]) == (403, "not-a-manager")
    assert world.hub.groups[COURSE] == ["mmuster"]


async def test_a_cookie_alone_cannot_change_anything(world):
    """The service's OAuth cookie (a browser's visit) reads; a change
    without the hub's XSRF token is refused, as JupyterHub refuses it."""
    cookie = tornado.web.create_signed_value(
        world.app.settings["cookie_secret"], "service-hub-groups", "alice-token"
    ).decode()
    headers = {"Cookie": f"service-hub-groups={cookie}"}
    r = await world.call("GET", "courses", headers=headers)
    assert r.code == 200
    r = await world.call("POST", f"courses/{COURSE}/requests", body={}, headers=headers)
    assert (r.code, r.json["error"]) == (403, "not-authenticated")
    assert world.rows() == []


async def test_a_browser_visit_of_the_service_goes_through_the_hubs_login(world):
    home = world.url.removesuffix("api/")
    r = await world.call("GET", "", "alice-token")
    assert r.code == 404, "the API has no index"
    response = await world.client.fetch(home, follow_redirects=False, raise_error=False)
    assert response.code == 302
    assert "/hub/api/oauth2/authorize" in response.headers["Location"]
    assert "client_id=service-hub-groups" in response.headers["Location"]


async def test_unknown_paths_are_json_404s(world):
    for path in ["nope", "courses/x/y/z", f"courses/{COURSE}"]:
        r = await world.call("GET", path, "alice-token")
        assert (r.code, r.json["error"]) == (404, "not-found")


# --- Asking ---------------------------------------------------------------------------


async def test_asking_is_pending_and_repeating_it_changes_nothing(world):
    r = await world.ask("alice-token", message="Please let me in")
    assert r.code == 201
    assert r.json["state"] == "pending" and r.json["message"] == "Please let me in"
    assert r.json["decided"] is None and r.json["created"].endswith("+00:00")
    world.later(minutes=1)
    again = await world.ask("alice-token", message="PLEASE")
    assert again.code == 200
    assert again.json == r.json, "the same request, its message unchanged"
    assert len(world.rows()) == 1
    assert world.notified == [("alice", COURSE)], "the instructors are told once"
    listed = courses_of(await world.call("GET", "courses", "alice-token"))
    assert listed[COURSE]["request"] == r.json


async def test_the_caller_is_the_tokens_user_never_a_name_in_the_body(world):
    r = await world.ask("alice-token", body={"message": "hi", "user": "mmuster2"})
    assert r.code == 201
    assert [row["user"] for row in world.rows()] == ["alice"]


async def test_a_member_asking_is_told_so(world):
    r = await world.ask("mmuster-token")
    assert (r.code, r.json) == (200, {"state": "member"})
    assert world.rows() == []


async def test_a_closed_or_unknown_course_takes_no_requests(world):
    for group in ["Closed9", "collaborative", "nope", "", "%2E%2E"]:
        r = await world.call("POST", f"courses/{group}/requests", "alice-token", {})
        if r.code == 404:
            assert group == "", "an empty segment matches no route"
            continue
        assert (r.code, r.json["error"]) == (403, "closed"), group
    assert world.rows() == []
    assert not [c for c in courses_of(await world.call("GET", "courses", "alice-token")) if c == "Closed9"]


async def test_an_open_course_adds_the_caller_at_once(world):
    r = await world.ask("alice-token", group=OPEN)
    assert (r.code, r.json["state"]) == (200, "approved")
    assert world.hub.groups[OPEN] == ["alice"]
    # with the service's own token
    assert world.hub.group_bodies == [{"users": ["alice"]}]
    assert world.notified == []
    r = await world.ask("alice-token", group=OPEN)
    assert r.json == {"state": "member"}


async def test_withdrawing_a_pending_request(world):
    await world.ask("alice-token")
    r = await world.call("DELETE", f"courses/{COURSE}/requests/mine", "alice-token")
    assert (r.code, r.json["state"]) == (200, "withdrawn")
    r = await world.call("DELETE", f"courses/{COURSE}/requests/mine", "alice-token")
    assert (r.code, r.json["error"]) == (404, "no-pending-request")
    assert courses_of(await world.call("GET", "courses", "alice-token"))[COURSE]["request"] is None
    assert (await world.call("GET", "pending", "prof-token")).json == {"pending": []}
    assert (await world.ask("alice-token")).code == 201, "and asking again"


# --- Deciding -------------------------------------------------------------------------


@ON_BOTH
async def test_prof_approves_in_one_hub_request(world):
    for token in ["alice-token", "mmuster2-token"]:
        world.later(seconds=1)
        await world.ask(token, message=f"from {token}")
    pending = (await world.call("GET", "pending", "prof-token")).json["pending"]
    assert [(p["group"], p["user"]) for p in pending] == [(COURSE, "alice"), (COURSE, "mmuster2")]
    # with their messages: the instructors' notification shows them
    assert [p["message"] for p in pending] == ["from alice-token", "from mmuster2-token"]
    listed = (await world.call("GET", f"courses/{COURSE}/requests", "prof-token")).json["requests"]
    assert [(r["user"], r["message"], r["state"]) for r in listed] == [
        ("alice", "from alice-token", "pending"),
        ("mmuster2", "from mmuster2-token", "pending"),
    ]
    world.hub.group_requests.clear()
    r = await world.decide("prof-token", ["alice", "mmuster2", "mmuster", "ghost/x", ".."])
    assert r.code == 200
    assert r.json["approved"] == ["alice", "mmuster2"]
    assert r.json["declined"] == []
    # names no user can have: the server extension's rules, never sent on
    assert [(e["user"], e["error"]) for e in r.json["errors"]] == [
        ("mmuster", "no-pending-request"),
        ("ghost/x", "invalid"),
        ("..", "invalid"),
    ]
    assert world.hub.group_requests == [("POST", f"/hub/api/groups/{COURSE}/users")]
    assert sorted(world.hub.groups[COURSE]) == ["alice", "mmuster", "mmuster2"]
    assert {row["decided_by"] for row in world.rows()} == {"prof"}
    mine = courses_of(await world.call("GET", "courses", "alice-token"))[COURSE]
    assert mine["member"] is True and mine["request"]["state"] == "approved"
    approved = (await world.call("GET", f"courses/{COURSE}/requests?state=approved", "prof-token"))
    assert [r["user"] for r in approved.json["requests"]] == ["alice", "mmuster2"]


async def test_a_user_the_hub_refuses_does_not_stop_the_others(world):
    """JupyterHub refuses a whole list for one unknown user (400): halving
    finds them, the others join."""
    for token in ["alice-token", "mmuster2-token"]:
        await world.ask(token)
    world.hub.people.remove("mmuster2")  # deleted at the hub meanwhile
    r = await world.decide("prof-token", ["alice", "mmuster2"])
    assert r.json["approved"] == ["alice"]
    assert [(e["user"], e["error"]) for e in r.json["errors"]] == [("mmuster2", "unknown-user")]
    states = {row["user"]: row["state"] for row in world.rows()}
    assert states == {"alice": "approved", "mmuster2": "pending"}


async def test_declining_and_asking_again(world):
    await world.ask("alice-token")
    r = await world.decide("prof-token", ["alice"], "decline")
    assert r.json == {"approved": [], "declined": ["alice"], "errors": []}
    assert world.hub.group_bodies == [], "nothing asked of the hub"
    mine = courses_of(await world.call("GET", "courses", "alice-token"))[COURSE]["request"]
    assert mine["state"] == "declined" and mine["decided"]
    r = await world.ask("alice-token", message="I did the prerequisites")
    assert (r.code, r.json["state"]) == (201, "pending")
    everything = await world.call("GET", f"courses/{COURSE}/requests?state=all", "prof-token")
    assert [r["state"] for r in everything.json["requests"]] == ["declined", "pending"]
    r = await world.call("GET", f"courses/{COURSE}/requests?state=withdrawn", "prof-token")
    assert (r.code, r.json["error"]) == (400, "bad-request")


async def test_hub_down_fails_the_approval_and_keeps_the_request(world):
    await world.ask("alice-token")
    world.hub.group_mode = "500"
    r = await world.decide("prof-token", ["alice"])
    assert (r.code, r.json["error"]) == (502, "hub-error")
    assert [row["state"] for row in world.rows()] == ["pending"]
    world.hub.group_mode = "ok"
    assert (await world.decide("prof-token", ["alice"])).json["approved"] == ["alice"]


@pytest.mark.parametrize(
    "body",
    [b"", b"[]", b'{"users": "alice"}', b'{"users": [1]}', b'{"users": [["a"]]}', b"not json"],
)
async def test_decisions_need_a_list_of_names(world, body):
    r = await world.call("POST", f"courses/{COURSE}/requests/approve", "prof-token", raw=body)
    assert (r.code, r.json["error"]) == (400, "bad-request")


async def test_at_most_5000_names_at_once(world):
    r = await world.decide("prof-token", [f"u{i}" for i in range(5001)])
    assert (r.code, r.json["error"]) == (400, "bad-request")
    r = await world.decide("prof-token", [f"u{i}" for i in range(5000)])
    assert r.code == 200 and len(r.json["errors"]) == 5000


# --- The rate limit -------------------------------------------------------------------


@ON_BOTH
async def test_a_rate_limit_per_user_and_hour(world):
    """5 new requests an hour (withdrawn and declined ones count too);
    the sixth is refused with when to try again."""
    for i in range(5):
        assert (await world.ask("alice-token", group=ODD[i % len(ODD)] if i < 4 else COURSE)).code == 201
        world.later(minutes=1)
    r = await world.ask("alice-token", group=OPEN)
    assert r.code == 429
    assert r.json["error"] == "rate-limited"
    # the first counted request leaves the window 60 minutes after it was made
    assert r.json["retry_after"] == 55 * 60
    assert r.headers["Retry-After"] == str(55 * 60)
    assert world.hub.groups[OPEN] == [], "nobody added"
    # repeating a pending request is no new request: not limited
    assert (await world.ask("alice-token")).code == 200
    # another user is not limited by alice
    assert (await world.ask("mmuster2-token")).code == 201
    world.later(minutes=55)
    assert (await world.ask("alice-token", group=OPEN)).code == 200


async def test_withdrawing_and_asking_again_counts(world):
    for _ in range(5):
        assert (await world.ask("alice-token")).code == 201
        await world.call("DELETE", f"courses/{COURSE}/requests/mine", "alice-token")
    assert (await world.ask("alice-token")).code == 429


# --- Messages -------------------------------------------------------------------------

HOSTILE_MESSAGES = {
    "markup": "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "template": "{{constructor.constructor('alert(1)')()}} ${7*7} %s %(x)s",
    "unicode": "Grüße aus Köln 👋🏽 — مرحبا — 你好",
    "emoji with joiners": "👩‍👩‍👧‍👦",
    "lines": "first line\nsecond line",
    "exactly 500": "x" * MAX_MESSAGE,
    "sql": "'); DROP TABLE hub_groups_requests; --",
}


@ON_BOTH
@pytest.mark.parametrize("message", HOSTILE_MESSAGES.values(), ids=HOSTILE_MESSAGES.keys())
async def test_messages_are_kept_as_plain_text(world, message):
    r = await world.ask("alice-token", message=message)
    assert r.code == 201 and r.json["message"] == message
    listed = (await world.call("GET", f"courses/{COURSE}/requests", "prof-token")).json
    assert listed["requests"][0]["message"] == message
    assert world.rows()[0]["message"] == message


async def test_messages_are_trimmed_and_windows_line_ends_kept_as_line_breaks(world):
    r = await world.ask("alice-token", message="  \r\nhello\r\nthere \n ")
    assert r.json["message"] == "hello\nthere"


@pytest.mark.parametrize("message", ["", "   ", "\n\n"])
async def test_an_empty_message_is_none(world, message):
    r = await world.ask("alice-token", message=message)
    assert r.code == 201 and r.json["message"] is None


REFUSED_MESSAGES = {
    "501 characters": "x" * (MAX_MESSAGE + 1),
    "10 KB": "x" * 10 * 1024,
    "NUL": "a\x00b",
    "escape sequence": "\x1b[31mred\x1b[0m",
    "tab": "a\tb",
    "lone carriage return": "a\rb",
    "bell": "\x07",
    "C1 control": "a\x85b",
    "right-to-left override": "evil\u202etxt.exe",
    "isolate": "a\u2066b",
}


@pytest.mark.parametrize("message", REFUSED_MESSAGES.values(), ids=REFUSED_MESSAGES.keys())
async def test_messages_out_of_bounds_are_refused(world, message):
    r = await world.ask("alice-token", message=message)
    assert (r.code, r.json["error"]) == (400, "bad-request"), r.body
    assert world.rows() == []


@pytest.mark.parametrize(
    "raw",
    [
        b'{"message": 7}',
        b'{"message": ["a"]}',
        b'{"message": {"a": 1}}',
        b'["message"]',
        b'"hi"',
        b"{not json",
        b'{"message": "\\ud800"}',  # a lone surrogate
        b"\xff\xfe",
        b"[" * 100000 + b"]" * 100000,
        b'{"message": "' + b"x" * 70000 + b'"}',
    ],
    ids=[
        "number",
        "list",
        "object",
        "not an object",
        "a string",
        "not json",
        "lone surrogate",
        "not utf-8",
        "deeply nested",
        "over 64 KiB",
    ],
)
async def test_malformed_bodies_are_refused(world, raw):
    r = await world.call("POST", f"courses/{COURSE}/requests", "alice-token", raw=raw)
    assert (r.code, r.json["error"]) == (400, "bad-request"), r.body
    assert world.rows() == []


# --- Group names that are awkward in URLs, databases and logs ---------------------------


@ON_BOTH
@pytest.mark.parametrize("group", ODD, ids=["slash", "bang", "unicode", "newline"])
async def test_course_names_travel_safely(world, group, caplog):
    path = quote(group, safe="")
    r = await world.ask("alice-token", group=group, message="hi")
    assert r.code == 201, r.body
    assert group in courses_of(await world.call("GET", "courses", "alice-token"))
    pending = (await world.call("GET", "pending", "prof-token")).json["pending"]
    assert [(p["group"], p["user"]) for p in pending] == [(group, "alice")]
    r = await world.call("GET", f"courses/{path}/requests", "prof-token")
    assert [x["user"] for x in r.json["requests"]] == ["alice"]
    r = await world.decide("prof-token", ["alice"], group=group)
    assert r.json["approved"] == ["alice"], r.body
    assert world.hub.groups[group] == ["alice"]
    # escaped whole in the hub's URL: one request, to that group's path
    assert world.hub.group_requests[-1] == ("POST", f"/hub/api/groups/{path}/users")
    # no log line is split by a name
    assert not [rec for rec in caplog.records if "\n" in rec.getMessage()]


@pytest.mark.parametrize("group", ["a/b", "a!b", "Grüße-Kurs", "a\nb"])
async def test_odd_names_of_courses_not_taking_requests_are_refused_before_the_hub(world, group):
    r = await world.call(
        "POST", f"courses/{quote(group + 'x', safe='')}/requests", "alice-token", {}
    )
    assert (r.code, r.json["error"]) == (403, "closed")
    assert world.hub.group_requests == []


@pytest.mark.parametrize(
    "scopes, foreign",
    [
        (["access:servers!server=alice/", "read:users:groups!user=alice"], False),
        (["access:servers!server=alice/lab2"], False),
        (["access:servers!server=mmuster/", "read:users:groups!user=alice"], True),
        (["access:servers!server=mmuster/named"], True),
        # her API token: her own servers, and a server shared with her
        (["access:servers!user=alice", "access:servers!server=mmuster/"], False),
        (["access:services!service=hub-groups"], False),
        ([], False),
        ("not a list", False),
    ],
)
def test_a_token_for_someone_elses_server_is_told_apart(scopes, foreign):
    from jupyterlab_hub_groups.service.api import for_someone_elses_server

    assert for_someone_elses_server("alice", scopes) is foreign



# --- Names the hub accepts but the service cannot carry ---------------------------------

#: User names JupyterHub 6.1.1 accepts (its only rules: no '/', not only
#: dots, no spaces around) that would break an e-mail header or a log line,
#: or read in another order than they are stored.
UNUSABLE = {
    "header injection": "evil\r\nbcc: x@y.org",
    "right-to-left mark": "ab\u200fcd",
    "zero width space": "pro\u200bf",
}


def with_user(world, name, key):
    token = f"{key}-token"
    dict.__setitem__(world.hub.users, token, user(name))
    world.hub.people.append(name)
    return token


@ON_BOTH
@pytest.mark.parametrize("name", UNUSABLE.values(), ids=UNUSABLE.keys())
async def test_a_name_the_service_cannot_carry_cannot_ask(world, name):
    token = with_user(world, name, "odd")
    assert (await world.call("GET", "courses", token)).code == 200, "they see the courses"
    for group in (COURSE, OPEN):
        r = await world.ask(token, group=group, message="hi")
        assert (r.code, r.json["error"]) == (403, "invalid-name"), r.body
        assert "control or invisible characters" in r.json["message"]
    assert world.rows() == [] and world.notified == []
    assert world.hub.group_bodies == [], "not added to the open course either"


async def stored(world, name, group=COURSE):
    """A pending request of ``name``, as one made before the service refused
    such names is stored."""
    outcome, _, _ = await world.db.run(world.db.store.submit, group, name, "old", 5, 3600)
    assert outcome == "created"


@ON_BOTH
@pytest.mark.parametrize("name", UNUSABLE.values(), ids=UNUSABLE.keys())
async def test_a_stored_request_of_such_a_name_can_be_declined(world, name):
    await stored(world, name)
    pending = (await world.call("GET", "pending", "prof-token")).json["pending"]
    assert [p["user"] for p in pending] == [name]
    r = await world.decide("prof-token", [name], "decline")
    assert r.json == {"approved": [], "declined": [name], "errors": []}
    assert (await world.call("GET", "pending", "prof-token")).json["pending"] == []
    assert [(row["user"], row["state"]) for row in world.rows()] == [(name, "declined")]


@ON_BOTH
@pytest.mark.parametrize("name", UNUSABLE.values(), ids=UNUSABLE.keys())
async def test_approving_a_stored_request_of_such_a_name_declines_it_and_says_why(world, name):
    with_user(world, name, "odd")
    await stored(world, name)
    await world.ask("alice-token")
    r = await world.decide("prof-token", [name, "alice"])
    assert r.json["approved"] == ["alice"]
    assert r.json["declined"] == [name], "decided: no longer pending"
    [error] = r.json["errors"]
    assert (error["user"], error["error"]) == (name, "invalid")
    assert "control or invisible characters" in error["message"]
    assert "declined" in error["message"]
    assert world.hub.group_bodies == [{"users": ["alice"]}], "never sent to the hub"
    assert {row["user"]: row["state"] for row in world.rows()} == {
        name: "declined",
        "alice": "approved",
    }
    assert (await world.call("GET", "pending", "prof-token")).json["pending"] == []


@ON_BOTH
async def test_names_no_database_holds_are_invalid_without_a_lookup(world):
    r = await world.decide("prof-token", ["a\x00b", "\ud800x"], "decline")
    assert r.code == 200
    assert [(e["user"], e["error"]) for e in r.json["errors"]] == [
        ("a\x00b", "invalid"),
        ("\ud800x", "invalid"),
    ]
