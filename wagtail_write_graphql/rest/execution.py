"""Running a GraphQL document for a REST request.

The result's first error becomes an :class:`~wagtail_write_graphql.errors.APIError`
again, rebuilt from the error's ``extensions``, so the REST view maps the
same ``code`` and field errors that a GraphQL client receives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import APIError, ErrorCode, FieldError
from ..graphql.context import APIContext
from ..graphql.errors import INTERNAL_ERROR_MESSAGE
from ..graphql.schema import schema

if TYPE_CHECKING:
    from collections.abc import Mapping

    from django.http import HttpRequest
    from graphql import GraphQLError

    from ..auth import Credentials


def api_error_from_graphql(error: GraphQLError) -> APIError:
    """Rebuild the error model from a formatted GraphQL error.

    ``ErrorModelExtension`` gives every error an ``extensions.code``. An error
    without a known code is treated as a server fault and keeps no message.
    """
    extensions = error.extensions or {}
    try:
        code = ErrorCode(extensions.get("code"))
    except ValueError:
        return APIError(INTERNAL_ERROR_MESSAGE, ErrorCode.INTERNAL_SERVER_ERROR)
    fields = [
        FieldError(field=item["field"], code=item["code"], message=item["message"])
        for item in extensions.get("fields", [])
    ]
    return APIError(error.message, code, fields)


def execute(
    document: str,
    variables: Mapping[str, Any],
    request: HttpRequest,
    credentials: Credentials,
) -> dict[str, Any]:
    """Execute ``document`` as the request's user and return its ``data``.

    Raises the first GraphQL error as an ``APIError``. The schema has already
    logged every error, so this function does not log them again.
    """
    result = schema.execute_sync(
        document,
        variable_values=dict(variables),
        context_value=APIContext(request=request, credentials=credentials),
    )
    if result.errors:
        raise api_error_from_graphql(result.errors[0])
    if result.data is None:
        raise APIError(INTERNAL_ERROR_MESSAGE, ErrorCode.INTERNAL_SERVER_ERROR)
    return result.data
