"""Reading images through the REST shim: listing, paging, search and detail."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.test import override_settings

from tests.test_rest_helpers import (
    DEFAULT_RENDITION_NAMES,
    IMAGE_KEYS,
    IMAGES_PATH,
    RestClient,
    assert_problem,
    create_image,
    empty_rendition_cache,  # noqa: F401 - fixture
    image_path,
    rest,  # noqa: F401 - fixture
    rest_anonymous,  # noqa: F401 - fixture
    upload_photo,
)

if TYPE_CHECKING:
    from wagtail.images.models import AbstractImage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_rendition_cache")]


def _media_file(url: str) -> Path:
    """Return the file under MEDIA_ROOT that a ``/media/...`` URL serves."""
    assert url.startswith(settings.MEDIA_URL), url
    return Path(settings.MEDIA_ROOT) / url.removeprefix(settings.MEDIA_URL)


def _titles(body: dict[str, Any]) -> set[str]:
    return {item["title"] for item in body["items"]}


@pytest.fixture
def fifteen_images(db: None) -> list[AbstractImage]:
    return [create_image(f"Picture {number:02d}") for number in range(15)]


def test_list_envelope(rest: RestClient) -> None:
    upload_photo(rest)

    response = rest.get(IMAGES_PATH)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"items", "meta"}
    assert body["meta"] == {"total_count": 1}
    assert len(body["items"]) == 1


def test_list_item_types(rest: RestClient) -> None:
    upload_photo(rest)

    item = rest.get(IMAGES_PATH).json()["items"][0]

    assert set(item) == IMAGE_KEYS
    assert type(item["id"]) is int
    assert type(item["title"]) is str
    assert type(item["width"]) is int
    assert type(item["height"]) is int
    assert type(item["file_url"]) is str
    assert type(item["created_at"]) is str
    assert type(item["renditions"]) is dict


def test_list_item_values(rest: RestClient) -> None:
    uploaded = upload_photo(rest, "landscape_2.jpg", title="Hero image")

    item = rest.get(IMAGES_PATH).json()["items"][0]

    assert item["id"] == uploaded["id"]
    assert item["title"] == "Hero image"
    assert item["width"] == 600
    assert item["height"] == 450
    assert _media_file(item["file_url"]).is_file()
    assert datetime.fromisoformat(item["created_at"]).tzinfo is not None


def test_list_renditions_by_name(rest: RestClient) -> None:
    upload_photo(rest)

    renditions = rest.get(IMAGES_PATH).json()["items"][0]["renditions"]

    assert list(renditions) == DEFAULT_RENDITION_NAMES
    assert "fill-100x100" in renditions["thumbnail"]
    assert "max-800x600" in renditions["medium"]
    assert "max-1600x1200" in renditions["large"]
    for url in renditions.values():
        assert _media_file(url).is_file(), url


@override_settings(
    WAGTAIL_WRITE_API={"IMAGE_RENDITIONS": {"small": "max-50x50", "square": "fill-20x20"}}
)
def test_rendition_keys_follow_setting(rest: RestClient) -> None:
    upload_photo(rest)

    renditions = rest.get(IMAGES_PATH).json()["items"][0]["renditions"]

    assert list(renditions) == ["small", "square"]
    assert "max-50x50" in renditions["small"]
    assert "fill-20x20" in renditions["square"]


def test_detail_matches_list_item(rest: RestClient) -> None:
    uploaded = upload_photo(rest)

    response = rest.get(image_path(uploaded["id"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == rest.get(IMAGES_PATH).json()["items"][0]


def test_detail_leading_zeros(rest: RestClient) -> None:
    uploaded = upload_photo(rest)

    response = rest.get(image_path(f"00{uploaded['id']}"))

    assert response.status_code == 200
    assert response.json()["id"] == uploaded["id"]


def test_paging_covers_every_image(rest: RestClient, fifteen_images: list) -> None:
    seen: list[int] = []
    for offset in range(0, 20, 4):
        body = rest.get(IMAGES_PATH, {"offset": offset, "limit": 4}).json()
        assert body["meta"]["total_count"] == 15
        seen.extend(item["id"] for item in body["items"])

    assert len(seen) == 15
    assert set(seen) == {image.pk for image in fifteen_images}


def test_paging_newest_first(rest: RestClient, fifteen_images: list) -> None:
    body = rest.get(IMAGES_PATH, {"limit": 15}).json()

    ids = [item["id"] for item in body["items"]]
    assert ids == sorted((image.pk for image in fifteen_images), reverse=True)


def test_paging_last_page_short(rest: RestClient, fifteen_images: list) -> None:
    body = rest.get(IMAGES_PATH, {"offset": 12, "limit": 4}).json()

    assert len(body["items"]) == 3
    assert body["meta"]["total_count"] == 15


def test_paging_offset_past_end(rest: RestClient, fifteen_images: list) -> None:
    body = rest.get(IMAGES_PATH, {"offset": 15}).json()

    assert body["items"] == []
    assert body["meta"]["total_count"] == 15


@override_settings(WAGTAIL_WRITE_API={"DEFAULT_PAGE_SIZE": 6})
def test_paging_default_limit(rest: RestClient, fifteen_images: list) -> None:
    body = rest.get(IMAGES_PATH).json()

    assert len(body["items"]) == 6
    assert body["meta"]["total_count"] == 15


@override_settings(WAGTAIL_WRITE_API={"MAX_PAGE_SIZE": 5})
def test_paging_limit_at_maximum(rest: RestClient, fifteen_images: list) -> None:
    response = rest.get(IMAGES_PATH, {"limit": 5})

    assert response.status_code == 200
    assert len(response.json()["items"]) == 5


def test_search_title_prefix(rest: RestClient) -> None:
    create_image("Hero banner")
    create_image("Hero image")
    create_image("Footer logo")

    body = rest.get(IMAGES_PATH, {"search": "her"}).json()

    assert _titles(body) == {"Hero banner", "Hero image"}
    assert body["meta"]["total_count"] == 2


def test_search_pages_against_total(rest: RestClient) -> None:
    create_image("Hero banner")
    create_image("Hero image")
    create_image("Footer logo")

    first = rest.get(IMAGES_PATH, {"search": "hero", "limit": 1}).json()
    second = rest.get(IMAGES_PATH, {"search": "hero", "limit": 1, "offset": 1}).json()

    assert first["meta"]["total_count"] == 2
    assert second["meta"]["total_count"] == 2
    assert _titles(first) | _titles(second) == {"Hero banner", "Hero image"}


def test_search_no_match(rest: RestClient) -> None:
    create_image("Hero banner")

    body = rest.get(IMAGES_PATH, {"search": "zebra"}).json()

    assert body == {"items": [], "meta": {"total_count": 0}}


@pytest.mark.parametrize("search", ['"', "-", "a\x00b", "%", "' OR 1=1 --", "ü" * 300])
def test_search_odd_characters(rest: RestClient, search: str) -> None:
    create_image("Hero banner")

    response = rest.get(IMAGES_PATH, {"search": search})

    assert response.status_code == 200
    assert response.json()["meta"]["total_count"] == len(response.json()["items"])


def test_list_anonymous_rejected(rest_anonymous: RestClient) -> None:
    response = rest_anonymous.get(IMAGES_PATH)

    assert_problem(response, 401, "UNAUTHENTICATED")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_detail_anonymous_rejected(rest: RestClient, rest_anonymous: RestClient) -> None:
    uploaded = upload_photo(rest)

    response = rest_anonymous.get(image_path(uploaded["id"]))

    assert_problem(response, 401, "UNAUTHENTICATED")
    assert response["WWW-Authenticate"].startswith("Bearer")


@override_settings(WAGTAIL_WRITE_API={"REQUIRE_AUTH_FOR_READ": False})
def test_anonymous_read_when_allowed(rest: RestClient, rest_anonymous: RestClient) -> None:
    uploaded = upload_photo(rest)

    listing = rest_anonymous.get(IMAGES_PATH)
    detail = rest_anonymous.get(image_path(uploaded["id"]))

    assert listing.status_code == 200
    assert listing.json()["meta"]["total_count"] == 1
    assert detail.status_code == 200
    assert detail.json()["id"] == uploaded["id"]


@override_settings(WAGTAIL_WRITE_API={"REQUIRE_AUTH_FOR_READ": False})
def test_anonymous_write_still_rejected(rest_anonymous: RestClient) -> None:
    response = rest_anonymous.upload(b"not read", "photo.jpg")

    assert_problem(response, 401, "UNAUTHENTICATED")


def test_head_list(rest: RestClient) -> None:
    response = rest.request("HEAD", IMAGES_PATH)

    assert response.status_code == 200
    assert response.content == b""
