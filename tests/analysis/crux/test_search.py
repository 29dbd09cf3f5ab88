"""The crux search: each finding flips just past its threshold and not just short of it, on
each stakeholder's own lens, among the feasible options; ties and guardrail crossings are
never reported; every stakeholder gets an acceptance crux or is told why not."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from tests.analysis.crux.test_thresholds import random_case

from accord.analysis.crux.lenses import Lenses, column_after, rows_of, weights_after
from accord.analysis.crux.search import (
    TIER_BACKED,
    TIER_IMPLAUSIBLE,
    Bounds,
    FactLink,
    Finding,
    find_cruxes,
)
from accord.errors import InputError

METHODS = ["vector", "minmax"]


def holds(lenses: Lenses, f: Finding, value: float, pool: list[int] | None = None) -> bool:
    """Recompute the row's utilities with the value changed: does the claim hold?"""
    rows = rows_of(lenses)
    r = rows.group if f.row is None else f.row
    if f.kind == "weight":
        u = rows.scores[r] @ weights_after(rows.weights[r], f.criterion, value)
    else:
        assert f.varied is not None
        up = bool(lenses.maximise[f.criterion])
        u = column_after(rows, r, f.varied, f.criterion, value, up, lenses.method)
    if f.form == "acceptance":
        others = [o for o in (pool or range(lenses.options)) if o != f.challenger]
        return bool(u[f.challenger] > max(u[o] for o in others))
    return bool(u[f.challenger] > u[f.prefers])


def check(lenses: Lenses, f: Finding, pool: list[int] | None = None) -> None:
    step = 1e-6 * (1.0 if f.kind == "weight" else max(1.0, abs(f.threshold)))
    sign = 1.0 if f.above else -1.0
    assert holds(lenses, f, f.threshold + sign * step, pool), f
    assert not holds(lenses, f, f.threshold - sign * step, pool), f
    assert holds(lenses, f, f.shown + sign * step, pool), f


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("seed", range(8))
def test_every_finding_flips_just_past_and_not_just_short(method: str, seed: int) -> None:
    x, up, w = random_case(seed, options=5, criteria=4, stakeholders=4)
    lenses = Lenses.build(x, w, up, method=method, low=x * 0.9, high=x * 1.1)  # type: ignore[arg-type]
    found = find_cruxes(lenses, recommendation=0, challengers="all", per_stakeholder=50)
    assert found.findings and (found.acceptance or found.unreachable)
    for f in [*found.findings, *found.acceptance]:
        check(lenses, f)


@pytest.mark.parametrize("seed", range(6))
def test_own_lenses_are_used_where_stakeholders_score_a_criterion(seed: int) -> None:
    x, up, w = random_case(seed, options=4, criteria=3, stakeholders=3)
    rng = np.random.default_rng(seed)
    own = np.array([False, False, True])
    values = np.broadcast_to(x, (3, *x.shape)).copy()
    values[:, :, 2] = rng.uniform(1, 5, (3, 4))  # each stakeholder's own scores
    lenses = Lenses.build(values, w, up, method="minmax", shared=x, own=own)
    found = find_cruxes(lenses, recommendation=1, challengers="all", per_stakeholder=50)
    own_findings = [f for f in found.findings + found.acceptance if f.own_score]
    assert own_findings
    for f in [*found.findings, *found.acceptance]:
        check(lenses, f)
        if f.row is None:
            assert f.criterion != 2  # the group has no single value to change there


def test_only_feasible_options_are_compared() -> None:
    x, up, w = random_case(3, options=6, criteria=3, stakeholders=4)
    lenses = Lenses.build(x, w, up, method="minmax")
    pool = [0, 2, 3]
    found = find_cruxes(lenses, feasible=pool, recommendation=2, challengers="all")
    for f in [*found.findings, *found.acceptance]:
        assert {f.prefers, f.challenger} <= set(pool)
        check(lenses, f, pool)
    assert all(t in pool for t in found.tops)


def test_a_weight_tie_at_one_is_never_a_flip() -> None:
    # A and B are equal on c0: all weight on c0 makes them tie, it never flips them.
    x = np.array([[5.0, 9.0], [5.0, 1.0], [0.0, 5.0]])
    lenses = Lenses.build(x, np.array([[0.5, 0.5]]), np.array([True, True]), method="minmax")
    found = find_cruxes(lenses, challengers="all", include_group=False)
    pair = [f for f in found.findings if {f.prefers, f.challenger} == {0, 1}]
    assert all(not (f.kind == "weight" and f.criterion == 0) for f in pair)


