"""The file's ``settings:`` section: reading and checking it, with its
URLs (where the service listens, the hub's public address), its database
and its SMTP server.

Why a module of its own: the settings are the part of the file that says
how the hub side runs (folders, the service, e-mail), checked for what a
mistake there would cost at run time: a password in the file, a service
URL the proxy cannot reach, a variable JupyterHub uses.

Imports only the standard library.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import contract
from .checker import ACCOUNT_PATTERN, EMAIL_PATTERN, Checker, shown
from .spec import (
    COURSE_ENVIRONMENTS,
    MAX_PER_PERSON,
    ON_MEMBER_REMOVED,
    PROJECT_ACCESS,
    SMTP_SECURITY,
    RuntimeProjects,
    Settings,
    Smtp,
)

# Every pattern is used with ``fullmatch``: ``re.match`` with ``$`` accepts a
# trailing newline ("vox\n"), which would end up in a path or a command line.

#: Hosts that mean "every interface": a place to listen, never an address
#: to reach (JupyterHub would advertise the hub's host name instead).
ANY_ADDRESS = ("0.0.0.0", "::")
#: Host names and IPv4 addresses, or an IPv6 address in brackets (the SMTP server).
HOST_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,252}|\[[0-9A-Fa-f:.]{2,45}\]")
#: Names of environment variables (``smtp.password_env``).
ENV_NAME_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")
#: Environment variables the SMTP password may not be given as: the
#: service's own (JupyterHub sets ``JUPYTERHUB_*``, and a variable given to
#: the service replaces them) and those that change what a process runs.
RESERVED_ENV = re.compile(r"JUPYTERHUB_.*|JPY_.*|PYTHON.*|LD_.*|DYLD_.*|PATH|HOME", re.IGNORECASE)
#: SQLAlchemy URLs: ``dialect[+driver]://...``, nothing invisible.
DB_URL_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:\+[A-Za-z0-9_]+)?://[\x21-\x7e]*")
#: The most requests a setting may allow per user and hour.
MAX_RATE_LIMIT = 10000


def read_settings(check: Checker, value: Any, base: Path) -> Settings:
    body = check.mapping(
        value,
        "settings",
        {
            "collaboration_account",
            "collaborative_group",
            "instructors_group",
            "authoritative",
            "generated_dir",
            "revalidate_seconds",
            "state_dir",
            "on_member_removed",
            "service_url",
            "service_bind_url",
            "course_environments",
            "enrolment_db_url",
            "enrolment_rate_limit",
            "public_url",
            "smtp",
            "runtime_projects",
            "project_access",
        },
    )
    defaults = Settings()
    account = body.get("collaboration_account", defaults.collaboration_account)
    problem = _account_pattern_problem(account)
    if problem:
        check.fail("settings.collaboration_account", problem)
        account = defaults.collaboration_account
    collaborative = body.get("collaborative_group", defaults.collaborative_group)
    check.name(collaborative, "settings.collaborative_group")
    instructors = body.get("instructors_group", defaults.instructors_group)
    if instructors is not None:
        check.name(instructors, "settings.instructors_group")
    authoritative = body.get("authoritative", False)
    if not isinstance(authoritative, bool):
        check.fail("settings.authoritative", f"must be true or false, not {authoritative!r}")
        authoritative = False
    revalidate = body.get("revalidate_seconds", defaults.revalidate_seconds)
    if isinstance(revalidate, bool) or not isinstance(revalidate, (int, float)) or (
        revalidate != 0 and revalidate < contract.MIN_REVALIDATE_SECONDS
    ):
        check.fail(
            "settings.revalidate_seconds",
            f"{contract.REVALIDATE_SECONDS_RULE} (seconds), not {revalidate!r}",
        )
        revalidate = defaults.revalidate_seconds
    folders = {}
    for key in ("generated_dir", "state_dir"):
        folders[key] = body.get(key)
        if folders[key] is not None and (not isinstance(folders[key], str) or not folders[key]):
            check.fail(f"settings.{key}", f"must be a folder path, not {folders[key]!r}")
            folders[key] = None
    removed = body.get("on_member_removed", defaults.on_member_removed)
    if removed not in ON_MEMBER_REMOVED:
        check.fail(
            "settings.on_member_removed",
            f"must be one of {', '.join(ON_MEMBER_REMOVED)}, not {removed!r}",
        )
        removed = defaults.on_member_removed
    environments = body.get("course_environments", defaults.course_environments)
    if environments not in COURSE_ENVIRONMENTS:
        check.fail(
            "settings.course_environments",
            f"must be one of {', '.join(COURSE_ENVIRONMENTS)}, not {shown(environments)}",
        )
        environments = defaults.course_environments
    return Settings(
        collaboration_account=account,
        collaborative_group=collaborative,
        instructors_group=instructors,
        authoritative=authoritative,
        generated_dir=base / (folders["generated_dir"] or ".hub-groups"),
        revalidate_seconds=revalidate,
        state_dir=base / (folders["state_dir"] or ".hub-groups-state"),
        on_member_removed=removed,
        course_environments=environments,
        **_read_enrolment_settings(check, body),
        **_read_project_settings(check, body),
    )


def _read_project_settings(check: Checker, body: Mapping[str, Any]) -> dict[str, Any]:
    """``runtime_projects`` (who may make projects in JupyterLab, and how
    many each) and ``project_access`` (roles or shares)."""
    found: dict[str, Any] = {}
    access = body.get("project_access", Settings.project_access)
    if access not in PROJECT_ACCESS:
        check.fail(
            "settings.project_access",
            f"must be one of {', '.join(PROJECT_ACCESS)}, not {shown(access)}",
        )
    else:
        found["project_access"] = access
    if body.get("runtime_projects") is None:
        return found
    where = "settings.runtime_projects"
    runtime = check.mapping(body["runtime_projects"], where, {"allowed", "max_per_person"})
    if not runtime:
        if isinstance(body["runtime_projects"], Mapping):
            check.fail(where, "needs allowed (everyone, or a group's name)")
        return found
    allowed = runtime.get("allowed")
    if allowed is None:
        check.fail(f"{where}.allowed", "is needed: everyone, or the group whose members may")
    elif allowed != "everyone" and not check.name(allowed, f"{where}.allowed"):
        allowed = None
    low, high = MAX_PER_PERSON
    most = runtime.get("max_per_person", RuntimeProjects.max_per_person)
    if isinstance(most, bool) or not isinstance(most, int) or not low <= most <= high:
        check.fail(
            f"{where}.max_per_person",
            f"must be a whole number of projects from {low} to {high}, not {shown(most)}",
        )
    elif allowed is not None:
        found["runtime_projects"] = RuntimeProjects(
            None if allowed == "everyone" else allowed, most
        )
    return found


def _read_enrolment_settings(check: Checker, body: Mapping[str, Any]) -> dict[str, Any]:
    """The settings of requests to join courses: where the service listens,
    its database, the rate limit, the public address and e-mail."""
    defaults = Settings()
    found: dict[str, Any] = {}
    service_url = body.get("service_url", defaults.service_url)
    problem = _url_problem(service_url, path=False)
    if not problem and _host(service_url) in ANY_ADDRESS:
        problem = (
            f"{shown(service_url)} is a place to listen, not an address the hub's proxy "
            "can reach: give that address here (http://hub:10101 in Zero to JupyterHub) "
            "and the place to listen as service_bind_url (http://0.0.0.0:10101)"
        )
    if problem:
        check.fail("settings.service_url", problem)
    else:
        found["service_url"] = service_url.rstrip("/")
    bind_url = body.get("service_bind_url")
    if bind_url is not None:
        problem = _url_problem(bind_url, path=False)
        if not problem and "service_url" in found:
            scheme = found["service_url"].partition(":")[0]
            if bind_url.partition(":")[0] != scheme:
                problem = f"must use the scheme of service_url ({scheme}), not {shown(bind_url)}"
        if problem:
            check.fail("settings.service_bind_url", problem)
        else:
            found["service_bind_url"] = bind_url.rstrip("/")
    public_url = body.get("public_url")
    if public_url is not None:
        problem = _url_problem(public_url, path=True)
        if problem:
            check.fail("settings.public_url", problem)
        else:
            found["public_url"] = public_url if public_url.endswith("/") else public_url + "/"
    db_url = body.get("enrolment_db_url")
    if db_url is not None:
        if not isinstance(db_url, str) or not DB_URL_PATTERN.fullmatch(db_url):
            # not echoed: a database URL may hold a password
            check.fail(
                "settings.enrolment_db_url",
                "must be an SQLAlchemy database URL (dialect://..., no spaces or "
                "invisible characters)",
            )
        else:
            found["enrolment_db_url"] = db_url
    limit = body.get("enrolment_rate_limit", defaults.enrolment_rate_limit)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 0 <= limit <= MAX_RATE_LIMIT:
        check.fail(
            "settings.enrolment_rate_limit",
            f"must be a whole number of requests per user and hour from 0 (no limit) "
            f"to {MAX_RATE_LIMIT}, not {limit!r}",
        )
    else:
        found["enrolment_rate_limit"] = limit
    if body.get("smtp") is not None:
        found["smtp"] = _read_smtp(check, body["smtp"])
    return found


def _host(url: str) -> str:
    """The host of a checked URL (an IPv6 address without its brackets)."""
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or ""


def _url_problem(value: Any, path: bool) -> str | None:
    """Why ``value`` is not a usable ``http(s)`` URL of the hub or the
    service, or None. No user or password in it, no query or fragment,
    nothing invisible; ``path``: whether it may have a path (the hub under
    a prefix) or must be ``scheme://host:port``."""
    from urllib.parse import urlsplit

    if not isinstance(value, str) or not value:
        return f"must be an http(s) URL, not {shown(value)}"
    if any(ch.isspace() or not ch.isprintable() for ch in value):
        return "must be an http(s) URL without spaces, line breaks or invisible characters"
    try:
        url = urlsplit(value)
        url.port  # noqa: B018 (raises on a bad port)
    except ValueError:
        return "is not a URL (its port must be a number)"
    if url.username is not None or url.password is not None:
        return "may hold no user name or password"  # and is not echoed
    if url.scheme not in ("http", "https") or not url.hostname:
        return f"must be an http(s) URL with a host, not {shown(value)}"
    if url.query or url.fragment or "?" in value or "#" in value:
        return f"may have no query or fragment, not {shown(value)}"
    if not path and url.path not in ("", "/"):
        return f"must be scheme://host:port without a path, not {shown(value)}"
    return None


