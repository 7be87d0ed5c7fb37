"""The rules of the manage endpoints, without a server (server/membership.py):
names people paste, completion arguments, the user list and the batched
change with its halving."""

import asyncio
import json

import pytest
from tornado.httpclient import HTTPResponse, HTTPRequest
from io import BytesIO

from jupyterlab_hub_groups.hub_client import HubClient, HubError
from jupyterlab_hub_groups.server import membership
from jupyterlab_hub_groups.server.membership import (
    MAX_NAMES,
    BadRequest,
    UserDirectory,
    change,
    group_problem,
    name_problem,
    parse_completion,
    parse_names,
    rank_completions,
)


def body(names):
    return json.dumps({"names": names}).encode()


# --- names ------------------------------------------------------------------------------


def test_names_are_trimmed_blanks_dropped_duplicates_folded_in_order():
    assert parse_names(body([" alice ", "", "  ", "Bob", "ALICE", "bob", "carol\t"])) == [
        "alice",
        "Bob",
        "carol",
    ]


@pytest.mark.parametrize(
    "raw, words",
    [
        (b"", "must be"),
        (b"not json", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"[]", "must be"),
        (b'{"names": "alice"}', "must be"),
        (b'{"users": ["alice"]}', "must be"),
        (body(["alice", 7]), "names[1] must be a string, not a number"),
        (body([None]), "not null"),
        (body([["alice"]]), "not a list"),
        (body([{"name": "alice"}]), "not an object"),
        (body([True]), "not true or false"),
        (body(["x" * 256]), "longer than 255"),
        (body(["a"] * (MAX_NAMES + 1)), "At most 5000 names"),
        (b" " * (membership.MAX_BODY_BYTES + 1), "larger than"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_a_bad_body_is_refused_whole(raw, words):
    with pytest.raises(BadRequest, match=words.replace("[", r"\[").replace("]", r"\]")):
        parse_names(raw)


def test_the_limits_themselves_are_accepted():
    assert len(parse_names(body([f"u{i}" for i in range(MAX_NAMES)]))) == MAX_NAMES
    assert parse_names(body(["  " + "x" * 255 + "  "])) == ["x" * 255]


@pytest.mark.parametrize(
    "name, bad",
    [
        ("alice", False),
        ("mmuster2", False),
        ("jean.dupont@example.org", False),
        ("ünïcødé", False),
        ("o'brien", False),
        ("john doe", False),  # JupyterHub allows inner spaces
        ("a/b", True),
        ("..", True),
        (".", True),
        ("line\nbreak", True),
        ("nul\x00", True),
        ("rtl\u202eoverride", True),
        ("zero\u200bwidth", True),
    ],
)
def test_a_name_that_cannot_be_anyones_is_invalid(name, bad):
    assert bool(name_problem(name)) == bad


@pytest.mark.parametrize(
    "group, bad",
    [
        ("Class1234_Semester02", False),
        ("ünïcødé", False),
        ("a!b", False),  # a legal group name; the hub decides who manages it
        ("with space", False),
        ("", True),
        ("a/b", True),
        ("..", True),
        ("line\nbreak", True),
        ("tab\tbed", True),
        ("x" * 256, True),
    ],
)
def test_group_names_in_urls(group, bad):
    assert bool(group_problem(group)) == bad


# --- completion ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prefix, limit, expected",
    [
        (None, None, ("", 20)),
        ("  mm ", "5", ("mm", 5)),
        ("mm", "50", ("mm", 50)),
    ],
)
def test_completion_arguments(prefix, limit, expected):
    assert parse_completion(prefix, limit) == expected


@pytest.mark.parametrize(
    "prefix, limit", [("x", "0"), ("x", "51"), ("x", "-1"), ("x", "ten"), ("x", "1e3"), ("a\nb", None), ("x" * 256, None)]
)
def test_bad_completion_arguments(prefix, limit):
    with pytest.raises(BadRequest):
        parse_completion(prefix, limit)


def test_names_starting_with_the_prefix_come_first():
    names = ["summer", "mmuster", "Mmuster2", "alice", "ammo", "mmuster"]
    assert rank_completions(names, "MM", 10) == ["Mmuster2", "mmuster", "ammo", "summer"]
    assert rank_completions(names, "mm", 2) == ["Mmuster2", "mmuster"]
    assert rank_completions(names, "", 3) == ["Mmuster2", "alice", "ammo"]
    # the hub's LIKE wildcards do not leak through
    assert rank_completions(["axb", "a_b"], "a_", 10) == ["a_b"]


# --- a hub behind a fetch -------------------------------------------------------------------


class Hub:
    """Answers the client's fetches: a user list in pages, a group that
    refuses unknown names as JupyterHub does (the whole list, 400)."""

    def __init__(self, people, members=(), page=2):
        self.people = list(people)
        self.members = list(members)
        self.page = page
        self.calls = []

    async def fetch(self, request: HTTPRequest, raise_error=False):
        path = request.url.split("/hub/api/", 1)[1]
        self.calls.append((request.method, path))
        if path.startswith("users?"):
            query = dict(p.split("=") for p in path.split("?", 1)[1].split("&"))
            offset = int(query["offset"])
            items = [{"name": n} for n in self.people[offset : offset + self.page]]
            following = offset + self.page
            return self.answer(request, 200, {
                "items": items,
                "_pagination": {
                    "offset": offset,
                    "total": len(self.people),
                    "next": {"offset": following} if following < len(self.people) else None,
                },
            })
        users = json.loads(request.body)["users"]
        for name in users:
            if name.lower() not in self.people:
                return self.answer(request, 400, {"status": 400, "message": f"No such user: {name}"})
        for name in users:
            if request.method == "POST" and name not in self.members:
                self.members.append(name)
            if request.method == "DELETE" and name in self.members:
                self.members.remove(name)
        return self.answer(request, 200, {"name": "c", "users": list(self.members)})

    @staticmethod
    def answer(request, code, data):
        return HTTPResponse(request, code, buffer=BytesIO(json.dumps(data).encode()))


def client_for(hub):
    return HubClient("http://hub/hub/api", fetch=hub.fetch)


def test_the_user_list_is_read_once_in_pages_and_kept_for_a_few_seconds(monkeypatch):
    hub = Hub(["alice", "bob", "carol", "dave", "Eve"])
    directory = UserDirectory(client_for(hub))
    clock = [100.0]
    monkeypatch.setattr(membership, "monotonic", lambda: clock[0])

    users, found = asyncio.run(directory.find("t", ["alice", "EVE", "eve", "zed", "BOB"]))
    assert found == {"alice": "alice", "EVE": "Eve", "eve": "Eve", "zed": None, "BOB": "bob"}
    assert [c[1] for c in hub.calls] == [
        "users?limit=200&offset=0",
        "users?limit=200&offset=2",
        "users?limit=200&offset=4",
    ]
    hub.calls.clear()
    # kept: names it knows cost nothing
    asyncio.run(directory.find("t", ["carol", "dave"]))
    assert hub.calls == []
    # a name it does not know: asked again (the user may be new)
    hub.people.append("zed")
    _, found = asyncio.run(directory.find("t", ["carol", "zed"]))
    assert found["zed"] == "zed" and len(hub.calls) == 3, "6 users, 2 a page"
    # another token has its own list; after the few seconds, asked again
    hub.calls.clear()
    asyncio.run(directory.find("other", ["carol"]))
    assert len(hub.calls) == 3
    clock[0] += membership.USER_LIST_SECONDS + 1
    hub.calls.clear()
    asyncio.run(directory.find("t", ["carol"]))
    assert len(hub.calls) == 3


@pytest.mark.parametrize(
    "page",
    [
        {"items": "x"},
        {"items": [{"name": 7}]},
        {"items": [{"name": "a"}], "_pagination": {"next": {"offset": 0}}},  # never advances
        ["not", "users"],
    ],
)
def test_a_user_list_not_understood_is_a_502(page):
    async def fetch(request, raise_error=False):
        return Hub.answer(request, 200, page)

    directory = UserDirectory(HubClient("http://hub/hub/api", fetch=fetch))
    with pytest.raises(HubError) as e:
        asyncio.run(directory.find("t", ["a"]))
    assert (e.value.status, e.value.reason) == (502, "hub-bad-response")


def test_a_list_that_never_ends_is_a_502(monkeypatch):
    monkeypatch.setattr(membership, "MAX_PAGES", 3)
    hub = Hub([f"u{i}" for i in range(100)], page=1)
    with pytest.raises(HubError, match="never ended"):
        asyncio.run(UserDirectory(client_for(hub)).find("t", ["a"]))
    assert len(hub.calls) == 3


def test_a_change_is_one_request():
    hub = Hub([f"u{i}" for i in range(500)], members=["u0"])
    done = asyncio.run(change(client_for(hub), "t", "c", "POST", [f"u{i}" for i in range(1, 500)]))
    assert done.requests == 1 and len(done.done) == 499 and done.errors == []
    assert done.members == sorted(hub.members)


def test_names_the_hub_refuses_are_found_by_halving_and_the_rest_applies():
    hub = Hub([f"u{i}" for i in range(64)])
    names = [f"u{i}" for i in range(64)] + ["ghost", "phantom"]
    names.insert(10, names.pop())  # one culprit early, one last
    done = asyncio.run(change(client_for(hub), "t", "c", "POST", names))
    assert sorted(done.done) == sorted(f"u{i}" for i in range(64))
    assert sorted(hub.members) == sorted(done.done) == sorted(done.members)
    assert done.errors == [
        {"name": "phantom", "error": "unknown-user", "message": "JupyterHub has no user phantom."},
        {"name": "ghost", "error": "unknown-user", "message": "JupyterHub has no user ghost."},
    ]
    # two culprits among 66: each level of the halving retries at most two
    # halves per culprit, over log2(66) < 7 levels; not 66 requests
    assert done.requests <= 1 + 2 * 2 * 7


def test_another_refusal_of_one_name_says_what_the_hub_said():
    async def fetch(request, raise_error=False):
        return Hub.answer(request, 400, {"status": 400, "message": "Invalid <b>name</b>"})

    done = asyncio.run(change(HubClient("http://hub/hub/api", fetch=fetch), "t", "c", "POST", ["x"]))
    assert done.errors == [
        {"name": "x", "error": "refused", "message": "JupyterHub refused x: Invalid <b>name</b>"}
    ]
    assert done.members is None and done.done == []
