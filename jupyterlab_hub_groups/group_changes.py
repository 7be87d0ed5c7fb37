"""Reading and changing a hub group's members in as few requests as
possible, for whoever holds the token: the server extension (the course
panel, with the instructor's own token) and the managed service (approving
requests to join a course, with the service's token).

Why a module of its own: both sides add many names at once, and JupyterHub
refuses a whole ``POST /hub/api/groups/<g>/users`` for one name it does not
know. One request for all names, halved only when the hub refuses the
batch, finds the names it refuses while the others still apply; having it
once keeps the two sides' answers alike. Group names are escaped whole in
the hub's URLs (a ``/`` in a name cannot reach another API path).

Needs only the hub client (tornado).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from .hub_client import HubClient, HubError
from .refusal import refusal

#: At most this many characters in a user or group name (JupyterHub's
#: column size).
MAX_NAME_LENGTH = 255

#: Unicode categories no name may hold: controls (newline, NUL), format
#: characters (invisible, or turning text right-to-left), surrogates,
#: private use and unassigned code points.
_FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}


def has_forbidden_character(text: str) -> bool:
    """Whether ``text`` holds a character no name may hold (see above)."""
    return any(unicodedata.category(ch) in _FORBIDDEN_CATEGORIES for ch in text)


def user_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be any user's, or None: such a name is reported
    as invalid and never sent to the hub.

    JupyterHub's own rules (no ``/``, not only dots, at most
    :data:`MAX_NAME_LENGTH` characters), plus no control or invisible
    character. The server extension (adding members) and the hub-groups
    service (approving requests) both check names with it.

    Returns
    -------
    str or None
        A sentence for the person who typed it.
    """
    if not name or len(name) > MAX_NAME_LENGTH:
        return f"A user name has 1 to {MAX_NAME_LENGTH} characters."
    if "/" in name:
        return "A user name cannot contain '/'."
    if set(name) == {"."}:
        return "A user name cannot be only dots."
    if has_forbidden_character(name):
        return "A user name cannot contain control or invisible characters."
    return None


def group_path(group: str, *rest: str) -> str:
    """``groups/<group>[/rest]`` with ``group`` escaped whole."""
    return "/".join(("groups", quote(group, safe=""), *rest))


def error(name: str, code: str, message: str) -> dict[str, str]:
    """One entry of a change's ``errors``: the name, and why (a refusal)."""
    return {"name": name, **refusal(code, message)}


# --- The group -----------------------------------------------------------------------


class NoSuchGroup(Exception):
    """The hub has no such group (404)."""


def _members_of(model: Any) -> list[str]:
    users = model.get("users") if isinstance(model, dict) else None
    if not isinstance(users, list) or not all(isinstance(u, str) for u in users):
        raise HubError(502, "hub-bad-response", "JupyterHub's group model was not understood.")
    return sorted(users)


async def members(client: HubClient, token: str, group: str) -> list[str]:
    """The members of ``group``, sorted.

    Raises
    ------
    NoSuchGroup
    HubError
    """
    response = await client.request("GET", group_path(group), token, expect=(200, 404))
    if response.code == 404:
        raise NoSuchGroup(group)
    return _members_of(response.body)


@dataclass
class Change:
    """What one add or remove did."""

    done: list[str] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    #: The members after the last request the hub accepted (None: none was).
    members: list[str] | None = None
    #: Hub requests made.
    requests: int = 0


async def change(
    client: HubClient, token: str, group: str, method: str, names: Sequence[str]
) -> Change:
    """Add (``POST``) or remove (``DELETE``) ``names`` in one request; when
    the hub refuses it (400: JupyterHub refuses a whole list for one unknown
    name), halve it until the names it refuses are found, so that the others
    still apply.

    Parameters
    ----------
    client : HubClient
    token : str
        The requester's own token.
    group : str
    method : str
        ``POST`` or ``DELETE``.
    names : sequence of str
        The hub's spellings.

    Returns
    -------
    Change

    Raises
    ------
    NoSuchGroup
    HubError
        When the hub refuses the token (403), fails, or cannot be reached:
        what was applied before stays applied.
    """
    result = Change()

    async def attempt(chunk: Sequence[str]) -> None:
        result.requests += 1
        response = await client.request(
            method,
            group_path(group, "users"),
            token,
            expect=(200, 400, 404),
            body={"users": list(chunk)},
        )
        if response.code == 404:
            raise NoSuchGroup(group)
        if response.code == 200:
            result.members = _members_of(response.body)
            result.done += chunk
            return
        if len(chunk) == 1:
            result.errors.append(_refusal(chunk[0], response.body))
            return
        middle = len(chunk) // 2
        await attempt(chunk[:middle])
        await attempt(chunk[middle:])

    if names:
        await attempt(list(names))
    return result


def _refusal(name: str, body: Any) -> dict[str, str]:
    """The error of one name the hub refused (400)."""
    message = body.get("message") if isinstance(body, dict) else None
    message = message if isinstance(message, str) else ""
    if message.startswith("No such user"):
        return error(name, "unknown-user", f"JupyterHub has no user {name}.")
    # Shortened: a hub's sentence, shown as text.
    said = message[:200] or "no reason given"
    return error(name, "refused", f"JupyterHub refused {name}: {said}")
