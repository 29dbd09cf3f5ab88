"""``accord map``: the opinion map of statement votes (Polis export, long vote CSV or a case)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from accord.analysis.opinion import OpinionMap
    from accord.model.statements import StatementVotes

# Literal copies of accord.analysis.opinion's limits (a test pins them equal): typer refuses
# out-of-range values with exit 2 before numpy is imported.
MAX_SEED = 2**32 - 1
MAX_RESTARTS = 100
MAX_MIN_VOTES = 1_000_000


def register(app: typer.Typer) -> None:
    app.command(name="map")(map_command)


def map_command(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="DIR_CSV_OR_CASE",
            help="A Polis export folder (comments.csv, votes.csv), a CSV "
            "participant,statement,vote[,timestamp], or a case file (its statement_votes).",
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the map as JSON.")] = False,
    svg: Annotated[
        Path | None,
        typer.Option("--svg", help="Write a scatter of participants coloured by group (SVG)."),
    ] = None,
    seed: Annotated[
        int,
        typer.Option(
            "--seed", min=0, max=MAX_SEED, help=f"Seed for k-means restarts (0..{MAX_SEED})."
        ),
    ] = 0,
    restarts: Annotated[
        int,
        typer.Option(
            "--restarts",
            min=1,
            max=MAX_RESTARTS,
            help=f"Group-level k-means starts (1..{MAX_RESTARTS}; Polis: 1).",
        ),
    ] = 1,
    min_votes: Annotated[
        int,
        typer.Option(
            "--min-votes",
            min=1,
            max=MAX_MIN_VOTES,
            help=f"Votes needed before clustering (1..{MAX_MIN_VOTES}; Polis: 7).",
        ),
    ] = 7,
    replay: Annotated[
        bool,
        typer.Option(
            "--replay",
            help="Rebuild the map as Polis built it: replay timestamped votes in time order "
            "at Polis's 1 s poll cadence (fresh map, said, when votes lack timestamps).",
        ),
    ] = False,
) -> None:
    """Map participants into opinion groups and find representative and consensus statements."""
    import os

    # The map's dense algebra is small (statements × statements); multi-threaded BLAS
    # only adds start-up and contention cost here.  Must be set before numpy loads.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from accord.analysis.opinion import opinion_map
    from accord.cli.output import emit_json

    votes = _read(source)
    if replay:
        from accord.analysis.opinion.replay import replay_map

        replayed = replay_map(votes, seed=seed, min_votes=min_votes, restarts=restarts)
        result, mode, reason = replayed.map, replayed.mode, replayed.reason
    else:
        result = opinion_map(votes, seed=seed, min_votes=min_votes, restarts=restarts)
        mode, reason = "fresh", "replay not asked for; --replay rebuilds Polis's update history"
    if svg is not None:
        from accord.cli.opinion_svg import write_svg

        write_svg(result, svg)
    if as_json:
        emit_json({**result.summary_json(), "mode": {"mode": mode, "reason": reason}})
        return
    _print_summary(result, svg)
    label = "replayed history" if mode == "replayed" else "fresh map"
    print(f"mode: {label} ({reason})")


def _read(source: Path) -> StatementVotes:
    from accord.errors import NotFoundError
    from accord.io.polis import read_polis, read_vote_csv

    if source.is_dir():
        return read_polis(source)
    if source.is_file() and source.suffix.lower() in CASE_SUFFIXES:
        return _case_votes(source)
    if source.is_file():
        return read_vote_csv(source)
    raise NotFoundError(
        f"{source}: no such file or folder (expected a Polis export folder or a vote CSV)"
    )


# The suffixes the case loader reads (YAML, or its JSON subset).
CASE_SUFFIXES = (".yaml", ".yml", ".json")


def _case_votes(path: Path) -> StatementVotes:
    """The stakeholders' votes on the case's own statements (``inputs.*.statement_votes``).

    Read as the report's opinion section reads them, so ``accord map`` and the report agree.
    """
    from accord.errors import InputError
    from accord.io.case_file import load_case
    from accord.model.statements import Statement
    from accord.model.statements import StatementVotes as Votes

    case = load_case(path)
    votes = {s: dict(i.statement_votes) for s, i in case.inputs.items() if i.statement_votes}
    if not case.statements:
        raise InputError(f"{path}: statements: the case has no statements (expected a list)")
    if not votes:
        raise InputError(
            f"{path}: statement_votes: no stakeholder has voted on a statement "
            "(expected inputs.<stakeholder>.statement_votes)"
        )
    statements = [Statement(s.id, s.text) for s in case.statements]
    return Votes.from_mapping(statements, votes)


def _print_summary(result: OpinionMap, svg: Path | None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    n = len(result.participants)
    console.print(f"[bold]{len(result.groups)} opinion groups[/bold] among {n} participants")
    for group in result.groups:
        table = Table(title=f"Group {group.id} ({group.size} participants)", title_justify="left")
        table.add_column("statement")
        table.add_column("text", overflow="fold")
        table.add_column("direction")
        table.add_column("p", justify="right")
        table.add_column("repness", justify="right")
        for r in group.representative[:3]:
            table.add_row(r.statement, r.text, r.direction, f"{r.p:.2f}", f"{r.repness:.2f}")
        console.print(table)
    # The table is "what every group shares": a statement most participants agree on but
    # one group does not is not consensus there (it stays in --json with every_group false).
    shared = [c for c in result.consensus if c.every_group]
    if shared:
        table = Table(title="Consensus (every group)", title_justify="left")
        table.add_column("statement")
        table.add_column("text", overflow="fold")
        table.add_column("direction")
        table.add_column("p", justify="right")
        for c in shared:
            table.add_row(c.statement, c.text, c.direction, f"{c.p:.2f}")
        console.print(table)
    if result.divisive:
        console.print("[bold]Divisive:[/bold] " + ", ".join(d.statement for d in result.divisive))
    for note in result.notes:
        console.print(f"note: {note}")
    if svg is not None:
        console.print(f"wrote {svg}")
