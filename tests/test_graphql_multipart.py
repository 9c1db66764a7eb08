"""Malformed GraphQL multipart requests and request bodies, over real HTTP.

Every request body here is built byte by byte and sent to pytest-django's
live server with ``requests``, so Django's multipart parser, the view's
validation and Strawberry see exactly what a client sent. Every malformed
request must get HTTP 400 with code ``BAD_REQUEST``, a message that names
the problem, and no image row or stored file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest
import requests
from django.test import override_settings
from wagtail.images import get_image_model

from tests.conftest import GRAPHQL_PATH, media_files, photo_bytes

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

#: Live-server tests need committed data. ``serialized_rollback`` restores the
#: root collection, which Wagtail's migrations create and uploads go into.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

#: Boundary of every hand-built multipart body.
BOUNDARY = "graphql-multipart-test-boundary"

UPLOAD = "mutation Upload($file: Upload!) { uploadImage(file: $file) { id title } }"

#: Two uploads in one operation, each with its own variable.
TWO_UPLOADS = """
mutation Two($a: Upload!, $b: Upload!) {
  a: uploadImage(file: $a, title: "A") { id title fileSize }
  b: uploadImage(file: $b, title: "B") { id title fileSize }
}
"""

#: An operations field for UPLOAD with the file replaced by null.
OPERATIONS = json.dumps({"query": UPLOAD, "variables": {"file": None}})

#: The map that fills OPERATIONS from the file part named "0".
FILE_MAP = json.dumps({"0": ["variables.file"]})


@dataclass(frozen=True)
class Part:
    """One multipart part: a form field, or a file part when ``file_name`` is set."""

    name: str
    content: bytes | str
    file_name: str | None = None


def encode_multipart(parts: list[Part], boundary: str = BOUNDARY) -> bytes:
    """Encode ``parts`` as a ``multipart/form-data`` body (RFC 7578)."""
    chunks: list[bytes] = []
    for part in parts:
        disposition = f'form-data; name="{part.name}"'
        if part.file_name is not None:
            disposition += f'; filename="{part.file_name}"'
        chunks.append(f"--{boundary}\r\nContent-Disposition: {disposition}\r\n".encode())
        if part.file_name is not None:
            chunks.append(b"Content-Type: image/jpeg\r\n")
        content = part.content.encode() if isinstance(part.content, str) else part.content
        chunks.append(b"\r\n" + content + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks)


def photo_part(name: str = "0", file_name: str = "photo.jpg") -> Part:
    return Part(name, photo_bytes(), file_name)


def post_body(
    live_server: LiveServer, body: bytes, content_type: str, token: str | None
) -> requests.Response:
    headers = {"Content-Type": content_type}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return requests.post(live_server.url + GRAPHQL_PATH, data=body, headers=headers, timeout=60)


def post_parts(live_server: LiveServer, parts: list[Part], token: str) -> requests.Response:
    content_type = f"multipart/form-data; boundary={BOUNDARY}"
    return post_body(live_server, encode_multipart(parts), content_type, token)


def only_error(response: requests.Response) -> dict[str, Any]:
    """Return the single error of a GraphQL-shaped error body."""
    body = response.json()
    assert body["data"] is None, body
    assert len(body["errors"]) == 1, body
    return body["errors"][0]


@dataclass(frozen=True)
class Malformed:
    """A malformed multipart request and a fragment of the message it must get."""

    case_id: str
    parts: list[Part]
    message: str
    settings: dict[str, Any] = field(default_factory=dict)


def _operations(variables: dict[str, Any], query: str = UPLOAD) -> str:
    return json.dumps({"query": query, "variables": variables})


MALFORMED = [
    Malformed(
        "operations missing",
        [Part("map", FILE_MAP), photo_part()],
        "no 'operations' field",
    ),
    Malformed(
        "map missing",
        [Part("operations", OPERATIONS), photo_part()],
        "no 'map' field",
    ),
    Malformed(
        "operations not json",
        [Part("operations", "{'query': 1"), Part("map", FILE_MAP), photo_part()],
        "'operations' field is not valid JSON",
    ),
    Malformed(
        "map not json",
        [Part("operations", OPERATIONS), Part("map", "{0: variables.file}"), photo_part()],
        "'map' field is not valid JSON",
    ),
    Malformed(
        "operations empty",
        [Part("operations", ""), Part("map", FILE_MAP), photo_part()],
        "'operations' field is not valid JSON",
    ),
    Malformed(
        "operations a number",
        [Part("operations", "5"), Part("map", FILE_MAP), photo_part()],
        "'operations' field must be a JSON object with a GraphQL 'query', not a number",
    ),
    Malformed(
        "operations null",
        [Part("operations", "null"), Part("map", FILE_MAP), photo_part()],
        "'operations' field must be a JSON object with a GraphQL 'query', not null",
    ),
    Malformed(
        "operations a string",
        [Part("operations", json.dumps(UPLOAD)), Part("map", FILE_MAP), photo_part()],
        "not a string",
    ),
    Malformed(
        "operations a list",
        [
            Part("operations", json.dumps([json.loads(OPERATIONS)])),
            Part("map", json.dumps({"0": ["0.variables.file"]})),
            photo_part(),
        ],
        "Batching is disabled",
    ),
    Malformed(
        "query missing",
        [
            Part("operations", json.dumps({"variables": {"file": None}})),
            Part("map", FILE_MAP),
            photo_part(),
        ],
        "No GraphQL query found in the request",
    ),
    Malformed(
        "query not a string",
        [Part("operations", json.dumps({"query": 5})), Part("map", "{}")],
        "'query' must be a string or null, not a number",
    ),
    Malformed(
        "variables a list",
        [Part("operations", json.dumps({"query": UPLOAD, "variables": [None]})), Part("map", "{}")],
        "'variables' must be an object or null, not a list",
    ),
    Malformed(
        "map a list",
        [Part("operations", OPERATIONS), Part("map", '[["variables.file"]]'), photo_part()],
        "'map' field must be a JSON object",
    ),
    Malformed(
        "map null",
        [Part("operations", OPERATIONS), Part("map", "null"), photo_part()],
        "'map' field must be a JSON object of {file part name: [operations paths]}, not null",
    ),
    Malformed(
        "map entry a string",
        [Part("operations", OPERATIONS), Part("map", '{"0": "variables.file"}'), photo_part()],
        "'map' entry '0' must be a list of operations paths",
    ),
    Malformed(
        "map entry numbers",
        [Part("operations", OPERATIONS), Part("map", '{"0": [0]}'), photo_part()],
        "'map' entry '0' contains a number",
    ),
    Malformed(
        "map entry nested list",
        [Part("operations", OPERATIONS), Part("map", '{"0": [["variables.file"]]}'), photo_part()],
        "'map' entry '0' contains a list",
    ),
    Malformed(
        "map entry empty",
        [Part("operations", OPERATIONS), Part("map", '{"0": []}'), photo_part()],
        "'map' entry '0' is an empty list",
    ),
    Malformed(
        "map key twice",
        [
            Part("operations", OPERATIONS),
            Part("map", '{"0": ["variables.file"], "0": ["variables.file"]}'),
            photo_part(),
        ],
        "contains the key '0' more than once",
    ),
    Malformed(
        "path to missing variable",
        [Part("operations", OPERATIONS), Part("map", '{"0": ["variables.nope"]}'), photo_part()],
        "invalid operations path 'variables.nope': 'variables' has no key 'nope'",
    ),
    Malformed(
        "path through null",
        [Part("operations", OPERATIONS), Part("map", '{"0": ["variables.file.0"]}'), photo_part()],
        "'variables.file' is null, which has no key '0'",
    ),
    Malformed(
        "path through string",
        [
            Part("operations", _operations({"file": None, "title": "x"})),
            Part("map", '{"0": ["variables.title.0"]}'),
            photo_part(),
        ],
        "'variables.title' is a string, which has no key '0'",
    ),
    Malformed(
        "path without variables",
        [Part("operations", OPERATIONS), Part("map", '{"0": ["file"]}'), photo_part()],
        "a path must start with 'variables.'",
    ),
    Malformed(
        "path into query",
        [Part("operations", OPERATIONS), Part("map", '{"0": ["query"]}'), photo_part()],
        "a path must start with 'variables.'",
    ),
    Malformed(
        "path into extensions",
        [
            Part("operations", json.dumps({"query": UPLOAD, "extensions": {"x": None}})),
            Part("map", '{"0": ["extensions.x"]}'),
            photo_part(),
        ],
        "a path must start with 'variables.'",
    ),
    Malformed(
        "path only variables",
        [Part("operations", OPERATIONS), Part("map", '{"0": ["variables"]}'), photo_part()],
        "followed by a variable name",
    ),
    Malformed(
        "path with batch index",
        [Part("operations", OPERATIONS), Part("map", '{"0": ["0.variables.file"]}'), photo_part()],
        "a path must start with 'variables.'",
    ),
    Malformed(
        "path without variables object",
        [Part("operations", json.dumps({"query": UPLOAD})), Part("map", FILE_MAP), photo_part()],
        "the operation has no 'variables' object",
    ),
    Malformed(
        "path index out of range",
        [
            Part("operations", _operations({"files": [None]})),
            Part("map", '{"0": ["variables.files.1"]}'),
            photo_part(),
        ],
        "index 1 is out of range for 'variables.files', a list of 1 items",
    ),
    Malformed(
        "path negative index",
        [
            Part("operations", _operations({"files": [None]})),
            Part("map", '{"0": ["variables.files.-1"]}'),
            photo_part(),
        ],
        "'variables.files' is a list, so the next key must be an index, not '-1'",
    ),
    Malformed(
        "path padded index",
        [
            Part("operations", _operations({"files": [None]})),
            Part("map", '{"0": ["variables.files.00"]}'),
            photo_part(),
        ],
        "must be an index, not '00'",
    ),
    Malformed(
        "path to non-null value",
        [
            Part("operations", _operations({"file": "photo.jpg"})),
            Part("map", FILE_MAP),
            photo_part(),
        ],
        "the value there is a string, but the spec requires null in place of each file",
    ),
    Malformed(
        "mapped part not sent",
        [Part("operations", OPERATIONS), Part("map", FILE_MAP)],
        "names the file part '0', but the request has no file part with that name",
    ),
    Malformed(
        "mapped part has other name",
        [Part("operations", OPERATIONS), Part("map", FILE_MAP), photo_part("1")],
        "The file part '1' is not named in the 'map' field",
    ),
    Malformed(
        "part not in map",
        [Part("operations", OPERATIONS), Part("map", "{}"), photo_part()],
        "The file part '0' is not named in the 'map' field",
    ),
    Malformed(
        "second part not in map",
        [Part("operations", OPERATIONS), Part("map", FILE_MAP), photo_part(), photo_part("1")],
        "The file part '1' is not named in the 'map' field",
        settings={"MAX_UPLOAD_FILES": 2},
    ),
    Malformed(
        "mapped part is a field",
        [Part("operations", OPERATIONS), Part("map", FILE_MAP), Part("0", photo_bytes())],
        "The part '0' named in the 'map' field is a form field, not a file",
    ),
    Malformed(
        "part without filename",
        [Part("operations", OPERATIONS), Part("map", FILE_MAP), photo_part(file_name="")],
        "The part '0' named in the 'map' field is a form field, not a file. Send each file "
        "as a part with a non-empty filename",
    ),
    Malformed(
        "part sent twice",
        [Part("operations", OPERATIONS), Part("map", FILE_MAP), photo_part(), photo_part()],
        "The file part '0' was sent 2 times",
        settings={"MAX_UPLOAD_FILES": 2},
    ),
    Malformed(
        "path mapped twice",
        [
            Part("operations", OPERATIONS),
            Part("map", '{"0": ["variables.file"], "1": ["variables.file"]}'),
            photo_part(),
            photo_part("1"),
        ],
        "The operations path 'variables.file' is mapped more than once",
        settings={"MAX_UPLOAD_FILES": 2},
    ),
    Malformed(
        "operations sent as file",
        [Part("operations", OPERATIONS, "operations.json"), Part("map", FILE_MAP), photo_part()],
        "The 'operations' part must be a form field, not a file",
    ),
    Malformed(
        "operations sent twice",
        [Part("operations", OPERATIONS), Part("operations", OPERATIONS), Part("map", FILE_MAP)],
        "The 'operations' field was sent 2 times",
    ),
    Malformed(
        "map sent twice",
        [Part("operations", OPERATIONS), Part("map", FILE_MAP), Part("map", FILE_MAP), photo_part()],
        "The 'map' field was sent 2 times",
    ),
    Malformed(
        "unexpected field",
        [Part("operations", OPERATIONS), Part("map", FILE_MAP), Part("title", "x"), photo_part()],
        "Unexpected form field 'title'",
    ),
    Malformed(
        "empty body",
        [],
        "no 'operations' field",
    ),
]


@pytest.mark.parametrize("case", MALFORMED, ids=[case.case_id for case in MALFORMED])
def test_malformed_multipart_rejected(
    live_server: LiveServer, superuser_token: str, case: Malformed
) -> None:
    with override_settings(WAGTAIL_WRITE_API=case.settings):
        response = post_parts(live_server, case.parts, superuser_token)

    assert response.status_code == 400, response.text
    assert response.headers["Content-Type"] == "application/json"
    error = only_error(response)
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert case.message in error["message"]
    assert get_image_model().objects.count() == 0
    assert media_files() == set()


def test_multipart_without_boundary_rejected(live_server: LiveServer, superuser_token: str) -> None:
    body = encode_multipart([Part("operations", OPERATIONS), Part("map", FILE_MAP), photo_part()])

    response = post_body(live_server, body, "multipart/form-data", superuser_token)

    assert response.status_code == 400
    error = only_error(response)
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "The multipart body is malformed: Invalid boundary" in error["message"]
    assert get_image_model().objects.count() == 0


def test_multipart_truncated_rejected(live_server: LiveServer, superuser_token: str) -> None:
    """A body cut off inside the file part, with a matching Content-Length."""
    body = encode_multipart([Part("operations", OPERATIONS), Part("map", FILE_MAP), photo_part()])
    content_type = f"multipart/form-data; boundary={BOUNDARY}"

    response = post_body(live_server, body[: len(body) // 2], content_type, superuser_token)

    assert response.status_code == 400
    error = only_error(response)
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "no file part with that name" in error["message"]
    assert get_image_model().objects.count() == 0
    assert media_files() == set()


def test_multipart_valid_upload_stored(live_server: LiveServer, superuser_token: str) -> None:
    parts = [Part("operations", OPERATIONS), Part("map", FILE_MAP), photo_part()]

    response = post_parts(live_server, parts, superuser_token)

    assert response.status_code == 200
    body = response.json()
    assert body.get("errors") is None, body
    assert body["data"]["uploadImage"]["title"] == "photo.jpg"
    assert get_image_model().objects.count() == 1
    image = get_image_model().objects.get()
    assert image.file.name in media_files()


def test_multipart_csrf_field_allowed(live_server: LiveServer, superuser_token: str) -> None:
    """Django's CSRF form field is the one extra field a multipart request may send."""
    parts = [
        Part("operations", OPERATIONS),
        Part("map", FILE_MAP),
        Part("csrfmiddlewaretoken", "unused-with-a-bearer-token"),
        photo_part(),
    ]

    response = post_parts(live_server, parts, superuser_token)

    assert response.status_code == 200
    assert response.json().get("errors") is None
    assert get_image_model().objects.count() == 1


