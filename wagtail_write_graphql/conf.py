"""Settings for wagtail-write-graphql, read from the ``WAGTAIL_WRITE_API`` dict.

Every value is looked up on access rather than copied at import time, so
``override_settings(WAGTAIL_WRITE_API=...)`` takes effect in tests and a site
can change a value without re-importing the app.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

#: Name of the Django setting that contains this app's options.
SETTINGS_NAME = "WAGTAIL_WRITE_API"

#: Renditions listed for every image, as ``{name: Wagtail filter spec}``. A
#: site's own ``IMAGE_RENDITIONS`` replaces this mapping as a whole.
DEFAULT_IMAGE_RENDITIONS: dict[str, str] = {
    "thumbnail": "fill-100x100",
    "medium": "max-800x600",
    "large": "max-1600x1200",
}

#: Defaults for every option. Keys missing from the site's dict fall back here.
DEFAULTS: dict[str, Any] = {
    "IMAGE_RENDITIONS": DEFAULT_IMAGE_RENDITIONS,
    # Page size of ``images`` when the request gives no ``limit``.
    "DEFAULT_PAGE_SIZE": 20,
    # Largest ``limit`` accepted. A larger one is rejected, not cut down.
    "MAX_PAGE_SIZE": 100,
    # Whether ``images`` and ``image`` need an authenticated user.
    "REQUIRE_AUTH_FOR_READ": True,
    # Whether ``GET /graphql/`` from a browser serves the GraphiQL IDE.
    "GRAPHIQL": True,
    # GraphQL request limits. docs/limits.md lists each one with the error
    # a client gets. Maximum field nesting in one operation, not counting
    # introspection fields (``__schema``, ``__type``).
    "MAX_QUERY_DEPTH": 10,
    # Maximum aliased fields in one GraphQL document.
    "MAX_ALIASES": 15,
    # Maximum lexical tokens in one GraphQL document, checked while parsing.
    "MAX_TOKENS": 2000,
    # Whether a request may send a JSON list of operations (a batch).
    "ALLOW_BATCHING": False,
    # Maximum operations in one batch, when batching is allowed.
    "MAX_BATCH_OPERATIONS": 10,
    # Whether ``__schema`` and ``__type`` queries are allowed. GraphiQL
    # needs them for completion and docs. Turn off to hide the schema.
    "INTROSPECTION": True,
    # Maximum file parts in one multipart request.
    "MAX_UPLOAD_FILES": 1,
    # Largest request body in bytes. ``None`` derives it from the image
    # limit, see ``graphql.limits.max_request_size``.
    "MAX_REQUEST_SIZE": None,
}


def get_setting(name: str) -> Any:
    """Return option ``name`` from ``WAGTAIL_WRITE_API``, or its default.

    Raises ``KeyError`` for a name that is not a known option, so a typo in
    this package fails loudly instead of silently reading ``None``.
    """
    default = DEFAULTS[name]
    site_settings = getattr(settings, SETTINGS_NAME, None) or {}
    return site_settings.get(name, default)


def get_image_renditions() -> dict[str, str]:
    """Return the configured ``{rendition name: filter spec}`` mapping."""
    return dict(get_setting("IMAGE_RENDITIONS"))
