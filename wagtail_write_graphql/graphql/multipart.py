"""Validation of GraphQL request bodies before Strawberry reads them.

Strawberry (0.341) trusts the decoded JSON. ``parse_http_body`` calls
``.get()`` on whatever a JSON body decodes to, and
``replace_placeholders_with_files`` walks the ``operations`` object along
each ``map`` path as given. A body such as ``null``, a map entry that is not
a list, or a path through a string raised ``AttributeError`` or
``TypeError`` there and became HTTP 500. :func:`validate_request_body` checks
every shape that the GraphQL multipart request spec
(https://github.com/jaydenseric/graphql-multipart-request-spec) allows and
raises :class:`~wagtail_write_graphql.errors.APIError` with code
``BAD_REQUEST`` for anything else, so Strawberry receives only requests it
can handle. The ``operations`` field of a multipart request has the same shape as
a JSON request body, so both are checked by :func:`validate_operations`.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadedfile import UploadedFile
from django.http import UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from graphql import GraphQLError
from strawberry.http.parse_content_type import parse_content_type
from strawberry.types.scalar import scalar

from ..errors import APIError, bad_request
from ..json_input import describe_json_type, load_json, load_json_body
from . import limits

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from django.http import HttpRequest, QueryDict
    from django.utils.datastructures import MultiValueDict

#: Name of the multipart field with the JSON operations object (or list).
OPERATIONS_FIELD = "operations"

#: Name of the multipart field with the JSON ``{file part name: [paths]}`` map.
MAP_FIELD = "map"

#: Django's CSRF form field. It is accepted besides the two spec fields so a
#: session-authenticated client may send its CSRF token in the form.
CSRF_FIELD = "csrfmiddlewaretoken"

#: Every non-file field a multipart request may contain.
ALLOWED_FORM_FIELDS = frozenset({OPERATIONS_FIELD, MAP_FIELD, CSRF_FIELD})

#: A list index in an operations path: decimal, no sign, no leading zero.
_LIST_INDEX_RE = re.compile(r"0|[1-9][0-9]*")

#: The example path that error messages show.
_EXAMPLE_PATH = "variables.file"


def validate_operations(operations: object, label: str) -> None:
    """Check one GraphQL operation object, or a batch of them.

    ``label`` names the checked value in messages, e.g. "The request body".
    A list is a batch, which :func:`~.limits.check_batch` allows or rejects.
    """
    if isinstance(operations, list):
        limits.check_batch(len(operations))
        for index, operation in enumerate(operations):
            _check_operation(operation, f"Operation {index} of the batch")
        return
    if not isinstance(operations, dict):
        raise bad_request(
            f"{label} must be a JSON object with a GraphQL 'query', not "
            f"{describe_json_type(operations)}."
        )
    _check_operation(operations, label)


def _check_operation(operation: object, label: str) -> None:
    if not isinstance(operation, dict):
        raise bad_request(f"{label} must be a JSON object, not {describe_json_type(operation)}.")
    expected_types = (
        ("query", str, "a string"),
        ("operationName", str, "a string"),
        ("variables", dict, "an object"),
        ("extensions", dict, "an object"),
    )
    for key, expected_type, expected in expected_types:
        value = operation.get(key)
        if value is not None and not isinstance(value, expected_type):
            raise bad_request(
                f"{label}: '{key}' must be {expected} or null, not {describe_json_type(value)}."
            )


def validate_request_body(request: HttpRequest) -> None:
    """Check the body of a POST request that Strawberry is about to parse.

    Uses the same content type test as Strawberry's ``parse_http_body``.
    Other content types and methods are left to Strawberry, which rejects
    them with its own HTTP 400 or 405.
    """
    if request.method != "POST":
        return
    content_type, _params = parse_content_type(request.content_type or "")
    if "application/json" in content_type:
        label = "The request body"
        validate_operations(load_json_body(request, label), label)
    elif content_type == "multipart/form-data":
        validate_multipart(request.POST, request.FILES)


def validate_multipart(form: QueryDict, files: MultiValueDict) -> None:
    """Check a GraphQL multipart request, given Django's parsed form and files."""
    label = f"The '{OPERATIONS_FIELD}' field"
    operations = load_json(_single_form_field(form, files, OPERATIONS_FIELD), label)
    validate_operations(operations, label)

    label = f"The '{MAP_FIELD}' field"
    file_map = load_json(
        _single_form_field(form, files, MAP_FIELD), label, reject_duplicate_keys=True
    )
    if not isinstance(file_map, dict):
        raise bad_request(
            f"{label} must be a JSON object of {{file part name: [operations paths]}}, "
            f"not {describe_json_type(file_map)}."
        )

    _check_form_fields(form, file_map)
    _check_file_parts(files, file_map)
    mapped_paths: set[str] = set()
    for part_name, paths in file_map.items():
        for path in _map_entry_paths(part_name, paths):
            if path in mapped_paths:
                raise bad_request(
                    f"The operations path {path!r} is mapped more than once in the "
                    f"'{MAP_FIELD}' field. Each path takes one file."
                )
            mapped_paths.add(path)
            _check_operations_path(operations, part_name, path)


