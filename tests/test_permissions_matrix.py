"""Every user kind against every image operation, judged by Wagtail's own policy.

The expected verdict of each cell comes from the image permission policy in
Wagtail's registry, never from a table written here, so the test fails if the
API grants or denies anything the Wagtail admin would not. Users get their
permissions as the admin's group editor assigns them: Django groups with
``GroupCollectionPermission`` rows for ``wagtailimages.add_image``,
``change_image`` and ``choose_image``.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import Collection, GroupCollectionPermission
from wagtail.permissions import policy_registry

from tests.conftest import GraphQLClient, make_token, media_files, photo_bytes

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.http import HttpResponse
    from wagtail.images.models import AbstractImage
    from wagtail.permission_policies.base import BasePermissionPolicy

#: Kinds of acting user, one per row of the matrix.
USER_KINDS = ("superuser", "adder", "changer", "chooser", "nobody", "inactive", "anonymous")

#: Which collection each test image sits in, and whether the acting user
#: uploaded it.
IMAGE_KINDS = ("a_own", "a_other", "b_own", "b_other")

#: Operations on an existing image.
IMAGE_OPERATIONS = ("read", "listing", "update", "delete")

#: Collection-level image permissions of each group, granted on collection A.
GROUP_PERMISSIONS = {
    "adder": "add_image",
    "changer": "change_image",
    "chooser": "choose_image",
}

#: The policy actions whose images the Wagtail admin shows a user: its image
#: listing shows what they may change, its chooser what they may choose.
ADMIN_VISIBLE_ACTIONS = ["choose", "change"]

IMAGE_QUERY = "query One($id: ID!) { image(id: $id) { id title collectionId } }"
LIST_QUERY = "{ images(limit: 100) { totalCount items { id } } }"
UPDATE_MUTATION = (
    "mutation Update($id: ID!, $title: String!) { updateImage(id: $id, title: $title) { id title } }"
)
DELETE_MUTATION = "mutation Delete($id: ID!) { deleteImage(id: $id) { id } }"

#: Title the update cells set, distinct from every original title.
NEW_TITLE = "Renamed by the permissions matrix"


@dataclass
class World:
    """Collections, users and images of one matrix cell."""

    collections: dict[str, Collection]
    actor: AbstractBaseUser | AnonymousUser
    client: GraphQLClient
    images: dict[str, AbstractImage]


def create_image(title: str, collection: Collection, owner: AbstractBaseUser | None) -> AbstractImage:
    """Store a real JPEG photo as an image, as an upload by ``owner`` would."""
    image_model = get_image_model()
    file = ImageFile(io.BytesIO(photo_bytes()), name=f"{title.lower().replace(' ', '-')}.jpg")
    return image_model.objects.create(
        title=title, file=file, collection=collection, uploaded_by_user=owner
    )


def create_group(name: str, codename: str, collection: Collection) -> Group:
    """Create a group as the admin's group editor does for image permissions."""
    group = Group.objects.create(name=name)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    GroupCollectionPermission.objects.create(
        group=group,
        collection=collection,
        permission=Permission.objects.get(
            content_type__app_label="wagtailimages", codename=codename
        ),
    )
    return group


@pytest.fixture
def collections(root_collection: Collection) -> dict[str, Collection]:
    return {
        "a": root_collection.add_child(name="Collection A"),
        "b": root_collection.add_child(name="Collection B"),
    }


def build_world(kind: str, collections: dict[str, Collection]) -> World:
    """Create the acting user of ``kind``, their token and the four test images."""
    user_model = get_user_model()
    other = user_model.objects.create_user("other", "other@example.com", "password")

    actor: AbstractBaseUser | AnonymousUser
    if kind == "anonymous":
        actor = AnonymousUser()
        client = GraphQLClient()
    else:
        if kind == "superuser":
            actor = user_model.objects.create_superuser(kind, f"{kind}@example.com", "password")
        else:
            actor = user_model.objects.create_user(kind, f"{kind}@example.com", "password")
        if kind in GROUP_PERMISSIONS:
            group = create_group(f"{kind} on A", GROUP_PERMISSIONS[kind], collections["a"])
            actor.groups.add(group)
        if kind == "inactive":
            # Permissions that would allow everything if the user were active.
            group = create_group("inactive on A", "change_image", collections["a"])
            actor.groups.add(group)
        # The token is created while the user is active, as an editor's
        # token would be before their account was deactivated.
        client = GraphQLClient(make_token(actor))
        if kind == "inactive":
            actor.is_active = False
            actor.save(update_fields=["is_active"])

    owner = actor if actor.is_authenticated else None
    images = {
        "a_own": create_image("A own", collections["a"], owner),
        "a_other": create_image("A other", collections["a"], other),
        "b_own": create_image("B own", collections["b"], owner),
        "b_other": create_image("B other", collections["b"], other),
    }
    # Forget the policy's per-user permission cache filled before the groups
    # were complete.
    if actor.is_authenticated:
        actor = user_model.objects.get(pk=actor.pk)
    return World(collections=collections, actor=actor, client=client, images=images)


