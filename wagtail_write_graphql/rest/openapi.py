"""The OpenAPI 3.1 description of the REST endpoints, served as ``openapi.json``.

The document is built on each request from the current settings, so the
rendition names, page sizes and anonymous read access it states are the ones
in force. The REST tests validate real responses against it.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import JsonResponse

from .. import __version__, conf
from ..errors import ErrorCode
from ..permissions import can_read_anonymously
from .parsing import APPLICATION_JSON, GRAPHQL_INT_MAX, MULTIPART_FORM_DATA
from .problems import PROBLEM_CONTENT_TYPE
from .views import APIView

if TYPE_CHECKING:
    from django.http import HttpRequest

#: OpenAPI version of the document.
OPENAPI_VERSION = "3.1.0"

#: File name of the document below the mount, e.g. ``api/write/v1/openapi.json``.
DOCUMENT_NAME = "openapi.json"

#: Wagtail's upload size limit when WAGTAILIMAGES_MAX_UPLOAD_SIZE is unset
#: (``wagtail.images.fields``, Wagtail 8.0).
WAGTAIL_DEFAULT_MAX_UPLOAD_SIZE = 10 * 1024 * 1024

#: Reusable problem responses: component name, status and when it happens.
PROBLEM_RESPONSES: dict[str, tuple[HTTPStatus, str]] = {
    "BadRequest": (HTTPStatus.BAD_REQUEST, "The request is malformed."),
    "Unauthorized": (
        HTTPStatus.UNAUTHORIZED,
        "The token is invalid, or the operation needs an authenticated user.",
    ),
    "Forbidden": (
        HTTPStatus.FORBIDDEN,
        "The user lacks the permission, or a session-cookie request lacks its CSRF token.",
    ),
    "NotFound": (HTTPStatus.NOT_FOUND, "No such image, or one the user may not see."),
    "Conflict": (HTTPStatus.CONFLICT, "Other content protects the image from deletion."),
    "ContentTooLarge": (
        HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
        "The file is larger than WAGTAILIMAGES_MAX_UPLOAD_SIZE (field code file_too_large).",
    ),
    "UnsupportedMediaType": (
        HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
        "The request body has the wrong Content-Type.",
    ),
    "UnprocessableContent": (
        HTTPStatus.UNPROCESSABLE_ENTITY,
        "Validation failed. `errors` lists each field with Wagtail's error code.",
    ),
}


def _ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _problem_responses(*names: str) -> dict[str, Any]:
    return {str(int(PROBLEM_RESPONSES[name][0])): _ref("responses", name) for name in names}


def _json_response(description: str, schema_name: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {APPLICATION_JSON: {"schema": _ref("schemas", schema_name)}},
    }


def _security(*, read: bool) -> list[dict[str, list[str]]]:
    """Return an operation's security: a token, or the session cookie.

    An empty requirement makes authentication optional, which is the case
    for reads when REQUIRE_AUTH_FOR_READ is False.
    """
    requirements: list[dict[str, list[str]]] = [{"bearerAuth": []}, {"sessionCookie": []}]
    if read and can_read_anonymously():
        requirements.append({})
    return requirements


def _image_schema() -> dict[str, Any]:
    rendition_names = list(conf.get_image_renditions())
    return {
        "type": "object",
        "description": "An image. Later versions may add fields, never rename or retype one.",
        "required": [
            "id", "title", "width", "height", "file_url", "created_at", "renditions",
        ],
        "properties": {
            "id": {"type": "integer", "minimum": 1},
            "title": {"type": "string"},
            "width": {"type": "integer", "description": "Width of the original in pixels."},
            "height": {"type": "integer", "description": "Height of the original in pixels."},
            "file_url": {"type": "string", "description": "URL of the original file."},
            "created_at": {"type": "string", "format": "date-time"},
            "renditions": {
                "type": "object",
                "description": "Rendition URL by name, one for each name in IMAGE_RENDITIONS.",
                "required": rendition_names,
                "properties": {name: {"type": "string"} for name in rendition_names},
                "additionalProperties": False,
            },
        },
    }


def _problem_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "RFC 9457 problem details, sent as application/problem+json.",
        "required": ["type", "title", "status", "detail", "code"],
        "properties": {
            "type": {"type": "string", "const": "about:blank"},
            "title": {"type": "string", "description": "The HTTP status phrase."},
            "status": {"type": "integer"},
            "detail": {"type": "string", "description": "What went wrong, for humans."},
            "code": {"type": "string", "enum": [str(code) for code in ErrorCode]},
            "errors": {
                "type": "array",
                "description": "Each invalid field with Wagtail's error code.",
                "items": _ref("schemas", "FieldError"),
            },
        },
    }


def _schemas() -> dict[str, Any]:
    return {
        "Image": _image_schema(),
        "ImageList": {
            "type": "object",
            "required": ["items", "meta"],
            "properties": {
                "items": {"type": "array", "items": _ref("schemas", "Image")},
                "meta": {
                    "type": "object",
                    "required": ["total_count"],
                    "properties": {
                        "total_count": {
                            "type": "integer",
                            "minimum": 0,
                            "description": "Matches across all pages.",
                        }
                    },
                },
            },
        },
        "ImageUpload": {
            "type": "object",
            "required": ["file"],
            "properties": {
                "file": {
                    "type": "string",
                    "contentMediaType": "application/octet-stream",
                    "description": "The image file, in a format Wagtail accepts.",
                },
                "title": {
                    "type": "string",
                    "description": "Defaults to the file name.",
                },
            },
        },
        "ImageUpdate": {
            "type": "object",
            "required": ["title"],
            "properties": {"title": {"type": "string"}},
        },
        "FieldError": {
            "type": "object",
            "required": ["field", "code", "message"],
            "properties": {
                "field": {"type": "string"},
                "code": {
                    "type": "string",
                    "description": "Wagtail's or Django's code, e.g. required or max_length.",
                },
                "message": {"type": "string"},
            },
        },
        "Problem": _problem_schema(),
    }


def _responses() -> dict[str, Any]:
    responses: dict[str, Any] = {
        name: {
            "description": description,
            "content": {PROBLEM_CONTENT_TYPE: {"schema": _ref("schemas", "Problem")}},
        }
        for name, (_status, description) in PROBLEM_RESPONSES.items()
    }
    responses["Unauthorized"]["headers"] = {
        "WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer challenge."}
    }
    responses["UnsupportedMediaType"]["headers"] = {
        "Accept-Patch": {
            "schema": {"type": "string"},
            "description": "Sent on PATCH: the accepted media type.",
        }
    }
    return responses


def _list_parameters() -> list[dict[str, Any]]:
    max_page_size = conf.get_setting("MAX_PAGE_SIZE")
    default_page_size = min(conf.get_setting("DEFAULT_PAGE_SIZE"), max_page_size)
    return [
        {
            "name": "search",
            "in": "query",
            "description": "Match titles whose words start with these words.",
            "schema": {"type": "string"},
        },
        {
            "name": "offset",
            "in": "query",
            "description": "Number of matches to skip.",
            "schema": {"type": "integer", "minimum": 0, "maximum": GRAPHQL_INT_MAX, "default": 0},
        },
        {
            "name": "limit",
            "in": "query",
            "description": "Page size.",
            "schema": {
                "type": "integer",
                "minimum": 1,
                "maximum": max_page_size,
                "default": default_page_size,
            },
        },
    ]


def _paths() -> dict[str, Any]:
    max_upload_size = getattr(
        settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", WAGTAIL_DEFAULT_MAX_UPLOAD_SIZE
    )
    image_id = {
        "name": "image_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
    return {
        "/images/": {
            "get": {
                "operationId": "listImages",
                "summary": "List images, newest first",
                "security": _security(read=True),
                "parameters": _list_parameters(),
                "responses": {
                    "200": _json_response("One page of images.", "ImageList"),
                    **_problem_responses("BadRequest", "Unauthorized"),
                },
            },
            "post": {
                "operationId": "uploadImage",
                "summary": "Upload an image",
                "description": f"The site accepts files up to {max_upload_size} bytes.",
                "security": _security(read=False),
                "requestBody": {
                    "required": True,
                    "content": {MULTIPART_FORM_DATA: {"schema": _ref("schemas", "ImageUpload")}},
                },
                "responses": {
                    "201": {
                        **_json_response("The new image.", "Image"),
                        "headers": {
                            "Location": {
                                "schema": {"type": "string"},
                                "description": "URL of the new image.",
                            }
                        },
                    },
                    **_problem_responses(
                        "BadRequest",
                        "Unauthorized",
                        "Forbidden",
                        "ContentTooLarge",
                        "UnsupportedMediaType",
                        "UnprocessableContent",
                    ),
                },
            },
        },
        "/images/{image_id}/": {
            "parameters": [image_id],
            "get": {
                "operationId": "getImage",
                "summary": "Get one image",
                "security": _security(read=True),
                "responses": {
                    "200": _json_response("The image.", "Image"),
                    **_problem_responses("Unauthorized", "NotFound"),
                },
            },
            "patch": {
                "operationId": "updateImage",
                "summary": "Change an image's title",
                "security": _security(read=False),
                "requestBody": {
                    "required": True,
                    "content": {APPLICATION_JSON: {"schema": _ref("schemas", "ImageUpdate")}},
                },
                "responses": {
                    "200": _json_response("The updated image.", "Image"),
                    **_problem_responses(
                        "BadRequest",
                        "Unauthorized",
                        "Forbidden",
                        "NotFound",
                        "UnsupportedMediaType",
                        "UnprocessableContent",
                    ),
                },
            },
            "delete": {
                "operationId": "deleteImage",
                "summary": "Delete an image with its renditions and files",
                "security": _security(read=False),
                "responses": {
                    "204": {"description": "Deleted. The body is empty."},
                    **_problem_responses("Unauthorized", "Forbidden", "NotFound", "Conflict"),
                },
            },
        },
    }


def build_document(server_url: str) -> dict[str, Any]:
    """Return the OpenAPI document for the endpoints mounted at ``server_url``."""
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Wagtail image REST API",
            "version": __version__,
            "description": (
                "REST endpoints for Wagtail images, served by the same operations as "
                "the GraphQL API. Every error is an application/problem+json document."
            ),
        },
        "servers": [{"url": server_url}],
        "paths": _paths(),
        "components": {
            "schemas": _schemas(),
            "responses": _responses(),
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A Wagtail API token.",
                },
                "sessionCookie": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": settings.SESSION_COOKIE_NAME,
                    "description": (
                        "A logged-in Wagtail session. Writes must also send the "
                        "csrftoken cookie's value in the X-CSRFToken header."
                    ),
                },
            },
        },
    }


class OpenAPIView(APIView):
    """Serve the document to anyone, because it describes no data."""

    http_method_names = ["get", "head", "options"]

    def get(self, request: HttpRequest) -> JsonResponse:
        server_url = request.path.removesuffix(DOCUMENT_NAME).rstrip("/")
        return JsonResponse(build_document(server_url))
