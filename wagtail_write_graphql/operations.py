"""Domain operations on images: list, get, upload, update and delete.

These functions are the only place where the API creates, changes or deletes
images, and where it decides which images a user may read. They check
permissions with Wagtail's image permission policy, validate through the
admin's image form, and save through ``wagtail.actions``, so the API accepts
and rejects exactly what the admin does and writes the same audit log. The
GraphQL resolvers call them, and the REST shim reaches them through GraphQL.
Every failure is raised as an :class:`~wagtail_write_graphql.errors.APIError`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError
from wagtail.actions import action_registry
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.utils.forms import FormValidationError

from . import conf, errors
from .errors import FieldError
from .images import get_upload_form_class, safe_file_name
from .permissions import can_read_anonymously, get_image_permission_policy, readable_images
from .renditions import create_configured_renditions, prefetch_configured_renditions

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser
    from django.core.files.uploadedfile import UploadedFile
    from django.db.models import QuerySet
    from wagtail.images.models import AbstractImage
    from wagtail.models import Collection

    User = AbstractBaseUser | AnonymousUser

logger = logging.getLogger(__name__)

#: Listing order: newest first, then by id, so that images created in the same
#: instant still page without gaps or repeats.
LIST_ORDERING = ("-created_at", "-id")

#: A word of a search string: letters, digits and underscores in any script.
_WORD_RE = re.compile(r"\w+")

#: Most distinct words in one search. Wagtail's database search backends
#: (Wagtail 8.0) build one nested SQL expression per word and hit Python's
#: recursion limit at about 450 words. A title rarely has more than a few.
MAX_SEARCH_WORDS = 32

#: Image fields that an upload may set. The form adds ``collection`` itself.
UPLOAD_FIELDS = ("title", "file")


@dataclass(frozen=True)
class ImagePage:
    """One page of a listing and the number of matches across all pages."""

    items: list[AbstractImage]
    total_count: int


def _require_user(user: User) -> None:
    if not user.is_authenticated or not user.is_active:
        raise errors.unauthenticated()


def _require_model_permission(user: User, action: str) -> None:
    """Reject a user who may not perform ``action`` on any image at all."""
    if not get_image_permission_policy().user_has_permission(user, action):
        raise errors.forbidden(f"You do not have permission to {action} images.")


def _require_read_access(user: User) -> None:
    if not user.is_authenticated and not can_read_anonymously():
        raise errors.unauthenticated()


def _parse_id(value: object) -> int | None:
    """Return ``value`` as a positive database id, or None if it is not one.

    Only ASCII digits are accepted, because int() alone also accepts "1_0",
    " 1", "+1" and non-ASCII digits, so one object would match many ids.
    """
    text = str(value)
    if not (text.isascii() and text.isdigit()):
        return None
    parsed = int(text)
    return parsed if parsed >= 1 else None


def _parse_image_id(image_id: object) -> int:
    parsed = _parse_id(image_id)
    if parsed is None:
        raise errors.image_not_found(image_id)
    return parsed


def _get_readable_image(user: User, image_id: object) -> AbstractImage:
    """Return the image, or raise ``NOT_FOUND`` if it is missing or hidden."""
    pk = _parse_image_id(image_id)
    image = prefetch_configured_renditions(readable_images(user)).filter(pk=pk).first()
    if image is None:
        raise errors.image_not_found(image_id)
    return image


def _validate_page(offset: int, limit: int | None) -> int:
    max_limit = conf.get_setting("MAX_PAGE_SIZE")
    if limit is None:
        limit = min(conf.get_setting("DEFAULT_PAGE_SIZE"), max_limit)
    if offset < 0:
        raise errors.validation_error(
            [FieldError("offset", "min_value", "offset must be 0 or greater.")]
        )
    if not 1 <= limit <= max_limit:
        raise errors.validation_error(
            [FieldError("limit", "out_of_range", f"limit must be between 1 and {max_limit}.")]
        )
    return limit


def _search_words(search: str) -> list[str]:
    """Split a search string into its distinct words, dropping punctuation and symbols.

    Search backends give quotes, dashes and other operators their own meaning,
    and some fail on them (SQLite FTS5 rejects an unbalanced quote, and
    PostgreSQL builds an empty query from a lone ``-``), so only word
    characters reach the backend. Repeated words are dropped, because every
    word must match anyway.
    """
    distinct: dict[str, str] = {}
    for word in _WORD_RE.findall(search):
        distinct.setdefault(word.casefold(), word)
    words = list(distinct.values())
    if len(words) > MAX_SEARCH_WORDS:
        raise errors.validation_error(
            [
                FieldError(
                    "search",
                    "max_words",
                    f"search has {len(words)} different words. Send at most {MAX_SEARCH_WORDS}.",
                )
            ]
        )
    return words


def _search_page(
    queryset: QuerySet[AbstractImage], words: list[str], offset: int, limit: int
) -> tuple[list[int], int]:
    """Return the ids on one page of the images matching ``words``, and the match count.

    The query goes through the site's Wagtail search backend (database,
    Elasticsearch or OpenSearch). Autocomplete matching finds titles whose
    words start with what the user typed, as in the admin's image chooser.
    The backend counts and slices, so only one page of results is loaded.
    """
    results = queryset.order_by(*LIST_ORDERING).autocomplete(
        " ".join(words), fields=["title"], order_by_relevance=False
    )
    page_ids = [image.pk for image in results[offset : offset + limit]]
    return page_ids, results.count()


def list_images(
    user: User,
    *,
    search: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> ImagePage:
    """Return one page of the images ``user`` may read, newest first."""
    _require_read_access(user)
    limit = _validate_page(offset, limit)
    queryset = readable_images(user)

    if search is not None and search.strip():
        words = _search_words(search)
        page_ids, total_count = _search_page(queryset, words, offset, limit) if words else ([], 0)
        queryset = queryset.filter(pk__in=page_ids)
        items = list(prefetch_configured_renditions(queryset.order_by(*LIST_ORDERING)))
    else:
        total_count = queryset.count()
        page = queryset.order_by(*LIST_ORDERING)[offset : offset + limit]
        items = list(prefetch_configured_renditions(page))
    return ImagePage(items=items, total_count=total_count)


def get_image(user: User, image_id: object) -> AbstractImage:
    """Return one image that ``user`` may read."""
    _require_read_access(user)
    return _get_readable_image(user, image_id)


def _default_upload_collection(user: User) -> Collection | None:
    """Return the collection the admin's upload form would preselect.

    The admin lists the collections the user may add to in tree order and
    preselects the first, which is the root collection when it is allowed.
    """
    policy = get_image_permission_policy()
    return policy.collections_user_has_permission_for(user, "add").order_by("path").first()


def _upload_collection(user: User, collection_id: object | None) -> Collection:
    if collection_id is None:
        collection = _default_upload_collection(user)
    else:
        policy = get_image_permission_policy()
        allowed = policy.collections_user_has_permission_for(user, "add")
        pk = _parse_id(collection_id)
        collection = allowed.filter(pk=pk).first() if pk is not None else None
    if collection is None:
        raise errors.validation_error(
            [
                FieldError(
                    "collection",
                    "invalid_choice",
                    f"Collection {collection_id!s} does not exist or you may not add "
                    "images to it.",
                )
            ]
        )
    return collection


def _require_encodable(field_name: str, value: str) -> None:
    """Reject text that cannot be stored, such as a lone surrogate ``\\ud800``.

    JSON can escape an unpaired UTF-16 surrogate, which Python decodes into a
    ``str`` that no database driver can encode.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise errors.validation_error(
            [
                FieldError(
                    field_name,
                    "invalid",
                    "Contains an unpaired surrogate code point (U+D800 to U+DFFF).",
                )
            ]
        ) from None


