"""The ``images`` listing (paging, order, search) and the ``image`` query."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.test import override_settings
from wagtail.images import get_image_model

from tests.conftest import GraphQLClient, make_token, photo_bytes
from wagtail_write_graphql.operations import MAX_SEARCH_WORDS
from tests.helpers_images import (
    IMAGE_QUERY,
    LIST_IDS_QUERY,
    LIST_QUERY,
    clear_rendition_cache,
    create_image,
    create_user_without_permissions,
    error_codes,
    field_error_codes,
    graphql_json,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from wagtail.images.models import AbstractImage

#: A fixed creation time, so tests control the listing order exactly.
BASE_TIME = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

#: Titles for the search tests. Only the first has a word starting with "sun" or "pier".
SEARCH_TITLES = ("Sunset at the pier", "Harbour at dawn", "Mountain lake", "Unsettled sky")


@pytest.fixture(autouse=True)
def _empty_rendition_cache() -> Iterator[None]:
    clear_rendition_cache()
    yield


def _list(client: GraphQLClient, query: str = LIST_IDS_QUERY, **variables: Any) -> dict[str, Any]:
    """Run a listing query and return the GraphQL body."""
    response = client.execute(query, variables)
    assert response.status_code == 200
    return graphql_json(response)


def _page(client: GraphQLClient, **variables: Any) -> dict[str, Any]:
    """Run a listing that must succeed and return its ``images`` object."""
    body = _list(client, **variables)
    assert body.get("errors") is None, body
    return body["data"]["images"]


def _ids(page: dict[str, Any]) -> list[int]:
    return [int(item["id"]) for item in page["items"]]


def _create_images(count: int, *, same_time: bool = False) -> list[AbstractImage]:
    """Create ``count`` images, one minute apart unless ``same_time`` is set."""
    return [
        create_image(
            f"Photo {index}",
            created_at=BASE_TIME if same_time else BASE_TIME + timedelta(minutes=index),
        )
        for index in range(count)
    ]


def _newest_first(images: list[AbstractImage]) -> list[int]:
    """Return the ids in listing order: newest first, then highest id first."""
    ordered = sorted(images, key=lambda image: (image.created_at, image.pk), reverse=True)
    return [image.pk for image in ordered]


def _collect_all_pages(client: GraphQLClient, limit: int, **variables: Any) -> list[int]:
    """Walk the listing page by page until a page comes back empty."""
    ids: list[int] = []
    offset = 0
    while True:
        page = _page(client, offset=offset, limit=limit, **variables)
        if not page["items"]:
            return ids
        ids.extend(_ids(page))
        offset += limit


@pytest.mark.django_db
def test_listing_total_count(api: GraphQLClient) -> None:
    _create_images(3)

    page = _page(api)

    assert page["totalCount"] == 3
    assert len(page["items"]) == 3


@pytest.mark.django_db
def test_listing_empty(api: GraphQLClient) -> None:
    page = _page(api)

    assert page["totalCount"] == 0
    assert page["items"] == []


@pytest.mark.django_db
def test_listing_default_limit(api: GraphQLClient) -> None:
    images = _create_images(23)

    page = _page(api)

    assert page["totalCount"] == 23
    assert _ids(page) == _newest_first(images)[:20]


@pytest.mark.django_db
def test_listing_newest_first(api: GraphQLClient) -> None:
    oldest = create_image("Oldest", created_at=BASE_TIME)
    newest = create_image("Newest", created_at=BASE_TIME + timedelta(days=2))
    middle = create_image("Middle", created_at=BASE_TIME + timedelta(days=1))

    page = _page(api)

    assert _ids(page) == [newest.pk, middle.pk, oldest.pk]


@pytest.mark.django_db
def test_listing_ties_ordered_by_id(api: GraphQLClient) -> None:
    images = _create_images(5, same_time=True)

    page = _page(api)

    assert _ids(page) == sorted((image.pk for image in images), reverse=True)


@pytest.mark.django_db
def test_listing_ties_page_without_gaps(api: GraphQLClient) -> None:
    images = _create_images(11, same_time=True)

    ids = _collect_all_pages(api, limit=3)

    assert len(ids) == len(set(ids))
    assert ids == _newest_first(images)


@pytest.mark.django_db
def test_listing_pages_cover_all(api: GraphQLClient) -> None:
    images = _create_images(13)
    # Two more images in the same instant as an existing one.
    images += [create_image(f"Tie {index}", created_at=images[5].created_at) for index in range(2)]

    ids = _collect_all_pages(api, limit=4)

    assert len(ids) == len(set(ids))
    assert set(ids) == {image.pk for image in images}
    assert ids == _newest_first(images)


@pytest.mark.django_db
def test_listing_page_total_count(api: GraphQLClient) -> None:
    _create_images(7)

    page = _page(api, offset=5, limit=5)

    assert page["totalCount"] == 7
    assert len(page["items"]) == 2


@pytest.mark.django_db
def test_listing_offset_past_end(api: GraphQLClient) -> None:
    _create_images(4)

    page = _page(api, offset=50, limit=10)

    assert page["items"] == []
    assert page["totalCount"] == 4


@pytest.mark.django_db
def test_listing_offset_at_end(api: GraphQLClient) -> None:
    _create_images(4)

    page = _page(api, offset=4, limit=10)

    assert page["items"] == []
    assert page["totalCount"] == 4


@pytest.mark.django_db
def test_listing_max_limit_accepted(api: GraphQLClient) -> None:
    _create_images(2)

    page = _page(api, limit=100)

    assert len(page["items"]) == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("variables", "expected_field_error"),
    [
        ({"limit": 101}, ("limit", "out_of_range")),
        ({"limit": 1000}, ("limit", "out_of_range")),
        ({"limit": 0}, ("limit", "out_of_range")),
        ({"limit": -1}, ("limit", "out_of_range")),
        ({"offset": -1}, ("offset", "min_value")),
        ({"offset": -1, "limit": 5}, ("offset", "min_value")),
    ],
)
def test_listing_bad_page_rejected(
    api: GraphQLClient, variables: dict[str, int], expected_field_error: tuple[str, str]
) -> None:
    _create_images(2)

    body = _list(api, **variables)

    assert body["data"] is None
    assert error_codes(body) == ["VALIDATION_ERROR"]
    assert field_error_codes(body) == [expected_field_error]


@pytest.mark.django_db
def test_listing_max_page_size_setting(api: GraphQLClient) -> None:
    images = _create_images(8)

    with override_settings(WAGTAIL_WRITE_API={"MAX_PAGE_SIZE": 5}):
        accepted = _page(api, limit=5)
        rejected = _list(api, limit=6)
        default = _page(api)

    assert _ids(accepted) == _newest_first(images)[:5]
    assert rejected["data"] is None
    assert error_codes(rejected) == ["VALIDATION_ERROR"]
    assert field_error_codes(rejected) == [("limit", "out_of_range")]
    assert "between 1 and 5" in rejected["errors"][0]["message"]
    # The default page size of 20 is capped at the maximum.
    assert _ids(default) == _newest_first(images)[:5]
    assert default["totalCount"] == 8


@pytest.mark.django_db
def test_listing_default_page_size_setting(api: GraphQLClient) -> None:
    images = _create_images(5)

    with override_settings(WAGTAIL_WRITE_API={"DEFAULT_PAGE_SIZE": 3}):
        page = _page(api)

    assert _ids(page) == _newest_first(images)[:3]
    assert page["totalCount"] == 5


@pytest.mark.django_db
def test_listing_anonymous_rejected(anonymous: GraphQLClient) -> None:
    _create_images(1)

    body = _list(anonymous)

    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]


@pytest.mark.django_db
def test_listing_user_without_permissions(api: GraphQLClient) -> None:
    _create_images(2)
    visitor = GraphQLClient(make_token(create_user_without_permissions()))

    page = _page(visitor)

    assert page["totalCount"] == 0
    assert page["items"] == []


@pytest.fixture
def search_images(db: None) -> dict[str, AbstractImage]:
    return {
        title: create_image(title, created_at=BASE_TIME + timedelta(minutes=index))
        for index, title in enumerate(SEARCH_TITLES)
    }


@pytest.mark.parametrize("search", ["sun", "Sun", "SUNSET", "pier", "PIER", "Sunset pier"])
def test_search_finds_word_prefix(
    api: GraphQLClient, search_images: dict[str, AbstractImage], search: str
) -> None:
    page = _page(api, search=search)

    assert [item["title"] for item in page["items"]] == ["Sunset at the pier"]
    assert page["totalCount"] == 1


@pytest.mark.parametrize("search", ["unset", "ier", "sunrise", "zzz"])
def test_search_no_infix_match(
    api: GraphQLClient, search_images: dict[str, AbstractImage], search: str
) -> None:
    page = _page(api, search=search)

    titles = [item["title"] for item in page["items"]]
    assert "Sunset at the pier" not in titles
    assert page["totalCount"] == len(titles)


def test_search_unset_matches_other_word(
    api: GraphQLClient, search_images: dict[str, AbstractImage]
) -> None:
    """"unset" starts the word "Unsettled", so that image alone matches."""
    page = _page(api, search="unset")

    assert [item["title"] for item in page["items"]] == ["Unsettled sky"]
    assert page["totalCount"] == 1


def test_search_several_matches(
    api: GraphQLClient, search_images: dict[str, AbstractImage]
) -> None:
    page = _page(api, search="at")

    assert [item["title"] for item in page["items"]] == ["Harbour at dawn", "Sunset at the pier"]
    assert page["totalCount"] == 2


@pytest.mark.parametrize("search", ["", "   "])
def test_search_blank_lists_all(
    api: GraphQLClient, search_images: dict[str, AbstractImage], search: str
) -> None:
    page = _page(api, search=search)

    assert page["totalCount"] == len(SEARCH_TITLES)
    assert len(page["items"]) == len(SEARCH_TITLES)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("search", "expected_title"),
    [
        ("café", "Café Übersee"),
        ("CAFÉ", "Café Übersee"),
        ("über", "Café Übersee"),
        ("ÜBER", "Café Übersee"),
        ('"sun', "Sunset at the pier"),
        ("sun*", "Sunset at the pier"),
        ("ray", "X-ray of a shell"),
        ("x-ray", "X-ray of a shell"),
    ],
)
def test_search_unicode_and_punctuation(
    api: GraphQLClient, search: str, expected_title: str
) -> None:
    for title in ("Sunset at the pier", "Café Übersee", "X-ray of a shell"):
        create_image(title)

    page = _page(api, search=search)

    assert [item["title"] for item in page["items"]] == [expected_title]
    assert page["totalCount"] == 1


@pytest.mark.parametrize("search", ["!!!", "-", '"', "*"])
def test_search_only_punctuation_empty(
    api: GraphQLClient, search_images: dict[str, AbstractImage], search: str
) -> None:
    page = _page(api, search=search)

    assert page["items"] == []
    assert page["totalCount"] == 0


def test_search_all_words_must_match(
    api: GraphQLClient, search_images: dict[str, AbstractImage]
) -> None:
    """Every word must match. As in Wagtail's autocomplete, only the last one may be partial."""
    typing = _page(api, search="sunset pi")
    mixed = _page(api, search="sunset harbour")

    assert [item["title"] for item in typing["items"]] == ["Sunset at the pier"]
    assert mixed["items"] == []
    assert mixed["totalCount"] == 0


