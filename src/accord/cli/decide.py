"""``accord decide CASE --option X --rationale ...``: append a decision to the case's log."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("decide")(decide_command)


def decide_command(
    case_path: Annotated[
        Path, typer.Argument(metavar="CASE", help="The case file (YAML or JSON).")
    ],
    options: Annotated[
        list[str], typer.Option("--option", help="Chosen option id (repeat for a portfolio).")
    ],
    rationale: Annotated[str, typer.Option("--rationale", help="Why this option, in a sentence.")],
    dissent: Annotated[
        list[str] | None,
        typer.Option(
            "--dissent", metavar="WHO:WHY", help="A stakeholder who disagrees, and why (repeat)."
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option("--date", metavar="YYYY-MM-DD", help="Decision date (default: today)."),
    ] = None,
    review_date: Annotated[
        str | None,
        typer.Option(
            "--review-date",
            metavar="YYYY-MM-DD",
            help="When to review it (default: date + the cadence's review interval, 30 days).",
        ),
    ] = None,
    accountable: Annotated[
        str | None,
        typer.Option(
            "--accountable", help="Stakeholder id accountable (default: the decision owner)."
        ),
    ] = None,
    decision_id: Annotated[
        str | None, typer.Option("--id", help="Decision id (default: <option>-<date>).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the recorded decision as JSON.")
    ] = False,
) -> None:
    """Record a decision: appended to the case's decisions, the rest of the file unchanged.

    The case is re-validated before it is written; on any problem nothing is written."""
    import datetime as dt

    from accord.analysis.jsonable import to_jsonable
    from accord.cli.actions import parse_day
    from accord.cli.output import emit_json
    from accord.io.decision_log import DecisionEntry, append_decision, parse_dissent

    entry = DecisionEntry(
        options=list(options),
        rationale=rationale,
        dissent=[parse_dissent(d) for d in dissent or []],
        date=parse_day(date, "--date"),
        review_date=parse_day(review_date, "--review-date"),
        accountable=accountable,
        decision_id=decision_id,
    )
    decision = append_decision(case_path, entry, today=dt.date.today())
    if as_json:
        emit_json({"case": str(case_path), "decision": to_jsonable(decision)})
        return
    chosen = ", ".join(decision.option_ids)
    typer.echo(
        f"Recorded decision '{decision.id}' in {case_path}: {chosen} "
        f"(accountable: {decision.accountable}; review on {decision.review_date})."
    )
    for item in decision.dissent:
        typer.echo(f"  dissent: {item.by}: {item.reason}")
