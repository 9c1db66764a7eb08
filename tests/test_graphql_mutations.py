"""The ``updateImage`` and ``deleteImage`` mutations, and every mutation's guards."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.images import get_image_model
from wagtail.models import Collection, GroupCollectionPermission, ModelLogEntry

from tests.conftest import GraphQLClient, make_token, media_files, photo_bytes
from tests.helpers_images import (
    DELETE_MUTATION,
    UPDATE_MUTATION,
    clear_rendition_cache,
    create_image,
    create_user_without_permissions,
    error_codes,
    field_error_codes,
    graphql_json,
    log_entries,
    post_graphql,
    post_upload,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from django.contrib.auth.base_user import AbstractBaseUser
    from pytest_django.live_server_helper import LiveServer
    from wagtail.images.models import AbstractImage

#: Transactional tests flush the database, which removes the root collection
#: that Wagtail's migrations create. ``serialized_rollback`` restores it.
TRANSACTIONAL = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _empty_rendition_cache() -> Iterator[None]:
    clear_rendition_cache()
    yield


def _upload(client: GraphQLClient, title: str = "Harbour at dawn") -> AbstractImage:
    """Upload a photo through the API, which also writes its three renditions."""
    body = graphql_json(client.upload(photo_bytes(), "harbour.jpg", title=title))
    assert body.get("errors") is None, body
    return get_image_model().objects.get(pk=body["data"]["uploadImage"]["id"])


def _update(client: GraphQLClient, image_id: object, title: str) -> dict[str, Any]:
    return graphql_json(client.execute(UPDATE_MUTATION, {"id": str(image_id), "title": title}))


def _delete(client: GraphQLClient, image_id: object) -> dict[str, Any]:
    return graphql_json(client.execute(DELETE_MUTATION, {"id": str(image_id)}))


def _snapshot() -> dict[str, Any]:
    """Return what a rejected mutation must leave unchanged."""
    image_model = get_image_model()
    return {
        "images": sorted(image_model.objects.values_list("pk", "title", "file", "file_hash")),
        "renditions": sorted(
            image_model.get_rendition_model().objects.values_list("pk", "file")
        ),
        "files": media_files(),
        "log_entries": sorted(ModelLogEntry.objects.values_list("pk", "action")),
    }


@pytest.mark.django_db
def test_update_title(api: GraphQLClient, superuser: AbstractBaseUser) -> None:
    image = _upload(api)

    body = _update(api, image.pk, "Harbour at dusk")

    assert body.get("errors") is None
    assert body["data"]["updateImage"]["title"] == "Harbour at dusk"
    assert body["data"]["updateImage"]["id"] == str(image.pk)
    image.refresh_from_db()
    assert image.title == "Harbour at dusk"


@pytest.mark.django_db
def test_update_log_entry(api: GraphQLClient, superuser: AbstractBaseUser) -> None:
    image = _upload(api)

    _update(api, image.pk, "Harbour at dusk")

    entries = list(log_entries(image, "wagtail.edit"))
    assert len(entries) == 1
    assert entries[0].user_id == superuser.pk


@pytest.mark.django_db
def test_update_keeps_file_and_renditions(api: GraphQLClient) -> None:
    image = _upload(api)
    files_before = media_files()
    renditions_before = sorted(image.renditions.values_list("pk", flat=True))

    body = _update(api, image.pk, "Harbour at dusk")

    assert [rendition["name"] for rendition in body["data"]["updateImage"]["renditions"]] == [
        "thumbnail",
        "medium",
        "large",
    ]
    assert media_files() == files_before
    assert sorted(image.renditions.values_list("pk", flat=True)) == renditions_before


@pytest.mark.django_db
def test_update_max_length_title(api: GraphQLClient) -> None:
    image = _upload(api)

    body = _update(api, image.pk, "t" * 255)

    assert body.get("errors") is None
    image.refresh_from_db()
    assert image.title == "t" * 255


@pytest.mark.django_db
def test_update_too_long_rejected(api: GraphQLClient) -> None:
    image = _upload(api)
    before = _snapshot()

    body = _update(api, image.pk, "t" * 256)

    assert body["data"] is None
    assert error_codes(body) == ["VALIDATION_ERROR"]
    assert field_error_codes(body) == [("title", "max_length")]
    image.refresh_from_db()
    assert image.title == "Harbour at dawn"
    assert not log_entries(image, "wagtail.edit").exists()
    assert _snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("title", ["", "   "])
def test_update_empty_title_rejected(api: GraphQLClient, title: str) -> None:
    image = _upload(api)
    before = _snapshot()

    body = _update(api, image.pk, title)

    assert body["data"] is None
    assert error_codes(body) == ["VALIDATION_ERROR"]
    assert field_error_codes(body) == [("title", "required")]
    assert _snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("image_id", ["999999", "abc", "0"])
def test_update_missing_not_found(api: GraphQLClient, image_id: str) -> None:
    _upload(api)
    before = _snapshot()

    body = _update(api, image_id, "New title")

    assert body["data"] is None
    assert error_codes(body) == ["NOT_FOUND"]
    assert _snapshot() == before


@TRANSACTIONAL
def test_delete_removes_row_and_files(api: GraphQLClient) -> None:
    image = _upload(api)
    rendition_files = set(image.renditions.values_list("file", flat=True))
    assert len(rendition_files) == 3
    assert media_files() == {image.file.name} | rendition_files

    body = _delete(api, image.pk)

    assert body.get("errors") is None
    assert body["data"]["deleteImage"]["id"] == str(image.pk)
    assert not get_image_model().objects.filter(pk=image.pk).exists()
    assert not get_image_model().get_rendition_model().objects.filter(image_id=image.pk).exists()
    assert media_files() == set()


@TRANSACTIONAL
def test_delete_log_entry(api: GraphQLClient, superuser: AbstractBaseUser) -> None:
    image = _upload(api)

    _delete(api, image.pk)

    entries = list(log_entries(image, "wagtail.delete"))
    assert len(entries) == 1
    assert entries[0].user_id == superuser.pk
    assert entries[0].deleted is True


@TRANSACTIONAL
def test_delete_twice_not_found(api: GraphQLClient) -> None:
    image = _upload(api)
    _delete(api, image.pk)

    body = _delete(api, image.pk)

    assert body["data"] is None
    assert error_codes(body) == ["NOT_FOUND"]
    assert len(log_entries(image, "wagtail.delete")) == 1


@TRANSACTIONAL
def test_delete_keeps_other_images(api: GraphQLClient) -> None:
    deleted = _upload(api, "Deleted")
    kept = _upload(api, "Kept")
    kept_files = {kept.file.name} | set(kept.renditions.values_list("file", flat=True))

    _delete(api, deleted.pk)

    assert media_files() == kept_files
    assert get_image_model().objects.filter(pk=kept.pk).exists()
    assert kept.renditions.count() == 3


@TRANSACTIONAL
def test_delete_over_http(live_server: LiveServer, superuser_token: str) -> None:
    upload = graphql_json(post_upload(live_server.url, photo_bytes(), token=superuser_token))
    image_id = upload["data"]["uploadImage"]["id"]
    assert len(media_files()) == 4

    response = post_graphql(
        live_server.url, DELETE_MUTATION, {"id": image_id}, token=superuser_token
    )

    assert response.status_code == 200
    assert graphql_json(response)["data"]["deleteImage"]["id"] == image_id
    assert not get_image_model().objects.filter(pk=image_id).exists()
    assert media_files() == set()


@pytest.fixture
def visitor(db: None) -> GraphQLClient:
    """A client whose token belongs to a user with no image permissions."""
    return GraphQLClient(make_token(create_user_without_permissions()))


def _grant_on_root(user: AbstractBaseUser, group_name: str, *codenames: str) -> None:
    """Give ``user`` image permissions on the root collection, as the admin's group editor does."""
    group = Group.objects.create(name=group_name)
    for codename in codenames:
        GroupCollectionPermission.objects.create(
            group=group,
            collection=Collection.get_first_root_node(),
            permission=Permission.objects.get(
                content_type__app_label="wagtailimages", codename=codename
            ),
        )
    user.groups.add(group)


