"""Shared fixtures: users, API tokens, collections, photos and GraphQL clients."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
import wagtail
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import APIToken, Collection

#: Real JPEG photographs shipped with the installed Wagtail package (600x450
#: and 450x600). Tests read them from there rather than keeping copies.
WAGTAIL_PHOTOS = Path(wagtail.__file__).parent / "images" / "tests" / "image_files"

GRAPHQL_PATH = "/graphql/"

UPLOAD_MUTATION = """
mutation Upload($file: Upload!, $title: String, $collectionId: ID) {
  uploadImage(file: $file, title: $title, collectionId: $collectionId) {
    id title width height fileUrl fileSize createdAt collectionId
    renditions { name filterSpec url width height }
  }
}
"""


def photo_path(name: str = "landscape_1.jpg") -> Path:
    return WAGTAIL_PHOTOS / name


def photo_bytes(name: str = "landscape_1.jpg") -> bytes:
    return photo_path(name).read_bytes()


def scaled_photo_bytes(size: tuple[int, int], name: str = "landscape_1.jpg") -> bytes:
    """Return a real photo resized to ``size`` and encoded as JPEG."""
    with PILImage.open(photo_path(name)) as photo:
        buffer = io.BytesIO()
        photo.convert("RGB").resize(size).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def media_files() -> set[str]:
    """Return every file below MEDIA_ROOT, relative to it."""
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def make_token(user) -> str:
    _token, plaintext = APIToken.create_token(user=user, name="tests")
    return plaintext


def multipart_body(query: str, variables: dict[str, Any], files: dict[str, tuple[str, bytes]]):
    """Build the form fields of a GraphQL multipart request.

    ``files`` maps a variable name to ``(file name, content)``; each becomes a
    file part mapped onto ``variables.<name>``.
    """
    operations = {"query": query, "variables": {**variables, **dict.fromkeys(files)}}
    file_map = {str(index): [f"variables.{name}"] for index, name in enumerate(files)}
    data: dict[str, Any] = {"operations": json.dumps(operations), "map": json.dumps(file_map)}
    for index, (file_name, content) in enumerate(files.values()):
        data[str(index)] = SimpleUploadedFile(file_name, content)
    return data


class GraphQLClient:
    """Django test client wrapper that posts GraphQL with an optional token."""

    def __init__(self, token: str | None = None, client: Client | None = None) -> None:
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def execute(self, query: str, variables: dict[str, Any] | None = None):
        return self.client.post(
            GRAPHQL_PATH,
            data={"query": query, "variables": variables or {}},
            content_type="application/json",
            headers=self.headers,
        )

    def upload(self, content: bytes, file_name: str = "photo.jpg", **variables: Any):
        data = multipart_body(UPLOAD_MUTATION, variables, {"file": (file_name, content)})
        return self.client.post(GRAPHQL_PATH, data=data, headers=self.headers)


@pytest.fixture(autouse=True)
def _clean_media_root():
    """Give each test an empty MEDIA_ROOT, so storage checks see only its files."""
    root = Path(settings.MEDIA_ROOT)
    for path in sorted(root.rglob("*"), reverse=True):
        if path.is_file():
            path.unlink()
        elif path.is_dir():
            path.rmdir()
    yield


@pytest.fixture(autouse=True)
def _clear_rendition_cache():
    """Empty Wagtail's rendition cache before each test.

    Its keys contain the image id and file hash. On SQLite a rolled-back test
    frees its ids, so the next test could read the previous test's renditions
    from the cache instead of generating its own files.
    """
    get_image_model().get_rendition_model().cache_backend.clear()
    yield


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("admin", "admin@example.com", "password")


@pytest.fixture
def superuser_token(superuser) -> str:
    return make_token(superuser)


@pytest.fixture
def api(superuser_token) -> GraphQLClient:
    return GraphQLClient(superuser_token)


@pytest.fixture
def anonymous(db) -> GraphQLClient:
    return GraphQLClient()


@pytest.fixture
def root_collection(db) -> Collection:
    return Collection.get_first_root_node()
