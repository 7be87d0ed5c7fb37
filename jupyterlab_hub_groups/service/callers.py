"""Who may call the ``hub-groups`` service's API at all, besides holding
its access scope: users only, never a collaboration account, and never
with a token issued for someone else's server.

Why a module of its own: every handler of the API (:mod:`.api`,
:mod:`.history_api`, :mod:`.projects_api`) refuses the same callers, and
the rules are tested apart from HTTP.

Standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any


class CallerRules:
    """Who may call at all, besides holding the access scope: users only,
    and never a collaboration account (people run code as it; it asks for
    nobody).

    Parameters
    ----------
    account_regex : str
        Any collaboration account's name (the hub helper's
        ``Settings.account_regex``).
    collaborative_group : str
    """

    def __init__(self, account_regex: str | None, collaborative_group: str | None):
        self.accounts = (
            re.compile(account_regex, re.IGNORECASE | re.DOTALL) if account_regex else None
        )
        self.collaborative_group = collaborative_group

    def refusal(self, model: Mapping[str, Any]) -> tuple[str, str] | None:
        if model.get("kind", "user") != "user":
            return "users-only", "Only users ask to join courses or decide."
        name = model.get("name")
        if not isinstance(name, str) or (self.accounts and self.accounts.fullmatch(name)):
            return "collaboration-account", "A collaboration account cannot use this service."
        if self.collaborative_group and self.collaborative_group in (model.get("groups") or ()):
            return "collaboration-account", "A collaboration account cannot use this service."
        if for_someone_elses_server(name, model.get("scopes") or ()):
            return (
                "foreign-server-token",
                "This token was issued for someone else's server; "
                "use the one of your own server.",
            )
        return None


#: ``access:servers!server=<owner>/<name>`` and ``access:servers!user=<owner>``.
_SERVER_ACCESS = re.compile(r"access:servers!(?:server=([^/]*)/.*|user=(.*))", re.DOTALL)


def for_someone_elses_server(name: str, scopes: Any) -> bool:
    """Whether a token of ``name`` is the page token of another person's
    server: it may open that server, not ``name``'s own ones.

    Why: every user holds ``access:services!service=hub-groups``, and one's
    own server's page token is given it, so every *visitor's* token for a
    server carries it too (JupyterHub gives a visitor the server's allowed
    scopes that the visitor holds). The owner's code sees those tokens (they
    come with every request to the server) and could call this service as
    the visitor: join an open course, ask or withdraw in their name. Such a
    token names the other server and not the visitor's own; a token for
    one's own server, or one's API token (``access:servers!user=<name>``),
    does not.
    """
    owners = set()
    for scope in scopes if isinstance(scopes, (list, tuple)) else ():
        m = _SERVER_ACCESS.fullmatch(scope) if isinstance(scope, str) else None
        if m:
            owners.add(m.group(1) if m.group(1) is not None else m.group(2))
    return bool(owners) and name not in owners
