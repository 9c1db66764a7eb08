"""Error responses of the REST shim: one problem details shape for every failure."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory, override_settings
from wagtail.images import get_image_model
from wagtail.models import APIToken

from tests.conftest import make_token, photo_bytes
from tests.test_rest_helpers import (
    API_ROOT,
    IMAGES_PATH,
    OPENAPI_PATH,
    RestClient,
    assert_problem,
    create_chooser,
    create_image,
    empty_rendition_cache,  # noqa: F401 - fixture
    field_codes,
    image_path,
    images_protected,
    rest,  # noqa: F401 - fixture
    rest_anonymous,  # noqa: F401 - fixture
)
from wagtail_write_graphql.auth import authenticate_request
from wagtail_write_graphql.errors import APIError, ErrorCode
from wagtail_write_graphql.rest import documents
from wagtail_write_graphql.rest.execution import execute
from wagtail_write_graphql.rest.problems import Problem

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from wagtail.images.models import AbstractImage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_rendition_cache")]

#: A token-shaped string that matches no stored token. Every rejected token
#: gets the same 401, so its checksum need not be valid.
UNKNOWN_TOKEN = "wagtail_" + "A" * 40


@pytest.fixture
def image(db: None) -> AbstractImage:
    return create_image("Existing image")


@pytest.fixture
def chooser(db: None) -> AbstractBaseUser:
    return create_chooser()


@pytest.mark.parametrize(
    "header",
    [f"Bearer {UNKNOWN_TOKEN}", "Bearer", "Basic dXNlcjpwYXNz", "Token abc", "bearer  x y"],
)
def test_bad_token_rejected(image: AbstractImage, header: str) -> None:
    response = Client().get(IMAGES_PATH, headers={"Authorization": header})

    assert_problem(response, 401, "UNAUTHENTICATED")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", IMAGES_PATH),
        ("POST", IMAGES_PATH),
        ("GET", "detail"),
        ("PATCH", "detail"),
        ("DELETE", "detail"),
    ],
)
def test_bad_token_every_endpoint(image: AbstractImage, method: str, path: str) -> None:
    if path == "detail":
        path = image_path(image.pk)
    client = RestClient(UNKNOWN_TOKEN)

    response = client.request(method, path)

    assert_problem(response, 401, "UNAUTHENTICATED")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_revoked_token_rejected(superuser: AbstractBaseUser) -> None:
    token = make_token(superuser)
    APIToken.objects.filter(user=superuser).update(revoked_at="2020-01-01T00:00:00Z")

    response = RestClient(token).get(IMAGES_PATH)

    assert_problem(response, 401, "UNAUTHENTICATED")


def test_anonymous_upload_rejected(rest_anonymous: RestClient) -> None:
    response = rest_anonymous.upload(photo_bytes(), "photo.jpg")

    assert_problem(response, 401, "UNAUTHENTICATED")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert get_image_model().objects.count() == 0


def test_anonymous_patch_rejected(rest_anonymous: RestClient, image: AbstractImage) -> None:
    response = rest_anonymous.patch(image_path(image.pk), json.dumps({"title": "Changed"}))

    assert_problem(response, 401, "UNAUTHENTICATED")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    image.refresh_from_db()
    assert image.title == "Existing image"


def test_anonymous_delete_rejected(rest_anonymous: RestClient, image: AbstractImage) -> None:
    response = rest_anonymous.delete(image_path(image.pk))

    assert_problem(response, 401, "UNAUTHENTICATED")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert get_image_model().objects.filter(pk=image.pk).exists()


def test_chooser_may_read(chooser: AbstractBaseUser, image: AbstractImage) -> None:
    response = RestClient(make_token(chooser)).get(image_path(image.pk))

    assert response.status_code == 200


def test_chooser_upload_forbidden(chooser: AbstractBaseUser) -> None:
    response = RestClient(make_token(chooser)).upload(photo_bytes(), "photo.jpg")

    assert_problem(response, 403, "FORBIDDEN")
    assert get_image_model().objects.count() == 0


def test_chooser_patch_forbidden(chooser: AbstractBaseUser, image: AbstractImage) -> None:
    client = RestClient(make_token(chooser))

    response = client.patch(image_path(image.pk), json.dumps({"title": "Changed"}))

    assert_problem(response, 403, "FORBIDDEN")
    image.refresh_from_db()
    assert image.title == "Existing image"


def test_chooser_delete_forbidden(chooser: AbstractBaseUser, image: AbstractImage) -> None:
    response = RestClient(make_token(chooser)).delete(image_path(image.pk))

    assert_problem(response, 403, "FORBIDDEN")
    assert get_image_model().objects.filter(pk=image.pk).exists()


def test_session_write_needs_csrf(superuser: AbstractBaseUser) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser)

    response = RestClient(client=client).upload(photo_bytes(), "photo.jpg")

    assert_problem(response, 403, "FORBIDDEN")
    assert get_image_model().objects.count() == 0


def test_session_write_with_csrf(superuser: AbstractBaseUser) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser)
    # Django accepts any 32-character secret from the csrftoken cookie when
    # the X-CSRFToken header sends the same value.
    csrf_token = "a" * 32
    client.cookies["csrftoken"] = csrf_token

    response = client.post(
        IMAGES_PATH,
        {"file": SimpleUploadedFile("photo.jpg", photo_bytes())},
        headers={"X-CSRFToken": csrf_token},
    )

    assert response.status_code == 201


def test_bad_token_beats_session(superuser: AbstractBaseUser, image: AbstractImage) -> None:
    client = Client()
    client.force_login(superuser)

    headers = {"Authorization": f"Bearer {UNKNOWN_TOKEN}"}
    response = client.get(image_path(image.pk), headers=headers)

    assert_problem(response, 401, "UNAUTHENTICATED")


def test_inactive_user_token_rejected(superuser: AbstractBaseUser) -> None:
    token = make_token(superuser)
    superuser.is_active = False
    superuser.save()

    response = RestClient(token).get(IMAGES_PATH)

    assert_problem(response, 401, "UNAUTHENTICATED")


def test_session_read_needs_no_csrf(superuser: AbstractBaseUser, image: AbstractImage) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser)

    response = client.get(image_path(image.pk))

    assert response.status_code == 200


@pytest.mark.parametrize("image_id", ["999", "0", "99999999999999999999"])
def test_missing_image(rest: RestClient, image: AbstractImage, image_id: str) -> None:
    response = rest.get(image_path(image_id))

    problem = assert_problem(response, 404, "NOT_FOUND")
    assert image_id in problem["detail"]


@pytest.mark.parametrize("image_id", ["999", "99999999999999999999"])
def test_missing_image_delete(rest: RestClient, image_id: str) -> None:
    response = rest.delete(image_path(image_id))

    assert_problem(response, 404, "NOT_FOUND")


@pytest.mark.parametrize(
    "path",
    [
        API_ROOT,
        f"{API_ROOT}nothing/",
        f"{API_ROOT}images",
        f"{IMAGES_PATH}abc/",
        f"{IMAGES_PATH}-1/",
        f"{IMAGES_PATH}1.5/",
        f"{IMAGES_PATH}%201/",
        f"{IMAGES_PATH}1/renditions/",
        f"{IMAGES_PATH}1",
        f"{API_ROOT}openapi.json/",
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST", "PATCH", "DELETE", "PUT"])
def test_unknown_path(rest: RestClient, path: str, method: str) -> None:
    response = rest.request(method, path)

    assert_problem(response, 404, "NOT_FOUND")


def test_unknown_path_anonymous(rest_anonymous: RestClient) -> None:
    response = rest_anonymous.request("POST", f"{API_ROOT}nothing/")

    assert_problem(response, 404, "NOT_FOUND")


def test_missing_slash_hint(rest: RestClient) -> None:
    response = rest.get(f"{API_ROOT}images")

    problem = assert_problem(response, 404, "NOT_FOUND")
    assert f"Did you mean {IMAGES_PATH}?" in problem["detail"]


def test_no_hint_for_unknown_path(rest: RestClient) -> None:
    response = rest.get(f"{API_ROOT}pictures")

    problem = assert_problem(response, 404, "NOT_FOUND")
    assert "Did you mean" not in problem["detail"]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", IMAGES_PATH, {"GET", "POST", "HEAD", "OPTIONS"}),
        ("DELETE", IMAGES_PATH, {"GET", "POST", "HEAD", "OPTIONS"}),
        ("PATCH", IMAGES_PATH, {"GET", "POST", "HEAD", "OPTIONS"}),
        ("POST", "detail", {"GET", "PATCH", "DELETE", "HEAD", "OPTIONS"}),
        ("PUT", "detail", {"GET", "PATCH", "DELETE", "HEAD", "OPTIONS"}),
        ("POST", OPENAPI_PATH, {"GET", "HEAD", "OPTIONS"}),
        ("DELETE", OPENAPI_PATH, {"GET", "HEAD", "OPTIONS"}),
    ],
)
def test_method_not_allowed(
    rest: RestClient, image: AbstractImage, method: str, path: str, allowed: set[str]
) -> None:
    if path == "detail":
        path = image_path(image.pk)

    response = rest.request(method, path)

    assert_problem(response, 405, "BAD_REQUEST")
    assert set(response["Allow"].split(", ")) == allowed


def test_method_not_allowed_anonymous(rest_anonymous: RestClient) -> None:
    response = rest_anonymous.request("PUT", IMAGES_PATH)

    assert_problem(response, 405, "BAD_REQUEST")


def test_delete_protected_conflict(rest: RestClient, image: AbstractImage) -> None:
    with images_protected():
        response = rest.delete(image_path(image.pk))

    problem = assert_problem(response, 409, "CONFLICT")
    assert str(image.pk) in problem["detail"]
    assert get_image_model().objects.filter(pk=image.pk).exists()


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"offset": "abc"}, "offset", "invalid"),
        ({"offset": "-1"}, "offset", "invalid"),
        ({"offset": "1.5"}, "offset", "invalid"),
        ({"offset": ""}, "offset", "invalid"),
        ({"offset": " 1"}, "offset", "invalid"),
        ({"offset": "2147483648"}, "offset", "max_value"),
        ({"offset": "9" * 40}, "offset", "max_value"),
        ({"limit": "0"}, "limit", "out_of_range"),
        ({"limit": "101"}, "limit", "out_of_range"),
        ({"limit": "-5"}, "limit", "invalid"),
        ({"limit": "1e2"}, "limit", "invalid"),
        ({"limit": "²"}, "limit", "invalid"),
        ({"limit": "2147483648"}, "limit", "max_value"),
        ({"limit": "99999999999999999999"}, "limit", "max_value"),
    ],
)
def test_list_bad_parameter(
    rest: RestClient, image: AbstractImage, params: dict[str, str], field: str, code: str
) -> None:
    response = rest.get(IMAGES_PATH, params)

    problem = assert_problem(response, 400, "BAD_REQUEST")
    assert field_codes(problem) == [(field, code)]


def test_list_offset_at_int_maximum(rest: RestClient, image: AbstractImage) -> None:
    response = rest.get(IMAGES_PATH, {"offset": "2147483647"})

    assert response.status_code == 200
    assert response.json() == {"items": [], "meta": {"total_count": 1}}


@override_settings(WAGTAIL_WRITE_API={"MAX_PAGE_SIZE": 10})
def test_list_limit_above_site_maximum(rest: RestClient) -> None:
    response = rest.get(IMAGES_PATH, {"limit": "11"})

    problem = assert_problem(response, 400, "BAD_REQUEST")
    assert field_codes(problem) == [("limit", "out_of_range")]
    assert "10" in problem["detail"]


def test_server_fault_is_problem(rest: RestClient, image: AbstractImage) -> None:
    # Without its original file, Wagtail cannot generate the renditions.
    image.file.storage.delete(image.file.name)

    response = rest.get(image_path(image.pk))

    problem = assert_problem(response, 500, "INTERNAL_SERVER_ERROR")
    assert problem["detail"] == "Internal server error."
    assert image.file.name not in response.content.decode()


@pytest.mark.parametrize("variables", [{"offset": 2**31}, {"limit": -(2**31) - 1}])
def test_graphql_int_overflow_is_400(superuser: AbstractBaseUser, variables: dict) -> None:
    """The shim checks the range first, but GraphQL's own coercion error maps to 400 too."""
    request = RequestFactory().get(IMAGES_PATH)
    request.user = superuser
    credentials = authenticate_request(request)

    with pytest.raises(APIError) as excinfo:
        execute(documents.LIST_IMAGES, variables, request, credentials)

    problem = Problem.from_api_error(excinfo.value)
    assert excinfo.value.code is ErrorCode.BAD_REQUEST
    assert problem.status == 400
    assert "32-bit" in problem.detail
