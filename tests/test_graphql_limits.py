"""The GraphQL endpoint's limits: document size and shape, batches, files, body size.

Document limits go through the Django test client, since only the GraphQL
result matters there. File and body size limits go over real HTTP to the
live server, or through Django's ASGI handler with a hand-fed body, because
they depend on how the server reads the raw body. Every limit is tested at
its value (accepted) and one above it (rejected), with ``override_settings``
to show that each setting is read per request.
"""

from __future__ import annotations

import asyncio
import http.client
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from django.core.checks import Error
from django.core.handlers.asgi import ASGIHandler
from django.test import Client, override_settings
from graphql import get_introspection_query
from wagtail.images import get_image_model

from tests.conftest import GRAPHQL_PATH, media_files, photo_bytes
from tests.test_graphql_multipart import (
    BOUNDARY,
    FILE_MAP,
    OPERATIONS,
    TWO_UPLOADS,
    UPLOAD,
    Part,
    encode_multipart,
    only_error,
    photo_part,
    post_body,
    post_parts,
)
from wagtail_write_graphql.checks import check_settings
from wagtail_write_graphql.graphql.limits import REQUEST_SIZE_MARGIN, max_request_size

if TYPE_CHECKING:
    from django.http import HttpResponse
    from pytest_django.live_server_helper import LiveServer

    from tests.conftest import GraphQLClient

#: Live-server tests need committed data. ``serialized_rollback`` restores the
#: root collection, which Wagtail's migrations create and uploads go into.
LIVE = pytest.mark.django_db(transaction=True, serialized_rollback=True)

#: ``Content-Type`` of every hand-built multipart body.
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"

#: Wagtail's default image size limit, which the default body size limit uses.
TEN_MIB = 10 * 1024 * 1024

#: A query three levels deep: ``images`` is at depth 0, ``name`` at depth 3.
DEPTH_3_QUERY = "{ images { items { renditions { name } } } }"


def result(response: HttpResponse) -> dict[str, Any]:
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def messages(body: dict[str, Any]) -> list[str]:
    return [error["message"] for error in body.get("errors") or []]


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors") or []]


def nested_query(depth: int) -> str:
    """Return ``{ f { f { ... f } } }`` with the innermost field at ``depth``.

    The field does not exist, so validation also reports it, but the depth
    rule counts fields in the document whether they exist or not.
    """
    return "{ " + "f { " * depth + "f" + " }" * depth + " }"


def aliases_query(count: int) -> str:
    return "{ " + " ".join(f"a{index}: __typename" for index in range(count)) + " }"


def tokens_query(count: int) -> str:
    """Return ``{ __typename }`` padded with comments to exactly ``count`` tokens.

    graphql-core's ``max_tokens`` counts comments. Repeating a field instead
    would trip graphql-core's own budget for comparing overlapping fields.
    """
    return "{ __typename\n" + "#\n" * (count - 3) + "}"


def depth_errors(body: dict[str, Any]) -> list[str]:
    return [message for message in messages(body) if "exceeds maximum operation depth" in message]


# Query depth


def test_depth_default_boundary(api: GraphQLClient) -> None:
    at_limit = result(api.execute(nested_query(10)))
    over_limit = result(api.execute(nested_query(11)))

    assert depth_errors(at_limit) == []
    assert depth_errors(over_limit) == ["'anonymous' exceeds maximum operation depth of 10"]


@override_settings(WAGTAIL_WRITE_API={"MAX_QUERY_DEPTH": 3})
def test_depth_override_at_limit(api: GraphQLClient) -> None:
    body = result(api.execute(DEPTH_3_QUERY))

    assert body.get("errors") is None, body
    assert body["data"]["images"]["items"] == []


@override_settings(WAGTAIL_WRITE_API={"MAX_QUERY_DEPTH": 2})
def test_depth_override_over_limit(api: GraphQLClient) -> None:
    body = result(api.execute(DEPTH_3_QUERY))

    assert body["data"] is None
    assert messages(body) == ["'anonymous' exceeds maximum operation depth of 2"]
    assert codes(body) == ["BAD_REQUEST"]


