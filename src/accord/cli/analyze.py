"""``accord analyze CASE``: the whole analysis as Rich tables, or ``--json``.

Sections follow the facilitator's order: what is shared first, then where people
differ and what would have to be true, then the recommendation, scenarios and
risks, then governance. The command exits 1 when a governance check fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from accord.cli import analysis_options as options


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze_command)


def analyze_command(
    case_path: Path = typer.Argument(..., metavar="CASE", help="The case file (YAML or JSON)."),
    as_json: bool = typer.Option(False, "--json", help="Print the analysis as JSON."),
    seed: int = options.SEED,
    draws: int = options.DRAWS,
    normalization: str = options.NORMALIZATION,
    today: str | None = options.TODAY,
) -> None:
    """Analyse a case: alignment, cruxes, recommendation, scenarios, risks, governance."""
    from accord.analysis.analyze import AnalysisSettings, analyze
    from accord.cli.output import emit_json
    from accord.io.case_file import load_case

    case = load_case(case_path)
    settings = AnalysisSettings.from_cli(
        seed=seed, draws=draws, normalization=normalization, today=today
    )
    result = analyze(case, settings=settings).to_dict()
    if as_json:
        emit_json(result)
    else:
        from rich.console import Console

        render(result, Console())
    if not result["governance"]["ok"]:
        raise typer.Exit(1)


def render(result: dict[str, Any], console: Any) -> None:
    """Print the analysis dict as Rich tables, most useful first."""
    from accord.cli import analyze_view as view

    for section in view.SECTIONS:
        section(result, console)
