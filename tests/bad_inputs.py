"""Bad inputs for the GraphQL endpoint and the REST shim, with the response each must get.

Each :class:`BadInput` carries one bad input to both surfaces and states the
documented response on each: the HTTP status, the error code and, for
validation errors, the field and Wagtail's field code. GraphQL returns an
error in an operation with HTTP 200 and ``errors[0].extensions.code``, and a
request that it rejects before running any GraphQL with HTTP 400, 401, 405
or 413 (``docs/limits.md``, ``graphql/views.py``). REST returns a
problem details object whose status follows ``rest/problems.py``.

Where one surface cannot express an input, such as the multipart ``map``
field, which only GraphQL has, the case pairs it with the closest input of
the other surface and records that in ``pairing``.

:class:`OddListing` lists inputs that look hostile but are valid: both
surfaces must return HTTP 200 and a normal page for them.

Requests are built when a test runs, because some of them name the test's
image, whose id the database assigns.
"""

from __future__ import annotations

import enum
import io
import json
import math
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote

from PIL import Image as PILImage

from tests.conftest import GRAPHQL_PATH, UPLOAD_MUTATION, photo_bytes, scaled_photo_bytes
from tests.test_graphql_multipart import BOUNDARY, Part, encode_multipart
from wagtail_write_graphql.errors import ErrorCode

#: Where ``tests/urls.py`` mounts the REST shim's image endpoints.
REST_IMAGES_PATH = "/api/write/v1/images/"

#: Placeholder for the id of the test's image in ids, paths and variables.
EXISTING_IMAGE = "<id of the test image>"

#: ``Content-Type`` of every hand-built multipart body.
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"

#: Wagtail's ``max_length`` of ``AbstractImage.title`` (Wagtail 8.0).
TITLE_MAX_LENGTH = 255

#: Largest value of a GraphQL ``Int``, a signed 32-bit integer.
INT_MAX = 2**31 - 1

LIST_QUERY = """
query List($search: String, $offset: Int, $limit: Int) {
  images(search: $search, offset: $offset, limit: $limit) { totalCount items { id title } }
}
"""

IMAGE_QUERY = "query One($id: ID!) { image(id: $id) { id title } }"

UPDATE_MUTATION = """
mutation Update($id: ID!, $title: String!) { updateImage(id: $id, title: $title) { id title } }
"""

DELETE_MUTATION = "mutation Delete($id: ID!) { deleteImage(id: $id) { id } }"


@dataclass(frozen=True)
class Request:
    """One HTTP request to send with Django's test client."""

    method: str
    path: str
    body: bytes = b""
    content_type: str | None = None
    query: dict[str, str] = field(default_factory=dict)
    #: WSGI environ entries that replace the test client's, e.g. ``CONTENT_LENGTH``.
    environ: dict[str, str] = field(default_factory=dict)


#: Builds a request, given the id of the test's image.
RequestBuilder = Callable[[int], Request]


class Actor(enum.StrEnum):
    """The credentials a request is sent with."""

    SUPERUSER = "superuser"
    ANONYMOUS = "anonymous"
    #: An active user in no group, who may do nothing with images.
    NO_PERMISSIONS = "no permissions"
    #: A user with only ``choose`` on the root collection: may read, not change.
    CHOOSER = "chooser"
    REVOKED_TOKEN = "revoked token"
    INACTIVE_USER_TOKEN = "inactive user's token"
    #: Well-formed, with a correct checksum, but never stored.
    UNKNOWN_TOKEN = "unknown token"
    #: The case's ``authorization`` header, sent as written.
    RAW_HEADER = "raw header"


@dataclass(frozen=True)
class Expected:
    """The documented response: HTTP status, error code and optional field error."""

    status: int
    code: ErrorCode
    #: ``(field, Wagtail's field code)`` that the error must list, if any.
    field_error: tuple[str, str] | None = None


@dataclass(frozen=True)
class BadInput:
    """One bad input, sent to both surfaces, and the response each must give."""

    case_id: str
    graphql: RequestBuilder
    graphql_expected: Expected
    rest: RequestBuilder
    rest_expected: Expected
    actor: Actor = Actor.SUPERUSER
    #: ``Authorization`` header for ``Actor.RAW_HEADER``. ``{token}`` is
    #: replaced with a valid token of the superuser.
    authorization: str | None = None
    #: Django settings overridden while both requests run.
    settings: dict[str, Any] = field(default_factory=dict)
    #: How the REST request relates to the GraphQL one when REST cannot
    #: carry the same input.
    pairing: str = ""


def _resolve_id(image_id: object, existing: int) -> str:
    return str(existing) if image_id == EXISTING_IMAGE else str(image_id)


def _resolve_variables(variables: dict[str, Any], existing: int) -> dict[str, Any]:
    return {
        name: str(existing) if value == EXISTING_IMAGE else value
        for name, value in variables.items()
    }


# GraphQL requests.


def graphql_operation(query: str, variables: dict[str, Any] | None = None) -> RequestBuilder:
    """POST ``{"query", "variables"}`` as JSON. ``EXISTING_IMAGE`` values become the id."""

    def build(existing: int) -> Request:
        payload: dict[str, Any] = {"query": query}
        if variables is not None:
            payload["variables"] = _resolve_variables(variables, existing)
        return Request("POST", GRAPHQL_PATH, json.dumps(payload).encode(), "application/json")

    return build


def graphql_body(body: bytes, content_type: str | None = "application/json") -> RequestBuilder:
    """POST ``body`` to the GraphQL endpoint as it is."""
    return lambda existing: Request("POST", GRAPHQL_PATH, body, content_type)


def graphql_multipart(parts: list[Part]) -> RequestBuilder:
    return graphql_body(encode_multipart(parts), MULTIPART)


