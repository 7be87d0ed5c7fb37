"""JupyterHub config for bench/hub_start.py: a bare hub, plus the projects
of BENCH_YAML through the helper (mode "helper"), or the same groups and
roles written by hand as in the JupyterHub recipe (mode "recipe")."""

import json
import os
from pathlib import Path

c = get_config()  # noqa: F821

data = Path(os.environ["BENCH_DATA_DIR"])
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = int(os.environ["BENCH_PORT"])
c.JupyterHub.hub_port = int(os.environ["BENCH_HUB_PORT"])
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ['BENCH_PROXY_API_PORT']}"
c.ConfigurableHTTPProxy.command = [os.environ["BENCH_CHP"]]
c.JupyterHub.db_url = f"sqlite:///{data / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(data / "cookie_secret")
c.JupyterHub.pid_file = str(data / "jupyterhub.pid")
c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.log_level = "WARN"

mode = os.environ["BENCH_MODE"]
if mode == "helper":
    from jupyterlab_hub_groups.hub import configure_hub

    configure_hub(
        c,
        os.environ["BENCH_YAML"],
        generated_dir=data / "hub-groups",
        state_dir=data / "hub-groups-state",
    )
elif mode == "recipe":
    projects = json.loads(Path(os.environ["BENCH_YAML"]).with_suffix(".json").read_text())
    c.JupyterHub.load_groups = {"collaborative": {"users": []}}
    c.JupyterHub.load_roles = []
    for name, members in projects.items():
        collab = f"{name}-collab"
        c.JupyterHub.load_groups[name] = {"users": members}
        c.JupyterHub.load_groups["collaborative"]["users"].append(collab)
        c.JupyterHub.load_roles.append(
            {
                "name": f"collab-access-{name}",
                "scopes": [
                    f"access:servers!user={collab}",
                    f"admin:servers!user={collab}",
                    "admin-ui",
                    f"list:users!user={collab}",
                ],
                "groups": [name],
            }
        )