@override_settings(WAGTAIL_WRITE_API={"MAX_QUERY_DEPTH": 2})
def test_depth_counts_fragments(api: GraphQLClient) -> None:
    query = """
    query Deep { images { ...Items } }
    fragment Items on ImagePage { items { renditions { name } } }
    """

    body = result(api.execute(query))

    assert messages(body) == ["'Deep' exceeds maximum operation depth of 2"]


# Aliases


def test_aliases_default_boundary(api: GraphQLClient) -> None:
    at_limit = result(api.execute(aliases_query(15)))
    over_limit = result(api.execute(aliases_query(16)))

    assert at_limit.get("errors") is None, at_limit
    assert at_limit["data"]["a14"] == "Query"
    assert messages(over_limit) == ["16 aliases found. Allowed: 15"]
    assert codes(over_limit) == ["BAD_REQUEST"]


@override_settings(WAGTAIL_WRITE_API={"MAX_ALIASES": 2})
def test_aliases_override_boundary(api: GraphQLClient) -> None:
    at_limit = result(api.execute(aliases_query(2)))
    over_limit = result(api.execute(aliases_query(3)))

    assert at_limit.get("errors") is None, at_limit
    assert messages(over_limit) == ["3 aliases found. Allowed: 2"]


# Tokens


def test_tokens_default_boundary(api: GraphQLClient) -> None:
    at_limit = result(api.execute(tokens_query(2000)))
    over_limit = result(api.execute(tokens_query(2001)))

    assert at_limit.get("errors") is None
    assert at_limit["data"] == {"__typename": "Query"}
    assert over_limit["data"] is None
    assert len(messages(over_limit)) == 1
    assert "Document contains more than 2000 tokens. Parsing aborted." in messages(over_limit)[0]
    assert codes(over_limit) == ["BAD_REQUEST"]


@override_settings(WAGTAIL_WRITE_API={"MAX_TOKENS": 3})
def test_tokens_override_boundary(api: GraphQLClient) -> None:
    at_limit = result(api.execute("{ __typename }"))
    over_limit = result(api.execute("{ __typename __typename }"))

    assert at_limit.get("errors") is None
    assert "Document contains more than 3 tokens" in messages(over_limit)[0]


@override_settings(WAGTAIL_WRITE_API={"MAX_TOKENS": 3})
def test_tokens_count_comments(api: GraphQLClient) -> None:
    body = result(api.execute("{ __typename # padding\n }"))

    assert "Document contains more than 3 tokens" in messages(body)[0]


# Batching


def _batch(count: int) -> list[dict[str, Any]]:
    return [{"query": "{ __typename }"} for _index in range(count)]


