"""The API reference page, rendered from the OpenAPI document (what `accord openapi` prints)
as Markdown tables: operations by tag, their parameters, bodies and answers, then every
schema they name.  No viewer script: the site must open without the network."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from accord.io.schema_doc import allowed_values, definition_table, field_type

METHODS = ("get", "post", "put", "patch", "delete")


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _row(cells: Iterable[object]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) for every operation, in the document's order."""
    return [
        (method, path, item[method])
        for path, item in document.get("paths", {}).items()
        for method in METHODS
        if method in item
    ]


def _anchor(method: str, path: str) -> str:
    # What Python-Markdown's toc slugify makes of the heading "METHOD path".
    kept = "".join(c for c in f"{method} {path}".lower() if c.isalnum() or c in " _-")
    return "-".join(kept.split())


def _common_errors(document: dict[str, Any]) -> dict[str, str]:
    """The answers (status, description) that every operation documents identically."""
    shared: dict[str, str] | None = None
    for _, _, operation in operations(document):
        answers = {s: str(r.get("description", "")) for s, r in operation["responses"].items()}
        if shared is None:
            shared = {s: d for s, d in answers.items() if s >= "400"}
        else:
            shared = {s: d for s, d in shared.items() if answers.get(s) == d}
    return dict(sorted((shared or {}).items()))


def _media(content: dict[str, Any]) -> str:
    parts = []
    for media, body in content.items():
        schema = body.get("schema", {})
        parts.append(f"`{media}`: {field_type(schema, True)}" if schema else f"`{media}`")
    return "<br>".join(parts)


def _operation(method: str, path: str, operation: dict[str, Any], common: list[str]) -> list[str]:
    lines = [f"### {method.upper()} {path}", ""]
    if operation.get("summary"):
        lines += [_cell(operation["summary"]) + ".", ""]
    if operation.get("description"):
        lines += [operation["description"].strip(), ""]
    schemes = [name for need in operation.get("security", []) for name in need]
    lines += [f"Authentication: {', '.join(schemes) or 'none'}.", ""]
    parameters = operation.get("parameters", [])
    if parameters:
        lines += ["| Parameter | In | Type | Required | Allowed | Description |"]
        lines += ["|---|---|---|---|---|---|"]
        for parameter in parameters:
            schema = parameter.get("schema", {})
            lines.append(
                _row(
                    [
                        f"`{parameter['name']}`",
                        parameter["in"],
                        field_type(schema, show_null=True),
                        "yes" if parameter.get("required") else "",
                        allowed_values(schema),
                        parameter.get("description", ""),
                    ]
                )
            )
        lines.append("")
    body = operation.get("requestBody")
    if body:
        required = "required" if body.get("required") else "optional"
        lines += [f"Body ({required}): {_media(body.get('content', {}))}", ""]
    lines += ["| Status | Meaning | Body |", "|---|---|---|"]
    for status, answer in sorted(operation["responses"].items()):
        if status in common:
            continue
        lines.append(
            _row([status, answer.get("description", ""), _media(answer.get("content", {}))])
        )
    if common:
        lines += ["", f"And the [errors every operation answers](#errors): {', '.join(common)}."]
    return [*lines, ""]


def render(document: dict[str, Any]) -> str:
    """The whole reference page for ``document``."""
    info = document.get("info", {})
    lines = [
        f"# API reference: {info.get('title', 'API')} {info.get('version', '')}".rstrip(),
        "",
        "<!-- Generated at build time from `accord openapi`; edit the routes, not this page. -->",
        "",
        str(info.get("description", "")).strip(),
        "",
        f"OpenAPI {document.get('openapi', '')}: the app serves the document at "
        "`/api/v1/openapi.json`, and `accord openapi -o openapi.json` writes it. "
        "The guide is [API](../api.md).",
        "",
        "## Operations",
        "",
        "| Method | Path | Summary |",
        "|---|---|---|",
    ]
    for method, path, operation in operations(document):
        link = f"[`{path}`](#{_anchor(method, path)})"
        lines.append(_row([method.upper(), link, operation.get("summary", "")]))
    lines.append("")
    schemes = document.get("components", {}).get("securitySchemes", {})
    if schemes:
        lines += ["## Authentication", "", "| Scheme | Type | Description |", "|---|---|---|"]
        for name, scheme in schemes.items():
            kind = " ".join(str(scheme.get(k, "")) for k in ("type", "scheme")).strip()
            lines.append(_row([f"`{name}`", kind, scheme.get("description", "")]))
        lines.append("")
    common = _common_errors(document)
    if common:
        lines += [
            "## Errors",
            "",
            "Every operation may answer these, in the JSON error envelope "
            "([ErrorEnvelope](#errorenvelope)).",
            "",
            "| Status | Meaning |",
            "|---|---|",
            *(_row([status, meaning]) for status, meaning in common.items()),
            "",
        ]
    by_tag: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
    for method, path, operation in operations(document):
        by_tag.setdefault((operation.get("tags") or ["other"])[0], []).append(
            (method, path, operation)
        )
    for tag, tagged in by_tag.items():
        # Not "## Analysis": the schema of that name needs the anchor #analysis.
        lines += [f"## Operations on {tag}", ""]
        for method, path, operation in tagged:
            lines += _operation(method, path, operation, list(common))
    lines += ["## Schemas", ""]
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        lines += definition_table(name, schema, level=3, show_null=True)
    return "\n".join(lines).rstrip() + "\n"
