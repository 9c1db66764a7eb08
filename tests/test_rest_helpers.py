"""Helpers and fixtures shared by the REST shim tests (no tests of its own).

Test modules import the fixtures they use from here, because only the shared
``conftest.py`` would make them visible everywhere.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.db.models.signals import pre_delete
from django.test import Client
from wagtail.images import get_image_model
from wagtail.models import Collection, GroupCollectionPermission

from tests.conftest import photo_bytes, scaled_photo_bytes

if TYPE_CHECKING:
    from collections.abc import Iterator

    from django.contrib.auth.base_user import AbstractBaseUser
    from django.http import HttpResponse
    from wagtail.images.models import AbstractImage

#: Where ``tests/urls.py`` mounts the shim.
API_ROOT = "/api/write/v1/"

#: The listing and upload endpoint.
IMAGES_PATH = f"{API_ROOT}images/"

#: The OpenAPI document.
OPENAPI_PATH = f"{API_ROOT}openapi.json"

#: Media type of every error response.
PROBLEM_CONTENT_TYPE = "application/problem+json"

#: Keys of every image object in the documented contract.
IMAGE_KEYS = {"id", "title", "width", "height", "file_url", "created_at", "renditions"}

#: Rendition names of the default IMAGE_RENDITIONS setting.
DEFAULT_RENDITION_NAMES = ["thumbnail", "medium", "large"]


def image_path(image_id: object) -> str:
    return f"{IMAGES_PATH}{image_id}/"


class RestClient:
    """Django test client that sends an optional bearer token to the shim."""

    def __init__(self, token: str | None = None, client: Client | None = None) -> None:
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, params: dict[str, Any] | None = None) -> HttpResponse:
        return self.client.get(path, data=params or {}, headers=self.headers)

    def upload(
        self,
        content: bytes,
        file_name: str = "photo.jpg",
        *,
        title: str | None = None,
        path: str = IMAGES_PATH,
    ) -> HttpResponse:
        """POST a multipart form with ``file`` and, if given, ``title``."""
        data: dict[str, Any] = {"file": SimpleUploadedFile(file_name, content)}
        if title is not None:
            data["title"] = title
        return self.client.post(path, data=data, headers=self.headers)

    def post_form(self, data: dict[str, Any], path: str = IMAGES_PATH) -> HttpResponse:
        return self.client.post(path, data=data, headers=self.headers)

    def post_raw(
        self, body: bytes | str, content_type: str, path: str = IMAGES_PATH
    ) -> HttpResponse:
        return self.client.post(path, data=body, content_type=content_type, headers=self.headers)

    def patch(
        self, path: str, body: bytes | str, content_type: str = "application/json"
    ) -> HttpResponse:
        return self.client.patch(path, data=body, content_type=content_type, headers=self.headers)

    def delete(self, path: str) -> HttpResponse:
        return self.client.delete(path, headers=self.headers)

    def request(self, method: str, path: str) -> HttpResponse:
        return self.client.generic(method, path, headers=self.headers)


@pytest.fixture
def rest(superuser_token: str) -> RestClient:
    return RestClient(superuser_token)


@pytest.fixture
def rest_anonymous(db: None) -> RestClient:
    return RestClient()


@pytest.fixture
def empty_rendition_cache() -> Iterator[None]:
    """Empty Wagtail's rendition cache, keyed by image id and file hash.

    On SQLite a rolled-back test frees its ids for the next test, which would
    otherwise read the previous test's renditions from the cache.
    """
    get_image_model().get_rendition_model().cache_backend.clear()
    yield


def create_image(title: str, size: tuple[int, int] = (64, 48)) -> AbstractImage:
    """Store an image through the ORM, from a real photo scaled to ``size``."""
    content = io.BytesIO(scaled_photo_bytes(size))
    return get_image_model().objects.create(
        title=title,
        file=ImageFile(content, name=f"{title.replace(' ', '-').lower()}.jpg"),
        collection=Collection.get_first_root_node(),
    )


def create_chooser() -> AbstractBaseUser:
    """Create an editor who may choose images in the root collection, and nothing more."""
    user = get_user_model().objects.create_user("chooser", "chooser@example.com", "password")
    group = Group.objects.create(name="Choosers")
    GroupCollectionPermission.objects.create(
        group=group,
        collection=Collection.get_first_root_node(),
        permission=Permission.objects.get(codename="choose_image"),
    )
    user.groups.add(group)
    return user


@contextmanager
def images_protected() -> Iterator[None]:
    """Make every image deletion fail as a PROTECT foreign key would.

    No installed app has a PROTECT foreign key to images, so a ``pre_delete``
    receiver raises the ``ProtectedError`` that Django's collector raises for one.
    """

    def protect(sender: type, instance: AbstractImage, **kwargs: object) -> None:
        raise ProtectedError("Protected by a test reference.", {instance})

    pre_delete.connect(protect, sender=get_image_model(), dispatch_uid="rest-tests-protect")
    try:
        yield
    finally:
        pre_delete.disconnect(sender=get_image_model(), dispatch_uid="rest-tests-protect")


def upload_photo(
    client: RestClient, name: str = "landscape_1.jpg", title: str | None = None
) -> dict[str, Any]:
    """Upload one of Wagtail's photos through the shim and return its JSON."""
    response = client.upload(photo_bytes(name), name, title=title)
    assert response.status_code == 201, response.content
    return response.json()


def assert_problem(response: HttpResponse, status: int, code: str) -> dict[str, Any]:
    """Check a problem details response and return its body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    body = response.json()
    assert body["type"] == "about:blank"
    assert body["status"] == status
    assert body["code"] == code
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["detail"], str)
    assert body["detail"]
    return body


def field_codes(problem: dict[str, Any]) -> list[tuple[str, str]]:
    return [(error["field"], error["code"]) for error in problem.get("errors", [])]
