"""The checker of the YAML file: mistakes collected with their place in
the file, and the patterns the names in it must match.

Why a module of its own: every part of the file (settings, projects,
courses, their kernels and profiles) is checked with the same
:class:`Checker`, which goes on after a mistake so that the file's author
hears of all of them at once.

Imports only the standard library.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# Every pattern is used with ``fullmatch``: ``re.match`` with ``$`` accepts a
# trailing newline ("vox\n"), which would end up in a path or a command line.

#: Names of projects and courses: they become group names, user names
#: (``<project>-collab``), command-line values and, lowercased, parts of
#: role names.
NAME_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,120}")
#: People: letters of any script, digits, '_', and '.', '@', '+', '-' inside
#: (names from OAuth logins look like e-mail addresses). No space, '/', '!',
#: '=', control or invisible character, nor a leading '-' (which a
#: command such as ``adduser`` would read as an option). 255: JupyterHub's
#: column size.
USER_PATTERN = re.compile(r"\w[\w.@+-]{0,254}")
#: Collaboration accounts: user names JupyterHub keeps as they are (it
#: lowercases names) and that are safe in a URL, a folder and a scope filter.
ACCOUNT_PATTERN = re.compile(r"[a-z0-9][a-z0-9_.-]{0,254}")
#: E-mail addresses: one plain ``local@domain`` each. No spaces, commas,
#: angle brackets, quotes or line breaks: an address goes into a ``To:``
#: header, where those would add recipients or headers.
EMAIL_PATTERN = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)


class Checker:
    """Collects mistakes with their place instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def mapping(self, value: Any, where: str, allowed: set[str]) -> dict:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.fail(where, f"must be a mapping, not {kind(value)}")
            return {}
        for key in value:
            if key not in allowed:
                self.fail(
                    where,
                    f"unknown key {key!r} (expected one of: {', '.join(sorted(allowed))})",
                )
        return dict(value)

    def names(self, value: Any, where: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(where, f"must be a list of user names, not {kind(value)}")
            return ()
        names: list[str] = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.fail(f"{where}[{i}]", f"must be a user name (a string), not {item!r}")
            elif not USER_PATTERN.fullmatch(item):
                self.fail(
                    f"{where}[{i}]",
                    f"{item!r} is not a usable user name (letters, digits, '_'; '.', '@', "
                    "'+', '-' inside; no spaces, '/', '!' or '=')",
                )
            elif item.lower() in {n.lower() for n in names}:
                # JupyterHub lowercases names: 'VEX' is 'vex'
                self.fail(f"{where}[{i}]", f"{item!r} is listed twice")
            else:
                names.append(item)
        return tuple(names)

    def name(self, value: Any, where: str, pattern: re.Pattern = NAME_PATTERN) -> bool:
        if not isinstance(value, str) or not pattern.fullmatch(value):
            self.fail(
                where,
                f"{value!r} is not a usable name (letters, digits, '_', '.', '-'; "
                "starting with a letter)",
            )
            return False
        return True


def kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string"}.get(
        type(value), type(value).__name__
    )


def shown(value: Any) -> str:
    """A value in a message: its repr (line breaks and invisible characters
    escaped), shortened."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


class AnyKey(set):
    """An ``allowed`` set for mappings whose keys are names, not keywords."""

    def __contains__(self, item: object) -> bool:
        return True
