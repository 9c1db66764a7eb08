"""The documented REST JSON for images, built from GraphQL results.

The GraphQL API names fields in camelCase, gives ids as strings and lists
renditions as objects. The REST contract uses snake_case, integer ids and one
``{name: url}`` object of renditions. This module is the only one that
converts between the two shapes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping


@dataclass(frozen=True)
class ImageRepresentation:
    """One image as every REST endpoint returns it."""

    id: int
    title: str
    width: int
    height: int
    file_url: str
    #: ISO 8601 date and time with a UTC offset, as GraphQL's ``DateTime``.
    created_at: str
    #: Rendition URL by rendition name, in the order of IMAGE_RENDITIONS.
    renditions: dict[str, str]

    @classmethod
    def from_graphql(cls, node: Mapping[str, Any]) -> ImageRepresentation:
        """Build from an ``Image`` selected with ``documents.IMAGE_FIELDS``."""
        return cls(
            id=int(node["id"]),
            title=node["title"],
            width=node["width"],
            height=node["height"],
            file_url=node["fileUrl"],
            created_at=node["createdAt"],
            renditions={rendition["name"]: rendition["url"] for rendition in node["renditions"]},
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ImageListRepresentation:
    """One page of a listing and the number of matches across all pages."""

    items: list[ImageRepresentation]
    total_count: int

    @classmethod
    def from_graphql(cls, page: Mapping[str, Any]) -> ImageListRepresentation:
        """Build from an ``ImagePage`` selected as in ``documents.LIST_IMAGES``."""
        return cls(
            items=[ImageRepresentation.from_graphql(node) for node in page["items"]],
            total_count=page["totalCount"],
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "items": [image.to_json() for image in self.items],
            "meta": {"total_count": self.total_count},
        }
