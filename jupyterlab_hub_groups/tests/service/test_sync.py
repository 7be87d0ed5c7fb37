"""Authoritative mode (service/sync.py): at every start the service makes
each group's members exactly the file's, removing whom JupyterHub's
``load_groups`` never removes.

Against the fake hub of test_watch.py (the one hub client, its real
headers, bodies and error mapping), with a group the hub has not answered
404 as JupyterHub does.
"""

import asyncio
import json

import pytest

from jupyterlab_hub_groups.hub_client import HubError
from jupyterlab_hub_groups.service.sync import sync_members

from .test_watch import FakeHub


class Hub(FakeHub):
    """The fake hub, with 404 for a group it does not have, and answers set
    per call."""

    def __init__(self, groups):
        super().__init__(groups)
        #: (method, path) → (status, body) answered instead
        self.answers = {}

    async def __call__(self, method, path, body):
        parts = path.split("/")
        if (method, path) in self.answers:
            self.calls.append((method, path))
            return self.answers[method, path]
        if parts[0] == "groups" and len(parts) > 1 and parts[1] not in self.groups:
            self.calls.append((method, path))
            return 404, {"status": 404, "message": "Not Found"}
        return await super().__call__(method, path, body)

    def changes(self):
        """(method, group, names) of every change request, in order."""
        return [
            (r.method, r.url.split("/groups/", 1)[1].split("/")[0], json.loads(r.body)["users"])
            for r in self.requests
            if r.method in ("POST", "DELETE")
        ]


def hub(**groups):
    return Hub({name: set(members) for name, members in groups.items()})


def sync(hub, wanted):
    asyncio.run(sync_members(hub.client, wanted))


def test_each_group_ends_with_exactly_the_files_members():
    h = hub(vox={"vex", "vax", "pike"}, mighty={"fjord"}, Class={"alice"})
    sync(h, {"vox": ["vex", "beau"], "mighty": ["fjord", "caleb", "jester"], "Class": []})
    assert h.groups == {
        "vox": {"vex", "beau"},
        "mighty": {"fjord", "caleb", "jester"},
        "Class": set(),
    }


def test_removals_then_additions_one_sorted_request_each():
    h = hub(vox={"vex", "vax", "pike"})
    sync(h, {"vox": ["vex", "zed", "beau"]})
    assert h.changes() == [("DELETE", "vox", ["pike", "vax"]), ("POST", "vox", ["beau", "zed"])]


def test_a_group_as_the_file_says_is_only_read(caplog):
    h = hub(vox={"vex", "vax"})
    with caplog.at_level("INFO", logger="hub-groups"):
        sync(h, {"vox": ["vax", "vex"]})
    assert h.calls == [("GET", "groups/vox")]
    assert "as the file says" not in caplog.text, "nothing to say"


def test_every_call_carries_the_services_own_token():
    h = hub(vox={"vex", "vax"})
    sync(h, {"vox": ["vex", "kim"]})
    assert [r.method for r in h.requests] == ["GET", "DELETE", "POST"]
    assert {r.headers["Authorization"] for r in h.requests} == {"token service-token"}


def test_only_what_differs_is_sent():
    h = hub(vox={"vex", "vax"}, mighty={"fjord", "beau"})
    sync(h, {"vox": ["vex", "vax", "pike"], "mighty": ["fjord"]})
    assert h.changes() == [("POST", "vox", ["pike"]), ("DELETE", "mighty", ["beau"])]


def test_a_name_twice_in_the_file_counts_once():
    h = hub(vox={"vex"})
    sync(h, {"vox": ["kim", "vex", "kim"]})
    assert h.changes() == [("POST", "vox", ["kim"])]


def test_groups_the_file_does_not_name_are_left_alone():
    h = hub(vox={"vex"}, other={"someone"})
    sync(h, {"vox": []})
    assert h.groups["other"] == {"someone"}
    assert not [c for c in h.calls if "other" in c[1]]


