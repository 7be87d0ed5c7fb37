"""``GET me[?max_age=<seconds>|?refresh=1]``: name, display name and hub
groups of the requester.

Why: JupyterLab's identity API (``/api/me``) carries no hub groups; this
answers them for the *requesting* user (on a shared server, the visitor,
not the owner), asking the hub with the token that authenticated the
request. Outside a hub it says so (``source: no-hub``). It also carries
``spawn_problems``: what the hub found wrong with this server's start
(``HubGroupsConfig.spawn_problems``), for the groups report to show; and
``hub_groups_service``: whether the requester's token may call the hub's
``hub-groups`` service (it holds ``access:services!service=hub-groups``,
which the hub gives only where the service takes requests), so that the
browser asks the service only where it exists. The scopes themselves are
not sent. And ``joined_since_start``: for the server's owner, the groups
they joined after this server started (:mod:`..start`), whose shared
server, kernels and services come only with a restart.

With ``startup=1`` (the page's first ``me``) the answer also carries
``startup``: the first answer of each other plugin of the page
(:mod:`..startup`), so that a page load makes one request here and one hub
lookup.

How fresh: an answer of the hub is reused for ``cache_seconds`` (a few
seconds: many tabs refreshing together cost one hub request). A client that
needs fresher groups says how old an answer it accepts: ``max_age=1`` on
window focus, ``max_age=0`` (or the older ``refresh=1``) to ask the hub now.
Concurrent requests for one token still share one hub request.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone

import tornado

from ..startup import startup_answer
from .base import HubGroupsHandler


def parse_max_age(max_age: str | None, refresh: str | None) -> float | None:
    """How old a cached answer the request accepts.

    Parameters
    ----------
    max_age : str or None
        The ``max_age`` argument: seconds, 0 or more (``0``, ``1``, ``2.5``).
    refresh : str or None
        The ``refresh`` argument: anything but ``""``, ``0`` or ``false``
        means ``max_age=0``.

    Returns
    -------
    float or None
        Seconds; None when the request says nothing (then ``cache_seconds``).

    Raises
    ------
    ValueError
        With a sentence, when ``max_age`` is not a finite number of seconds
        of 0 or more.
    """
    seconds = None
    if max_age is not None:
        try:
            seconds = float(max_age)
        except ValueError:
            seconds = math.nan
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError(f"max_age must be a number of seconds, 0 or more, not {max_age!r}.")
    if refresh is not None and refresh not in ("", "0", "false"):
        return 0.0
    return seconds


def parse_flag(name: str, value: str | None) -> bool:
    """A yes/no query argument: absent, ``0`` or ``false`` is no, ``1`` or
    ``true`` yes.

    Raises
    ------
    ValueError
        With a sentence, for anything else.
    """
    if value is None or value in ("0", "false"):
        return False
    if value in ("", "1", "true"):
        return True
    raise ValueError(f"{name} must be 1 or 0, not {value!r}.")


class MeHandler(HubGroupsHandler):
    """``GET me``: name, display name and hub groups of the requester."""

    @tornado.web.authenticated
    async def get(self) -> None:
        try:
            max_age = parse_max_age(
                self.get_argument("max_age", None), self.get_argument("refresh", None)
            )
            startup = parse_flag("startup", self.get_argument("startup", None))
        except ValueError as e:
            self.refuse(400, "bad-request", str(e))
            return
        user = self.current_user
        if not self.under_hub:
            # Plain `jupyter lab`: there are no hub groups to report.
            self.reply(
                200,
                {
                    "name": user.username,
                    "display_name": user.display_name,
                    "groups": [],
                    "server_owner": None,
                    "source": "no-hub",
                    "fetched_at": datetime.now(timezone.utc).isoformat(),
                    "spawn_problems": self.hub_groups_config.spawn_problems,
                    "hub_groups_service": False,
                    "joined_since_start": [],
                    **({"startup": None} if startup else {}),
                },
            )
            return
        identity = await self.requester(max_age)
        if identity is None:
            return
        body = identity.to_json()
        body.update(
            display_name=user.display_name or identity.name,
            server_owner=self.hub_groups_config.server_owner or None,
            source="hub",
            spawn_problems=self.hub_groups_config.spawn_problems,
            joined_since_start=(
                self.owner.joined_since(identity.name, identity.groups) if self.owner else []
            ),
        )
        if startup:
            body["startup"] = await startup_answer(
                self.hub_groups_config,
                identity,
                me=user.username,
                visitors=self.visitors,
                projects=self.project_servers(),
                log=self.log,
            )
        self.reply(200, body)