@pytest.mark.django_db
def test_search_with_paging(api: GraphQLClient) -> None:
    matches = [
        create_image(f"Sunset number {index}", created_at=BASE_TIME + timedelta(minutes=index))
        for index in range(7)
    ]
    # Same instant as a match, to check that search pages break ties by id.
    matches.append(create_image("Sunset tie", created_at=matches[3].created_at))
    for index in range(5):
        create_image(f"Harbour {index}", created_at=BASE_TIME + timedelta(minutes=index))

    first = _page(api, search="sunset", offset=0, limit=3)
    ids = _collect_all_pages(api, limit=3, search="sunset")
    past_end = _page(api, search="sunset", offset=20, limit=3)

    assert first["totalCount"] == 8
    assert len(first["items"]) == 3
    assert len(ids) == len(set(ids))
    assert ids == _newest_first(matches)
    assert past_end["items"] == []
    assert past_end["totalCount"] == 8


@pytest.mark.django_db
def test_search_bad_limit_rejected(api: GraphQLClient) -> None:
    create_image("Sunset")

    body = _list(api, search="sunset", limit=101)

    assert error_codes(body) == ["VALIDATION_ERROR"]
    assert field_error_codes(body) == [("limit", "out_of_range")]


@pytest.mark.django_db
def test_search_uploaded_image(api: GraphQLClient) -> None:
    """An image uploaded through the API is indexed and found by search."""
    response = api.upload(photo_bytes(), "pier.jpg", title="Lighthouse at night")
    assert graphql_json(response).get("errors") is None

    page = _page(api, search="lighthouse")

    assert [item["title"] for item in page["items"]] == ["Lighthouse at night"]
    assert page["totalCount"] == 1


