"""Failed uploads leave no row and no file, and deletes remove every file.

Failures are caused through real code paths: ``post_save`` receivers that
raise or run invalid SQL after the file is written, and a rendition filter
spec that Wagtail parses but fails to run. Each test compares the files in
MEDIA_ROOT before and after, not only the rows.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.db import connection
from django.db.models.signals import post_save
from django.test import override_settings
from wagtail.images import get_image_model
from wagtail.models import ModelLogEntry

from tests.conftest import media_files, scaled_photo_bytes
from tests.testapp.models import ProtectedImageUse

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from wagtail.images.models import AbstractImage

    from tests.conftest import GraphQLClient

#: Renditions whose second spec parses but raises ZeroDivisionError when
#: Wagtail 8.0 crops to a zero height.
FAILING_RENDITIONS = {
    "IMAGE_RENDITIONS": {"thumbnail": "fill-100x100", "broken": "fill-100x0", "large": "max-1600x1200"}
}

IMAGE_QUERY = """
query Image($id: ID!) {
  image(id: $id) { id renditions { name filterSpec url } }
}
"""

DELETE_MUTATION = """
mutation Delete($id: ID!) { deleteImage(id: $id) { id } }
"""

#: Dispatch id of the ``post_save`` receivers these tests connect.
RECEIVER_ID = "tests.test_cleanup.failing_receiver"


class SaveHookError(Exception):
    """Raised by a test's ``post_save`` receiver after the image row is inserted."""


def _raise_after_save(**kwargs: Any) -> None:
    raise SaveHookError("post_save receiver failed on purpose")


def _run_invalid_sql(**kwargs: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT no_such_column FROM wagtailimages_image")


@pytest.fixture
def connect_post_save() -> Iterator[Callable[[Callable[..., None]], None]]:
    """Connect a ``post_save`` receiver on the image model for one test only."""

    def connect(receiver: Callable[..., None]) -> None:
        post_save.connect(receiver, sender=get_image_model(), dispatch_uid=RECEIVER_ID)

    yield connect
    post_save.disconnect(sender=get_image_model(), dispatch_uid=RECEIVER_ID)


def _body(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.content
    return response.json()


def _error_code(body: dict[str, Any]) -> str:
    assert body["data"] is None, body
    return body["errors"][0]["extensions"]["code"]


def _uploaded_image(body: dict[str, Any]) -> AbstractImage:
    assert body.get("errors") is None, body
    return get_image_model().objects.get(pk=body["data"]["uploadImage"]["id"])


def _image_log_entries() -> int:
    return ModelLogEntry.objects.filter(content_type__app_label="wagtailimages").count()


def _rendition_count() -> int:
    return get_image_model().get_rendition_model().objects.count()


def _files_of(image: AbstractImage) -> set[str]:
    return {image.file.name} | set(image.renditions.values_list("file", flat=True))


def _referenced_files() -> set[str]:
    image_model = get_image_model()
    images = set(image_model.objects.values_list("file", flat=True))
    renditions = set(image_model.get_rendition_model().objects.values_list("file", flat=True))
    return images | renditions


def _digests(names: set[str]) -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {name: hashlib.sha256((root / name).read_bytes()).hexdigest() for name in names}


def _error_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.levelno >= logging.ERROR]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "receiver",
    [pytest.param(_raise_after_save, id="exception"), pytest.param(_run_invalid_sql, id="database-error")],
)
def test_failed_save_leaves_nothing(
    api: GraphQLClient,
    connect_post_save: Callable[[Callable[..., None]], None],
    receiver: Callable[..., None],
) -> None:
    connect_post_save(receiver)

    body = _body(api.upload(scaled_photo_bytes((400, 300)), "photo.jpg"))

    assert _error_code(body) == "INTERNAL_SERVER_ERROR"
    assert get_image_model().objects.count() == 0
    assert _rendition_count() == 0
    assert _image_log_entries() == 0
    assert media_files() == set()


@pytest.mark.django_db
def test_failed_save_keeps_other_images(
    api: GraphQLClient, connect_post_save: Callable[[Callable[..., None]], None]
) -> None:
    """Cleanup removes only the failed upload's file, not an earlier one of the same name."""
    existing = _uploaded_image(_body(api.upload(scaled_photo_bytes((400, 300)), "photo.jpg")))
    files = media_files()
    digests = _digests(files)
    connect_post_save(_raise_after_save)

    body = _body(api.upload(scaled_photo_bytes((300, 200)), "photo.jpg"))

    assert _error_code(body) == "INTERNAL_SERVER_ERROR"
    assert list(get_image_model().objects.values_list("pk", flat=True)) == [existing.pk]
    assert media_files() == files
    assert _digests(files) == digests


