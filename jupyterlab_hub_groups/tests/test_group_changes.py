"""Reading and changing a hub group's members (group_changes.py), the
piece the server extension and the hub-groups service share: the one rule
of user names, group names escaped whole in the hub's URLs, and a change
made in one request, halved only where the hub refuses it.

The fake hub answers through the one hub client (its ``fetch``), so the
client's headers, bodies and error mapping are the real ones.
"""

import asyncio
import io
import json
from urllib.parse import unquote

import pytest
from tornado.httpclient import HTTPResponse

from jupyterlab_hub_groups.group_changes import (
    MAX_NAME_LENGTH,
    Change,
    NoSuchGroup,
    change,
    error,
    group_path,
    has_forbidden_character,
    members,
    user_name_problem,
)
from jupyterlab_hub_groups.hub_client import HubClient, HubError

API = "http://hub.test/hub/api"


class Hub:
    """One hub's groups and users, answering ``groups/<g>`` and
    ``groups/<g>/users`` as JupyterHub does (a whole list refused for one
    unknown name)."""

    def __init__(self, groups, users=None):
        self.groups = {g: set(m) for g, m in groups.items()}
        self.users = set(users) if users is not None else None
        self.requests = []  # every HTTPRequest the client sent
        #: (method, group) → (status, body) answered instead
        self.answers = {}
        self.client = HubClient(API, fetch=self.fetch)

    async def fetch(self, request, raise_error=False):
        self.requests.append(request)
        path = request.url.split("/hub/api/", 1)[1]
        parts = path.split("/")
        group = unquote(parts[1])
        body = json.loads(request.body) if request.body else None
        code, answer = self.answer(request.method, group, parts[2:], body)
        buffer = io.BytesIO(b"" if answer is None else json.dumps(answer).encode())
        return HTTPResponse(request, code, buffer=buffer)

    def answer(self, method, group, rest, body):
        if (method, group) in self.answers:
            return self.answers[method, group]
        if group not in self.groups:
            return 404, {"status": 404, "message": f"No such group: {group}"}
        if not rest:
            return 200, {"name": group, "users": sorted(self.groups[group])}
        names = set(body["users"])
        unknown = sorted(names - self.users) if self.users is not None else []
        if unknown:
            return 400, {"status": 400, "message": f"No such user: {unknown[0]}"}
        if method == "POST":
            self.groups[group] |= names
        else:
            self.groups[group] -= names
        return 200, {"name": group, "users": sorted(self.groups[group])}

    def bodies(self):
        return [json.loads(r.body)["users"] for r in self.requests if r.body]


# --- Names ---------------------------------------------------------------------------


#: One of each kind of character no name may hold.
FORBIDDEN = {
    "newline": "a\nb",
    "NUL": "a\x00",
    "DEL": "\x7f",
    "zero width space": "zero\u200bwidth",
    "RTL override": "right\u202eleft",
    "isolate": "\u2066isolate",
    "surrogate": "\ud800",
    "private use": "\ue000private",
    "unassigned": "\u0378unassigned",
}


@pytest.mark.parametrize("text", list(FORBIDDEN.values()), ids=list(FORBIDDEN))
def test_controls_invisible_surrogate_private_and_unassigned_characters_are_forbidden(text):
    assert has_forbidden_character(text)


@pytest.mark.parametrize(
    "text", ["", "alice", "Zoë Müller", "李雷", "a b", "o'brien", "a.b-c_d@e+f"]
)
def test_letters_of_any_script_spaces_and_punctuation_are_not(text):
    assert not has_forbidden_character(text)


@pytest.mark.parametrize(
    "name", ["alice", "a", "x" * MAX_NAME_LENGTH, ".alice", "a.", "Zoë", "a b", "alice@example.org"]
)
def test_names_jupyterhub_takes_have_no_problem(name):
    assert user_name_problem(name) is None


