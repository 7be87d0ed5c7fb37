"""Traitlets configuration of the server extension (``c.HubGroupsConfig.*``)."""

from traitlets import Float, List, TraitError, Unicode, validate
from traitlets.config import Configurable


class HubGroupsConfig(Configurable):
    """How the server extension talks to JupyterHub."""

    cache_seconds = Float(
        5.0,
        help="""Seconds a hub answer about one user is reused.

        Exists so that many tabs refreshing together cost one hub request.
        Keep it short: it is how long a membership change may go unseen.
        Between 0 (always ask) and 30.
        """,
    ).tag(config=True)

    hub_timeout = Float(
        5.0,
        help="Seconds to wait for JupyterHub before answering 502 to the browser.",
    ).tag(config=True)

    revalidate_seconds = Float(
        0.0,
        help="""Seconds between fresh checks, with the hub, of every recent
        visitor's access to this server; 0 turns the checks off.

        A visitor who lost access (removed from the project group) has their
        open websockets closed and their next request refused. The hub
        helper turns this on for collaboration accounts' servers. At least 5.
        """,
    ).tag(config=True)

    presence_groups = List(
        Unicode(),
        help="""Hub groups whose members may see who is using this server
        ("People here", GET hub-groups/api/presence), besides the server's
        owner. The hub helper sets it on a collaboration account's server to
        the project's group. Everyone else gets 403.
        """,
    ).tag(config=True)

    presence_timeout = Float(
        20.0,
        help="""Seconds after their last request that a visitor without an
        open connection still counts as present. At least 5.""",
    ).tag(config=True)

    collaboration_account = Unicode(
        "{group}-collab",
        help="""The collaboration account of a project group: the hub user
        whose server the group's members share. Must contain {group}.""",
    ).tag(config=True)

    @validate("collaboration_account")
    def _valid_collaboration_account(self, proposal):
        value = proposal["value"]
        if "{group}" not in value:
            raise TraitError(f"collaboration_account must contain {{group}}, not {value!r}")
        return value

    @validate("presence_timeout")
    def _valid_presence_timeout(self, proposal):
        value = proposal["value"]
        if value < 5:
            raise TraitError(f"presence_timeout must be at least 5, not {value}")
        return value

    @validate("revalidate_seconds")
    def _valid_revalidate_seconds(self, proposal):
        value = proposal["value"]
        if value != 0 and value < 5:
            raise TraitError(f"revalidate_seconds must be 0 (off) or at least 5, not {value}")
        return value

    @validate("cache_seconds")
    def _valid_cache_seconds(self, proposal):
        value = proposal["value"]
        if not 0 <= value <= 30:
            raise TraitError(f"cache_seconds must be between 0 and 30, not {value}")
        return value

    @validate("hub_timeout")
    def _valid_hub_timeout(self, proposal):
        value = proposal["value"]
        if not value > 0:
            raise TraitError(f"hub_timeout must be positive, not {value}")
        return value
