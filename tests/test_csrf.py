"""CSRF protection of the GraphQL endpoint for session-cookie requests.

A logged-in Wagtail user may call the API from the browser, GraphiQL
included, with the session cookie. Every POST they make must then carry the
csrftoken cookie's value in ``X-CSRFToken``, as GraphiQL sends it. Requests
with a bearer token need no CSRF token.
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

import pytest
import requests
from django.conf import settings
from django.core.files.images import ImageFile
from django.test import Client
from wagtail.images import get_image_model
from wagtail.log_actions import registry as log_action_registry

from tests.conftest import (
    GRAPHQL_PATH,
    UPLOAD_MUTATION,
    GraphQLClient,
    media_files,
    multipart_body,
    photo_bytes,
)
from wagtail_write_graphql.csrf import CSRF_FAILED_MESSAGE

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.http import HttpResponse
    from wagtail.images.models import AbstractImage
    from wagtail.models import Collection

LIST_QUERY = "{ images { totalCount items { id } } }"
UPDATE_MUTATION = (
    "mutation Update($id: ID!, $title: String!) { updateImage(id: $id, title: $title) { id title } }"
)

#: Title of the image every test starts with.
ORIGINAL_TITLE = "Harbour"


@pytest.fixture
def image(superuser: AbstractBaseUser, root_collection: Collection) -> AbstractImage:
    return get_image_model().objects.create(
        title=ORIGINAL_TITLE,
        file=ImageFile(io.BytesIO(photo_bytes()), name="harbour.jpg"),
        collection=root_collection,
        uploaded_by_user=superuser,
    )


@pytest.fixture
def browser(superuser: AbstractBaseUser) -> Client:
    """A logged-in browser session whose POSTs Django checks for CSRF."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser)
    return client


def open_graphiql(client: Client) -> HttpResponse:
    return client.get(GRAPHQL_PATH, headers={"Accept": "text/html"})


def csrf_cookie(client: Client) -> str:
    return client.cookies[settings.CSRF_COOKIE_NAME].value


def post_json(
    client: Client, query: str, variables: dict[str, Any], headers: dict[str, str] | None = None
) -> HttpResponse:
    return client.post(
        GRAPHQL_PATH,
        data={"query": query, "variables": variables},
        content_type="application/json",
        headers=headers or {},
    )


def image_log_actions() -> list[tuple[str, int | None]]:
    log_model = log_action_registry.get_log_model_for_model(get_image_model())
    return list(log_model.objects.values_list("action", "user_id"))


def assert_csrf_rejection(response: HttpResponse) -> None:
    assert response.status_code == 403
    payload = json.loads(response.content)
    assert payload["data"] is None
    assert payload["errors"][0]["message"] == CSRF_FAILED_MESSAGE
    assert payload["errors"][0]["extensions"] == {"code": "FORBIDDEN"}


def test_graphiql_sets_csrf_cookie(browser: Client) -> None:
    response = open_graphiql(browser)

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert settings.CSRF_COOKIE_NAME in response.cookies
    assert response.cookies[settings.CSRF_COOKIE_NAME].value
    # Strawberry's GraphiQL page copies this cookie into its request headers.
    assert b'Cookies.get("csrftoken")' in response.content
    assert b'defaultHeaders["x-csrftoken"]' in response.content


def test_mutation_without_csrf_token(browser: Client, image: AbstractImage) -> None:
    open_graphiql(browser)

    response = post_json(browser, UPDATE_MUTATION, {"id": str(image.pk), "title": "Changed"})

    assert_csrf_rejection(response)
    image.refresh_from_db()
    assert image.title == ORIGINAL_TITLE
    assert image_log_actions() == []


def test_mutation_without_csrf_cookie(browser: Client, image: AbstractImage) -> None:
    response = post_json(browser, UPDATE_MUTATION, {"id": str(image.pk), "title": "Changed"})

    assert_csrf_rejection(response)
    image.refresh_from_db()
    assert image.title == ORIGINAL_TITLE