def test_nothing_wanted_asks_the_hub_nothing():
    h = hub(vox={"vex"})
    sync(h, {})
    assert h.calls == []


def test_a_group_missing_from_the_hub_is_logged_and_the_others_are_synced(caplog):
    h = hub(vox={"vex", "vax"}, mighty={"fjord"})
    with caplog.at_level("ERROR", logger="hub-groups"):
        sync(h, {"vox": ["vex"], "ghosts": ["boo"], "mighty": ["fjord", "beau"]})
    assert "group 'ghosts' is not in the hub: nothing to sync there" in caplog.text
    assert h.groups == {"vox": {"vex"}, "mighty": {"fjord", "beau"}}
    assert ("POST", "groups/ghosts/users") not in h.calls


def test_what_is_done_is_logged(caplog):
    h = hub(vox={"vex", "vax"})
    with caplog.at_level("INFO", logger="hub-groups"):
        sync(h, {"vox": ["vex", "beau"]})
    assert "removing ['vax'] in 'vox', as the file says" in caplog.text
    assert "adding ['beau'] in 'vox', as the file says" in caplog.text


def test_names_the_hub_refuses_are_logged_and_the_others_applied(caplog):
    h = hub(vox={"vex", "vax"})
    h.known = {"vex", "vax", "kim"}
    with caplog.at_level("ERROR", logger="hub-groups"):
        sync(h, {"vox": ["vex", "ghost", "kim", "spook"]})
    assert h.groups["vox"] == {"vex", "kim"}
    assert "could not sync 'ghost' in 'vox': JupyterHub has no user ghost." in caplog.text
    assert "could not sync 'spook' in 'vox'" in caplog.text


@pytest.mark.parametrize(
    "failing, reason",
    [(("DELETE", "groups/vox/users"), "hub-error"), (("GET", "groups/mighty"), "hub-error")],
    ids=["a removal", "a later read"],
)
def test_a_failing_hub_stops_the_sync_and_what_was_done_stays(failing, reason):
    """The caller tries again later: the error is raised, not swallowed;
    groups synced before stay synced, later ones are not touched."""
    h = hub(Class={"alice", "bob"}, vox={"vex", "vax"}, mighty={"fjord"})
    h.fail.add(failing)
    with pytest.raises(HubError) as e:
        sync(h, {"Class": ["alice"], "vox": ["vex", "pike"], "mighty": ["beau"]})
    assert e.value.reason == reason
    assert str(e.value).startswith(f"{failing[0]} {failing[1]}: ")
    assert h.groups["Class"] == {"alice"}
    assert h.groups["mighty"] == {"fjord"}
    if failing[0] == "DELETE":
        assert h.groups["vox"] == {"vex", "vax"}, "no addition after a failed removal"


@pytest.mark.parametrize(
    "call", [("GET", "groups/vox"), ("DELETE", "groups/vox/users")], ids=["reading", "removing"]
)
def test_a_token_the_hub_refuses_stops_the_sync(call):
    h = hub(vox={"vex"}, mighty={"fjord"})
    h.answers[call] = (403, {"status": 403, "message": "Forbidden"})
    with pytest.raises(HubError) as e:
        sync(h, {"vox": [], "mighty": []})
    assert (e.value.status, e.value.reason) == (403, "hub-refused")
    assert h.groups == {"vox": {"vex"}, "mighty": {"fjord"}}
    assert h.calls[-1] == call, "nothing asked after the refusal"


@pytest.mark.parametrize(
    "answer",
    [{"name": "vox"}, {"users": "vex"}, {"users": ["vex", None]}, ["vex"]],
    ids=["no users", "users not a list", "a name not text", "a list"],
)
def test_a_change_answered_with_no_group_stops_the_sync(answer):
    h = hub(vox={"vex"})
    h.answers["POST", "groups/vox/users"] = (200, answer)
    with pytest.raises(HubError) as e:
        sync(h, {"vox": ["vex", "kim"]})
    assert e.value.reason == "hub-bad-response"