def test_a_change_across_a_guardrail_is_not_a_crux() -> None:
    # Lowering B's cost below 20 would flip Ann, but the guardrail caps cost at 30 only
    # from above: lowering stays feasible. Raising A's cost past 30 would exclude A.
    x = np.array([[10.0, 25.0], [8.0, 29.0]])
    up = np.array([True, False])
    bounds = Bounds(np.array([-np.inf, -np.inf]), np.array([np.inf, 30.0]))
    lenses = Lenses.build(x, np.array([[0.5, 0.5]]), up, method="vector")
    found = find_cruxes(lenses, bounds=bounds, include_group=False, challengers="all")
    for f in found.findings:
        if f.kind == "estimate" and f.criterion == 1 and f.above:
            assert f.threshold < 30.0 and f.until == 30.0


def test_fact_value_backs_or_contradicts_the_threshold() -> None:
    likely = np.array([[0.1, 10.0], [0.55, 14.0], [0.9, 18.0]])
    low = np.array([[0.1, 10.0], [0.3, 12.0], [0.8, 15.0]])
    high = np.array([[0.1, 10.0], [0.7, 16.0], [0.95, 20.0]])
    lenses = Lenses.build(
        likely, np.array([[0.615, 0.385], [0.2, 0.8]]), np.array([False, True]),
        method="minmax", low=low, high=high,
    )  # fmt: skip

    def privacy_crux(fact: FactLink) -> Finding:
        found = find_cruxes(lenses, facts=[fact], challengers="all", per_stakeholder=20)
        return next(
            f
            for f in found.findings
            if f.row == 0 and f.varied == 1 and f.criterion == 0 and f.challenger == 1
        )

    backs = privacy_crux(FactLink("dpia-low", 1, 0, value=0.31, accepted_by=(0, 1)))
    assert backs.tier == TIER_BACKED and backs.evidence[0].stance == "backs"
    against = privacy_crux(FactLink("dpia-high", 1, 0, value=0.69, accepted_by=(0, 1)))
    assert against.tier == TIER_IMPLAUSIBLE and against.evidence[0].stance == "contradicts"


def test_findings_are_ranked_by_tier_then_relative_change() -> None:
    x, up, w = random_case(3, options=6, criteria=4, stakeholders=4)
    lenses = Lenses.build(x, w, up, method="vector", low=x * 0.9, high=x * 1.1)
    found = find_cruxes(lenses, challengers="all")
    for row in {f.row for f in found.findings}:
        keys = [(f.tier, f.relative) for f in found.findings if f.row == row]
        assert keys == sorted(keys) and len(keys) <= 10


def test_rivals_are_other_stakeholders_first_choices() -> None:
    x, up, w = random_case(5, options=8, criteria=3, stakeholders=3)
    found = find_cruxes(Lenses.build(x, w, up, method="vector"))
    tops = set(found.tops) | {found.group_top}
    for f in found.findings:
        if f.row is not None:
            assert f.challenger in tops
            assert all(found.tops[s] == f.challenger for s in f.rivals)


def test_acceptance_crux_makes_the_recommendation_first_among_the_feasible() -> None:
    x, up, w = random_case(11, options=5, criteria=3, stakeholders=5)
    lenses = Lenses.build(x, w, up, method="minmax", low=x * 0.8, high=x * 1.2)
    found = find_cruxes(lenses, recommendation=2)
    disagree = {s for s, t in enumerate(found.tops) if t != 2}
    assert disagree
    assert disagree == {f.row for f in found.acceptance} | set(found.unreachable)
    for f in found.acceptance:
        assert f.challenger == 2 and f.prefers == found.tops[f.row or 0]
        check(lenses, f)


def test_missing_value_is_a_clear_error() -> None:
    x = np.array([[1.0, np.nan], [2.0, 3.0]])
    lenses = Lenses.build(x, np.array([[1.0, 1.0]]), np.array([True, True]), method="vector")
    with pytest.raises(InputError, match="option 1 has no usable value for criterion 2"):
        find_cruxes(lenses)


def test_one_feasible_option_has_nothing_to_flip() -> None:
    x = np.array([[1.0, 2.0], [2.0, 1.0]])
    lenses = Lenses.build(x, np.array([[1.0, 1.0]]), np.array([True, True]), method="vector")
    found = find_cruxes(lenses, feasible=[0])
    assert found.findings == [] and found.notes


def test_crux_benchmark_smoke_run_agrees_with_its_scanning_oracle(benchmark_module: Any) -> None:
    report = benchmark_module("crux").main(["--smoke"])
    for size in ("small", "large"):
        agree, compared = report[size]["oracle_agreement"].split("/")
        assert agree == compared
    assert report["portfolio"]["total_with_floors"]["status"] == "optimal"