@pytest.fixture
def chooser(db: None) -> GraphQLClient:
    """A client for a user who may see and choose images, but not add, change or delete them."""
    user = create_user_without_permissions("chooser")
    _grant_on_root(user, "Choosers", "choose_image")
    return GraphQLClient(make_token(user))


@pytest.fixture
def stored_image(api: GraphQLClient) -> AbstractImage:
    return _upload(api)


def _upload_as(client: GraphQLClient) -> dict[str, Any]:
    return graphql_json(client.upload(photo_bytes(), "intruder.jpg", title="Intruder"))


@pytest.mark.django_db
def test_upload_anonymous_rejected(
    anonymous: GraphQLClient, stored_image: AbstractImage
) -> None:
    before = _snapshot()

    body = _upload_as(anonymous)

    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert _snapshot() == before


@pytest.mark.django_db
def test_upload_without_permission_rejected(
    visitor: GraphQLClient, stored_image: AbstractImage
) -> None:
    before = _snapshot()

    body = _upload_as(visitor)

    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert _snapshot() == before


@pytest.mark.django_db
def test_update_anonymous_rejected(
    anonymous: GraphQLClient, stored_image: AbstractImage
) -> None:
    before = _snapshot()

    body = _update(anonymous, stored_image.pk, "Defaced")

    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert _snapshot() == before


