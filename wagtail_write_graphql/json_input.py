"""Decoding of JSON request input with client-facing error messages.

The GraphQL endpoint and the REST shim decode JSON bodies and form fields the
same way, so a client gets the same message for the same mistake on both.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .errors import bad_request

if TYPE_CHECKING:
    from django.http import HttpRequest


def describe_json_type(value: object) -> str:
    """Return the JSON type of a decoded value, with its article, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _object_without_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Build a JSON object, raising :class:`_DuplicateKeyError` on a repeated key."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def load_json(text: str, label: str, *, reject_duplicate_keys: bool = False) -> Any:
    """Decode JSON text, raising ``BAD_REQUEST`` with a message that names ``label``.

    ``label`` names the decoded value in messages, e.g. "The request body".
    """
    hook = _object_without_duplicate_keys if reject_duplicate_keys else None
    try:
        return json.loads(text, object_pairs_hook=hook)
    except _DuplicateKeyError as exc:
        raise bad_request(f"{label} contains the key {exc.key!r} more than once.") from None
    except json.JSONDecodeError as exc:
        raise bad_request(
            f"{label} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from None
    except RecursionError:
        raise bad_request(f"{label} is nested too deeply to parse.") from None
    except ValueError:
        # json raises a plain ValueError for an integer literal longer than
        # Python's limit on integer string conversion (4300 digits by default).
        raise bad_request(f"{label} contains a number with too many digits.") from None


def load_json_body(request: HttpRequest, label: str = "The request body") -> Any:
    """Decode a request body as UTF-8 JSON, raising ``BAD_REQUEST`` when it is not."""
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        raise bad_request(f"{label} is not valid UTF-8.") from None
    return load_json(text, label)
