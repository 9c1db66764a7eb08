"""Every bad input of ``tests/bad_inputs.py`` on both surfaces, and odd but valid listings.

A bad input must get its documented status and error code (and field code,
where there is one), never a 5xx, and must leave the database, MEDIA_ROOT and
Wagtail's audit log as they were. Requests go through Django's test client,
so the full middleware stack, Django's body parsers and the views run as they
do for a real server.
"""

from __future__ import annotations

import json
import logging
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from wagtail.images import get_image_model
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import APIToken

from tests.bad_inputs import (
    BAD_INPUTS,
    ODD_LISTINGS,
    Actor,
    BadInput,
    OddListing,
    Request,
    list_images,
    rest_list,
)
from tests.conftest import make_token, media_files, scaled_photo_bytes
from tests.helpers_images import create_image, create_user_without_permissions
from tests.test_rest_helpers import create_chooser
from wagtail_write_graphql.auth import WWW_AUTHENTICATE
from wagtail_write_graphql.renditions import create_configured_renditions

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.http import HttpResponse
    from wagtail.images.models import AbstractImage

pytestmark = pytest.mark.django_db

#: Title of the image every case may act on, matched by the odd searches.
IMAGE_TITLE = "Fuzzed image"

#: Media type of every REST error response.
PROBLEM_CONTENT_TYPE = "application/problem+json"

#: Logger of the package, which logs server faults at ERROR with a traceback.
PACKAGE_LOGGER = "wagtail_write_graphql"


@dataclass(frozen=True)
class World:
    """The test image and a plaintext token for every actor that has one."""

    image: AbstractImage
    tokens: dict[Actor, str]


@dataclass(frozen=True)
class Snapshot:
    """Rows, files and audit log entries that no rejected request may change."""

    images: list[tuple[int, str]]
    renditions: list[int]
    log_entries: list[int]
    media: set[str]

    @classmethod
    def take(cls) -> Snapshot:
        image_model = get_image_model()
        log_model = log_action_registry.get_log_model_for_model(image_model)
        return cls(
            images=sorted(image_model.objects.values_list("pk", "title")),
            renditions=sorted(
                image_model.get_rendition_model().objects.values_list("pk", flat=True)
            ),
            log_entries=sorted(log_model.objects.values_list("pk", flat=True)),
            media=media_files(),
        )


