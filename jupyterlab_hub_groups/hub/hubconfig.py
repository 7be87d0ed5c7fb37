"""Applying the YAML file to the ``c`` of ``jupyterhub_config.py``: groups,
roles (:mod:`.roles`), the managed service (:mod:`.managed_service`),
hooks and scopes, and the checks only the hub config allows.

Why a module of its own: this is the one place that reads and changes
``c``. It composes with what the config already has (groups, roles,
services, hooks and scopes, on ``c.Spawner`` / ``c.Authenticator`` and every
more specific section), refuses clashes with it, and changes nothing when
the file or the combination has a mistake.

Imports only the standard library.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..contract import SERVICE_NAME
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
from .login import make_post_auth_hook
from .managed_service import make_service
from .profiles import make_profile_list, open_profiles, static_problems, uses_profiles
from .reader import load_spec
from .roles import make_roles, roles_managers_hand_out, with_service_access
from .seeding import seed_members
from .spawn import held_scopes, make_planner, make_pre_spawn_hook
from .spawn_report import every_server_environment
from .spec import HubGroupsConfigError, HubGroupsSpec
from .token_scopes import make_oauth_client_allowed_scopes, make_server_token_scopes

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

    Only with projects (the file's, or made at runtime): their members
    open each other's pages (on the shared server) by design. Read from ``c`` as ``configure_hub`` sees
    it: a ``subdomain_host`` given later (in the config after it, or on
    the command line) is not seen, and the warning says so.
    """
    if not spec.projects and spec.settings.runtime_projects is None:
        return None
    if "subdomain_host" in c.JupyterHub and c.JupyterHub.subdomain_host:
        return None
    return (
        "hub-groups: the file has projects (or lets people make them), and "
        "c.JupyterHub.subdomain_host is not set "
        f"(in the config before configure_hub): {ONE_ORIGIN}"
    )


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
        write_private(checked.state_dir / "service.json", config.to_json())
        services = list(c.JupyterHub.services) if "services" in c.JupyterHub else []
        c.JupyterHub.services = [*services, entry]
        roles.append(role)
        if spec.service_has_api:
            # every user may call the service (its API decides what each may
            # do), and share their own server when it keeps projects
            roles = with_service_access(c, roles, sharing=spec.keeps_projects)
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
