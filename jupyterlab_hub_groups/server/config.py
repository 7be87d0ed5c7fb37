"""Traitlets configuration of the server extension (``c.HubGroupsConfig.*``).

Why a Configurable: deployments set these the way they set everything else
of a Jupyter server (``jupyter_server_config.py``, command-line flags, which
is how the hub helper sets them per server), and bad values are refused
when the server starts, with a message naming the setting, rather than
failing later in a request.

The names the hub helper sets per server (``presence_groups``,
``revalidate_seconds``, ``collaboration_account``) and the account pattern's
placeholder are spelled in :mod:`jupyterlab_hub_groups.contract`, which the
hub side writes them from.
"""

import os
from string import Formatter

from traitlets import Any, Bool, Float, List, TraitError, Unicode, default, validate
from traitlets.config import Configurable

from .. import contract

#: The field name of the account pattern's placeholder ("group").
_GROUP = contract.GROUP_FIELD.strip("{}")


def _fills_group(pattern: str) -> bool:
    # "{group}" and nothing else to fill: any other field would fail each
    # request that formats the pattern (contract.account_name).
    try:
        fields = {field for _, field, _, _ in Formatter().parse(pattern) if field is not None}
    except ValueError:
        return False
    return fields == {_GROUP}


#: Each checked setting: (what a good value is, said as in the error message).
#: One table, one validator: a bound is declared once, beside its words.
BOUNDS = {
    "cache_seconds": (lambda v: 0 <= v <= 30, "must be between 0 and 30"),
    "hub_timeout": (lambda v: v > 0, "must be positive"),
    "revalidate_seconds": (
        lambda v: v == 0 or v >= contract.MIN_REVALIDATE_SECONDS,
        contract.REVALIDATE_SECONDS_RULE,
    ),
    "presence_timeout": (lambda v: v >= 5, "must be at least 5"),
    "collaboration_account": (_fills_group, "must contain {group} (and no other field)"),
}


class HubGroupsConfig(Configurable):
    """How the server extension talks to JupyterHub."""

    cache_seconds = Float(
        5.0,
        help="""Seconds a hub answer about one user is reused.

        Exists so that many tabs refreshing together cost one hub request.
        Keep it short: it is how long a membership change may go unseen.
        Between 0 (always ask) and 30.
        """,
    ).tag(config=True)

    hub_timeout = Float(
        5.0,
        help="Seconds to wait for JupyterHub before answering 502 to the browser.",
    ).tag(config=True)

    revalidate_seconds = Float(
        0.0,
        help=f"""Seconds between fresh checks, with the hub, of every recent
        visitor's access to this server; 0 turns the checks off.

        A visitor who lost access (removed from the project group) has all
        their websockets closed and their sessions' cached identities
        dropped, so their next request is refused. The hub helper turns
        this on for collaboration accounts' servers. At least
        {contract.MIN_REVALIDATE_SECONDS}.
        """,
    ).tag(config=True)

    service_projects = Bool(
        True,
        help="""Whether the owner may be in a project the hub-groups service
        keeps (runtime projects, or the file's with ``project_access:
        shares``), as the hub helper saw their groups at the server's start.
        The start-up answer passes it on: the page asks the service for
        projects at start only when it is true (and again when the owner's
        groups change).""",
    ).tag(config=True)

    presence_groups = List(
        Unicode(),
        help="""Hub groups whose members may see who is using this server
        ("People here", hub-groups/api/presence), besides the server's
        owner. The hub helper sets it on a collaboration account's server to
        the project's group. Everyone else gets 403.
        """,
    ).tag(config=True)

    presence_timeout = Float(
        20.0,
        help="""Seconds after their last request that a visitor without an
        open connection still counts as present. At least 5.""",
    ).tag(config=True)

    collaboration_account = Unicode(
        contract.DEFAULT_ACCOUNT_PATTERN,
        help="""The collaboration account of a project group: the hub user
        whose server the group's members share. Must contain {group}.""",
    ).tag(config=True)

    server_owner = Unicode(
        help="""The hub user who owns this server (the owner always sees who
        is here; no collaboration card is shown for the server one is on).
        $JUPYTERHUB_USER by default, which JupyterHub sets; empty outside a
        hub.""",
    ).tag(config=True)

    spawn_problems = List(
        Unicode(),
        help=f"""Problems the hub helper found with this server's start, one
        sentence each (our pre_spawn_hook replaced by a later one in the
        hub's config, a KubeSpawner profile undoing what it set). Shown in
        the groups report and answered by hub-groups/api/me, so that such a
        problem is never silent. ${contract.SPAWN_PROBLEMS_ENV} by default,
        which the hub sets at each spawn to a JSON list; a value that is not
        one is reported as unreadable, not dropped.""",
    ).tag(config=True)

    open_courses = Any(
        help=f"""The courses that take new members (by request, or open),
        a list of contract.OpenCourse; None when unknown. From
        ${contract.OPEN_COURSES_ENV}, which the hub helper sets on every
        server; the start-up answer of hub-groups/api/me tells the page which
        of them its user is not in (their Join cards)."""
    )

    course_titles = Any(
        help=f"""What people read for each course with a title in the hub
        helper's YAML file: group → title. From ${contract.COURSE_TITLES_ENV},
        which the hub helper sets on every server; GET hub-groups/api/manage
        gives those of the groups the requester manages (the Manage cards,
        the members panel)."""
    )

    projects = Any(
        help=f"""How this hub keeps projects: ``(project_access,
        projects_service)`` (``roles`` or ``shares``; who may make projects
        at runtime and how many each, or None), from
        ${contract.PROJECTS_ENV}, which the hub helper sets on every server;
        None when unset or unreadable. The start-up answer of
        hub-groups/api/me passes it on; with shares or runtime projects, GET
        collaborations leaves the service's projects to the service."""
    )

    @default("projects")
    def _default_projects(self):
        return contract.read_projects(os.environ.get(contract.PROJECTS_ENV))

    @property
    def service_keeps_projects(self) -> bool:
        """Whether some projects are kept by the service's shares (their
        cards come from its ``GET projects``)."""
        return self.projects is not None and (
            self.projects[0] == "shares" or self.projects[1] is not None
        )

    @default("course_titles")
    def _default_course_titles(self):
        return contract.read_course_titles(os.environ.get(contract.COURSE_TITLES_ENV))

    @default("open_courses")
    def _default_open_courses(self):
        return contract.read_open_courses(os.environ.get(contract.OPEN_COURSES_ENV))

    @default("server_owner")
    def _default_server_owner(self):
        return os.environ.get("JUPYTERHUB_USER", "")

    @default("spawn_problems")
    def _default_spawn_problems(self):
        return contract.read_spawn_problems(os.environ.get(contract.SPAWN_PROBLEMS_ENV))

    @validate(*BOUNDS)
    def _within_bounds(self, proposal):
        name = proposal["trait"].name
        value = proposal["value"]
        good, rule = BOUNDS[name]
        if not good(value):
            raise TraitError(f"{name} {rule}, not {value!r}")
        return value
