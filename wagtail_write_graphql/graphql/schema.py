"""The GraphQL schema: the ``images`` and ``image`` queries and image mutations."""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry
from strawberry.file_uploads import Upload

from .. import operations
from .errors import ErrorModelExtension, log_errors
from .limits import DOCUMENT_LIMIT_EXTENSIONS
from .multipart import UPLOAD_SCALAR
from .types import DeleteImagePayload, ImagePageType, ImageType

# Strawberry evaluates resolver annotations at run time, so ``Info`` and the
# context type must be importable outside TYPE_CHECKING.
from strawberry.types import Info

from .context import APIContext

if TYPE_CHECKING:
    from graphql import GraphQLError
    from strawberry.types import ExecutionContext


@strawberry.type
class Query:
    @strawberry.field(description="One page of images, newest first, with the total count.")
    def images(
        self,
        info: Info[APIContext, None],
        search: str | None = None,
        offset: int | None = 0,
        limit: int | None = None,
    ) -> ImagePageType:
        context = info.context
        page = operations.list_images(
            context.user, search=search, offset=offset or 0, limit=limit
        )
        return ImagePageType.from_page(page)

    @strawberry.field(description="One image by id.")
    def image(self, info: Info[APIContext, None], id: strawberry.ID) -> ImageType:
        context = info.context
        return ImageType.from_model(operations.get_image(context.user, id))


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description=(
            "Upload an image with the GraphQL multipart request spec. The title "
            "defaults to the file name, the collection to the first one the user "
            "may add images to."
        )
    )
    def upload_image(
        self,
        info: Info[APIContext, None],
        file: Upload,
        title: str | None = None,
        collection_id: strawberry.ID | None = None,
    ) -> ImageType:
        image = operations.upload_image(
            info.context.user, file, title=title, collection_id=collection_id
        )
        return ImageType.from_model(image)

    @strawberry.mutation(description="Change an image's title.")
    def update_image(
        self, info: Info[APIContext, None], id: strawberry.ID, title: str
    ) -> ImageType:
        context = info.context
        image = operations.update_image(context.user, id, title=title)
        return ImageType.from_model(image)

    @strawberry.mutation(description="Delete an image with its renditions and files.")
    def delete_image(self, info: Info[APIContext, None], id: strawberry.ID) -> DeleteImagePayload:
        context = info.context
        deleted_id = operations.delete_image(context.user, id)
        return DeleteImagePayload(id=strawberry.ID(str(deleted_id)))


class APISchema(strawberry.Schema):
    """A schema that logs errors under this package's logger, once each."""

    def process_errors(
        self,
        errors: list[GraphQLError],
        execution_context: ExecutionContext | None = None,
    ) -> None:
        operation_name = execution_context.operation_name if execution_context else None
        log_errors(errors, operation_name)


schema = APISchema(
    query=Query,
    mutation=Mutation,
    extensions=[ErrorModelExtension, *DOCUMENT_LIMIT_EXTENSIONS],
    scalar_overrides={Upload: UPLOAD_SCALAR},
)
