"""Django system checks for the ``WAGTAIL_WRITE_API`` setting."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.checks import Error, register
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


@register()
def check_settings(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Report invalid rendition filter specs and page sizes at start-up."""
    errors: list[CheckMessage] = []
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
            Filter(spec=spec).operations
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
    return errors
