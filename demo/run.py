"""Start the demo hub of `make demo` on http://127.0.0.1:8000.

Everything it keeps (database, cookie secret, the users' home folders and
the one demo password) lives in .demo/ in the project, so a second
`make demo` picks up where the first left off. Delete .demo/ to start over.

JupyterHub runs as a child process; who may log in is printed once it
answers, after its start-up log (demo/world.py writes it, from
demo/groups.yaml). Ctrl+C stops the hub, which stops the servers it
started; the exit code is the hub's.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path

import world

from jupyterlab_hub_groups.hub import load_spec

PROJECT = Path(__file__).resolve().parent.parent
DATA = PROJECT / ".demo"
URL = "http://127.0.0.1:8000/"
PORTS = {"the hub": 8000, "the hub's internal API": 8081, "the proxy's API": 8001}
#: Seconds to wait for the hub's first answer before saying so.
START_TIMEOUT = 120


def demo_password() -> str:
    """The demo password: made once, then read from .demo/password."""
    path = DATA / "password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(9) + "\n")
        path.chmod(0o600)
    return path.read_text().strip()


def check_ports() -> None:
    for what, port in PORTS.items():
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                sys.exit(
                    f"Port {port} ({what}) is already in use on 127.0.0.1. "
                    "Is another JupyterHub running? Stop it and run `make demo` again."
                )


def answers(url: str) -> bool:
    """Whether ``url`` answers 200 now."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def serve(
    command: Sequence[str],
    health_url: str,
    banner: Callable[[], str],
    env: dict[str, str] | None = None,
    cwd: str | os.PathLike | None = None,
    timeout: float = START_TIMEOUT,
) -> int:
    """Run the hub, print ``banner()`` once ``health_url`` answers, and
    return the hub's exit code.

    The hub runs in a session of its own: Ctrl+C reaches this process only,
    which passes one SIGINT on (JupyterHub stops its servers and proxy on
    it; a second SIGINT would start a second shutdown). A second Ctrl+C
    says it is still stopping; a third kills it. SIGTERM is passed on too.
    """
    hub = subprocess.Popen(list(command), env=env, cwd=cwd, start_new_session=True)
    signal.signal(signal.SIGTERM, lambda *_: hub.send_signal(signal.SIGTERM))
    interrupts = 0
    while True:
        try:
            if interrupts == 0:
                deadline = time.monotonic() + timeout
                while hub.poll() is None and not answers(health_url):
                    if time.monotonic() > deadline:
                        print(f"The hub did not answer at {health_url} in {timeout:.0f} s.")
                        break
                    time.sleep(0.25)
                else:
                    if hub.poll() is None:
                        print(banner(), flush=True)
            return hub.wait()
        except KeyboardInterrupt:
            interrupts += 1
            if hub.poll() is not None:
                return hub.returncode
            if interrupts == 1:
                print("\nStopping the hub and the servers it started…", flush=True)
                hub.send_signal(signal.SIGINT)
            elif interrupts == 2:
                print("Still stopping (servers stop first). Ctrl+C again to kill it.", flush=True)
            else:
                hub.kill()


def main() -> None:
    DATA.mkdir(exist_ok=True)
    check_ports()
    password = demo_password()
    spec = load_spec(PROJECT / "demo" / "groups.yaml")
    env = dict(os.environ, HUB_GROUPS_DATA_DIR=str(DATA), HUB_GROUPS_PASSWORD=password)
    jupyterhub = Path(sys.executable).parent / "jupyterhub"
    sys.exit(
        serve(
            [str(jupyterhub), "-f", str(PROJECT / "demo" / "jupyterhub_config.py")],
            f"{URL}hub/health",
            lambda: world.banner(spec, password, URL, str(DATA)),
            env=env,
            cwd=DATA,
        )
    )


if __name__ == "__main__":
    main()
