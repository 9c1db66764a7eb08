"""CSRF protection for requests authenticated by the session cookie.

Bearer-token requests carry their credential explicitly, so a third-party
page cannot forge them and they need no CSRF token. A request authenticated
by the session cookie can be forged that way, so every unsafe method it uses
goes through Django's own :class:`~django.middleware.csrf.CsrfViewMiddleware`
check, even though the view itself is marked ``csrf_exempt``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware

from .errors import APIError, ErrorCode

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .auth import Credentials

#: Methods that cannot change data and so are not CSRF-checked (RFC 9110).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

#: Message of the ``FORBIDDEN`` error for a cookie-authenticated write that
#: fails Django's CSRF check.
CSRF_FAILED_MESSAGE = (
    "CSRF verification failed. A request authenticated by the session cookie "
    "must send the csrftoken cookie's value in the X-CSRFToken header, or use "
    "an 'Authorization: Bearer <token>' header instead."
)


def _no_response(request: HttpRequest) -> HttpResponse:
    # CsrfViewMiddleware needs a get_response callable, which a direct
    # process_view() call never uses.
    return HttpResponse()


def enforce_csrf(request: HttpRequest, credentials: Credentials) -> None:
    """Raise a ``FORBIDDEN`` error if a cookie-authenticated write lacks CSRF."""
    if not credentials.uses_cookies or request.method in SAFE_METHODS:
        return
    # Clear the exemption marker that the view's csrf_exempt sets, so the
    # middleware performs its full check here.
    request.csrf_processing_done = False
    rejection = CsrfViewMiddleware(_no_response).process_view(request, None, (), {})
    if rejection is not None:
        raise APIError(CSRF_FAILED_MESSAGE, ErrorCode.FORBIDDEN)
