"""The REST shim reads request bodies under the same limits and errors as the GraphQL endpoint."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory, override_settings
from django.urls import resolve
from wagtail.images import get_image_model

from .conftest import media_files, photo_bytes

IMAGES_URL = "/api/write/v1/images/"


@pytest.mark.django_db
@override_settings(WAGTAIL_WRITE_API={"MAX_REQUEST_SIZE": 1000})
def test_rest_upload_over_request_size(client, superuser_token):
    response = client.post(
        IMAGES_URL,
        data={"file": _named_file(photo_bytes())},
        headers={"Authorization": f"Bearer {superuser_token}"},
    )

    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "BAD_REQUEST"
    assert "1000 bytes" in response.json()["detail"]
    assert get_image_model().objects.count() == 0
    assert media_files() == set()


@pytest.mark.django_db
@override_settings(WAGTAIL_WRITE_API={"MAX_REQUEST_SIZE": 10 * 1024 * 1024})
def test_rest_upload_within_request_size(client, superuser_token):
    response = client.post(
        IMAGES_URL,
        data={"file": _named_file(photo_bytes())},
        headers={"Authorization": f"Bearer {superuser_token}"},
    )

    assert response.status_code == 201


def _named_file(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.jpg", content, content_type="image/jpeg")


class _DisconnectedStream:
    """A request body whose client went away: every read fails as a socket does."""

    def read(self, *args: object) -> bytes:
        raise OSError("connection reset by peer")

    readline = read

    def close(self) -> None:
        pass


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "patch"])
def test_rest_unreadable_body(method: str, superuser_token: str) -> None:
    path = f"{IMAGES_URL}1/" if method == "patch" else IMAGES_URL
    content_type = "application/json" if method == "patch" else "multipart/form-data; boundary=x"
    request = getattr(RequestFactory(), method)(
        path,
        data=b"{}",
        content_type=content_type,
        headers={"Authorization": f"Bearer {superuser_token}"},
    )
    request._stream = _DisconnectedStream()  # noqa: SLF001 - Django reads the body from it
    match = resolve(path)

    response = match.func(request, **match.kwargs)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["detail"] == "The request body could not be read completely."
