"""The REST shim and the GraphQL endpoint return the same data for the same image."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import GraphQLClient, photo_bytes
from tests.test_rest_helpers import (
    IMAGES_PATH,
    RestClient,
    empty_rendition_cache,  # noqa: F401 - fixture
    image_path,
    rest,  # noqa: F401 - fixture
    upload_photo,
)

if TYPE_CHECKING:
    from django.http import HttpResponse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_rendition_cache")]

#: Written independently of the shim's own documents, with every field the
#: REST image object is built from.
IMAGE_QUERY = """
query Image($id: ID!) {
  image(id: $id) {
    id title width height fileUrl createdAt
    renditions { name url }
  }
}
"""

LIST_QUERY = """
query Images($search: String, $offset: Int, $limit: Int) {
  images(search: $search, offset: $offset, limit: $limit) {
    totalCount
    items { id title width height fileUrl createdAt renditions { name url } }
  }
}
"""

UPDATE_MUTATION = """
mutation Update($id: ID!, $title: String!) {
  updateImage(id: $id, title: $title) { id title }
}
"""


def _graphql_data(response: HttpResponse) -> dict[str, Any]:
    body = response.json()
    assert body.get("errors") is None, body
    return body["data"]


def _graphql_error(response: HttpResponse) -> dict[str, Any]:
    errors = response.json()["errors"]
    assert len(errors) == 1, errors
    return errors[0]


def _as_rest(image: dict[str, Any]) -> dict[str, Any]:
    """Write a GraphQL image in the documented REST shape, field by field."""
    return {
        "id": int(image["id"]),
        "title": image["title"],
        "width": image["width"],
        "height": image["height"],
        "file_url": image["fileUrl"],
        "created_at": image["createdAt"],
        "renditions": {rendition["name"]: rendition["url"] for rendition in image["renditions"]},
    }


def test_detail_matches_graphql(rest: RestClient, api: GraphQLClient) -> None:
    uploaded = upload_photo(rest, title="Same data")

    rest_image = rest.get(image_path(uploaded["id"])).json()
    graphql_image = _graphql_data(api.execute(IMAGE_QUERY, {"id": str(uploaded["id"])}))["image"]

    assert rest_image == _as_rest(graphql_image)


def test_list_matches_graphql(rest: RestClient, api: GraphQLClient) -> None:
    for name in ("landscape_1.jpg", "landscape_5.jpg", "landscape_2.jpg"):
        upload_photo(rest, name)

    rest_page = rest.get(IMAGES_PATH, {"offset": 1, "limit": 2}).json()
    graphql_page = _graphql_data(api.execute(LIST_QUERY, {"offset": 1, "limit": 2}))["images"]

    assert rest_page["meta"]["total_count"] == graphql_page["totalCount"]
    assert rest_page["items"] == [_as_rest(image) for image in graphql_page["items"]]


def test_graphql_upload_read_by_rest(rest: RestClient, api: GraphQLClient) -> None:
    uploaded = _graphql_data(api.upload(photo_bytes("landscape_4.jpg"), "landscape_4.jpg"))
    image = uploaded["uploadImage"]

    rest_image = rest.get(image_path(image["id"])).json()

    assert rest_image == _as_rest(image)


def test_patch_seen_by_graphql(rest: RestClient, api: GraphQLClient) -> None:
    uploaded = upload_photo(rest)

    rest.patch(image_path(uploaded["id"]), json.dumps({"title": "Renamed by REST"}))
    graphql_image = _graphql_data(api.execute(IMAGE_QUERY, {"id": str(uploaded["id"])}))["image"]

    assert graphql_image["title"] == "Renamed by REST"


def test_not_found_error_matches(rest: RestClient, api: GraphQLClient) -> None:
    problem = rest.get(image_path(404)).json()
    error = _graphql_error(api.execute(IMAGE_QUERY, {"id": "404"}))

    assert problem["code"] == error["extensions"]["code"]
    assert problem["detail"] == error["message"]


def test_validation_error_matches(rest: RestClient, api: GraphQLClient) -> None:
    uploaded = upload_photo(rest)
    too_long = "x" * 300

    problem = rest.patch(image_path(uploaded["id"]), json.dumps({"title": too_long})).json()
    error = _graphql_error(
        api.execute(UPDATE_MUTATION, {"id": str(uploaded["id"]), "title": too_long})
    )

    assert problem["code"] == error["extensions"]["code"]
    assert problem["errors"] == error["extensions"]["fields"]
    assert problem["detail"] == error["message"]
