"""The committed ``schema.graphql`` matches the live schema."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command

from wagtail_write_graphql.graphql.schema import schema

#: Exported SDL kept at the repository root for clients and code generators.
SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"

#: The command that regenerates the file, quoted in the failure message.
EXPORT_COMMAND = (
    "python sandbox/manage.py export_schema "
    "wagtail_write_graphql.graphql.schema:schema --path schema.graphql"
)


def test_schema_file_matches_live_schema(tmp_path):
    exported = tmp_path / "schema.graphql"
    call_command("export_schema", "wagtail_write_graphql.graphql.schema:schema", path=str(exported))

    assert SCHEMA_FILE.read_text(encoding="utf-8") == exported.read_text(encoding="utf-8"), (
        f"schema.graphql is out of date; regenerate it with: {EXPORT_COMMAND}"
    )


def test_schema_file_has_operations():
    sdl = SCHEMA_FILE.read_text(encoding="utf-8")

    for operation in ("images(", "image(", "uploadImage(", "updateImage(", "deleteImage("):
        assert operation in sdl
    assert schema.get_type_by_name("Image") is not None
