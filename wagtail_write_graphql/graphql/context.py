"""The per-request context that every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from ..auth import Credentials


@dataclass
class APIContext:
    """The request, its authenticated user, and the response being built.

    The GraphQL view and the REST shim both build one, so resolvers never
    depend on which surface called them.
    """

    request: HttpRequest
    credentials: Credentials
    response: HttpResponse | None = None

    @property
    def user(self):  # noqa: ANN201 - a user model instance or AnonymousUser
        return self.credentials.user