@pytest.mark.django_db
def test_failed_rendition_leaves_nothing(
    api: GraphQLClient, caplog: pytest.LogCaptureFixture
) -> None:
    """An upload whose rendition fails is rolled back with every file it wrote."""
    caplog.set_level(logging.INFO, logger="wagtail_write_graphql")

    with override_settings(WAGTAIL_WRITE_API=FAILING_RENDITIONS):
        body = _body(api.upload(scaled_photo_bytes((400, 300)), "photo.jpg"))

    assert _error_code(body) == "INTERNAL_SERVER_ERROR"
    assert get_image_model().objects.count() == 0
    assert _rendition_count() == 0
    assert _image_log_entries() == 0
    assert media_files() == set()
    assert len(_error_records(caplog)) == 1
    assert "Rendition generation failed for new image" in caplog.text
    assert "its 1 written file(s) are deleted" in caplog.text


@pytest.mark.django_db
def test_failed_rendition_keeps_other_images(api: GraphQLClient) -> None:
    existing = _uploaded_image(_body(api.upload(scaled_photo_bytes((400, 300)), "photo.jpg")))
    files = media_files()
    digests = _digests(files)

    with override_settings(WAGTAIL_WRITE_API=FAILING_RENDITIONS):
        body = _body(api.upload(scaled_photo_bytes((400, 300)), "photo.jpg"))

    assert _error_code(body) == "INTERNAL_SERVER_ERROR"
    assert list(get_image_model().objects.values_list("pk", flat=True)) == [existing.pk]
    assert media_files() == files
    assert _digests(files) == digests


@pytest.mark.django_db
def test_failed_rendition_on_read(api: GraphQLClient) -> None:
    """A rendition that fails on a read keeps the renditions made before it, rows and files alike."""
    image = _uploaded_image(_body(api.upload(scaled_photo_bytes((400, 300)), "photo.jpg")))
    settings_with_failure = {
        "IMAGE_RENDITIONS": {"small": "max-50x50", "broken": "fill-100x0", "tiny": "max-20x20"}
    }

    with override_settings(WAGTAIL_WRITE_API=settings_with_failure):
        body = _body(api.execute(IMAGE_QUERY, {"id": str(image.pk)}))

    assert _error_code(body) == "INTERNAL_SERVER_ERROR"
    specs = set(image.renditions.values_list("filter_spec", flat=True))
    assert "max-50x50" in specs
    assert "fill-100x0" not in specs
    assert "max-20x20" not in specs
    assert media_files() == _referenced_files()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_delete_removes_all_files(api: GraphQLClient) -> None:
    image = _uploaded_image(_body(api.upload(scaled_photo_bytes((900, 700)), "photo.jpg")))
    # A rendition outside IMAGE_RENDITIONS, as a template tag would make it.
    image.get_rendition("width-50")
    files = _files_of(image)
    assert len(files) == 5
    assert media_files() == files

    body = _body(api.execute(DELETE_MUTATION, {"id": str(image.pk)}))

    assert body.get("errors") is None, body
    assert body["data"]["deleteImage"]["id"] == str(image.pk)
    assert get_image_model().objects.count() == 0
    assert _rendition_count() == 0
    assert media_files() == set()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_delete_keeps_other_images(api: GraphQLClient) -> None:
    kept_image = _uploaded_image(_body(api.upload(scaled_photo_bytes((400, 300)), "photo.jpg")))
    deleted = _uploaded_image(_body(api.upload(scaled_photo_bytes((400, 300)), "photo.jpg")))
    kept_image_files = _files_of(kept_image)
    digests = _digests(kept_image_files)

    body = _body(api.execute(DELETE_MUTATION, {"id": str(deleted.pk)}))

    assert body.get("errors") is None, body
    assert media_files() == kept_image_files
    assert _digests(kept_image_files) == digests


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_delete_protected_conflict(api: GraphQLClient) -> None:
    image = _uploaded_image(_body(api.upload(scaled_photo_bytes((400, 300)), "photo.jpg")))
    ProtectedImageUse.objects.create(image=image)
    rendition_ids = set(image.renditions.values_list("pk", flat=True))
    files = media_files()
    assert files == _files_of(image)
    digests = _digests(files)

    body = _body(api.execute(DELETE_MUTATION, {"id": str(image.pk)}))

    assert _error_code(body) == "CONFLICT"
    assert get_image_model().objects.filter(pk=image.pk).exists()
    assert set(image.renditions.values_list("pk", flat=True)) == rendition_ids
    assert media_files() == files
    assert _digests(files) == digests
    assert ModelLogEntry.objects.filter(action="wagtail.delete").count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_delete_after_protection_removed(api: GraphQLClient) -> None:
    image = _uploaded_image(_body(api.upload(scaled_photo_bytes((400, 300)), "photo.jpg")))
    use = ProtectedImageUse.objects.create(image=image)
    assert _error_code(_body(api.execute(DELETE_MUTATION, {"id": str(image.pk)}))) == "CONFLICT"
    use.delete()

    body = _body(api.execute(DELETE_MUTATION, {"id": str(image.pk)}))

    assert body.get("errors") is None, body
    assert get_image_model().objects.count() == 0
    assert media_files() == set()
