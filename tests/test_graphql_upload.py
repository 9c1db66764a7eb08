"""Image uploads over HTTP through the GraphQL multipart request spec.

Each test starts pytest-django's live server and sends real multipart
requests with ``requests``, so the upload goes through Django's request
parsing, Strawberry's multipart handling, the admin's image form and
Wagtail's storage exactly as a client's would.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
import requests
from django.test import override_settings
from wagtail.images import get_image_model
from wagtail.models import Collection

from tests.conftest import GRAPHQL_PATH, media_files, photo_bytes, scaled_photo_bytes
from tests.helpers_images import (
    clear_rendition_cache,
    error_codes,
    field_error_codes,
    graphql_json,
    log_entries,
    media_path,
    post_upload,
    sha1_hex,
    stored_pixel_size,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from django.contrib.auth.base_user import AbstractBaseUser
    from pytest_django.live_server_helper import LiveServer
    from wagtail.images.models import AbstractImage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _empty_rendition_cache() -> Iterator[None]:
    clear_rendition_cache()
    yield


def _uploaded(body: dict[str, Any]) -> dict[str, Any]:
    assert body.get("errors") is None, body
    return body["data"]["uploadImage"]


def _renditions_by_name(image_data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {rendition["name"]: rendition for rendition in image_data["renditions"]}


def _stored_rendition_sizes(image: AbstractImage) -> dict[str, tuple[int, int]]:
    """Return each rendition's pixel size, read back from its file on disk."""
    return {
        rendition.filter_spec: stored_pixel_size(rendition.file.name)
        for rendition in image.renditions.all()
    }


def test_upload_response_ok(live_server: LiveServer, superuser_token: str) -> None:
    response = post_upload(live_server.url, photo_bytes(), token=superuser_token)

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    data = _uploaded(graphql_json(response))
    assert data["width"] == 600
    assert data["height"] == 450
    assert data["fileSize"] == len(photo_bytes())


def test_upload_stores_file_metadata(
    live_server: LiveServer, superuser: AbstractBaseUser, superuser_token: str
) -> None:
    content = photo_bytes("landscape_2.jpg")

    data = _uploaded(
        graphql_json(
            post_upload(
                live_server.url, content, file_name="landscape_2.jpg", token=superuser_token
            )
        )
    )

    image = get_image_model().objects.get(pk=data["id"])
    assert image.file_size == len(content)
    assert image.file_hash == sha1_hex(content)
    assert image.uploaded_by_user_id == superuser.pk
    assert media_path(image.file.name).read_bytes() == content


def test_upload_title_defaults_to_file_name(
    live_server: LiveServer, superuser_token: str
) -> None:
    response = post_upload(
        live_server.url, photo_bytes(), file_name="harbour-at-dawn.jpg", token=superuser_token
    )

    data = _uploaded(graphql_json(response))
    assert data["title"] == "harbour-at-dawn.jpg"
    assert get_image_model().objects.get(pk=data["id"]).title == "harbour-at-dawn.jpg"


def test_upload_given_title(live_server: LiveServer, superuser_token: str) -> None:
    response = post_upload(
        live_server.url,
        photo_bytes(),
        file_name="harbour-at-dawn.jpg",
        token=superuser_token,
        title="Harbour at dawn",
    )

    data = _uploaded(graphql_json(response))
    assert data["title"] == "Harbour at dawn"
    assert get_image_model().objects.get(pk=data["id"]).title == "Harbour at dawn"


def test_upload_large_photo_renditions(live_server: LiveServer, superuser_token: str) -> None:
    content = scaled_photo_bytes((2000, 1500))

    data = _uploaded(graphql_json(post_upload(live_server.url, content, token=superuser_token)))

    image = get_image_model().objects.get(pk=data["id"])
    assert (image.width, image.height) == (2000, 1500)
    assert _stored_rendition_sizes(image) == {
        "fill-100x100": (100, 100),
        "max-800x600": (800, 600),
        "max-1600x1200": (1600, 1200),
    }
    renditions = _renditions_by_name(data)
    assert list(renditions) == ["thumbnail", "medium", "large"]
    assert (renditions["thumbnail"]["width"], renditions["thumbnail"]["height"]) == (100, 100)
    assert (renditions["medium"]["width"], renditions["medium"]["height"]) == (800, 600)
    assert (renditions["large"]["width"], renditions["large"]["height"]) == (1600, 1200)


