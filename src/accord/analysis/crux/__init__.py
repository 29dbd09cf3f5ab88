"""Cruxes: "what needs to be true" for one option to beat another.

Two reasonable people who look at the same facts and reach different conclusions either
weight the criteria differently or read an uncertain estimate differently (seed 001: "A
is better than B if X, Y and Z are true. Otherwise B is better than A").  This package
finds, exactly (by solving, never by scanning), the smallest change of a weight or of an
estimate that flips a preference, among the options that keep every guardrail:

- :mod:`~accord.analysis.crux.lenses`: each stakeholder's own view, the group's;
- :mod:`~accord.analysis.crux.thresholds`: the closed-form threshold maths;
- :mod:`~accord.analysis.crux.search`: which flips to solve, ranking, checks;
- :mod:`~accord.analysis.crux.explain`: the sentences, from the numbers;
- :mod:`~accord.analysis.crux.conflict`: whether two stakeholders' goals truly conflict.
"""

from __future__ import annotations

from accord.analysis.crux.conflict import Conflict, goal_conflicts, spearman
from accord.analysis.crux.lenses import Lenses
from accord.analysis.crux.search import Bounds, FactLink, Finding, Interval, Search, find_cruxes

__all__ = [
    "Bounds",
    "Conflict",
    "FactLink",
    "Finding",
    "Interval",
    "Lenses",
    "Search",
    "find_cruxes",
    "goal_conflicts",
    "spearman",
]
