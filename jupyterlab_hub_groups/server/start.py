"""The groups this server's owner held when the server started.

Why this exists: what the hub gives a server comes at its start and stays
until the next one. The collaboration cards need the server's token to
read a project's shared server, and JupyterHub fixes that token's scopes
when it spawns the server (the hub helper adds ``read:servers!user=<account>``
for the owner's projects *then*); a course's kernels and web services come
on ``JUPYTER_PATH`` at the start too. Someone added to a project while
their server runs therefore gets no card for it: the hub answers 404 for an
account the token may not read, exactly as for a group that has no account
(a course), so the collaborations endpoint cannot tell them apart and can
only leave the card out. What it can tell is which groups the owner
*joined since this server started*; the groups report names them and says
that a restart brings what comes with them.

How: once, as the server starts (in the background, never delaying it),
``GET {hub_api}/user`` with the server's own token (``$JUPYTERHUB_API_TOKEN``):
every token may read its owner's name and groups there. A hub that is not
answering yet is asked again a few times; a refusal or a garbled answer is
not (then nothing is known, and nothing is said).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from tornado.ioloop import IOLoop

from ..hub_client import HubClient, HubError
from .identity import parse_user_model

__all__ = ["OwnerAtStart"]


class OwnerAtStart:
    """The owner's name and groups as the hub gave them when this server
    started.

    Parameters
    ----------
    client : HubClient
        The extension's hub client.
    token : str
        This server's own hub token.
    log
        A logger.
    """

    #: How many times to ask a hub that is down, slow or failing.
    tries = 3
    #: Seconds between two tries.
    wait = 5.0

    def __init__(self, client: HubClient, token: str, log: Any):
        self.client = client
        self.token = token
        self.log = log
        #: The owner's name, or None until known.
        self.name: str | None = None
        #: The owner's groups at start, or None until known (or never).
        self.groups: frozenset[str] | None = None
        #: Set once the lookup ended, known or not (tests wait on it).
        self.done = asyncio.Event()
        self._task: asyncio.Future | None = None

    def start(self) -> None:
        """Ask the hub in the background, from the server's event loop."""
        IOLoop.current().add_callback(self._attempt, 1)

    def _attempt(self, attempt: int) -> None:
        # Kept: a task nobody holds may be collected before it ends. The
        # wait before another try is a timer, not a sleeping task: a server
        # that stops meanwhile leaves nothing pending.
        self._task = asyncio.ensure_future(self.learn(attempt))

    async def learn(self, attempt: int = 1) -> None:
        """Ask the hub for the owner's groups (see the module's docstring).

        Parameters
        ----------
        attempt : int
            Which try this is; another is scheduled after a failure of the
            hub (down, slow, an error) until ``tries``.
        """
        try:
            response = await self.client.request("GET", "user", self.token)
            name, groups, _ = parse_user_model(response.body)
        except HubError as e:
            transient = e.reason in ("hub-unreachable", "hub-timeout", "hub-error")
            if transient and attempt < self.tries:
                IOLoop.current().call_later(self.wait, self._attempt, attempt + 1)
                return
            self.log.warning(
                "hub-groups: the owner's groups at this server's start are unknown (%s); "
                "groups joined since will not be named",
                e.message,
            )
        except ValueError as e:
            self.log.warning(
                "hub-groups: JupyterHub's answer about this server's owner was not "
                "understood (%s); groups joined since will not be named",
                e,
            )
        else:
            self.name, self.groups = name, frozenset(groups)
        self.done.set()

    def joined_since(self, name: str, groups: Iterable[str]) -> list[str]:
        """The groups of ``name`` that the owner did not hold at start.

        Parameters
        ----------
        name : str
            The requester.
        groups : iterable of str
            Their groups now, as the hub says.

        Returns
        -------
        list of str
            Sorted; empty for anyone but the owner (a visitor's own server
            is elsewhere) and while the groups at start are unknown.
        """
        if self.groups is None or name != self.name:
            return []
        return sorted(set(groups) - self.groups)
