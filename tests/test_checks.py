"""Django system checks of the ``WAGTAIL_WRITE_API`` setting."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.core.checks import Error, run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

if TYPE_CHECKING:
    from django.core.checks import CheckMessage

#: Prefix of every check id this app registers.
APP_CHECK_PREFIX = "wagtail_write_graphql."


def _app_messages(**settings: Any) -> list[CheckMessage]:
    """Run every system check under ``WAGTAIL_WRITE_API=settings`` and keep this app's."""
    with override_settings(WAGTAIL_WRITE_API=settings):
        messages = run_checks()
    return [message for message in messages if (message.id or "").startswith(APP_CHECK_PREFIX)]


def _ids(messages: list[CheckMessage]) -> list[str]:
    return [message.id for message in messages]


def test_checks_default_settings_clean() -> None:
    messages = [
        message
        for message in run_checks()
        if (message.id or "").startswith(APP_CHECK_PREFIX)
    ]

    assert messages == []


def test_checks_valid_renditions_clean() -> None:
    messages = _app_messages(
        IMAGE_RENDITIONS={
            "small": "fill-200x200",
            "wide": "width-300",
            "webp": "max-800x600|format-webp",
            "focused": "fill-100x100-c50",
        }
    )

    assert messages == []


def test_check_command_default_settings() -> None:
    """``manage.py check`` passes with the default settings."""
    call_command("check", verbosity=0)


@pytest.mark.parametrize("spec", ["bogus-1x1", "fill-axb", "max-800", "", "fill-100x100|bogus"])
def test_check_invalid_spec(spec: str) -> None:
    messages = _app_messages(IMAGE_RENDITIONS={"thumbnail": "fill-100x100", "broken": spec})

    assert _ids(messages) == ["wagtail_write_graphql.E001"]
    assert isinstance(messages[0], Error)
    assert "'broken'" in messages[0].msg
    assert repr(spec) in messages[0].msg


def test_check_every_invalid_spec() -> None:
    messages = _app_messages(IMAGE_RENDITIONS={"one": "bogus-1x1", "two": "fill-axb"})

    assert _ids(messages) == ["wagtail_write_graphql.E001", "wagtail_write_graphql.E001"]
    assert "'one'" in messages[0].msg
    assert "'two'" in messages[1].msg


@pytest.mark.parametrize("spec", [None, 100, ["fill-100x100"]])
def test_check_spec_not_a_string(spec: object) -> None:
    messages = _app_messages(IMAGE_RENDITIONS={"thumbnail": spec})

    assert _ids(messages) == ["wagtail_write_graphql.E001"]


@pytest.mark.parametrize("renditions", [{}, [], "fill-100x100", None])
def test_check_renditions_not_a_mapping(renditions: object) -> None:
    messages = _app_messages(IMAGE_RENDITIONS=renditions)

    assert _ids(messages) == ["wagtail_write_graphql.E001"]


@pytest.mark.parametrize("spec", ["fill-0x0", "fill-0x100", "fill-100x0"])
def test_check_zero_size_fill(spec: str) -> None:
    """A fill with a zero side parses, but generating it raises ``ZeroDivisionError``.

    Every listing and upload would then fail with ``INTERNAL_SERVER_ERROR``,
    so the check must report the spec at start-up.
    """
    messages = _app_messages(IMAGE_RENDITIONS={"thumbnail": spec})

    assert _ids(messages) == ["wagtail_write_graphql.E001"]


def test_check_command_reports_invalid_spec() -> None:
    with override_settings(WAGTAIL_WRITE_API={"IMAGE_RENDITIONS": {"broken": "bogus-1x1"}}):
        with pytest.raises(SystemCheckError) as raised:
            call_command("check", verbosity=0)

    assert "wagtail_write_graphql.E001" in str(raised.value)
    assert "bogus-1x1" in str(raised.value)


@pytest.mark.parametrize("name", ["DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE"])
@pytest.mark.parametrize("value", [0, -5, "20", 2.5, True, None])
def test_check_page_size_invalid(name: str, value: object) -> None:
    messages = _app_messages(**{name: value})

    assert _ids(messages) == ["wagtail_write_graphql.E002"]
    assert name in messages[0].msg


@pytest.mark.parametrize("name", ["DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE"])
def test_check_page_size_valid(name: str) -> None:
    assert _app_messages(**{name: 1}) == []


@override_settings(WAGTAIL_WRITE_API={"MAX_PAGESIZE": 50})
def test_check_unknown_key_warns() -> None:
    messages = [message for message in run_checks() if message.id == "wagtail_write_graphql.W001"]

    assert len(messages) == 1
    assert "'MAX_PAGESIZE'" in messages[0].msg


@override_settings(WAGTAIL_WRITE_API={"MAX_PAGE_SIZE": 50})
def test_check_known_key_no_warning() -> None:
    ids = [message.id for message in run_checks()]

    assert "wagtail_write_graphql.W001" not in ids
