"""The analysis options shared by every command that runs ``analyze`` (one definition).

Defaults mirror :class:`accord.analysis.settings.AnalysisSettings` (a test pins that);
they are literals here so ``accord --help`` does not import numpy.  ``--embeddings`` is
not a setting: it turns into ``analyze(text_vectors=...)`` through :func:`text_vectors`.
Without it, the ``accord[semantic]`` extra's packaged model is used when installed
(``ACCORD_SEMANTIC=off`` turns it off); the core install compares words only.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from accord.errors import InputError, Location, Problem, did_you_mean

if TYPE_CHECKING:
    from accord.analysis.sections import Analysis
    from accord.analysis.settings import AnalysisSettings
    from accord.model.case import Case

# Literal copies of accord.analysis.settings.MAX_SEED / MAX_DRAWS (a test pins them equal):
# typer refuses out-of-range values with exit 2 before any analysis is imported.
MAX_SEED = 2**32 - 1
MAX_DRAWS = 1_000_000
SEED = typer.Option(
    0, "--seed", min=0, max=MAX_SEED, help=f"Seed for the Monte Carlo draws (0..{MAX_SEED})."
)
DRAWS = typer.Option(
    1000, "--draws", min=0, max=MAX_DRAWS, help=f"Monte Carlo draws (0..{MAX_DRAWS}; 0 = none)."
)
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
EMBEDDINGS = typer.Option(
    None,
    "--embeddings",
    metavar="DIR",
    envvar="ACCORD_EMBEDDINGS_MODEL",
    help=(
        "Local model2vec model folder: also find near-duplicate options and ideas that share "
        "meaning but no words (needs accord[embeddings]; nothing is downloaded)."
    ),
)


def analysis_of(
    case_path: Path,
    *,
    seed: int,
    draws: int,
    normalization: str,
    today: str | None,
    embeddings: Path | None,
) -> Analysis:
    """Load the case and analyse it under the command's options."""
    from accord.analysis.analyze import analyze
    from accord.io.case_file import load_case

    case = load_case(case_path)
    settings = settings_from_options(
        seed=seed, draws=draws, normalization=normalization, today=today
    )
    options: dict[str, Any] = {}
    if embeddings is not None:
        options = {
            "text_vectors": text_vectors(case, embeddings),
            "embeddings_model": str(embeddings),
        }
    else:
        from accord.io.case_meaning import meaning_options
        from accord.io.semantic import meaning_unless_off

        meaning = meaning_unless_off()
        options = meaning_options(case, meaning)
        if "could not be loaded" in meaning.note:  # installed but broken: say so, go on
            print(f"accord: warning: {meaning.note}", file=sys.stderr)
    try:
        return analyze(case, settings=settings, **options)
    except InputError as error:
        if error.problems:
            raise
        # `accord validate` runs every check the analysis needs (a fuzz test holds it to
        # that); should one slip through, the message still names the case it is about.
        raise InputError(
            f"{case_path}: cannot analyse the case",
            problems=[Problem(f"cannot analyse: {error.message}", Location(str(case_path)))],
        ) from None


def settings_from_options(
    *, seed: int, draws: int, normalization: str, today: str | None
) -> AnalysisSettings:
    """The analysis settings the command-line options ask for (precise errors otherwise)."""

    from accord.analysis.normalization import NORMALIZATION_METHODS
    from accord.analysis.settings import AnalysisSettings

    if normalization not in NORMALIZATION_METHODS:
        raise InputError(
            f"--normalization: '{normalization}' is not a normalisation method"
            f"{did_you_mean(normalization, NORMALIZATION_METHODS)}"
            f" (expected one of: {', '.join(NORMALIZATION_METHODS)})"
        )
    from accord.cli.actions import parse_day

    day = parse_day(today, "--today")
    return AnalysisSettings(
        seed=seed,
        draws=draws,
        normalization="minmax" if normalization == "minmax" else "vector",
        today=day,
    )


def text_vectors(case: Case, model: Path | None) -> dict[str, list[float]] | None:
    """The case's duplicate-detection texts embedded with the local ``model`` (None: none)."""
    if model is None:
        return None
    from accord.analysis.assemble.text import duplicate_texts, duplicate_words
    from accord.io.embeddings import embed_texts

    return embed_texts(list(dict.fromkeys(duplicate_texts(case) + duplicate_words(case))), model)
