"""Writing images through the REST shim: upload, PATCH and DELETE, and their errors."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from wagtail.images import get_image_model

from tests.conftest import media_files, photo_bytes
from tests.test_rest_helpers import (
    IMAGE_KEYS,
    IMAGES_PATH,
    RestClient,
    assert_problem,
    empty_rendition_cache,  # noqa: F401 - fixture
    field_codes,
    image_path,
    rest,  # noqa: F401 - fixture
    upload_photo,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_rendition_cache")]

#: The title column's length limit in Wagtail 8's ``AbstractImage``.
TITLE_MAX_LENGTH = 255


def _image_count() -> int:
    return get_image_model().objects.count()


def _stored_title(image_id: int) -> str:
    return get_image_model().objects.get(pk=image_id).title


def test_upload_created(rest: RestClient) -> None:
    response = rest.upload(photo_bytes(), "photo.jpg", title="My Photo")

    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == IMAGE_KEYS
    assert body["title"] == "My Photo"
    assert body["width"] == 600
    assert body["height"] == 450
    assert response["Location"] == image_path(body["id"])


def test_upload_portrait(rest: RestClient) -> None:
    body = upload_photo(rest, "landscape_5.jpg")

    assert body["width"] == 450
    assert body["height"] == 600


def test_upload_default_title(rest: RestClient) -> None:
    body = upload_photo(rest, "landscape_3.jpg")

    assert body["title"] == "landscape_3.jpg"
    assert _stored_title(body["id"]) == "landscape_3.jpg"


def test_upload_renditions(rest: RestClient) -> None:
    body = upload_photo(rest)

    assert list(body["renditions"]) == ["thumbnail", "medium", "large"]
    assert all(type(url) is str for url in body["renditions"].values())


def test_upload_files_on_disk(rest: RestClient) -> None:
    body = upload_photo(rest)

    files = media_files()
    assert "original_images/landscape_1.jpg" in files
    assert body["file_url"] == "/media/original_images/landscape_1.jpg"
    assert sum(name.startswith("images/") for name in files) == 3


def test_upload_then_detail(rest: RestClient) -> None:
    body = upload_photo(rest, title="Detail check")

    detail = rest.get(image_path(body["id"]))

    assert detail.status_code == 200
    assert detail.json() == body


def test_upload_missing_file(rest: RestClient) -> None:
    response = rest.post_form({"title": "No file"})

    problem = assert_problem(response, 422, "VALIDATION_ERROR")
    assert field_codes(problem) == [("file", "required")]
    assert _image_count() == 0


def test_upload_file_as_text_field(rest: RestClient) -> None:
    response = rest.post_form({"file": "photo.jpg"})

    problem = assert_problem(response, 422, "VALIDATION_ERROR")
    assert field_codes(problem) == [("file", "required")]


def test_upload_not_an_image(rest: RestClient) -> None:
    response = rest.upload(b"plain text, not a JPEG", "photo.jpg")

    problem = assert_problem(response, 422, "VALIDATION_ERROR")
    assert field_codes(problem) == [("file", "invalid_image")]
    assert _image_count() == 0


def test_upload_wrong_extension(rest: RestClient) -> None:
    response = rest.upload(photo_bytes(), "photo.txt")

    problem = assert_problem(response, 422, "VALIDATION_ERROR")
    assert field_codes(problem) == [("file", "invalid_image_extension")]


def test_upload_empty_file(rest: RestClient) -> None:
    response = rest.upload(b"", "photo.jpg")

    problem = assert_problem(response, 422, "VALIDATION_ERROR")
    assert [field for field, _code in field_codes(problem)] == ["file"]


def test_upload_title_too_long(rest: RestClient) -> None:
    response = rest.upload(photo_bytes(), "photo.jpg", title="x" * (TITLE_MAX_LENGTH + 1))

    problem = assert_problem(response, 422, "VALIDATION_ERROR")
    assert field_codes(problem) == [("title", "max_length")]
    assert _image_count() == 0
    assert media_files() == set()


def test_upload_title_at_limit(rest: RestClient) -> None:
    body = upload_photo(rest, title="x" * TITLE_MAX_LENGTH)

    assert body["title"] == "x" * TITLE_MAX_LENGTH


def test_upload_empty_title(rest: RestClient) -> None:
    response = rest.upload(photo_bytes(), "photo.jpg", title="")

    problem = assert_problem(response, 422, "VALIDATION_ERROR")
    assert field_codes(problem) == [("title", "required")]


@override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=10_000)
def test_upload_too_large(rest: RestClient) -> None:
    response = rest.upload(photo_bytes(), "photo.jpg")

    problem = assert_problem(response, 413, "VALIDATION_ERROR")
    assert field_codes(problem) == [("file", "file_too_large")]
    assert _image_count() == 0
    assert media_files() == set()


@override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=len(photo_bytes()))
def test_upload_at_size_limit(rest: RestClient) -> None:
    response = rest.upload(photo_bytes(), "photo.jpg")

    assert response.status_code == 201


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/x-www-form-urlencoded", "text/plain", "image/jpeg"],
)
def test_upload_wrong_content_type(rest: RestClient, content_type: str) -> None:
    response = rest.post_raw(b'{"title": "x"}', content_type)

    problem = assert_problem(response, 415, "BAD_REQUEST")
    assert "multipart/form-data" in problem["detail"]
    assert response["Accept-Post"] == "multipart/form-data"
    assert _image_count() == 0


def test_upload_without_content_type(rest: RestClient) -> None:
    response = rest.client.generic("POST", IMAGES_PATH, b"", headers=rest.headers)

    assert_problem(response, 415, "BAD_REQUEST")


def test_upload_malformed_multipart(rest: RestClient) -> None:
    response = rest.post_raw(b"--x\r\nnot a part", "multipart/form-data")

    assert_problem(response, 400, "BAD_REQUEST")


def test_upload_two_files(rest: RestClient) -> None:
    names = ("landscape_1.jpg", "landscape_2.jpg")
    files = [SimpleUploadedFile(name, photo_bytes(name)) for name in names]
    response = rest.post_form({"file": files})

    assert_problem(response, 400, "BAD_REQUEST")
    assert _image_count() == 0


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=2)
def test_upload_too_many_fields(rest: RestClient) -> None:
    response = rest.post_form({"title": "x", "a": "1", "b": "2", "c": "3"})

    assert_problem(response, 400, "BAD_REQUEST")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_upload_title_field_too_big(rest: RestClient) -> None:
    response = rest.upload(photo_bytes(), "photo.jpg", title="x" * 500)

    assert_problem(response, 413, "BAD_REQUEST")


def test_patch_then_get(rest: RestClient) -> None:
    uploaded = upload_photo(rest)

    patched = rest.patch(image_path(uploaded["id"]), json.dumps({"title": "Updated title"}))
    fetched = rest.get(image_path(uploaded["id"]))

    assert patched.status_code == 200
    assert patched.json()["title"] == "Updated title"
    assert patched.json()["id"] == uploaded["id"]
    assert fetched.json()["title"] == "Updated title"
    assert fetched.json() == patched.json()


def test_patch_keeps_other_fields(rest: RestClient) -> None:
    uploaded = upload_photo(rest)

    patched = rest.patch(image_path(uploaded["id"]), json.dumps({"title": "Updated title"})).json()

    assert {**patched, "title": uploaded["title"]} == uploaded


def test_patch_charset_parameter(rest: RestClient) -> None:
    uploaded = upload_photo(rest)

    response = rest.patch(
        image_path(uploaded["id"]),
        json.dumps({"title": "Größe"}, ensure_ascii=False).encode(),
        "application/json; charset=utf-8",
    )

    assert response.status_code == 200
    assert response.json()["title"] == "Größe"


def test_patch_ignores_other_members(rest: RestClient) -> None:
    uploaded = upload_photo(rest)

    response = rest.patch(image_path(uploaded["id"]), json.dumps({"title": "New", "width": 1}))

    assert response.status_code == 200
    assert response.json()["width"] == 600


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "application/merge-patch+json"],
)
def test_patch_wrong_content_type(rest: RestClient, content_type: str) -> None:
    uploaded = upload_photo(rest)

    response = rest.patch(image_path(uploaded["id"]), '{"title": "New"}', content_type)

    problem = assert_problem(response, 415, "BAD_REQUEST")
    assert "application/json" in problem["detail"]
    assert response["Accept-Patch"] == "application/json"
    assert _stored_title(uploaded["id"]) == uploaded["title"]


@pytest.mark.parametrize(
    "body", ["{", " ", "not json", '{"title": "x"', b"\xff\xfe{}", "[1, 2]", '"title"', "null"]
)
def test_patch_malformed_body(rest: RestClient, body: str | bytes) -> None:
    uploaded = upload_photo(rest)

    response = rest.patch(image_path(uploaded["id"]), body)

    assert_problem(response, 400, "BAD_REQUEST")
    assert _stored_title(uploaded["id"]) == uploaded["title"]


def test_patch_empty_body(rest: RestClient) -> None:
    uploaded = upload_photo(rest)

    # The test client leaves out Content-Type for an empty body unless the
    # header is given as a WSGI environ key.
    response = rest.client.generic(
        "PATCH",
        image_path(uploaded["id"]),
        b"",
        headers=rest.headers,
        CONTENT_TYPE="application/json",
    )

    assert_problem(response, 400, "BAD_REQUEST")


def test_patch_deeply_nested_body(rest: RestClient) -> None:
    uploaded = upload_photo(rest)

    response = rest.patch(image_path(uploaded["id"]), "[" * 100_000 + "]" * 100_000)

    assert_problem(response, 400, "BAD_REQUEST")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_patch_body_too_big(rest: RestClient) -> None:
    uploaded = upload_photo(rest)

    response = rest.patch(image_path(uploaded["id"]), json.dumps({"title": "x" * 200}))

    assert_problem(response, 413, "BAD_REQUEST")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, [("title", "required")]),
        ({"title": None}, [("title", "required")]),
        ({"title": ""}, [("title", "required")]),
        ({"name": "New"}, [("title", "required")]),
        ({"title": 5}, [("title", "invalid")]),
        ({"title": ["New"]}, [("title", "invalid")]),
        ({"title": "x" * (TITLE_MAX_LENGTH + 1)}, [("title", "max_length")]),
        ({"title": "a\x00b"}, [("title", "null_characters_not_allowed")]),
        ({"title": "a\ud800b"}, [("title", "invalid")]),
        ({"title": "\udfff"}, [("title", "invalid")]),
    ],
)
def test_patch_invalid_title(
    rest: RestClient, body: dict, expected: list[tuple[str, str]]
) -> None:
    uploaded = upload_photo(rest)

    response = rest.patch(image_path(uploaded["id"]), json.dumps(body))

    problem = assert_problem(response, 422, "VALIDATION_ERROR")
    assert field_codes(problem) == expected
    assert _stored_title(uploaded["id"]) == uploaded["title"]


def test_patch_missing_image(rest: RestClient) -> None:
    response = rest.patch(image_path(999), json.dumps({"title": "New"}))

    assert_problem(response, 404, "NOT_FOUND")


def test_delete_then_get(
    rest: RestClient,
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager],
) -> None:
    uploaded = upload_photo(rest)
    assert media_files() != set()

    with django_capture_on_commit_callbacks(execute=True):
        response = rest.delete(image_path(uploaded["id"]))

    assert response.status_code == 204
    assert response.content == b""
    assert "Content-Type" not in response
    assert_problem(rest.get(image_path(uploaded["id"])), 404, "NOT_FOUND")
    assert _image_count() == 0
    assert media_files() == set()


def test_delete_keeps_other_images(
    rest: RestClient,
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager],
) -> None:
    remaining = upload_photo(rest, "landscape_2.jpg")
    deleted = upload_photo(rest, "landscape_3.jpg")

    with django_capture_on_commit_callbacks(execute=True):
        rest.delete(image_path(deleted["id"]))

    assert rest.get(image_path(remaining["id"])).status_code == 200
    assert "original_images/landscape_2.jpg" in media_files()
    assert "original_images/landscape_3.jpg" not in media_files()


def test_delete_twice(rest: RestClient) -> None:
    uploaded = upload_photo(rest)

    first = rest.delete(image_path(uploaded["id"]))
    second = rest.delete(image_path(uploaded["id"]))

    assert first.status_code == 204
    assert_problem(second, 404, "NOT_FOUND")