def test_upload_rendition_urls_match_files(
    live_server: LiveServer, superuser_token: str
) -> None:
    data = _uploaded(
        graphql_json(post_upload(live_server.url, photo_bytes(), token=superuser_token))
    )

    image = get_image_model().objects.get(pk=data["id"])
    urls = {rendition["filterSpec"]: rendition["url"] for rendition in data["renditions"]}
    stored = {rendition.filter_spec: rendition for rendition in image.renditions.all()}
    assert set(urls) == set(stored)
    for spec, rendition in stored.items():
        assert urls[spec] == rendition.url
        assert media_path(rendition.file.name).is_file()
    assert data["fileUrl"] == image.file.url


def test_upload_small_photo_not_enlarged(
    live_server: LiveServer, superuser_token: str
) -> None:
    data = _uploaded(
        graphql_json(post_upload(live_server.url, photo_bytes(), token=superuser_token))
    )

    image = get_image_model().objects.get(pk=data["id"])
    sizes = _stored_rendition_sizes(image)
    assert sizes["fill-100x100"] == (100, 100)
    assert sizes["max-800x600"] == (600, 450)
    assert sizes["max-1600x1200"] == (600, 450)
    renditions = _renditions_by_name(data)
    assert (renditions["medium"]["width"], renditions["medium"]["height"]) == (600, 450)


def test_upload_portrait_photo_renditions(
    live_server: LiveServer, superuser_token: str
) -> None:
    content = scaled_photo_bytes((1500, 2000), name="landscape_5.jpg")

    data = _uploaded(graphql_json(post_upload(live_server.url, content, token=superuser_token)))

    sizes = _stored_rendition_sizes(get_image_model().objects.get(pk=data["id"]))
    assert sizes["fill-100x100"] == (100, 100)
    assert sizes["max-800x600"] == (450, 600)
    assert sizes["max-1600x1200"] == (900, 1200)


def test_upload_files_on_disk(live_server: LiveServer, superuser_token: str) -> None:
    assert media_files() == set()

    data = _uploaded(
        graphql_json(post_upload(live_server.url, photo_bytes(), token=superuser_token))
    )

    image = get_image_model().objects.get(pk=data["id"])
    expected = {image.file.name} | {rendition.file.name for rendition in image.renditions.all()}
    assert len(expected) == 4
    assert media_files() == expected


def test_upload_audit_log_entry(
    live_server: LiveServer, superuser: AbstractBaseUser, superuser_token: str
) -> None:
    data = _uploaded(
        graphql_json(post_upload(live_server.url, photo_bytes(), token=superuser_token))
    )

    image = get_image_model().objects.get(pk=data["id"])
    entries = list(log_entries(image, "wagtail.create"))
    assert len(entries) == 1
    assert entries[0].user_id == superuser.pk
    assert entries[0].object_id == str(image.pk)


def test_upload_not_an_image_rejected(live_server: LiveServer, superuser_token: str) -> None:
    response = post_upload(
        live_server.url, b"plain text, not a JPEG", file_name="notes.jpg", token=superuser_token
    )

    body = graphql_json(response)
    assert error_codes(body) == ["VALIDATION_ERROR"]
    assert field_error_codes(body) == [("file", "invalid_image")]
    assert get_image_model().objects.count() == 0
    assert media_files() == set()


def test_upload_empty_file_rejected(live_server: LiveServer, superuser_token: str) -> None:
    response = post_upload(live_server.url, b"", file_name="empty.jpg", token=superuser_token)

    body = graphql_json(response)
    assert error_codes(body) == ["VALIDATION_ERROR"]
    assert field_error_codes(body) == [("file", "empty")]
    assert get_image_model().objects.count() == 0
    assert media_files() == set()