@pytest.mark.parametrize(
    "name, words",
    [
        ("", "1 to 255 characters"),
        ("x" * (MAX_NAME_LENGTH + 1), "1 to 255 characters"),
        ("a/b", "cannot contain '/'"),
        ("/", "cannot contain '/'"),
        (".", "only dots"),
        ("...", "only dots"),
        ("a\nb", "control or invisible"),
        ("\u202eevil", "control or invisible"),
        ("a\x00", "control or invisible"),
    ],
)
def test_names_that_cannot_be_anyones_say_why(name, words):
    problem = user_name_problem(name)
    assert problem is not None and words in problem


def test_a_group_is_escaped_whole_in_the_hubs_urls():
    assert group_path("vox") == "groups/vox"
    assert group_path("vox", "users") == "groups/vox/users"
    # a "/", "?", "#" or ".." in a name cannot reach another API path
    assert group_path("a/../users") == "groups/a%2F..%2Fusers"
    assert group_path("a?b#c", "users") == "groups/a%3Fb%23c/users"
    assert group_path("100% sure") == "groups/100%25%20sure"
    assert group_path("Zoë") == "groups/Zo%C3%AB"


def test_an_error_entry_names_who_and_why():
    assert error("ghost", "unknown-user", "JupyterHub has no user ghost.") == {
        "name": "ghost",
        "error": "unknown-user",
        "message": "JupyterHub has no user ghost.",
    }


# --- Reading a group -----------------------------------------------------------------


def test_members_are_read_sorted_with_the_token_given():
    hub = Hub({"a/b": set()})
    hub.answers["GET", "a/b"] = (200, {"name": "a/b", "users": ["vex", "Beau", "alice"]})
    assert asyncio.run(members(hub.client, "tok", "a/b")) == ["Beau", "alice", "vex"]
    [request] = hub.requests
    assert (request.method, request.url) == ("GET", f"{API}/groups/a%2Fb")
    assert request.headers["Authorization"] == "token tok"


def test_a_group_the_hub_does_not_have_is_no_such_group():
    hub = Hub({})
    with pytest.raises(NoSuchGroup) as e:
        asyncio.run(members(hub.client, "tok", "ghosts"))
    assert e.value.args == ("ghosts",)


@pytest.mark.parametrize(
    "model",
    [None, ["vex"], {"name": "vox"}, {"users": "vex"}, {"users": ["vex", 7]}, {"users": None}],
    ids=["nothing", "a list", "no users", "users a string", "a number", "users null"],
)
def test_an_answer_that_is_not_a_group_is_a_bad_response(model):
    hub = Hub({"vox": {"vex"}})
    hub.answers["GET", "vox"] = (200, model)
    with pytest.raises(HubError) as e:
        asyncio.run(members(hub.client, "tok", "vox"))
    assert (e.value.status, e.value.reason) == (502, "hub-bad-response")


@pytest.mark.parametrize(
    "status, reason, answered", [(403, "hub-refused", 403), (500, "hub-error", 502)]
)
def test_a_refused_or_failing_read_is_a_hub_error(status, reason, answered):
    hub = Hub({"vox": {"vex"}})
    hub.answers["GET", "vox"] = (status, {"message": "no"})
    with pytest.raises(HubError) as e:
        asyncio.run(members(hub.client, "tok", "vox"))
    assert (e.value.status, e.value.reason) == (answered, reason)


# --- Changing a group ----------------------------------------------------------------


def test_nothing_to_change_asks_the_hub_nothing():
    hub = Hub({"vox": {"vex"}})
    done = asyncio.run(change(hub.client, "tok", "vox", "POST", []))
    assert done == Change() and done.members is None
    assert hub.requests == []


@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_a_change_is_one_request_with_every_name(method):
    hub = Hub({"a/b": {"vex", "vax"}}, users={"vex", "vax", "pike", "beau"})
    names = ["pike", "beau"] if method == "POST" else ["vax", "vex"]
    done = asyncio.run(change(hub.client, "tok", "a/b", method, names))
    assert done.done == names and done.errors == [] and done.requests == 1
    [request] = hub.requests
    assert (request.method, request.url) == (method, f"{API}/groups/a%2Fb/users")
    assert json.loads(request.body) == {"users": names}
    assert request.headers["Authorization"] == "token tok"
    assert done.members == sorted(hub.groups["a/b"])


