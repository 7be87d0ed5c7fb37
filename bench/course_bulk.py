"""Adding a course's worth of students at once, as an instructor would from
the course panel: hub requests and wall time.

Run with `make bench-course` (not part of `make test`). Against a real
JupyterHub (the demo world, tests/real_hub.py's RealHub, in a temporary
folder):

1. the tests' admin service creates 500 users (one request);
2. prof logs in through the hub's login form and opens their own server
   (the OAuth dance of a browser), and the page's token is read from
   JupyterLab's page config, as JupyterLab itself gets it;
3. each round, with that token, exactly what the panel does: ``POST
   hub-groups/api/manage/<course>/preview`` with the 500 names, then ``POST
   .../add`` with the same names. Timed from before the preview to the add's
   answer; then the 500 are taken out of the course again (admin, untimed).

Hub requests are counted from the hub's own log: JupyterHub logs every
request it serves (``200 GET /hub/api/users?... (prof@127.0.0.1) 3.2ms``);
the lines between the start and the end of a round with prof's identity
are the requests made with prof's token (by our server extension, and by
JupyterHub's own check of the page's token on the server). No counter in
our code: what is counted is what the hub served.

Rounds start with nothing cached: the server extension keeps a token's
identity for ``cache_seconds`` (5) and its user list for 10 s, and an
instructor's preview comes long after the page was opened; each round
waits that long first.

For scale, the same 500 names are also added the way a script without the
server extension would, one ``POST /hub/api/groups/<course>/users`` per
name with prof's token (``--no-baseline`` skips it).

Results: printed, and written to bench/results/course.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT))

from jupyterlab_hub_groups.server.membership import USER_LIST_SECONDS  # noqa: E402
from jupyterlab_hub_groups.tests.real_hub import (  # noqa: E402
    RealHub,
    browser_session,
    demo_yaml,
    page_token,
)

COURSE = "Class1234_Semester02"
INSTRUCTOR = "prof"
#: A hub log line of a request served: status, method, path, who.
LOG_LINE = re.compile(r"\] (\d{3}) (GET|POST|PUT|PATCH|DELETE) (/hub/api/\S*) \(([^@)]*)@")


def hub_requests(hub: RealHub, since: int, until: int | None = None) -> list[tuple[str, str, str]]:
    """(method, path without query, who) of each API request the hub logged
    between two offsets of its log."""
    text = hub.log()[since:until]
    return [(m[2], m[3].split("?")[0], m[4]) for m in LOG_LINE.finditer(text)]


def create_users(hub: RealHub, names: list[str]) -> None:
    r = hub.api("POST", "users", json={"usernames": names})
    if r.status_code not in (201, 409):
        raise RuntimeError(f"creating users: {r.status_code} {r.text[:300]}")


def remove_from_course(hub: RealHub, names: list[str]) -> None:
    hub.api("DELETE", f"groups/{COURSE}/users", json={"users": names}).raise_for_status()


def one_round(hub: RealHub, token: str, names: list[str]) -> dict:
    """Preview and add, as the panel does; what it cost."""
    url = f"{hub.url}/user/{INSTRUCTOR}/hub-groups/api/manage/{COURSE}"
    headers = {"Authorization": f"token {token}"}
    since = len(hub.log())
    started = time.perf_counter()
    preview = requests.post(f"{url}/preview", json={"names": names}, headers=headers, timeout=300)
    previewed = time.perf_counter()
    added = requests.post(f"{url}/add", json={"names": names}, headers=headers, timeout=300)
    finished = time.perf_counter()
    preview.raise_for_status()
    added.raise_for_status()
    p, a = preview.json(), added.json()
    assert len(p["new"]) == len(names), p
    assert sorted(a["added"]) == sorted(n.lower() for n in names), a["errors"][:3]
    # the hub writes its log line when it has answered: read it once it is there
    deadline = time.monotonic() + 10
    seen = hub_requests(hub, since)
    while not any(m == "POST" and path.endswith(f"groups/{COURSE}/users") for m, path, _ in seen):
        if time.monotonic() > deadline:
            raise RuntimeError("the hub never logged the group change:\n" + hub.log()[since:][-3000:])
        time.sleep(0.05)
        seen = hub_requests(hub, since)
    return {
        "seconds": finished - started,
        "preview_seconds": previewed - started,
        "add_seconds": finished - previewed,
        "requests": [r for r in seen if r[2] == INSTRUCTOR],
        "all_requests": seen,
    }


def baseline(hub: RealHub, token: str, names: list[str]) -> dict:
    """One hub request per name, with the instructor's own token."""
    session = requests.Session()
    session.headers["Authorization"] = f"token {token}"
    since = len(hub.log())
    started = time.perf_counter()
    for name in names:
        r = session.post(
            f"{hub.url}/hub/api/groups/{COURSE}/users", json={"users": [name]}, timeout=60
        )
        r.raise_for_status()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "requests": len(hub_requests(hub, since))}


