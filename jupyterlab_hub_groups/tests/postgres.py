"""A throwaway PostgreSQL server for tests: the database tests run on it as
well as on SQLite, since deployments (Zero to JupyterHub with an external
database) put the hub side's records there.

One server per test process (per xdist worker: a session fixture), in a
temporary folder, listening on 127.0.0.1 at a free port with its socket in
that folder, trusting one test role; each test gets a database of its own
(:meth:`PostgresServer.new_database`). It is stopped and its folder deleted
at the end. Debian's server (``apt-get install postgresql``) puts its
programs in ``/usr/lib/postgresql/<version>/bin``, not on ``PATH``; as root,
``initdb`` refuses to run, so the server runs as the ``postgres`` user.
"""

from __future__ import annotations

import itertools
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

#: What the tests connect as (a superuser of the test server only).
ROLE = "hub_groups_tests"

MISSING = (
    "PostgreSQL's server is needed for the database tests and was not found "
    "(initdb and pg_ctl in /usr/lib/postgresql/<version>/bin, or on PATH): "
    "apt-get install postgresql"
)


#: Where Debian's packages put each version's programs.
DEBIAN = Path("/usr/lib/postgresql")


def find_bin_dir(root: Path = DEBIAN, path: str | None = None) -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``: the newest version's under
    ``root`` (Debian's), else ``PATH``'s, else None.

    Parameters
    ----------
    root : Path
    path : str, optional
        Searched instead of ``$PATH``.
    """
    versions = []
    for folder in root.glob("*/bin"):
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            number = re.match(r"\d+", folder.parent.name)
            versions.append((int(number.group()) if number else 0, folder))
    if versions:
        return max(versions)[1]
    initdb = shutil.which("initdb", path=path)
    if initdb and shutil.which("pg_ctl", path=path):
        return Path(initdb).parent
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """One PostgreSQL server in a temporary folder.

    Parameters
    ----------
    bin_dir : Path
        Where ``initdb``, ``pg_ctl`` and ``postgres`` are.
    """

    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        # /tmp itself: pytest's own folders are 0700 to root, and the
        # server may run as another user
        self.folder = Path(tempfile.mkdtemp(prefix="hub-groups-pg-"))
        self.data = self.folder / "data"
        self.port = 0
        self.start_seconds = 0.0
        self._names = itertools.count()
        self._user: str | None = None
        if os.geteuid() == 0:
            # initdb and postgres refuse to run as root
            self._user = "postgres"
            entry = pwd.getpwnam(self._user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)

    def _run(self, *argv: str, timeout: float = 120) -> subprocess.CompletedProcess:
        command = [str(self.bin_dir / argv[0]), *argv[1:]]
        if self._user:
            command = ["runuser", "-u", self._user, "--", *command]
        # in the server's folder: the postgres user may not enter the cwd
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, cwd=self.folder
        )
        if done.returncode:
            raise RuntimeError(
                f"{' '.join(argv[:2])} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
            )
        return done

    def start(self) -> None:
        """initdb, then start the server and wait until it takes connections
        (``pg_ctl -w``). A port another process took in between is tried
        again with a new one."""
        began = time.monotonic()
        self._run(
            "initdb",
            "-D", str(self.data),
            "-U", ROLE,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
            "--no-instructions",
        )  # fmt: skip
        for attempt in range(5):
            self.port = _free_port()
            options = " ".join(
                [
                    "-c listen_addresses=127.0.0.1",
                    f"-p {self.port}",
                    f"-k {self.folder}",
                    # a test server: nothing to keep after a crash
                    "-c fsync=off",
                    "-c synchronous_commit=off",
                    "-c full_page_writes=off",
                ]
            )
            try:
                self._run(
                    "pg_ctl", "start", "-w", "-t", "60",
                    "-D", str(self.data),
                    "-l", str(self.folder / "server.log"),
                    "-o", options,
                )  # fmt: skip
                break
            except RuntimeError:
                if attempt == 4 or "already in use" not in self.log():
                    raise
        self.start_seconds = time.monotonic() - began

    def log(self) -> str:
        path = self.folder / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def url(self, database: str = "postgres") -> str:
        """An SQLAlchemy URL of ``database``, through psycopg2: the driver
        Zero to JupyterHub's hub image ships. (SQLAlchemy 2.1 gives a plain
        ``postgresql://`` to psycopg 3 instead: a deployer's URL names the
        driver their hub image has, as for JupyterHub's own ``db_url``.)"""
        return f"postgresql+psycopg2://{ROLE}@127.0.0.1:{self.port}/{database}"

    def _admin(self, statement: str) -> None:
        import psycopg2

        connection = psycopg2.connect(
            host="127.0.0.1", port=self.port, user=ROLE, dbname="postgres"
        )
        try:
            connection.autocommit = True  # CREATE / DROP DATABASE
            with connection.cursor() as cursor:
                cursor.execute(statement)
        finally:
            connection.close()

    def new_database(self) -> str:
        """A new, empty database; its name."""
        name = f"t{os.getpid()}_{next(self._names)}"
        self._admin(f"CREATE DATABASE {name}")
        return name

    def drop_database(self, name: str) -> None:
        """Drop ``name``, ending connections a test left open."""
        self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        """Stop the server at once and delete its folder."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