@pytest.mark.django_db
def test_search_updated_title(api: GraphQLClient) -> None:
    """A title changed after indexing is found under the new words only."""
    image = create_image("Sunset at the pier")
    image.title = "Foggy morning"
    image.save()

    old = _page(api, search="sunset")
    new = _page(api, search="foggy")

    assert old["totalCount"] == 0
    assert _ids(new) == [image.pk]


@pytest.mark.django_db
def test_image_by_id(api: GraphQLClient) -> None:
    image = create_image("Harbour at dawn")
    create_image("Another")

    response = api.execute(IMAGE_QUERY, {"id": str(image.pk)})

    body = graphql_json(response)
    assert body.get("errors") is None
    data = body["data"]["image"]
    assert data["id"] == str(image.pk)
    assert data["title"] == "Harbour at dawn"
    assert (data["width"], data["height"]) == (600, 450)
    assert data["fileUrl"] == image.file.url
    assert data["fileSize"] == image.file_size
    assert data["collectionId"] == str(image.collection_id)
    assert [rendition["name"] for rendition in data["renditions"]] == [
        "thumbnail",
        "medium",
        "large",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "image_id",
    ["999999", "abc", "0", "-1", "1.5", "", " ", "1e3", "99999999999999999999"],
)
def test_image_missing_not_found(api: GraphQLClient, image_id: str) -> None:
    create_image("Harbour at dawn")

    response = api.execute(IMAGE_QUERY, {"id": image_id})

    body = graphql_json(response)
    assert body["data"] is None
    assert error_codes(body) == ["NOT_FOUND"]