def summarize(rounds: list[dict]) -> dict:
    counts = [len(r["requests"]) for r in rounds]
    kinds = Counter((m, re.sub(r"offset=\d+", "offset=…", p)) for m, p, _ in rounds[0]["requests"])
    return {
        "rounds": len(rounds),
        "seconds_median": statistics.median(r["seconds"] for r in rounds),
        "seconds_min": min(r["seconds"] for r in rounds),
        "seconds_max": max(r["seconds"] for r in rounds),
        "preview_seconds_median": statistics.median(r["preview_seconds"] for r in rounds),
        "add_seconds_median": statistics.median(r["add_seconds"] for r in rounds),
        "hub_requests": counts,
        "hub_requests_all": [len(r["all_requests"]) for r in rounds],
        "first_round_by_kind": sorted(f"{n} × {m} {p}" for (m, p), n in kinds.items()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--out", default=str(HERE / "results" / "course.json"))
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-course-"))
    hub = RealHub(
        folder,
        groups_yaml=demo_yaml(folder, on_member_removed="none"),
        env={"HUB_GROUPS_LOG_LEVEL": "INFO"},
    )
    names = [f"Bench-Student{i:04d}" for i in range(args.users)]
    hub.start()
    try:
        total_users = len(hub.api("GET", "users").json())
        create_users(hub, [n.lower() for n in names])
        hub.start_server(INSTRUCTOR)
        token = page_token(hub, browser_session(hub, INSTRUCTOR, INSTRUCTOR), INSTRUCTOR)
        rounds = []
        for r in range(args.rounds):
            # nothing cached: identity (cache_seconds) and user list
            time.sleep(USER_LIST_SECONDS + 1)
            rounds.append(one_round(hub, token, names))
            remove_from_course(hub, [n.lower() for n in names])
            print(f"round {r + 1}/{args.rounds}: {rounds[-1]['seconds']:.2f} s, "
                  f"{len(rounds[-1]['requests'])} hub requests", file=sys.stderr, flush=True)
        result = {
            "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
            "machine": f"{os.cpu_count()} cores, load {os.getloadavg()}",
            "users_in_hub": total_users + args.users,
            "names": args.users,
            "panel": summarize(rounds),
        }
        if not args.no_baseline:
            result["one_request_per_name"] = baseline(hub, token, [n.lower() for n in names])
            remove_from_course(hub, [n.lower() for n in names])
    finally:
        hub.stop()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    panel = result["panel"]
    lines = [
        f"{args.users} names into {COURSE} ({result['users_in_hub']} users in the hub), "
        f"preview + add through prof's server, {panel['rounds']} rounds:",
        f"  wall time: median {panel['seconds_median']:.2f} s "
        f"(preview {panel['preview_seconds_median']:.2f} s, add {panel['add_seconds_median']:.2f} s; "
        f"min {panel['seconds_min']:.2f}, max {panel['seconds_max']:.2f})",
        f"  hub requests with prof's token: {panel['hub_requests']} "
        f"(all API requests the hub served meanwhile: {panel['hub_requests_all']})",
        "  first round: " + "; ".join(panel["first_round_by_kind"]),
    ]
    if "one_request_per_name" in result:
        b = result["one_request_per_name"]
        lines.append(
            f"  one request per name instead: {b['requests']} hub requests, {b['seconds']:.2f} s"
        )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
