"""The one shape of a refusal: ``{"error": code, "message": sentence, ...}``,
as every endpoint of ours answers it (the server extension's handlers, the
hub client's failures, the ``hub-groups`` service), and as the entries of a
change's or a decision's ``errors`` carry it beside the name concerned.

Why a module of its own: the browser reads every refusal the same way (the
code to decide on, the sentence to show), whichever side answered; built
in one place, no answer spells it differently. Standard library only: the
server side and the hub side both import it.
"""

from __future__ import annotations

from typing import Any


def refusal(code: str, message: str, **extra: Any) -> dict[str, Any]:
    """The JSON of a refusal.

    Parameters
    ----------
    code : str
        Machine-readable: ``not-a-manager``, ``hub-unreachable``...
    message : str
        A sentence for a person.
    **extra
        More keys of the answer (``retry_after``), after those two.

    Returns
    -------
    dict
        ``{"error": code, "message": message, **extra}``.
    """
    return {"error": code, "message": message, **extra}
