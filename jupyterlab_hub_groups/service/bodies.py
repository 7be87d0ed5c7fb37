"""What the ``hub-groups`` service reads from request bodies: the message
of a request to join a course, and the names of a decision, checked before
anything is stored or sent to the hub.

Why a module of its own: these are the only texts a person types that the
service keeps (messages are shown to instructors, in JupyterLab and in an
e-mail; a decline's reason to its student), so their rules are in one place: plain text, bounded sizes, and a
body too large refused before it is read.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from .api_error import bad_request

#: At most this many characters in a message, after trimming.
MAX_MESSAGE = 500
#: A request body larger than this is refused before it is read (a message
#: of 500 characters, JSON-escaped, is far smaller).
MAX_MESSAGE_BODY = 64 * 1024
#: At most this many names in one approve or decline.
MAX_USERS = 5000
#: A body of names larger than this is refused before it is read.
MAX_USERS_BODY = 4 * 1024 * 1024

#: Bidirectional overrides and isolates: they make text read in another
#: order than it is stored ("approve" shown for "evorppa").
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _json_object(body: bytes, limit: int) -> dict[str, Any]:
    """A request body that must be one JSON object (an empty body: ``{}``)."""
    if len(body) > limit:
        raise bad_request(f"The request is larger than {limit} bytes.")
    if not body.strip():
        return {}
    try:
        data = json.loads(body.decode("utf8"))
    except (UnicodeDecodeError, ValueError):
        raise bad_request("The request is not JSON.") from None
    except RecursionError:
        raise bad_request("The request is nested too deeply.") from None
    if not isinstance(data, dict):
        raise bad_request("The request must be a JSON object.")
    return data


def parse_message(body: bytes) -> str | None:
    """The message of ``POST courses/<g>/requests``: ``{"message": str?}``.

    Plain text: trimmed, Windows line ends made ``\\n``, at most
    :data:`MAX_MESSAGE` characters; no control characters but the line
    break, no bidirectional overrides, no lone surrogates. Empty: None.

    Parameters
    ----------
    body : bytes

    Returns
    -------
    str or None

    Raises
    ------
    ApiError
        400 ``bad-request``, saying why.
    """
    return _plain_text(_json_object(body, MAX_MESSAGE_BODY).get("message"), "message")


def _plain_text(value: Any, what: str) -> str | None:
    """A message or a reason, checked as :func:`parse_message` says."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise bad_request(f"The {what} must be text.")
    value = value.replace("\r\n", "\n").strip()
    if len(value) > MAX_MESSAGE:
        raise bad_request(f"A {what} has at most {MAX_MESSAGE} characters.")
    for ch in value:
        category = unicodedata.category(ch)
        if (category == "Cc" and ch != "\n") or category == "Cs":
            raise bad_request(f"A {what} cannot contain control characters (but line breaks).")
    if _BIDI_CONTROLS.search(value):
        raise bad_request(f"A {what} cannot contain text direction overrides.")
    return value or None


def parse_users(body: bytes) -> list[str]:
    """The names of ``POST courses/<g>/requests/approve|decline``:
    ``{"users": [str, ...]}``, at most :data:`MAX_USERS`, duplicates folded.

    Raises
    ------
    ApiError
        400 ``bad-request`` for anything but a list of strings.
    """
    return _users(_json_object(body, MAX_USERS_BODY))


def _users(data: dict[str, Any]) -> list[str]:
    users = data.get("users")
    if not isinstance(users, list) or not all(isinstance(u, str) for u in users):
        raise bad_request('The request must be {"users": [names]}.')
    if len(users) > MAX_USERS:
        raise bad_request(f"At most {MAX_USERS} names per request.")
    return list(dict.fromkeys(users))


def parse_decision(body: bytes) -> tuple[list[str], str | None]:
    """The names of a decision and, for a decline, its optional reason:
    ``{"users": [str, ...], "reason": str?}``, the reason checked as a
    message is (:func:`parse_message`: the student reads it).

    Raises
    ------
    ApiError
        400 ``bad-request``, saying why.
    """
    data = _json_object(body, MAX_USERS_BODY)
    return _users(data), _plain_text(data.get("reason"), "reason")
