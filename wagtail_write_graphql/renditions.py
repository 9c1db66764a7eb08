"""Rendition URLs for the renditions named in ``IMAGE_RENDITIONS``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from wagtail.images.models import Filter

from . import conf

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from wagtail.images.models import AbstractImage, AbstractRendition


@dataclass(frozen=True)
class NamedRendition:
    """A generated rendition under the name the site's setting gives it."""

    name: str
    filter_spec: str
    rendition: AbstractRendition


def prefetch_configured_renditions(
    queryset: QuerySet[AbstractImage],
) -> QuerySet[AbstractImage]:
    """Prefetch every configured rendition that already exists, in one query."""
    return queryset.prefetch_renditions(*conf.get_image_renditions().values())


def get_configured_renditions(image: AbstractImage) -> list[NamedRendition]:
    """Return the image's configured renditions, generating missing ones.

    Existing renditions come from the prefetch cache or the database. Only a
    missing one makes Wagtail open the original file.
    """
    filters = {
        name: image.clean_filter_for_svg(Filter(spec=spec))
        for name, spec in conf.get_image_renditions().items()
    }
    # get_renditions() keys its result by the cleaned filter spec and drops
    # duplicate specs, so two names may share one rendition.
    by_spec = image.get_renditions(*filters.values())
    return [
        NamedRendition(name, image_filter.spec, by_spec[image_filter.spec])
        for name, image_filter in filters.items()
    ]
