"""Reading REST requests: query parameters, content types and bodies.

These checks cover only what HTTP adds on top of the GraphQL operation: the
syntax of query parameters, the media type and the body format. Ranges and
field rules stay in the operations, which check them for both surfaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from .. import errors
from ..errors import FieldError
from ..json_input import describe_json_type, load_json_body
from .problems import RequestRejected

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest, QueryDict

#: Largest value a GraphQL ``Int`` can hold: the GraphQL specification
#: defines ``Int`` as a signed 32-bit integer.
GRAPHQL_INT_MAX = 2**31 - 1

#: A query parameter that is a non-negative integer in plain ASCII digits.
_DIGITS_RE = re.compile(r"[0-9]+")

#: Media type of ``POST /images/``.
MULTIPART_FORM_DATA = "multipart/form-data"

#: Media type of ``PATCH /images/{id}/``.
APPLICATION_JSON = "application/json"


@dataclass(frozen=True)
class ListParameters:
    """The query parameters of ``GET /images/``, each ``None`` when absent."""

    search: str | None
    offset: int | None
    limit: int | None

    def variables(self) -> dict[str, Any]:
        """Return the GraphQL variables, leaving out absent parameters."""
        values = {"search": self.search, "offset": self.offset, "limit": self.limit}
        return {name: value for name, value in values.items() if value is not None}


@dataclass(frozen=True)
class Upload:
    """The form fields of ``POST /images/``."""

    file: UploadedFile
    #: ``None`` when the form has no ``title`` field, so the file name is used.
    title: str | None


def _parse_non_negative_int(query: QueryDict, name: str) -> int | None:
    raw = query.get(name)
    if raw is None:
        return None
    if not _DIGITS_RE.fullmatch(raw):
        raise errors.APIError(
            f"Query parameter {name} must be a non-negative integer, not {raw!r}.",
            errors.ErrorCode.BAD_REQUEST,
            [FieldError(name, "invalid", f"{name} must be a non-negative integer.")],
        )
    value = int(raw)
    if value > GRAPHQL_INT_MAX:
        raise errors.APIError(
            f"Query parameter {name} must be at most {GRAPHQL_INT_MAX}, not {value}.",
            errors.ErrorCode.BAD_REQUEST,
            [FieldError(name, "max_value", f"{name} must be at most {GRAPHQL_INT_MAX}.")],
        )
    return value


def parse_list_parameters(query: QueryDict) -> ListParameters:
    """Read ``search``, ``offset`` and ``limit``. Other parameters are ignored."""
    return ListParameters(
        search=query.get("search"),
        offset=_parse_non_negative_int(query, "offset"),
        limit=_parse_non_negative_int(query, "limit"),
    )


def require_content_type(request: HttpRequest, media_type: str) -> None:
    """Raise a 415 rejection unless the body has the media type ``media_type``.

    Parameters such as ``charset`` or ``boundary`` are allowed. The response
    names the accepted type in ``Accept-Patch`` or ``Accept-Post``.
    """
    if request.content_type == media_type:
        return
    sent = request.content_type or "no Content-Type"
    # Accept-Patch (RFC 5789) and Accept-Post (W3C Linked Data Platform)
    # name the media type the method accepts.
    headers = {f"Accept-{request.method.capitalize()}": media_type}
    raise RequestRejected(
        HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
        f"{request.method} {request.path} requires Content-Type {media_type}, "
        f"but the request sent {sent}.",
        headers=headers,
    )


def parse_upload(request: HttpRequest) -> Upload:
    """Read the ``file`` and optional ``title`` fields of a multipart upload."""
    files = request.FILES.getlist("file")
    if not files:
        raise errors.validation_error(
            [
                FieldError(
                    "file",
                    "required",
                    "No file was submitted. Send the image as the multipart file field 'file'.",
                )
            ]
        )
    if len(files) > 1:
        raise errors.bad_request(
            f"The form contains {len(files)} files in field 'file'. Upload one image per request."
        )
    return Upload(file=files[0], title=request.POST.get("title"))


def _read_json_object(request: HttpRequest) -> dict[str, Any]:
    body = load_json_body(request)
    if not isinstance(body, dict):
        raise errors.bad_request(
            f"The request body must be a JSON object, not {describe_json_type(body)}."
        )
    return body


def parse_title_update(request: HttpRequest) -> str:
    """Return the new title from a ``{"title": "..."}`` body.

    Other members of the object are ignored, as in Wagtail's own REST API.
    """
    title = _read_json_object(request).get("title")
    if title is None:
        raise errors.validation_error(
            [
                FieldError(
                    "title",
                    "required",
                    'The body must contain the new title, e.g. {"title": "Updated title"}.',
                )
            ]
        )
    if not isinstance(title, str):
        message = f"title must be a string, not {describe_json_type(title)}."
        raise errors.validation_error([FieldError("title", "invalid", message)])
    return title
