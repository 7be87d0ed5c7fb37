"""JupyterHub config for bench/hub_start.py and bench/hub_profile.py: a bare
hub, plus the projects of BENCH_YAML through the helper (modes starting
with "helper"), or the same groups and roles written by hand as in the
JupyterHub recipe (mode "recipe").

Modes that are not the helper as it is (what-ifs, to price a change of the
helper without making it; the bench's own edits of the config the helper
made, never of the helper):

- ``helper-noservice``: the helper's managed service ``hub-groups`` and its
  role taken out again (as with ``on_member_removed: none``, but with the
  same YAML file);
- ``helper-fewscopes``: the service kept, its role's per-project scopes
  (3 per project) replaced by three scopes filtered on the
  ``collaborative`` group;
- ``helper-precreate``: every name in the helper's ``load_groups`` also in
  ``Authenticator.allowed_users``, so that JupyterHub creates the users in
  ``init_users`` (one commit) instead of one by one in ``init_groups`` (a
  commit each). Not the same login rules when ``allow_existing_users`` is
  off: a what-if for the time only;
- ``helper-lazyaccounts``: the collaboration accounts left out of
  ``load_groups`` (group ``collaborative`` created empty), as if the helper
  created each account later (e.g. its service, before the account's first
  start): JupyterHub creates 1,000 users fewer at start;
- ``helper-accountsfirst``: each account also alone in a group of its own,
  listed before ``collaborative``, so that JupyterHub creates the accounts
  (a commit each) before it fills ``collaborative`` with users that exist:
  tells the creation of the accounts from the filling of one big group.

BENCH_PHASES, when set, is a file where the hub writes how long each of its
start-up steps took (wall clock, seconds since BENCH_T0, the epoch time at
which the bench started the process): loading this config (of which the
helper's import and ``configure_hub``), each ``JupyterHub.init_*`` and the
start of each service. BENCH_CPROFILE, when set, is a file where the hub
writes a cProfile of everything from this config to the end of ``start``.
"""

import json
import os
import time
from pathlib import Path

c = get_config()  # noqa: F821

T0 = float(os.environ.get("BENCH_T0", "0") or 0)
phases: list[tuple[str, float, float]] = []  # name, start since T0, seconds
config_started = time.time()
if T0:
    phases.append(("Python and JupyterHub imports", 0.0, config_started - T0))

profiler = None
if os.environ.get("BENCH_CPROFILE"):
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()

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
if mode.startswith("helper"):
    started = time.time()
    from jupyterlab_hub_groups.hub import configure_hub

    SERVICE = "hub-groups"  # the managed service's documented name

    phases.append(("config file: import helper", started - T0, time.time() - started))
    started = time.time()
    configure_hub(
        c,
        os.environ["BENCH_YAML"],
        generated_dir=data / "hub-groups",
        state_dir=data / "hub-groups-state",
    )
    phases.append(("config file: configure_hub", started - T0, time.time() - started))
    if mode == "helper-noservice":
        c.JupyterHub.services = [s for s in c.JupyterHub.services if s["name"] != SERVICE]
        c.JupyterHub.load_roles = [r for r in c.JupyterHub.load_roles if r["name"] != SERVICE]
    elif mode == "helper-fewscopes":
        for role in c.JupyterHub.load_roles:
            if role["name"] == SERVICE:
                role["scopes"] = [
                    "list:groups!group=collaborative",
                    "read:groups!group=collaborative",
                    "servers!group=collaborative",
                ]
    elif mode == "helper-precreate":
        c.Authenticator.allowed_users = {
            u for g in c.JupyterHub.load_groups.values() for u in g.get("users", [])
        }
    elif mode == "helper-lazyaccounts":
        c.JupyterHub.load_groups["collaborative"] = {"users": []}
    elif mode == "helper-accountsfirst":
        groups = dict(c.JupyterHub.load_groups)
        accounts = groups["collaborative"]["users"]
        first = {f"bench-account-{a}": {"users": [a]} for a in accounts}
        c.JupyterHub.load_groups = {**first, **groups}
    elif mode != "helper":
        raise ValueError(f"unknown mode {mode!r}")
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
elif mode != "none":
    raise ValueError(f"unknown mode {mode!r}")

phases.append(("config file", config_started - T0, time.time() - config_started))

if os.environ.get("BENCH_PHASES") or profiler is not None:
    import functools
    import inspect

    from jupyterhub.app import JupyterHub

    def _timed(name, method):
        def label(args):
            # start_service(self, service_name, ...): one line per service
            if name == "start_service" and len(args) > 1:
                return f"start: start_service {args[1]}"
            return name

        if inspect.iscoroutinefunction(method):

            @functools.wraps(method)
            async def wrapper(*args, **kwargs):
                started = time.time()
                try:
                    return await method(*args, **kwargs)
                finally:
                    phases.append((label(args), started - T0, time.time() - started))
                    if name == "start":
                        _write()

        else:

            @functools.wraps(method)
            def wrapper(*args, **kwargs):
                started = time.time()
                try:
                    return method(*args, **kwargs)
                finally:
                    phases.append((label(args), started - T0, time.time() - started))

        return wrapper

    def _write():
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(os.environ["BENCH_CPROFILE"])
        if os.environ.get("BENCH_PHASES"):
            Path(os.environ["BENCH_PHASES"]).write_text(json.dumps(phases))

    for _name in [
        "init_db",
        "init_hub",
        "init_proxy",
        "init_oauth",
        "init_role_creation",
        "init_users",
        "init_groups",
        "init_services",
        "init_api_tokens",
        "init_role_assignment",
        "init_blocked_users",
        "init_tornado_settings",
        "init_handlers",
        "init_tornado_application",
        "init_spawners",
        "start_service",
        "start",
    ]:
        setattr(JupyterHub, _name, _timed(_name, getattr(JupyterHub, _name)))
