"""``accord map``: the opinion map of statement votes (Polis export or long vote CSV)."""

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
            metavar="DIR_OR_CSV",
            help="A Polis export folder (comments.csv, votes.csv) or a CSV "
            "participant,statement,vote[,timestamp].",
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
) -> None:
    """Map participants into opinion groups and find representative and consensus statements."""
    import os

    # The map's dense algebra is small (statements × statements); multi-threaded BLAS
    # only adds start-up and contention cost here.  Must be set before numpy loads.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from accord.analysis.opinion import opinion_map
    from accord.cli.output import emit_json

    votes = _read(source)
    result = opinion_map(votes, seed=seed, min_votes=min_votes, restarts=restarts)
    if svg is not None:
        from accord.cli.opinion_svg import write_svg

        write_svg(result, svg)
    if as_json:
        emit_json(result.summary_json())
        return
    _print_summary(result, svg)


def _read(source: Path) -> StatementVotes:
    from accord.errors import NotFoundError
    from accord.io.polis import read_polis, read_vote_csv

    if source.is_dir():
        return read_polis(source)
    if source.is_file():
        return read_vote_csv(source)
    raise NotFoundError(
        f"{source}: no such file or folder (expected a Polis export folder or a vote CSV)"
    )


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
    if result.consensus:
        table = Table(title="Consensus", title_justify="left")
        table.add_column("statement")
        table.add_column("text", overflow="fold")
        table.add_column("direction")
        table.add_column("p", justify="right")
        table.add_column("every group")
        for c in result.consensus:
            every = "yes" if c.every_group else "no"
            table.add_row(c.statement, c.text, c.direction, f"{c.p:.2f}", every)
        console.print(table)
    if result.divisive:
        console.print("[bold]Divisive:[/bold] " + ", ".join(d.statement for d in result.divisive))
    for note in result.notes:
        console.print(f"note: {note}")
    if svg is not None:
        console.print(f"wrote {svg}")