def _post_json(client: Client, token: str, payload: object) -> HttpResponse:
    return client.post(
        GRAPHQL_PATH,
        data=json.dumps(payload),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_batch_rejected_by_default(superuser_token: str) -> None:
    response = _post_json(Client(), superuser_token, _batch(1))

    assert response.status_code == 400
    body = json.loads(response.content)
    assert body["data"] is None
    assert messages(body) == [
        "Batching is disabled: send one GraphQL operation as a JSON object, not a list."
    ]
    assert codes(body) == ["BAD_REQUEST"]


@override_settings(WAGTAIL_WRITE_API={"ALLOW_BATCHING": True})
def test_batch_allowed(superuser_token: str) -> None:
    payload = [{"query": "{ __typename }"}, {"query": "{ images { totalCount } }"}]

    response = _post_json(Client(), superuser_token, payload)

    assert response.status_code == 200
    body = json.loads(response.content)
    assert body == [{"data": {"__typename": "Query"}}, {"data": {"images": {"totalCount": 0}}}]


@override_settings(WAGTAIL_WRITE_API={"ALLOW_BATCHING": True, "MAX_BATCH_OPERATIONS": 2})
def test_batch_size_boundary(superuser_token: str) -> None:
    at_limit = _post_json(Client(), superuser_token, _batch(2))
    over_limit = _post_json(Client(), superuser_token, _batch(3))

    assert at_limit.status_code == 200
    assert len(json.loads(at_limit.content)) == 2
    assert over_limit.status_code == 400
    body = json.loads(over_limit.content)
    assert messages(body) == ["The batch has 3 operations, more than the maximum of 2."]
    assert codes(body) == ["BAD_REQUEST"]


@override_settings(WAGTAIL_WRITE_API={"ALLOW_BATCHING": True})
def test_batch_default_size_boundary(superuser_token: str) -> None:
    at_limit = _post_json(Client(), superuser_token, _batch(10))
    over_limit = _post_json(Client(), superuser_token, _batch(11))

    assert at_limit.status_code == 200
    assert over_limit.status_code == 400


@override_settings(WAGTAIL_WRITE_API={"ALLOW_BATCHING": True})
@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], "The batch is empty: send at least one GraphQL operation."),
        ([{"query": "{ __typename }"}, None], "Operation 1 of the batch must be a JSON object, not null."),
        ([["{ __typename }"]], "Operation 0 of the batch must be a JSON object, not a list."),
        ([{"query": 1}], "Operation 0 of the batch: 'query' must be a string or null, not a number."),
    ],
    ids=["empty", "null operation", "nested list", "query a number"],
)
def test_batch_malformed_rejected(superuser_token: str, payload: object, message: str) -> None:
    response = _post_json(Client(), superuser_token, payload)

    assert response.status_code == 400
    body = json.loads(response.content)
    assert messages(body) == [message]
    assert codes(body) == ["BAD_REQUEST"]


# Introspection


SCHEMA_QUERY = "{ __schema { queryType { name } } }"
TYPE_QUERY = '{ __type(name: "Image") { name } }'


def test_introspection_on_by_default(api: GraphQLClient) -> None:
    body = result(api.execute(SCHEMA_QUERY))

    assert body.get("errors") is None
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


def test_full_introspection_within_defaults(api: GraphQLClient) -> None:
    """GraphiQL's introspection query passes the default depth, alias and token limits."""
    query = get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
    )

    body = result(api.execute(query))

    assert body.get("errors") is None
    type_names = {entry["name"] for entry in body["data"]["__schema"]["types"]}
    assert "Image" in type_names


@override_settings(WAGTAIL_WRITE_API={"INTROSPECTION": False})
@pytest.mark.parametrize(("query", "field"), [(SCHEMA_QUERY, "__schema"), (TYPE_QUERY, "__type")])
def test_introspection_off_rejected(api: GraphQLClient, query: str, field: str) -> None:
    body = result(api.execute(query))

    assert body["data"] is None
    assert messages(body)[0] == (
        "GraphQL introspection has been disabled, but the requested query contained "
        f"the field '{field}'."
    )
    assert set(codes(body)) == {"BAD_REQUEST"}


@override_settings(WAGTAIL_WRITE_API={"INTROSPECTION": False})
def test_introspection_off_typename_allowed(api: GraphQLClient) -> None:
    body = result(api.execute("{ __typename images { totalCount } }"))

    assert body.get("errors") is None
    assert body["data"]["__typename"] == "Query"


