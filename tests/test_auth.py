"""Bearer-token authentication of the GraphQL endpoint.

Tokens are Wagtail's own ``APIToken``. Every rejected ``Authorization``
header gets one identical 401 response, a header is never rescued by the
session cookie, and no token text reaches a log or a response.
"""

from __future__ import annotations

import base64
import io
import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import APIToken

from tests.conftest import GRAPHQL_PATH, GraphQLClient, make_token, photo_bytes
from wagtail_write_graphql.auth import INVALID_CREDENTIALS_MESSAGE, WWW_AUTHENTICATE

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from django.contrib.auth.base_user import AbstractBaseUser
    from django.http import HttpResponse
    from wagtail.images.models import AbstractImage
    from wagtail.models import Collection

LIST_QUERY = "{ images { totalCount items { id } } }"
UPDATE_MUTATION = (
    "mutation Update($id: ID!, $title: String!) { updateImage(id: $id, title: $title) { id title } }"
)
DELETE_MUTATION = "mutation Delete($id: ID!) { deleteImage(id: $id) { id } }"


@dataclass
class Tokens:
    """Plaintext tokens in every state a request may present."""

    valid: str
    revoked: str
    inactive_user: str
    deleted_user: str
    unknown: str


@pytest.fixture
def tokens(superuser: AbstractBaseUser) -> Tokens:
    user_model = get_user_model()
    revoked_record, revoked = APIToken.create_token(user=superuser, name="revoked")
    revoked_record.revoke()

    inactive = user_model.objects.create_superuser("inactive", "inactive@example.com", "pw")
    inactive_token = make_token(inactive)
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])

    deleted = user_model.objects.create_superuser("deleted", "deleted@example.com", "pw")
    deleted_token = make_token(deleted)
    deleted.delete()

    return Tokens(
        valid=make_token(superuser),
        revoked=revoked,
        inactive_user=inactive_token,
        deleted_user=deleted_token,
        # Well-formed, with a correct checksum, but never stored.
        unknown=APIToken.generate_token(),
    )


def flip_last_character(token: str) -> str:
    return token[:-1] + ("A" if token[-1] != "A" else "B")


#: Authorization header values that must all be rejected identically, each
#: built from the fixture's tokens.
INVALID_HEADERS: dict[str, Callable[[Tokens], str]] = {
    "empty": lambda t: "",
    "scheme-only": lambda t: "Bearer",
    "scheme-and-space": lambda t: "Bearer ",
    "lowercase-scheme-only": lambda t: "bearer",
    "token-scheme": lambda t: f"Token {t.valid}",
    "basic-scheme": lambda t: "Basic " + base64.b64encode(b"admin:password").decode(),
    "no-scheme": lambda t: t.valid,
    "trailing-junk": lambda t: f"Bearer {t.valid}junk",
    "junk-after-space": lambda t: f"Bearer {t.valid} junk",
    "space-inside-token": lambda t: f"Bearer {t.valid[:12]} {t.valid[12:]}",
    "tab-separator": lambda t: f"Bearer\t{t.valid}",
    "two-credentials": lambda t: f"Bearer {t.valid}, Bearer {t.valid}",
    "quoted-token": lambda t: f'Bearer "{t.valid}"',
    "padded-token": lambda t: f"Bearer {t.valid}=",
    "non-ascii-suffix": lambda t: f"Bearer {t.valid}\u00e9",
    "missing-prefix": lambda t: f"Bearer {t.valid.removeprefix('wagtail_')}",
    "bad-checksum": lambda t: f"Bearer {flip_last_character(t.valid)}",
    "truncated": lambda t: f"Bearer {t.valid[:-1]}",
    "lowercase-scheme-unknown": lambda t: f"bearer {t.unknown}",
    "extra-spaces-unknown": lambda t: f"Bearer    {t.unknown}",
    "unknown": lambda t: f"Bearer {t.unknown}",
    "revoked": lambda t: f"Bearer {t.revoked}",
    "inactive-user": lambda t: f"Bearer {t.inactive_user}",
    "deleted-user": lambda t: f"Bearer {t.deleted_user}",
}

