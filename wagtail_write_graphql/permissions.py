"""Which images a user may see, by Wagtail's image permission policy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction
from wagtail.permissions import policy_registry

from . import conf

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet
    from django.http import HttpRequest
    from wagtail.images.models import AbstractImage
    from wagtail.permission_policies.base import BasePermissionPolicy

#: Collection permissions that let a user see an image, as in the admin's
#: image listing and chooser.
READ_ACTIONS = ("choose", "add", "change")


def get_image_permission_policy() -> BasePermissionPolicy:
    return policy_registry.get_by_type(get_image_model())


def _restricted_collection_ids(request: HttpRequest) -> set[int]:
    """Return ids of collections a view restriction hides from ``request``.

    Children of a restricted collection are included, because a restriction
    applies to the whole subtree.
    """
    restricted_roots = [
        restriction.collection_id
        for restriction in CollectionViewRestriction.objects.all()
        if not restriction.accept_request(request)
    ]
    if not restricted_roots:
        return set()

    subtree_filter = Q()
    for path in Collection.objects.filter(id__in=restricted_roots).values_list(
        "path", flat=True
    ):
        subtree_filter |= Q(path__startswith=path)
    return set(Collection.objects.filter(subtree_filter).values_list("id", flat=True))


def can_read_anonymously() -> bool:
    return not conf.get_setting("REQUIRE_AUTH_FOR_READ")


def readable_images(
    user: AbstractBaseUser | AnonymousUser, request: HttpRequest
) -> QuerySet[AbstractImage]:
    """Return the images ``user`` may read, unordered.

    An authenticated user sees the collections where they may choose, add or
    change images. An anonymous user, where anonymous reads are enabled, sees
    every image outside collections with view restrictions.
    """
    image_model = get_image_model()
    if user.is_authenticated:
        if not user.is_active:
            return image_model.objects.none()
        if user.is_superuser:
            return image_model.objects.all()
        policy = get_image_permission_policy()
        collections = policy.collections_user_has_any_permission_for(user, READ_ACTIONS)
        return image_model.objects.filter(collection__in=collections)

    if not can_read_anonymously():
        return image_model.objects.none()
    return image_model.objects.exclude(
        collection_id__in=_restricted_collection_ids(request)
    )
