"""Image visibility from Wagtail's image permission policy and collection view restrictions."""

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
    from wagtail.images.models import AbstractImage
    from wagtail.permission_policies.base import BasePermissionPolicy

#: Policy actions whose images the Wagtail admin shows a user: the image
#: listing shows the instances they may change (with the ``add`` permission,
#: only their own uploads), and the image chooser those they may choose.
READ_ACTIONS = ("choose", "change")


def get_image_permission_policy() -> BasePermissionPolicy:
    return policy_registry.get_by_type(get_image_model())


def can_read_anonymously() -> bool:
    return not conf.get_setting("REQUIRE_AUTH_FOR_READ")


def restricted_collections() -> QuerySet[Collection]:
    """Return the collections that a view restriction hides from the public.

    A restriction covers its collection's whole subtree, as
    ``Collection.get_view_restrictions()`` applies it when Wagtail serves
    documents. A restriction of type ``none`` ("Public") hides nothing.
    """
    restricted_paths = Collection.objects.filter(
        view_restrictions__in=CollectionViewRestriction.objects.exclude(
            restriction_type=CollectionViewRestriction.NONE
        )
    ).values_list("path", flat=True)

    subtree_filter = Q()
    for path in set(restricted_paths):
        subtree_filter |= Q(path__startswith=path)
    if not subtree_filter:
        return Collection.objects.none()
    return Collection.objects.filter(subtree_filter)


def public_images() -> QuerySet[AbstractImage]:
    """Return the images outside every restricted collection.

    This ignores passwords already entered in the visitor's session, so an
    anonymous API read never reaches restricted images.
    """
    return get_image_model().objects.exclude(collection__in=restricted_collections())


def readable_images(user: AbstractBaseUser | AnonymousUser) -> QuerySet[AbstractImage]:
    """Return the images ``user`` may read, unordered.

    An active user sees the images the Wagtail admin shows them (see
    :data:`READ_ACTIONS`), a superuser every image. Where anonymous reads are
    enabled, every user also sees :func:`public_images`, so logging in never
    hides an image that an anonymous request could read.
    """
    image_model = get_image_model()
    images = image_model.objects.none()
    if user.is_authenticated and user.is_active:
        images = get_image_permission_policy().instances_user_has_any_permission_for(
            user, READ_ACTIONS
        )
    if can_read_anonymously():
        images = images | public_images()
    return images
