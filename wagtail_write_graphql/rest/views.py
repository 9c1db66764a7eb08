"""The REST endpoints: HTTP in, one GraphQL operation, the documented JSON out.

Each handler authenticates like the GraphQL endpoint, reads the request,
runs its document from :mod:`.documents` and maps the result with
:mod:`.representations`. Every failure becomes a problem details response.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, NoReturn

from django.http import HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.views import View

from ..auth import authenticate_request
from ..csrf import enforce_csrf
from ..errors import APIError, ErrorCode
from ..graphql import limits, multipart
from . import documents
from .execution import execute
from .parsing import (
    APPLICATION_JSON,
    MULTIPART_FORM_DATA,
    parse_list_parameters,
    parse_title_update,
    parse_upload,
    require_content_type,
)
from .problems import Problem, RequestRejected
from .representations import ImageListRepresentation, ImageRepresentation

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.http.response import HttpResponseBase

    from ..auth import Credentials

logger = logging.getLogger(__name__)

#: Name of the URL pattern that matches every unknown path under the mount.
NOT_FOUND_URL_NAME = "not-found"


class APIView(View):
    """Base view that turns every rejection into a problem details response.

    Resolver exceptions reach it as ``INTERNAL_SERVER_ERROR`` problems. An
    exception of any other type is a bug in the shim itself: it is logged with
    its traceback and returned as a 500 problem, so an API client never
    gets Django's HTML error page.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            # Django's errors from reading the body become APIErrors here,
            # with the same messages as on the GraphQL endpoint.
            with multipart.django_parse_errors():
                limits.limit_request_body(request)
                return super().dispatch(request, *args, **kwargs)
        except limits.RequestTooLarge as exc:
            problem = Problem(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, exc.code, exc.message)
        except APIError as exc:
            problem = Problem.from_api_error(exc)
        except RequestRejected as exc:
            problem = Problem.from_rejection(exc)
        except Exception:
            # The outermost boundary of the shim: log the fault once, with its
            # traceback, and keep the response in the API's error format.
            logger.exception("REST %s %s failed", request.method, request.path)
            problem = Problem(
                HTTPStatus.INTERNAL_SERVER_ERROR,
                ErrorCode.INTERNAL_SERVER_ERROR,
                "Internal server error.",
            )
            return problem.to_response()
        if problem.status >= HTTPStatus.INTERNAL_SERVER_ERROR:
            # The schema logged the fault with its traceback already.
            logger.warning(
                "REST %s %s failed with %s", request.method, request.path, int(problem.status)
            )
        else:
            logger.info(
                "REST %s %s rejected with %s %s: %s",
                request.method,
                request.path,
                int(problem.status),
                problem.code,
                problem.detail,
            )
        return problem.to_response()

    def http_method_not_allowed(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> NoReturn:
        allowed = ", ".join(self._allowed_methods())
        raise RequestRejected(
            HTTPStatus.METHOD_NOT_ALLOWED,
            f"Method {request.method} is not allowed on {request.path}. Allowed: {allowed}.",
            headers={"Allow": allowed},
        )

    def authenticate(self, request: HttpRequest) -> Credentials:
        """Authenticate as the GraphQL endpoint does, with CSRF for session writes."""
        credentials = authenticate_request(request)
        enforce_csrf(request, credentials)
        return credentials


class ImageListView(APIView):
    """``GET /images/`` lists images, ``POST /images/`` uploads one."""

    http_method_names = ["get", "post", "head", "options"]

    def get(self, request: HttpRequest) -> JsonResponse:
        credentials = self.authenticate(request)
        parameters = parse_list_parameters(request.GET)
        try:
            data = execute(documents.LIST_IMAGES, parameters.variables(), request, credentials)
        except APIError as exc:
            if exc.code is not ErrorCode.VALIDATION_ERROR:
                raise
            # The query string is the listing's only input, so an invalid
            # value, such as a limit above MAX_PAGE_SIZE, is a bad request.
            raise APIError(exc.message, ErrorCode.BAD_REQUEST, exc.fields) from None
        page = ImageListRepresentation.from_graphql(data["images"])
        return JsonResponse(page.to_json())

    def post(self, request: HttpRequest) -> JsonResponse:
        credentials = self.authenticate(request)
        require_content_type(request, MULTIPART_FORM_DATA)
        upload = parse_upload(request)
        variables = {"file": upload.file, "title": upload.title}
        data = execute(documents.UPLOAD_IMAGE, variables, request, credentials)

        image = ImageRepresentation.from_graphql(data["uploadImage"])
        response = JsonResponse(image.to_json(), status=HTTPStatus.CREATED)
        # request.path is this listing's URL, so the new image is one level below.
        response["Location"] = f"{request.path}{image.id}/"
        return response


class ImageDetailView(APIView):
    """``GET``, ``PATCH`` and ``DELETE`` on ``/images/{id}/``.

    The URL pattern accepts only ASCII digits as ``image_id``, so any other
    id falls through to :func:`not_found`.
    """

    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get(self, request: HttpRequest, image_id: int) -> JsonResponse:
        credentials = self.authenticate(request)
        data = execute(documents.GET_IMAGE, {"id": str(image_id)}, request, credentials)
        return JsonResponse(ImageRepresentation.from_graphql(data["image"]).to_json())

    def patch(self, request: HttpRequest, image_id: int) -> JsonResponse:
        credentials = self.authenticate(request)
        require_content_type(request, APPLICATION_JSON)
        title = parse_title_update(request)
        variables = {"id": str(image_id), "title": title}
        data = execute(documents.UPDATE_IMAGE, variables, request, credentials)
        return JsonResponse(ImageRepresentation.from_graphql(data["updateImage"]).to_json())

    def delete(self, request: HttpRequest, image_id: int) -> HttpResponse:
        credentials = self.authenticate(request)
        execute(documents.DELETE_IMAGE, {"id": str(image_id)}, request, credentials)
        response = HttpResponse(status=HTTPStatus.NO_CONTENT)
        # A 204 has no body, so it has no media type either.
        del response["Content-Type"]
        return response


def _slash_hint(request: HttpRequest) -> str:
    """Suggest the path with a trailing slash when that names an endpoint."""
    if request.path_info.endswith("/"):
        return ""
    try:
        match = resolve(f"{request.path_info}/")
    except Resolver404:
        return ""
    if match.url_name == NOT_FOUND_URL_NAME:
        return ""
    return f" Did you mean {request.path}/? Every endpoint path ends with a slash."


def not_found(request: HttpRequest, unmatched_path: str = "") -> JsonResponse:
    """Return a 404 problem, not an HTML page, for an unknown path under the mount."""
    detail = f"No endpoint at {request.path}.{_slash_hint(request)}"
    problem = Problem(HTTPStatus.NOT_FOUND, ErrorCode.NOT_FOUND, detail)
    logger.info("REST %s %s rejected with 404: unknown path", request.method, request.path)
    return problem.to_response()