def _read_smtp(check: Checker, value: Any) -> Smtp | None:
    where = "settings.smtp"
    gave_password = isinstance(value, Mapping) and "password" in value
    if gave_password:
        # before the unknown-key message: say what to do instead
        check.fail(
            f"{where}.password",
            "a password never goes in this file: put it in an environment variable of "
            "the hub and give that variable's name as password_env",
        )
        value = {k: v for k, v in value.items() if k != "password"}
    body = check.mapping(
        value,
        where,
        {"host", "port", "from", "security", "username", "password_env", "student_address"},
    )
    if not body:
        if isinstance(value, Mapping):
            check.fail(where, "needs at least host and from")
        return None
    bad = len(check.problems)
    host = body.get("host")
    if not isinstance(host, str) or not HOST_PATTERN.fullmatch(host):
        check.fail(f"{where}.host", f"must be a host name or address, not {shown(host)}")
    security = body.get("security", "starttls")
    if security not in SMTP_SECURITY:
        check.fail(
            f"{where}.security",
            f"must be one of {', '.join(SMTP_SECURITY)}, not {shown(security)}",
        )
        security = "starttls"
    port = body.get("port", SMTP_SECURITY[security])
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        check.fail(f"{where}.port", f"must be a port number (1-65535), not {shown(port)}")
    sender = body.get("from")
    if not isinstance(sender, str) or not EMAIL_PATTERN.fullmatch(sender):
        check.fail(
            f"{where}.from", f"must be one e-mail address (hub@example.org), not {shown(sender)}"
        )
    username = body.get("username")
    if username is not None and (
        not isinstance(username, str)
        or not username
        or len(username) > 255
        or any(not ch.isprintable() or ch.isspace() for ch in username)
    ):
        check.fail(
            f"{where}.username",
            "must be a user name without spaces or invisible characters",
        )
    password_env = body.get("password_env")
    if password_env is not None:
        if not isinstance(password_env, str) or not ENV_NAME_PATTERN.fullmatch(password_env):
            check.fail(
                f"{where}.password_env",
                "must be the name of an environment variable (letters, digits, '_'), "
                f"not {shown(password_env)}",
            )
        elif RESERVED_ENV.fullmatch(password_env):
            check.fail(
                f"{where}.password_env",
                f"{password_env!r} is a variable JupyterHub or Python uses: choose a name "
                "of your own (e.g. HUB_GROUPS_SMTP_PASSWORD)",
            )
    if (username is None) != (password_env is None) and not gave_password:
        check.fail(where, "username and password_env go together: give both or neither")
    if username is not None and security == "none":
        check.fail(
            f"{where}.security",
            "none would send the username and password in clear text: use starttls or "
            "ssl to log in",
        )
    student_address = body.get("student_address")
    if student_address is not None:
        problem = _student_address_problem(student_address)
        if problem:
            check.fail(f"{where}.student_address", problem)
    if len(check.problems) > bad:
        return None
    return Smtp(host, port, sender, security, username, password_env, student_address)


