"""A refusal of the ``hub-groups`` service's API, raised wherever it is
found (the rules, the parsing of a body, authentication) and answered by
the API's handler (:mod:`.api`) as :func:`~jupyterlab_hub_groups.refusal.refusal`
JSON.

Needs tornado only.
"""

from __future__ import annotations

from typing import Any

from tornado.web import HTTPError

from ..refusal import refusal


class ApiError(HTTPError):
    """A refusal, as the API answers it: ``{"error", "message", ...}``
    (an ``HTTPError``: raised anywhere in a handler, tornado answers it,
    without logging a traceback).

    Parameters
    ----------
    status : int
    error : str
        The machine-readable code.
    message : str
        A sentence for a person.
    extra : mapping, optional
        More keys of the answer (``retry_after``).
    """

    def __init__(self, status: int, error: str, message: str, **extra: Any):
        super().__init__(status)
        self.status = status
        self.error = error
        self.message = message
        self.extra = extra

    def to_json(self) -> dict[str, Any]:
        return refusal(self.error, self.message, **self.extra)


def bad_request(message: str) -> ApiError:
    """A 400 ``bad-request`` refusal saying ``message``."""
    return ApiError(400, "bad-request", message)
