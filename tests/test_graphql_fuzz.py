"""Property-based fuzzing of the GraphQL endpoint with Hypothesis.

Hypothesis generates variables for every query and mutation of the schema,
the same values as literals in the document, and multipart bodies with
random ``operations``, ``map`` and file parts. Whatever it sends, the
endpoint must respond with a status below 500, and every error must carry an
``extensions.code`` of the error model other than ``INTERNAL_SERVER_ERROR``.

The runs are reproducible: ``derandomize=True`` draws the same examples on
every run, and ``database=None`` keeps no examples between runs. Each example
runs in a savepoint that is rolled back, so a successful mutation in one
example does not change the data of the next one.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from tests.bad_inputs import (
    DELETE_MUTATION,
    IMAGE_QUERY,
    LIST_QUERY,
    SMALL_JPEG,
    SMALL_PNG,
    UPDATE_MUTATION,
)
from tests.conftest import GRAPHQL_PATH, UPLOAD_MUTATION, scaled_photo_bytes
from tests.helpers_images import create_image
from tests.test_graphql_multipart import BOUNDARY, Part, encode_multipart
from wagtail_write_graphql.errors import ErrorCode

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.http import HttpResponse
    from hypothesis.strategies import SearchStrategy
    from wagtail.images.models import AbstractImage

pytestmark = pytest.mark.django_db

#: Examples per test. The four tests together take about 15 s on a 2-core
#: machine, on SQLite and on PostgreSQL.
FUZZ_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    # No shrinking, so a failing example is reported as drawn. Shrinking a
    # search that failed with a deep traceback took two minutes here.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    # The image, the token and the log capture are the same for every
    # example, which is what these tests want.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Every code of the error model, as GraphQL errors carry it.
ERROR_CODES = frozenset(str(code) for code in ErrorCode)

#: Logger of the package, which logs server faults at ERROR with a traceback.
PACKAGE_LOGGER = "wagtail_write_graphql"

#: Placeholder for the id of the fixture's image among the generated ids.
EXISTING_IMAGE = object()

#: Any text, lone surrogates included. JSON encodes those as ``\ud800`` escapes.
ANY_TEXT = st.text(st.characters(exclude_categories=[]), max_size=40)

#: Text that UTF-8 can encode, for multipart fields and part headers.
UTF8_TEXT = st.text(st.characters(codec="utf-8"), max_size=40)

#: Integers inside and outside GraphQL's 32-bit ``Int``, with its edges.
INTEGERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, 1, -1, 100, 101, 2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 2**63]),
)

#: Any JSON value, nested up to a few levels.
JSON_VALUES: SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.floats(allow_nan=False, allow_infinity=False)
    | INTEGERS
    | ANY_TEXT,
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=6,
)

IDS = st.one_of(st.just(EXISTING_IMAGE), INTEGERS.map(str), INTEGERS, ANY_TEXT, JSON_VALUES)
TITLES = st.one_of(ANY_TEXT, st.text(min_size=250, max_size=260), JSON_VALUES)
SEARCHES = st.one_of(ANY_TEXT, JSON_VALUES)
PAGE_VALUES = st.one_of(INTEGERS, JSON_VALUES)


def _repeat_words(words: list[str], count: int) -> str:
    return " ".join(words[index % len(words)] for index in range(count))


#: Search strings of up to 1,500 words, which the search backend turns into a
#: query with one condition per word. A few drawn words are repeated to the
#: drawn count, because a list of 1,500 drawn words overruns Hypothesis's
#: data budget for one example.
WORD_LISTS = st.builds(
    _repeat_words,
    st.lists(st.from_regex(r"[A-Za-z0-9]{1,8}", fullmatch=True), min_size=1, max_size=5),
    st.one_of(st.integers(min_value=0, max_value=50), st.integers(min_value=400, max_value=1500)),
)

#: ``(document, variables)`` for each operation, with any variable left out at times.
OPERATIONS = st.one_of(
    st.tuples(
        st.just(LIST_QUERY),
        st.fixed_dictionaries(
            {}, optional={"search": SEARCHES, "offset": PAGE_VALUES, "limit": PAGE_VALUES}
        ),
    ),
    st.tuples(st.just(IMAGE_QUERY), st.fixed_dictionaries({}, optional={"id": IDS})),
    st.tuples(
        st.just(UPDATE_MUTATION),
        st.fixed_dictionaries({}, optional={"id": IDS, "title": TITLES}),
    ),
    st.tuples(st.just(DELETE_MUTATION), st.fixed_dictionaries({}, optional={"id": IDS})),
)

#: A GraphQL literal: a JSON string is a valid GraphQL string, escapes included.
STRING_LITERALS = ANY_TEXT.map(json.dumps)
INT_LITERALS = INTEGERS.map(str)

#: Placeholder for the fixture image's id in a literal. json.dumps escapes control
#: characters, so no generated string literal contains it.
EXISTING_LITERAL = "\x01existing\x01"

ID_LITERALS = st.one_of(STRING_LITERALS, INT_LITERALS, st.just(EXISTING_LITERAL))

#: Documents with the generated values written into the arguments.
LITERAL_DOCUMENTS = st.one_of(
    st.builds(
        "{{ images(search: {}, offset: {}, limit: {}) {{ totalCount items {{ id }} }} }}".format,
        STRING_LITERALS,
        INT_LITERALS,
        INT_LITERALS,
    ),
    st.builds("{{ image(id: {}) {{ id title }} }}".format, ID_LITERALS),
    st.builds(
        "mutation {{ updateImage(id: {}, title: {}) {{ id title }} }}".format,
        ID_LITERALS,
        STRING_LITERALS,
    ),
    st.builds("mutation {{ deleteImage(id: {}) {{ id }} }}".format, ID_LITERALS),
)

#: Valid images, broken ones and random bytes for file parts.
FILE_CONTENTS = st.one_of(
    st.binary(max_size=300),
    st.sampled_from([SMALL_JPEG, SMALL_PNG, scaled_photo_bytes((32, 24)), b""]),
    st.integers(min_value=0, max_value=len(SMALL_JPEG)).map(lambda size: SMALL_JPEG[:size]),
    st.tuples(st.integers(min_value=0, max_value=len(SMALL_PNG) - 1), st.integers(0, 255)).map(
        lambda flip: SMALL_PNG[: flip[0]] + bytes([flip[1]]) + SMALL_PNG[flip[0] + 1 :]
    ),
)

FILE_NAMES = st.one_of(
    st.sampled_from(["photo.jpg", "photo.png", "photo", "", "../../photo.jpg", "\U0001f600.jpg"]),
    UTF8_TEXT,
)

PART_NAMES = st.one_of(
    st.sampled_from(["0", "1", "file", "operations", "map", "csrfmiddlewaretoken"]),
    st.text(st.characters(codec="ascii", min_codepoint=32), min_size=1, max_size=8),
)

MAP_PATHS = st.one_of(
    st.sampled_from(
        [
            "variables.file",
            "variables.title",
            "variables",
            "variables.file.0",
            "0.variables.file",
            "file",
            "query",
        ]
    ),
    UTF8_TEXT,
)

#: Documents for the multipart ``operations`` field.
MULTIPART_QUERIES = st.sampled_from(
    [UPLOAD_MUTATION, LIST_QUERY, UPDATE_MUTATION, "mutation { nope }", ""]
)

COLLECTION_IDS = st.one_of(INTEGERS.map(str), INTEGERS, ANY_TEXT, JSON_VALUES)

UPLOAD_VARIABLES = st.fixed_dictionaries(
    {"file": st.one_of(st.none(), JSON_VALUES)},
    optional={"title": TITLES, "collectionId": COLLECTION_IDS},
)

OPERATIONS_FIELDS = st.one_of(
    st.builds(
        lambda query, variables: json.dumps({"query": query, "variables": variables}),
        MULTIPART_QUERIES,
        UPLOAD_VARIABLES,
    ),
    JSON_VALUES.map(json.dumps),
    UTF8_TEXT,
)

MAP_FIELDS = st.one_of(
    st.just(json.dumps({"0": ["variables.file"]})),
    st.dictionaries(PART_NAMES, st.lists(MAP_PATHS, max_size=3), max_size=3).map(json.dumps),
    JSON_VALUES.map(json.dumps),
    UTF8_TEXT,
)

#: ``Content-Type`` headers: mostly the right one, at times a broken one.
MULTIPART_CONTENT_TYPES = st.one_of(
    st.just(f"multipart/form-data; boundary={BOUNDARY}"),
    st.sampled_from(
        [
            "multipart/form-data",
            "multipart/form-data; boundary=",
            "multipart/form-data; boundary=other-boundary",
            f"multipart/mixed; boundary={BOUNDARY}",
        ]
    ),
)


def _upload_parts(variables: dict[str, Any], file_name: str, content: bytes) -> list[Part]:
    operations = {"query": UPLOAD_MUTATION, "variables": {**variables, "file": None}}
    return [
        Part("operations", json.dumps(operations)),
        Part("map", json.dumps({"0": ["variables.file"]})),
        Part("0", content, file_name),
    ]


def _chaotic_parts(
    operations_field: str | None, map_field: str | None, file_parts: list[Part]
) -> list[Part]:
    parts = []
    if operations_field is not None:
        parts.append(Part("operations", operations_field))
    if map_field is not None:
        parts.append(Part("map", map_field))
    return parts + file_parts


#: ``(parts, Content-Type)`` of a multipart request. Well-formed uploads of
#: random files reach the image checks, and random fields, maps and parts
#: reach the multipart checks.
MULTIPART_REQUESTS = st.one_of(
    st.tuples(
        st.builds(_upload_parts, UPLOAD_VARIABLES, FILE_NAMES, FILE_CONTENTS),
        st.just(f"multipart/form-data; boundary={BOUNDARY}"),
    ),
    st.tuples(
        st.builds(
            _chaotic_parts,
            st.one_of(st.none(), OPERATIONS_FIELDS),
            st.one_of(st.none(), MAP_FIELDS),
            st.lists(st.builds(Part, PART_NAMES, FILE_CONTENTS, FILE_NAMES), max_size=3),
        ),
        MULTIPART_CONTENT_TYPES,
    ),
)


def _pick_authorization(choice: int, garbage: str) -> str | None:
    """Return "valid" for most choices, else no header or a random header value."""
    if choice < 8:
        return "valid"
    if choice == 8:
        return None
    return garbage


#: ``Authorization`` headers: mostly the valid token, at times none or garbage.
AUTHORIZATION_HEADERS = st.builds(
    _pick_authorization,
    st.integers(min_value=0, max_value=9),
    st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=60),
)


@pytest.fixture
def image(superuser: AbstractBaseUser) -> AbstractImage:
    return create_image("Fuzzed image", content=scaled_photo_bytes((64, 48)))


@pytest.fixture
def package_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger=PACKAGE_LOGGER)
    return caplog


def _resolve(value: Any, image: AbstractImage) -> Any:
    return str(image.pk) if value is EXISTING_IMAGE else value


def _authorization_header(choice: str | None, token: str) -> dict[str, str]:
    if choice is None:
        return {}
    if choice == "valid":
        return {"Authorization": f"Bearer {token}"}
    return {"Authorization": choice}


def post(body: bytes, content_type: str, headers: dict[str, str]) -> HttpResponse:
    """POST ``body`` in a savepoint that is rolled back afterwards."""
    with transaction.atomic():
        response = Client().generic(
            "POST", GRAPHQL_PATH, data=body, content_type=content_type, headers=headers
        )
        transaction.set_rollback(True)
    return response


def server_faults(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name.startswith(PACKAGE_LOGGER) and record.levelno >= logging.ERROR
    ]


def check_response(response: HttpResponse, caplog: pytest.LogCaptureFixture) -> None:
    """Assert the properties every GraphQL response must have, whatever the request."""
    faults = server_faults(caplog)
    # Shown by --hypothesis-show-statistics, to see which paths the examples reach.
    event(f"HTTP {response.status_code}")
    assert response.status_code < 500, (response.content, faults)
    body = json.loads(response.content)
    assert isinstance(body, dict), body
    errors = body.get("errors") or []
    event(f"code {errors[0].get('extensions', {}).get('code')}" if errors else "no error")
    for error in errors:
        code = error.get("extensions", {}).get("code")
        assert code in ERROR_CODES, (error, faults)
        assert code != ErrorCode.INTERNAL_SERVER_ERROR, (error, faults)
    assert faults == []


@FUZZ_SETTINGS
@given(operation=OPERATIONS, authorization=AUTHORIZATION_HEADERS)
def test_variables_fuzzed(
    image: AbstractImage,
    superuser_token: str,
    package_log: pytest.LogCaptureFixture,
    operation: tuple[str, dict[str, Any]],
    authorization: str | None,
) -> None:
    package_log.clear()
    document, variables = operation
    payload = {
        "query": document,
        "variables": {name: _resolve(value, image) for name, value in variables.items()},
    }
    headers = _authorization_header(authorization, superuser_token)

    response = post(json.dumps(payload).encode(), "application/json", headers)

    check_response(response, package_log)


@FUZZ_SETTINGS
@given(search=WORD_LISTS)
def test_search_words_fuzzed(
    image: AbstractImage,
    superuser_token: str,
    package_log: pytest.LogCaptureFixture,
    search: str,
) -> None:
    """Search for many words. A failure here does not stop the other tests' examples.

    Without ``offset`` and ``limit``, no paging error stops the request before
    it reaches the search backend.
    """
    package_log.clear()
    payload = {"query": LIST_QUERY, "variables": {"search": search}}
    headers = _authorization_header("valid", superuser_token)

    response = post(json.dumps(payload).encode(), "application/json", headers)

    check_response(response, package_log)


@FUZZ_SETTINGS
@given(document=LITERAL_DOCUMENTS)
def test_literals_fuzzed(
    image: AbstractImage,
    superuser_token: str,
    package_log: pytest.LogCaptureFixture,
    document: str,
) -> None:
    package_log.clear()
    document = document.replace(EXISTING_LITERAL, json.dumps(str(image.pk)))
    headers = _authorization_header("valid", superuser_token)

    response = post(json.dumps({"query": document}).encode(), "application/json", headers)

    check_response(response, package_log)


@FUZZ_SETTINGS
@given(multipart=MULTIPART_REQUESTS)
def test_multipart_fuzzed(
    image: AbstractImage,
    superuser_token: str,
    package_log: pytest.LogCaptureFixture,
    multipart: tuple[list[Part], str],
) -> None:
    package_log.clear()
    parts, content_type = multipart
    headers = _authorization_header("valid", superuser_token)

    response = post(encode_multipart(parts), content_type, headers)

    check_response(response, package_log)
