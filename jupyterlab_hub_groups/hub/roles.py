"""The roles the YAML file asks for, and the roles of the hub config that
it changes or warns about: JupyterHub's ``load_roles``.

Why a module of its own: roles are what a person may do at the hub. Those
of the file (a project's shared server, an instructor's course group) are
made here, the default ``user`` role gets the right to call the service,
and a role of the hub config that a group's managers could hand out to
anyone is said in the hub's log.

Imports only the standard library.
"""

from __future__ import annotations

from typing import Any

from .. import contract
from ..contract import SERVICE_ACCESS_SCOPE
from .spec import HubGroupsSpec


#: What every user may do when the service keeps projects with shares:
#: share their own server (JupyterHub's recipe for sharing: ``shares!user``,
#: and naming the people to share with). The service makes a share with the
#: caller's token, so only ever the caller's server; a group is shared as
#: one share per member (JupyterHub's group shares give 403 on the token
#: path), so no ``read:groups:name``.
SHARING_SCOPES = ("shares!user", "read:users:name")


def make_roles(spec: HubGroupsSpec) -> list[dict[str, Any]]:
    """The roles the file asks for, in ``load_roles`` form.

    With ``project_access: shares`` no project has a role: the service
    gives each member a share of the account's server (no role to read at
    hub start, whatever the number of projects).
    """
    roles: list[dict[str, Any]] = []
    for p in spec.projects if not spec.share_projects else ():
        roles.append(
            {
                # Role names must be lowercase; group names need not be.
                "name": f"collab-access-{p.name.lower()}",
                "description": f"Use, start and stop the shared server of project {p.name}",
                "scopes": [
                    # use the collaboration account's server
                    f"access:servers!user={p.account}",
                    # start (the hub's spawn page, from the card), see and stop
                    # it (the server's own token, narrowed to these); not the
                    # seed's admin:servers (also the spawner's state), nor its
                    # admin-ui + list:users, which gave members the hub's admin
                    # page (Shutdown Hub, Stop All, Add Users) for what the
                    # collaboration cards now do
                    f"servers!user={p.account}",
                ],
                "groups": [p.name],
            }
        )
    for c in spec.courses:
        if not c.instructors:
            continue
        roles.append(
            {
                "name": f"instructor-{c.name.lower()}",
                "description": f"Manage the members of course {c.name}",
                "scopes": [
                    # read the course group and add or remove its members
                    f"groups!group={c.name}",
                    # find the people to add: user names only, no other details
                    "list:users",
                ],
                "users": list(c.instructors),
            }
        )
    return roles


def with_service_access(
    c: Any, roles: list[dict[str, Any]], sharing: bool = False
) -> list[dict[str, Any]]:
    """``roles`` with :data:`~..contract.SERVICE_ACCESS_SCOPE` (and, with
    ``sharing``, :data:`SHARING_SCOPES`) given to every user: the default
    ``user`` role, composed with what the config says of it.

    An existing ``user`` role of ``load_roles`` gets the scope added (its
    other scopes kept; ``self`` when it names none, as JupyterHub's
    default). Else, when ``c.JupyterHub.extra_user_scopes`` is set
    (JupyterHub >= 6), the scope is added there: overriding the role would
    make JupyterHub ignore that setting. Else a ``user`` role of ``self``
    plus the scope, which JupyterHub merges with its default role.

    Parameters
    ----------
    c : traitlets.config.Config
    roles : list of dict
        ``load_roles`` as it will be set.
    sharing : bool
        Whether the service keeps projects with shares (share my server).

    Returns
    -------
    list of dict
        The roles to set (``c`` changed only for ``extra_user_scopes``).
    """
    ours = [SERVICE_ACCESS_SCOPE, *(SHARING_SCOPES if sharing else ())]
    out = []
    found = False
    for role in roles:
        if role.get("name") == "user":
            found = True
            scopes = list(role.get("scopes") or ["self"])
            scopes += [s for s in ours if s not in scopes]
            role = {**role, "scopes": scopes}
        out.append(role)
    if found:
        return out
    if "extra_user_scopes" in c.JupyterHub and c.JupyterHub.extra_user_scopes:
        c.JupyterHub.extra_user_scopes = {*c.JupyterHub.extra_user_scopes, *ours}
        return out
    return [*out, {"name": "user", "scopes": ["self", *ours]}]


def roles_managers_hand_out(c: Any, spec: HubGroupsSpec) -> list[str]:
    """Warnings about roles of the hub config given to a group whose members
    someone other than an admin chooses.

    Why: ``groups!group=<g>`` (an instructor's role, and the page token of
    their own server) adds anyone to ``<g>``, themselves included, and a
    member of a group holds the group's roles. A role given to a course
    group is then one its instructors can give to anyone. The managers are
    the file's instructors (of its courses) and whoever a role of the hub
    config gives ``groups!group=<g>`` or ``admin:groups!group=<g>``.

    Parameters
    ----------
    c : traitlets.config.Config
    spec : HubGroupsSpec

    Returns
    -------
    list of str
        One sentence per role and group, for the hub's log.
    """
    roles = list(c.JupyterHub.load_roles) if "load_roles" in c.JupyterHub else []
    managers: dict[str, list[str]] = {}
    for course in spec.courses:
        if course.instructors:
            managers.setdefault(course.name, []).append(
                f"the instructors of {course.name} in {spec.source}"
            )
    for role in roles:
        for group in sorted(contract.managed_groups(role.get("scopes") or ())):
            managers.setdefault(group, []).append(f"the holders of role {role.get('name')!r}")
    warnings = []
    for role in roles:
        for group in role.get("groups") or ():
            if group in managers and role.get("scopes"):
                warnings.append(
                    f"hub-groups: role {role.get('name')!r} (c.JupyterHub.load_roles) is given "
                    f"to group {group!r}, whose members {' and '.join(managers[group])} may "
                    f"choose (groups!group={group}): by adding anyone to the group, they give "
                    f"them the role's scopes ({', '.join(role['scopes'])}). Give the role to "
                    "users, or to a group only admins manage."
                )
    return warnings