def graphql_upload(file_name: str, content: bytes, title: str | None = None) -> RequestBuilder:
    """Upload one file with the GraphQL multipart request spec."""
    variables: dict[str, Any] = {"file": None}
    if title is not None:
        variables["title"] = title
    operations = json.dumps({"query": UPLOAD_MUTATION, "variables": variables})
    return graphql_multipart(
        [
            Part("operations", operations),
            Part("map", json.dumps({"0": ["variables.file"]})),
            Part("0", content, file_name),
        ]
    )


def graphql_get(query: str, **parameters: str) -> RequestBuilder:
    return lambda existing: Request("GET", GRAPHQL_PATH, query={"query": query, **parameters})


def graphql_method(method: str) -> RequestBuilder:
    body = json.dumps({"query": "{ images { totalCount } }"}).encode()
    return lambda existing: Request(method, GRAPHQL_PATH, body, "application/json")


def list_images(**variables: Any) -> RequestBuilder:
    return graphql_operation(LIST_QUERY, variables)


def get_image(image_id: object) -> RequestBuilder:
    return graphql_operation(IMAGE_QUERY, {"id": image_id})


def update_title(title: object, image_id: object = EXISTING_IMAGE) -> RequestBuilder:
    return graphql_operation(UPDATE_MUTATION, {"id": image_id, "title": title})


def delete_image(image_id: object = EXISTING_IMAGE) -> RequestBuilder:
    return graphql_operation(DELETE_MUTATION, {"id": image_id})


def with_environ(builder: RequestBuilder, **environ: str) -> RequestBuilder:
    """Return ``builder`` with WSGI environ entries set on its request."""
    return lambda existing: replace(builder(existing), environ=environ)


# REST requests.


def rest_request(
    method: str, path: str, body: bytes = b"", content_type: str | None = None
) -> RequestBuilder:
    return lambda existing: Request(method, path, body, content_type)


def rest_list(**parameters: str) -> RequestBuilder:
    return lambda existing: Request("GET", REST_IMAGES_PATH, query=parameters)


def _detail_path(image_id: object, existing: int) -> str:
    return f"{REST_IMAGES_PATH}{quote(_resolve_id(image_id, existing), safe='')}/"


def rest_get(image_id: object = EXISTING_IMAGE) -> RequestBuilder:
    return lambda existing: Request("GET", _detail_path(image_id, existing))


def rest_delete(image_id: object = EXISTING_IMAGE) -> RequestBuilder:
    return lambda existing: Request("DELETE", _detail_path(image_id, existing))


def rest_patch(
    body: object,
    image_id: object = EXISTING_IMAGE,
    content_type: str = "application/json",
) -> RequestBuilder:
    """PATCH an image. A ``bytes`` body is sent as it is, anything else as JSON."""
    encoded = body if isinstance(body, bytes) else json.dumps(body).encode()
    return lambda existing: Request(
        "PATCH", _detail_path(image_id, existing), encoded, content_type
    )


def rest_multipart(parts: list[Part], content_type: str = MULTIPART) -> RequestBuilder:
    return rest_request("POST", REST_IMAGES_PATH, encode_multipart(parts), content_type)


def rest_upload(file_name: str, content: bytes, title: str | None = None) -> RequestBuilder:
    parts = [Part("file", content, file_name)]
    if title is not None:
        parts.append(Part("title", title))
    return rest_multipart(parts)


# Expected responses.


def operation_error(code: ErrorCode, field_error: tuple[str, str] | None = None) -> Expected:
    """A GraphQL error inside a result, which GraphQL sends with HTTP 200."""
    return Expected(200, code, field_error)


def rejected(
    status: int, code: ErrorCode = ErrorCode.BAD_REQUEST, field_error: tuple[str, str] | None = None
) -> Expected:
    """A request rejected with its own HTTP status, on either surface."""
    return Expected(status, code, field_error)


# Files.


def _encode(image: PILImage.Image, image_format: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, image_format)
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    checksum = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", checksum)


def png_declaring(width: int, height: int) -> bytes:
    """Return a PNG of about 100 bytes whose header declares ``width`` x ``height``."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    first_row = zlib.compress(b"\x00" * (1 + math.ceil(width / 8)), 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", first_row)
        + _png_chunk(b"IEND", b"")
    )


def png_with_garbage_data() -> bytes:
    """Return a PNG whose signature and header are intact but whose pixel data is garbage."""
    content = _encode(PILImage.new("RGB", (120, 90), "teal"), "PNG")
    data_start = content.index(b"IDAT") + 4
    garbage = b"\x00garbage!" * 20
    return content[:data_start] + garbage + content[data_start + len(garbage) :]


#: A real photo scaled to 200 x 150 pixels, 30,000 pixels and about 12 KB.
SMALL_JPEG = scaled_photo_bytes((200, 150))

#: A real PNG of 40 x 30 pixels.
SMALL_PNG = _encode(PILImage.new("RGB", (40, 30), "orange"), "PNG")

#: A real BMP, a format Wagtail does not accept by default.
SMALL_BMP = _encode(PILImage.new("RGB", (40, 30), "orange"), "BMP")

#: A tiny SVG. Wagtail 8 accepts SVG only when WAGTAILIMAGES_EXTENSIONS lists it.
SMALL_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'

#: The first half of a real JPEG photo: a valid header, cut-off pixel data.
HALF_A_PHOTO = photo_bytes()[: len(photo_bytes()) // 2]

#: Text that no image decoder reads.
NOT_AN_IMAGE = b"This is a text file, not an image.\n" * 20

#: The multipart fields of a valid GraphQL upload, to combine with a broken part.
UPLOAD_OPERATIONS = json.dumps({"query": UPLOAD_MUTATION, "variables": {"file": None}})
UPLOAD_MAP = json.dumps({"0": ["variables.file"]})

#: A string of 10 KB, which makes a body larger than the size limits set below.
LONG_TEXT = "x" * 10_240

UNAUTHENTICATED_GRAPHQL = operation_error(ErrorCode.UNAUTHENTICATED)
UNAUTHENTICATED_REQUEST = rejected(401, ErrorCode.UNAUTHENTICATED)
NOT_FOUND_GRAPHQL = operation_error(ErrorCode.NOT_FOUND)
NOT_FOUND_REST = rejected(404, ErrorCode.NOT_FOUND)
FORBIDDEN_GRAPHQL = operation_error(ErrorCode.FORBIDDEN)
FORBIDDEN_REST = rejected(403, ErrorCode.FORBIDDEN)
BAD_REQUEST_GRAPHQL = operation_error(ErrorCode.BAD_REQUEST)


def file_error(code: str, surface: str) -> Expected:
    """A validation error on the uploaded file, as GraphQL or REST returns it."""
    if surface == "graphql":
        return operation_error(ErrorCode.VALIDATION_ERROR, ("file", code))
    status = 413 if code == "file_too_large" else 422
    return rejected(status, ErrorCode.VALIDATION_ERROR, ("file", code))


def title_error(code: str, surface: str) -> Expected:
    if surface == "graphql":
        return operation_error(ErrorCode.VALIDATION_ERROR, ("title", code))
    return rejected(422, ErrorCode.VALIDATION_ERROR, ("title", code))


def bad_file(case_id: str, file_name: str, content: bytes, code: str, **options: Any) -> BadInput:
    """An upload that Wagtail's image field rejects with field code ``code``."""
    return BadInput(
        case_id,
        graphql=graphql_upload(file_name, content),
        graphql_expected=file_error(code, "graphql"),
        rest=rest_upload(file_name, content),
        rest_expected=file_error(code, "rest"),
        **options,
    )


