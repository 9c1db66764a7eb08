"""Renditions in listings: the ``IMAGE_RENDITIONS`` setting and the listing's cost."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model

from tests.conftest import GraphQLClient, media_files, scaled_photo_bytes
from tests.helpers_images import (
    IMAGE_QUERY,
    LIST_QUERY,
    clear_rendition_cache,
    create_image,
    graphql_json,
    media_path,
    rendition_filter_specs,
    stored_pixel_size,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from wagtail.images.models import AbstractImage

#: A rendition setting with one entry, replacing the three defaults.
SMALL_ONLY = {"IMAGE_RENDITIONS": {"small": "fill-200x200"}}


@pytest.fixture(autouse=True)
def _empty_rendition_cache() -> Iterator[None]:
    clear_rendition_cache()
    yield


def _list_all(client: GraphQLClient) -> dict[str, Any]:
    """List up to 100 images with their renditions, failing the test on any error."""
    body = graphql_json(client.execute(LIST_QUERY, {"limit": 100}))
    assert body.get("errors") is None, body
    return body["data"]["images"]


def _rendition_urls(page: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Return ``{image id: {rendition name: url}}`` for a listing page."""
    return {
        item["id"]: {rendition["name"]: rendition["url"] for rendition in item["renditions"]}
        for item in page["items"]
    }


def _create_images(count: int) -> list[AbstractImage]:
    return [create_image(f"Photo {index}") for index in range(count)]


def _count_listing_queries(client: GraphQLClient) -> int:
    with CaptureQueriesContext(connection) as queries:
        _list_all(client)
    return len(queries.captured_queries)


@pytest.mark.django_db
def test_listing_generates_renditions(api: GraphQLClient) -> None:
    image = create_image("Photo", content=scaled_photo_bytes((2000, 1500)))
    assert rendition_filter_specs(image) == set()

    page = _list_all(api)

    assert rendition_filter_specs(image) == {"fill-100x100", "max-800x600", "max-1600x1200"}
    sizes = {
        rendition["name"]: (rendition["width"], rendition["height"])
        for rendition in page["items"][0]["renditions"]
    }
    assert sizes == {"thumbnail": (100, 100), "medium": (800, 600), "large": (1600, 1200)}
    for rendition in image.renditions.all():
        assert stored_pixel_size(rendition.file.name) == (rendition.width, rendition.height)


@pytest.mark.django_db
def test_listing_reuses_renditions(api: GraphQLClient) -> None:
    _create_images(3)
    first = _list_all(api)
    rendition_ids = sorted(get_image_model().get_rendition_model().objects.values_list("pk"))
    files = media_files()

    second = _list_all(api)

    assert _rendition_urls(second) == _rendition_urls(first)
    assert sorted(get_image_model().get_rendition_model().objects.values_list("pk")) == (
        rendition_ids
    )
    assert media_files() == files


@pytest.mark.django_db
def test_listing_query_count_constant(api: GraphQLClient) -> None:
    """Listing 50 images costs as many queries as listing one, once renditions exist."""
    # Keep the token's last-used timestamp from adding a write to one request only.
    with override_settings(WAGTAILAPI_TOKEN_LAST_USED_INTERVAL=None):
        _create_images(1)
        _list_all(api)
        one_image = _count_listing_queries(api)

        _create_images(49)
        warm_up = _list_all(api)
        assert len(warm_up["items"]) == 50
        fifty_images = _count_listing_queries(api)

    assert fifty_images == one_image


@pytest.mark.django_db
def test_search_query_count_constant(api: GraphQLClient) -> None:
    """A search listing's cost does not grow with the number of matches either."""

    def count(client: GraphQLClient) -> int:
        with CaptureQueriesContext(connection) as queries:
            body = graphql_json(
                client.execute(LIST_QUERY, {"search": "photo", "limit": 100})
            )
        assert body.get("errors") is None, body
        return len(queries.captured_queries)

    with override_settings(WAGTAILAPI_TOKEN_LAST_USED_INTERVAL=None):
        _create_images(1)
        count(api)
        one_image = count(api)

        _create_images(29)
        count(api)
        thirty_images = count(api)

    assert thirty_images == one_image