@override_settings(WAGTAIL_WRITE_API={"INTROSPECTION": False})
def test_introspection_off_graphiql_loads(db: None) -> None:
    response = Client().get(GRAPHQL_PATH, headers={"Accept": "text/html"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"graphiql" in response.content.lower()


# Files per request


def _two_upload_parts(file_count: int) -> list[Part]:
    """Return the parts of TWO_UPLOADS, with ``file_count`` file parts (2 are mapped)."""
    parts = [
        Part("operations", json.dumps({"query": TWO_UPLOADS, "variables": {"a": None, "b": None}})),
        Part("map", json.dumps({"0": ["variables.a"], "1": ["variables.b"]})),
    ]
    return parts + [photo_part(str(index), f"photo-{index}.jpg") for index in range(file_count)]


@LIVE
def test_upload_count_default_rejected(live_server: LiveServer, superuser_token: str) -> None:
    response = post_parts(live_server, _two_upload_parts(2), superuser_token)

    assert response.status_code == 400
    error = only_error(response)
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert error["message"] == "The request has 2 file parts, more than the maximum of 1 per request."
    assert get_image_model().objects.count() == 0
    assert media_files() == set()


@LIVE
@override_settings(WAGTAIL_WRITE_API={"MAX_UPLOAD_FILES": 2})
def test_upload_count_override_at_limit(live_server: LiveServer, superuser_token: str) -> None:
    response = post_parts(live_server, _two_upload_parts(2), superuser_token)

    assert response.status_code == 200
    body = response.json()
    assert body.get("errors") is None, body
    assert get_image_model().objects.count() == 2


@LIVE
@override_settings(WAGTAIL_WRITE_API={"MAX_UPLOAD_FILES": 2})
def test_upload_count_override_over_limit(live_server: LiveServer, superuser_token: str) -> None:
    response = post_parts(live_server, _two_upload_parts(3), superuser_token)

    assert response.status_code == 400
    error = only_error(response)
    assert error["message"] == "The request has 3 file parts, more than the maximum of 2 per request."
    assert get_image_model().objects.count() == 0
    assert media_files() == set()


@LIVE
@override_settings(
    DATA_UPLOAD_MAX_NUMBER_FILES=1, WAGTAIL_WRITE_API={"MAX_UPLOAD_FILES": 5}
)
def test_django_file_count_limit(live_server: LiveServer, superuser_token: str) -> None:
    """Django's own DATA_UPLOAD_MAX_NUMBER_FILES stops the parser with a clear 400."""
    response = post_parts(live_server, _two_upload_parts(2), superuser_token)

    assert response.status_code == 400
    error = only_error(response)
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "The multipart request has too many parts" in error["message"]
    assert get_image_model().objects.count() == 0


@LIVE
@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=1)
def test_django_field_count_limit(live_server: LiveServer, superuser_token: str) -> None:
    parts = [Part("operations", OPERATIONS), Part("map", FILE_MAP), photo_part()]

    response = post_parts(live_server, parts, superuser_token)

    assert response.status_code == 400
    error = only_error(response)
    assert "The multipart request has too many parts" in error["message"]
    assert get_image_model().objects.count() == 0


# Request size


def _upload_body() -> bytes:
    return encode_multipart([Part("operations", OPERATIONS), Part("map", FILE_MAP), photo_part()])


def test_request_size_default() -> None:
    assert max_request_size() == TEN_MIB + REQUEST_SIZE_MARGIN


@override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=2_000_000)
def test_request_size_follows_image_limit() -> None:
    assert max_request_size() == 2_000_000 + REQUEST_SIZE_MARGIN


@override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=2_000_000, WAGTAIL_WRITE_API={"MAX_UPLOAD_FILES": 3})
def test_request_size_follows_file_count() -> None:
    assert max_request_size() == 3 * 2_000_000 + REQUEST_SIZE_MARGIN


@override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=None)
def test_request_size_without_image_limit() -> None:
    assert max_request_size() == TEN_MIB + REQUEST_SIZE_MARGIN


@override_settings(WAGTAIL_WRITE_API={"MAX_REQUEST_SIZE": 1234})
def test_request_size_setting() -> None:
    assert max_request_size() == 1234


@LIVE
def test_request_size_at_limit(live_server: LiveServer, superuser_token: str) -> None:
    body = _upload_body()

    with override_settings(WAGTAIL_WRITE_API={"MAX_REQUEST_SIZE": len(body)}):
        response = post_body(live_server, body, MULTIPART, superuser_token)

    assert response.status_code == 200
    assert response.json().get("errors") is None
    assert get_image_model().objects.count() == 1


@LIVE
def test_request_size_over_limit(live_server: LiveServer, superuser_token: str) -> None:
    body = _upload_body()

    with override_settings(WAGTAIL_WRITE_API={"MAX_REQUEST_SIZE": len(body) - 1}):
        response = post_body(live_server, body, MULTIPART, superuser_token)

    assert response.status_code == 413
    error = only_error(response)
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert error["message"] == (
        f"The request body is larger than the limit of {len(body) - 1} bytes. "
        "Send a smaller file, or fewer files per request."
    )
    assert get_image_model().objects.count() == 0
    assert media_files() == set()


