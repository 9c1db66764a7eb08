"""Limits on GraphQL requests: document size and shape, batches, files, body size.

The document limits are Strawberry schema extensions. Strawberry builds a new
instance of every extension class for each operation, so each class below
reads its setting in ``__init__`` and ``override_settings`` takes effect on
the next request. The request limits are functions that the view calls
before Strawberry reads the body.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.conf import settings
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
)

from .. import conf
from ..errors import APIError, bad_request

if TYPE_CHECKING:
    from typing import IO

    from django.http import HttpRequest

#: Wagtail's default for ``WAGTAILIMAGES_MAX_UPLOAD_SIZE`` in bytes
#: (``wagtail/images/fields.py``, Wagtail 8.0).
WAGTAIL_DEFAULT_MAX_UPLOAD_SIZE = 10 * 1024 * 1024

#: Bytes allowed on top of the files in a request, for the ``operations`` and
#: ``map`` fields and the multipart part headers.
REQUEST_SIZE_MARGIN = 1024 * 1024


class QueryDepthLimit(QueryDepthLimiter):
    """Strawberry's depth limit, with the maximum read from ``MAX_QUERY_DEPTH``."""

    def __init__(self) -> None:
        super().__init__(max_depth=conf.get_setting("MAX_QUERY_DEPTH"))


class AliasLimit(MaxAliasesLimiter):
    """Strawberry's alias limit, with the maximum read from ``MAX_ALIASES``."""

    def __init__(self) -> None:
        super().__init__(max_alias_count=conf.get_setting("MAX_ALIASES"))


class TokenLimit(MaxTokensLimiter):
    """Strawberry's token limit, with the maximum read from ``MAX_TOKENS``.

    graphql-core counts comments as tokens here, so a document padded with
    comments cannot get around the limit.
    """

    def __init__(self) -> None:
        super().__init__(max_token_count=conf.get_setting("MAX_TOKENS"))


class IntrospectionSwitch(AddValidationRules):
    """Reject ``__schema`` and ``__type`` fields when ``INTROSPECTION`` is off.

    ``__typename`` stays available, because clients such as Apollo add it to
    every selection to tell types apart.
    """

    def __init__(self) -> None:
        rules = [] if conf.get_setting("INTROSPECTION") else [NoSchemaIntrospectionCustomRule]
        super().__init__(rules)


#: Schema extensions that apply the document limits, as classes so that
#: Strawberry builds them, and reads their settings, for every operation.
DOCUMENT_LIMIT_EXTENSIONS = (QueryDepthLimit, AliasLimit, TokenLimit, IntrospectionSwitch)


class RequestTooLarge(APIError):
    """A request body over ``MAX_REQUEST_SIZE``, which the view rejects with HTTP 413."""


def max_request_size() -> int:
    """Return the largest request body accepted, in bytes.

    ``MAX_REQUEST_SIZE`` when set. Otherwise ``MAX_UPLOAD_FILES`` times
    Wagtail's image size limit plus :data:`REQUEST_SIZE_MARGIN`, so every file
    a request may carry can be as large as Wagtail accepts.
    """
    configured = conf.get_setting("MAX_REQUEST_SIZE")
    if configured is not None:
        return configured
    image_limit = getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", WAGTAIL_DEFAULT_MAX_UPLOAD_SIZE)
    if image_limit is None:
        # NOTE: Wagtail then accepts images of any size, but an unbounded
        # request body is unsafe, so the default still applies. A site that
        # needs larger files sets MAX_REQUEST_SIZE.
        image_limit = WAGTAIL_DEFAULT_MAX_UPLOAD_SIZE
    return conf.get_setting("MAX_UPLOAD_FILES") * image_limit + REQUEST_SIZE_MARGIN


def request_too_large(limit: int) -> RequestTooLarge:
    return RequestTooLarge(
        f"The request body is larger than the limit of {limit} bytes. "
        "Send a smaller file, or fewer files per request."
    )


class _SizeLimitedStream(io.IOBase):
    """A request body stream that raises :class:`RequestTooLarge` past ``limit`` bytes."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        super().__init__()
        self._stream = stream
        self._limit = limit
        self._bytes_read = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1, /) -> bytes:
        return self._count(self._stream.read(self._capped(size)))

    def readline(self, size: int | None = -1, /) -> bytes:
        return self._count(self._stream.readline(self._capped(size)))

    def close(self) -> None:
        self._stream.close()
        super().close()

    def _capped(self, size: int | None) -> int:
        # Read at most one byte past the limit, which is enough to detect an
        # oversized body without reading the rest of it.
        remaining = self._limit + 1 - self._bytes_read
        if size is None or size < 0:
            return remaining
        return min(size, remaining)

    def _count(self, data: bytes) -> bytes:
        self._bytes_read += len(data)
        if self._bytes_read > self._limit:
            raise request_too_large(self._limit)
        return data


def limit_request_body(request: HttpRequest) -> None:
    """Reject a request whose body is over :func:`max_request_size`.

    A ``Content-Length`` over the limit is rejected before any of the body is
    read. The body stream is then wrapped, so reading past the limit raises
    :class:`RequestTooLarge` too. Under WSGI, Django never reads more than
    ``Content-Length`` bytes, but an ASGI server buffers the whole body
    whatever the header says and may pass on a body of unknown length.
    """
    limit = max_request_size()
    header = request.META.get("CONTENT_LENGTH")
    if header:
        try:
            length = int(header)
        except ValueError:
            length = -1
        if length < 0:
            raise bad_request(
                f"Invalid Content-Length header {header[:40]!r}: expected a "
                "non-negative integer."
            )
        if length > limit:
            raise request_too_large(limit)
    # NOTE: ``_stream`` is the private attribute that HttpRequest.read() and
    # readline() read the body from (Django 5.2). No public hook receives the raw
    # bytes of both request.body and the multipart parser.
    request._stream = _SizeLimitedStream(request._stream, limit)  # noqa: SLF001


def check_batch(operation_count: int) -> None:
    """Reject a batch unless ``ALLOW_BATCHING`` is on and it is within ``MAX_BATCH_OPERATIONS``."""
    if not conf.get_setting("ALLOW_BATCHING"):
        raise bad_request(
            "Batching is disabled: send one GraphQL operation as a JSON object, not a list."
        )
    if operation_count == 0:
        raise bad_request("The batch is empty: send at least one GraphQL operation.")
    maximum = conf.get_setting("MAX_BATCH_OPERATIONS")
    if operation_count > maximum:
        raise bad_request(
            f"The batch has {operation_count} operations, more than the maximum of {maximum}."
        )


def check_upload_count(file_count: int) -> None:
    """Reject a multipart request with more file parts than ``MAX_UPLOAD_FILES``."""
    maximum = conf.get_setting("MAX_UPLOAD_FILES")
    if file_count > maximum:
        raise bad_request(
            f"The request has {file_count} file parts, more than the maximum of "
            f"{maximum} per request."
        )
