"""Start the demo hub of `make demo` on http://127.0.0.1:8000.

Everything it keeps (database, cookie secret, the users' home folders and
the one demo password) lives in .demo/ in the project, so a second
`make demo` picks up where the first left off. Delete .demo/ to start over.
"""

import os
import secrets
import socket
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DATA = PROJECT / ".demo"
PORTS = {"the hub": 8000, "the hub's internal API": 8081, "the proxy's API": 8001}


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


def main() -> None:
    DATA.mkdir(exist_ok=True)
    check_ports()
    password = demo_password()
    print(
        f"""
JupyterHub with jupyterlab-hub-groups: http://127.0.0.1:8000/

Log in with any of these users and the password  {password}

  project vox      vex, vax, pike         shared server /user/vox-collab/lab
  project mighty   fjord, beau, jester    shared server /user/mighty-collab/lab
  course Class1234_Semester02: students mmuster, alice; instructor prof
                   (the course kernel and the Course dashboard, for students only)
  admin            admin

Try the command palette (Ctrl+Shift+C): "Show My Hub Groups".
Everything the demo keeps is in {DATA}. Stop it with Ctrl+C.
""",
        flush=True,
    )
    env = dict(os.environ, HUB_GROUPS_DATA_DIR=str(DATA), HUB_GROUPS_PASSWORD=password)
    jupyterhub = Path(sys.executable).parent / "jupyterhub"
    os.chdir(DATA)
    os.execve(
        jupyterhub,
        [str(jupyterhub), "-f", str(PROJECT / "demo" / "jupyterhub_config.py")],
        env,
    )


if __name__ == "__main__":
    main()
