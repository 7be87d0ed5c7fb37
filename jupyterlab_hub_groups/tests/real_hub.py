"""A real JupyterHub for tests: the demo world (demo/jupyterhub_config.py),
on free loopback ports, in a temporary folder, stopped at the end.

Besides the REST API as the tests' admin service or as a user, it gives
what only a real deployment shows: a server's own API token (read from the
single-user process, as code running on that server would) and the login
form (as a person logging in would).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from html import unescape
from pathlib import Path
from urllib.parse import quote

import requests
import yaml

PROJECT = Path(__file__).resolve().parents[2]
CONFIG = PROJECT / "demo" / "jupyterhub_config.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RealHub:
    """A JupyterHub process, with an admin token made for the tests.

    Parameters
    ----------
    data_dir : Path
        Its folder.
    groups_yaml : Path, optional
        Another projects-and-courses file than demo/groups.yaml.
    env : dict, optional
        More of its environment (see demo/jupyterhub_config.py).
    args : list of str, optional
        More of its command line, over the demo's config
        (``--JupyterHub.allow_named_servers=True``).
    """

    def __init__(
        self,
        data_dir: Path,
        groups_yaml: Path | None = None,
        env: dict[str, str] | None = None,
        args: list[str] | None = None,
    ):
        self.data_dir = data_dir
        self.args = list(args or ())
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(
            os.environ,
            HUB_GROUPS_DATA_DIR=str(data_dir),
            HUB_GROUPS_PORT=str(self.port),
            HUB_GROUPS_HUB_PORT=str(free_port()),
            HUB_GROUPS_PROXY_API_PORT=str(free_port()),
            HUB_GROUPS_PASSWORD=secrets.token_hex(8),
            HUB_GROUPS_SERVICE_TOKEN=secrets.token_hex(24),
            # the hub-groups service's API (requests to join courses)
            HUB_GROUPS_SERVICE_PORT=str(free_port()),
        )
        # no e-mail from a test hub unless a test starts its SMTP server
        self.env.pop("HUB_GROUPS_SMTP_PORT", None)
        if groups_yaml is not None:
            self.env["HUB_GROUPS_YAML"] = str(groups_yaml)
        self.env.update(env or {})
        self.token = self.env["HUB_GROUPS_SERVICE_TOKEN"]
        self.proc: subprocess.Popen | None = None
        self._tokens: dict[str, str] = {}

    # --- process ---------------------------------------------------------------

    def start(self, timeout: float = 90) -> None:
        log = open(self.data_dir / "jupyterhub.log", "ab")
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(CONFIG), *self.args],
            cwd=self.data_dir,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=2).ok:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"JupyterHub did not start:\n{self.log()[-4000:]}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        # The hub stops the proxy and the servers it spawned on SIGTERM.
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def restart(self) -> None:
        self.stop()
        self._tokens.clear()
        self.start()

    def log(self) -> str:
        return (self.data_dir / "jupyterhub.log").read_text(errors="replace")

    # --- API ---------------------------------------------------------------------

    def api(self, method: str, path: str, *, as_user: str | None = None, **kwargs):
        """Call the hub API as the tests' admin service, or as a user."""
        token = self.token_for(as_user) if as_user else self.token
        return requests.request(
            method,
            f"{self.url}/hub/api/{path}",
            headers={"Authorization": f"token {token}"},
            timeout=60,
            **kwargs,
        )

    def token_for(self, user: str) -> str:
        """An API token of `user`, with the user's own permissions."""
        if user not in self._tokens:
            # the name escaped whole: the hub accepts names with any character
            r = self.api("POST", f"users/{quote(user, safe='')}/tokens", json={"note": "tests"})
            r.raise_for_status()
            self._tokens[user] = r.json()["token"]
        return self._tokens[user]

    def server(self, owner: str, path: str, *, as_user: str, method: str = "GET", **kwargs):
        """Call `owner`'s single-user server as `as_user`."""
        kwargs.setdefault("allow_redirects", False)
        return requests.request(
            method,
            f"{self.url}/user/{owner}/{path}",
            headers={"Authorization": f"token {self.token_for(as_user)}"},
            timeout=60,
            **kwargs,
        )

    def wait_ready(self, owner: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.api("GET", f"users/{owner}").json()
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                return
            time.sleep(0.3)
        raise TimeoutError(f"the server of {owner} did not become ready")

    def wait_stopped(self, owner: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "" not in self.api("GET", f"users/{owner}").json().get("servers", {}):
                return
            time.sleep(0.3)
        raise TimeoutError(f"the server of {owner} did not stop")

    def start_server(self, owner: str, as_user: str | None = None) -> requests.Response:
        r = self.api("POST", f"users/{owner}/server", as_user=as_user)
        if r.status_code in (201, 202) or (r.status_code == 400 and "already" in r.text):
            self.wait_ready(owner)
        return r

    def stop_server(self, owner: str, as_user: str | None = None) -> requests.Response:
        r = self.api("DELETE", f"users/{owner}/server", as_user=as_user)
        if r.status_code in (202, 204):
            self.wait_stopped(owner)
        return r

    def groups_of(self, user: str) -> list[str]:
        return sorted(self.api("GET", f"users/{user}").json()["groups"])

    def service(self, method: str, path: str, token: str, **kwargs) -> requests.Response:
        """Call the hub-groups service's API through the hub's proxy, as a
        page does: ``Authorization: token <token>``, no cookie."""
        return requests.request(
            method,
            f"{self.url}/services/hub-groups/api/{path}",
            headers={"Authorization": f"token {token}"},
            allow_redirects=False,
            timeout=60,
            **kwargs,
        )

    def wait_service(self, timeout: float = 60) -> None:
        """Until the hub-groups service answers through the proxy (the hub
        starts managed services after it answers its API)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                r = requests.get(f"{self.url}/services/hub-groups/api/courses", timeout=5)
                if r.status_code == 403:  # there, and refusing a request without a token
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"the hub-groups service did not answer:\n{self.log()[-3000:]}")

    def api_with(self, token: str, method: str, path: str, **kwargs) -> requests.Response:
        """Call the hub API with any token (e.g. a server's own)."""
        return requests.request(
            method,
            f"{self.url}/hub/api/{path}",
            headers={"Authorization": f"token {token}"},
            timeout=60,
            **kwargs,
        )

    @property
    def state_dir(self) -> Path:
        """The hub helper's hub-only state folder (see demo/jupyterhub_config.py)."""
        return self.data_dir / "hub-groups-state"

    @property
    def db_url(self) -> str:
        """The hub side's database (who was added, what the service saw,
        the requests): the demo's default, SQLite in the state folder."""
        return f"sqlite:///{self.state_dir / 'enrolment.sqlite'}"

    def server_token(self, owner: str) -> str:
        """The API token of `owner`'s running server: its ``$JUPYTERHUB_API_TOKEN``,
        what anyone running code there can read.

        Read where such code would read it, the single-user process's
        environment (``/proc/<pid>/environ``; same Unix user here, since
        SimpleLocalProcessSpawner runs servers as the hub's user). The pid is
        the spawner's state, which the hub's user model includes for a token
        holding ``admin:server_state`` (the tests' service has
        ``admin:servers``): no scan of the process table, no reading of the
        hub's database behind its back.
        """
        model = self.api("GET", f"users/{owner}").json()
        pid = model["servers"][""]["state"]["pid"]
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        env = dict(item.decode().split("=", 1) for item in environ if b"=" in item)
        assert env["JUPYTERHUB_USER"] == owner
        return env["JUPYTERHUB_API_TOKEN"]

    def login(self, name: str, password: str | None = None) -> requests.Response:
        """Log in through the hub's login form; not followed, so that no
        server is spawned (302 on success, 403 on refusal)."""
        session = requests.Session()
        session.get(f"{self.url}/hub/login", timeout=60).raise_for_status()
        return session.post(
            f"{self.url}/hub/login?next=/hub/home",
            data={
                "username": name,
                "password": password or self.env["HUB_GROUPS_PASSWORD"],
                "_xsrf": session.cookies.get("_xsrf", ""),
            },
            allow_redirects=False,
            timeout=60,
        )


def demo_yaml(folder: Path, **settings) -> Path:
    """demo/groups.yaml with other ``settings``, written into `folder`."""
    data = yaml.safe_load((PROJECT / "demo" / "groups.yaml").read_text())
    data["settings"] = {**(data.get("settings") or {}), **settings}
    path = folder / "groups.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def browser_session(hub: RealHub, name: str, server: str, **headers) -> requests.Session:
    """Log in as `name` and open `server` as a browser would: the hub's login
    form, then the OAuth dance with the server, including the "Authorize
    access" page shown on someone else's server. Every request after the
    login carries `headers`."""
    session = requests.Session()
    session.get(f"{hub.url}/hub/login", timeout=60).raise_for_status()
    r = session.post(
        f"{hub.url}/hub/login?next=/hub/home",
        data={
            "username": name,
            "password": hub.env["HUB_GROUPS_PASSWORD"],
            "_xsrf": session.cookies.get("_xsrf", ""),
        },
        timeout=60,
    )
    r.raise_for_status()
    session.headers.update(headers)
    # API paths do not start a login; a page does.
    r = session.get(f"{hub.url}/user/{server}/lab", timeout=60)
    if "/oauth2/authorize" in r.url:
        form = dict(
            (m.group(1), unescape(m.group(2)))
            for m in re.finditer(r'<input type="hidden" name="(\w+)" value="([^"]*)"', r.text)
        )
        r = session.post(r.url, data=form, timeout=60)
    assert r.status_code == 200, (r.url, r.status_code)
    assert any(c.name == f"jupyterhub-user-{server}" for c in session.cookies), session.cookies
    return session


def page_config(hub: RealHub, session: requests.Session, server: str) -> dict:
    """JupyterLab's page config on `server` as `session`'s browser gets it."""
    r = session.get(f"{hub.url}/user/{server}/lab", timeout=60)
    assert r.status_code == 200, (r.url, r.status_code)
    m = re.search(
        r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', r.text, re.S
    )
    return json.loads(m.group(1))


def page_token(hub: RealHub, session: requests.Session, server: str) -> str:
    """The token JupyterHub puts in the page (PageConfig ``token``): the
    browser user's OAuth token for `server`, the one JupyterLab sends with
    every request to it, and the one the server asks the hub about."""
    token = page_config(hub, session, server)["token"]
    assert token
    return token