def _default_title(file: UploadedFile) -> str:
    max_length = get_image_model()._meta.get_field("title").max_length
    return (file.name or "")[:max_length]


def _delete_stored_file(image: AbstractImage) -> None:
    """Remove a file that was written to storage by a save that then failed."""
    if image.file and getattr(image.file, "_committed", False):
        logger.info("Removing orphaned upload %s after a failed save", image.file.name)
        image.file.storage.delete(image.file.name)


def upload_image(
    user: User,
    file: UploadedFile,
    *,
    title: str | None = None,
    collection_id: object | None = None,
) -> AbstractImage:
    """Validate and store a new image, as the admin's upload form does.

    ``WagtailImageField`` applies the site's size, pixel and extension limits,
    and :class:`~wagtail_write_graphql.images.DecodedImageField` then decodes
    the image in full. The form fills ``file_size`` and ``file_hash``, and
    ``CreateAction`` checks the ``add`` permission and writes the
    ``wagtail.create`` log entry. The configured renditions are generated in
    the same transaction, so if one fails, no row and no file is left.
    """
    _require_user(user)
    _require_model_permission(user, "add")
    if title is not None:
        _require_encodable("title", title)
    collection = _upload_collection(user, collection_id)

    image_model = get_image_model()
    form_class = get_upload_form_class(image_model, UPLOAD_FIELDS)
    data = {
        "title": _default_title(file) if title is None else title,
        "collection": str(collection.pk),
    }
    # The title keeps the name as sent, and only the stored file gets a safe name.
    if file.name:
        file.name = safe_file_name(file.name)
    instance = image_model(uploaded_by_user=user, collection=collection)
    form = form_class(data=data, files={"file": file}, instance=instance, user=user)
    action = action_registry.get_action_class(image_model, "create")(
        form.instance, user=user, form=form
    )
    try:
        # The image and its renditions are saved together or not at all.
        with transaction.atomic():
            image = action.execute()
            create_configured_renditions(image)
    except FormValidationError as exc:
        raise errors.from_form_validation_error(exc) from None
    except PermissionDenied as exc:
        raise errors.forbidden(str(exc)) from None
    except BaseException:
        # The transaction is rolled back, but a file already written to
        # storage is not part of it.
        _delete_stored_file(form.instance)
        raise

    logger.info("Image %s uploaded by user %s", image.pk, user.pk)
    return image


