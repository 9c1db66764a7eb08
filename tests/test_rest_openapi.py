"""The OpenAPI document of the REST shim is valid and true to real responses.

Every documented operation and status is produced for real below, and
openapi-core validates each response against the document. The same check
runs in reverse: a status the document lists but no scenario produces fails.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest
from django.test import override_settings
from openapi_core import Config, OpenAPI
from openapi_core.templating.responses.exceptions import ResponseNotFound
from openapi_core.validation.response.exceptions import InvalidData
from openapi_core.testing import MockRequest, MockResponse
from openapi_spec_validator import validate as validate_spec

from tests.conftest import make_token, photo_bytes
from tests.test_rest_helpers import (
    API_ROOT,
    IMAGES_PATH,
    OPENAPI_PATH,
    RestClient,
    create_chooser,
    create_image,
    empty_rendition_cache,  # noqa: F401 - fixture
    image_path,
    images_protected,
    rest,  # noqa: F401 - fixture
)

if TYPE_CHECKING:
    from django.http import HttpResponse
    from wagtail.images.models import AbstractImage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_rendition_cache")]

#: A token-shaped string that matches no stored token.
UNKNOWN_TOKEN = "wagtail_" + "A" * 40

#: The document's template for the detail path.
DETAIL_TEMPLATE = "/images/{image_id}/"


@dataclass
class Clients:
    """The clients and the image that the scenarios act on."""

    admin: RestClient
    chooser: RestClient
    anonymous: RestClient
    bad_token: RestClient
    image: AbstractImage

    @property
    def detail(self) -> str:
        return image_path(self.image.pk)


@pytest.fixture
def clients(rest: RestClient) -> Clients:
    return Clients(
        admin=rest,
        chooser=RestClient(make_token(create_chooser())),
        anonymous=RestClient(),
        bad_token=RestClient(UNKNOWN_TOKEN),
        image=create_image("Documented image"),
    )


@pytest.fixture
def document(rest: RestClient) -> dict[str, Any]:
    response = rest.get(OPENAPI_PATH)
    assert response.status_code == 200
    return response.json()


def _title(title: str) -> str:
    return json.dumps({"title": title})


def _upload_too_large(clients: Clients) -> HttpResponse:
    with override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=1000):
        return clients.admin.upload(photo_bytes(), "photo.jpg")


def _delete_protected(clients: Clients) -> HttpResponse:
    with images_protected():
        return clients.admin.delete(clients.detail)


#: (document path, method, status) -> how to produce that response for real.
SCENARIOS: dict[tuple[str, str, int], Callable[[Clients], HttpResponse]] = {
    ("/images/", "get", 200): lambda c: c.admin.get(IMAGES_PATH, {"search": "doc", "limit": 5}),
    ("/images/", "get", 400): lambda c: c.admin.get(IMAGES_PATH, {"limit": "0"}),
    ("/images/", "get", 401): lambda c: c.anonymous.get(IMAGES_PATH),
    ("/images/", "post", 201): lambda c: c.admin.upload(photo_bytes(), "photo.jpg"),
    ("/images/", "post", 400): lambda c: c.admin.post_raw(b"--x\r\nbad", "multipart/form-data"),
    ("/images/", "post", 401): lambda c: c.bad_token.upload(photo_bytes(), "photo.jpg"),
    ("/images/", "post", 403): lambda c: c.chooser.upload(photo_bytes(), "photo.jpg"),
    ("/images/", "post", 413): _upload_too_large,
    ("/images/", "post", 415): lambda c: c.admin.post_raw("{}", "application/json"),
    ("/images/", "post", 422): lambda c: c.admin.upload(b"not an image", "photo.jpg"),
    (DETAIL_TEMPLATE, "get", 200): lambda c: c.admin.get(c.detail),
    (DETAIL_TEMPLATE, "get", 401): lambda c: c.bad_token.get(c.detail),
    (DETAIL_TEMPLATE, "get", 404): lambda c: c.admin.get(image_path(999)),
    (DETAIL_TEMPLATE, "patch", 200): lambda c: c.admin.patch(c.detail, _title("New")),
    (DETAIL_TEMPLATE, "patch", 400): lambda c: c.admin.patch(c.detail, "{"),
    (DETAIL_TEMPLATE, "patch", 401): lambda c: c.anonymous.patch(c.detail, _title("New")),
    (DETAIL_TEMPLATE, "patch", 403): lambda c: c.chooser.patch(c.detail, _title("New")),
    (DETAIL_TEMPLATE, "patch", 404): lambda c: c.admin.patch(image_path(999), _title("New")),
    (DETAIL_TEMPLATE, "patch", 415): lambda c: c.admin.patch(c.detail, "title=New", "text/plain"),
    (DETAIL_TEMPLATE, "patch", 422): lambda c: c.admin.patch(c.detail, _title("x" * 256)),
    (DETAIL_TEMPLATE, "delete", 204): lambda c: c.admin.delete(c.detail),
    (DETAIL_TEMPLATE, "delete", 401): lambda c: c.anonymous.delete(c.detail),
    (DETAIL_TEMPLATE, "delete", 403): lambda c: c.chooser.delete(c.detail),
    (DETAIL_TEMPLATE, "delete", 404): lambda c: c.admin.delete(image_path(999)),
    (DETAIL_TEMPLATE, "delete", 409): _delete_protected,
}

#: Responses outside any documented operation, checked against the Problem schema.
UNDOCUMENTED_ERRORS: dict[str, Callable[[Clients], HttpResponse]] = {
    "405 on the listing": lambda c: c.admin.request("PUT", IMAGES_PATH),
    "405 on a detail": lambda c: c.admin.request("POST", c.detail),
    "404 unknown path": lambda c: c.admin.get(f"{API_ROOT}nothing/"),
    "404 non-integer id": lambda c: c.admin.get(f"{IMAGES_PATH}abc/"),
}


def _openapi(document: dict[str, Any]) -> OpenAPI:
    # openapi-core 0.23 parses only plain application/json as JSON, so the
    # config registers a JSON deserializer for problem details too.
    config = Config(extra_media_type_deserializers={"application/problem+json": json.loads})
    return OpenAPI.from_dict(document, config=config)


def _documented_statuses(document: dict[str, Any]) -> set[tuple[str, str, int]]:
    return {
        (path, method, int(status))
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method != "parameters"
        for status in operation["responses"]
    }


def _openapi_request(response: HttpResponse) -> MockRequest:
    request = response.wsgi_request
    return MockRequest(
        host_url="http://testserver",
        method=request.method,
        path=request.path,
        args=dict(request.GET.items()),
    )


def _openapi_response(response: HttpResponse) -> MockResponse:
    return MockResponse(
        data=response.content,
        status_code=response.status_code,
        headers=dict(response.headers.items()),
        content_type=response.get("Content-Type", ""),
    )


def test_document_is_valid(document: dict[str, Any]) -> None:
    validate_spec(document)


def test_document_version(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"


def test_document_server_is_mount(document: dict[str, Any]) -> None:
    assert document["servers"] == [{"url": API_ROOT.rstrip("/")}]


def test_document_public(db: None) -> None:
    response = RestClient().get(OPENAPI_PATH)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_document_bearer_scheme(document: dict[str, Any]) -> None:
    scheme = document["components"]["securitySchemes"]["bearerAuth"]

    assert scheme == {"type": "http", "scheme": "bearer", "description": "A Wagtail API token."}


@override_settings(WAGTAIL_WRITE_API={"IMAGE_RENDITIONS": {"small": "max-50x50"}})
def test_document_rendition_names(rest: RestClient) -> None:
    document = rest.get(OPENAPI_PATH).json()

    renditions = document["components"]["schemas"]["Image"]["properties"]["renditions"]
    assert renditions["required"] == ["small"]
    assert set(renditions["properties"]) == {"small"}


@override_settings(WAGTAIL_WRITE_API={"MAX_PAGE_SIZE": 7, "DEFAULT_PAGE_SIZE": 3})
def test_document_page_sizes(rest: RestClient) -> None:
    document = rest.get(OPENAPI_PATH).json()

    parameters = document["paths"]["/images/"]["get"]["parameters"]
    limit = next(parameter for parameter in parameters if parameter["name"] == "limit")
    assert limit["schema"]["maximum"] == 7
    assert limit["schema"]["default"] == 3


@override_settings(WAGTAIL_WRITE_API={"REQUIRE_AUTH_FOR_READ": False})
def test_document_anonymous_reads(rest: RestClient) -> None:
    document = rest.get(OPENAPI_PATH).json()

    assert {} in document["paths"]["/images/"]["get"]["security"]
    assert {} not in document["paths"]["/images/"]["post"]["security"]


def test_document_reads_need_auth(document: dict[str, Any]) -> None:
    assert {} not in document["paths"]["/images/"]["get"]["security"]


def test_every_documented_status_exercised(document: dict[str, Any]) -> None:
    assert _documented_statuses(document) == set(SCENARIOS)


@pytest.mark.parametrize(
    "scenario", list(SCENARIOS), ids=lambda key: f"{key[1]} {key[0]} {key[2]}"
)
def test_response_matches_document(
    document: dict[str, Any], clients: Clients, scenario: tuple[str, str, int]
) -> None:
    _path, _method, status = scenario

    response = SCENARIOS[scenario](clients)

    assert response.status_code == status, response.content
    _openapi(document).validate_response(_openapi_request(response), _openapi_response(response))


@pytest.mark.parametrize("name", list(UNDOCUMENTED_ERRORS))
def test_other_errors_are_problems(document: dict[str, Any], clients: Clients, name: str) -> None:
    schema = {"$ref": "#/components/schemas/Problem", "components": document["components"]}

    response = UNDOCUMENTED_ERRORS[name](clients)

    assert response["Content-Type"] == "application/problem+json"
    jsonschema.Draft202012Validator(schema).validate(response.json())


def test_validation_rejects_string_id(document: dict[str, Any], clients: Clients) -> None:
    """A response that breaks the contract fails, so the checks above can fail too."""
    response = clients.admin.get(clients.detail)
    body = {**response.json(), "id": str(clients.image.pk)}
    broken = MockResponse(json.dumps(body).encode(), 200, content_type="application/json")

    with pytest.raises(InvalidData):
        _openapi(document).validate_response(_openapi_request(response), broken)


def test_validation_rejects_problem_without_code(
    document: dict[str, Any], clients: Clients
) -> None:
    response = clients.admin.get(image_path(999))
    body = {key: value for key, value in response.json().items() if key != "code"}
    broken = MockResponse(json.dumps(body).encode(), 404, content_type="application/problem+json")

    with pytest.raises(InvalidData):
        _openapi(document).validate_response(_openapi_request(response), broken)


def test_validation_rejects_undocumented_status(
    document: dict[str, Any], clients: Clients
) -> None:
    response = clients.admin.get(clients.detail)
    broken = MockResponse(response.content, 418, content_type="application/json")

    with pytest.raises(ResponseNotFound):
        _openapi(document).validate_response(_openapi_request(response), broken)
