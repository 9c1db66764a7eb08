"""Django system checks for the ``WAGTAIL_WRITE_API`` setting."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.checks import Error, Warning, register
from wagtail.images.exceptions import InvalidFilterSpecError
from wagtail.images.models import Filter

from . import conf

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.apps import AppConfig
    from django.core.checks import CheckMessage


def _check_positive_int(name: str) -> list[CheckMessage]:
    value = conf.get_setting(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return [
            Error(
                f"{conf.SETTINGS_NAME}['{name}'] must be a positive integer, "
                f"not {value!r}.",
                id="wagtail_write_graphql.E002",
            )
        ]
    return []


#: Request limits that must be positive integers (see docs/limits.md).
_LIMIT_INT_SETTINGS = (
    "MAX_QUERY_DEPTH",
    "MAX_ALIASES",
    "MAX_TOKENS",
    "MAX_BATCH_OPERATIONS",
    "MAX_UPLOAD_FILES",
)

#: On/off switches of the GraphQL endpoint.
_BOOL_SETTINGS = ("ALLOW_BATCHING", "INTROSPECTION")


def _check_bool(name: str) -> list[CheckMessage]:
    value = conf.get_setting(name)
    if not isinstance(value, bool):
        return [
            Error(
                f"{conf.SETTINGS_NAME}['{name}'] must be True or False, not {value!r}.",
                id="wagtail_write_graphql.E003",
            )
        ]
    return []


def _reject_empty_sizes(operations: list[Any]) -> None:
    """Raise ``InvalidFilterSpecError`` for a resize to zero pixels, such as ``fill-0x100``.

    Wagtail parses such a spec, and only fails with ``ZeroDivisionError``
    when it renders the first rendition.
    """
    for operation in operations:
        for attribute in ("width", "height", "size"):
            value = getattr(operation, attribute, None)
            if isinstance(value, int) and value < 1:
                raise InvalidFilterSpecError(f"{attribute} must be at least 1 pixel")


def _check_unknown_keys() -> list[CheckMessage]:
    site_settings = getattr(settings, conf.SETTINGS_NAME, None) or {}
    return [
        Warning(
            f"{conf.SETTINGS_NAME} has an unknown key {name!r}, which is ignored.",
            hint=f"Known keys: {', '.join(sorted(conf.DEFAULTS))}.",
            id="wagtail_write_graphql.W001",
        )
        for name in site_settings
        if name not in conf.DEFAULTS
    ]


@register()
def check_settings(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Report invalid rendition filter specs, page sizes and request limits at start-up."""
    errors: list[CheckMessage] = _check_unknown_keys()
    renditions = conf.get_setting("IMAGE_RENDITIONS")
    if not isinstance(renditions, dict) or not renditions:
        return [
            Error(
                f"{conf.SETTINGS_NAME}['IMAGE_RENDITIONS'] must be a non-empty "
                f"dict of {{name: filter spec}}, not {renditions!r}.",
                id="wagtail_write_graphql.E001",
            )
        ]

    for name, spec in renditions.items():
        try:
            # Parsing the operations validates every directive of the spec.
            _reject_empty_sizes(Filter(spec=spec).operations)
        except (InvalidFilterSpecError, TypeError, AttributeError) as exc:
            errors.append(
                Error(
                    f"{conf.SETTINGS_NAME}['IMAGE_RENDITIONS'][{name!r}] is not a "
                    f"valid Wagtail filter spec: {spec!r} ({exc}).",
                    hint="Use a spec such as 'fill-100x100' or 'max-800x600'.",
                    id="wagtail_write_graphql.E001",
                )
            )

    errors += _check_positive_int("DEFAULT_PAGE_SIZE")
    errors += _check_positive_int("MAX_PAGE_SIZE")
    for name in _LIMIT_INT_SETTINGS:
        errors += _check_positive_int(name)
    # None derives the size from the image limit; any other value is a size.
    if conf.get_setting("MAX_REQUEST_SIZE") is not None:
        errors += _check_positive_int("MAX_REQUEST_SIZE")
    for name in _BOOL_SETTINGS:
        errors += _check_bool(name)
    return errors
