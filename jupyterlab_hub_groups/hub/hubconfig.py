"""What the YAML file becomes in JupyterHub's configuration: roles, the
managed service with its role and config, and applying all of it to the
``c`` of ``jupyterhub_config.py``.

Why a module of its own: this is the one place that reads and changes
``c``. It composes with what the config already has (groups, roles,
services, hooks and scopes, on ``c.Spawner`` / ``c.Authenticator`` and every
more specific section), refuses clashes with it, and changes nothing when
the file or the combination has a mistake.

Imports only the standard library.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .. import contract
from ..contract import SERVICE_ACCESS_SCOPE, SERVICE_NAME
from .files import (
    _private_dir,
    check_folders,
    group_folders,
    remove_stale_folders,
    rtc_off_folder,
    write_group_folders,
    write_private,
    write_rtc_off_folder,
)
from .kubernetes import (
    configmap_folders,
    kubernetes_warnings,
    make_modify_pod_hook,
    uses_kubespawner,
)
from .profiles import make_profile_list, open_profiles, static_problems, uses_profiles
from .seeding import seed_members
from .spawn import (
    every_server_environment,
    held_scopes,
    make_oauth_client_allowed_scopes,
    make_planner,
    make_post_auth_hook,
    make_pre_spawn_hook,
    make_server_token_scopes,
)
from .reader import load_spec
from .spec import HubGroupsConfigError, HubGroupsSpec, Settings


# --- What it becomes ---------------------------------------------------------------


def make_roles(spec: HubGroupsSpec) -> list[dict[str, Any]]:
    """The roles the file asks for, in ``load_roles`` form."""
    roles: list[dict[str, Any]] = []
    for p in spec.projects:
        roles.append(
            {
                # Role names must be lowercase; group names need not be.
                "name": f"collab-access-{p.name.lower()}",
                "description": f"Use, start and stop the shared server of project {p.name}",
                "scopes": [
                    # use the collaboration account's server
                    f"access:servers!user={p.account}",
                    # start and stop it
                    f"admin:servers!user={p.account}",
                    # the seed's shortcut: the admin page, showing only that account
                    "admin-ui",
                    f"list:users!user={p.account}",
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


# --- The managed service ----------------------------------------------------------------


def make_service(
    spec: HubGroupsSpec,
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]] | None:
    """The managed service ``hub-groups``, its role and its config, or None
    when it has nothing to do.

    One process for its jobs: in authoritative mode, make each group's
    members exactly the file's at start (``load_groups`` only adds); unless
    ``on_member_removed`` is ``none``, watch the project groups and restart
    (or stop) a project's shared server when a member leaves; when a course
    takes requests or is open, answer requests to join it (an HTTP API at
    ``settings.service_url``, behind the hub's proxy at
    ``/services/hub-groups/``) and add the people approved. Its token may
    do that and nothing else. The watch and the requests use the hub
    side's database (``db_url`` in the config); a PostgreSQL password the
    hub has in ``$PGPASSWORD`` (Zero to JupyterHub's ``hub.db.password``)
    and the URL does not hold is passed on to the service's environment.
    Nothing is written here.

    Parameters
    ----------
    spec : HubGroupsSpec

    Returns
    -------
    tuple or None
        ``(entry, role, config)``: the ``c.JupyterHub.services`` entry, its
        ``load_roles`` role, and what goes into ``state_dir/service.json``.
    """
    settings = spec.settings
    watch = settings.on_member_removed != "none" and bool(spec.projects)
    enrolment = spec.enrolment_courses
    if not (settings.authoritative or watch or enrolment):
        return None
    assert settings.state_dir is not None
    scopes: list[str] = []
    if settings.authoritative:
        # read, list, add and remove members: the file's groups only
        scopes += [f"groups!group={g}" for g in spec.group_members()]
    if watch:
        for p in spec.projects:
            if not settings.authoritative:
                scopes += [f"list:groups!group={p.name}", f"read:groups!group={p.name}"]
            if settings.on_member_removed == "restart":
                # read, start and stop that one server (``servers`` is exactly these)
                scopes.append(f"servers!user={p.account}")
            else:
                scopes += [f"read:servers!user={p.account}", f"delete:servers!user={p.account}"]
    for course in enrolment:
        # add the people an instructor approves (or who join an open course)
        if f"groups!group={course.name}" not in scopes:
            scopes.append(f"groups!group={course.name}")
    config_file = settings.state_dir / "service.json"
    config = {
        "sync": spec.group_members() if settings.authoritative else None,
        "projects": {p.name: p.account for p in spec.projects} if watch else {},
        "on_member_removed": settings.on_member_removed,
        # removed members lose the shared server within this time, as they
        # lose open sessions through the server extension's re-checks
        "interval": settings.revalidate_seconds or Settings.revalidate_seconds,
        # what the service saw last (the watch) and the requests to join
        "db_url": settings.db_url,
        "enrolment": enrolment_config(spec) if enrolment else None,
    }
    service: dict[str, Any] = {
        "name": SERVICE_NAME,
        "command": [sys.executable, "-m", "jupyterlab_hub_groups.service", str(config_file)],
    }
    # read from the hub's environment when the service starts: a password
    # is in no config object, no file and no command line
    environment: dict[str, FromHubEnvironment] = {}
    if enrolment:
        # behind the hub's proxy at /services/hub-groups/, with an OAuth client
        service["url"] = settings.service_url
        smtp = settings.smtp
        if smtp is not None and smtp.password_env:
            environment[smtp.password_env] = FromHubEnvironment(smtp.password_env)
    if (watch or enrolment) and "PGPASSWORD" in os.environ:
        # JupyterHub gives managed services none of the hub's environment;
        # libpq reads the password of a URL without one from $PGPASSWORD
        url = urlsplit(settings.db_url)
        if (
            url.scheme.split("+")[0] in ("postgresql", "postgres")
            and not url.password
            and "password" not in parse_qs(url.query)
        ):
            environment["PGPASSWORD"] = FromHubEnvironment("PGPASSWORD")
    if environment:
        service["environment"] = environment
    role = {
        "name": SERVICE_NAME,
        "description": "Keep the YAML file's groups; restart shared servers when members "
        "leave; add the people approved to the courses they asked to join",
        "scopes": scopes,
        "services": [SERVICE_NAME],
    }
    return service, role, config


def enrolment_config(spec: HubGroupsSpec) -> dict[str, Any]:
    """What the service needs to answer requests to join courses (the
    ``enrolment`` part of ``service.json``, 0600 in ``state_dir``).

    Parameters
    ----------
    spec : HubGroupsSpec

    Returns
    -------
    dict
        ``courses`` (course → ``enrolment`` and ``notify``; closed courses
        are not there), ``rate_limit``, ``public_url``, ``smtp``
        (no password: its variable's name), and who may not ask
        (collaboration accounts: ``account_regex``, ``collaborative_group``).
    """
    settings = spec.settings
    return {
        "courses": {
            c.name: {"enrolment": c.enrolment, "notify": list(c.notify)}
            for c in spec.enrolment_courses
        },
        "rate_limit": settings.enrolment_rate_limit,
        "public_url": settings.public_url,
        "smtp": settings.smtp.as_config() if settings.smtp else None,
        # where it listens: on Kubernetes every interface of the hub pod,
        # while the proxy reaches it as service_url (http://hub:10101)
        "listen": settings.service_listen,
        "account_regex": settings.account_regex.pattern,
        "collaborative_group": settings.collaborative_group,
    }


class FromHubEnvironment:
    """A service environment value read from the hub's own environment when
    JupyterHub starts the service (JupyterHub calls callables in
    ``environment`` with the service's spawner).

    Why not the value itself: ``c.JupyterHub.services`` is a config object
    that JupyterHub logs parts of and that ``check`` prints; the SMTP
    password should be in the hub's environment only. An unset variable
    gives an empty value, which the service reports at start.

    Parameters
    ----------
    name : str
        The variable.
    """

    def __init__(self, name: str):
        self.name = name

    def __call__(self, spawner: Any = None) -> str:
        return os.environ.get(self.name, "")

    def __repr__(self) -> str:
        return f"<the hub's ${self.name}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FromHubEnvironment) and other.name == self.name

    __hash__ = None  # type: ignore[assignment]


def with_service_access(c: Any, roles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``roles`` with :data:`~..contract.SERVICE_ACCESS_SCOPE` given to
    every user: the default ``user`` role, composed with what the config
    says of it.

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

    Returns
    -------
    list of dict
        The roles to set (``c`` changed only for ``extra_user_scopes``).
    """
    out = []
    found = False
    for role in roles:
        if role.get("name") == "user":
            found = True
            scopes = list(role.get("scopes") or ["self"])
            if SERVICE_ACCESS_SCOPE not in scopes:
                scopes.append(SERVICE_ACCESS_SCOPE)
            role = {**role, "scopes": scopes}
        out.append(role)
    if found:
        return out
    if "extra_user_scopes" in c.JupyterHub and c.JupyterHub.extra_user_scopes:
        c.JupyterHub.extra_user_scopes = {*c.JupyterHub.extra_user_scopes, SERVICE_ACCESS_SCOPE}
        return out
    return [*out, {"name": "user", "scopes": ["self", SERVICE_ACCESS_SCOPE]}]


# --- One origin for every server ------------------------------------------------------

#: What a hub without ``subdomain_host`` means for the file's projects
#: (the hub's log at start, and ``check``, which cannot see the hub config).
ONE_ORIGIN = (
    "every server's pages (/user/...) are then one web origin: a page served on one "
    "server can open another server's JupyterLab in a window and read its token. Project "
    "members, who all open pages served on their shared server, are trusted with each "
    "other's own servers, and so is anyone who can serve a page on a server others open; "
    "an instructor's page token carries groups!group=<course>. Set "
    "c.JupyterHub.subdomain_host (a host per user; see SECURITY.md, 'One origin for "
    "every server')."
)


def one_origin_warning(c: Any, spec: HubGroupsSpec) -> str | None:
    """What the hub's log should say about the hub's web origins, or None.

    Only with projects: their members open each other's pages (on the
    shared server) by design. Read from ``c`` as ``configure_hub`` sees
    it: a ``subdomain_host`` given later (in the config after it, or on
    the command line) is not seen, and the warning says so.
    """
    if not spec.projects:
        return None
    if "subdomain_host" in c.JupyterHub and c.JupyterHub.subdomain_host:
        return None
    return (
        "hub-groups: the file has projects, and c.JupyterHub.subdomain_host is not set "
        f"(in the config before configure_hub): {ONE_ORIGIN}"
    )


# --- Roles a group's managers could hand out ---------------------------------------------


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


# --- Applying it ------------------------------------------------------------------------


def _sections(c: Any, base: str, key: str) -> list[str]:
    """``base`` and every more specific section of ``c`` that sets ``key``.

    traitlets gives an instance the setting of its most specific class
    (``c.KubeSpawner.pre_spawn_hook`` over ``c.Spawner.pre_spawn_hook``):
    ours must be composed into each, or it is silently replaced. Sections
    are recognised by name (``...Spawner``, ``...Authenticator``), so that
    no spawner or authenticator package is imported here.
    """
    names = [base]
    for name in list(c.keys()):
        if name != base and name.endswith(base) and isinstance(c[name], Mapping):
            if key in c[name]:
                names.append(name)
    return names


def _people_known_to_the_authenticator(c: Any) -> dict[str, str]:
    """Lowercased names in ``allowed_users`` / ``admin_users`` of the
    Authenticator sections → where they are set."""
    people: dict[str, str] = {}
    for setting in ("allowed_users", "admin_users"):
        for section in _sections(c, "Authenticator", setting):
            value = c[section][setting] if setting in c[section] else ()
            if hasattr(value, "get_value"):  # c.Authenticator.allowed_users.add(...)
                value = value.get_value(set())
            for name in value or ():
                if isinstance(name, str):
                    people.setdefault(name.lower(), f"c.{section}.{setting}")
    return people


def configure_hub(
    c: Any,
    source: str | os.PathLike | Mapping[str, Any],
    generated_dir: str | os.PathLike | None = None,
    state_dir: str | os.PathLike | None = None,
    service_url: str | None = None,
    settings: Mapping[str, Any] | None = None,
) -> HubGroupsSpec:
    """Apply a projects-and-courses YAML file to a JupyterHub config.

    Call it last in ``jupyterhub_config.py`` (after any hook, scopes or
    ``allowed_users`` of yours): it composes with what is already set.

    Parameters
    ----------
    c : traitlets.config.Config
        The ``c`` of ``jupyterhub_config.py``.
    source : path or mapping
        The YAML file (see the README), or its content as a mapping.
    generated_dir : path, optional
        Overrides ``settings.generated_dir``: where the groups' kernels and
        server config are written. Single-user servers must see this folder
        at the same path; it holds nothing secret and nothing about people.
    state_dir : path, optional
        Overrides ``settings.state_dir``: the hub-only folder of the
        service's config and, by default, of the hub side's SQLite database
        (who was added, what the service saw, requests to join) (made 0700,
        files 0600). Never mount it in single-user servers.
    service_url : str, optional
        Overrides ``settings.service_url``: where the managed service
        listens (``http://127.0.0.1:<port>``).
    settings : mapping, optional
        Other keys of ``settings:`` given in Python over the file's
        (``public_url``, ``smtp``...), checked as the file's.

    Returns
    -------
    HubGroupsSpec
        The checked file.

    Raises
    ------
    HubGroupsConfigError
        When the file has mistakes; then ``c`` is left as it was.
    """
    given = dict(settings or {})
    if service_url is not None:
        given["service_url"] = service_url
    spec = load_spec(source, given)
    overrides: dict[str, Any] = {}
    if generated_dir is not None:
        overrides["generated_dir"] = Path(generated_dir)
    if state_dir is not None:
        overrides["state_dir"] = Path(state_dir)
    if overrides:
        spec = replace(spec, settings=replace(spec.settings, **overrides))
    from traitlets.log import get_logger  # JupyterHub's log while it reads its config

    log = get_logger()
    problems = _check_against_config(c, spec)
    if problems:
        raise HubGroupsConfigError(spec.source, problems)

    checked = spec.settings
    assert checked.generated_dir is not None and checked.state_dir is not None
    _private_dir(checked.state_dir)
    if checked.course_environments == "configmaps":
        # the pods mount ConfigMaps there; nothing to write in the hub's pod
        folders, rtc_off = group_folders(spec), rtc_off_folder(spec)
        log.info(
            "hub-groups: course environments from the ConfigMaps %s (apply the output of "
            "python -m jupyterlab_hub_groups.hub configmaps)",
            ", ".join(f.name for f in configmap_folders(spec).values()),
        )
    else:
        checked.generated_dir.mkdir(parents=True, exist_ok=True)
        folders = write_group_folders(spec)
        rtc_off = write_rtc_off_folder(spec)
        remove_stale_folders(checked.generated_dir, [*folders.values(), rtc_off])
        os.chmod(checked.generated_dir, 0o755)
    if uses_kubespawner(c):
        for warning in kubernetes_warnings(spec):
            log.warning("hub-groups: %s", warning)
    origin = one_origin_warning(c, spec)
    if origin:
        log.warning("%s", origin)
    for warning in roles_managers_hand_out(c, spec):
        log.warning("%s", warning)
    for section in profile_sections(c, spec):
        if open_profiles(spec, c[section].get("profile_list", [])) == []:
            log.warning(
                "hub-groups: c.%s.profile_list has no profile that everyone may pick: "
                "people outside the file's courses and projects get a form with nothing "
                "in it; add one (the chart's singleuser.profileList)",
                section,
            )

    existing_groups = dict(c.JupyterHub.load_groups) if "load_groups" in c.JupyterHub else {}
    roles = list(c.JupyterHub.load_roles) if "load_roles" in c.JupyterHub else []
    roles += make_roles(spec)
    service = make_service(spec)
    if service is not None:
        entry, role, config = service
        write_private(
            checked.state_dir / "service.json", json.dumps(config, indent=1, sort_keys=True) + "\n"
        )
        services = list(c.JupyterHub.services) if "services" in c.JupyterHub else []
        c.JupyterHub.services = [*services, entry]
        roles.append(role)
        if config["enrolment"]:
            # every user may call the service (its API decides what each may do)
            roles = with_service_access(c, roles)
    groups = dict(existing_groups)
    for group, users in seed_members(spec).items():
        groups[group] = {"users": users}
    c.JupyterHub.load_groups = groups
    c.JupyterHub.load_roles = roles

    planner = make_planner(spec, folders, rtc_off)
    for section in _sections(c, "Spawner", "pre_spawn_hook"):
        previous = c[section].pre_spawn_hook if "pre_spawn_hook" in c[section] else None
        c[section].pre_spawn_hook = make_pre_spawn_hook(spec, planner, previous)
    # KubeSpawner applies profiles after the pre_spawn_hook: its
    # modify_pod_hook runs after them (harmless where KubeSpawner is not used)
    for section in _sections(c, "KubeSpawner", "modify_pod_hook"):
        previous = c[section].modify_pod_hook if "modify_pod_hook" in c[section] else None
        c[section].modify_pod_hook = make_modify_pod_hook(spec, planner, previous)
    for section in profile_sections(c, spec):
        existing = c[section].get("profile_list", [])
        c[section].profile_list = make_profile_list(spec, existing, held_scopes)
    # what went wrong with a start, and the courses taking new members
    # (the page's Join cards), in every server's environment
    for section in _sections(c, "Spawner", "environment"):
        existing = c[section].environment if "environment" in c[section] else {}
        c[section].environment = {**existing, **every_server_environment(spec)}
    for section in _sections(c, "Spawner", "server_token_scopes"):
        existing = c[section].server_token_scopes if "server_token_scopes" in c[section] else None
        c[section].server_token_scopes = make_server_token_scopes(spec, existing)
    for section in _sections(c, "Spawner", "oauth_client_allowed_scopes"):
        existing = (
            c[section].oauth_client_allowed_scopes
            if "oauth_client_allowed_scopes" in c[section]
            else None
        )
        c[section].oauth_client_allowed_scopes = make_oauth_client_allowed_scopes(spec, existing)
    for section in _sections(c, "Authenticator", "post_auth_hook"):
        previous = c[section].post_auth_hook if "post_auth_hook" in c[section] else None
        c[section].post_auth_hook = make_post_auth_hook(spec, previous)
    return spec


def profile_sections(c: Any, spec: HubGroupsSpec) -> list[str]:
    """The KubeSpawner sections whose ``profile_list`` the file's profiles
    filter (none when no course or project has profiles)."""
    return _sections(c, "KubeSpawner", "profile_list") if uses_profiles(spec) else []


def _check_against_config(c: Any, spec: HubGroupsSpec) -> list[str]:
    """Mistakes only the hub config shows (names defined twice, accounts
    that are people, profile slugs its profile_list lacks), and folders that
    overlap."""
    problems: list[str] = []
    existing_groups = c.JupyterHub.load_groups if "load_groups" in c.JupyterHub else {}
    existing_roles = c.JupyterHub.load_roles if "load_roles" in c.JupyterHub else []
    existing_services = c.JupyterHub.services if "services" in c.JupyterHub else []
    role_names = {r.get("name") for r in existing_roles}
    ours = [g for g in spec.group_members() if g in existing_groups]
    ours += [r["name"] for r in make_roles(spec) if r["name"] in role_names]
    if make_service(spec) is not None:
        if SERVICE_NAME in role_names:
            ours.append(SERVICE_NAME)
        if SERVICE_NAME in {s.get("name") for s in existing_services}:
            ours.append(SERVICE_NAME)
    problems += [f"{name!r} is also defined elsewhere in the hub config" for name in ours]

    people = _people_known_to_the_authenticator(c)
    for p in spec.projects:
        where = people.get(p.account.lower())
        if where:
            problems.append(
                f"projects.{p.name}: its collaboration account {p.account!r} is a person "
                f"in {where}"
            )

    for section in profile_sections(c, spec):
        # no profile_list at all: a slug the file names is in no list either
        existing = c[section].get("profile_list", [])
        problems += [f"{p} (c.{section})" for p in static_problems(spec, existing)]
    return problems + check_folders(spec)