@pytest.mark.django_db
def test_update_without_permission_hidden(
    visitor: GraphQLClient, stored_image: AbstractImage
) -> None:
    """A user with no image permission cannot see the image, so it is not found."""
    before = _snapshot()

    body = _update(visitor, stored_image.pk, "Defaced")

    assert body["data"] is None
    assert error_codes(body) == ["NOT_FOUND"]
    assert _snapshot() == before


@pytest.mark.django_db
def test_update_chooser_forbidden(chooser: GraphQLClient, stored_image: AbstractImage) -> None:
    before = _snapshot()

    body = _update(chooser, stored_image.pk, "Defaced")

    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert _snapshot() == before


@TRANSACTIONAL
def test_delete_anonymous_rejected(anonymous: GraphQLClient, stored_image: AbstractImage) -> None:
    before = _snapshot()

    body = _delete(anonymous, stored_image.pk)

    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert _snapshot() == before


@TRANSACTIONAL
def test_delete_without_permission_hidden(
    visitor: GraphQLClient, stored_image: AbstractImage
) -> None:
    """A user with no image permission cannot see the image, so it is not found."""
    before = _snapshot()

    body = _delete(visitor, stored_image.pk)

    assert body["data"] is None
    assert error_codes(body) == ["NOT_FOUND"]
    assert _snapshot() == before


@TRANSACTIONAL
def test_delete_chooser_forbidden(chooser: GraphQLClient, stored_image: AbstractImage) -> None:
    before = _snapshot()

    body = _delete(chooser, stored_image.pk)

    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert _snapshot() == before


@pytest.mark.django_db
def test_upload_chooser_forbidden(chooser: GraphQLClient, stored_image: AbstractImage) -> None:
    before = _snapshot()

    body = _upload_as(chooser)

    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert _snapshot() == before


@pytest.fixture
def contributor(db: None) -> tuple[AbstractBaseUser, GraphQLClient]:
    """A user who may add images to the root collection, and a client with their token.

    Wagtail's ownership policy lets such a user change and delete the images
    they uploaded themselves, and no other user's.
    """
    user = create_user_without_permissions("contributor")
    _grant_on_root(user, "Contributors", "add_image", "choose_image")
    return user, GraphQLClient(make_token(user))


@pytest.mark.django_db
def test_update_others_image_rejected(
    contributor: tuple[AbstractBaseUser, GraphQLClient], stored_image: AbstractImage
) -> None:
    _user, client = contributor
    before = _snapshot()

    body = _update(client, stored_image.pk, "Defaced")

    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert _snapshot() == before


@pytest.mark.django_db
def test_update_own_image(contributor: tuple[AbstractBaseUser, GraphQLClient]) -> None:
    user, client = contributor
    image = _upload(client)

    body = _update(client, image.pk, "Mine")

    assert body.get("errors") is None
    image.refresh_from_db()
    assert image.title == "Mine"
    assert image.uploaded_by_user_id == user.pk


@TRANSACTIONAL
def test_delete_others_image_rejected(
    contributor: tuple[AbstractBaseUser, GraphQLClient], stored_image: AbstractImage
) -> None:
    _user, client = contributor
    before = _snapshot()

    body = _delete(client, stored_image.pk)

    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert _snapshot() == before


@TRANSACTIONAL
def test_delete_own_image(contributor: tuple[AbstractBaseUser, GraphQLClient]) -> None:
    _user, client = contributor
    image = _upload(client)

    body = _delete(client, image.pk)

    assert body.get("errors") is None
    assert not get_image_model().objects.filter(pk=image.pk).exists()
    assert media_files() == set()


@pytest.mark.django_db
def test_update_image_made_without_api(api: GraphQLClient) -> None:
    """An image saved through the model, with no renditions yet, can be renamed."""
    image = create_image("Made in the shell")

    body = _update(api, image.pk, "Renamed")

    assert body.get("errors") is None
    image.refresh_from_db()
    assert image.title == "Renamed"


@pytest.mark.parametrize("collection_id", [" 1", "1_0", "+1", "\uff11", "0", "-1", "abc"])
def test_upload_collection_id_variant_rejected(api: GraphQLClient, collection_id: str) -> None:
    response = api.upload(photo_bytes(), collectionId=collection_id)
    error = response.json()["errors"][0]

    assert error["extensions"]["code"] == "VALIDATION_ERROR"
    assert error["extensions"]["fields"][0]["field"] == "collection"
    assert error["extensions"]["fields"][0]["code"] == "invalid_choice"
    assert get_image_model().objects.count() == 0
    assert media_files() == set()


def test_upload_collection_id_digits_accepted(api: GraphQLClient, root_collection) -> None:
    response = api.upload(photo_bytes(), collectionId=str(root_collection.pk))

    assert response.json()["data"]["uploadImage"]["collectionId"] == str(root_collection.pk)