def test_mutation_with_wrong_csrf_token(browser: Client, image: AbstractImage) -> None:
    open_graphiql(browser)
    # Right length and alphabet, but not this browser's secret.
    wrong_token = "a" * len(csrf_cookie(browser))

    response = post_json(
        browser,
        UPDATE_MUTATION,
        {"id": str(image.pk), "title": "Changed"},
        {"X-CSRFToken": wrong_token},
    )

    assert_csrf_rejection(response)
    image.refresh_from_db()
    assert image.title == ORIGINAL_TITLE


def test_mutation_from_foreign_origin(browser: Client, image: AbstractImage) -> None:
    """A correct token does not help a request that another site's page sent."""
    open_graphiql(browser)

    response = post_json(
        browser,
        UPDATE_MUTATION,
        {"id": str(image.pk), "title": "Changed"},
        {"X-CSRFToken": csrf_cookie(browser), "Origin": "http://attacker.invalid"},
    )

    assert_csrf_rejection(response)
    image.refresh_from_db()
    assert image.title == ORIGINAL_TITLE


def test_mutation_with_csrf_token(
    browser: Client, image: AbstractImage, superuser: AbstractBaseUser
) -> None:
    open_graphiql(browser)

    response = post_json(
        browser,
        UPDATE_MUTATION,
        {"id": str(image.pk), "title": "Changed"},
        {"X-CSRFToken": csrf_cookie(browser)},
    )

    assert response.status_code == 200
    assert json.loads(response.content)["data"]["updateImage"]["title"] == "Changed"
    image.refresh_from_db()
    assert image.title == "Changed"
    assert image_log_actions() == [("wagtail.edit", superuser.pk)]


def test_upload_without_csrf_token(browser: Client) -> None:
    open_graphiql(browser)
    data = multipart_body(UPLOAD_MUTATION, {}, {"file": ("photo.jpg", photo_bytes())})

    response = browser.post(GRAPHQL_PATH, data=data)

    assert_csrf_rejection(response)
    assert not get_image_model().objects.exists()
    assert media_files() == set()
    assert image_log_actions() == []


def test_upload_with_csrf_token(browser: Client, superuser: AbstractBaseUser) -> None:
    open_graphiql(browser)
    data = multipart_body(UPLOAD_MUTATION, {}, {"file": ("photo.jpg", photo_bytes())})

    response = browser.post(
        GRAPHQL_PATH, data=data, headers={"X-CSRFToken": csrf_cookie(browser)}
    )

    assert response.status_code == 200
    uploaded = json.loads(response.content)["data"]["uploadImage"]
    image = get_image_model().objects.get(pk=uploaded["id"])
    assert image.uploaded_by_user_id == superuser.pk
    assert image.file.name in media_files()


def test_post_query_without_csrf_token(browser: Client, image: AbstractImage) -> None:
    """Every session POST is checked, not only mutations."""
    open_graphiql(browser)

    response = post_json(browser, LIST_QUERY, {})

    assert_csrf_rejection(response)


def test_get_query_needs_no_csrf_token(browser: Client, image: AbstractImage) -> None:
    response = browser.get(GRAPHQL_PATH, {"query": LIST_QUERY})

    assert response.status_code == 200
    assert json.loads(response.content)["data"]["images"]["totalCount"] == 1


