"""``accord report CASE -o OUT.{html,md,pdf}``: the one-page summary and full analysis.

The format comes from the output file's extension.  Like ``accord analyze``, the command
exits 1 when a governance check fails (after writing the report, which shows the findings).
"""

from __future__ import annotations

from pathlib import Path

import typer

from accord.cli import analysis_options as options

EXTENSIONS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".pdf": "pdf"}


def register(app: typer.Typer) -> None:
    app.command("report")(report_command)


def report_format(output: Path) -> str:
    """The report format named by ``output``'s extension, or an InputError saying which exist."""
    from accord.errors import InputError, Location, Problem

    found = EXTENSIONS.get(output.suffix.lower())
    if found is None:
        message = (
            f"cannot tell the report format from {output.name!r} "
            "(expected a file ending in .html, .md or .pdf)"
        )
        raise InputError(message, problems=[Problem(message, Location(field="--output"))])
    return found


def report_command(
    case_path: Path = typer.Argument(..., metavar="CASE", help="The case file (YAML or JSON)."),
    output: Path = typer.Option(
        ..., "--output", "-o", metavar="OUT", help="Report file: .html, .md or .pdf."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print what was written as JSON."),
    seed: int = options.SEED,
    draws: int = options.DRAWS,
    normalization: str = options.NORMALIZATION,
    today: str | None = options.TODAY,
    embeddings: Path | None = options.EMBEDDINGS,
) -> None:
    """Write the report for a case: one-page summary, then the full analysis."""
    from accord.errors import InputError

    fmt = report_format(output)  # fail on a bad extension before any analysis work
    if not output.parent.is_dir():
        raise InputError(f"{output}: the folder {str(output.parent)!r} does not exist")

    from accord.report.chart_workers import ChartWorkers

    # Chart workers first: they import matplotlib while this process analyses the case.
    with ChartWorkers(start=fmt != "md") as workers:
        from accord.report import render

        result = options.analysis_of(
            case_path,
            seed=seed,
            draws=draws,
            normalization=normalization,
            today=today,
            embeddings=embeddings,
        )
        rendered = render(result, fmt, workers.draw)
    from accord.cli.output import emit_json

    data = rendered.encode("utf-8") if isinstance(rendered, str) else rendered
    partial = output.with_name(f".{output.name}.partial")
    try:
        partial.write_bytes(data)
        partial.replace(output)  # never leave a half-written report behind
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise InputError(f"{output}: cannot write the report ({error.strerror})") from error
    if as_json:
        emit_json({"output": str(output), "format": fmt, "bytes": len(data)})
    else:
        typer.echo(f"wrote {output} ({fmt}, {len(data):,} bytes)")
    if not result.governance.ok:
        raise typer.Exit(1)