#: Spellings of a valid header that RFC 9110 allows: a case-insensitive
#: scheme, one or more spaces before the token, and optional whitespace
#: around the field value.
VALID_HEADERS: dict[str, Callable[[str], str]] = {
    "canonical": lambda token: f"Bearer {token}",
    "lowercase-scheme": lambda token: f"bearer {token}",
    "uppercase-scheme": lambda token: f"BEARER {token}",
    "several-spaces": lambda token: f"Bearer   {token}",
    "surrounding-whitespace": lambda token: f" \tBearer {token}\t ",
}


def post_graphql(
    client: Client, query: str, variables: dict[str, Any] | None, authorization: str | None
) -> HttpResponse:
    headers = {} if authorization is None else {"Authorization": authorization}
    return client.post(
        GRAPHQL_PATH,
        data={"query": query, "variables": variables or {}},
        content_type="application/json",
        headers=headers,
    )


def reference_rejection(tokens: Tokens) -> bytes:
    """Return the body sent for a well-formed but unknown token."""
    response = post_graphql(Client(), LIST_QUERY, None, f"Bearer {tokens.unknown}")
    assert response.status_code == 401
    return response.content


@pytest.fixture
def image(superuser: AbstractBaseUser, root_collection: Collection) -> AbstractImage:
    return get_image_model().objects.create(
        title="Harbour",
        file=ImageFile(io.BytesIO(photo_bytes()), name="harbour.jpg"),
        collection=root_collection,
        uploaded_by_user=superuser,
    )