def image_policy() -> BasePermissionPolicy:
    return policy_registry.get_by_type(get_image_model())


def policy_allows_read(user: AbstractBaseUser | AnonymousUser, image: AbstractImage) -> bool:
    return image_policy().user_has_any_permission_for_instance(user, ADMIN_VISIBLE_ACTIONS, image)


def snapshot() -> dict[str, Any]:
    """Return the stored state a rejected call must leave unchanged."""
    image_model = get_image_model()
    log_model = log_action_registry.get_log_model_for_model(image_model)
    return {
        "images": sorted(
            image_model.objects.values_list(
                "pk", "title", "collection_id", "file", "uploaded_by_user_id"
            )
        ),
        "files": media_files(),
        "log_entries": sorted(log_model.objects.values_list("pk", flat=True)),
    }


def log_entries(action: str, image_pk: int) -> list[tuple[str, int | None]]:
    log_model = log_action_registry.get_log_model_for_model(get_image_model())
    return list(
        log_model.objects.filter(action=action, object_id=str(image_pk)).values_list(
            "action", "user_id"
        )
    )


def body(response: HttpResponse) -> dict[str, Any]:
    return json.loads(response.content)


def error_code(response: HttpResponse) -> str | None:
    errors = body(response).get("errors") or []
    if not errors:
        return None
    return errors[0]["extensions"]["code"]


def assert_unauthenticated(world: World, response: HttpResponse) -> None:
    """Check the rejection an inactive user's token or an anonymous call gets."""
    assert error_code(response) == "UNAUTHENTICATED"
    if world.actor.is_anonymous:
        assert response.status_code == 200
    else:
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def call(world: World, operation: str, image: AbstractImage) -> HttpResponse:
    if operation == "read":
        return world.client.execute(IMAGE_QUERY, {"id": str(image.pk)})
    if operation == "listing":
        return world.client.execute(LIST_QUERY)
    if operation == "update":
        return world.client.execute(UPDATE_MUTATION, {"id": str(image.pk), "title": NEW_TITLE})
    return world.client.execute(DELETE_MUTATION, {"id": str(image.pk)})


@pytest.mark.parametrize("operation", IMAGE_OPERATIONS)
@pytest.mark.parametrize("image_kind", IMAGE_KINDS)
@pytest.mark.parametrize("kind", USER_KINDS)
def test_image_operation(
    kind: str,
    image_kind: str,
    operation: str,
    collections: dict[str, Collection],
    django_capture_on_commit_callbacks,
) -> None:
    world = build_world(kind, collections)
    image = world.images[image_kind]
    visible = policy_allows_read(world.actor, image)
    if operation in ("read", "listing"):
        allowed = visible
    else:
        action = "change" if operation == "update" else "delete"
        allowed = image_policy().user_has_permission_for_instance(world.actor, action, image)
    before = snapshot()

    # Executing on-commit callbacks lets Wagtail delete files, so a wrongly
    # allowed delete would show in the file snapshot as well.
    with django_capture_on_commit_callbacks(execute=True):
        response = call(world, operation, image)

    if not world.actor.is_active or world.actor.is_anonymous:
        assert allowed is False
        assert_unauthenticated(world, response)
        assert snapshot() == before
        return

    data = body(response)["data"]
    if operation == "listing":
        listed_ids = {item["id"] for item in data["images"]["items"]}
        assert (str(image.pk) in listed_ids) == allowed
        return

    api_allowed = error_code(response) is None
    assert api_allowed == allowed

    if not allowed:
        expected_code = "FORBIDDEN" if visible else "NOT_FOUND"
        assert error_code(response) == expected_code
        assert snapshot() == before
        return

    image_model = get_image_model()
    if operation == "read":
        assert data["image"]["id"] == str(image.pk)
        assert snapshot() == before
    elif operation == "update":
        assert data["updateImage"]["title"] == NEW_TITLE
        assert image_model.objects.get(pk=image.pk).title == NEW_TITLE
        assert log_entries("wagtail.edit", image.pk) == [("wagtail.edit", world.actor.pk)]
    else:
        assert data["deleteImage"]["id"] == str(image.pk)
        assert not image_model.objects.filter(pk=image.pk).exists()
        assert image.file.name not in media_files()
        assert log_entries("wagtail.delete", image.pk) == [("wagtail.delete", world.actor.pk)]


