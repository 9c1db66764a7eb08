"""Rendition URLs for the renditions named in ``IMAGE_RENDITIONS``.

Renditions are created here rather than through ``AbstractImage.get_renditions``
because Wagtail 8.0's creation code leaves files behind when two requests
create the same rendition at once. ``create_renditions`` inserts with
``bulk_create(ignore_conflicts=True)``, so the losing request keeps an unsaved
rendition whose file no row refers to, and ``create_rendition`` uses
``get_or_create``, whose failed insert has already written its file. Here each
rendition is inserted on its own, and the request that loses the race deletes
its file and uses the winner's row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING

from django.core.files import File
from django.db import IntegrityError, transaction
from wagtail.images.models import Filter

from . import conf

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from wagtail.images.models import AbstractImage, AbstractRendition

logger = logging.getLogger(__name__)


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


def _configured_filters(image: AbstractImage) -> dict[str, Filter]:
    return {
        name: image.clean_filter_for_svg(Filter(spec=spec))
        for name, spec in conf.get_image_renditions().items()
    }


def _read_original(image: AbstractImage) -> bytes:
    """Read the original file once, for every rendition generated from it."""
    with image.open_file() as file:
        return file.read()


def _build_rendition(
    image: AbstractImage, image_filter: Filter, original: bytes
) -> AbstractRendition:
    """Generate an unsaved rendition. Saving it writes its file to storage."""
    source = File(BytesIO(original), name=image.file.name)
    return image.get_rendition_model()(
        image=image,
        filter_spec=image_filter.spec,
        focal_point_key=image_filter.get_cache_key(image),
        file=image.generate_rendition_file(image_filter, source=source),
    )


def _was_written(rendition: AbstractRendition) -> bool:
    return bool(rendition.file) and getattr(rendition.file, "_committed", False)


def _delete_written_file(rendition: AbstractRendition) -> None:
    """Delete a rendition's file if saving it wrote the file to storage."""
    if _was_written(rendition):
        rendition.file.storage.delete(rendition.file.name)


def _save_or_get_existing(
    image: AbstractImage, image_filter: Filter, original: bytes
) -> AbstractRendition:
    """Save a new rendition, or return the one another request saved first.

    The unique constraint on (image, filter spec, focal point key) decides
    the race. The loser's file is already written, because Django writes a
    file before the insert, so the loser deletes it.
    """
    rendition = _build_rendition(image, image_filter, original)
    try:
        with transaction.atomic():
            rendition.save()
    except IntegrityError:
        logger.info(
            "Rendition %s of image %s was created by a concurrent request, "
            "so this request uses it and deletes its duplicate file %s",
            image_filter.spec,
            image.pk,
            rendition.file.name,
        )
        _delete_written_file(rendition)
        return image.renditions.get(
            filter_spec=rendition.filter_spec, focal_point_key=rendition.focal_point_key
        )
    except BaseException:
        # The caller logs the exception, so only the file is cleaned up here.
        _delete_written_file(rendition)
        raise
    return rendition


def _cache_renditions(
    image: AbstractImage, renditions: dict[Filter, AbstractRendition]
) -> None:
    """Store renditions in Wagtail's rendition cache, as ``get_renditions`` does."""
    rendition_model = image.get_rendition_model()
    additions = {
        rendition_model.construct_cache_key(
            image, image_filter.get_cache_key(image), image_filter.spec
        ): rendition
        for image_filter, rendition in renditions.items()
        if not getattr(rendition, "_from_cache", False)
    }
    if additions:
        rendition_model.cache_backend.set_many(additions)


def get_configured_renditions(image: AbstractImage) -> list[NamedRendition]:
    """Return the image's configured renditions, generating missing ones.

    Existing renditions come from the prefetch cache, Wagtail's rendition
    cache or the database. Only a missing one makes this open the original
    file. Two names with one filter spec share one rendition.
    """
    filters = _configured_filters(image)
    unique_filters = list(dict.fromkeys(filters.values()))
    renditions = image.find_existing_renditions(*unique_filters)

    missing = [image_filter for image_filter in unique_filters if image_filter not in renditions]
    if missing:
        original = _read_original(image)
        for image_filter in missing:
            renditions[image_filter] = _save_or_get_existing(image, image_filter, original)

    _cache_renditions(image, renditions)
    return [
        NamedRendition(name, image_filter.spec, renditions[image_filter])
        for name, image_filter in filters.items()
    ]


def create_configured_renditions(image: AbstractImage) -> None:
    """Generate every configured rendition of an image that is being created.

    Call this inside the transaction that saves the image. If one rendition
    fails, the files written so far are deleted and the exception is
    re-raised, so that the transaction's rollback, which removes their rows,
    leaves no file behind either. The rendition cache is not filled, because
    the rows may still be rolled back.
    """
    original = _read_original(image)
    built: list[AbstractRendition] = []
    try:
        for image_filter in dict.fromkeys(_configured_filters(image).values()):
            rendition = _build_rendition(image, image_filter, original)
            built.append(rendition)
            rendition.save()
    except BaseException:
        logger.info(
            "Rendition generation failed for new image %s, so its %d written file(s) are deleted",
            image.pk,
            sum(1 for rendition in built if _was_written(rendition)),
        )
        for rendition in built:
            _delete_written_file(rendition)
        raise