def bad_title_update(case_id: str, title: str, code: str) -> BadInput:
    return BadInput(
        case_id,
        graphql=update_title(title),
        graphql_expected=title_error(code, "graphql"),
        rest=rest_patch({"title": title}),
        rest_expected=title_error(code, "rest"),
    )


def bad_image_id(case_id: str, image_id: str, operation: str) -> BadInput:
    """An id that names no image, in ``get``, ``update`` or ``delete``.

    The REST path converter accepts only ASCII digits, so other ids reach
    the catch-all 404 of the REST URL configuration.
    """
    graphql_builders: dict[str, RequestBuilder] = {
        "get": get_image(image_id),
        "update": update_title("New title", image_id),
        "delete": delete_image(image_id),
    }
    rest_builders: dict[str, RequestBuilder] = {
        "get": rest_get(image_id),
        "update": rest_patch({"title": "New title"}, image_id),
        "delete": rest_delete(image_id),
    }
    return BadInput(
        case_id,
        graphql=graphql_builders[operation],
        graphql_expected=NOT_FOUND_GRAPHQL,
        rest=rest_builders[operation],
        rest_expected=NOT_FOUND_REST,
    )


def bad_page(
    case_id: str,
    graphql_value: object,
    rest_value: str,
    parameter: str,
    graphql_expected: Expected,
    rest_field_code: str,
) -> BadInput:
    """A bad ``offset`` or ``limit``. REST rejects every bad value with 400."""
    return BadInput(
        case_id,
        graphql=list_images(**{parameter: graphql_value}),
        graphql_expected=graphql_expected,
        rest=rest_list(**{parameter: rest_value}),
        rest_expected=rejected(400, ErrorCode.BAD_REQUEST, (parameter, rest_field_code)),
    )


def _validation(field_name: str, code: str) -> Expected:
    return operation_error(ErrorCode.VALIDATION_ERROR, (field_name, code))


#: GraphQL's response to an Int ``limit`` outside 1 to MAX_PAGE_SIZE.
LIMIT_OUT_OF_RANGE = _validation("limit", "out_of_range")


