"""The HTTP endpoint for GraphQL, with GraphiQL for browsers."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from cross_web import HTTPException
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from strawberry.django.views import GraphQLView

from .. import conf
from ..auth import WWW_AUTHENTICATE, authenticate_request
from ..csrf import enforce_csrf
from ..errors import APIError, ErrorCode, bad_request
from . import limits, multipart
from .context import APIContext
from .schema import schema

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.http.response import HttpResponseBase
    from strawberry.http import GraphQLRequestData, GraphQLRequestProtocol

logger = logging.getLogger(__name__)

#: HTTP status for a request body over ``MAX_REQUEST_SIZE`` (RFC 9110, 15.5.14).
HTTP_CONTENT_TOO_LARGE = 413

#: HTTP status for a method other than GET and POST, sent by Strawberry.
HTTP_METHOD_NOT_ALLOWED = 405

#: HTTP status for an error raised before the GraphQL operation runs.
_STATUS_BY_CODE = {
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.BAD_REQUEST: 400,
}


def error_response(error: APIError, status: int | None = None) -> JsonResponse:
    """Return a GraphQL-shaped error body for a request rejected before execution.

    ``status`` replaces the HTTP status that the error's code maps to.
    """
    response = JsonResponse(
        {"data": None, "errors": [{"message": error.message, "extensions": error.extensions()}]},
        status=status or _STATUS_BY_CODE.get(error.code, 400),
    )
    if error.code is ErrorCode.UNAUTHENTICATED:
        response["WWW-Authenticate"] = WWW_AUTHENTICATE
    if response.status_code == HTTP_METHOD_NOT_ALLOWED:
        response["Allow"] = "GET, POST"
    return response


class APIGraphQLView(GraphQLView):
    """Strawberry's Django view with this package's authentication and CSRF rules.

    Authentication runs before the operation, so a bad token gets HTTP 401
    without touching the schema. The view itself is CSRF-exempt (URL conf),
    and :func:`~wagtail_write_graphql.csrf.enforce_csrf` checks the requests
    that use the session cookie. The body size limit applies before either,
    and the body is validated after them, before Strawberry parses it. Every
    rejection, Strawberry's own included, gets the GraphQL-shaped error body
    of :func:`error_response`.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            with multipart.django_parse_errors():
                limits.limit_request_body(request)
                credentials = authenticate_request(request)
                enforce_csrf(request, credentials)
                multipart.validate_request_body(request)
                request.wagtail_write_credentials = credentials
                return self.run(request=request)
        except limits.RequestTooLarge as exc:
            return self._reject(request, exc, HTTP_CONTENT_TOO_LARGE)
        except APIError as exc:
            return self._reject(request, exc)
        except HTTPException as exc:
            # Strawberry's own rejections, such as an unsupported content
            # type, a query sent with PUT, or a mutation sent with GET.
            return self._reject(request, bad_request(exc.reason), exc.status_code)

    def _reject(
        self, request: HttpRequest, error: APIError, status: int | None = None
    ) -> JsonResponse:
        response = error_response(error, status)
        # auth.authenticate_request logs its own rejections.
        if error.code is not ErrorCode.UNAUTHENTICATED:
            logger.info(
                "Rejected a GraphQL request with HTTP %s (%s): %s path=%s",
                response.status_code,
                error.code,
                error.message,
                request.path,
            )
        return response

    def _validate_batch_request(
        self, request_data: list[GraphQLRequestData], protocol: GraphQLRequestProtocol
    ) -> None:
        """Skip Strawberry's batch check, which reads the schema's fixed config.

        :func:`~.multipart.validate_request_body` has already applied
        ``ALLOW_BATCHING`` and ``MAX_BATCH_OPERATIONS`` as set for this
        request. Should Strawberry rename this private hook, its own check
        runs instead and rejects every batch, because the schema has no
        ``batching_config``.
        """

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
