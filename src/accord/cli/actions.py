"""``accord actions CASE``: the action register (owner, deadline, metric, done, decision)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

COLUMNS = ("id", "title", "owner", "deadline", "metric", "done", "decision", "overdue")


def register(app: typer.Typer) -> None:
    app.command("actions")(actions_command)


def actions_command(
    case_path: Annotated[
        Path, typer.Argument(metavar="CASE", help="The case file (YAML or JSON).")
    ],
    overdue_only: Annotated[
        bool, typer.Option("--overdue", help="Only actions past deadline.")
    ] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print the register as CSV.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the register as JSON.")] = False,
    today: Annotated[
        str | None,
        typer.Option(
            "--today", metavar="YYYY-MM-DD", help="Date to judge overdue (default: today)."
        ),
    ] = None,
) -> None:
    """The action register; overdue actions (past deadline, not done) are highlighted."""
    from accord.cli.output import emit_json
    from accord.io.case_file import load_case

    day = parse_day(today, "--today") or dt.date.today()
    case = load_case(case_path)
    rows = register_rows(case.actions, day)
    if overdue_only:
        rows = [r for r in rows if r["overdue"]]
    if as_json:
        emit_json({"case": case.id, "today": day.isoformat(), "actions": rows})
    elif as_csv:
        _csv(rows)
    else:
        _table(rows, day)


def parse_day(value: str | None, option: str) -> dt.date | None:
    """An ISO date given on the command line (``None`` stays ``None``)."""
    from accord.errors import InputError

    if value is None:
        return None
    from accord.model.base import LATEST_DATE

    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value!r} is not a date (expected YYYY-MM-DD)") from None
    if day > LATEST_DATE:
        # Derived dates (next review = date + review_every_days) must stay representable.
        raise InputError(
            f"{option}: '{value}' is after {LATEST_DATE.isoformat()} "
            f"(expected a date up to {LATEST_DATE.isoformat()})"
        )
    return day


def register_rows(actions: Any, today: dt.date) -> list[dict[str, Any]]:
    """One plain row per action, in file order, with ``overdue`` judged on ``today`` by the
    analysis's one rule (:func:`accord.analysis.records.is_overdue`)."""
    from accord.analysis.records import is_overdue

    return [
        {
            "id": a.id,
            "title": a.title,
            "owner": a.owner,
            "deadline": a.deadline.isoformat() if a.deadline else None,
            "metric": a.metric,
            "done": a.done,
            "decision": a.decision,
            "overdue": is_overdue(a.deadline, a.done, today),
        }
        for a in actions
    ]


def _csv(rows: list[dict[str, Any]]) -> None:
    import csv
    import sys

    writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})


def _table(rows: list[dict[str, Any]], today: dt.date) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Action register (as of {today.isoformat()})")
    for name in ("Action", "Owner", "Deadline", "Metric", "Done", "Decision"):
        table.add_column(name)
    for row in rows:
        style = "bold red" if row["overdue"] else None
        deadline = (row["deadline"] or "—") + (" OVERDUE" if row["overdue"] else "")
        table.add_row(
            f"{row['id']}: {row['title']}",
            row["owner"],
            deadline,
            row["metric"] or "—",
            "yes" if row["done"] else "no",
            row["decision"] or "—",
            style=style,
        )
    console = Console()
    console.print(table)
    late = sum(1 for r in rows if r["overdue"])
    console.print(f"{len(rows)} action{'s' if len(rows) != 1 else ''}, {late} overdue.")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