def _single_form_field(form: QueryDict, files: MultiValueDict, name: str) -> str:
    values = form.getlist(name)
    if not values:
        if name in files:
            raise bad_request(f"The '{name}' part must be a form field, not a file.")
        raise bad_request(
            f"The multipart request has no '{name}' field. The GraphQL multipart "
            f"request spec requires the '{OPERATIONS_FIELD}' and '{MAP_FIELD}' fields, "
            "then the file parts."
        )
    if len(values) > 1:
        raise bad_request(f"The '{name}' field was sent {len(values)} times. Send it once.")
    return values[0]


def _check_form_fields(form: QueryDict, file_map: dict[str, Any]) -> None:
    for name in form:
        if name in ALLOWED_FORM_FIELDS:
            continue
        if name in file_map:
            raise bad_request(
                f"The part {name!r} named in the '{MAP_FIELD}' field is a form field, not a "
                "file. Send each file as a part with a non-empty filename."
            )
        raise bad_request(
            f"Unexpected form field {name!r}. A GraphQL multipart request has only the "
            f"'{OPERATIONS_FIELD}' and '{MAP_FIELD}' fields and the file parts named in "
            f"'{MAP_FIELD}'."
        )


def _check_file_parts(files: MultiValueDict, file_map: dict[str, Any]) -> None:
    limits.check_upload_count(sum(len(files.getlist(name)) for name in files))
    for name in files:
        count = len(files.getlist(name))
        if count > 1:
            raise bad_request(
                f"The file part {name!r} was sent {count} times. Each file part needs a "
                "unique name."
            )
        if name not in file_map:
            raise bad_request(
                f"The file part {name!r} is not named in the '{MAP_FIELD}' field. Map every "
                "file part to the operations paths it fills."
            )
    for name in file_map:
        if name not in files:
            raise bad_request(
                f"The '{MAP_FIELD}' field names the file part {name!r}, but the request has "
                "no file part with that name."
            )


def _map_entry_paths(part_name: str, paths: object) -> list[str]:
    """Return the paths of one map entry after checking that they are strings."""
    label = f"The '{MAP_FIELD}' entry {part_name!r}"
    if not isinstance(paths, list):
        raise bad_request(
            f"{label} must be a list of operations paths such as [\"{_EXAMPLE_PATH}\"], "
            f"not {describe_json_type(paths)}."
        )
    if not paths:
        raise bad_request(f"{label} is an empty list: list the operations paths of the file.")
    for path in paths:
        if not isinstance(path, str):
            raise bad_request(
                f"{label} contains {describe_json_type(path)}. Each operations path must be "
                f"a string such as \"{_EXAMPLE_PATH}\"."
            )
    return paths


