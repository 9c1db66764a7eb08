"""Anonymous reads and collection view restrictions.

With ``REQUIRE_AUTH_FOR_READ`` off, anonymous requests may list and fetch
images, but never those in a collection with a view restriction or in any
collection below one. With the default setting they get ``UNAUTHENTICATED``.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.images import ImageFile
from django.test import Client, override_settings
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, GroupCollectionPermission

from tests.conftest import GraphQLClient, make_token, media_files, photo_bytes

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.http import HttpResponse
    from wagtail.images.models import AbstractImage

#: Settings that allow reads without credentials.
PUBLIC_READS = override_settings(WAGTAIL_WRITE_API={"REQUIRE_AUTH_FOR_READ": False})

LIST_QUERY = """
query List($search: String) {
  images(search: $search, limit: 100) { totalCount items { id title } }
}
"""
IMAGE_QUERY = "query One($id: ID!) { image(id: $id) { id title } }"
UPDATE_MUTATION = (
    "mutation Update($id: ID!, $title: String!) { updateImage(id: $id, title: $title) { id } }"
)
DELETE_MUTATION = "mutation Delete($id: ID!) { deleteImage(id: $id) { id } }"

#: Images outside every restricted collection. The "open" collection has a
#: restriction of type "none", which Wagtail's admin labels "Public".
PUBLIC_IMAGES = ("root", "public", "public_child", "open")

#: Images in a restricted collection or below one.
RESTRICTED_IMAGES = (
    "password",
    "password_child",
    "password_grandchild",
    "login",
    "login_child",
    "groups",
)


@dataclass
class Site:
    """Collections with each kind of view restriction, one image in each."""

    collections: dict[str, Collection]
    restrictions: dict[str, CollectionViewRestriction]
    images: dict[str, AbstractImage]

    def ids(self, names: tuple[str, ...]) -> set[str]:
        return {str(self.images[name].pk) for name in names}


def create_image(name: str, collection: Collection) -> AbstractImage:
    return get_image_model().objects.create(
        title=f"Harbour {name.replace('_', ' ')}",
        file=ImageFile(io.BytesIO(photo_bytes()), name=f"{name}.jpg"),
        collection=collection,
    )


@pytest.fixture
def site(root_collection: Collection) -> Site:
    public = root_collection.add_child(name="Public")
    password = root_collection.add_child(name="Password")
    login = root_collection.add_child(name="Login")
    password_child = password.add_child(name="Password child")
    collections = {
        "root": root_collection,
        "public": public,
        "public_child": public.add_child(name="Public child"),
        "open": root_collection.add_child(name="Open"),
        "password": password,
        "password_child": password_child,
        "password_grandchild": password_child.add_child(name="Password grandchild"),
        "login": login,
        "login_child": login.add_child(name="Login child"),
        "groups": root_collection.add_child(name="Groups"),
    }
    restrictions = {
        "open": CollectionViewRestriction.objects.create(
            collection=collections["open"], restriction_type=CollectionViewRestriction.NONE
        ),
        "password": CollectionViewRestriction.objects.create(
            collection=password,
            restriction_type=CollectionViewRestriction.PASSWORD,
            password="swordfish",
        ),
        "login": CollectionViewRestriction.objects.create(
            collection=login, restriction_type=CollectionViewRestriction.LOGIN
        ),
        "groups": CollectionViewRestriction.objects.create(
            collection=collections["groups"], restriction_type=CollectionViewRestriction.GROUPS
        ),
    }
    restrictions["groups"].groups.add(Group.objects.create(name="Members"))
    images = {name: create_image(name, collection) for name, collection in collections.items()}
    return Site(collections=collections, restrictions=restrictions, images=images)


def payload(response: HttpResponse) -> dict[str, Any]:
    return json.loads(response.content)


def listed_ids(response: HttpResponse) -> set[str]:
    return {item["id"] for item in payload(response)["data"]["images"]["items"]}


def error_of(response: HttpResponse) -> dict[str, Any]:
    return payload(response)["errors"][0]


def missing_image_error(client: GraphQLClient, image_id: str) -> dict[str, Any]:
    """Return the error for an id that no image has, rewritten to ``image_id``."""
    unused_id = str(get_image_model().objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000)
    error = error_of(client.execute(IMAGE_QUERY, {"id": unused_id}))
    return {**error, "message": error["message"].replace(unused_id, image_id)}


@PUBLIC_READS
def test_anonymous_listing_hides_restricted(site: Site) -> None:
    response = GraphQLClient().execute(LIST_QUERY)

    assert "errors" not in payload(response)
    assert listed_ids(response) == site.ids(PUBLIC_IMAGES)
    assert payload(response)["data"]["images"]["totalCount"] == len(PUBLIC_IMAGES)


@PUBLIC_READS
def test_anonymous_search_hides_restricted(site: Site) -> None:
    response = GraphQLClient().execute(LIST_QUERY, {"search": "Harbour"})

    assert "errors" not in payload(response)
    assert listed_ids(response) == site.ids(PUBLIC_IMAGES)
    assert payload(response)["data"]["images"]["totalCount"] == len(PUBLIC_IMAGES)


@PUBLIC_READS
@pytest.mark.parametrize("name", RESTRICTED_IMAGES)
def test_anonymous_restricted_image_not_found(name: str, site: Site) -> None:
    client = GraphQLClient()
    image_id = str(site.images[name].pk)

    response = client.execute(IMAGE_QUERY, {"id": image_id})

    assert payload(response)["data"] is None
    assert error_of(response)["extensions"] == {"code": "NOT_FOUND"}
    assert error_of(response)["message"] == missing_image_error(client, image_id)["message"]


@PUBLIC_READS
@pytest.mark.parametrize("name", PUBLIC_IMAGES)
def test_anonymous_public_image_found(name: str, site: Site) -> None:
    image = site.images[name]

    response = GraphQLClient().execute(IMAGE_QUERY, {"id": str(image.pk)})

    assert "errors" not in payload(response)
    assert payload(response)["data"]["image"] == {"id": str(image.pk), "title": image.title}


@PUBLIC_READS
def test_passed_password_still_hidden(site: Site) -> None:
    """A password entered on the site's front end does not open the API."""
    django_client = Client()
    session = django_client.session
    session[CollectionViewRestriction.passed_view_restrictions_session_key] = [
        site.restrictions["password"].pk
    ]
    session.save()
    client = GraphQLClient(client=django_client)

    listing = client.execute(LIST_QUERY)
    single = client.execute(IMAGE_QUERY, {"id": str(site.images["password"].pk)})

    assert listed_ids(listing) == site.ids(PUBLIC_IMAGES)
    assert error_of(single)["extensions"] == {"code": "NOT_FOUND"}