CREDENTIAL_CASES = [
    BadInput(
        "no credentials upload",
        graphql=graphql_upload("photo.jpg", SMALL_JPEG),
        graphql_expected=UNAUTHENTICATED_GRAPHQL,
        rest=rest_upload("photo.jpg", SMALL_JPEG),
        rest_expected=UNAUTHENTICATED_REQUEST,
        actor=Actor.ANONYMOUS,
    ),
    BadInput(
        "no credentials list",
        graphql=list_images(),
        graphql_expected=UNAUTHENTICATED_GRAPHQL,
        rest=rest_list(),
        rest_expected=UNAUTHENTICATED_REQUEST,
        actor=Actor.ANONYMOUS,
    ),
    BadInput(
        "no credentials get",
        graphql=get_image(EXISTING_IMAGE),
        graphql_expected=UNAUTHENTICATED_GRAPHQL,
        rest=rest_get(),
        rest_expected=UNAUTHENTICATED_REQUEST,
        actor=Actor.ANONYMOUS,
    ),
    BadInput(
        "no credentials update",
        graphql=update_title("New title"),
        graphql_expected=UNAUTHENTICATED_GRAPHQL,
        rest=rest_patch({"title": "New title"}),
        rest_expected=UNAUTHENTICATED_REQUEST,
        actor=Actor.ANONYMOUS,
    ),
    BadInput(
        "no credentials delete",
        graphql=delete_image(),
        graphql_expected=UNAUTHENTICATED_GRAPHQL,
        rest=rest_delete(),
        rest_expected=UNAUTHENTICATED_REQUEST,
        actor=Actor.ANONYMOUS,
    ),
    BadInput(
        "bearer without token",
        graphql=list_images(),
        graphql_expected=UNAUTHENTICATED_REQUEST,
        rest=rest_list(),
        rest_expected=UNAUTHENTICATED_REQUEST,
        actor=Actor.RAW_HEADER,
        authorization="Bearer",
    ),
    BadInput(
        "empty authorization header",
        graphql=update_title("New title"),
        graphql_expected=UNAUTHENTICATED_REQUEST,
        rest=rest_patch({"title": "New title"}),
        rest_expected=UNAUTHENTICATED_REQUEST,
        actor=Actor.RAW_HEADER,
        authorization="",
    ),
    BadInput(
        "basic scheme",
        graphql=graphql_upload("photo.jpg", SMALL_JPEG),
        graphql_expected=UNAUTHENTICATED_REQUEST,
        rest=rest_upload("photo.jpg", SMALL_JPEG),
        rest_expected=UNAUTHENTICATED_REQUEST,
        actor=Actor.RAW_HEADER,
        authorization="Basic YWRtaW46cGFzc3dvcmQ=",
    ),
    BadInput(
        "malformed token",
        graphql=delete_image(),
        graphql_expected=UNAUTHENTICATED_REQUEST,
        rest=rest_delete(),
        rest_expected=UNAUTHENTICATED_REQUEST,
        actor=Actor.RAW_HEADER,
        authorization="Bearer not-a-valid-token",
    ),
    BadInput(
        "valid token with suffix",
        graphql=delete_image(),
        graphql_expected=UNAUTHENTICATED_REQUEST,
        rest=rest_delete(),
        rest_expected=UNAUTHENTICATED_REQUEST,
        actor=Actor.RAW_HEADER,
        authorization="Bearer {token} extra",
    ),
    BadInput(
        "two credentials",
        graphql=update_title("New title"),
        graphql_expected=UNAUTHENTICATED_REQUEST,
        rest=rest_patch({"title": "New title"}),
        rest_expected=UNAUTHENTICATED_REQUEST,
        actor=Actor.RAW_HEADER,
        authorization="Bearer {token}, Bearer {token}",
    ),
    BadInput(
        "unknown token",
        graphql=update_title("New title"),
        graphql_expected=UNAUTHENTICATED_REQUEST,
        rest=rest_patch({"title": "New title"}),
        rest_expected=UNAUTHENTICATED_REQUEST,
        actor=Actor.UNKNOWN_TOKEN,
    ),
    BadInput(
        "revoked token",
        graphql=delete_image(),
        graphql_expected=UNAUTHENTICATED_REQUEST,
        rest=rest_delete(),
        rest_expected=UNAUTHENTICATED_REQUEST,
        actor=Actor.REVOKED_TOKEN,
    ),
    BadInput(
        "inactive user token",
        graphql=graphql_upload("photo.jpg", SMALL_JPEG),
        graphql_expected=UNAUTHENTICATED_REQUEST,
        rest=rest_upload("photo.jpg", SMALL_JPEG),
        rest_expected=UNAUTHENTICATED_REQUEST,
        actor=Actor.INACTIVE_USER_TOKEN,
    ),
    BadInput(
        "no permission upload",
        graphql=graphql_upload("photo.jpg", SMALL_JPEG),
        graphql_expected=FORBIDDEN_GRAPHQL,
        rest=rest_upload("photo.jpg", SMALL_JPEG),
        rest_expected=FORBIDDEN_REST,
        actor=Actor.NO_PERMISSIONS,
    ),
    BadInput(
        "no permission get",
        graphql=get_image(EXISTING_IMAGE),
        graphql_expected=NOT_FOUND_GRAPHQL,
        rest=rest_get(),
        rest_expected=NOT_FOUND_REST,
        actor=Actor.NO_PERMISSIONS,
    ),
    BadInput(
        "no permission update",
        graphql=update_title("New title"),
        graphql_expected=NOT_FOUND_GRAPHQL,
        rest=rest_patch({"title": "New title"}),
        rest_expected=NOT_FOUND_REST,
        actor=Actor.NO_PERMISSIONS,
    ),
    BadInput(
        "no permission delete",
        graphql=delete_image(),
        graphql_expected=NOT_FOUND_GRAPHQL,
        rest=rest_delete(),
        rest_expected=NOT_FOUND_REST,
        actor=Actor.NO_PERMISSIONS,
    ),
    BadInput(
        "chooser update",
        graphql=update_title("New title"),
        graphql_expected=FORBIDDEN_GRAPHQL,
        rest=rest_patch({"title": "New title"}),
        rest_expected=FORBIDDEN_REST,
        actor=Actor.CHOOSER,
    ),
    BadInput(
        "chooser delete",
        graphql=delete_image(),
        graphql_expected=FORBIDDEN_GRAPHQL,
        rest=rest_delete(),
        rest_expected=FORBIDDEN_REST,
        actor=Actor.CHOOSER,
    ),
]

FILE_CASES = [
    bad_file("text as jpeg", "notes.jpg", NOT_AN_IMAGE, "invalid_image"),
    bad_file("truncated jpeg", "cut.jpg", HALF_A_PHOTO, "invalid_image"),
    bad_file("jpeg header only", "header.jpg", photo_bytes()[:20], "invalid_image"),
    bad_file(
        "png signature then garbage",
        "garbage.png",
        b"\x89PNG\r\n\x1a\n" + b"garbage!" * 20,
        "invalid_image",
    ),
    bad_file("png with garbage data", "garbage-data.png", png_with_garbage_data(), "invalid_image"),
    bad_file("gif header only", "header.gif", b"GIF89a", "invalid_image"),
    bad_file("zero bytes", "empty.jpg", b"", "empty"),
    # Wagtail's code for a known format under another format's extension is
    # invalid_image_known_format, not invalid_image_extension.
    bad_file("jpeg named png", "photo.png", SMALL_JPEG, "invalid_image_known_format"),
    bad_file("png named jpeg", "drawing.jpg", SMALL_PNG, "invalid_image_known_format"),
    bad_file("bmp not allowed", "drawing.bmp", SMALL_BMP, "invalid_image_extension"),
    bad_file("svg not allowed", "drawing.svg", SMALL_SVG, "invalid_image_extension"),
    bad_file("txt extension", "photo.txt", SMALL_JPEG, "invalid_image_extension"),
    bad_file("no extension", "photo", SMALL_JPEG, "invalid_image_extension"),
    bad_file(
        "file over size limit",
        "photo.jpg",
        SMALL_JPEG,
        "file_too_large",
        settings={"WAGTAILIMAGES_MAX_UPLOAD_SIZE": 1000},
    ),
    bad_file(
        "pixels over limit",
        "photo.jpg",
        SMALL_JPEG,
        "file_too_many_pixels",
        settings={"WAGTAILIMAGES_MAX_IMAGE_PIXELS": 1000},
    ),
    # 144 million pixels: over Wagtail's default limit of 128 million, under
    # Pillow's decompression bomb error at twice its 89 million warning limit.
    bad_file(
        "png declaring 12000x12000",
        "bomb.png",
        png_declaring(12_000, 12_000),
        "file_too_many_pixels",
    ),
    # Over Pillow's decompression bomb error limit, so Pillow refuses to open it.
    bad_file(
        "png declaring 65535x65535",
        "bomb.png",
        png_declaring(65_535, 65_535),
        "file_too_many_pixels",
    ),
]