@pytest.mark.parametrize("with_session", (False, True), ids=("no-session", "session"))
@pytest.mark.parametrize("case", INVALID_HEADERS)
def test_invalid_header_rejected(
    case: str, with_session: bool, tokens: Tokens, superuser: AbstractBaseUser
) -> None:
    expected_body = reference_rejection(tokens)
    client = Client()
    if with_session:
        client.force_login(superuser)
    header = INVALID_HEADERS[case](tokens)

    response = post_graphql(client, LIST_QUERY, None, header)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == WWW_AUTHENTICATE
    assert response.content == expected_body
    payload = json.loads(response.content)
    assert payload["data"] is None
    assert payload["errors"][0]["message"] == INVALID_CREDENTIALS_MESSAGE
    assert payload["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}


@pytest.mark.parametrize("case", INVALID_HEADERS)
def test_invalid_header_changes_nothing(
    case: str, tokens: Tokens, superuser: AbstractBaseUser, image
) -> None:
    client = Client()
    client.force_login(superuser)
    header = INVALID_HEADERS[case](tokens)

    response = post_graphql(
        client, UPDATE_MUTATION, {"id": str(image.pk), "title": "Changed"}, header
    )

    assert response.status_code == 401
    image.refresh_from_db()
    assert image.title == "Harbour"


@pytest.mark.parametrize("case", VALID_HEADERS)
def test_valid_header_spellings(case: str, superuser_token: str, image) -> None:
    header = VALID_HEADERS[case](superuser_token)

    response = post_graphql(Client(), LIST_QUERY, None, header)

    assert response.status_code == 200
    payload = json.loads(response.content)
    assert "errors" not in payload
    assert payload["data"]["images"]["totalCount"] == 1


#: The REST shim's image listing, which authenticates like GraphQL.
REST_IMAGES_PATH = "/api/write/v1/images/"


@pytest.mark.parametrize("with_session", (False, True), ids=("no-session", "session"))
@pytest.mark.parametrize("case", INVALID_HEADERS)
def test_rest_invalid_header_rejected(
    case: str, with_session: bool, tokens: Tokens, superuser: AbstractBaseUser
) -> None:
    expected_body = Client().get(
        REST_IMAGES_PATH, headers={"Authorization": f"Bearer {tokens.unknown}"}
    ).content
    client = Client()
    if with_session:
        client.force_login(superuser)

    response = client.get(
        REST_IMAGES_PATH, headers={"Authorization": INVALID_HEADERS[case](tokens)}
    )

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == WWW_AUTHENTICATE
    assert response.content == expected_body
    problem = json.loads(response.content)
    assert problem["code"] == "UNAUTHENTICATED"
    assert problem["detail"] == INVALID_CREDENTIALS_MESSAGE


def test_rest_valid_token_accepted(superuser_token: str, image: AbstractImage) -> None:
    response = Client().get(
        REST_IMAGES_PATH, headers={"Authorization": f"bearer {superuser_token}"}
    )

    assert response.status_code == 200
    assert [item["id"] for item in json.loads(response.content)["items"]] == [image.pk]


def test_graphiql_get_with_invalid_header(tokens: Tokens) -> None:
    response = Client().get(
        GRAPHQL_PATH,
        headers={"Accept": "text/html", "Authorization": f"Bearer {tokens.revoked}"},
    )

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == WWW_AUTHENTICATE
    assert response.content == reference_rejection(tokens)


def test_header_overrides_session_user(superuser: AbstractBaseUser, image) -> None:
    """A valid token of a weaker user is not lifted to the session's superuser."""
    reader = get_user_model().objects.create_user("reader", "reader@example.com", "pw")
    client = Client()
    client.force_login(superuser)

    response = post_graphql(
        client,
        UPDATE_MUTATION,
        {"id": str(image.pk), "title": "Changed"},
        f"Bearer {make_token(reader)}",
    )

    payload = json.loads(response.content)
    assert response.status_code == 200
    assert payload["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    image.refresh_from_db()
    assert image.title == "Harbour"


def test_mutation_logged_as_token_user(superuser: AbstractBaseUser, image) -> None:
    """The audit log names the token's user, not the session's."""
    editor = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
    client = Client()
    client.force_login(superuser)

    response = post_graphql(
        client,
        UPDATE_MUTATION,
        {"id": str(image.pk), "title": "Changed"},
        f"Bearer {make_token(editor)}",
    )

    assert json.loads(response.content)["data"]["updateImage"]["title"] == "Changed"
    log_model = log_action_registry.get_log_model_for_model(get_image_model())
    entries = list(
        log_model.objects.filter(object_id=str(image.pk)).values_list("action", "user_id")
    )
    assert entries == [("wagtail.edit", editor.pk)]


def test_inactive_session_user_is_anonymous(superuser: AbstractBaseUser, image) -> None:
    client = Client()
    client.force_login(superuser)
    superuser.is_active = False
    superuser.save(update_fields=["is_active"])

    response = post_graphql(client, LIST_QUERY, None, None)

    payload = json.loads(response.content)
    assert payload["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert payload["data"] is None


def test_last_used_at_set_on_first_use(superuser: AbstractBaseUser) -> None:
    record, token = APIToken.create_token(user=superuser, name="first use")
    assert record.last_used_at is None

    response = post_graphql(Client(), LIST_QUERY, None, f"Bearer {token}")

    assert response.status_code == 200
    record.refresh_from_db()
    assert record.last_used_at is not None


@override_settings(WAGTAILAPI_TOKEN_LAST_USED_INTERVAL=60)
def test_last_used_at_updated_after_interval(superuser: AbstractBaseUser) -> None:
    record, token = APIToken.create_token(user=superuser, name="stale")
    stale = timezone.now() - timedelta(hours=1)
    APIToken.objects.filter(pk=record.pk).update(last_used_at=stale)

    post_graphql(Client(), LIST_QUERY, None, f"Bearer {token}")

    record.refresh_from_db()
    assert record.last_used_at > stale


@override_settings(WAGTAILAPI_TOKEN_LAST_USED_INTERVAL=3600)
def test_last_used_at_kept_within_interval(superuser: AbstractBaseUser) -> None:
    record, token = APIToken.create_token(user=superuser, name="recent")
    recent = timezone.now() - timedelta(minutes=1)
    APIToken.objects.filter(pk=record.pk).update(last_used_at=recent)

    post_graphql(Client(), LIST_QUERY, None, f"Bearer {token}")

    record.refresh_from_db()
    assert record.last_used_at == recent


@override_settings(WAGTAILAPI_TOKEN_LAST_USED_INTERVAL=None)
def test_last_used_at_tracking_disabled(superuser: AbstractBaseUser) -> None:
    record, token = APIToken.create_token(user=superuser, name="untracked")

    post_graphql(Client(), LIST_QUERY, None, f"Bearer {token}")

    record.refresh_from_db()
    assert record.last_used_at is None


def test_last_used_at_untouched_when_revoked(superuser: AbstractBaseUser) -> None:
    record, token = APIToken.create_token(user=superuser, name="revoked")
    record.revoke()

    response = post_graphql(Client(), LIST_QUERY, None, f"Bearer {token}")

    assert response.status_code == 401
    record.refresh_from_db()
    assert record.last_used_at is None


def test_management_command_token(superuser: AbstractBaseUser, capsys) -> None:
    """A token from ``manage.py api_tokens create`` works until it is revoked."""
    call_command("api_tokens", "create", "--user", superuser.get_username(), "--name", "ci")
    token = capsys.readouterr().out.strip()
    client = GraphQLClient(token)

    accepted = client.execute(LIST_QUERY)
    record = APIToken.objects.get(name="ci")
    call_command("api_tokens", "revoke", "--id", str(record.pk))
    rejected = client.execute(LIST_QUERY)

    assert accepted.status_code == 200
    assert "errors" not in json.loads(accepted.content)
    assert rejected.status_code == 401


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Capture every record of every logger at DEBUG level, overriding the LOGGING setting."""
    loggers = [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    saved = [(logger, logger.level, logger.propagate, logger.disabled) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.propagate = True
        logger.disabled = False
    caplog.set_level(logging.DEBUG)
    yield caplog
    for logger, level, propagate, disabled in saved:
        logger.setLevel(level)
        logger.propagate = propagate
        logger.disabled = disabled


def logged_text(caplog: pytest.LogCaptureFixture) -> str:
    """Return every captured message, with arguments, tracebacks and stacks."""
    parts = [caplog.text]
    for record in caplog.records:
        parts.append(record.getMessage())
        parts.append(record.exc_text or "")
        parts.append(record.stack_info or "")
    return "\n".join(parts)


@pytest.mark.parametrize("debug", (False, True), ids=("debug-off", "debug-on"))
def test_tokens_absent_from_logs(
    debug: bool, tokens: Tokens, image, all_logs: pytest.LogCaptureFixture
) -> None:
    secrets = [
        tokens.valid,
        tokens.revoked,
        tokens.inactive_user,
        tokens.unknown,
    ]
    headers = [
        f"Bearer {tokens.valid}",
        f"bearer {tokens.valid}",
        f"Bearer {tokens.valid}junk",
        f"Bearer {tokens.valid} junk",
        f"Token {tokens.valid}",
        f"Bearer {tokens.revoked}",
        f"Bearer {tokens.inactive_user}",
        f"Bearer {tokens.unknown}",
    ]
    bodies: list[bytes] = []

    with override_settings(DEBUG=debug):
        for header in headers:
            bodies.append(post_graphql(Client(), LIST_QUERY, None, header).content)
            bodies.append(
                post_graphql(
                    Client(), UPDATE_MUTATION, {"id": str(image.pk), "title": "x" * 300}, header
                ).content
            )
            bodies.append(
                post_graphql(Client(), DELETE_MUTATION, {"id": "999999"}, header).content
            )
            graphiql = Client().get(
                GRAPHQL_PATH, headers={"Accept": "text/html", "Authorization": header}
            )
            bodies.append(graphiql.content)
        upload = GraphQLClient(tokens.valid).upload(b"not an image", "broken.jpg")
        bodies.append(upload.content)

    logger_names = {record.name for record in all_logs.records}
    assert "wagtail_write_graphql.auth" in logger_names
    assert "django.request" in logger_names
    text = logged_text(all_logs)
    for secret in secrets:
        assert secret not in text
        assert secret.removeprefix("wagtail_") not in text
        for response_body in bodies:
            assert secret.encode() not in response_body
            assert secret.removeprefix("wagtail_").encode() not in response_body