def _student_address_problem(template: Any) -> str | None:
    """Why ``smtp.student_address`` cannot make students' addresses, or None.

    JupyterHub keeps no e-mail address of its users: the service makes one
    from the user name (``{user}@uni.example``) with ``str.replace``, never
    ``str.format``. Exactly one ``{user}``, in the part before the ``@``,
    no other braces, and a plain address otherwise (:data:`EMAIL_PATTERN`:
    no space, comma, angle bracket, quote or line break, which in a ``To:``
    header would add recipients or headers).
    """
    example = "a text with {user} where the user name goes, e.g. {user}@uni.example"
    if not isinstance(template, str):
        return f"must be {example}, not {shown(template)}"
    if template.count("{user}") != 1:
        return f"must hold {{user}} exactly once: {example}, not {shown(template)}"
    rest = template.replace("{user}", "")
    if "{" in rest or "}" in rest:
        return f"may hold no braces besides {{user}}, not {shown(template)}"
    if not EMAIL_PATTERN.fullmatch(template.replace("{user}", "x")):
        return f"must be one plain e-mail address with {{user}} in it, not {shown(template)}"
    if template.index("{user}") > template.rindex("@"):
        return f"must have {{user}} before the @ (the domain is the same for all), not {shown(template)}"
    return None


def _account_pattern_problem(pattern: Any) -> str | None:
    """Why ``collaboration_account`` cannot be used, or None.

    Exactly one ``{project}`` and nothing else in braces (both sides fill it
    with :func:`.contract.account_name`, that is ``str.format``, which would
    also read ``{0}`` or ``{project.__class__}``), something besides it
    (``{project}`` alone would make every project's name an account, and the
    login hook would refuse everyone), and only what is safe in a user name.
    """
    field = contract.PROJECT_FIELD
    if not isinstance(pattern, str) or pattern.count(field) != 1:
        return f"must be a string containing '{field}' once, not {pattern!r}"
    rest = pattern.replace(field, "")
    if not rest:
        return "must have more than '{project}' (e.g. '{project}-collab')"
    if "{" in rest or "}" in rest:
        return f"may hold no braces besides '{{project}}', not {pattern!r}"
    if not ACCOUNT_PATTERN.fullmatch(pattern.replace(field, "x")):
        return (
            f"gives account names JupyterHub cannot use as they are: {pattern!r} "
            "(lowercase letters, digits, '_', '.', '-', starting with a letter or digit)"
        )
    return None
