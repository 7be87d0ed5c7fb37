"""The shared servers of the requester's projects: their status, and stop.

``GET {base_url}hub-groups/api/collaborations`` lists, for each hub group of
the *requesting* user, the collaboration account ``<group>-collab`` (the
pattern is ``HubGroupsConfig.collaboration_account``) if the hub shows it,
with its server's status. ``POST .../collaborations/<account>/start`` and
``.../stop`` start and stop that server.

Why through this server: the hub is asked with this server's own token
(``$JUPYTERHUB_API_TOKEN``), whose scopes JupyterHub resolves against the
server owner's own permissions (``Spawner.server_token_scopes``, to which
the hub helper adds ``read:servers``, ``start:servers`` and
``delete:servers``, each ``!user=<account>``, for the accounts of the
owner's projects only). So it can never do more than the owner could, nor touch any server
but a project's shared one; and the requester's own membership of
the project is checked here with a fresh lookup, since on a shared server
the requester is not always the owner. Starting is done here too, not on
the hub's spawn page (which shows the account's name and "Logout" as if
one were logged in as it): the page follows the state and opens the
server once it runs.

Account names come from group names (which anyone able to create groups
chooses) and from the URL: only names made of ASCII letters, digits and
``._@+-`` are ever sent to the hub (escaped all the same); others are
refused (400) or skipped.
"""

from __future__ import annotations

import tornado

from ...hub_client import HubError
from ..projects import ACTIONS, is_account_name
from .base import HubGroupsHandler


class _ProjectsHandler(HubGroupsHandler):
    """What both routes share: the requester's groups, and the account of a
    group. No HTTP method of its own, so that neither route answers a
    method the other serves."""

    async def _requester_groups(self) -> tuple[str, list[str]] | None:
        if not self.under_hub:
            degraded = {"code": "no-hub", "message": "Not running under JupyterHub."}
            self.reply(200, {"collaborations": [], "degraded": degraded})
            return None
        identity = await self.requester()
        return None if identity is None else (identity.name, list(identity.groups))


class CollaborationsHandler(_ProjectsHandler):
    """``GET collaborations``: the requester's projects' shared servers
    (:class:`..projects.ProjectServers`)."""

    @tornado.web.authenticated
    async def get(self) -> None:
        who = await self._requester_groups()
        if who is None:
            return
        _, groups = who
        self.reply(200, await self.project_servers().answer(groups))


class CollaborationActionHandler(_ProjectsHandler):
    """``POST collaborations/<account>/start`` and ``.../stop``."""

    @tornado.web.authenticated
    async def post(self, account: str, action: str) -> None:
        if action not in ACTIONS:
            self.refuse(404, "unknown-action", "The actions are start and stop.")
            return
        if not is_account_name(account):
            # Refused before anything else: never looked up, never sent on.
            self.refuse(400, "bad-account", "That is not an account name.")
            return
        who = await self._requester_groups()
        if who is None:
            return
        name, groups = who
        if not any(self.project_servers().account_of(g) == account for g in groups):
            self.refuse(403, "not-a-member", f"{name} is not in the project of {account}.")
            return
        try:
            status = await self.project_servers().act(account, action)
        except HubError as e:
            self.fail(e)
            return
        if status is None:
            self.refuse(
                403,
                "hub-refused",
                f"JupyterHub does not let this server {action} that one "
                "(see Spawner.server_token_scopes; a server started before "
                "its token could do this needs a restart).",
            )
            return
        self.log.info("hub-groups: %s asked to %s the server of %s", name, action, account)
        self.reply(200, {"account": account, "status": status})
