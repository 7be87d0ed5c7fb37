"""KubeSpawner profiles by group: the images, resources and profiles that
only a course's or a project's people may pick.

Why a module of its own: Zero to JupyterHub offers one ``profile_list`` to
everyone (kubespawner #589 and #889, z2jh #1734, open for years). Here the
YAML file gives a course or a project the profiles its people may pick:
the name (``slug``) of a profile of the deployment's own ``profile_list``,
or a whole KubeSpawner profile. A profile named by some course or project
is theirs only; the rest stay everyone's.

Enforced where KubeSpawner decides, not only in the form: the hub helper
makes ``KubeSpawner.profile_list`` a function of the spawner that leaves
out the profiles its owner may not use. KubeSpawner then refuses any other
profile at start ("No such profile"), also when the start comes through
the REST API (``POST /hub/api/users/<name>/server {"profile": ...}``).

Who may use a course's profiles: its group's members and, unless the
course says ``instructors_get_environment: false``, whoever may manage the
group (as for the course's environment). A project's: its members and its
collaboration account (the shared server starts as the account).

Imports only the standard library (and, at a spawn, KubeSpawner's own
``slugify`` for profiles without a slug).
"""

from __future__ import annotations

import copy
import inspect
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import contract

if TYPE_CHECKING:  # pragma: no cover
    from .checker import Checker
    from .spec import HubGroupsSpec

#: Profile slugs: what KubeSpawner matches a request's ``profile`` against.
SLUG_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")
#: The keys of a profile in the YAML file (KubeSpawner's, passed as they are).
PROFILE_KEYS = {
    "display_name",
    "slug",
    "description",
    "default",
    "kubespawner_override",
    "profile_options",
}


@dataclass(frozen=True)
class ProfileGrant:
    """One profile a course or project gives its people.

    Attributes
    ----------
    slug : str
        The profile's slug.
    definition : mapping or None
        A whole KubeSpawner profile given in the YAML file; None for a
        profile of the deployment's own ``profile_list``.
    """

    slug: str
    definition: Mapping[str, Any] | None = None


def read_profiles(check: Checker, value: Any, where: str) -> tuple[ProfileGrant, ...]:
    """Read a course's or project's ``profiles:`` list.

    Each entry is a slug (a profile of the deployment's ``profile_list``)
    or a KubeSpawner profile (``display_name`` and ``slug`` required,
    ``description``, ``default``, ``kubespawner_override``,
    ``profile_options``).
    """
    if value is None:
        return ()
    if not isinstance(value, list):
        check.fail(where, "must be a list of profile slugs or KubeSpawner profiles")
        return ()
    grants: list[ProfileGrant] = []
    for i, item in enumerate(value):
        iwhere = f"{where}[{i}]"
        if isinstance(item, str):
            if _slug_problem(check, item, iwhere):
                continue
            grants.append(ProfileGrant(item))
            continue
        body = check.mapping(item, iwhere, PROFILE_KEYS)
        if not body:
            if isinstance(item, Mapping):
                check.fail(iwhere, "needs at least display_name and slug")
            continue
        slug = body.get("slug")
        if _slug_problem(check, slug, f"{iwhere}.slug"):
            continue
        if not isinstance(body.get("display_name"), str) or not body["display_name"].strip():
            check.fail(f"{iwhere}.display_name", "must be the name people pick it by")
            continue
        for key, kind in (("description", str), ("default", bool)):
            if key in body and not isinstance(body[key], kind):
                check.fail(
                    f"{iwhere}.{key}", f"must be {'a string' if kind is str else 'true or false'}"
                )
        for key in ("kubespawner_override", "profile_options"):
            if key in body and not isinstance(body[key], Mapping):
                check.fail(f"{iwhere}.{key}", "must be a mapping")
        grants.append(ProfileGrant(slug, dict(body)))
    slugs = [g.slug for g in grants]
    for slug in {s for s in slugs if slugs.count(s) > 1}:
        check.fail(where, f"lists the profile {slug!r} twice")
    return tuple(grants)


def _slug_problem(check: Checker, slug: Any, where: str) -> bool:
    if isinstance(slug, str) and SLUG_PATTERN.fullmatch(slug):
        return False
    check.fail(
        where,
        f"{slug!r} is not a profile slug (letters, digits, '_', '.', '-'; at most 63)",
    )
    return True


def check_definitions(
    check: Checker, owners: Iterable[tuple[str, Iterable[ProfileGrant]]]
) -> None:
    """A profile defined in two places must be defined alike (one slug is
    one profile for KubeSpawner)."""
    defined: dict[str, tuple[str, Mapping[str, Any]]] = {}
    for where, grants in owners:
        for grant in grants:
            if grant.definition is None:
                continue
            first = defined.setdefault(grant.slug, (where, grant.definition))
            if first[1] != grant.definition:
                check.fail(
                    where,
                    f"defines the profile {grant.slug!r} otherwise than {first[0]}: define "
                    "it once and name its slug in the others",
                )


# --- What the file says, for one person -----------------------------------------------


def definitions(spec: HubGroupsSpec) -> dict[str, Mapping[str, Any]]:
    """Slug → profile, for the profiles the file defines whole."""
    found: dict[str, Mapping[str, Any]] = {}
    for owner in (*spec.projects, *spec.courses):
        for grant in owner.profiles:
            if grant.definition is not None:
                found.setdefault(grant.slug, grant.definition)
    return found


def restricted_slugs(spec: HubGroupsSpec) -> set[str]:
    """Every profile the file gives some course or project: nobody else's."""
    return {g.slug for owner in (*spec.projects, *spec.courses) for g in owner.profiles}


def uses_profiles(spec: HubGroupsSpec) -> bool:
    """Whether any course or project has profiles."""
    return bool(restricted_slugs(spec))


