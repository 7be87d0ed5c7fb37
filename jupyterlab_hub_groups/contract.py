"""What the hub side and the single-user server side must spell alike.

Why this exists: the hub helper tells each single-user server how to behave
through command-line arguments (``--HubGroupsConfig.<trait>=<value>``) that
the server extension's traitlets read, turns real-time collaboration off
with arguments and a config folder that jupyter-collaboration reads, and
names collaboration accounts from one pattern that both sides fill (the YAML
file says ``{project}``, the server's setting says ``{group}``). If either
side spelled these on its own, a rename on one side would silently stop the
other from hearing it: a shared server that never re-checks its visitors,
or a card for an account that does not exist. Both sides import them from
here, and a test parses what the hub writes with the server's own config
class. Both also decide who manages a group from the same scopes
(:data:`MANAGE_SCOPES`): the hub when it gives an owner's server what its
page token may hold, the server when it answers its ``manage`` endpoints; if
they read them differently, an instructor would see a panel the token
cannot use, or none at all.

Standard library only: the hub imports it without Jupyter Server, the
server without PyYAML.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "COLLABORATION_ACCOUNT",
    "CONFIG_CLASS",
    "DEFAULT_ACCOUNT_PATTERN",
    "DEFAULT_PROJECT_ACCOUNT_PATTERN",
    "GROUP_FIELD",
    "MANAGE_SCOPES",
    "PRESENCE_GROUPS",
    "PROJECT_FIELD",
    "REVALIDATE_SECONDS",
    "RTC_OFF_ARGS",
    "RTC_OFF_PAGE_CONFIG",
    "RTC_OFF_SERVER_CONFIG",
    "SERVICE_ACCESS_SCOPE",
    "SERVICE_NAME",
    "SPAWN_TRAITS",
    "account_name",
    "is_spawn_arg",
    "manage_scope",
    "managed_groups",
    "server_account_pattern",
    "spawn_arg",
]

# --- The server extension's settings that the hub sets per server ----------------

#: The server extension's configurable (``c.HubGroupsConfig``).
CONFIG_CLASS = "HubGroupsConfig"
#: Who besides the owner sees "People here": on a collaboration account's
#: server, the project's group.
PRESENCE_GROUPS = "presence_groups"
#: Seconds between re-checks of visitors' access (0 = off): on for
#: collaboration accounts' servers.
REVALIDATE_SECONDS = "revalidate_seconds"
#: The account pattern, when the file's is not the default.
COLLABORATION_ACCOUNT = "collaboration_account"
#: Every trait the hub's ``pre_spawn_hook`` sets (and so may take back at
#: the next spawn, when the user's groups changed).
SPAWN_TRAITS = (PRESENCE_GROUPS, REVALIDATE_SECONDS, COLLABORATION_ACCOUNT)


def spawn_arg(trait: str, value: str | float) -> str:
    """The command-line argument that sets one of :data:`SPAWN_TRAITS`.

    Parameters
    ----------
    trait : str
        One of :data:`SPAWN_TRAITS`.
    value : str or number
        A number is written as traitlets reads it back (``20``, ``7.5``); a
        string as it is (a list trait such as ``presence_groups`` reads one
        string as a list of one).

    Returns
    -------
    str
        ``--HubGroupsConfig.<trait>=<value>``.
    """
    if trait not in SPAWN_TRAITS:
        raise ValueError(f"{trait!r} is not a setting the hub passes to servers")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = f"{value:g}"
    return f"--{CONFIG_CLASS}.{trait}={value}"


def is_spawn_arg(arg: str) -> bool:
    """Whether ``arg`` is one that :func:`spawn_arg` makes (any value).

    Other ``--HubGroupsConfig.*`` arguments (``cache_seconds``, ...) are a
    deployment's own and are not ours to take back.

    Parameters
    ----------
    arg : str
        One command-line argument of a spawner.

    Returns
    -------
    bool
    """
    name, equals, _ = arg.partition("=")
    return bool(equals) and name in {f"--{CONFIG_CLASS}.{t}" for t in SPAWN_TRAITS}


# --- Collaboration accounts --------------------------------------------------------

#: The placeholder of the account pattern in the YAML file
#: (``settings.collaboration_account``), filled with a project's name.
PROJECT_FIELD = "{project}"
#: The placeholder of the account pattern on the server
#: (``HubGroupsConfig.collaboration_account``), filled with a group's name.
GROUP_FIELD = "{group}"
#: The YAML file's default pattern.
DEFAULT_PROJECT_ACCOUNT_PATTERN = PROJECT_FIELD + "-collab"
#: The server's default pattern: the same accounts.
DEFAULT_ACCOUNT_PATTERN = GROUP_FIELD + "-collab"


def server_account_pattern(pattern: str) -> str:
    """The server's form of the YAML file's account pattern.

    Parameters
    ----------
    pattern : str
        A checked YAML pattern: :data:`PROJECT_FIELD` once and no other
        braces (``{project}-collab``).

    Returns
    -------
    str
        The same pattern with :data:`GROUP_FIELD` (``{group}-collab``): a
        project is a hub group of the same name.
    """
    return pattern.replace(PROJECT_FIELD, GROUP_FIELD)


def account_name(pattern: str, group: str) -> str:
    """The collaboration account of one project group.

    Parameters
    ----------
    pattern : str
        A server-form pattern (:func:`server_account_pattern`), holding
        :data:`GROUP_FIELD` and no other field.
    group : str
        The project's group name.

    Returns
    -------
    str
        The account's user name (unchecked: callers check it before use).
    """
    return pattern.format(group=group)


# --- Real-time collaboration off ---------------------------------------------------

#: jupyter-collaboration's server extensions, not loaded where collaboration
#: is off (so /api/collaboration/* does not exist there).
#: ``--YDocExtension.disable_rtc=True`` would keep those endpoints and most
#: of the UI.
_RTC_SERVER_EXTENSIONS = ("jupyter_server_ydoc", "jupyter_server_fileid")

#: Real-time collaboration off, server side, as command-line arguments of a
#: server the hook spawns.
RTC_OFF_ARGS = tuple(
    f"--ServerApp.jpserver_extensions={name}=False" for name in _RTC_SERVER_EXTENSIONS
)
#: The same as a ``jupyter_server_config.json``, for servers started without
#: the hook's arguments.
RTC_OFF_SERVER_CONFIG = {
    "ServerApp": {"jpserver_extensions": {name: False for name in _RTC_SERVER_EXTENSIONS}}
}
#: Real-time collaboration off, UI side: its two labextensions disabled by
#: package name (only then does JupyterLab restore the file browser and cell
#: executor they replace). There is no command-line switch for this: it is a
#: labconfig ``page_config.json`` in a folder put first on
#: ``JUPYTER_CONFIG_PATH``.
RTC_OFF_PAGE_CONFIG = {
    "disabledExtensions": {
        "@jupyter/collaboration-extension": True,
        "@jupyter/docprovider-extension": True,
    }
}

# --- The hub-side managed service ----------------------------------------------------

#: The managed service's name in ``c.JupyterHub.services``, and of its role.
SERVICE_NAME = "hub-groups"
#: What a token must hold to call the service's HTTP API (requests to join
#: courses): the hub adds it to the ``user`` role and to the page token of
#: one's own server; the service's HubAuth requires it.
SERVICE_ACCESS_SCOPE = f"access:services!service={SERVICE_NAME}"

# --- Who manages a group ---------------------------------------------------------------

#: The scopes that let their holder change one group's members, filtered by
#: ``!group=<name>``. The hub helper reads them in the roles of a server's
#: owner (to give the server's page token what the course panel needs, and
#: the course's environment); the server extension reads them in the
#: requester's token (to decide who may use its ``manage`` endpoints).
#: Unfiltered ``groups`` / ``admin:groups`` (admins) name no group and are
#: not read as "every group".
MANAGE_SCOPES = ("groups", "admin:groups")


def manage_scope(group: str) -> str:
    """The scope that lets its holder manage ``group``'s members.

    Parameters
    ----------
    group : str

    Returns
    -------
    str
        ``groups!group=<group>``.
    """
    return f"{MANAGE_SCOPES[0]}!group={group}"


def managed_groups(scopes: Iterable[str]) -> set[str]:
    """The groups whose members ``scopes`` let their holder change.

    Read as JupyterHub reads a scope: the base before the first ``!``, then
    the filter's name before the first ``=`` (``groups!group=a!b`` is group
    ``a!b``).

    Parameters
    ----------
    scopes : iterable of str
        Raw (a role's) or expanded (a token's ``/hub/api/user`` answer).

    Returns
    -------
    set of str
        Every ``<name>`` of a ``groups!group=<name>`` or
        ``admin:groups!group=<name>``; unfiltered scopes give none.
    """
    groups = set()
    for scope in scopes:
        if not isinstance(scope, str):
            continue
        base, bang, filter_ = scope.partition("!")
        key, equals, value = filter_.partition("=")
        if base in MANAGE_SCOPES and bang and key == "group" and equals and value:
            groups.add(value)
    return groups
