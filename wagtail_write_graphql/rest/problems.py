"""RFC 9457 problem details, the one error shape of every REST response.

Every failure becomes a :class:`Problem`: errors from an operation through
``STATUS_BY_CODE``, and rejections of the HTTP request itself (wrong method,
wrong content type, unreadable body) through :class:`RequestRejected`, which
carries its own status.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from django.http import JsonResponse

from ..auth import WWW_AUTHENTICATE
from ..errors import APIError, ErrorCode, FieldError

#: Media type of every error response (RFC 9457 section 3).
PROBLEM_CONTENT_TYPE = "application/problem+json"

#: Problem type of every error. With ``about:blank`` the ``title`` is the
#: HTTP status phrase, and ``code`` distinguishes the errors.
PROBLEM_TYPE = "about:blank"

#: HTTP status for each error code of the error model.
STATUS_BY_CODE: dict[ErrorCode, HTTPStatus] = {
    ErrorCode.BAD_REQUEST: HTTPStatus.BAD_REQUEST,
    ErrorCode.UNAUTHENTICATED: HTTPStatus.UNAUTHORIZED,
    ErrorCode.FORBIDDEN: HTTPStatus.FORBIDDEN,
    ErrorCode.NOT_FOUND: HTTPStatus.NOT_FOUND,
    ErrorCode.CONFLICT: HTTPStatus.CONFLICT,
    ErrorCode.VALIDATION_ERROR: HTTPStatus.UNPROCESSABLE_ENTITY,
    ErrorCode.INTERNAL_SERVER_ERROR: HTTPStatus.INTERNAL_SERVER_ERROR,
}

#: Wagtail field error codes that give a validation error a more precise
#: status than 422. ``file_too_large`` means WAGTAILIMAGES_MAX_UPLOAD_SIZE.
STATUS_BY_FIELD_CODE: dict[str, HTTPStatus] = {
    "file_too_large": HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
}


@dataclass
class RequestRejected(Exception):
    """An HTTP request rejected before any operation runs, with its own status."""

    status: HTTPStatus
    detail: str
    code: ErrorCode = ErrorCode.BAD_REQUEST
    #: Response headers that tell the client what to send instead, such as
    #: ``Allow`` on a 405 or ``Accept-Patch`` on a 415 to a PATCH.
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.detail)


@dataclass(frozen=True)
class Problem:
    """One problem details object and the HTTP status it is sent with."""

    status: HTTPStatus
    code: ErrorCode
    detail: str
    errors: list[FieldError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_api_error(cls, error: APIError) -> Problem:
        status = STATUS_BY_CODE.get(error.code, HTTPStatus.INTERNAL_SERVER_ERROR)
        if error.code is ErrorCode.VALIDATION_ERROR:
            for field_error in error.fields:
                status = STATUS_BY_FIELD_CODE.get(field_error.code, status)
        return cls(status, error.code, error.message, list(error.fields))

    @classmethod
    def from_rejection(cls, rejection: RequestRejected) -> Problem:
        return cls(
            rejection.status, rejection.code, rejection.detail, headers=dict(rejection.headers)
        )

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": PROBLEM_TYPE,
            "title": self.status.phrase,
            "status": int(self.status),
            "detail": self.detail,
            "code": str(self.code),
        }
        if self.errors:
            body["errors"] = [error.as_dict() for error in self.errors]
        return body

    def to_response(self) -> JsonResponse:
        """Return the response, with ``WWW-Authenticate`` on a 401 (RFC 9110 section 15.5.2)."""
        response = JsonResponse(
            self.to_json(), status=int(self.status), content_type=PROBLEM_CONTENT_TYPE
        )
        if self.status is HTTPStatus.UNAUTHORIZED:
            response["WWW-Authenticate"] = WWW_AUTHENTICATE
        for name, value in self.headers.items():
            response[name] = value
        return response
