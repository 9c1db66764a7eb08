"""GraphQL object types for images and their renditions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import strawberry
from wagtail.images.models import AbstractImage

from ..renditions import get_configured_renditions

if TYPE_CHECKING:
    from ..operations import ImagePage


@strawberry.type(name="Rendition", description="A resized version of an image.")
class RenditionType:
    name: str = strawberry.field(description="Rendition name from IMAGE_RENDITIONS.")
    filter_spec: str = strawberry.field(description="Wagtail filter spec, e.g. fill-100x100.")
    url: str
    width: int
    height: int


@strawberry.type(name="Image", description="A Wagtail image.")
class ImageType:
    id: strawberry.ID
    title: str
    width: int
    height: int
    file_url: str = strawberry.field(description="URL of the original file.")
    file_size: int | None = strawberry.field(description="Size of the original file in bytes.")
    created_at: datetime
    collection_id: strawberry.ID
    _image: strawberry.Private[AbstractImage]

    @classmethod
    def from_model(cls, image: AbstractImage) -> ImageType:
        return cls(
            id=strawberry.ID(str(image.pk)),
            title=image.title,
            width=image.width,
            height=image.height,
            file_url=image.file.url,
            file_size=image.file_size,
            created_at=image.created_at,
            collection_id=strawberry.ID(str(image.collection_id)),
            _image=image,
        )

    @strawberry.field(description="One entry for each rendition in IMAGE_RENDITIONS, in order.")
    def renditions(self) -> list[RenditionType]:
        return [
            RenditionType(
                name=named.name,
                filter_spec=named.filter_spec,
                url=named.rendition.url,
                width=named.rendition.width,
                height=named.rendition.height,
            )
            for named in get_configured_renditions(self._image)
        ]


@strawberry.type(name="ImagePage", description="One page of images and the total number of matches.")
class ImagePageType:
    items: list[ImageType]
    total_count: int = strawberry.field(description="Matches across all pages.")

    @classmethod
    def from_page(cls, page: ImagePage) -> ImagePageType:
        return cls(
            items=[ImageType.from_model(image) for image in page.items],
            total_count=page.total_count,
        )


@strawberry.type(name="DeleteImagePayload")
class DeleteImagePayload:
    id: strawberry.ID = strawberry.field(description="Id of the deleted image.")