@LIVE
def test_request_size_default_over_limit(live_server: LiveServer, superuser_token: str) -> None:
    """A body one byte over the default limit, with a real photo at its start."""
    limit = TEN_MIB + REQUEST_SIZE_MARGIN
    body = _upload_body()
    # Padding in the file part after the JPEG's end marker keeps the body a
    # well-formed multipart request of exactly limit + 1 bytes.
    padded = encode_multipart(
        [
            Part("operations", OPERATIONS),
            Part("map", FILE_MAP),
            Part("0", photo_bytes() + b"\0" * (limit + 1 - len(body)), "photo.jpg"),
        ]
    )
    assert len(padded) == limit + 1

    response = post_body(live_server, padded, MULTIPART, superuser_token)

    assert response.status_code == 413
    assert f"larger than the limit of {limit} bytes" in only_error(response)["message"]
    assert get_image_model().objects.count() == 0
    assert media_files() == set()


def _raw_post(live_server: LiveServer, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
    """Send a POST with these headers and no body, and return the status and JSON body.

    http.client sends exactly the given headers, so a test can claim any
    Content-Length or none. The socket timeout only stops a hung test.
    """
    address = urlsplit(live_server.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    try:
        connection.putrequest("POST", GRAPHQL_PATH, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


@LIVE
def test_content_length_checked_before_body(live_server: LiveServer) -> None:
    """A Content-Length over the limit is rejected without reading the body.

    The client never sends the body, so a server that tried to read it would
    wait for it instead of responding.
    """
    status, body = _raw_post(
        live_server, {"Content-Type": MULTIPART, "Content-Length": str(10**9), "Connection": "close"}
    )

    assert status == 413
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert "larger than the limit of" in body["errors"][0]["message"]


@LIVE
def test_content_length_invalid(live_server: LiveServer) -> None:
    status, body = _raw_post(
        live_server, {"Content-Type": MULTIPART, "Content-Length": "12abc", "Connection": "close"}
    )

    assert status == 400
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert body["errors"][0]["message"] == (
        "Invalid Content-Length header '12abc': expected a non-negative integer."
    )


@LIVE
def test_content_length_absent(live_server: LiveServer) -> None:
    """Without Content-Length a WSGI server passes no body, so the fields are missing."""
    status, body = _raw_post(live_server, {"Content-Type": MULTIPART, "Connection": "close"})

    assert status == 400
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert "The multipart request has no 'operations' field" in body["errors"][0]["message"]


@LIVE
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_django_memory_limit_json(live_server: LiveServer, superuser_token: str) -> None:
    """Django's RequestDataTooBig for a JSON body becomes HTTP 413, not an HTML 400."""
    payload = {"query": "{ __typename }", "variables": {"padding": "x" * 2000}}

    response = post_body(live_server, json.dumps(payload).encode(), "application/json", superuser_token)

    assert response.status_code == 413
    error = only_error(response)
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert error["message"] == (
        "The request's non-file data is larger than the server's limit of 1000 bytes "
        "(Django's DATA_UPLOAD_MAX_MEMORY_SIZE)."
    )


@LIVE
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_django_memory_limit_multipart(live_server: LiveServer, superuser_token: str) -> None:
    operations = json.dumps({"query": UPLOAD, "variables": {"file": None, "title": "x" * 2000}})
    parts = [Part("operations", operations), Part("map", FILE_MAP), photo_part()]

    response = post_parts(live_server, parts, superuser_token)

    assert response.status_code == 413
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE" in only_error(response)["message"]
    assert get_image_model().objects.count() == 0
    assert media_files() == set()


# Request size under ASGI, where the server buffers the whole body


def _asgi_post(headers: dict[str, str], body: bytes, chunk_size: int = 1000) -> tuple[int, dict[str, Any]]:
    """Send a POST through Django's ASGI handler and return the status and JSON body.

    The body arrives in chunks, as a server passes on a chunked request.
    """
    chunks = [body[start : start + chunk_size] for start in range(0, len(body), chunk_size)] or [b""]
    incoming = [
        {"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1}
        for index, chunk in enumerate(chunks)
    ]
    outgoing: list[dict[str, Any]] = []
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": GRAPHQL_PATH,
        "raw_path": GRAPHQL_PATH.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(name.lower().encode(), value.encode()) for name, value in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }

    async def receive() -> dict[str, Any]:
        if incoming:
            return incoming.pop(0)
        # The client stays connected; Django cancels this wait once it has
        # sent the response.
        await asyncio.Future()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        outgoing.append(message)

    asyncio.run(ASGIHandler()(scope, receive, send))
    start = next(message for message in outgoing if message["type"] == "http.response.start")
    content = b"".join(message.get("body", b"") for message in outgoing if message["type"] == "http.response.body")
    return start["status"], json.loads(content)


def _padded_json(size: int) -> bytes:
    """Return a JSON GraphQL request of exactly ``size`` bytes."""
    empty = json.dumps({"query": "{ __typename }", "variables": {"padding": ""}}).encode()
    return json.dumps({"query": "{ __typename }", "variables": {"padding": "x" * (size - len(empty))}}).encode()


@override_settings(WAGTAIL_WRITE_API={"MAX_REQUEST_SIZE": 1000})
def test_asgi_no_length_at_limit() -> None:
    status, body = _asgi_post({"Content-Type": "application/json"}, _padded_json(1000), chunk_size=300)

    assert status == 200
    assert body == {"data": {"__typename": "Query"}}


@override_settings(WAGTAIL_WRITE_API={"MAX_REQUEST_SIZE": 1000})
def test_asgi_no_length_over_limit() -> None:
    status, body = _asgi_post({"Content-Type": "application/json"}, _padded_json(1001), chunk_size=300)

    assert status == 413
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert body["errors"][0]["message"].startswith("The request body is larger than the limit of 1000 bytes.")


def test_asgi_understated_length_rejected() -> None:
    """A multipart body longer than its Content-Length still counts in full."""
    body = _upload_body()
    headers = {"Content-Type": MULTIPART, "Content-Length": "100"}

    with override_settings(WAGTAIL_WRITE_API={"MAX_REQUEST_SIZE": len(body) - 1}):
        status, response = _asgi_post(headers, body)

    assert status == 413
    assert response["errors"][0]["message"].startswith(
        f"The request body is larger than the limit of {len(body) - 1} bytes."
    )
    assert media_files() == set()


# System checks


def _limit_errors(**settings: Any) -> list[Error]:
    with override_settings(WAGTAIL_WRITE_API=settings):
        return [message for message in check_settings() if isinstance(message, Error)]


def test_checks_limit_defaults_clean() -> None:
    assert _limit_errors() == []


@pytest.mark.parametrize(
    "name", ["MAX_QUERY_DEPTH", "MAX_ALIASES", "MAX_TOKENS", "MAX_BATCH_OPERATIONS", "MAX_UPLOAD_FILES", "MAX_REQUEST_SIZE"]
)
@pytest.mark.parametrize("value", [0, -1, "10", 2.5, True], ids=["zero", "negative", "string", "float", "bool"])
def test_checks_limit_not_positive_int(name: str, value: object) -> None:
    errors = _limit_errors(**{name: value})

    assert [error.id for error in errors] == ["wagtail_write_graphql.E002"]
    assert f"['{name}'] must be a positive integer, not {value!r}." in errors[0].msg


def test_checks_request_size_none_allowed() -> None:
    assert _limit_errors(MAX_REQUEST_SIZE=None) == []


@pytest.mark.parametrize("name", ["ALLOW_BATCHING", "INTROSPECTION"])
@pytest.mark.parametrize("value", [1, "False", None], ids=["int", "string", "none"])
def test_checks_switch_not_bool(name: str, value: object) -> None:
    errors = _limit_errors(**{name: value})

    assert [error.id for error in errors] == ["wagtail_write_graphql.E003"]
    assert f"['{name}'] must be True or False, not {value!r}." in errors[0].msg