def test_upload_empty_title_rejected(live_server: LiveServer, superuser_token: str) -> None:
    response = post_upload(live_server.url, photo_bytes(), token=superuser_token, title="")

    body = graphql_json(response)
    assert error_codes(body) == ["VALIDATION_ERROR"]
    assert field_error_codes(body) == [("title", "required")]
    assert get_image_model().objects.count() == 0
    assert media_files() == set()


def test_upload_unknown_collection_rejected(
    live_server: LiveServer, superuser_token: str
) -> None:
    response = post_upload(
        live_server.url, photo_bytes(), token=superuser_token, collectionId="999999"
    )

    body = graphql_json(response)
    assert error_codes(body) == ["VALIDATION_ERROR"]
    assert field_error_codes(body) == [("collection", "invalid_choice")]
    assert get_image_model().objects.count() == 0
    assert media_files() == set()


def test_upload_into_child_collection(live_server: LiveServer, superuser_token: str) -> None:
    child = Collection.get_first_root_node().add_child(name="Harbour")

    response = post_upload(
        live_server.url, photo_bytes(), token=superuser_token, collectionId=str(child.pk)
    )

    data = _uploaded(graphql_json(response))
    assert data["collectionId"] == str(child.pk)
    assert get_image_model().objects.get(pk=data["id"]).collection_id == child.pk


def test_upload_long_file_name_title(live_server: LiveServer, superuser_token: str) -> None:
    """A default title from a long file name is cut to the title's max length."""
    file_name = "x" * 300 + ".jpg"

    data = _uploaded(
        graphql_json(
            post_upload(live_server.url, photo_bytes(), file_name=file_name, token=superuser_token)
        )
    )

    title = get_image_model().objects.get(pk=data["id"]).title
    assert len(title) == 255
    assert title.startswith("xxxx")


def test_upload_wrong_extension_rejected(
    live_server: LiveServer, superuser_token: str
) -> None:
    response = post_upload(
        live_server.url, photo_bytes(), file_name="photo.txt", token=superuser_token
    )

    body = graphql_json(response)
    assert error_codes(body) == ["VALIDATION_ERROR"]
    assert field_error_codes(body) == [("file", "invalid_image_extension")]
    assert get_image_model().objects.count() == 0
    assert media_files() == set()


def test_upload_too_large_rejected(live_server: LiveServer, superuser_token: str) -> None:
    content = photo_bytes()

    with override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=len(content) - 1):
        response = post_upload(live_server.url, content, token=superuser_token)

    body = graphql_json(response)
    assert error_codes(body) == ["VALIDATION_ERROR"]
    assert field_error_codes(body) == [("file", "file_too_large")]
    assert get_image_model().objects.count() == 0
    assert media_files() == set()


def test_upload_too_many_pixels_rejected(
    live_server: LiveServer, superuser_token: str
) -> None:
    with override_settings(WAGTAILIMAGES_MAX_IMAGE_PIXELS=600 * 450 - 1):
        response = post_upload(live_server.url, photo_bytes(), token=superuser_token)

    body = graphql_json(response)
    assert error_codes(body) == ["VALIDATION_ERROR"]
    assert field_error_codes(body) == [("file", "file_too_many_pixels")]
    assert get_image_model().objects.count() == 0
    assert media_files() == set()


def test_upload_bad_token_rejected(live_server: LiveServer, superuser_token: str) -> None:
    response = post_upload(live_server.url, photo_bytes(), token=superuser_token + "x")

    assert response.status_code == 401
    assert error_codes(graphql_json(response)) == ["UNAUTHENTICATED"]
    assert get_image_model().objects.count() == 0
    assert media_files() == set()


def test_upload_missing_file_part_rejected(
    live_server: LiveServer, superuser_token: str
) -> None:
    """A map that points at a file part the body lacks is a client error."""
    operations = {
        "query": "mutation($file: Upload!) { uploadImage(file: $file) { id } }",
        "variables": {"file": None},
    }
    response = requests.post(
        live_server.url + GRAPHQL_PATH,
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"other": ("photo.jpg", photo_bytes(), "image/jpeg")},
        headers={"Authorization": f"Bearer {superuser_token}"},
        timeout=60,
    )

    assert response.status_code == 400
    assert get_image_model().objects.count() == 0
    assert media_files() == set()
