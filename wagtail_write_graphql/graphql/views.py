"""The HTTP endpoint for GraphQL, with GraphiQL for browsers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from strawberry.django.views import GraphQLView

from .. import conf
from ..auth import WWW_AUTHENTICATE, authenticate_request
from ..csrf import enforce_csrf
from ..errors import APIError, ErrorCode
from .context import APIContext
from .schema import schema

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.http.response import HttpResponseBase

#: HTTP status for an error raised before the GraphQL operation runs.
_STATUS_BY_CODE = {
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.BAD_REQUEST: 400,
}


def error_response(error: APIError) -> JsonResponse:
    """Return a GraphQL-shaped error body for a request rejected before execution."""
    response = JsonResponse(
        {"data": None, "errors": [{"message": error.message, "extensions": error.extensions()}]},
        status=_STATUS_BY_CODE.get(error.code, 400),
    )
    if error.code is ErrorCode.UNAUTHENTICATED:
        response["WWW-Authenticate"] = WWW_AUTHENTICATE
    return response


class APIGraphQLView(GraphQLView):
    """Strawberry's Django view with this package's authentication and CSRF rules.

    Authentication runs before the operation, so a bad token gets HTTP 401
    without touching the schema. The view itself is CSRF-exempt (URL conf),
    and :func:`~wagtail_write_graphql.csrf.enforce_csrf` checks the requests
    that use the session cookie.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            credentials = authenticate_request(request)
            enforce_csrf(request, credentials)
        except APIError as exc:
            return error_response(exc)
        request.wagtail_write_credentials = credentials
        return super().dispatch(request, *args, **kwargs)

    def get_context(self, request: HttpRequest, response: HttpResponse) -> APIContext:
        return APIContext(
            request=request,
            credentials=request.wagtail_write_credentials,
            response=response,
        )

    def render_graphql_ide(self, request: HttpRequest) -> HttpResponse:
        if not conf.get_setting("GRAPHIQL"):
            return error_response(APIError("GraphiQL is disabled.", ErrorCode.BAD_REQUEST))
        # GraphiQL reads the csrftoken cookie and sends it as X-CSRFToken,
        # so a logged-in editor can run mutations with the session cookie.
        get_token(request)
        return super().render_graphql_ide(request)


def graphql_view() -> Any:
    return APIGraphQLView.as_view(schema=schema, multipart_uploads_enabled=True)
