"""Request authentication: Wagtail API tokens first, the Django session second.

A request that sends an ``Authorization`` header is judged on that header
alone. It never falls back to the session cookie, so a broken token cannot be
rescued by a browser's login. Every bad header gets the same error with no
hint about which part was wrong. A request with no ``Authorization`` header
uses the session user, and :mod:`wagtail_write_graphql.csrf` then requires a
valid CSRF token for its writes.
"""

from __future__ import annotations

import enum
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from wagtail.api.v3.auth import BearerTokenAuth
from wagtail.models import APIToken

from .errors import APIError, ErrorCode

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.http import HttpRequest

logger = logging.getLogger(__name__)

#: ``Authorization: <scheme> <token68>`` as RFC 9110 section 11.3 and 11.4
#: define it, with the scheme compared case-insensitively.
_AUTHORIZATION_RE = re.compile(
    r"(?P<scheme>[!#$%&'*+.^_`|~0-9A-Za-z-]+) +(?P<token>[A-Za-z0-9\-._~+/]+=*)"
)

#: The one message for every rejected credential, so the response does not
#: reveal whether the scheme, the format, the user or the token was wrong.
INVALID_CREDENTIALS_MESSAGE = (
    "Invalid credentials. Send an active Wagtail API token as "
    "'Authorization: Bearer <token>'."
)

#: Value of ``WWW-Authenticate`` sent with every 401 response.
WWW_AUTHENTICATE = 'Bearer realm="api"'


class AuthMethod(enum.Enum):
    """The source of a request's user: no credential, an API token or the session."""

    ANONYMOUS = "anonymous"
    TOKEN = "token"
    SESSION = "session"


@dataclass(frozen=True)
class Credentials:
    """The user a request acts as, and how that user was established."""

    user: AbstractBaseUser | AnonymousUser
    method: AuthMethod

    @property
    def uses_cookies(self) -> bool:
        """Whether a browser's cookie, and so CSRF protection, is involved."""
        return self.method is AuthMethod.SESSION


def invalid_credentials() -> APIError:
    """Return the error for every rejected ``Authorization`` header."""
    return APIError(INVALID_CREDENTIALS_MESSAGE, ErrorCode.UNAUTHENTICATED)


def _parse_bearer_token(header: str) -> str | None:
    """Return the token of a well-formed ``Bearer`` header, else ``None``.

    Leading and trailing spaces and tabs are optional whitespace around an
    HTTP field value (RFC 9110 section 5.5), so they are ignored.
    """
    match = _AUTHORIZATION_RE.fullmatch(header.strip(" \t"))
    if match is None or match["scheme"].lower() != "bearer":
        return None
    token = match["token"]
    # An offline format and checksum check spares a database query for
    # strings that cannot be a Wagtail token.
    if not APIToken.validate_token_format(token):
        return None
    return token


def authenticate_request(request: HttpRequest) -> Credentials:
    """Establish the request's user and set ``request.user`` to it.

    Raises :class:`~wagtail_write_graphql.errors.APIError` with code
    ``UNAUTHENTICATED`` when an ``Authorization`` header is present but is not
    a valid, unrevoked token of an active user.
    """
    header = request.headers.get("Authorization")
    if header is not None:
        token = _parse_bearer_token(header)
        # Wagtail's own bearer authentication looks the digest up, rejects
        # revoked tokens and inactive users, and updates ``last_used_at`` at
        # the interval set by WAGTAILAPI_TOKEN_LAST_USED_INTERVAL.
        api_token = BearerTokenAuth().authenticate(request, token) if token else None
        if api_token is None:
            request.user = AnonymousUser()
            logger.info(
                "Rejected an API request with invalid credentials: path=%s",
                request.path,
            )
            raise invalid_credentials()
        return Credentials(api_token.user, AuthMethod.TOKEN)

    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active:
        return Credentials(user, AuthMethod.SESSION)

    request.user = AnonymousUser()
    return Credentials(request.user, AuthMethod.ANONYMOUS)
