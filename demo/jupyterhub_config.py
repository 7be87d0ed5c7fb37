"""JupyterHub configuration of the demo world (see DESIGN.md, "The demo world").

Used as it is by `make demo` (127.0.0.1:8000) and by the end-to-end tests,
which start their own hub from it on free ports in a temporary folder. So
what the tests click through is what a new user sees in the demo.

Environment (all optional; `demo/run.py` and the tests set them):

- HUB_GROUPS_DATA_DIR: where the hub keeps its database, cookie secret and
  the users' home folders (default: .demo/ in the project).
- HUB_GROUPS_IP, HUB_GROUPS_PORT: public address (127.0.0.1:8000).
- HUB_GROUPS_HUB_PORT, HUB_GROUPS_PROXY_API_PORT: internal ports (8081, 8001).
- HUB_GROUPS_PASSWORD: the one password of every demo user.
- HUB_GROUPS_YAML: another projects-and-courses file than demo/groups.yaml.
- HUB_GROUPS_OPEN_LOGIN: when set, anyone may log in with the password under
  any name (no ``allowed_users``), as with an open authenticator; the tests
  use it to show that collaboration account names are still refused.
- HUB_GROUPS_SERVICE_TOKEN: when set, a service ``hub-groups-tests`` with this
  token may manage groups, users, servers, tokens and shares, and read services (the tests' admin
  helper).
- HUB_GROUPS_E2E_HOOK_REPLACED_FOR: a user whose server starts as if a
  pre_spawn_hook set after configure_hub had replaced the helper's (the
  end-to-end test of the start's report; everyone else's starts call ours).
- HUB_GROUPS_E2E_NO_SERVER_EXTENSION_FOR: a user whose server starts
  without the package's server extension (the end-to-end test of the
  browser asking the hub itself).
- HUB_GROUPS_E2E_APP_SETTINGS_FOR: ``<user>=<folder>``, a user whose server
  reads JupyterLab's application settings (``overrides.json``) from that
  folder (the end-to-end test of a shared server's launcher).
- HUB_GROUPS_E2E: when set, single-user servers also load Galata's in-page
  helpers (as Galata's own test server does); never set it in production.
- HUB_GROUPS_SERVICE_PORT: where the hub-groups service (requests to join
  courses) listens on 127.0.0.1 (10101).
- HUB_GROUPS_SMTP_PORT: when set, requests to join the course are e-mailed
  to prof@example.org through an SMTP server on 127.0.0.1 at this port
  (plain SMTP, no login: a local test server such as
  `python -m aiosmtpd -n -l 127.0.0.1:8025`). Unset: no e-mail leaves the demo.
"""

import importlib.util
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (injected by JupyterHub)

here = Path(__file__).resolve().parent
project = here.parent
data_dir = Path(os.environ.get("HUB_GROUPS_DATA_DIR", project / ".demo")).resolve()
data_dir.mkdir(parents=True, exist_ok=True)
bin_dir = Path(sys.executable).parent

# --- The demo world: groups, collaboration accounts, roles, course kernels ----
from jupyterlab_hub_groups.hub import configure_hub  # noqa: E402

groups_yaml = Path(os.environ.get("HUB_GROUPS_YAML", here / "groups.yaml"))
public_url = (
    f"http://{os.environ.get('HUB_GROUPS_IP', '127.0.0.1')}:{os.environ.get('HUB_GROUPS_PORT', '8000')}/"
)
# The links in e-mails to instructors point at this hub.
demo_settings = {"public_url": public_url}
smtp_port = os.environ.get("HUB_GROUPS_SMTP_PORT")
if smtp_port:
    demo_settings["smtp"] = {
        "host": "127.0.0.1",
        "port": int(smtp_port),
        "from": "hub@example.org",
        "security": "none",
    }
spec = configure_hub(
    c,
    groups_yaml,
    # what servers see (kernels, proxy config) and what only the hub sees
    # (who was added, what its service saw, the requests to join), apart
    generated_dir=data_dir / "hub-groups",
    state_dir=data_dir / "hub-groups-state",
    service_url=f"http://127.0.0.1:{os.environ.get('HUB_GROUPS_SERVICE_PORT', '10101')}",
    settings=demo_settings,
)
# Where the instructors' e-mails go, said at every start.
for course in spec.enrolment_courses:
    if not course.notify:
        continue
    to = ", ".join(course.notify)
    if smtp_port:
        print(
            f"hub-groups demo: requests to join {course.name} are e-mailed to {to} "
            f"through the SMTP server at 127.0.0.1:{smtp_port}",
            flush=True,
        )
    else:
        print(
            f"hub-groups demo: no SMTP server, so requests to join {course.name} are not "
            f"e-mailed (they would go to {to}); its instructors see them in JupyterLab. "
            "Set HUB_GROUPS_SMTP_PORT to send them to a local SMTP server.",
            flush=True,
        )
# Who may log in: the file's people, the admin and mmuster2 (in no course),
# as the banner of `make demo` lists them (demo/world.py).
_world_spec = importlib.util.spec_from_file_location("hub_groups_demo_world", here / "world.py")
world = importlib.util.module_from_spec(_world_spec)
_world_spec.loader.exec_module(world)
humans = world.humans(spec)