TITLE_CASES = [
    BadInput(
        "upload title too long",
        graphql=graphql_upload("photo.jpg", SMALL_JPEG, title="x" * (TITLE_MAX_LENGTH + 1)),
        graphql_expected=title_error("max_length", "graphql"),
        rest=rest_upload("photo.jpg", SMALL_JPEG, title="x" * (TITLE_MAX_LENGTH + 1)),
        rest_expected=title_error("max_length", "rest"),
    ),
    BadInput(
        "upload title empty",
        graphql=graphql_upload("photo.jpg", SMALL_JPEG, title=""),
        graphql_expected=title_error("required", "graphql"),
        rest=rest_upload("photo.jpg", SMALL_JPEG, title=""),
        rest_expected=title_error("required", "rest"),
    ),
    BadInput(
        "upload title surrogate",
        graphql=graphql_upload("photo.jpg", SMALL_JPEG, title="\ud800"),
        graphql_expected=title_error("invalid", "graphql"),
        rest=rest_patch({"title": "\ud800"}),
        rest_expected=title_error("invalid", "rest"),
        pairing=(
            "Django decodes multipart form fields as UTF-8 with replacement, so a lone "
            "surrogate cannot reach a REST upload. REST sends it in a PATCH title instead."
        ),
    ),
    bad_title_update("update title too long", "x" * (TITLE_MAX_LENGTH + 1), "max_length"),
    bad_title_update("update title empty", "", "required"),
    bad_title_update("update title whitespace", " \t\n ", "required"),
    bad_title_update("update title lone surrogate", "\ud800", "invalid"),
    bad_title_update("update title inner surrogate", "a\ud800b", "invalid"),
    bad_title_update("update title low surrogate", "\udfff", "invalid"),
    BadInput(
        "update title null",
        graphql=update_title(None),
        graphql_expected=BAD_REQUEST_GRAPHQL,
        rest=rest_patch({"title": None}),
        rest_expected=title_error("required", "rest"),
        pairing="GraphQL rejects null for String! while coercing variables.",
    ),
    BadInput(
        "update title number",
        graphql=update_title(5),
        graphql_expected=BAD_REQUEST_GRAPHQL,
        rest=rest_patch({"title": 5}),
        rest_expected=title_error("invalid", "rest"),
        pairing="GraphQL rejects a number for String! while coercing variables.",
    ),
    BadInput(
        "update title list",
        graphql=update_title(["a"]),
        graphql_expected=BAD_REQUEST_GRAPHQL,
        rest=rest_patch({"title": ["a"]}),
        rest_expected=title_error("invalid", "rest"),
    ),
    BadInput(
        "update title missing",
        graphql=graphql_operation(UPDATE_MUTATION, {"id": EXISTING_IMAGE}),
        graphql_expected=BAD_REQUEST_GRAPHQL,
        rest=rest_patch({"name": "New title"}),
        rest_expected=title_error("required", "rest"),
    ),
]

ID_CASES = [
    BadInput(
        "update id missing",
        graphql=graphql_operation('mutation { updateImage(title: "New title") { id } }'),
        graphql_expected=BAD_REQUEST_GRAPHQL,
        rest=rest_request("PATCH", REST_IMAGES_PATH, b'{"title": "New title"}', "application/json"),
        rest_expected=rejected(405),
        pairing="A REST PATCH without an id goes to the listing path, which has no PATCH.",
    ),
    BadInput(
        "get id missing",
        graphql=graphql_operation("{ image { id } }"),
        graphql_expected=BAD_REQUEST_GRAPHQL,
        rest=rest_request("GET", f"{REST_IMAGES_PATH}/"),
        rest_expected=NOT_FOUND_REST,
        pairing="REST gets an empty path segment for the id.",
    ),
    bad_image_id("id not numeric", "abc", "get"),
    bad_image_id("id negative", "-1", "update"),
    bad_image_id("id zero", "0", "get"),
    bad_image_id("id with underscore", "1_0", "get"),
    bad_image_id("id with plus sign", "+1", "update"),
    bad_image_id("id with space", " 1", "delete"),
    bad_image_id("id arabic-indic digit", "\u0661", "get"),
    bad_image_id("id int max", str(INT_MAX), "update"),
    bad_image_id("id over bigint", str(2**63), "get"),
    bad_image_id("id of 20 digits", "9" * 20, "delete"),
    BadInput(
        "id boolean",
        graphql=get_image(True),
        graphql_expected=BAD_REQUEST_GRAPHQL,
        rest=rest_get("true"),
        rest_expected=NOT_FOUND_REST,
        pairing="A path segment is text, so REST sends the word true.",
    ),
    BadInput(
        "id float",
        graphql=delete_image(1.5),
        graphql_expected=BAD_REQUEST_GRAPHQL,
        rest=rest_delete("1.5"),
        rest_expected=NOT_FOUND_REST,
    ),
]

