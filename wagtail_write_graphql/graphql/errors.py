"""Formatting of GraphQL errors into the package's error model."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from ..errors import APIError, ErrorCode

if TYPE_CHECKING:
    from collections.abc import Iterator

logger = logging.getLogger("wagtail_write_graphql")

#: Message returned in place of an unexpected exception's own text, which may
#: reveal internals. The exception is logged with its traceback instead.
INTERNAL_ERROR_MESSAGE = "Internal server error."


def _root_cause(error: GraphQLError) -> BaseException | None:
    """Return the exception behind ``error``, through nested GraphQL errors.

    graphql-core wraps a variable's coercion error in a second GraphQLError,
    so the first ``original_error`` is not yet the cause.
    """
    original = error.original_error
    while isinstance(original, GraphQLError):
        original = original.original_error
    return original


def _is_request_error(error: GraphQLError, original: BaseException | None) -> bool:
    """Return whether ``error`` comes from the request rather than from a resolver.

    Errors without a path arise before execution, while parsing the document
    or coercing variables, where a scalar reports bad input as ``ValueError``
    or ``TypeError``.
    """
    if original is None:
        return True
    return error.path is None and isinstance(original, (ValueError, TypeError))


def format_error(error: GraphQLError) -> GraphQLError:
    """Return ``error`` with an ``extensions.code`` from the error model.

    An :class:`APIError` keeps its message and gains its code and field
    errors. A GraphQL syntax, validation or variable error is the client's
    mistake and gets ``BAD_REQUEST``. Any other exception is a server fault:
    its text is replaced by a generic message.
    """
    original = _root_cause(error)
    if isinstance(original, APIError):
        extensions = original.extensions()
        message = original.message
    elif _is_request_error(error, original):
        extensions = {"code": str(ErrorCode.BAD_REQUEST)}
        message = error.message
    else:
        extensions = {"code": str(ErrorCode.INTERNAL_SERVER_ERROR)}
        message = INTERNAL_ERROR_MESSAGE
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=original,
        extensions={**(error.extensions or {}), **extensions},
    )


class ErrorModelExtension(SchemaExtension):
    """Give every error in a result its stable code (see :func:`format_error`)."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [format_error(error) for error in result.errors]


def log_errors(errors: list[GraphQLError], operation_name: str | None) -> None:
    """Log each error once: client mistakes at INFO, server faults with traceback."""
    for error in errors:
        original = _root_cause(error)
        if isinstance(original, APIError) or _is_request_error(error, original):
            code = original.code if isinstance(original, APIError) else ErrorCode.BAD_REQUEST
            logger.info(
                "GraphQL %s rejected with %s: %s (path=%s)",
                operation_name or "operation",
                code,
                error.message,
                error.path,
            )
        else:
            logger.error(
                "GraphQL %s failed at path %s",
                operation_name or "operation",
                error.path,
                exc_info=original,
            )