@pytest.mark.django_db
def test_listing_without_original_files(api: GraphQLClient) -> None:
    """A listing whose renditions exist never opens an original file.

    The originals are deleted from disk after the first listing. Opening
    one would raise ``FileNotFoundError`` and fail the listing.
    """
    images = _create_images(4)
    first = _list_all(api)
    rendition_ids = sorted(get_image_model().get_rendition_model().objects.values_list("pk"))
    for image in images:
        media_path(image.file.name).unlink()
    assert all(not media_path(image.file.name).exists() for image in images)

    second = _list_all(api)

    assert _rendition_urls(second) == _rendition_urls(first)
    assert sorted(get_image_model().get_rendition_model().objects.values_list("pk")) == (
        rendition_ids
    )


@pytest.mark.django_db
def test_image_without_original_file(api: GraphQLClient) -> None:
    """The single-image query also serves existing renditions without the original."""
    image = create_image("Photo")
    first = graphql_json(api.execute(IMAGE_QUERY, {"id": str(image.pk)}))
    media_path(image.file.name).unlink()

    second = graphql_json(api.execute(IMAGE_QUERY, {"id": str(image.pk)}))

    assert second.get("errors") is None
    assert second["data"]["image"]["renditions"] == first["data"]["image"]["renditions"]


@pytest.mark.django_db
def test_renditions_setting_replaces_defaults(api: GraphQLClient) -> None:
    image = create_image("Photo")

    with override_settings(WAGTAIL_WRITE_API=SMALL_ONLY):
        page = _list_all(api)

    renditions = page["items"][0]["renditions"]
    assert [rendition["name"] for rendition in renditions] == ["small"]
    assert renditions[0]["filterSpec"] == "fill-200x200"
    assert (renditions[0]["width"], renditions[0]["height"]) == (200, 200)
    assert rendition_filter_specs(image) == {"fill-200x200"}
    stored = image.renditions.get()
    assert stored_pixel_size(stored.file.name) == (200, 200)
    assert renditions[0]["url"] == stored.url


@pytest.mark.django_db
def test_renditions_setting_on_upload(api: GraphQLClient) -> None:
    with override_settings(WAGTAIL_WRITE_API=SMALL_ONLY):
        body = graphql_json(api.upload(scaled_photo_bytes((800, 600)), "photo.jpg"))

    assert body.get("errors") is None
    data = body["data"]["uploadImage"]
    assert [rendition["name"] for rendition in data["renditions"]] == ["small"]
    image = get_image_model().objects.get(pk=data["id"])
    assert rendition_filter_specs(image) == {"fill-200x200"}
    assert stored_pixel_size(image.renditions.get().file.name) == (200, 200)


@pytest.mark.django_db
def test_renditions_setting_order_kept(api: GraphQLClient) -> None:
    create_image("Photo")
    setting = {"IMAGE_RENDITIONS": {"wide": "width-300", "square": "fill-50x50", "tiny": "max-20x20"}}

    with override_settings(WAGTAIL_WRITE_API=setting):
        page = _list_all(api)

    renditions = page["items"][0]["renditions"]
    assert [rendition["name"] for rendition in renditions] == ["wide", "square", "tiny"]
    assert [(rendition["width"], rendition["height"]) for rendition in renditions] == [
        (300, 225),
        (50, 50),
        (20, 15),
    ]


@pytest.mark.django_db
def test_renditions_shared_spec(api: GraphQLClient) -> None:
    """Two names with one filter spec share a single stored rendition."""
    image = create_image("Photo")
    setting = {"IMAGE_RENDITIONS": {"card": "fill-120x80", "teaser": "fill-120x80"}}

    with override_settings(WAGTAIL_WRITE_API=setting):
        page = _list_all(api)

    renditions = page["items"][0]["renditions"]
    assert [rendition["name"] for rendition in renditions] == ["card", "teaser"]
    assert renditions[0]["url"] == renditions[1]["url"]
    assert image.renditions.count() == 1