PAGING_CASES = [
    bad_page("offset negative", -1, "-1", "offset", _validation("offset", "min_value"), "invalid"),
    bad_page("offset not integer", "abc", "abc", "offset", BAD_REQUEST_GRAPHQL, "invalid"),
    bad_page("offset fraction", 1.5, "1.5", "offset", BAD_REQUEST_GRAPHQL, "invalid"),
    bad_page("offset empty", "", "", "offset", BAD_REQUEST_GRAPHQL, "invalid"),
    bad_page("offset 2**31", 2**31, str(2**31), "offset", BAD_REQUEST_GRAPHQL, "max_value"),
    bad_page("offset 10**30", 10**30, str(10**30), "offset", BAD_REQUEST_GRAPHQL, "max_value"),
    bad_page("limit zero", 0, "0", "limit", LIMIT_OUT_OF_RANGE, "out_of_range"),
    bad_page("limit over max", 101, "101", "limit", LIMIT_OUT_OF_RANGE, "out_of_range"),
    bad_page("limit negative", -5, "-5", "limit", LIMIT_OUT_OF_RANGE, "invalid"),
    bad_page("limit 2**31", 2**31, str(2**31), "limit", BAD_REQUEST_GRAPHQL, "max_value"),
    bad_page("limit int max", INT_MAX, str(INT_MAX), "limit", LIMIT_OUT_OF_RANGE, "out_of_range"),
    bad_page("limit not integer", "ten", "ten", "limit", BAD_REQUEST_GRAPHQL, "invalid"),
    bad_page("limit with unit", "10px", "10px", "limit", BAD_REQUEST_GRAPHQL, "invalid"),
]

