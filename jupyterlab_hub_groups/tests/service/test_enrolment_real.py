"""Requests to join a course against a real JupyterHub (the demo world,
demo/jupyterhub_config.py), where the hub-groups service really runs as a
managed service behind the hub's proxy, with a local SMTP server (aiosmtpd)
for the instructors' e-mail.

alice (taken out of the course first) asks to join from her own server's
page, with the token her browser got from the hub's OAuth; prof approves
from his; the hub then has her in the course. A request survives a
restart of the hub (and so of the service). A change made on the hub's
REST API reaches the course's history, without an author.
"""

import stat
import time
from email import message_from_bytes, policy

import pytest
import requests
from aiosmtpd.controller import Controller
from alembic.script import ScriptDirectory

from jupyterlab_hub_groups import contract
from jupyterlab_hub_groups.service.db import alembic_config

from ..real_hub import RealHub, browser_session, demo_yaml, free_port, page_token

COURSE = "Class1234_Semester02"


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture(scope="module")
def inbox():
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port
    yield box
    controller.stop()


@pytest.fixture(scope="module")
def hub(tmp_path_factory, inbox):
    folder = tmp_path_factory.mktemp("enrolment-hub")
    hub = RealHub(
        folder,
        # the service looks at the course groups every 5 s (the history)
        groups_yaml=demo_yaml(folder, on_member_removed="none", revalidate_seconds=5),
        env={"HUB_GROUPS_SMTP_PORT": str(inbox.port)},
    )
    hub.start()
    hub.wait_service()
    yield hub
    hub.stop()


def page(hub, name):
    """``name``'s own server, opened in a browser: the page's token."""
    hub.start_server(name)
    return page_token(hub, browser_session(hub, name, name), name)


def test_alice_asks_from_her_page_and_prof_approves_from_his(hub, inbox):
    hub.api("DELETE", f"groups/{COURSE}/users", json={"users": ["alice"]}).raise_for_status()
    try:
        alice = page(hub, "alice")
        scopes = hub.api_with(alice, "GET", "user").json()["scopes"]
        assert contract.SERVICE_ACCESS_SCOPE in scopes
        listed = hub.service("GET", "courses", alice)
        assert listed.status_code == 200, listed.text
        assert listed.headers["Cache-Control"] == "no-store"
        assert listed.json()["courses"] == [
            {
                "group": COURSE,
                "title": COURSE,
                "enrolment": "request",
                "member": False,
                "request": None,
            }
        ]
        r = hub.service("POST", f"courses/{COURSE}/requests", alice, json={"message": "Hi prof!"})
        assert r.status_code == 201, r.text
        assert r.json()["state"] == "pending"

        prof = page(hub, "prof")
        pending = hub.service("GET", "pending", prof).json()["pending"]
        assert [(p["group"], p["user"]) for p in pending] == [(COURSE, "alice")]
        # alice may not decide for herself
        r = hub.service("POST", f"courses/{COURSE}/requests/approve", alice, json={"users": ["alice"]})
        assert (r.status_code, r.json()["error"]) == (403, "not-a-manager")
        r = hub.service("POST", f"courses/{COURSE}/requests/approve", prof, json={"users": ["alice"]})
        assert r.json() == {"approved": ["alice"], "declined": [], "errors": []}
        assert COURSE in hub.groups_of("alice")
        # the service's own token added her; the hub logged it as the service's
        assert f"POST /hub/api/groups/{COURSE}/users (hub-groups@" in hub.log()
        mine = hub.service("GET", "courses", alice).json()["courses"][0]
        assert mine["member"] is True and mine["request"]["state"] == "approved"

        # prof was e-mailed, with the link that opens the course's panel
        [message] = [m for m in inbox.messages if "alice" in m["Subject"]]
        assert message["To"] == "prof@example.org"
        assert message["Subject"] == f"Enrolment request: alice → {COURSE}"
        body = message.get_body(("plain",)).get_content()
        assert "\n> Hi prof!\n" in body.replace("\r\n", "\n")
        assert f"{hub.url}/hub/user-redirect/lab?hub-groups-manage={COURSE}" in body.split()
    finally:
        hub.api("POST", f"groups/{COURSE}/users", json={"users": ["alice"]})
        hub.stop_server("alice")
        hub.stop_server("prof")