def granted_slugs(spec: HubGroupsSpec, user: str, groups: set[str], managed: set[str]) -> set[str]:
    """The restricted profiles one person may use.

    Parameters
    ----------
    spec : HubGroupsSpec
    user : str
        The server's owner (a collaboration account for a shared server).
    groups : set of str
        The owner's groups.
    managed : set of str
        The groups the owner may manage (``groups!group=<g>`` held).

    Returns
    -------
    set of str
    """
    slugs: set[str] = set()
    for project in spec.projects:
        if project.name in groups or user == project.account:
            slugs |= {g.slug for g in project.profiles}
    for course in spec.courses:
        if course.name in groups or (course.instructors_get_environment and course.name in managed):
            slugs |= {g.slug for g in course.profiles}
    return slugs


def profile_slug(profile: Mapping[str, Any]) -> str:
    """A profile's slug as KubeSpawner reads it: its ``slug``, else one made
    from its ``display_name`` with KubeSpawner's own function."""
    slug = profile.get("slug")
    if slug:
        return str(slug)
    from slugify import slugify  # KubeSpawner's dependency, in the hub

    return slugify(str(profile.get("display_name", "")))


def listed(value: Any) -> list[Mapping[str, Any]]:
    """A ``profile_list`` value as KubeSpawner reads it: a list, or a
    mapping's values in the order of its keys."""
    if isinstance(value, Mapping):
        return [value[key] for key in sorted(value)]
    return list(value or [])


def filter_profiles(
    spec: HubGroupsSpec, base: list[Mapping[str, Any]], granted: set[str], log: Any = None
) -> list[dict[str, Any]]:
    """The profiles one person may pick: the deployment's, less those the
    file gives to courses or projects the person is not in, then those the
    file defines for the person's courses and projects.

    Parameters
    ----------
    spec : HubGroupsSpec
    base : list of mapping
        The deployment's profiles.
    granted : set of str
        :func:`granted_slugs` of the person.
    log : logging.Logger, optional
        Where a clash is reported (a profile of the deployment with the
        slug of one the file defines: the deployment's is kept).

    Returns
    -------
    list of dict
        Copies: KubeSpawner may change what it is given.
    """
    restricted = restricted_slugs(spec)
    defined = definitions(spec)
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for profile in base:
        slug = profile_slug(profile)
        seen.add(slug)
        if slug in defined and log is not None:
            log.error(
                "hub-groups: the profile %r is defined in the YAML file and in the "
                "deployment's profile_list: the deployment's is used",
                slug,
            )
        if slug in restricted and slug not in granted:
            continue
        out.append(copy.deepcopy(dict(profile)))
    for slug, profile in defined.items():
        if slug in granted and slug not in seen:
            out.append(copy.deepcopy(dict(profile)))
    return out


# --- KubeSpawner.profile_list, per spawn ---------------------------------------------------


def make_profile_list(
    spec: HubGroupsSpec, existing: Any, held: Callable[[Any], set[str] | None]
) -> Callable[[Any], Any]:
    """``KubeSpawner.profile_list`` as a function of the spawner.

    Parameters
    ----------
    spec : HubGroupsSpec
    existing : list, mapping or callable
        The deployment's ``profile_list`` (a callable may be async).
    held : callable
        The scopes the spawner's owner holds (:func:`.spawn.held_scopes`).

    Returns
    -------
    callable
        Called by KubeSpawner with the spawner, for the form and at start.
    """
    needs_scopes = any(c.profiles and c.instructors_get_environment for c in spec.courses)

    async def profile_list(spawner: Any) -> list[dict[str, Any]]:
        base = existing(spawner) if callable(existing) else existing
        if inspect.isawaitable(base):
            base = await base
        groups = {g.name for g in spawner.user.groups}
        managed = contract.managed_groups(held(spawner) or ()) if needs_scopes else set()
        granted = granted_slugs(spec, spawner.user.name, groups, managed)
        return filter_profiles(spec, listed(base), granted, spawner.log)

    profile_list.hub_groups_spec = spec  # type: ignore[attr-defined]
    return profile_list


def static_problems(spec: HubGroupsSpec, existing: Any) -> list[str]:
    """Mistakes between the file and a deployment's ``profile_list`` that is
    a list or a mapping (a function can only be checked at each spawn): a
    slug named in the file that the list does not have, and a profile the
    file defines whole that the list has too."""
    if callable(existing):
        return []
    slugs = {profile_slug(p) for p in listed(existing)}
    defined = definitions(spec)
    problems = []
    for owner, kind in [(p, "projects") for p in spec.projects] + [
        (c, "courses") for c in spec.courses
    ]:
        for grant in owner.profiles:
            where = f"{kind}.{owner.name}.profiles"
            if grant.definition is None and grant.slug not in slugs and grant.slug not in defined:
                problems.append(
                    f"{where}: no profile {grant.slug!r} in KubeSpawner.profile_list "
                    f"(it has: {', '.join(sorted(slugs)) or 'none'}) nor in the file"
                )
            elif grant.definition is not None and grant.slug in slugs:
                problems.append(
                    f"{where}: the profile {grant.slug!r} is also in KubeSpawner.profile_list: "
                    "name its slug here instead of defining it again"
                )
    return problems


def open_profiles(spec: HubGroupsSpec, existing: Any) -> list[str] | None:
    """The slugs of the deployment's profiles that everyone may pick (None
    when ``profile_list`` is a function): with none, people outside every
    course and project get KubeSpawner's form with nothing to pick."""
    if callable(existing):
        return None
    restricted = restricted_slugs(spec)
    return [s for s in (profile_slug(p) for p in listed(existing)) if s not in restricted]