def test_one_unknown_name_is_found_by_halving_and_every_other_name_applies():
    users = [f"u{i}" for i in range(8)]
    hub = Hub({"vox": set()}, users=users)
    names = users[:5] + ["ghost"] + users[5:]
    done = asyncio.run(change(hub.client, "tok", "vox", "POST", names))
    assert done.done == users, "in the order given"
    assert hub.groups["vox"] == set(users)
    assert done.errors == [error("ghost", "unknown-user", "JupyterHub has no user ghost.")]
    # 9 names: the whole, then halves down to the one culprit (4+5, 2+3, 1+1),
    # depth first; the halves without it are applied at once
    assert hub.bodies() == [
        names,
        names[:4],
        names[4:],
        names[4:6],
        names[4:5],
        names[5:6],
        names[6:],
    ]
    assert done.requests == len(hub.requests) == 7
    assert done.members == users, "the members after the last request the hub accepted"


def test_every_name_unknown_applies_nothing_and_reports_each():
    hub = Hub({"vox": {"vex"}}, users={"vex"})
    done = asyncio.run(change(hub.client, "tok", "vox", "POST", ["x", "y", "z"]))
    assert done.done == [] and done.members is None
    assert [e["name"] for e in done.errors] == ["x", "y", "z"]
    # 3 names: the whole, then 1 + 2, then the 2 one by one
    assert done.requests == 5
    assert hub.groups["vox"] == {"vex"}


@pytest.mark.parametrize(
    "answer, message",
    [
        ({"message": "Invalid name"}, "JupyterHub refused x: Invalid name"),
        ({"message": "Invalid user name"}, "JupyterHub refused x: Invalid user name"),
        ({"message": "y" * 500}, "JupyterHub refused x: " + "y" * 200),
        ({"message": ""}, "JupyterHub refused x: no reason given"),
        ({"message": 7}, "JupyterHub refused x: no reason given"),
        ({}, "JupyterHub refused x: no reason given"),
        (None, "JupyterHub refused x: no reason given"),
        (["No such user: x"], "JupyterHub refused x: no reason given"),
    ],
    ids=[
        "a sentence",
        "of a user",
        "shortened",
        "empty",
        "not text",
        "no message",
        "no body",
        "a list",
    ],
)
def test_another_refusal_of_one_name_says_what_the_hub_said_shortened(answer, message):
    hub = Hub({"vox": set()})
    hub.answers["POST", "vox"] = (400, answer)
    done = asyncio.run(change(hub.client, "tok", "vox", "POST", ["x"]))
    assert done.errors == [error("x", "refused", message)]


def test_a_group_gone_while_changing_is_no_such_group():
    hub = Hub({})
    with pytest.raises(NoSuchGroup):
        asyncio.run(change(hub.client, "tok", "vox", "POST", ["vex"]))


def test_a_refused_token_stops_the_change_and_what_was_applied_stays():
    """The first half applies, then the hub refuses the token (a role taken
    away meanwhile): the error is raised, nothing is undone."""
    hub = Hub({"vox": set()}, users={"a", "b", "c"})
    answer = hub.answer
    calls = []

    def refuse_after_two(method, group, rest, body):
        calls.append(body)
        if len(calls) > 2:
            return 403, {"message": "Forbidden"}
        return answer(method, group, rest, body)

    hub.answer = refuse_after_two
    with pytest.raises(HubError) as e:
        asyncio.run(change(hub.client, "tok", "vox", "POST", ["a", "b", "ghost", "c"]))
    assert (e.value.status, e.value.reason) == (403, "hub-refused")
    assert hub.groups["vox"] == {"a", "b"}
    assert calls == [
        {"users": ["a", "b", "ghost", "c"]},
        {"users": ["a", "b"]},
        {"users": ["ghost", "c"]},
    ]


def test_a_change_answered_with_something_else_than_a_group_is_a_bad_response():
    hub = Hub({"vox": set()})
    hub.answers["POST", "vox"] = (200, {"users": "vex"})
    with pytest.raises(HubError) as e:
        asyncio.run(change(hub.client, "tok", "vox", "POST", ["vex"]))
    assert e.value.reason == "hub-bad-response"