BODY_CASES = [
    BadInput(
        "map not json",
        graphql=graphql_multipart(
            [
                Part("operations", UPLOAD_OPERATIONS),
                Part("map", "{0: variables.file}"),
                Part("0", SMALL_JPEG, "photo.jpg"),
            ]
        ),
        graphql_expected=rejected(400),
        rest=rest_multipart(
            [Part("file", SMALL_JPEG, "photo.jpg")], content_type="multipart/form-data"
        ),
        rest_expected=rejected(400),
        pairing="REST has no map field. It sends a multipart body without a boundary.",
    ),
    BadInput(
        "operations not json",
        graphql=graphql_multipart(
            [
                Part("operations", "{'query': 1"),
                Part("map", UPLOAD_MAP),
                Part("0", SMALL_JPEG, "photo.jpg"),
            ]
        ),
        graphql_expected=rejected(400),
        rest=rest_multipart(
            [Part("file", SMALL_JPEG, "photo.jpg")], content_type="multipart/form-data; boundary="
        ),
        rest_expected=rejected(400),
        pairing="REST has no operations field. It sends a multipart body with an empty boundary.",
    ),
    BadInput(
        "map missing",
        graphql=graphql_multipart(
            [Part("operations", UPLOAD_OPERATIONS), Part("0", SMALL_JPEG, "photo.jpg")]
        ),
        graphql_expected=rejected(400),
        rest=rest_request("POST", REST_IMAGES_PATH, b"not a multipart body", MULTIPART),
        rest_expected=rejected(422, ErrorCode.VALIDATION_ERROR, ("file", "required")),
        pairing="REST has no map field. It sends a body with no multipart parts at all.",
    ),
    BadInput(
        "file part missing",
        graphql=graphql_multipart([Part("operations", UPLOAD_OPERATIONS), Part("map", UPLOAD_MAP)]),
        graphql_expected=rejected(400),
        rest=rest_multipart([Part("title", "No file")]),
        rest_expected=rejected(422, ErrorCode.VALIDATION_ERROR, ("file", "required")),
    ),
    BadInput(
        "extra file part",
        graphql=graphql_multipart(
            [
                Part("operations", UPLOAD_OPERATIONS),
                Part("map", UPLOAD_MAP),
                Part("0", SMALL_JPEG, "photo.jpg"),
                Part("1", SMALL_JPEG, "second.jpg"),
            ]
        ),
        graphql_expected=rejected(400),
        rest=rest_multipart(
            [Part("file", SMALL_JPEG, "photo.jpg"), Part("file", SMALL_JPEG, "second.jpg")]
        ),
        rest_expected=rejected(400),
    ),
    BadInput(
        "file part not in map",
        graphql=graphql_multipart(
            [
                Part("operations", UPLOAD_OPERATIONS),
                Part("map", UPLOAD_MAP),
                Part("image", SMALL_JPEG, "photo.jpg"),
            ]
        ),
        graphql_expected=rejected(400),
        rest=rest_multipart([Part("image", SMALL_JPEG, "photo.jpg")]),
        rest_expected=rejected(422, ErrorCode.VALIDATION_ERROR, ("file", "required")),
        pairing="REST receives the file under a field name other than 'file'.",
    ),
    BadInput(
        "map path to a string",
        graphql=graphql_multipart(
            [
                Part(
                    "operations",
                    json.dumps({"query": UPLOAD_MUTATION, "variables": {"file": "photo.jpg"}}),
                ),
                Part("map", UPLOAD_MAP),
                Part("0", SMALL_JPEG, "photo.jpg"),
            ]
        ),
        graphql_expected=rejected(400),
        rest=rest_multipart([Part("file", "photo.jpg")]),
        rest_expected=rejected(422, ErrorCode.VALIDATION_ERROR, ("file", "required")),
        pairing="REST receives 'file' as a text field rather than a file.",
    ),
    BadInput(
        "unexpected form field",
        graphql=graphql_multipart(
            [
                Part("operations", UPLOAD_OPERATIONS),
                Part("map", UPLOAD_MAP),
                Part("title", "Extra field"),
                Part("0", SMALL_JPEG, "photo.jpg"),
            ]
        ),
        graphql_expected=rejected(400),
        rest=rest_multipart([Part("file", SMALL_JPEG, "")]),
        rest_expected=rejected(422, ErrorCode.VALIDATION_ERROR, ("file", "required")),
        pairing="REST ignores extra fields. It sends a file part with an empty filename.",
    ),
    BadInput(
        "upload given a string",
        graphql=graphql_operation(UPLOAD_MUTATION, {"file": "photo.jpg"}),
        graphql_expected=BAD_REQUEST_GRAPHQL,
        rest=rest_multipart([Part("file", "photo.jpg"), Part("title", "A string")]),
        rest_expected=rejected(422, ErrorCode.VALIDATION_ERROR, ("file", "required")),
        pairing="REST receives 'file' as a text field rather than a file.",
    ),
    BadInput(
        "upload string in multipart",
        graphql=graphql_multipart(
            [
                Part(
                    "operations",
                    json.dumps({"query": UPLOAD_MUTATION, "variables": {"file": "photo.jpg"}}),
                ),
                Part("map", "{}"),
            ]
        ),
        graphql_expected=BAD_REQUEST_GRAPHQL,
        rest=rest_multipart([Part("file", "")]),
        rest_expected=rejected(422, ErrorCode.VALIDATION_ERROR, ("file", "required")),
        pairing="REST receives an empty text field 'file'.",
    ),
    BadInput(
        "json body truncated",
        graphql=graphql_body(b'{"query": "{ images { totalCount } }"'),
        graphql_expected=rejected(400),
        rest=rest_patch(b'{"title": "New title"'),
        rest_expected=rejected(400),
    ),
    BadInput(
        "json body empty",
        graphql=graphql_body(b""),
        graphql_expected=rejected(400),
        rest=rest_patch(b""),
        rest_expected=rejected(400),
    ),
    BadInput(
        "json body null",
        graphql=graphql_body(b"null"),
        graphql_expected=rejected(400),
        rest=rest_patch(b"null"),
        rest_expected=rejected(400),
    ),
    BadInput(
        "json body list",
        graphql=graphql_body(b'[{"query": "{ images { totalCount } }"}]'),
        graphql_expected=rejected(400),
        rest=rest_patch(b'[{"title": "New title"}]'),
        rest_expected=rejected(400),
    ),
    BadInput(
        "json body not utf-8",
        graphql=graphql_body(b'{"query": "{ images { totalCount } }", "x": "\xff"}'),
        graphql_expected=rejected(400),
        rest=rest_patch(b'{"title": "\xff"}'),
        rest_expected=rejected(400),
    ),
    BadInput(
        "json nested too deep",
        graphql=graphql_body(b"[" * 100_000 + b"]" * 100_000),
        graphql_expected=rejected(400),
        rest=rest_patch(b"[" * 100_000 + b"]" * 100_000),
        rest_expected=rejected(400),
    ),
    BadInput(
        "query not a string",
        graphql=graphql_body(b'{"query": 5}'),
        graphql_expected=rejected(400),
        rest=rest_patch({"title": {"text": "New title"}}),
        rest_expected=title_error("invalid", "rest"),
        pairing="REST sends a member of the wrong JSON type: an object as the title.",
    ),
    BadInput(
        "invalid content length",
        graphql=with_environ(
            graphql_body(b'{"query": "{ images { totalCount } }"}'), CONTENT_LENGTH="abc"
        ),
        graphql_expected=rejected(400),
        rest=with_environ(rest_patch({"title": "New title"}), CONTENT_LENGTH="abc"),
        rest_expected=rejected(400),
    ),
    BadInput(
        "upload over request size limit",
        graphql=graphql_upload("photo.jpg", SMALL_JPEG),
        graphql_expected=rejected(413),
        rest=rest_upload("photo.jpg", SMALL_JPEG),
        rest_expected=rejected(413),
        settings={"WAGTAIL_WRITE_API": {"MAX_REQUEST_SIZE": 2000}},
    ),
    BadInput(
        "patch over request size limit",
        graphql=update_title(LONG_TEXT),
        graphql_expected=rejected(413),
        rest=rest_patch({"title": LONG_TEXT}),
        rest_expected=rejected(413),
        settings={"WAGTAIL_WRITE_API": {"MAX_REQUEST_SIZE": 2000}},
    ),
    BadInput(
        "json over data upload limit",
        graphql=list_images(search=LONG_TEXT),
        graphql_expected=rejected(413),
        rest=rest_patch({"title": LONG_TEXT}),
        rest_expected=rejected(413),
        settings={"DATA_UPLOAD_MAX_MEMORY_SIZE": 2000},
    ),
    BadInput(
        "content type text/plain",
        graphql=graphql_body(b'{"query": "{ images { totalCount } }"}', "text/plain"),
        graphql_expected=rejected(400),
        rest=rest_patch({"title": "New title"}, content_type="text/plain"),
        rest_expected=rejected(415),
    ),
    BadInput(
        "content type form encoded",
        graphql=graphql_body(
            b"query=%7B+images+%7B+totalCount+%7D+%7D", "application/x-www-form-urlencoded"
        ),
        graphql_expected=rejected(400),
        rest=rest_request(
            "POST", REST_IMAGES_PATH, b"title=New+title", "application/x-www-form-urlencoded"
        ),
        rest_expected=rejected(415),
    ),
    BadInput(
        "content type missing",
        graphql=graphql_body(b'{"query": "{ images { totalCount } }"}', None),
        graphql_expected=rejected(400),
        rest=rest_request("POST", REST_IMAGES_PATH, b'{"title": "New title"}', None),
        rest_expected=rejected(415),
    ),
    BadInput(
        "json upload",
        graphql=graphql_body(json.dumps({"query": UPLOAD_MUTATION}).encode(), "application/json"),
        graphql_expected=BAD_REQUEST_GRAPHQL,
        rest=rest_request("POST", REST_IMAGES_PATH, b'{"title": "New title"}', "application/json"),
        rest_expected=rejected(415),
        pairing="GraphQL accepts JSON but the upload lacks its required file variable.",
    ),
    BadInput(
        "mutation via get",
        graphql=graphql_get('mutation { deleteImage(id: "1") { id } }'),
        graphql_expected=rejected(400),
        rest=rest_request("POST", f"{REST_IMAGES_PATH}1/"),
        rest_expected=rejected(405),
        pairing="REST sends a write with a method the path does not allow.",
    ),
    BadInput(
        "variables not json in get",
        graphql=graphql_get("{ images { totalCount } }", variables="{not json"),
        graphql_expected=rejected(400),
        rest=rest_list(offset="{not json"),
        rest_expected=rejected(400, ErrorCode.BAD_REQUEST, ("offset", "invalid")),
    ),
    BadInput(
        "method put",
        graphql=graphql_method("PUT"),
        graphql_expected=rejected(405),
        rest=rest_request("PUT", f"{REST_IMAGES_PATH}1/", b'{"title": "x"}', "application/json"),
        rest_expected=rejected(405),
    ),
    BadInput(
        "unknown field",
        graphql=graphql_operation("{ images { totalCount nope } }"),
        graphql_expected=BAD_REQUEST_GRAPHQL,
        rest=rest_request("GET", "/api/write/v1/imagez/"),
        rest_expected=NOT_FOUND_REST,
        pairing="REST has no field selection. It asks for an unknown path.",
    ),
    BadInput(
        "unknown argument",
        graphql=graphql_operation("{ images(sort: TITLE) { totalCount } }"),
        graphql_expected=BAD_REQUEST_GRAPHQL,
        rest=rest_request("GET", REST_IMAGES_PATH.rstrip("/")),
        rest_expected=NOT_FOUND_REST,
        pairing="REST ignores unknown parameters. It asks for the listing without its slash.",
    ),
    BadInput(
        "syntax error",
        graphql=graphql_operation("{ images { totalCount "),
        graphql_expected=BAD_REQUEST_GRAPHQL,
        rest=rest_request("GET", f"{REST_IMAGES_PATH}1/renditions/"),
        rest_expected=NOT_FOUND_REST,
        pairing="REST has no query language. It asks for a path below an image.",
    ),
    BadInput(
        "unknown collection",
        graphql=graphql_multipart(
            [
                Part(
                    "operations",
                    json.dumps(
                        {
                            "query": UPLOAD_MUTATION,
                            "variables": {"file": None, "collectionId": "99999"},
                        }
                    ),
                ),
                Part("map", UPLOAD_MAP),
                Part("0", SMALL_JPEG, "photo.jpg"),
            ]
        ),
        graphql_expected=_validation("collection", "invalid_choice"),
        rest=rest_upload("photo.jpg", SMALL_JPEG, title="x" * (TITLE_MAX_LENGTH + 1)),
        rest_expected=title_error("max_length", "rest"),
        pairing="REST uploads have no collection. REST sends an invalid upload field, the title.",
    ),
]

