"""The analysis options shared by every command that runs ``analyze`` (one definition).

Defaults mirror :class:`accord.analysis.analyze.AnalysisSettings` (a test pins that);
they are literals here so ``accord --help`` does not import numpy.
"""

from __future__ import annotations

import typer

SEED = typer.Option(0, "--seed", help="Seed for the Monte Carlo draws.")
DRAWS = typer.Option(1000, "--draws", min=0, help="Monte Carlo draws (0 = none).")
NORMALIZATION = typer.Option(
    "minmax",
    "--normalization",
    help="How estimates are scaled for weighted sums: minmax (interval) or vector.",
)
TODAY = typer.Option(
    None,
    "--today",
    help="Date that judges overdue actions and due reviews (YYYY-MM-DD; default: today).",
)