def _check_operations_path(operations: object, part_name: str, path: str) -> None:
    """Check that ``path`` leads to a ``null`` placeholder inside an operation's variables.

    The spec uses ``object-path`` syntax: keys joined by dots, with list
    indexes as decimal keys. A batch path starts with the operation's index.
    """

    def invalid(reason: str) -> APIError:
        return bad_request(
            f"The '{MAP_FIELD}' entry {part_name!r} has an invalid operations path "
            f"{path!r}: {reason}."
        )

    keys = path.split(".")
    operation = operations
    prefix = "variables."
    if isinstance(operations, list):
        index = _list_index(keys.pop(0))
        if index is None or index >= len(operations):
            raise invalid(
                "a path in a batch must start with the index of an operation, "
                f"0 to {len(operations) - 1}"
            )
        operation = operations[index]
        prefix = f"{index}.variables."
    if len(keys) < 2 or keys[0] != "variables":
        raise invalid(f"a path must start with {prefix!r} followed by a variable name")

    target: Any = operation.get("variables")
    if target is None:
        raise invalid("the operation has no 'variables' object")
    walked = ["variables"]
    for key in keys[1:]:
        target = _child(target, key, ".".join(walked), invalid)
        walked.append(key)
    if target is not None:
        raise invalid(
            f"the value there is {describe_json_type(target)}, but the spec requires null "
            "in place of each file"
        )


def _child(
    container: object, key: str, where: str, invalid: Callable[[str], APIError]
) -> Any:
    if isinstance(container, dict):
        if key not in container:
            raise invalid(f"'{where}' has no key {key!r}")
        return container[key]
    if isinstance(container, list):
        index = _list_index(key)
        if index is None:
            raise invalid(f"'{where}' is a list, so the next key must be an index, not {key!r}")
        if index >= len(container):
            raise invalid(
                f"index {index} is out of range for '{where}', a list of {len(container)} items"
            )
        return container[index]
    raise invalid(f"'{where}' is {describe_json_type(container)}, which has no key {key!r}")


def _list_index(key: str) -> int | None:
    return int(key) if _LIST_INDEX_RE.fullmatch(key) else None


@contextmanager
def django_parse_errors() -> Iterator[None]:
    """Turn Django's errors from reading the request body into :class:`APIError`.

    Without this, Django returns its own HTML error page for them, or HTTP 500
    for a body that cannot be read.
    """
    try:
        yield
    except RequestDataTooBig:
        raise limits.RequestTooLarge(
            "The request's non-file data is larger than the server's limit of "
            f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes (Django's "
            "DATA_UPLOAD_MAX_MEMORY_SIZE)."
        ) from None
    except (TooManyFieldsSent, TooManyFilesSent) as exc:
        raise bad_request(f"The multipart request has too many parts: {exc}") from None
    except MultiPartParserError as exc:
        raise bad_request(f"The multipart body is malformed: {exc}") from None
    except UnreadablePostError:
        raise bad_request("The request body could not be read completely.") from None


def parse_upload(value: object) -> UploadedFile:
    """Return ``value`` if it is an uploaded file, or raise a ``GraphQLError``.

    Strawberry's own ``Upload`` scalar passes any value through, so a string
    in place of a file reached the resolver and failed there as a server
    error.
    """
    if isinstance(value, UploadedFile):
        return value
    raise GraphQLError(
        "Upload value must be a file sent as a part of a GraphQL multipart request, "
        f"not {describe_json_type(value)}."
    )


def _serialize_upload(value: object) -> object:
    # Upload is an input type, so nothing serializes it. Strawberry's own
    # definition returns the value unchanged too.
    return value


#: The ``Upload`` scalar, which accepts only uploaded files. The schema uses
#: it in place of Strawberry's through ``scalar_overrides``. The description
#: is Strawberry's, so the exported SDL does not change.
UPLOAD_SCALAR = scalar(
    name="Upload",
    description="Represents a file upload.",
    serialize=_serialize_upload,
    parse_value=parse_upload,
)