# --- Service token for the tests' admin helper -------------------------------
service_token = os.environ.get("HUB_GROUPS_SERVICE_TOKEN")
if service_token:
    c.JupyterHub.services = [
        *(c.JupyterHub.services if "services" in c.JupyterHub else []),
        {"name": "hub-groups-tests", "api_token": service_token},
    ]
    c.JupyterHub.load_roles.append(
        {
            "name": "hub-groups-tests",
            "scopes": ["admin:groups", "admin:users", "admin:servers", "list:users", "tokens", "shares", "access:servers", "read:services"],
            "services": ["hub-groups-tests"],
        }
    )

# --- Authentication: one password for everyone --------------------------------
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = os.environ.get("HUB_GROUPS_PASSWORD", "demo")
c.Authenticator.admin_users = {world.ADMIN}
if os.environ.get("HUB_GROUPS_OPEN_LOGIN"):
    c.Authenticator.allow_all = True
else:
    c.Authenticator.allowed_users = set(humans)
    # Collaboration accounts exist in the hub but are not allowed users (the
    # hub helper's post_auth_hook refuses their names in any case).
    c.Authenticator.allow_existing_users = False

# --- Network: loopback only ---------------------------------------------------
c.JupyterHub.ip = os.environ.get("HUB_GROUPS_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("HUB_GROUPS_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("HUB_GROUPS_HUB_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = (
    f"http://127.0.0.1:{os.environ.get('HUB_GROUPS_PROXY_API_PORT', '8001')}"
)
# configurable-http-proxy is installed into the project by `jlpm install`.
chp = project / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [str(chp) if chp.exists() else "configurable-http-proxy"]

c.JupyterHub.db_url = f"sqlite:///{data_dir / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(data_dir / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(data_dir / "jupyterhub.pid")

# --- Single-user servers: processes of this machine, homes under data_dir ------
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(data_dir / "home" / "{username}")
c.Spawner.cmd = [str(bin_dir / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {
    # Kernels and `jupyter` commands come from the same venv as the hub.
    "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
    # The demo's course web service (`python -m course_dashboard`, see
    # groups.yaml) lives in demo/apps, not in the package.
    "PYTHONPATH": os.pathsep.join(
        p for p in (str(here / "apps"), os.environ.get("PYTHONPATH", "")) if p
    ),
}
c.Spawner.args = []
if hasattr(os, "geteuid") and os.geteuid() == 0:
    c.Spawner.args.append("--allow-root")
# Stopping a server should not take a minute (JupyterHub waits per signal).
c.LocalProcessSpawner.interrupt_timeout = 3
c.LocalProcessSpawner.term_timeout = 3
c.LocalProcessSpawner.kill_timeout = 3
c.Spawner.start_timeout = 60
c.Spawner.http_timeout = 60

if os.environ.get("HUB_GROUPS_E2E"):
    import jupyterlab.galata

    c.Spawner.args += [
        f"--LabServerApp.extra_labextensions_path={Path(jupyterlab.galata.__file__).parent}",
        "--LabApp.expose_app_in_browser=True",
    ]

# --- Tests only: one user's server started differently -----------------------
# - HOOK_REPLACED_FOR: a deployment's own hook set after configure_hub, which
#   forgets to call the helper's for that user: the start reports it (hub
#   log and the user's Show My Hub Groups).
# - NO_SERVER_EXTENSION_FOR: that user's server runs without our server
#   extension (an older single-user image): the browser asks the hub itself.
# - APP_SETTINGS_FOR=<user>=<folder>: that user's server reads JupyterLab's
#   application settings (overrides.json, what an admin ships) from the
#   folder, which the test writes before starting it.
# Every start but HOOK_REPLACED_FOR's calls the helper's hook, then gets
# the arguments of its user, if any.
replaced_for = os.environ.get("HUB_GROUPS_E2E_HOOK_REPLACED_FOR")
no_extension_for = os.environ.get("HUB_GROUPS_E2E_NO_SERVER_EXTENSION_FOR")
app_settings_for, _, app_settings_dir = os.environ.get(
    "HUB_GROUPS_E2E_APP_SETTINGS_FOR", ""
).partition("=")
if replaced_for or no_extension_for or app_settings_for:
    helpers_hook = c.Spawner.pre_spawn_hook
    e2e_args = {}
    if no_extension_for:
        e2e_args[no_extension_for] = [
            "--ServerApp.jpserver_extensions=jupyterlab_hub_groups=False"
        ]
    if app_settings_for:
        e2e_args[app_settings_for] = [f"--LabApp.app_settings_dir={app_settings_dir}"]

    async def later_pre_spawn_hook(spawner):
        name = spawner.user.name
        if name != replaced_for:
            await helpers_hook(spawner)
        # (a spawner is kept across starts: ours of an earlier one go first)
        ours = {arg for args in e2e_args.values() for arg in args}
        spawner.args = [a for a in spawner.args if a not in ours] + e2e_args.get(name, [])

    c.Spawner.pre_spawn_hook = later_pre_spawn_hook

c.JupyterHub.log_level = os.environ.get("HUB_GROUPS_LOG_LEVEL", "INFO")
