"""The error model shared by the GraphQL layer and the REST shim.

Domain operations raise :class:`APIError` subclasses. The GraphQL layer turns
each one into a GraphQL error whose ``extensions.code`` is the error's
:class:`ErrorCode`, and the REST shim maps the same code to an HTTP status, so
a client sees the same code whichever surface it calls.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wagtail.utils.forms import FormValidationError


class ErrorCode(enum.StrEnum):
    """Machine-readable error codes, stable across releases."""

    #: No valid credentials were sent, but the operation needs a user.
    UNAUTHENTICATED = "UNAUTHENTICATED"
    #: The user is known but lacks the permission for this operation.
    FORBIDDEN = "FORBIDDEN"
    #: No such object, or one the caller may not see.
    NOT_FOUND = "NOT_FOUND"
    #: Input failed validation; ``fields`` lists each field's Wagtail code.
    VALIDATION_ERROR = "VALIDATION_ERROR"
    #: The request itself is malformed (bad arguments, bad multipart body).
    BAD_REQUEST = "BAD_REQUEST"
    #: The operation conflicts with other content, such as a protected image.
    CONFLICT = "CONFLICT"
    #: An unexpected server fault; details are logged, never returned.
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


@dataclass(frozen=True)
class FieldError:
    """One validation message on one input field, with Wagtail's error code."""

    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


@dataclass
class APIError(Exception):
    """An error a client caused or may act on, with its stable code."""

    message: str
    code: ErrorCode = ErrorCode.BAD_REQUEST
    fields: list[FieldError] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def extensions(self) -> dict[str, Any]:
        """Return the ``extensions`` object of the matching GraphQL error."""
        extensions: dict[str, Any] = {"code": str(self.code)}
        if self.fields:
            extensions["fields"] = [error.as_dict() for error in self.fields]
        return extensions


def unauthenticated() -> APIError:
    return APIError("Authentication required.", ErrorCode.UNAUTHENTICATED)


def forbidden(message: str = "You do not have permission to do this.") -> APIError:
    return APIError(message, ErrorCode.FORBIDDEN)


def image_not_found(image_id: object) -> APIError:
    return APIError(f"No image with id {image_id!s} was found.", ErrorCode.NOT_FOUND)


def bad_request(message: str) -> APIError:
    return APIError(message, ErrorCode.BAD_REQUEST)


def validation_error(fields: list[FieldError], message: str = "") -> APIError:
    if not message:
        message = "; ".join(f"{error.field}: {error.message}" for error in fields)
        message = f"Invalid input. {message}"
    return APIError(message, ErrorCode.VALIDATION_ERROR, fields)


def from_form_validation_error(exc: FormValidationError) -> APIError:
    """Convert Wagtail's form error, keeping each field's own error code."""
    fields = [
        FieldError(".".join(str(part) for part in path), code, message)
        for path, coded_messages in exc.loc_errors
        for message, code in coded_messages
    ]
    return validation_error(fields)
