"""Arbitrary client input never makes the REST shim fail with a 500 or send HTML."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_rest_helpers import (
    IMAGES_PATH,
    PROBLEM_CONTENT_TYPE,
    RestClient,
    create_image,
    empty_rendition_cache,  # noqa: F401 - fixture
    image_path,
    rest,  # noqa: F401 - fixture
)

if TYPE_CHECKING:
    from django.http import HttpResponse
    from wagtail.images.models import AbstractImage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_rendition_cache")]

#: Fixtures stay the same across examples, which is what these tests want:
#: every example acts on the same image and client.
FUZZ_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

#: Query parameter values: digits, signs and any other text.
PARAMETER_VALUES = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=30),
)


@pytest.fixture
def image(db: None) -> AbstractImage:
    return create_image("Fuzzed image")


def _content_type_matches_status(response: HttpResponse) -> bool:
    if response.status_code >= 400:
        return response["Content-Type"] == PROBLEM_CONTENT_TYPE
    return response["Content-Type"] == "application/json"


@FUZZ_SETTINGS
@given(search=st.text(max_size=40), offset=PARAMETER_VALUES, limit=PARAMETER_VALUES)
def test_list_parameters_fuzzed(
    rest: RestClient, image: AbstractImage, search: str, offset: str, limit: str
) -> None:
    response = rest.get(IMAGES_PATH, {"search": search, "offset": offset, "limit": limit})

    assert response.status_code in {200, 400}, response.content
    assert _content_type_matches_status(response)


@FUZZ_SETTINGS
@given(body=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)))
def test_patch_body_fuzzed(rest: RestClient, image: AbstractImage, body: bytes) -> None:
    response = rest.patch(image_path(image.pk), body)

    assert response.status_code in {200, 400, 415, 422}, response.content
    assert _content_type_matches_status(response)


@FUZZ_SETTINGS
@given(
    title=st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        st.text(max_size=300),
        # Includes unpaired surrogates, which json.dumps writes as \ud800 escapes.
        st.text(st.characters(exclude_categories=[]), max_size=20),
        st.lists(st.text(max_size=5), max_size=3),
    )
)
def test_patch_title_fuzzed(rest: RestClient, image: AbstractImage, title: object) -> None:
    response = rest.patch(image_path(image.pk), json.dumps({"title": title}))

    assert response.status_code in {200, 422}, response.content
    assert _content_type_matches_status(response)


@FUZZ_SETTINGS
@given(segment=st.text(min_size=1, max_size=30).filter(lambda text: "/" not in text))
def test_detail_path_fuzzed(rest: RestClient, image: AbstractImage, segment: str) -> None:
    response = rest.get(image_path(segment))

    assert response.status_code in {200, 404}, response.content
    assert _content_type_matches_status(response)
