"""The curl examples of docs/rest-api.md, run for real against a live server.

Each ``sh`` block with a curl command is followed by an ``http`` block with
the documented status line, headers and JSON body. The test runs the
commands in order with the real curl binary and compares each response with
its block: the status, every documented header, and the body's members and
their values. Values that differ on every run (dates, messages) are compared
by type only.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import make_token, media_files, photo_path
from tests.test_rest_helpers import empty_rendition_cache  # noqa: F401 - fixture

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from pytest_django.live_server_helper import LiveServer

DOCS_FILE = Path(__file__).resolve().parent.parent / "docs" / "rest-api.md"

#: Host and port that the documentation's URLs use.
DOCUMENTED_ORIGIN = "http://localhost:8000"

#: Flags added to every documented command: print the status line and
#: headers, fail loudly, and never send local traffic through a proxy.
CURL_TEST_FLAGS = ["--silent", "--show-error", "--include", "--noproxy", "*", "--max-time", "60"]

#: Members whose documented values are examples, compared by JSON type only.
EXAMPLE_VALUE_KEYS = {"created_at", "detail", "message"}

_BLOCK_RE = re.compile(r"^```(?P<lang>\w*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Example:
    """One documented command and the response the documentation shows."""

    command: str
    status: int
    headers: dict[str, str]
    body: Any


@dataclass(frozen=True)
class CurlResponse:
    status: int
    headers: dict[str, str]
    body: bytes


def _parse_http_block(block: str) -> tuple[int, dict[str, str], Any]:
    head, _, body = block.partition("\n\n")
    status_line, *header_lines = head.strip().splitlines()
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, json.loads(body) if body.strip() else None


def load_examples(text: str) -> list[Example]:
    """Pair each curl block with the ``http`` block that follows it."""
    examples = []
    blocks = [(match["lang"], match["body"]) for match in _BLOCK_RE.finditer(text)]
    for (lang, body), (next_lang, next_body) in zip(blocks, blocks[1:]):
        if lang == "sh" and body.lstrip().startswith("curl"):
            assert next_lang == "http", f"No http block follows the example: {body}"
            status, headers, expected_body = _parse_http_block(next_body)
            command = body.replace("\\\n", " ").strip()
            examples.append(Example(command, status, headers, expected_body))
    return examples


def _parse_curl_output(output: bytes) -> CurlResponse:
    head, _, body = output.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return CurlResponse(int(status_line.split()[1]), headers, body)


def run_curl(command: str, origin: str, token: str, cwd: Path) -> CurlResponse:
    """Run a documented command against ``origin`` with the real curl binary."""
    arguments = shlex.split(command.replace("$TOKEN", token))
    assert arguments[0] == "curl"
    arguments = [argument.replace(DOCUMENTED_ORIGIN, origin) for argument in arguments]
    assert any(argument.startswith(origin) for argument in arguments), command
    completed = subprocess.run(
        [shutil.which("curl") or "curl", *CURL_TEST_FLAGS, *arguments[1:]],
        cwd=cwd,
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr.decode()
    return _parse_curl_output(completed.stdout)


def assert_matches_example(expected: Any, actual: Any, path: str = "body") -> None:
    """Compare documented JSON with real JSON: same members, same values.

    Members named in ``EXAMPLE_VALUE_KEYS``, and a problem's ``title`` (the
    status phrase, which differs between Python versions), need only the
    same JSON type.
    """
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected an object, got {actual!r}"
        assert set(actual) == set(expected), f"{path}: members differ"
        loose = EXAMPLE_VALUE_KEYS | ({"title"} if "status" in expected else set())
        for key, value in expected.items():
            if key in loose:
                assert type(actual[key]) is type(value), f"{path}.{key}: type differs"
            else:
                assert_matches_example(value, actual[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: expected an array, got {actual!r}"
        assert len(actual) == len(expected), f"{path}: length differs"
        for index, (expected_item, actual_item) in enumerate(zip(expected, actual)):
            assert_matches_example(expected_item, actual_item, f"{path}[{index}]")
    else:
        assert type(actual) is type(expected), f"{path}: type differs"
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


def test_docs_have_every_endpoint() -> None:
    commands = [example.command for example in load_examples(DOCS_FILE.read_text())]

    assert any("-X POST" in command and "file=@photo.jpg" in command for command in commands)
    assert any("?search=" in c and "offset=" in c and "limit=" in c for c in commands)
    assert any("-X PATCH" in command for command in commands)
    assert any("-X DELETE" in command for command in commands)
    assert any("openapi.json" in command for command in commands)


def test_docs_contract_upload_example() -> None:
    text = DOCS_FILE.read_text()

    assert (
        'curl -X POST -H "Authorization: Bearer $TOKEN" -F "file=@photo.jpg" '
        '-F "title=My Photo" http://localhost:8000/api/write/v1/images/'
    ) in text


def test_curl_available() -> None:
    assert shutil.which("curl") is not None, "The docs test needs the curl binary on PATH."


# serialized_rollback restores the root collection that Wagtail's migrations
# create, in case an earlier transactional test flushed it.
@pytest.mark.django_db(transaction=True, reset_sequences=True, serialized_rollback=True)
@pytest.mark.usefixtures("empty_rendition_cache")
def test_docs_examples_run(
    live_server: LiveServer, superuser: AbstractBaseUser, tmp_path: Path
) -> None:
    token = make_token(superuser)
    (tmp_path / "photo.jpg").symlink_to(photo_path("landscape_1.jpg"))
    examples = load_examples(DOCS_FILE.read_text())
    assert len(examples) >= 8

    for example in examples:
        response = run_curl(example.command, live_server.url, token, tmp_path)

        assert response.status == example.status, (example.command, response.body)
        for name, value in example.headers.items():
            assert response.headers.get(name) == value, (example.command, name)
        if example.body is None:
            assert example.status != 204 or response.body == b"", example.command
        else:
            assert_matches_example(example.body, json.loads(response.body))

    assert media_files() == set(), "The documented DELETE should have removed every file."
