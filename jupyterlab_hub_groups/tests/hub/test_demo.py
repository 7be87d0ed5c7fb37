"""`make demo`: its banner says who may log in as the demo hub lets them in
(demo/world.py, from demo/groups.yaml), and comes once the hub answers,
after its log (demo/run.py)."""

import dataclasses
import importlib.util
import os
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from traitlets.config.loader import PyFileConfigLoader

from jupyterlab_hub_groups.hub import load_spec

from ..real_hub import PROJECT, free_port

DEMO = Path(PROJECT) / "demo"


def load(name):
    spec = importlib.util.spec_from_file_location(f"demo_{name}", DEMO / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


world = load("world")


def named(name, text):
    """Whether ``name`` is in ``text`` as a whole name (mmuster is not in mmuster2)."""
    return re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])", text) is not None


def demo_banner():
    return world.banner(load_spec(DEMO / "groups.yaml"), "pw", "http://127.0.0.1:8000/", "/d")


def test_the_banner_names_everyone_the_demo_hub_lets_in(tmp_path, monkeypatch):
    """The hub's allowed users come from the demo config, the banner from
    the same module: mmuster2 (the README's enrolment walk-through) and the
    admin included."""
    for name in list(os.environ):
        if name.startswith("HUB_GROUPS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HUB_GROUPS_DATA_DIR", str(tmp_path))
    c = PyFileConfigLoader("jupyterhub_config.py", path=str(DEMO)).load_config()
    allowed = c.Authenticator.allowed_users
    assert {"mmuster2", "admin", "prof", "vex"} <= allowed
    text = demo_banner()
    assert [u for u in sorted(allowed) if not named(u, text)] == []
    assert c.Authenticator.admin_users == {world.ADMIN}
    assert named(world.ADMIN, text.split("the hub's admin")[0].splitlines()[-1])
    (line,) = [x for x in text.splitlines() if named("mmuster2", x)]
    assert "asks to join Class1234_Semester02" in line


def test_the_course_environment_is_said_to_be_the_instructors_too():
    """demo/groups.yaml: ``instructors_get_environment: true``, so prof has
    the course kernel and dashboard too; ``false`` says students only."""
    spec = load_spec(DEMO / "groups.yaml")
    text = world.banner(spec, "pw", "http://127.0.0.1:8000/", "/d")
    assert "students only" not in text
    assert 'kernel "Python 3 (Class 1234)"' in text
    assert "in the servers of its students and instructors" in text
    course = dataclasses.replace(spec.courses[0], instructors_get_environment=False)
    text = world.banner(dataclasses.replace(spec, courses=(course,)), "pw", "u/", "/d")
    assert "in the servers of its students only" in text


# --- run.py: the hub as a child, the banner once it answers ------------------------

FAKE_HUB = textwrap.dedent(
    """
    import http.server, os, signal, sys, threading

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/hub/health" else 404)
            self.end_headers()

        def log_message(self, *args):
            pass

    if os.environ.get("FAIL"):
        print("fake hub: cannot start", flush=True)
        sys.exit(5)
    print("fake hub: log line", flush=True)
    server = http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), Health)

    def stop(sig, frame):
        print("fake hub: stopping on", signal.Signals(sig).name, flush=True)
        threading.Thread(target=server.shutdown).start()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    server.serve_forever()
    sys.exit(3)
    """
)


def start_demo(tmp_path, **env):
    """``run.serve`` on a fake hub, in a process of its own as `make demo`
    runs ``run.py``; its output a pipe."""
    port = free_port()
    (tmp_path / "fake_hub.py").write_text(FAKE_HUB)
    driver = tmp_path / "driver.py"
    driver.write_text(
        textwrap.dedent(
            f"""
            import sys
            sys.path.insert(0, {str(DEMO)!r})
            import run

            sys.exit(run.serve(
                [sys.executable, "-u", {str(tmp_path / "fake_hub.py")!r}],
                "http://127.0.0.1:{port}/hub/health",
                lambda: "BANNER",
            ))
            """
        )
    )
    return subprocess.Popen(
        [sys.executable, "-u", str(driver)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PORT": str(port), **env},
    )


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_the_banner_comes_after_the_hubs_log_and_ctrl_c_stops_the_hub(tmp_path):
    demo = start_demo(tmp_path)
    try:
        lines = []
        for line in demo.stdout:
            lines.append(line.strip())
            if line.strip() == "BANNER":
                break
        assert lines[0] == "fake hub: log line" and lines[-1] == "BANNER", lines
        demo.send_signal(signal.SIGINT)  # Ctrl+C (the hub has a session of its own)
        rest = demo.stdout.read().splitlines()
        assert demo.wait(timeout=30) == 3, "the hub's exit code"
    finally:
        demo.kill()
    # the hub got one SIGINT, from run.py: one shutdown
    assert [x for x in rest if x.startswith("fake hub")] == ["fake hub: stopping on SIGINT"]


def test_a_hub_that_fails_to_start_gives_its_exit_code_and_no_banner(tmp_path):
    demo = start_demo(tmp_path, FAIL="1")
    try:
        out = demo.communicate(timeout=30)[0]
    finally:
        demo.kill()
    assert demo.returncode == 5
    assert "BANNER" not in out and "cannot start" in out
