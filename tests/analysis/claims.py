"""Check what the analysis *says* by editing the case and analysing again.

Every crux states a threshold: edited just past it, the stated preference must flip;
just short of it, it must not; at the number the sentence shows (nudged to the claimed
side), it must flip too.  Exclusions, "what would make it acceptable" and portfolio
reasons are checked the same way.  Used by tests/analysis/test_claims.py (examples and
generated cases) and by benchmarks/claims.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.analysis.analyze import analyze
from accord.analysis.assemble.choice import compromise_result, feasible_indices
from accord.analysis.assemble.context import Prepared
from accord.analysis.assemble.people import group_view, stakeholder_views
from accord.analysis.crux.lenses import weights_after
from accord.analysis.sections import Analysis, Crux
from accord.analysis.settings import AnalysisSettings
from accord.model.case import Case

TODAY = dt.date(2026, 12, 2)
QUICK = AnalysisSettings(draws=0, today=TODAY)
#: Relative size of the nudge past / short of a threshold.
STEP = 1e-6


def quick(case: Case) -> Analysis:
    return analyze(case, settings=QUICK)


@dataclass(frozen=True)
class Outcome:
    """What a claim is judged on: the reported utilities, first choices and feasibility."""

    utilities: dict[str | None, dict[str, float]]  # stakeholder id (None: group) -> option -> u
    top_feasible: dict[str, list[str]]
    feasible: set[str]


def outcome_of(result: Analysis) -> Outcome:
    people = {v.id: v.utilities for v in result.stakeholders if v.utilities}
    return Outcome(
        utilities={None: result.group.utilities, **people},
        top_feasible={v.id: v.top_feasible for v in result.stakeholders},
        feasible={o.id for o in result.options if o.feasible},
    )


def reanalysed(case: Case, *, full: bool = False) -> Outcome:
    """The outcome ``analyze`` reports for ``case``: by the very builders it calls for these
    sections (fast), or by a whole analysis (``full``; tests pin that the two agree)."""
    if full:
        return outcome_of(quick(case))
    p = Prepared.of(case, QUICK)
    screened = compromise_result(p)
    feasible = feasible_indices(p, screened)
    people = stakeholder_views(p, feasible, None, None)
    group = group_view(p, feasible, None)
    return Outcome(
        utilities={None: group.utilities, **{v.id: v.utilities for v in people if v.utilities}},
        top_feasible={v.id: v.top_feasible for v in people},
        feasible={p.options[o] for o in feasible},
    )


def edit_crux(case: Case, analysis: Analysis, crux: Crux, value: float) -> Case:
    """The case with the crux's value set to ``value`` (nothing else changed)."""
    data: dict[str, Any] = case.model_dump(mode="json")
    if crux.kind == "weight":
        assert crux.stakeholder is not None
        person = analysis.stakeholder(crux.stakeholder)
        criteria = [c.id for c in analysis.criteria]
        vector = np.array([person.weights[c] for c in criteria])
        new = weights_after(vector, criteria.index(crux.criterion), value)
        data["inputs"][crux.stakeholder]["weights"] = {
            "method": "direct",
            "values": {c: float(v) for c, v in zip(criteria, new.tolist(), strict=True)},
        }
    elif crux.own_score:
        assert crux.stakeholder is not None and crux.varied_option is not None
        own = data["inputs"].setdefault(crux.stakeholder, {})
        own.setdefault("scores", {}).setdefault(crux.varied_option, {})[crux.criterion] = value
    else:
        option = next(o for o in data["options"] if o["id"] == crux.varied_option)
        old = option["estimates"][crux.criterion]
        low, high = (old, old) if isinstance(old, int | float) else (old["low"], old["high"])
        option["estimates"][crux.criterion] = {
            "low": min(low, value),
            "likely": value,
            "high": max(high, value),
        }
    return Case.model_validate(data)


def crux_holds(result: Outcome, crux: Crux) -> bool:
    """Does the analysis of an edited case show what the crux claims?"""
    if crux.form == "acceptance":
        assert crux.stakeholder is not None
        return result.top_feasible[crux.stakeholder] == [crux.challenger]
    utilities = result.utilities[crux.stakeholder]
    return utilities[crux.challenger] > utilities[crux.prefers]


def crux_problems(case: Case, analysis: Analysis, crux: Crux, *, full: bool = False) -> list[str]:
    """Empty when the crux holds just past its threshold and at its shown number, and
    not just short of it; else what went wrong, for the assertion message."""
    span = max(1.0, abs(crux.threshold), abs(crux.current))
    if crux.kind == "weight":
        span = 1.0
    step = STEP * span
    sign = 1.0 if crux.direction == "above" else -1.0
    problems = []
    checks = [
        ("just past the threshold", crux.threshold + sign * step, True),
        ("just short of the threshold", crux.threshold - sign * step, False),
        ("at the number shown", crux.shown + sign * step, True),
    ]
    if crux.until is not None:
        checks.append(("just inside its far end", crux.until - sign * step, True))
    for label, value, expected in checks:
        if crux.kind == "weight" and not 0.0 <= value <= 1.0:
            continue
        result = reanalysed(edit_crux(case, analysis, crux, value), full=full)
        if crux.varied_option is not None:
            before = analysis.option(crux.varied_option).feasible
            if (crux.varied_option in result.feasible) != before:
                problems.append(f"{label} ({value!r}) changes {crux.varied_option}'s feasibility")
                continue
        if crux_holds(result, crux) != expected:
            problems.append(
                f"{label} ({value!r}): expected the claim to {'hold' if expected else 'fail'}"
            )
    return problems
