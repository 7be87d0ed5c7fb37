"""Reading the YAML file of projects and courses and checking it whole:
:func:`load_spec`.

Why a module of its own: this is where the file's parts (settings,
projects, courses) are read together and checked against each other (a
name used twice, a person named like a collaboration account), after
each part's own checks (:mod:`.settings`, :mod:`.kernels`,
:mod:`.profiles`); what comes out is a :class:`.spec.HubGroupsSpec`.

Imports only the standard library (PyYAML when a file is read).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import contract
from .checker import ACCOUNT_PATTERN, EMAIL_PATTERN, AnyKey, Checker, kind, shown
from .kernels import read_kernel_logos, read_kernels, read_services
from .profiles import check_definitions, read_profiles
from .settings import read_settings
from .spec import ENROLMENT, Course, HubGroupsConfigError, HubGroupsSpec, Project, Settings

# Every pattern is used with ``fullmatch``: ``re.match`` with ``$`` accepts a
# trailing newline ("vox\n"), which would end up in a path or a command line.

#: What JupyterHub accepts as a role name.
ROLE_PATTERN = re.compile(r"[a-z][a-z0-9\-_~.]{1,253}[a-z0-9]")
#: At most this many addresses in a course's ``notify``.
MAX_NOTIFY = 20


def load_spec(
    source: str | os.PathLike | Mapping[str, Any],
    overrides: Mapping[str, Any] | None = None,
) -> HubGroupsSpec:
    """Read and check a YAML file (or an already parsed mapping).

    Parameters
    ----------
    source : path or mapping
        The YAML file, or its content as a mapping (for tests and for
        deployments that build it in Python).
    overrides : mapping, optional
        Keys of ``settings:`` given in Python (``jupyterhub_config.py``),
        over the file's: checked alike, reported as ``settings.<key>``.

    Returns
    -------
    HubGroupsSpec

    Raises
    ------
    HubGroupsConfigError
        With every mistake found, each with its place in the file.
    """
    if isinstance(source, Mapping):
        name, data, base = "<mapping>", source, Path.cwd()
    else:
        import yaml

        path = Path(source)
        name, base = str(path), path.resolve().parent
        try:
            data = yaml.load(path.read_text(encoding="utf8"), Loader=_loader())
        except OSError as e:
            raise HubGroupsConfigError(name, [f"cannot be read: {e.strerror}"]) from None
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            where = f"line {mark.line + 1}" if mark else "file"
            raise HubGroupsConfigError(name, [f"{where}: not valid YAML ({e})"]) from None

    check = Checker()
    top = check.mapping(data, "top level", {"settings", "projects", "courses"})
    raw_settings = top.get("settings")
    if overrides:
        raw_settings = {
            **(raw_settings if isinstance(raw_settings, Mapping) else {}),
            **overrides,
        }
    settings = read_settings(check, raw_settings, base)

    projects: list[Project] = []
    for pname, pbody in check.mapping(top.get("projects"), "projects", AnyKey()).items():
        where = f"projects.{pname}"
        if not check.name(pname, where):
            continue
        body = check.mapping(pbody, where, {"members", "profiles"})
        # as the server extension names it (the pattern is checked by now)
        account = contract.account_name(settings.server_account_pattern, pname)
        if not ACCOUNT_PATTERN.fullmatch(account):
            check.fail(
                where,
                f"gives the collaboration account {account!r}, which JupyterHub would not "
                "keep as it is (user names are lowercase letters, digits, '_', '.', '-'): "
                "use a lowercase project name",
            )
        projects.append(
            Project(
                pname,
                check.names(body.get("members"), f"{where}.members"),
                account,
                read_profiles(check, body.get("profiles"), f"{where}.profiles"),
            )
        )

    courses: list[Course] = []
    for cname, cbody in check.mapping(top.get("courses"), "courses", AnyKey()).items():
        where = f"courses.{cname}"
        if not check.name(cname, where):
            continue
        body = check.mapping(
            cbody,
            where,
            {
                "students",
                "instructors",
                "kernels",
                "services",
                "instructors_get_environment",
                "enrolment",
                "notify",
                "profiles",
                "title",
            },
        )
        environment = body.get("instructors_get_environment", True)
        if not isinstance(environment, bool):
            check.fail(
                f"{where}.instructors_get_environment",
                f"must be true or false, not {environment!r}",
            )
            environment = True
        enrolment = body.get("enrolment", "closed")
        if enrolment not in ENROLMENT:
            check.fail(
                f"{where}.enrolment", f"must be one of {', '.join(ENROLMENT)}, not {enrolment!r}"
            )
            enrolment = "closed"
        courses.append(
            Course(
                cname,
                check.names(body.get("students"), f"{where}.students"),
                check.names(body.get("instructors"), f"{where}.instructors"),
                read_kernels(check, body.get("kernels"), f"{where}.kernels"),
                read_services(check, body.get("services"), f"{where}.services"),
                kernel_logos=read_kernel_logos(check, body.get("kernels"), f"{where}.kernels"),
                instructors_get_environment=environment,
                enrolment=enrolment,
                notify=_read_addresses(check, body.get("notify"), f"{where}.notify"),
                profiles=read_profiles(check, body.get("profiles"), f"{where}.profiles"),
                title=_read_title(check, body.get("title"), f"{where}.title"),
            )
        )

    _check_clashes(check, settings, projects, courses)
    check_definitions(
        check,
        [(f"projects.{p.name}.profiles", p.profiles) for p in projects]
        + [(f"courses.{c.name}.profiles", c.profiles) for c in courses],
    )
    if check.problems:
        raise HubGroupsConfigError(name, check.problems)
    return HubGroupsSpec(name, settings, tuple(projects), tuple(courses))


def _loader():
    """A safe YAML loader that refuses a key given twice in one mapping
    (plain YAML keeps the last one silently: a project would vanish).

    Built on libyaml's ``CSafeLoader`` when PyYAML has it: with 1,000
    projects the pure-Python loader was 92 % of ``configure_hub``'s time
    (140 ms against 17 ms), and hub start is measured against the
    hand-written recipe (bench/README.md). Both read the same YAML.
    """
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class UniqueKeyLoader(base):
        def construct_mapping(self, node, deep=False):
            seen = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"{key!r} is defined twice",
                        key_node.start_mark,
                    )
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    return UniqueKeyLoader


def _read_addresses(check: Checker, value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        check.fail(where, f"must be a list of e-mail addresses, not {kind(value)}")
        return ()
    if len(value) > MAX_NOTIFY:
        check.fail(where, f"may list at most {MAX_NOTIFY} addresses")
        return ()
    addresses: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not EMAIL_PATTERN.fullmatch(item):
            check.fail(
                f"{where}[{i}]",
                f"must be one e-mail address (name@example.org), not {shown(item)}",
            )
        elif item.lower() in {a.lower() for a in addresses}:
            check.fail(f"{where}[{i}]", f"{item!r} is listed twice")
        else:
            addresses.append(item)
    return tuple(addresses)


def _check_clashes(
    check: Checker, settings: Settings, projects: list[Project], courses: list[Course]
) -> None:
    seen: dict[str, str] = {}

    def claim(group: str, where: str) -> None:
        folded = group.lower()
        if folded in seen:
            check.fail(where, f"the name {group!r} is already used by {seen[folded]}")
        else:
            seen[folded] = where

    claim(settings.collaborative_group, "settings.collaborative_group")
    if settings.instructors_group:
        claim(settings.instructors_group, "settings.instructors_group")
    for p in projects:
        claim(p.name, f"projects.{p.name}")
    for c in courses:
        claim(c.name, f"courses.{c.name}")

    accounts = {p.account.lower(): p for p in projects}
    humans: dict[str, str] = {}
    for p in projects:
        for i, m in enumerate(p.members):
            humans.setdefault(m, f"projects.{p.name}.members[{i}]")
    for c in courses:
        for role in ("students", "instructors"):
            for i, m in enumerate(getattr(c, role)):
                humans.setdefault(m, f"courses.{c.name}.{role}[{i}]")
    account_regex = settings.account_regex
    for user, where in humans.items():
        if user.lower() in accounts:
            check.fail(
                where,
                f"{user!r} is the collaboration account of project "
                f"{accounts[user.lower()].name!r}; a person cannot have that name",
            )
        elif account_regex.fullmatch(user):
            check.fail(
                where,
                f"{user!r} is named like a collaboration account "
                f"({settings.collaboration_account!r}): nobody with such a name can log in",
            )
    for p in projects:
        role = f"collab-access-{p.name.lower()}"
        if not ROLE_PATTERN.fullmatch(role):
            check.fail(f"projects.{p.name}", f"gives the invalid role name {role!r}")
    for c in courses:
        role = f"instructor-{c.name.lower()}"
        if not ROLE_PATTERN.fullmatch(role):
            check.fail(f"courses.{c.name}", f"gives the invalid role name {role!r}")


#: The longest course title, in characters.
MAX_TITLE = 100


def _read_title(check: Checker, value: Any, where: str) -> str:
    """A course's title: one line of printable text (what people read on
    cards and in e-mails), at most :data:`MAX_TITLE` characters; "" when
    there is none."""
    if value is None:
        return ""
    if not isinstance(value, str) or not value.strip():
        check.fail(where, "must be a non-empty string")
        return ""
    title = value.strip()
    if len(title) > MAX_TITLE:
        check.fail(where, f"must be at most {MAX_TITLE} characters")
        return ""
    if any(not c.isprintable() or unicodedata.category(c) in ("Cf", "Zl", "Zp") for c in title):
        check.fail(where, "must be one line of printable text (no control or invisible characters)")
        return ""
    return title
