"""``accord cadence CASE --ics OUT.ics``: the review cadence as an iCalendar file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("cadence")(cadence_command)


def cadence_command(
    case_path: Annotated[
        Path, typer.Argument(metavar="CASE", help="The case file (YAML or JSON).")
    ],
    ics: Annotated[
        Path | None,
        typer.Option("--ics", metavar="OUT.ics", help="Write the cadence as an iCalendar file."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the calendar entries as JSON.")
    ] = False,
) -> None:
    """Reviews, stand-ups, checkpoints, decision reviews, assumption checks and action
    deadlines of a case; with --ics, as a calendar file to import (same case, same bytes)."""
    from accord.analysis.jsonable import to_jsonable
    from accord.cli.output import emit_json
    from accord.errors import InputError
    from accord.io.case_file import load_case
    from accord.report.calendar import cadence_entries, to_ics

    case = load_case(case_path)
    entries = cadence_entries(case)
    if ics is not None:
        if ics.is_dir():
            raise InputError(f"--ics {ics}: is a directory (expected a file name like out.ics)")
        try:
            ics.write_bytes(to_ics(case))
        except OSError as error:
            raise InputError(f"--ics {ics}: cannot write: {error.strerror or error}") from None
    if as_json:
        emit_json(
            {"case": case.id, "ics": str(ics) if ics else None, "entries": to_jsonable(entries)}
        )
        return
    for entry in entries:
        repeat = f"  (repeats {entry.rrule})" if entry.rrule else ""
        typer.echo(f"{entry.date}  {entry.kind:<16} {entry.summary}{repeat}")
    if ics is not None:
        typer.echo(f"Wrote {len(entries)} events to {ics}.")
