"""JSON Schema of accord's file formats, for editors (completion, hover docs, checking)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from pydantic import BaseModel

from accord.errors import InputError, did_you_mean

SCHEMA_BASE = "https://accord.dev/schema"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

# kind -> "module:Model"
MODELS: dict[str, str] = {
    "case": "accord.model.case:Case",
    "plan": "accord.model.plan:Plan",
}


def model_for(kind: str) -> type[BaseModel]:
    """The pydantic model of a document kind."""
    target = MODELS.get(kind)
    if target is None:
        raise InputError(
            f"unknown kind '{kind}'{did_you_mean(kind, MODELS)} (expected one of "
            f"{', '.join(MODELS)})"
        )
    module_name, _, name = target.partition(":")
    try:
        model: type[BaseModel] = getattr(import_module(module_name), name)
    except (ModuleNotFoundError, AttributeError):
        raise InputError(f"no schema for '{kind}' files yet ({target} is missing)") from None
    return model


def json_schema(kind: str = "case") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one document kind, with ``$id`` and title."""
    model = model_for(kind)
    body = model.model_json_schema(mode="validation")
    schema: dict[str, Any] = {
        "$schema": SCHEMA_DIALECT,
        "$id": f"{SCHEMA_BASE}/accord-{kind}.schema.json",
        "title": f"accord {kind} file",
    }
    body.pop("title", None)
    schema.update(body)
    return schema
