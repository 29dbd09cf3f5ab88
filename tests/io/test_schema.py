"""JSON Schema export and the generated field reference (staleness checks)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord.errors import InputError
from accord.io.schema import json_schema
from accord.io.schema_doc import render

REPO = Path(__file__).resolve().parents[2]
REGENERATE = (
    ".venv/bin/python -m accord.io.schema_doc > docs/case-format.md && "
    ".venv/bin/accord schema > docs/accord-case.schema.json"
)


def test_case_format_doc_is_current() -> None:
    committed = (REPO / "docs" / "case-format.md").read_text(encoding="utf-8")
    assert committed == render(), f"docs/case-format.md is stale; regenerate: {REGENERATE}"


def test_committed_json_schema_is_current() -> None:
    committed = json.loads((REPO / "docs" / "accord-case.schema.json").read_text("utf-8"))
    assert committed == json_schema("case"), f"schema is stale; regenerate: {REGENERATE}"


def test_schema_has_id_title_and_dialect() -> None:
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/accord-case.schema.json")
    assert schema["title"] == "accord case file"


def _properties(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = [("Case." + k, v) for k, v in schema["properties"].items()]
    for name, definition in schema["$defs"].items():
        found += [(f"{name}.{k}", v) for k, v in definition.get("properties", {}).items()]
    return found


def test_every_case_field_has_a_description() -> None:
    missing = [name for name, prop in _properties(json_schema()) if not prop.get("description")]
    assert missing == []


def test_every_case_field_is_in_the_reference() -> None:
    page = render()
    for name, _ in _properties(json_schema()):
        assert f"| `{name.split('.', 1)[1]}` |" in page, name


def test_estimate_schema_allows_number_or_range() -> None:
    estimate = json_schema()["$defs"]["Estimate"]
    assert {"type": "number"} in estimate["anyOf"]


def test_unknown_kind_suggests() -> None:
    with pytest.raises(InputError, match=r"unknown kind 'cse' \(did you mean 'case'\?\)"):
        json_schema("cse")
