"""Helpers for the GraphQL end-to-end tests: queries, image factories, checks."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.log_actions import registry as log_action_registry

from tests.conftest import GRAPHQL_PATH, UPLOAD_MUTATION, photo_bytes

if TYPE_CHECKING:
    from datetime import datetime

    from django.contrib.auth.base_user import AbstractBaseUser
    from django.db.models import QuerySet
    from django.http import HttpResponse
    from wagtail.images.models import AbstractImage
    from wagtail.models import BaseLogEntry, Collection

#: Fields every image query below selects, renditions included.
IMAGE_FIELDS = """
    id title width height fileUrl fileSize createdAt collectionId
    renditions { name filterSpec url width height }
"""

LIST_QUERY = f"""
query List($search: String, $offset: Int, $limit: Int) {{
  images(search: $search, offset: $offset, limit: $limit) {{
    totalCount
    items {{ {IMAGE_FIELDS} }}
  }}
}}
"""

#: A listing without renditions, for tests about paging and search only.
LIST_IDS_QUERY = """
query ListIds($search: String, $offset: Int, $limit: Int) {
  images(search: $search, offset: $offset, limit: $limit) {
    totalCount
    items { id title }
  }
}
"""

IMAGE_QUERY = f"""
query One($id: ID!) {{
  image(id: $id) {{ {IMAGE_FIELDS} }}
}}
"""

UPDATE_MUTATION = f"""
mutation Update($id: ID!, $title: String!) {{
  updateImage(id: $id, title: $title) {{ {IMAGE_FIELDS} }}
}}
"""

DELETE_MUTATION = """
mutation Delete($id: ID!) {
  deleteImage(id: $id) { id }
}
"""


def graphql_json(response: HttpResponse | requests.Response) -> dict[str, Any]:
    """Return the decoded body of a GraphQL response from either client."""
    if isinstance(response, requests.Response):
        return response.json()
    return json.loads(response.content)


def error_codes(body: dict[str, Any]) -> list[str]:
    """Return the ``extensions.code`` of every error in a GraphQL body."""
    return [error.get("extensions", {}).get("code") for error in body.get("errors") or []]


def field_error_codes(body: dict[str, Any]) -> list[tuple[str, str]]:
    """Return ``(field, code)`` for every field error of every GraphQL error."""
    return [
        (field_error["field"], field_error["code"])
        for error in body.get("errors") or []
        for field_error in error.get("extensions", {}).get("fields", [])
    ]


def sha1_hex(content: bytes) -> str:
    """Return the SHA-1 digest that Wagtail's ``hash_filelike`` stores as ``file_hash``."""
    return hashlib.sha1(content).hexdigest()  # noqa: S324 - matches Wagtail, not security


def media_path(name: str) -> Path:
    """Return the path on disk of a file stored under ``name`` in MEDIA_ROOT."""
    return Path(settings.MEDIA_ROOT) / name


def stored_pixel_size(name: str) -> tuple[int, int]:
    """Open a stored file with Pillow and return its ``(width, height)``."""
    with PILImage.open(media_path(name)) as picture:
        return picture.size


def create_image(
    title: str,
    *,
    content: bytes | None = None,
    file_name: str = "photo.jpg",
    collection: Collection | None = None,
    created_at: datetime | None = None,
    uploaded_by_user: AbstractBaseUser | None = None,
) -> AbstractImage:
    """Save an image through the model, with its file written to MEDIA_ROOT.

    Saving fires Wagtail's ``post_save`` search signal, which indexes the
    image through the immediate task backend. ``created_at`` is written with
    a second ``update()``, because ``auto_now_add`` overrides a value passed
    to ``save()``.
    """
    if content is None:
        content = photo_bytes()
    image_model = get_image_model()
    image = image_model(title=title, uploaded_by_user=uploaded_by_user)
    if collection is not None:
        image.collection = collection
    image.file = ImageFile(io.BytesIO(content), name=file_name)
    image._set_image_file_metadata()
    image.save()
    if created_at is not None:
        image_model.objects.filter(pk=image.pk).update(created_at=created_at)
        image.refresh_from_db()
    return image


def rendition_filter_specs(image: AbstractImage) -> set[str]:
    """Return the filter specs of the rendition rows stored for ``image``."""
    return set(image.renditions.values_list("filter_spec", flat=True))


def log_entries(image: AbstractImage, action: str) -> QuerySet[BaseLogEntry]:
    """Return the audit log entries of ``action`` on ``image``, deleted or not."""
    return log_action_registry.get_logs_for_instance(image).filter(action=action)


def create_user_without_permissions(username: str = "visitor") -> AbstractBaseUser:
    """Create an active user who belongs to no group and has no permission."""
    return get_user_model().objects.create_user(username, f"{username}@example.com", "password")


def clear_rendition_cache() -> None:
    """Empty Wagtail's rendition cache.

    Its keys contain the image id and file hash. On SQLite a rolled-back test
    frees its ids for the next test, which would then read the previous
    test's renditions from the cache instead of generating its own files.
    """
    get_image_model().get_rendition_model().cache_backend.clear()


def post_upload(
    base_url: str,
    content: bytes,
    *,
    file_name: str = "photo.jpg",
    token: str | None = None,
    **variables: Any,
) -> requests.Response:
    """Upload a file over HTTP with the GraphQL multipart request spec.

    The body has an ``operations`` part with the query and ``file: null``, a
    ``map`` part pointing part ``0`` at ``variables.file``, and the file part.
    """
    operations = {"query": UPLOAD_MUTATION, "variables": {**variables, "file": None}}
    file_map = {"0": ["variables.file"]}
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.post(
        base_url + GRAPHQL_PATH,
        data={"operations": json.dumps(operations), "map": json.dumps(file_map)},
        files={"0": (file_name, content, "image/jpeg")},
        headers=headers,
        timeout=60,
    )


def post_graphql(
    base_url: str,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    token: str | None = None,
) -> requests.Response:
    """Send a JSON GraphQL request over HTTP."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.post(
        base_url + GRAPHQL_PATH,
        json={"query": query, "variables": variables or {}},
        headers=headers,
        timeout=60,
    )
