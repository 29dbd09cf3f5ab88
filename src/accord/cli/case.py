"""``accord validate``, ``accord schema`` and ``accord init``: case files as code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from accord.errors import AccordError, InputError
from accord.io.case_templates import get_template, template_names

__all__ = ["init", "register", "schema", "template_names", "validate"]


def _summary(kind: str, document: Any) -> str:
    if kind == "case":
        return (
            f"case: {len(document.stakeholders)} stakeholders, {len(document.options)} options, "
            f"{len(document.criteria)} criteria"
        )
    framework = getattr(document, "framework", None)
    return f"{kind}: {framework}" if framework else kind


def validate(
    paths: Annotated[list[Path], typer.Argument(help="Case or plan files to check.")],
    as_json: bool = typer.Option(False, "--json", help="Print the results as JSON."),
) -> None:
    """Check case (and plan) files; exit 0 when all are valid, 2 when any is not."""
    from accord.cli.output import emit_json, print_error
    from accord.io.documents import load_document

    results: list[dict[str, Any]] = []
    failed = False
    for path in paths:
        try:
            kind, document = load_document(path)
        except AccordError as error:
            failed = True
            results.append({"path": str(path), "valid": False, **error.to_dict()})
            if not as_json:
                print_error(error)
            continue
        summary = _summary(kind, document)
        results.append({"path": str(path), "valid": True, "kind": kind, "summary": summary})
        if not as_json:
            typer.echo(f"ok {path} ({summary})")
    if as_json:
        emit_json({"valid": not failed, "files": results})
    if failed:
        raise typer.Exit(2)


def schema(
    kind: str = typer.Option(
        "case",
        "--kind",
        help="Document kind: case or plan (input files), or analysis (the output of "
        "`accord analyze --json`).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Same output (the schema is JSON)."),
) -> None:
    """Print the JSON Schema of a file format or of the analysis output."""
    from accord.cli.output import emit_json

    if kind == "analysis":
        from accord.analysis.sections import analysis_schema

        emit_json(analysis_schema())
        return
    from accord.io.schema import json_schema

    emit_json(json_schema(kind))


def init(
    directory: Annotated[Path, typer.Argument(help="Folder to create the case in.")],
    template: str = typer.Option(
        "exec-conflict", "--template", "-t", help="Starter case to copy (see the list on error)."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing case.yaml."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Start a case: copy a commented template into DIR/case.yaml."""
    import shutil

    from accord.cli.output import emit_json

    source = get_template(template).path
    target = directory / "case.yaml"
    if target.exists() and not force:
        raise InputError(f"{target} already exists (use --force to overwrite it)")
    if directory.exists() and not directory.is_dir():
        raise InputError(f"{directory} exists and is not a folder")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    except OSError as error:
        raise InputError(f"cannot write {target}: {error.strerror or error}") from None
    if as_json:
        emit_json({"created": str(target), "template": template})
    else:
        typer.echo(f"created {target} from template '{template}'")
        typer.echo(f"next: edit it, then run: accord validate {json.dumps(str(target))[1:-1]}")


def register(app: typer.Typer) -> None:
    """Add the case-file commands to the ``accord`` app."""
    app.command("init")(init)
    app.command("validate")(validate)
    app.command("schema")(schema)
