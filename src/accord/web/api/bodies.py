"""Request bodies that are documents (a case, a stakeholder's inputs): read as text, then
parsed by the case loader, so API errors carry the same line, column and field as the CLI's.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from accord.errors import AccordError, InputError

JSON_TYPES = frozenset({"application/json"})
YAML_TYPES = frozenset({"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"})


class UnsupportedMediaType(AccordError):
    http_status = 415
    kind = "unsupported_media_type"


async def document(request: Request, stem: str, yaml_allowed: bool = True) -> tuple[bytes, str]:
    """The body and the name to parse it under (``stem.json`` or ``stem.yaml``)."""
    media = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media in JSON_TYPES:
        name = f"{stem}.json"
    elif yaml_allowed and media in YAML_TYPES:
        name = f"{stem}.yaml"
    else:
        accepted = sorted(JSON_TYPES | (YAML_TYPES if yaml_allowed else frozenset()))
        raise UnsupportedMediaType(
            f"Content-Type: {media or 'none'!r} is not read here (expected {', '.join(accepted)})"
        )
    body = await request.body()
    if not body.strip():
        raise InputError(f"the request body is empty: send the {stem} as {name.split('.')[-1]}")
    return body, name


def body_doc(json_schema: dict[str, Any], yaml_allowed: bool = True) -> dict[str, Any]:
    """The ``requestBody`` of an operation that reads a document as JSON (or YAML)."""
    # The same document either way: YAML is the case file's usual form, JSON its other one.
    content: dict[str, Any] = {"application/json": {"schema": json_schema}}
    if yaml_allowed:
        content["application/yaml"] = {"schema": json_schema}
    return {"requestBody": {"required": True, "content": content}}