def test_multipart_one_file_two_paths(live_server: LiveServer, superuser_token: str) -> None:
    """The spec lets one file part fill several paths (file deduplication)."""
    parts = [
        Part("operations", json.dumps({"query": TWO_UPLOADS, "variables": {"a": None, "b": None}})),
        Part("map", json.dumps({"0": ["variables.a", "variables.b"]})),
        photo_part(),
    ]

    response = post_parts(live_server, parts, superuser_token)

    assert response.status_code == 200
    body = response.json()
    assert body.get("errors") is None, body
    assert body["data"]["a"]["title"] == "A"
    assert body["data"]["b"]["title"] == "B"
    assert body["data"]["a"]["fileSize"] == len(photo_bytes())
    assert body["data"]["b"]["fileSize"] == len(photo_bytes())
    assert get_image_model().objects.count() == 2
    assert len(media_files() & {image.file.name for image in get_image_model().objects.all()}) == 2


def test_multipart_file_list_paths(live_server: LiveServer, superuser_token: str) -> None:
    """Paths may index into a list variable; each index must hold a null."""
    query = """
    mutation Two($files: [Upload!]!) {
      a: uploadImage(file: $files, title: "A") { id }
    }
    """
    parts = [
        Part("operations", json.dumps({"query": query, "variables": {"files": [None]}})),
        Part("map", json.dumps({"0": ["variables.files.0"]})),
        photo_part(),
    ]

    response = post_parts(live_server, parts, superuser_token)

    # The path is valid, so the request reaches GraphQL, which rejects a
    # list for the single Upload argument with its own validation error.
    assert response.status_code == 200
    error = only_error(response)
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "[Upload!]!" in error["message"]
    assert get_image_model().objects.count() == 0


