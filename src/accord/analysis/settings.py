"""The knobs of one analysis run (recorded in the result's provenance)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from accord.analysis.normalization import NormalizationMethod

Distribution = Literal["pert", "triangular"]


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


def analysis_date(settings: AnalysisSettings) -> dt.date:
    """The day overdue actions and due reviews are judged on: given, else today.

    The date is recorded in the provenance; pass it explicitly (``--today``) to get
    byte-identical output from the same case on another day.
    """
    return settings.today if settings.today is not None else dt.date.today()
