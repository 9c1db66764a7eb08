"""Concurrent uploads, updates and first rendition requests on PostgreSQL.

Each test starts real threads, and each thread sends real GraphQL requests
through its own ``django.test.Client`` and its own database connection. A
``threading.Barrier`` releases the threads together, so their requests
overlap. The tests then compare the rows with the files in MEDIA_ROOT.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import pytest
from django.core.files.images import ImageFile
from django.db import connection
from django.db.models import Count
from wagtail.images import get_image_model
from wagtail.models import Collection

from tests.conftest import GraphQLClient, media_files, photo_path, scaled_photo_bytes

if TYPE_CHECKING:
    from collections.abc import Callable

    from wagtail.images.models import AbstractImage

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason=(
            "Concurrency tests need PostgreSQL: SQLite in memory gives each "
            "thread its own empty database and serialises every write."
        ),
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

#: Number of threads started by each test.
THREADS = 8

#: Requests each thread sends in the upload test.
UPLOADS_PER_THREAD = 2

#: Seconds a thread waits at the barrier for the others before giving up. The
#: wait only guards against a hung test and is never asserted on.
BARRIER_TIMEOUT = 60

#: Filter specs of the default ``IMAGE_RENDITIONS``.
DEFAULT_SPECS = {"fill-100x100", "max-800x600", "max-1600x1200"}

IMAGE_QUERY = """
query Image($id: ID!) {
  image(id: $id) { id renditions { name filterSpec url width height } }
}
"""

LIST_QUERY = """
query List {
  images(limit: 100) { items { id renditions { name filterSpec url width height } } }
}
"""

UPDATE_MUTATION = """
mutation Update($id: ID!, $title: String!) {
  updateImage(id: $id, title: $title) { id title renditions { filterSpec url } }
}
"""


def _run_in_threads(task: Callable[[int], Any]) -> list[Any]:
    """Run ``task(index)`` in THREADS threads released together and return the results.

    Each thread closes its own database connection when it is done, so the
    test database can be flushed after the test.
    """
    barrier = threading.Barrier(THREADS, timeout=BARRIER_TIMEOUT)

    def run(index: int) -> Any:
        try:
            barrier.wait()
            return task(index)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as executor:
        return list(executor.map(run, range(THREADS)))


def _json(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.content
    return response.json()


def _errors(bodies: list[dict[str, Any]]) -> list[Any]:
    return [body["errors"] for body in bodies if body.get("errors")]


def _create_image_without_renditions(title: str) -> AbstractImage:
    """Store a real photo through the ORM, so no rendition exists yet."""
    with photo_path().open("rb") as handle:
        return get_image_model().objects.create(
            title=title,
            file=ImageFile(handle, name="landscape_1.jpg"),
            collection=Collection.get_first_root_node(),
        )


def _duplicate_renditions() -> list[dict[str, Any]]:
    rendition_model = get_image_model().get_rendition_model()
    return list(
        rendition_model.objects.values("image_id", "filter_spec", "focal_point_key")
        .annotate(copies=Count("id"))
        .filter(copies__gt=1)
    )


def _referenced_files() -> set[str]:
    """Return the file names that image and rendition rows refer to."""
    image_model = get_image_model()
    rendition_model = image_model.get_rendition_model()
    images = set(image_model.objects.values_list("file", flat=True))
    renditions = set(rendition_model.objects.values_list("file", flat=True))
    return images | renditions


def _rendition_urls(image: dict[str, Any]) -> dict[str, str]:
    return {rendition["filterSpec"]: rendition["url"] for rendition in image["renditions"]}


def test_parallel_uploads(superuser_token: str) -> None:
    content = scaled_photo_bytes((400, 300))

    def upload(index: int) -> list[dict[str, Any]]:
        client = GraphQLClient(superuser_token)
        return [
            _json(client.upload(content, "photo.jpg", title=f"Photo {index}-{number}"))
            for number in range(UPLOADS_PER_THREAD)
        ]

    bodies = [body for thread_bodies in _run_in_threads(upload) for body in thread_bodies]

    assert _errors(bodies) == []
    uploaded_ids = {body["data"]["uploadImage"]["id"] for body in bodies}
    assert len(uploaded_ids) == THREADS * UPLOADS_PER_THREAD
    image_model = get_image_model()
    assert image_model.objects.count() == THREADS * UPLOADS_PER_THREAD
    assert image_model.get_rendition_model().objects.count() == (
        THREADS * UPLOADS_PER_THREAD * len(DEFAULT_SPECS)
    )
    assert _duplicate_renditions() == []
    originals = set(image_model.objects.values_list("file", flat=True))
    assert len(originals) == THREADS * UPLOADS_PER_THREAD
    assert media_files() == _referenced_files()


def test_parallel_title_updates(superuser_token: str) -> None:
    image = _create_image_without_renditions("Original")
    titles = [f"Title {index}" for index in range(THREADS)]

    def update(index: int) -> dict[str, Any]:
        client = GraphQLClient(superuser_token)
        variables = {"id": str(image.pk), "title": titles[index]}
        return _json(client.execute(UPDATE_MUTATION, variables))

    bodies = _run_in_threads(update)

    assert _errors(bodies) == []
    returned_titles = sorted(body["data"]["updateImage"]["title"] for body in bodies)
    assert returned_titles == sorted(titles)
    image.refresh_from_db()
    assert image.title in titles
    specs = set(image.renditions.values_list("filter_spec", flat=True))
    assert specs == DEFAULT_SPECS
    assert image.renditions.count() == len(DEFAULT_SPECS)
    urls = {tuple(sorted(_rendition_urls(body["data"]["updateImage"]).items())) for body in bodies}
    assert len(urls) == 1
    assert media_files() == _referenced_files()


def test_parallel_first_image_requests(superuser_token: str) -> None:
    image = _create_image_without_renditions("Photo")
    assert image.renditions.count() == 0

    def get(_index: int) -> dict[str, Any]:
        return _json(GraphQLClient(superuser_token).execute(IMAGE_QUERY, {"id": str(image.pk)}))

    bodies = _run_in_threads(get)

    assert _errors(bodies) == []
    urls = {tuple(sorted(_rendition_urls(body["data"]["image"]).items())) for body in bodies}
    assert len(urls) == 1
    assert set(image.renditions.values_list("filter_spec", flat=True)) == DEFAULT_SPECS
    assert image.renditions.count() == len(DEFAULT_SPECS)
    assert _duplicate_renditions() == []
    assert media_files() == _referenced_files()
    served = {url.removeprefix("/media/") for url in dict(next(iter(urls))).values()}
    assert served <= media_files()


def test_parallel_first_listings(superuser_token: str) -> None:
    images = [_create_image_without_renditions(f"Photo {index}") for index in range(3)]

    def list_images(_index: int) -> dict[str, Any]:
        return _json(GraphQLClient(superuser_token).execute(LIST_QUERY))

    bodies = _run_in_threads(list_images)

    assert _errors(bodies) == []
    listings = {
        tuple(
            (item["id"], tuple(sorted(_rendition_urls(item).items())))
            for item in body["data"]["images"]["items"]
        )
        for body in bodies
    }
    assert len(listings) == 1
    for image in images:
        assert image.renditions.count() == len(DEFAULT_SPECS)
    assert _duplicate_renditions() == []
    assert media_files() == _referenced_files()
    served = {
        url.removeprefix("/media/")
        for _image_id, urls in next(iter(listings))
        for _spec, url in urls
    }
    assert served <= media_files()


def _rendition_owner_ids() -> set[int]:
    """Return the ids of images that have at least one rendition row."""
    rendition_model = get_image_model().get_rendition_model()
    return set(rendition_model.objects.values_list("image_id", flat=True))


def test_parallel_uploads_then_listing(superuser_token: str) -> None:
    """Uploads and listings interleave without orphaned files or duplicate rows."""
    content = scaled_photo_bytes((300, 200))

    def upload_or_list(index: int) -> dict[str, Any]:
        client = GraphQLClient(superuser_token)
        if index % 2:
            return _json(client.execute(LIST_QUERY))
        return _json(client.upload(content, "photo.jpg"))

    bodies = _run_in_threads(upload_or_list)

    assert _errors(bodies) == []
    image_ids = set(get_image_model().objects.values_list("pk", flat=True))
    assert len(image_ids) == THREADS // 2
    assert _rendition_owner_ids() == image_ids
    assert _duplicate_renditions() == []
    assert media_files() == _referenced_files()