@override_settings(WAGTAIL_WRITE_API={"ALLOW_BATCHING": True, "MAX_UPLOAD_FILES": 2})
def test_multipart_batch_uploads(live_server: LiveServer, superuser_token: str) -> None:
    operations = [
        {"query": UPLOAD, "variables": {"file": None}},
        {"query": UPLOAD, "variables": {"file": None}},
    ]
    parts = [
        Part("operations", json.dumps(operations)),
        Part("map", json.dumps({"a": ["0.variables.file"], "b": ["1.variables.file"]})),
        photo_part("a", "first.jpg"),
        photo_part("b", "second.jpg"),
    ]

    response = post_parts(live_server, parts, superuser_token)

    assert response.status_code == 200
    results = response.json()
    assert isinstance(results, list)
    assert [result["data"]["uploadImage"]["title"] for result in results] == [
        "first.jpg",
        "second.jpg",
    ]
    assert get_image_model().objects.count() == 2


@pytest.mark.parametrize(
    ("paths", "message"),
    [
        (["2.variables.file"], "must start with the index of an operation, 0 to 1"),
        (["variables.file"], "must start with the index of an operation, 0 to 1"),
        (["x.variables.file"], "must start with the index of an operation, 0 to 1"),
        (["0.file"], "a path must start with '0.variables.'"),
        (["1.variables.nope"], "'variables' has no key 'nope'"),
    ],
    ids=["index out of range", "no index", "index not a number", "no variables", "no variable"],
)
@override_settings(WAGTAIL_WRITE_API={"ALLOW_BATCHING": True})
def test_multipart_batch_path_rejected(
    live_server: LiveServer, superuser_token: str, paths: list[str], message: str
) -> None:
    operations = [
        {"query": UPLOAD, "variables": {"file": None}},
        {"query": UPLOAD, "variables": {"file": None}},
    ]
    parts = [
        Part("operations", json.dumps(operations)),
        Part("map", json.dumps({"0": paths})),
        photo_part(),
    ]

    response = post_parts(live_server, parts, superuser_token)

    assert response.status_code == 400
    error = only_error(response)
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert message in error["message"]
    assert get_image_model().objects.count() == 0
    assert media_files() == set()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "The request body is not valid JSON"),
        (b"{", "The request body is not valid JSON"),
        (b"null", "must be a JSON object with a GraphQL 'query', not null"),
        (b"5", "must be a JSON object with a GraphQL 'query', not a number"),
        (b'"{ images { totalCount } }"', "not a string"),
        (b"true", "not a boolean"),
        (b"\xff\xfe{}", "The request body is not valid UTF-8"),
        (b"[" * 100_000, "The request body is nested too deeply to parse"),
        (
            b'{"query": "{ __typename }", "variables": {"n": ' + b"9" * 5000 + b"}}",
            "contains a number with too many digits",
        ),
        (b'{"query": "{ __typename }", "variables": "x"}', "'variables' must be an object"),
        (b'{"query": "{ __typename }", "extensions": []}', "'extensions' must be an object"),
        (b'{"query": "{ __typename }", "operationName": 1}', "'operationName' must be a string"),
        (b"[]", "Batching is disabled"),
    ],
    ids=[
        "empty",
        "not json",
        "null",
        "number",
        "string",
        "boolean",
        "not utf-8",
        "nested too deeply",
        "huge number",
        "variables a string",
        "extensions a list",
        "operation name a number",
        "empty list",
    ],
)
def test_json_body_rejected(
    live_server: LiveServer, superuser_token: str, body: bytes, message: str
) -> None:
    response = post_body(live_server, body, "application/json", superuser_token)

    assert response.status_code == 400
    error = only_error(response)
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert message in error["message"]