def _inactive_user_token() -> str:
    user = get_user_model().objects.create_user("inactive", "inactive@example.com", "pw")
    token = make_token(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    return token


def _revoked_token(user: AbstractBaseUser) -> str:
    record, token = APIToken.create_token(user=user, name="revoked")
    record.revoke()
    return token


@pytest.fixture
def world(superuser: AbstractBaseUser, superuser_token: str) -> World:
    """Store one image with its renditions, and a token for every actor."""
    image = create_image(IMAGE_TITLE, content=scaled_photo_bytes((64, 48)), file_name="fuzzed.jpg")
    create_configured_renditions(image)
    tokens = {
        Actor.SUPERUSER: superuser_token,
        Actor.NO_PERMISSIONS: make_token(create_user_without_permissions()),
        Actor.CHOOSER: make_token(create_chooser()),
        Actor.REVOKED_TOKEN: _revoked_token(superuser),
        Actor.INACTIVE_USER_TOKEN: _inactive_user_token(),
        Actor.UNKNOWN_TOKEN: APIToken.generate_token(),
    }
    return World(image=image, tokens=tokens)


def _authorization(case: BadInput, world: World) -> str | None:
    if case.actor is Actor.ANONYMOUS:
        return None
    if case.actor is Actor.RAW_HEADER:
        assert case.authorization is not None, case.case_id
        return case.authorization.replace("{token}", world.tokens[Actor.SUPERUSER])
    return f"Bearer {world.tokens[case.actor]}"


def send(request: Request, authorization: str | None) -> HttpResponse:
    """Send ``request`` through Django's test client, with its body and headers as given."""
    headers = {} if authorization is None else {"Authorization": authorization}
    environ: dict[str, str] = {}
    if request.content_type is not None:
        # The test client sets CONTENT_TYPE only for a non-empty body.
        environ["CONTENT_TYPE"] = request.content_type
    environ.update(request.environ)
    return Client().generic(
        request.method,
        request.path,
        data=request.body,
        content_type=request.content_type or "",
        headers=headers,
        query_params=request.query or None,
        **environ,
    )


def server_faults(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Return the package's ERROR records, each with its traceback."""
    faults = []
    for record in caplog.records:
        if record.name.startswith(PACKAGE_LOGGER) and record.levelno >= logging.ERROR:
            text = record.getMessage()
            if record.exc_info:
                text += "\n" + "".join(traceback.format_exception(*record.exc_info))
            faults.append(text)
    return faults


def graphql_errors(response: HttpResponse) -> list[dict[str, Any]]:
    body = json.loads(response.content)
    return body.get("errors") or []


def graphql_field_errors(error: dict[str, Any]) -> list[tuple[str, str]]:
    return [(item["field"], item["code"]) for item in error["extensions"].get("fields", [])]


def check_unchanged(before: Snapshot) -> None:
    after = Snapshot.take()
    assert after.images == before.images
    assert after.renditions == before.renditions
    assert after.log_entries == before.log_entries
    assert after.media == before.media


@pytest.fixture
def package_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Capture the package's records from INFO up, server faults included."""
    caplog.set_level(logging.INFO, logger=PACKAGE_LOGGER)
    return caplog


def send_case(case: BadInput, request: Request, world: World) -> HttpResponse:
    with override_settings(**case.settings):
        return send(request, _authorization(case, world))


@pytest.mark.parametrize("case", BAD_INPUTS, ids=[case.case_id for case in BAD_INPUTS])
def test_graphql_bad_input(
    case: BadInput, world: World, package_log: pytest.LogCaptureFixture
) -> None:
    expected = case.graphql_expected
    before = Snapshot.take()

    response = send_case(case, case.graphql(world.image.pk), world)

    faults = server_faults(package_log)
    assert response.status_code < 500, (response.content, faults)
    assert response.status_code == expected.status, response.content
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["data"] is None
    errors = graphql_errors(response)
    assert errors, response.content
    assert errors[0]["extensions"]["code"] == expected.code, (response.content, faults)
    if expected.field_error is not None:
        assert expected.field_error in graphql_field_errors(errors[0]), response.content
    if response.status_code == 401:
        assert response["WWW-Authenticate"] == WWW_AUTHENTICATE
    assert faults == []
    check_unchanged(before)


@pytest.mark.parametrize("case", BAD_INPUTS, ids=[case.case_id for case in BAD_INPUTS])
def test_rest_bad_input(
    case: BadInput, world: World, package_log: pytest.LogCaptureFixture
) -> None:
    expected = case.rest_expected
    before = Snapshot.take()

    response = send_case(case, case.rest(world.image.pk), world)

    faults = server_faults(package_log)
    assert response.status_code < 500, (response.content, faults)
    assert response.status_code == expected.status, response.content
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    problem = json.loads(response.content)
    assert problem["status"] == expected.status
    assert problem["code"] == expected.code, (response.content, faults)
    if expected.field_error is not None:
        field_errors = [(item["field"], item["code"]) for item in problem.get("errors", [])]
        assert expected.field_error in field_errors, response.content
    if response.status_code == 401:
        assert response["WWW-Authenticate"] == WWW_AUTHENTICATE
    assert faults == []
    check_unchanged(before)


def test_case_ids_unique() -> None:
    case_ids = [case.case_id for case in BAD_INPUTS]

    assert len(case_ids) == len(set(case_ids))


def test_case_count() -> None:
    assert len(BAD_INPUTS) >= 50


def _listing_parameters(listing: OddListing) -> dict[str, Any]:
    values = {"search": listing.search, "offset": listing.offset, "limit": listing.limit}
    return {name: value for name, value in values.items() if value is not None}


def _superuser_authorization(world: World) -> str:
    return f"Bearer {world.tokens[Actor.SUPERUSER]}"


@pytest.mark.parametrize("listing", ODD_LISTINGS, ids=[listing.case_id for listing in ODD_LISTINGS])
def test_graphql_odd_listing(
    listing: OddListing, world: World, package_log: pytest.LogCaptureFixture
) -> None:
    request = list_images(**_listing_parameters(listing))(world.image.pk)
    before = Snapshot.take()

    response = send(request, _superuser_authorization(world))

    faults = server_faults(package_log)
    assert response.status_code == 200, (response.content, faults)
    body = json.loads(response.content)
    assert body.get("errors") is None, (body, faults)
    page = body["data"]["images"]
    assert page["totalCount"] == listing.total_count
    item_ids = [int(item["id"]) for item in page["items"]]
    assert item_ids == ([world.image.pk] if listing.on_page else [])
    assert faults == []
    check_unchanged(before)


@pytest.mark.parametrize("listing", ODD_LISTINGS, ids=[listing.case_id for listing in ODD_LISTINGS])
def test_rest_odd_listing(
    listing: OddListing, world: World, package_log: pytest.LogCaptureFixture
) -> None:
    parameters = {name: str(value) for name, value in _listing_parameters(listing).items()}
    request = rest_list(**parameters)(world.image.pk)
    before = Snapshot.take()

    response = send(request, _superuser_authorization(world))

    faults = server_faults(package_log)
    assert response.status_code == 200, (response.content, faults)
    assert response["Content-Type"] == "application/json"
    page = json.loads(response.content)
    assert page["meta"]["total_count"] == listing.total_count
    item_ids = [item["id"] for item in page["items"]]
    assert item_ids == ([world.image.pk] if listing.on_page else [])
    assert faults == []
    check_unchanged(before)