def update_image(
    user: User, image_id: object, *, title: str
) -> AbstractImage:
    """Change an image's title through the admin's form and ``EditAction``."""
    _require_user(user)
    # An image the user may not see is NOT_FOUND even for a user who may
    # change no image at all, so the existence check comes first.
    image = _get_readable_image(user, image_id)
    _require_model_permission(user, "change")
    _require_encodable("title", title)

    image_model = type(image)
    form_class = get_image_form(image_model, fields=["title"])
    data = {"title": title, "collection": str(image.collection_id)}
    form = form_class(data=data, instance=image, user=user)
    action = action_registry.get_action_class(image_model, "edit")(
        form.instance, user=user, form=form
    )
    try:
        image = action.execute()
    except FormValidationError as exc:
        raise errors.from_form_validation_error(exc) from None
    except PermissionDenied as exc:
        raise errors.forbidden(str(exc)) from None

    logger.info("Image %s updated by user %s", image.pk, user.pk)
    return image


def delete_image(user: User, image_id: object) -> int:
    """Delete an image, and with it every rendition, returning its id.

    Wagtail's ``post_delete`` handlers remove the original and the rendition
    files from storage once the transaction commits.
    """
    _require_user(user)
    image = _get_readable_image(user, image_id)
    _require_model_permission(user, "delete")
    pk = image.pk

    action = action_registry.get_action_class(type(image), "delete")(image, user=user)
    try:
        action.execute()
    except PermissionDenied as exc:
        raise errors.forbidden(str(exc)) from None
    except ProtectedError:
        logger.info("Image %s not deleted: other content protects it", pk)
        raise errors.APIError(
            f"Image {pk} is used by other content and cannot be deleted.",
            errors.ErrorCode.CONFLICT,
        ) from None

    logger.info("Image %s deleted by user %s", pk, user.pk)
    return pk