@pytest.mark.parametrize(
    ("value", "description"),
    [("photo.jpg", "a string"), (5, "a number"), ({"name": "photo.jpg"}, "an object")],
    ids=["string", "number", "object"],
)
def test_upload_variable_not_a_file(
    live_server: LiveServer, superuser_token: str, value: object, description: str
) -> None:
    body = json.dumps({"query": UPLOAD, "variables": {"file": value}}).encode()

    response = post_body(live_server, body, "application/json", superuser_token)

    assert response.status_code == 200
    error = only_error(response)
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert f"Upload value must be a file sent as a part of a GraphQL multipart request, not {description}" in error["message"]
    assert get_image_model().objects.count() == 0


def test_upload_literal_not_a_file(live_server: LiveServer, superuser_token: str) -> None:
    query = 'mutation { uploadImage(file: "photo.jpg") { id } }'
    body = json.dumps({"query": query}).encode()

    response = post_body(live_server, body, "application/json", superuser_token)

    assert response.status_code == 200
    error = only_error(response)
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "Upload value must be a file" in error["message"]
    assert "not a string" in error["message"]
    assert get_image_model().objects.count() == 0


def test_multipart_upload_string_variable(live_server: LiveServer, superuser_token: str) -> None:
    """A string in place of the file, with no file part, never reaches the resolver."""
    parts = [Part("operations", _operations({"file": "photo.jpg"})), Part("map", "{}")]

    response = post_parts(live_server, parts, superuser_token)

    assert response.status_code == 200
    error = only_error(response)
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "Upload value must be a file" in error["message"]
    assert get_image_model().objects.count() == 0


def test_unsupported_content_type(live_server: LiveServer, superuser_token: str) -> None:
    response = post_body(live_server, b"{ images { totalCount } }", "text/plain", superuser_token)

    assert response.status_code == 400
    error = only_error(response)
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert error["message"] == "Unsupported content type"


def test_put_method_not_allowed(live_server: LiveServer, superuser_token: str) -> None:
    response = requests.put(
        live_server.url + GRAPHQL_PATH,
        json={"query": "{ __typename }"},
        headers={"Authorization": f"Bearer {superuser_token}"},
        timeout=60,
    )

    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, POST"
    error = only_error(response)
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "GET and POST" in error["message"]


def test_get_variables_not_json(live_server: LiveServer, superuser_token: str) -> None:
    response = requests.get(
        live_server.url + GRAPHQL_PATH,
        params={"query": "{ __typename }", "variables": "{"},
        headers={"Authorization": f"Bearer {superuser_token}"},
        timeout=60,
    )

    assert response.status_code == 400
    error = only_error(response)
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "JSON" in error["message"]