def history_until(hub, wanted, timeout=30):
    """The course's history as prof reads it, once its newest events are
    ``wanted`` (kind, user, by), or fail after ``timeout`` seconds."""
    prof = hub.token_for("prof")
    deadline = time.monotonic() + timeout
    while True:
        r = hub.service("GET", f"courses/{COURSE}/history", prof)
        assert r.status_code == 200, r.text
        events = [(e["kind"], e["user"], e["by"]) for e in r.json()["events"]]
        if events[: len(wanted)] == wanted or time.monotonic() > deadline:
            assert events[: len(wanted)] == wanted
            return events
        time.sleep(0.5)


def test_changes_made_on_the_hubs_api_reach_the_history_without_an_author(hub):
    """The admin's REST API, not the panel: the service's look at the
    course group (every 5 s here) records each change, by nobody."""
    hub.api("DELETE", f"groups/{COURSE}/users", json={"users": ["mmuster"]}).raise_for_status()
    try:
        history_until(hub, [("removed", "mmuster", None)])
    finally:
        hub.api("POST", f"groups/{COURSE}/users", json={"users": ["mmuster"]}).raise_for_status()
    history_until(hub, [("added", "mmuster", None), ("removed", "mmuster", None)])
    assert "1 person(s) added in Class1234_Semester02 outside the panel" in hub.log()


def test_a_request_of_someone_an_admin_added_stops_waiting(hub):
    """jester asks; an admin adds them with the hub's API instead of
    approving: at the service's next look the request is settled (prof's
    list, the Manage card's count), as approved by nobody in the panel."""
    jester, prof = hub.token_for("jester"), hub.token_for("prof")
    r = hub.service("POST", f"courses/{COURSE}/requests", jester, json={})
    assert r.status_code == 201, r.text

    def waiting():
        return [p["user"] for p in hub.service("GET", "pending", prof).json()["pending"]]

    assert "jester" in waiting()
    hub.api("POST", f"groups/{COURSE}/users", json={"users": ["jester"]}).raise_for_status()
    try:
        deadline = time.monotonic() + 30
        while "jester" in waiting() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert "jester" not in waiting()
        history_until(hub, [("approved", "jester", None), ("asked", "jester", "jester")])
    finally:
        hub.api("DELETE", f"groups/{COURSE}/users", json={"users": ["jester"]})


def test_a_collaboration_servers_page_cannot_call_the_service(hub):
    """vex's token on vox-collab's page: everyone there runs code as the
    account and could use it."""
    try:
        hub.start_server("vox-collab")
        token = page_token(hub, browser_session(hub, "vex", "vox-collab"), "vox-collab")
        assert contract.SERVICE_ACCESS_SCOPE not in hub.api_with(token, "GET", "user").json()["scopes"]
        r = hub.service("GET", "courses", token)
        assert (r.status_code, r.json()["error"]) == (403, "no-access")
        # nor the shared server's own token
        r = hub.service("GET", "courses", hub.server_token("vox-collab"))
        assert r.status_code == 403
    finally:
        hub.stop_server("vox-collab")


def test_a_visitors_token_for_someone_elses_server_cannot_call_the_service(hub):
    """prof visits alice's server (she shares it to get help); alice's code
    sees his token for it with each of his requests. The service refuses
    that token, so she cannot ask or withdraw in his name. (JupyterHub
    6.1.1 already leaves the service's scope out of a visitor's token:
    ``no-access``; the service's own check, ``foreign-server-token``, is
    for a hub that would not, shown against the fake hub.)"""
    try:
        hub.start_server("alice")
        r = hub.api("POST", "shares/alice/", json={"user": "prof"})
        assert r.status_code in (200, 201), r.text
        visitor = page_token(hub, browser_session(hub, "prof", "alice"), "alice")
        scopes = hub.api_with(visitor, "GET", "user").json()["scopes"]
        assert "access:servers!server=alice/" in scopes
        for method, path, body in [
            ("GET", "courses", None),
            ("POST", f"courses/{COURSE}/requests", {"message": "sent by alice's code"}),
            ("GET", "pending", None),
        ]:
            r = hub.service(method, path, visitor, json=body)
            assert r.status_code == 403, r.text
            assert r.json()["error"] in ("no-access", "foreign-server-token")
        # his own server's token still works
        assert hub.service("GET", "pending", page(hub, "prof")).status_code == 200
    finally:
        hub.api("DELETE", "shares/alice/", json={"user": "prof"})
        hub.stop_server("alice")
        hub.stop_server("prof")


#: Names JupyterHub accepts (no '/', not only dots, no space around) that
#: the service cannot carry into an e-mail's subject, a log line or a list.
UNUSABLE = ["evil\r\nbcc: x@y.org", "ab\u200fcd"]