def test_get_mutation_not_executed(browser: Client, image: AbstractImage) -> None:
    """A mutation cannot dodge the CSRF check by using GET."""
    query = f'mutation {{ updateImage(id: "{image.pk}", title: "Changed") {{ id }} }}'

    response = browser.get(GRAPHQL_PATH, {"query": query})

    assert response.status_code == 400
    assert json.loads(response.content)["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    image.refresh_from_db()
    assert image.title == ORIGINAL_TITLE
    assert image_log_actions() == []


def test_bearer_token_needs_no_csrf_token(
    superuser_token: str, image: AbstractImage, superuser: AbstractBaseUser
) -> None:
    client = GraphQLClient(superuser_token, Client(enforce_csrf_checks=True))

    response = client.execute(UPDATE_MUTATION, {"id": str(image.pk), "title": "Changed"})

    assert response.status_code == 200
    assert json.loads(response.content)["data"]["updateImage"]["title"] == "Changed"
    assert image_log_actions() == [("wagtail.edit", superuser.pk)]


def test_bearer_token_with_session_needs_no_csrf(
    superuser_token: str, browser: Client, image: AbstractImage
) -> None:
    """The header decides, so the session cookie does not add a CSRF duty."""
    client = GraphQLClient(superuser_token, browser)

    response = client.execute(UPDATE_MUTATION, {"id": str(image.pk), "title": "Changed"})

    assert response.status_code == 200
    image.refresh_from_db()
    assert image.title == "Changed"


def test_anonymous_post_not_csrf_checked(image: AbstractImage) -> None:
    """Without a session there is nothing to forge, so the mutation's own check decides."""
    client = GraphQLClient(client=Client(enforce_csrf_checks=True))

    response = client.execute(UPDATE_MUTATION, {"id": str(image.pk), "title": "Changed"})

    assert response.status_code == 200
    payload = json.loads(response.content)
    assert payload["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    image.refresh_from_db()
    assert image.title == ORIGINAL_TITLE


def test_rest_write_without_csrf_token(browser: Client, image: AbstractImage) -> None:
    """The REST shim applies the same CSRF rule to session-cookie writes."""
    open_graphiql(browser)

    response = browser.patch(
        f"/api/write/v1/images/{image.pk}/",
        data=json.dumps({"title": "Changed"}),
        content_type="application/json",
    )

    assert response.status_code == 403
    problem = json.loads(response.content)
    assert problem["code"] == "FORBIDDEN"
    assert problem["detail"] == CSRF_FAILED_MESSAGE
    image.refresh_from_db()
    assert image.title == ORIGINAL_TITLE


def test_rest_write_with_csrf_token(browser: Client, image: AbstractImage) -> None:
    open_graphiql(browser)

    response = browser.patch(
        f"/api/write/v1/images/{image.pk}/",
        data=json.dumps({"title": "Changed"}),
        content_type="application/json",
        headers={"X-CSRFToken": csrf_cookie(browser)},
    )

    assert response.status_code == 200
    image.refresh_from_db()
    assert image.title == "Changed"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_browser_flow_on_live_server(live_server, image: AbstractImage) -> None:
    """GraphiQL's own steps over real HTTP: load the page, then post with its cookie."""
    django_client = Client()
    django_client.force_login(image.uploaded_by_user)
    session = requests.Session()
    session.cookies.set(
        settings.SESSION_COOKIE_NAME, django_client.cookies[settings.SESSION_COOKIE_NAME].value
    )
    url = live_server.url + GRAPHQL_PATH
    body = {"query": UPDATE_MUTATION, "variables": {"id": str(image.pk), "title": "Changed"}}

    page = session.get(url, headers={"Accept": "text/html"}, timeout=30)
    csrf_token = session.cookies.get(settings.CSRF_COOKIE_NAME)
    rejected = session.post(url, json=body, timeout=30)
    title_after_rejection = get_image_model().objects.get(pk=image.pk).title
    accepted = session.post(url, json=body, headers={"X-CSRFToken": csrf_token}, timeout=30)

    assert page.status_code == 200
    assert csrf_token
    assert rejected.status_code == 403
    assert rejected.json()["errors"][0]["message"] == CSRF_FAILED_MESSAGE
    assert title_after_rejection == ORIGINAL_TITLE
    assert accepted.status_code == 200
    assert accepted.json()["data"]["updateImage"]["title"] == "Changed"
