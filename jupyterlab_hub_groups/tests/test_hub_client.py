"""The one hub client (jupyterlab_hub_groups/hub_client.py): the same care
for the server extension and the hub-side service."""

import asyncio
import subprocess
import sys

import pytest

from jupyterlab_hub_groups.hub_client import HubClient, HubError, server_status, token_digest


def test_the_client_uses_the_hubs_internal_ssl_like_hubauth(monkeypatch):
    """With internal SSL, HubAuth's certificate and CA are the client's."""
    from jupyterhub.services.auth import HubAuth

    from jupyterlab_hub_groups.hub_client import HubClient

    made = []
    monkeypatch.setattr(
        "jupyterhub.utils.make_ssl_context",
        lambda keyfile, certfile, cafile=None: made.append((keyfile, certfile, cafile)) or "ctx",
    )
    hub_auth = HubAuth(
        api_url="https://hub:8081/hub/api", api_token="t", hub_prefix="/hub/",
        certfile="/c.crt", keyfile="/c.key", client_ca="/ca.crt",
    )
    client = HubClient.for_hub_auth(hub_auth, timeout=3)
    assert (client.ssl_options, client.timeout, client.api_url) == (
        "ctx", 3, "https://hub:8081/hub/api",
    )
    assert made == [("/c.key", "/c.crt", "/ca.crt")]


def test_a_service_client_comes_from_the_environment_jupyterhub_gives_it(monkeypatch):
    made = []
    monkeypatch.setattr(
        "jupyterhub.utils.make_ssl_context",
        lambda keyfile, certfile, cafile=None: made.append((keyfile, certfile, cafile)) or "ctx",
    )
    env = {"JUPYTERHUB_API_URL": "http://127.0.0.1:8081/hub/api/", "JUPYTERHUB_API_TOKEN": "svc"}
    client = HubClient.from_environment(environ=env)
    assert (client.api_url, client.token, client.ssl_options, client.timeout) == (
        "http://127.0.0.1:8081/hub/api", "svc", None, 30.0,
    )
    assert made == [], "no SSL, no jupyterhub import"
    env.update(
        JUPYTERHUB_SSL_KEYFILE="/k", JUPYTERHUB_SSL_CERTFILE="/c", JUPYTERHUB_SSL_CLIENT_CA="/ca"
    )
    assert HubClient.from_environment(environ=env).ssl_options == "ctx"
    assert made == [("/k", "/c", "/ca")]


def test_a_client_without_a_token_of_its_own_sends_none():
    """A single-user server's client: every call names its token; one that
    forgets is refused before anything is sent."""
    sent = []

    async def fetch(request, raise_error=True):
        sent.append(request)

    client = HubClient("http://hub.test/hub/api", fetch=fetch)
    with pytest.raises(HubError) as e:
        asyncio.run(client.request("GET", "user"))
    assert (e.value.status, e.value.reason) == (403, "no-token")
    assert sent == []
    assert "no-token" in e.value.to_json()["error"] and "where" not in e.value.to_json()


def test_tokens_are_known_by_their_digest_only():
    digest = token_digest("secret-token")
    assert len(digest) == 64 and "secret" not in digest
    assert digest == token_digest("secret-token")


@pytest.mark.parametrize(
    "module", ["jupyterlab_hub_groups.hub_client", "jupyterlab_hub_groups.service.__main__"]
)
def test_importable_in_a_hub_image_without_jupyter_server(module):
    """The service runs in the hub's image: tornado (JupyterHub has it), no
    Jupyter Server, no JupyterLab; jupyterhub itself only for internal SSL."""
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('jupyter_server', 'jupyterlab', 'jupyterhub', 'traitlets'):\n"
        "            raise ImportError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        f"import {module}\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


@pytest.mark.parametrize(
    "model, status",
    [
        ({"servers": {"": {"ready": True, "pending": None}}}, "running"),
        ({"servers": {"": {"ready": False, "pending": "spawn"}}}, "starting"),
        ({"servers": {"": {"ready": True, "pending": "stop"}}}, "stopping"),
        ({"servers": {"": {"ready": False, "pending": None}}}, "starting"),
        ({"servers": {}}, "stopped"),
        ({"servers": {"named": {"ready": True}}}, "stopped"),
        ({"servers": "garbage"}, "stopped"),
        ("not a model", "stopped"),
    ],
)
def test_a_default_servers_status_in_the_cards_words(model, status):
    """One vocabulary for the server extension's cards and the service's
    projects: the frontend shows both the same way."""
    assert server_status(model) == status