def test_a_name_the_hub_accepts_but_the_service_cannot_carry(hub):
    """The hub really has such users; they cannot ask, and a request of
    theirs stored before the service refused them is decided, not left
    pending for ever: declined as asked, and declined with a reason when
    approved (never sent to the hub)."""
    from urllib.parse import quote

    from jupyterlab_hub_groups.service.db import open_database

    prof = hub.token_for("prof")
    try:
        for name in UNUSABLE:
            r = hub.api("POST", f"users/{quote(name, safe='')}")
            assert r.status_code == 201, r.text
            assert hub.api("GET", f"users/{quote(name, safe='')}").json()["name"] == name
            r = hub.service("POST", f"courses/{COURSE}/requests", hub.token_for(name), json={})
            assert (r.status_code, r.json()["error"]) == (403, "invalid-name"), r.text
        # as requests made before the service refused these names are stored
        db = open_database(hub.db_url)
        try:
            for name in UNUSABLE:
                outcome, _, _ = db.store.submit(COURSE, name, "from before", 5, 3600)
                assert outcome == "created"
        finally:
            db.close()
        pending = hub.service("GET", "pending", prof).json()["pending"]
        assert {p["user"] for p in pending} >= set(UNUSABLE)
        evil, rtl = UNUSABLE
        r = hub.service("POST", f"courses/{COURSE}/requests/decline", prof, json={"users": [evil]})
        assert r.json() == {"approved": [], "declined": [evil], "errors": []}
        r = hub.service("POST", f"courses/{COURSE}/requests/approve", prof, json={"users": [rtl]})
        answer = r.json()
        assert (answer["approved"], answer["declined"]) == ([], [rtl])
        assert [(e["user"], e["error"]) for e in answer["errors"]] == [(rtl, "invalid")]
        assert COURSE not in hub.groups_of(rtl)
        pending = hub.service("GET", "pending", prof).json()["pending"]
        assert not {p["user"] for p in pending} & set(UNUSABLE)
    finally:
        for name in UNUSABLE:
            hub.api("DELETE", f"users/{quote(name, safe='')}")


def test_the_service_refuses_its_api_without_a_token_and_has_a_login_for_browsers(hub):
    r = requests.post(f"{hub.url}/services/hub-groups/api/courses/{COURSE}/requests", timeout=30)
    assert (r.status_code, r.json()["error"]) == (403, "not-authenticated")
    r = requests.get(f"{hub.url}/services/hub-groups/", allow_redirects=False, timeout=30)
    assert r.status_code == 302 and "/hub/api/oauth2/authorize" in r.headers["Location"]


def test_a_pending_request_survives_a_restart(hub):
    """mmuster2 asks (with an API token of theirs: the user role lets every
    token of a user call the service); the hub restarts, and with it the
    service; the request is still there for prof."""
    token = hub.token_for("mmuster2")
    r = hub.service("POST", f"courses/{COURSE}/requests", token, json={"message": "after you"})
    assert r.status_code == 201, r.text
    hub.restart()
    hub.wait_service()
    listed = hub.service("GET", f"courses/{COURSE}/requests", hub.token_for("prof"))
    assert [(q["user"], q["state"], q["message"]) for q in listed.json()["requests"]] == [
        ("mmuster2", "pending", "after you")
    ]
    mine = hub.service("GET", "courses", hub.token_for("mmuster2")).json()["courses"][0]
    assert mine["request"]["state"] == "pending"
    hub.service(
        "POST", f"courses/{COURSE}/requests/decline", hub.token_for("prof"), json={"users": ["mmuster2"]}
    )


def test_the_requests_live_in_the_hubs_state_folder_only(hub):
    database = hub.state_dir / "enrolment.sqlite"
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert stat.S_IMODE(hub.state_dir.stat().st_mode) == 0o700
    generated = hub.data_dir / "hub-groups"
    assert not [p for p in generated.rglob("*") if "enrol" in p.name or "sqlite" in p.name]
    # the demo says where e-mails go at every start
    assert "requests to join Class1234_Semester02 are e-mailed to prof@example.org" in hub.log()
    # made by the hub helper at config load, before the service starts
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert f"hub-groups database migrated from nothing to {head}" in hub.log()


def test_without_smtp_the_demo_says_no_e_mail_leaves_it(tmp_path):
    hub = RealHub(tmp_path, groups_yaml=demo_yaml(tmp_path, on_member_removed="none"))
    hub.start()
    try:
        hub.wait_service()
        log = hub.log()
        assert "no SMTP server, so requests to join Class1234_Semester02 are not e-mailed" in log
        assert "they would go to prof@example.org" in log
        assert "no settings.smtp: new requests are not e-mailed to prof@example.org" in log
    finally:
        hub.stop()