#: Every bad input. Each case id is unique.
BAD_INPUTS: list[BadInput] = [
    *CREDENTIAL_CASES,
    *FILE_CASES,
    *TITLE_CASES,
    *ID_CASES,
    *PAGING_CASES,
    *BODY_CASES,
]


@dataclass(frozen=True)
class OddListing:
    """A listing request with valid but unusual parameters, and the page it must return.

    The test's only image is titled "Fuzzed image". The search drops every
    character that is not a letter, digit or underscore. Wagtail's
    autocomplete then matches the last word as a prefix and the others as
    whole words, on SQLite and PostgreSQL alike, so "fuzzed ima" finds the
    image and "fuzz image" does not.
    """

    case_id: str
    search: str | None = None
    offset: int | None = None
    limit: int | None = None
    #: Expected ``totalCount``: the matches across all pages.
    total_count: int = 0
    #: Whether the image is on the returned page.
    on_page: bool = False


#: A listing that finds the image and returns it.
FOUND: dict[str, Any] = {"total_count": 1, "on_page": True}

ODD_LISTINGS = [
    OddListing("double quote", search='"'),
    OddListing("backslash", search="\\"),
    OddListing("asterisk", search="*"),
    OddListing("open parenthesis", search="("),
    OddListing("emoji", search="\U0001f4f7"),
    OddListing("nul character", search="\x00"),
    OddListing("nul between words", search="fuzzed\x00image", **FOUND),
    OddListing("quoted prefix", search='"fuzz', **FOUND),
    OddListing("escaped quote", search='fuzz\\"', **FOUND),
    OddListing("prefix wildcard", search="fuzz*", **FOUND),
    OddListing("parenthesis after word", search="Fuzz(", **FOUND),
    OddListing("sql comment", search="' OR 1=1 --"),
    OddListing("tsquery operators", search="fuzzed & !image | <->", **FOUND),
    OddListing("fts5 column syntax", search="fuzzed:image", **FOUND),
    OddListing("percent and underscore", search="%_%"),
    OddListing("lone minus", search="-"),
    OddListing("zero-width space", search="\u200b"),
    OddListing("10 KB single word", search="f" * 10_240),
    OddListing("10 KB of words", search="fuzzed " * 1_463, **FOUND),
    OddListing("offset past the end", offset=1_000_000, total_count=1),
    OddListing("offset int max", offset=INT_MAX, total_count=1),
    OddListing("limit max", limit=100, **FOUND),
    OddListing("limit one", limit=1, **FOUND),
]