@PUBLIC_READS
def test_restriction_on_parent_hides_new_child(site: Site) -> None:
    """A collection created below a restricted one later is hidden too."""
    late_child = site.collections["login"].add_child(name="Added later")
    image = create_image("late", late_child)

    listing = GraphQLClient().execute(LIST_QUERY)
    single = GraphQLClient().execute(IMAGE_QUERY, {"id": str(image.pk)})

    assert str(image.pk) not in listed_ids(listing)
    assert error_of(single)["extensions"] == {"code": "NOT_FOUND"}


@PUBLIC_READS
def test_removed_restriction_shows_images(site: Site) -> None:
    site.restrictions["login"].delete()

    response = GraphQLClient().execute(LIST_QUERY)

    assert listed_ids(response) == site.ids(PUBLIC_IMAGES + ("login", "login_child"))


def test_anonymous_listing_needs_auth_by_default(site: Site) -> None:
    response = GraphQLClient().execute(LIST_QUERY)

    assert payload(response)["data"] is None
    assert error_of(response)["extensions"] == {"code": "UNAUTHENTICATED"}


@pytest.mark.parametrize("name", ("public", "password"))
def test_anonymous_image_needs_auth_by_default(name: str, site: Site) -> None:
    response = GraphQLClient().execute(IMAGE_QUERY, {"id": str(site.images[name].pk)})

    assert payload(response)["data"] is None
    assert error_of(response)["extensions"] == {"code": "UNAUTHENTICATED"}


@PUBLIC_READS
def test_anonymous_writes_still_rejected(site: Site) -> None:
    image = site.images["public"]
    client = GraphQLClient()
    files_before = media_files()

    update = client.execute(UPDATE_MUTATION, {"id": str(image.pk), "title": "Changed"})
    delete = client.execute(DELETE_MUTATION, {"id": str(image.pk)})
    upload = client.upload(photo_bytes(), "anonymous.jpg")

    assert error_of(update)["extensions"] == {"code": "UNAUTHENTICATED"}
    assert error_of(delete)["extensions"] == {"code": "UNAUTHENTICATED"}
    assert error_of(upload)["extensions"] == {"code": "UNAUTHENTICATED"}
    image.refresh_from_db()
    assert image.title == "Harbour public"
    assert get_image_model().objects.count() == len(site.images)
    assert media_files() == files_before


def create_user_with_choose(name: str, collection: Collection | None) -> AbstractBaseUser:
    """Create an active user, with ``choose_image`` on ``collection`` if given."""
    user = get_user_model().objects.create_user(name, f"{name}@example.com", "password")
    if collection is not None:
        group = Group.objects.create(name=f"{name} choosers")
        GroupCollectionPermission.objects.create(
            group=group,
            collection=collection,
            permission=Permission.objects.get(
                content_type__app_label="wagtailimages", codename="choose_image"
            ),
        )
        user.groups.add(group)
    return user


@PUBLIC_READS
def test_user_without_permissions_sees_public(site: Site) -> None:
    """Logging in never hides what an anonymous request could read."""
    user = create_user_with_choose("reader", None)

    response = GraphQLClient(make_token(user)).execute(LIST_QUERY)

    assert listed_ids(response) == site.ids(PUBLIC_IMAGES)


@PUBLIC_READS
def test_chooser_sees_public_and_permitted(site: Site) -> None:
    user = create_user_with_choose("chooser", site.collections["password"])

    response = GraphQLClient(make_token(user)).execute(LIST_QUERY)

    permitted = ("password", "password_child", "password_grandchild")
    assert listed_ids(response) == site.ids(PUBLIC_IMAGES + permitted)


def test_chooser_sees_permitted_only_by_default(site: Site) -> None:
    user = create_user_with_choose("chooser", site.collections["password"])

    response = GraphQLClient(make_token(user)).execute(LIST_QUERY)

    permitted = ("password", "password_child", "password_grandchild")
    assert listed_ids(response) == site.ids(permitted)