@pytest.mark.parametrize("kind", USER_KINDS)
def test_listing_total_count(kind: str, collections: dict[str, Collection]) -> None:
    world = build_world(kind, collections)
    expected_ids = {
        str(image.pk)
        for image in world.images.values()
        if policy_allows_read(world.actor, image)
    }

    response = world.client.execute(LIST_QUERY)

    if not world.actor.is_active or world.actor.is_anonymous:
        assert expected_ids == set()
        assert_unauthenticated(world, response)
        return
    page = body(response)["data"]["images"]
    assert page["totalCount"] == len(expected_ids)
    assert {item["id"] for item in page["items"]} == expected_ids


@pytest.mark.parametrize("target", ("a", "b"))
@pytest.mark.parametrize("kind", USER_KINDS)
def test_upload(kind: str, target: str, collections: dict[str, Collection]) -> None:
    world = build_world(kind, collections)
    collection = collections[target]
    image_model = get_image_model()
    candidate = image_model(collection=collection)
    if world.actor.is_authenticated:
        candidate.uploaded_by_user = world.actor
    allowed = image_policy().user_has_permission_for_instance(world.actor, "add", candidate)
    may_add_anywhere = image_policy().user_has_permission(world.actor, "add")
    before = snapshot()
    existing_ids = set(image_model.objects.values_list("pk", flat=True))

    response = world.client.upload(
        photo_bytes("landscape_2.jpg"), "matrix.jpg", collectionId=str(collection.pk)
    )

    if not world.actor.is_active or world.actor.is_anonymous:
        assert allowed is False
        assert_unauthenticated(world, response)
        assert snapshot() == before
        return

    api_allowed = error_code(response) is None
    assert api_allowed == allowed

    if not allowed:
        if may_add_anywhere:
            assert error_code(response) == "VALIDATION_ERROR"
            fields = body(response)["errors"][0]["extensions"]["fields"]
            assert [error["field"] for error in fields] == ["collection"]
        else:
            assert error_code(response) == "FORBIDDEN"
        assert snapshot() == before
        return

    new_image = image_model.objects.exclude(pk__in=existing_ids).get()
    assert body(response)["data"]["uploadImage"]["id"] == str(new_image.pk)
    assert new_image.collection_id == collection.pk
    assert new_image.uploaded_by_user_id == world.actor.pk
    assert new_image.file.name in media_files()
    assert log_entries("wagtail.create", new_image.pk) == [("wagtail.create", world.actor.pk)]


def create_adder(name: str, collections: list[Collection]) -> AbstractBaseUser:
    """Create a user with ``add_image`` on each of ``collections``."""
    user = get_user_model().objects.create_user(name, f"{name}@example.com", "password")
    for index, collection in enumerate(collections):
        user.groups.add(create_group(f"{name} {index}", "add_image", collection))
    return get_user_model().objects.get(pk=user.pk)


def admin_form_collection(user: AbstractBaseUser) -> Collection:
    """Return the collection Wagtail's image form preselects for ``user``.

    The form's collection field lists the collections the user may add to, and
    a browser submits the first option when none is marked selected. With one
    collection the form hides the field and saves to that collection.
    """
    form = get_image_form(get_image_model())(user=user)
    return form.collections[0]


@pytest.mark.parametrize(
    "granted",
    (["zeta", "alpha"], ["zeta_child", "zeta"], ["zeta_child"], ["root", "alpha"]),
    ids=("two-top-level", "parent-and-child", "child-only", "root-and-top-level"),
)
def test_upload_default_collection(granted: list[str], root_collection: Collection) -> None:
    zeta = root_collection.add_child(name="Zeta")
    tree = {
        "root": root_collection,
        "zeta": zeta,
        "alpha": root_collection.add_child(name="Alpha"),
        "zeta_child": zeta.add_child(name="Zeta child"),
    }
    user = create_adder("uploader", [tree[name] for name in granted])
    expected = admin_form_collection(user)

    response = GraphQLClient(make_token(user)).upload(photo_bytes(), "default.jpg")

    uploaded = body(response)["data"]["uploadImage"]
    assert uploaded["collectionId"] == str(expected.pk)
    assert get_image_model().objects.get(pk=uploaded["id"]).collection_id == expected.pk


def test_superuser_upload_default_root(superuser_token: str, root_collection: Collection) -> None:
    root_collection.add_child(name="Alpha")

    response = GraphQLClient(superuser_token).upload(photo_bytes(), "default.jpg")

    assert body(response)["data"]["uploadImage"]["collectionId"] == str(root_collection.pk)


@pytest.mark.parametrize(
    "collection_id", ("abc", "0", "-1", "999999", "99999999999999999999", "1.0")
)
def test_upload_unknown_collection(collection_id: str, superuser_token: str) -> None:
    before = snapshot()

    response = GraphQLClient(superuser_token).upload(
        photo_bytes(), "unknown.jpg", collectionId=collection_id
    )

    assert error_code(response) == "VALIDATION_ERROR"
    fields = body(response)["errors"][0]["extensions"]["fields"]
    assert [error["field"] for error in fields] == ["collection"]
    assert snapshot() == before
