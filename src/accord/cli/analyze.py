"""``accord analyze CASE``: the whole analysis as Rich tables, or ``--json``.

Sections follow the facilitator's order: what is shared first, then where people
differ and what would have to be true, then the recommendation, scenarios and
risks, then governance. The command exits 1 when a governance check fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from accord.cli import analysis_options as options

if TYPE_CHECKING:
    from rich.console import Console

    from accord.analysis.sections import Analysis


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze_command)


def analyze_command(
    case_path: Path = typer.Argument(..., metavar="CASE", help="The case file (YAML or JSON)."),
    as_json: bool = typer.Option(False, "--json", help="Print the analysis as JSON."),
    seed: int = options.SEED,
    draws: int = options.DRAWS,
    normalization: str = options.NORMALIZATION,
    today: str | None = options.TODAY,
    embeddings: Path | None = options.EMBEDDINGS,
) -> None:
    """Analyse a case: alignment, cruxes, recommendation, scenarios, risks, governance."""
    from accord.cli.output import emit_json

    result = options.analysis_of(
        case_path,
        seed=seed,
        draws=draws,
        normalization=normalization,
        today=today,
        embeddings=embeddings,
    )
    if as_json:
        emit_json(result.to_dict())
    else:
        from rich.console import Console

        render(result, Console())
    if not result.governance.ok:
        raise typer.Exit(1)


def render(result: Analysis, console: Console) -> None:
    """Print the analysis as Rich tables, most useful first."""
    from accord.cli import analyze_view as view

    for section in view.SECTIONS:
        section(result, console)
