"""The knobs of one analysis run (recorded in the result's provenance)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from accord.analysis.normalization import NormalizationMethod
from accord.errors import InputError

Distribution = Literal["pert", "triangular"]

MAX_SEED = 2**32 - 1
"""Largest seed (numpy's legacy seeding bound); documented in docs/limits.md."""
MAX_DRAWS = 1_000_000
"""Most Monte Carlo draws per run: more costs minutes and changes no reported figure."""


@dataclass(frozen=True)
class AnalysisSettings:
    """Knobs of one analysis run; all of them are recorded in the result's provenance."""

    seed: int = 0
    draws: int = 1000
    distribution: Distribution = "pert"
    # Weighted-sum value scores use interval (min-max) scaling: swing and point weights
    # are statements about ranges (Belton & Stewart 2002, "Multiple Criteria Decision
    # Analysis", ch. 5). TOPSIS keeps its textbook vector normalisation (Hwang & Yoon 1981).
    normalization: NormalizationMethod = "minmax"
    topsis_normalization: NormalizationMethod = "vector"
    today: dt.date | None = None  # judges overdue actions and due reviews; None = the case's date

    def __post_init__(self) -> None:
        # Checked here, where the values start, so the Python API refuses them exactly as
        # the CLI does; a negative seed would otherwise fail deep inside numpy.
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            raise InputError(f"seed: must be an integer (got {self.seed!r})")
        if not 0 <= self.seed <= MAX_SEED:
            raise InputError(f"seed: {self.seed} is out of range (expected 0..{MAX_SEED})")
        if isinstance(self.draws, bool) or not isinstance(self.draws, int):
            raise InputError(f"draws: must be an integer (got {self.draws!r})")
        if not 0 <= self.draws <= MAX_DRAWS:
            raise InputError(
                f"draws: {self.draws} is out of range (expected 0..{MAX_DRAWS}; 0 = none)"
            )
        if self.distribution not in ("pert", "triangular"):
            raise InputError(
                f"distribution: {self.distribution!r} is not known"
                " (expected 'pert' or 'triangular')"
            )


def analysis_date(settings: AnalysisSettings) -> dt.date:
    """The day overdue actions and due reviews are judged on: given, else today.

    The date is recorded in the provenance; pass it explicitly (``--today``) to get
    byte-identical output from the same case on another day.
    """
    return settings.today if settings.today is not None else dt.date.today()
