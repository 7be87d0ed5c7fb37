"""Changing a group's members for someone the hub lets manage it: checking
the names people paste, finding them among the hub's users, and applying a
change in as few hub requests as possible.

Why a module of its own: the course panel sends lists of hundreds of names
(pasted from a spreadsheet, or a CSV file). Asking the hub about each name
would cost hundreds of requests and minutes; here a whole preview or change
costs a handful: the user list once (paginated, kept for a few seconds per
token), the group once, one ``POST`` (or ``DELETE``) with every name. When
the hub refuses such a batch (a user deleted in between, an authenticator
that spells names its own way), halving it finds the names it refuses,
and the rest still applies.

Everything is asked with the *requester's* token: the hub decides what they
may list and change (``list:users``, ``groups!group=<g>``); nothing here
holds more than they do. Names from people are checked before any reaches
the hub (sizes, types, ``/``, control characters), and group names are
escaped whole in the hub's URLs.

No HTTP handler here (see :mod:`.handlers.manage`): the rules can be tested
without a server.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from time import monotonic  # a name of this module: tests set the clock here
from typing import Any
from urllib.parse import quote

from ..group_changes import (  # noqa: F401 (part of this module's interface)
    MAX_NAME_LENGTH,
    Change,
    NoSuchGroup,
    change,
    error,
    group_path,
    has_forbidden_character,
    members,
)
from ..group_changes import user_name_problem as name_problem  # noqa: F401
from .. import contract
from ..hub_client import HubClient, HubError, token_digest
from .identity import HubIdentity, SharedCalls

#: At most this many names in one request (a course of thousands is pasted
#: in parts).
MAX_NAMES = 5000
#: A request body larger than this is refused before it is parsed: 5000
#: names of 255 characters, JSON-escaped, fit with room to spare.
MAX_BODY_BYTES = 4 * 1024 * 1024
#: At most this many completions per request.
MAX_COMPLETIONS = 50
#: Users asked per page of the hub's user list (JupyterHub's default maximum).
PAGE_SIZE = 200
#: A user list longer than this many pages is not followed (a hub that
#: never says "last page" must not keep a request going forever).
MAX_PAGES = 1000
#: Seconds a token's user list is reused: a preview followed by "Add" costs
#: one listing. A name it does not know is looked up in a fresh one.
USER_LIST_SECONDS = 10.0


def account_matcher(pattern: str) -> re.Pattern[str] | None:
    """Any name the collaboration account pattern can give, not only the
    accounts of today's projects (``{group}-collab``: ``<anything>-collab``,
    case-insensitively, as the hub helper's login block has it).

    Parameters
    ----------
    pattern : str
        ``HubGroupsConfig.collaboration_account``, with ``{group}``.

    Returns
    -------
    re.Pattern or None
        For ``fullmatch``; None when the pattern is ``{group}`` alone (it
        would match every name).
    """
    prefix, field, suffix = pattern.partition(contract.GROUP_FIELD)
    if not field or not (prefix or suffix):
        return None
    return re.compile(re.escape(prefix) + ".+" + re.escape(suffix), re.IGNORECASE | re.DOTALL)


def account_problem(name: str, accounts: re.Pattern[str] | None) -> str | None:
    """Why ``name`` may not be added to a group by its managers, as a
    collaboration account's, or None.

    Why: an account is no person; in a course it would get the course's
    kernels on a server that a whole project runs code on. The hub's
    admins add accounts where they belong (the hub helper does).
    """
    if accounts is not None and accounts.fullmatch(name):
        return (
            f"{name} is a project's collaboration account, not a person: "
            "it cannot be added here."
        )
    return None


class BadRequest(ValueError):
    """A request we refuse as a whole (400 ``bad-request``), with a sentence."""


def group_problem(group: str) -> str | None:
    """Why ``group`` (from a URL) may not be sent to the hub, or None.

    Parameters
    ----------
    group : str
        Decoded from the URL.

    Returns
    -------
    str or None
        A sentence for a 400 answer.
    """
    if not group:
        return "The group name is empty."
    if len(group) > MAX_NAME_LENGTH:
        return f"A group name has at most {MAX_NAME_LENGTH} characters."
    if "/" in group:
        return "A group name here cannot contain '/'."
    if set(group) == {"."}:
        return "A group name cannot be only dots."
    if has_forbidden_character(group):
        return "A group name cannot contain control or invisible characters."
    return None


def parse_names(body: bytes) -> list[str]:
    """The names of a ``{"names": [...]}`` request body, trimmed, blanks
    dropped, duplicates folded (case-insensitively, as JupyterHub lowercases
    names; the first spelling is kept), in the order given.

    Parameters
    ----------
    body : bytes

    Returns
    -------
    list of str

    Raises
    ------
    BadRequest
        When the body is too large, not JSON, not an object with a list
        ``names`` of at most :data:`MAX_NAMES` strings, or one name is longer
        than :data:`MAX_NAME_LENGTH` characters after trimming.
    """
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest(f"The request is larger than {MAX_BODY_BYTES // (1024 * 1024)} MiB.")
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("The request body is not JSON.") from None
    except RecursionError:
        # ``[[[[...]]]]`` nested deeper than Python's parser goes
        raise BadRequest("The request body is nested too deeply.") from None
    if not isinstance(data, dict) or not isinstance(data.get("names"), list):
        raise BadRequest('The request body must be {"names": [...]}.')
    raw = data["names"]
    if len(raw) > MAX_NAMES:
        raise BadRequest(f"At most {MAX_NAMES} names at once, not {len(raw)}.")
    names: list[str] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        if not isinstance(item, str):
            raise BadRequest(f"names[{i}] must be a string, not {_kind(item)}.")
        name = item.strip()
        if len(name) > MAX_NAME_LENGTH:
            raise BadRequest(f"names[{i}] is longer than {MAX_NAME_LENGTH} characters.")
        if not name or name.lower() in seen:
            continue
        seen.add(name.lower())
        names.append(name)
    return names


def _kind(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        bool: "true or false",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def parse_completion(prefix: str | None, limit: str | None) -> tuple[str, int]:
    """The ``prefix`` and ``limit`` arguments of a completion request.

    Parameters
    ----------
    prefix : str or None
        What was typed so far (trimmed); at most :data:`MAX_NAME_LENGTH`
        characters, no control characters.
    limit : str or None
        1 to :data:`MAX_COMPLETIONS`; 20 when absent.

    Returns
    -------
    tuple
        ``(prefix, limit)``.

    Raises
    ------
    BadRequest
    """
    text = (prefix or "").strip()
    if len(text) > MAX_NAME_LENGTH or has_forbidden_character(text):
        raise BadRequest(
            f"prefix must be at most {MAX_NAME_LENGTH} characters, without control characters."
        )
    if limit is None:
        return text, 20
    try:
        n = int(limit)
    except ValueError:
        n = 0
    if not 1 <= n <= MAX_COMPLETIONS:
        raise BadRequest(f"limit must be a whole number from 1 to {MAX_COMPLETIONS}, not {limit!r}.")
    return text, n


def rank_completions(names: Iterable[str], prefix: str, limit: int) -> list[str]:
    """Names containing ``prefix`` (case-insensitively), those starting with
    it first, each part sorted; at most ``limit``.

    The hub's ``name_filter`` is a SQL ``LIKE`` (``_`` and ``%`` match
    anything), so its answer is filtered again here.
    """
    needle = prefix.lower()
    starts, contains = [], []
    for name in sorted(set(names)):
        folded = name.lower()
        if folded.startswith(needle):
            starts.append(name)
        elif needle in folded:
            contains.append(name)
    return (starts + contains)[:limit]


# --- Who is there --------------------------------------------------------------------


@dataclass(frozen=True)
class UserList:
    """The users a token may list, for finding names in it.

    ``names`` is None when the hub does not let the token list users (no
    ``list:users``): then every name is the hub's to check.
    """

    names: frozenset[str] | None
    #: When it arrived, on the monotonic clock.
    at: float
    _lower: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, names: Iterable[str] | None, at: float) -> UserList:
        if names is None:
            return cls(None, at)
        found = frozenset(names)
        lower: dict[str, list[str]] = {}
        for n in found:
            lower.setdefault(n.lower(), []).append(n)
        return cls(found, at, {k: tuple(v) for k, v in lower.items()})

    def find(self, name: str) -> str | None:
        """The hub's spelling of ``name``: the same, or the one user whose
        name is the same lowercased (JupyterHub lowercases names). None when
        there is none (or when the list is unknown)."""
        if self.names is None:
            return None
        if name in self.names:
            return name
        same = self._lower.get(name.lower(), ())
        return same[0] if len(same) == 1 else None


class UserDirectory:
    """Each token's user list, asked once for a few seconds.

    Parameters
    ----------
    client : HubClient
    keep_seconds : float
        How long a list is reused.
    """

    def __init__(self, client: HubClient, keep_seconds: float = USER_LIST_SECONDS):
        self.client = client
        self.keep_seconds = keep_seconds
        self._lists: dict[str, UserList] = {}
        self._in_flight: SharedCalls[UserList] = SharedCalls(self._keep)

    async def find(
        self, token: str, names: Sequence[str]
    ) -> tuple[UserList, dict[str, str | None]]:
        """The hub's spelling of each name (None: no such user), from the
        users ``token`` may list.

        A list kept from an earlier request is trusted for the names it
        knows; if it misses one (who may have been created since), the hub
        is asked for a fresh list.

        Parameters
        ----------
        token : str
            The requester's own token.
        names : sequence of str

        Returns
        -------
        tuple
            ``(users, found)``: the list used, and name → spelling or None.

        Raises
        ------
        HubError
        """
        if not names:
            return UserList.of((), monotonic()), {}
        key = token_digest(token)
        now = monotonic()
        self._lists = {k: v for k, v in self._lists.items() if now - v.at <= self.keep_seconds}
        kept = self._lists.get(key)
        users = kept if kept is not None else await self._fetch_shared(token, key)
        found = {n: users.find(n) for n in names}
        if kept is not None and users.names is not None and None in found.values():
            users = await self._fetch_shared(token, key)
            found = {n: users.find(n) for n in names}
        return users, found

    async def _fetch_shared(self, token: str, key: str) -> UserList:
        """A fresh list; concurrent requests of one token share one."""
        return await self._in_flight.run(key, lambda: self._fetch(token))

    def _keep(self, key: str, users: UserList | None) -> None:
        if users is None:
            self._lists.pop(key, None)
        elif self.keep_seconds > 0:
            self._lists[key] = users

    async def _fetch(self, token: str) -> UserList:
        names: list[str] = []
        offset = 0
        for _ in range(MAX_PAGES):
            response = await self.client.request(
                "GET",
                f"users?limit={PAGE_SIZE}&offset={offset}",
                token,
                expect=(200, 403),
                paginated=True,
            )
            if response.code == 403:
                # The token may not list users: the hub checks each name itself.
                return UserList.of(None, monotonic())
            items, following = _page(response.body, offset)
            names += items
            if following is None:
                return UserList.of(names, monotonic())
            offset = following
        raise HubError(502, "hub-bad-response", "JupyterHub's user list never ended.")

    async def search(self, token: str, prefix: str, limit: int) -> list[str]:
        """Completions for ``prefix``: one page of the hub's filtered list.

        Returns
        -------
        list of str
            Empty when the token may not list users.
        """
        query = f"users?limit={PAGE_SIZE}&offset=0"
        if prefix:
            query += f"&name_filter={quote(prefix, safe='')}"
        response = await self.client.request(
            "GET", query, token, expect=(200, 403), paginated=True
        )
        if response.code == 403:
            return []
        items, _ = _page(response.body, 0)
        return rank_completions(items, prefix, limit)


def _page(body: Any, offset: int) -> tuple[list[str], int | None]:
    """The names of one page of ``GET users``, and the next page's offset
    (None on the last)."""
    if isinstance(body, list):
        # a hub that does not paginate: the whole list at once
        return _names_of(body), None
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        raise HubError(502, "hub-bad-response", "JupyterHub's user list was not understood.")
    names = _names_of(body["items"])
    following = (body.get("_pagination") or {}).get("next")
    if not following or not names:
        return names, None
    after = following.get("offset") if isinstance(following, dict) else None
    if not isinstance(after, int) or isinstance(after, bool) or after <= offset:
        raise HubError(502, "hub-bad-response", "JupyterHub's user list pages did not advance.")
    return names, after


def _names_of(items: list) -> list[str]:
    names = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else None
        if not isinstance(name, str):
            raise HubError(502, "hub-bad-response", "JupyterHub's user list was not understood.")
        names.append(name)
    return names


def manageable(identity: HubIdentity) -> list[str]:
    """The groups the identity's token may manage, that may appear in a URL."""
    return sorted(g for g in contract.managed_groups(identity.scopes) if not group_problem(g))


def manage_answer(identity: HubIdentity, titles: Mapping[str, str]) -> dict[str, Any]:
    """``GET manage``'s answer: the groups the identity may manage, and the
    titles people read for those of them that have one (``titles``: the
    hub helper's, by group)."""
    groups = manageable(identity)
    return {"groups": groups, "titles": {g: titles[g] for g in groups if g in titles}}
