"""The REST shim applies the same request body size limit as the GraphQL endpoint."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
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
