"""Cut off visitors whose access to this server was taken away at the hub.

Why this exists: a single-user server trusts a visitor's hub identity for
``HubOAuth.cache_max_age`` (300 s), and an open websocket (a collaboration
room, a kernel) is never checked again at all. So removing someone from a
project group at the hub does not stop them from editing, or running code
as the collaboration account, in a session they already have open.

With ``c.HubGroupsConfig.revalidate_seconds > 0`` (the hub helper sets it on
collaboration accounts' servers, and on people's own servers when they may
share them: a share revoked), every ``revalidate_seconds`` the server
extension asks the hub afresh (``GET /hub/api/user`` with each recent
visitor's own token, through :mod:`jupyterlab_hub_groups.hub_client`) whether that visitor
still holds this server's access scopes
(``HubAuth.access_scopes``). Then:

- the user lost access: **everything of that user name** is cut off
  (:meth:`.VisitorLog.cut_off_user`): every websocket of every session
  closed with code 4403, those still in their handshake as soon as they
  open, and every HubAuth cache entry of that user dropped, whatever token
  or cookie it came from, so that their next request asks the hub and is
  refused (403);
- the token itself is no longer valid (the hub refuses it: logged out,
  expired, deleted): that session only is cut off
  (:meth:`.VisitorLog.cut_off_token`), the user's other sessions are kept;
- the hub is down, slow or answers garbage: nobody is cut off for that, and
  the round stops (the next one tries again).

Costs one hub request per recent session per interval, the owner's aside
(a server's owner keeps it: on one's own server nothing is asked until it
is shared); sessions unseen for
longer than the hub identity cache and with no open websocket are
forgotten (:class:`.VisitorLog`'s ``keep_seconds``).
"""

from __future__ import annotations

import os
from typing import Any

from jupyterhub.services.auth import check_scopes
from tornado.ioloop import PeriodicCallback

from ..hub_client import HubClient, HubError
from .visitors import CLOSE_REVOKED, VisitorLog

__all__ = ["CLOSE_REVOKED", "AccessRevalidator"]


class AccessRevalidator:
    """Re-checks recent visitors' access with the hub, and cuts off the ones
    who lost it.

    Parameters
    ----------
    visitors : VisitorLog
        The server's visitor log (installed).
    interval : float
        Seconds between checks.
    log
        A logger.
    client : HubClient, optional
        The extension's hub client; one for ``visitors.hub_auth`` by default.
    """

    def __init__(
        self, visitors: VisitorLog, interval: float, log: Any, client: HubClient | None = None
    ):
        self.visitors = visitors
        self.hub_auth = visitors.hub_auth
        self.interval = interval
        self.log = log
        self.client = client or HubClient.for_hub_auth(self.hub_auth, timeout=5.0)
        # the server's owner (JupyterHub names it to the server): on one's
        # own server only the people it is shared with are re-checked
        self.owner = os.environ.get("JUPYTERHUB_USER")
        self._callback: PeriodicCallback | None = None
        self._running = False

    def start(self) -> None:
        """Check every ``interval`` seconds from now on."""
        self._callback = PeriodicCallback(self.revalidate, self.interval * 1000)
        self._callback.start()

    def stop(self) -> None:
        if self._callback is not None:
            self._callback.stop()

    async def revalidate(self) -> None:
        """Check every recent session once."""
        if self._running:
            return
        self._running = True
        try:
            for key, visitor in list(self.visitors.visitors.items()):
                if not visitor.token or key not in self.visitors.visitors:
                    continue  # no hub token, or cut off earlier in this round
                if visitor.name == self.owner:
                    continue  # a server's owner keeps it: no hub request for them
                try:
                    model = await self._model(visitor.token)
                except HubError as e:
                    # The hub is down or slow: nobody is cut off for that.
                    self.log.warning("hub-groups: could not re-check visitors: %s", e.message)
                    return
                if model is None or model["name"] != visitor.name:
                    closed = self.visitors.cut_off_token(key)
                    self.log.warning(
                        "hub-groups: a session of %s is no longer valid; "
                        "closed %d connection(s)",
                        visitor.name,
                        closed,
                    )
                elif not check_scopes(self.hub_auth.access_scopes, set(model["scopes"])):
                    closed = self.visitors.cut_off_user(visitor.name)
                    self.log.warning(
                        "hub-groups: %s no longer has access to this server; "
                        "closed %d connection(s)",
                        visitor.name,
                        closed,
                    )
        finally:
            self._running = False

    async def _model(self, token: str) -> dict[str, Any] | None:
        """The hub's user model for ``token``; None when the hub refuses it."""
        try:
            response = await self.client.request("GET", "user", token)
        except HubError as e:
            if e.reason == "hub-refused":
                return None
            raise
        model = response.body
        if (
            not isinstance(model, dict)
            or not isinstance(model.get("name"), str)
            or not isinstance(model.get("scopes"), list)
        ):
            raise HubError(502, "hub-bad-response", "JupyterHub's user model was not understood.")
        return model