def _arabic_indic_digits(text: str) -> str:
    return "".join(chr(0x0660 + int(digit)) for digit in text)


#: Spellings that Python's int() reads as the same number as the plain id.
ID_VARIANTS = {
    "underscore": lambda plain: f"{plain[0]}_{plain[1:]}",
    "leading_space": lambda plain: f" {plain}",
    "plus_sign": lambda plain: f"+{plain}",
    "trailing_newline": lambda plain: f"{plain}\n",
    "arabic_indic_digits": _arabic_indic_digits,
}


@pytest.mark.django_db
@pytest.mark.parametrize("variant", sorted(ID_VARIANTS))
def test_image_id_variant_not_found(api: GraphQLClient, variant: str) -> None:
    """Only the plain decimal id finds an image, never another spelling of it."""
    # Eleven images, so the newest id has at least two digits to split.
    image = _create_images(11)[-1]
    plain = str(image.pk)
    written = ID_VARIANTS[variant](plain)
    assert int(written) == image.pk

    found = graphql_json(api.execute(IMAGE_QUERY, {"id": plain}))
    rejected = graphql_json(api.execute(IMAGE_QUERY, {"id": written}))

    assert found["data"]["image"]["id"] == plain
    assert rejected["data"] is None
    assert error_codes(rejected) == ["NOT_FOUND"]


@pytest.mark.django_db
def test_image_hidden_not_found(api: GraphQLClient) -> None:
    """An image the user may not read is reported like a missing one."""
    image = create_image("Harbour at dawn")
    visitor = GraphQLClient(make_token(create_user_without_permissions()))

    response = visitor.execute(IMAGE_QUERY, {"id": str(image.pk)})

    body = graphql_json(response)
    assert body["data"] is None
    assert error_codes(body) == ["NOT_FOUND"]


def test_listing_search_max_words(api: GraphQLClient) -> None:
    _create_images(1)
    words = " ".join(f"word{index}" for index in range(MAX_SEARCH_WORDS))

    page = _page(api, search=words)

    assert page["totalCount"] == 0


def test_listing_search_too_many_words(api: GraphQLClient) -> None:
    words = " ".join(f"word{index}" for index in range(MAX_SEARCH_WORDS + 1))

    response = api.execute(LIST_IDS_QUERY, {"search": words})
    error = response.json()["errors"][0]

    assert error["extensions"]["code"] == "VALIDATION_ERROR"
    assert error["extensions"]["fields"][0]["field"] == "search"
    assert error["extensions"]["fields"][0]["code"] == "max_words"


def test_listing_search_repeated_words(api: GraphQLClient) -> None:
    _create_images(1)
    title = get_image_model().objects.get().title
    first_word = title.split()[0]

    page = _page(api, search=f"{first_word} " * (MAX_SEARCH_WORDS * 10))

    assert page["totalCount"] == 1
