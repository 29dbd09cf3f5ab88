"""Cruxes: every threshold flips the preference exactly there; a scanning oracle agrees."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.analysis.crux import (
    TIER_BACKED,
    TIER_IMPLAUSIBLE,
    Crux,
    FactLink,
    estimate_threshold,
    find_cruxes,
    goal_conflict,
    spearman,
    weight_stability,
    weight_threshold,
)
from accord.analysis.mcda import weighted_sum
from accord.analysis.normalization import normalize
from accord.errors import InputError

METHODS = ["vector", "minmax"]


def _case(seed: int, options: int, criteria: int, stakeholders: int = 3) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(1.0, 100.0, (options, criteria))
    up = rng.random(criteria) < 0.5
    w = rng.uniform(0.05, 1.0, (stakeholders, criteria))
    return x, up, w / w.sum(axis=1, keepdims=True)


def _advantage(x, up, w, method, challenger, prefers) -> float:  # type: ignore[no-untyped-def]
    u = weighted_sum(normalize(x, up, method=method), w)
    return float(u[challenger] - u[prefers])


def _scan(x, up, w, method, prefers, challenger, varied, c, grid):  # type: ignore[no-untyped-def]
    """Challenger's advantage for every grid value of one estimate (one normalize call)."""
    col = np.repeat(x[:, c : c + 1], grid.size, axis=1)
    col[varied] = grid
    n = normalize(col, np.full(grid.size, up[c]), method=method)
    r = normalize(x, up, method=method)
    others = np.delete(np.arange(x.shape[1]), c)
    rest = float(np.sum(w[others] * (r[challenger, others] - r[prefers, others])))
    return w[c] * (n[challenger] - n[prefers]) + rest


def _with(x: np.ndarray, o: int, c: int, v: float) -> np.ndarray:
    y = x.copy()
    y[o, c] = v
    return y


def _rescaled(w: np.ndarray, c: int, t: float) -> np.ndarray:
    rest = np.delete(np.arange(w.size), c)
    out = np.empty_like(w)
    out[c] = t
    share = w[rest] / w[rest].sum()
    out[rest] = (1.0 - t) * share
    return out


def _check_estimate_flip(x, up, w, method, prefers, challenger, varied, c, v, direction):  # type: ignore[no-untyped-def]
    eps = 1e-6 * max(1.0, abs(v))
    flip = v + eps if direction == "at least" else v - eps
    stay = v - eps if direction == "at least" else v + eps
    assert _advantage(_with(x, varied, c, flip), up, w, method, challenger, prefers) > 0.0
    assert _advantage(_with(x, varied, c, stay), up, w, method, challenger, prefers) < 0.0


@pytest.mark.parametrize("method", METHODS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    options=st.integers(2, 6),
    criteria=st.integers(1, 4),
    data=st.data(),
)
def test_estimate_threshold_flips_exactly_there_on_random_cases(
    method: str, seed: int, options: int, criteria: int, data: st.DataObject
) -> None:
    x, up, w = _case(seed, options, criteria, 1)
    u = weighted_sum(normalize(x, up, method=method), w[0])  # type: ignore[arg-type]
    prefers = int(np.argmax(u))
    challenger = data.draw(st.sampled_from([o for o in range(options) if o != prefers]))
    varied = data.draw(st.sampled_from([prefers, challenger]))
    c = data.draw(st.integers(0, criteria - 1))
    if u[prefers] - u[challenger] < 1e-9:
        return  # an exact tie flips at today's value; nothing to test
    found = estimate_threshold(
        x,
        up,
        w[0],
        prefers,
        challenger,
        varied,
        c,
        method=method,  # type: ignore[arg-type]
    )
    # Brute-force scanning oracle over a wide grid of non-negative values.
    grid = np.linspace(0.0, 400.0, 4001)
    adv = _scan(x, up, w[0], method, prefers, challenger, varied, c, grid)
    wins = adv > 1e-12
    if found is None:
        assert not wins.any()
        return
    v, direction = found
    _check_estimate_flip(x, up, w[0], method, prefers, challenger, varied, c, v, direction)
    if 0.0 < v < 400.0:
        expected = grid >= v if direction == "at least" else grid <= v
        # Away from the threshold itself, the scan agrees cell by cell.
        far = np.abs(grid - v) > 0.2
        assert np.array_equal(wins[far], expected[far])


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("seed", range(8))
def test_find_cruxes_every_reported_threshold_flips_exactly_there(method: str, seed: int) -> None:
    x, up, w = _case(seed, options=5, criteria=4, stakeholders=4)
    report = find_cruxes(x, up, w, method=method, challengers="all", per_stakeholder=50)  # type: ignore[arg-type]
    assert report.cruxes
    group_w = w.mean(axis=0)
    for crux in report.cruxes:
        ws = group_w if crux.stakeholder is None else w[crux.stakeholder]
        if crux.kind == "estimate":
            assert crux.varied_option is not None
            _check_estimate_flip(
                x,
                up,
                ws,
                method,
                crux.prefers,
                crux.challenger,
                crux.varied_option,
                crux.criterion,
                crux.threshold,
                crux.direction,
            )
        else:
            _check_weight_flip(x, up, ws, method, crux)


def _check_weight_flip(x, up, ws, method, crux: Crux) -> None:  # type: ignore[no-untyped-def]
    t = crux.threshold
    eps = 1e-7
    r = normalize(x, up, method=method)
    u_flip = r @ _rescaled(ws, crux.criterion, t + eps if crux.direction == "at least" else t - eps)
    u_stay = r @ _rescaled(ws, crux.criterion, t - eps if crux.direction == "at least" else t + eps)
    if 0.0 < t < 1.0:
        assert u_flip[crux.challenger] > u_flip[crux.prefers]
        assert u_stay[crux.challenger] < u_stay[crux.prefers]


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), options=st.integers(2, 6), criteria=st.integers(2, 5))
def test_weight_stability_matches_scanning_oracle(seed: int, options: int, criteria: int) -> None:
    x, up, w = _case(seed, options, criteria, 1)
    r = normalize(x, up)
    for interval in weight_stability(r, w, include_group=False):
        c = interval.criterion
        grid = np.linspace(0.0, 1.0, 2001)
        tops = np.array([np.argmax(r @ _rescaled(w[0], c, t)) for t in grid])
        inside = (grid > interval.low + 1e-9) & (grid < interval.high - 1e-9)
        assert np.all(tops[inside] == interval.top)
        if interval.takeover_above is not None:
            t = interval.high + 1e-7
            assert np.argmax(r @ _rescaled(w[0], c, t)) == interval.takeover_above
            outside = grid > interval.high + 1e-6
            assert not np.any(tops[outside][:1] == interval.top)
        else:
            assert interval.high == 1.0
        if interval.takeover_below is not None:
            t = interval.low - 1e-7
            assert np.argmax(r @ _rescaled(w[0], c, t)) == interval.takeover_below
        else:
            assert interval.low == 0.0


def test_weight_threshold_two_options_is_the_crossing() -> None:
    r = np.array([[0.9, 0.1], [0.2, 0.8]])
    t, direction = weight_threshold(r, np.array([0.8, 0.2]), 0, 1, 1) or (None, None)
    assert direction == "at least"
    assert t == pytest.approx(0.7 / 1.4)


def test_estimate_threshold_minmax_two_options_is_the_other_value() -> None:
    x = np.array([[60.0, 10.0], [52.0, 14.0]])
    found = estimate_threshold(
        x, np.array([True, True]), np.array([0.8, 0.2]), 0, 1, 1, 0, method="minmax"
    )
    assert found == (60.0, "at least")


def test_estimate_threshold_returns_none_when_no_value_can_flip() -> None:
    x = np.array([[60.0, 10.0], [52.0, 14.0]])
    # Min-max with two options: growth can at best swing 0.1 of utility, margin costs 0.9.
    found = estimate_threshold(
        x, np.array([True, True]), np.array([0.9, 0.1]), 0, 1, 1, 1, method="minmax"
    )
    assert found is None


def _privacy_case() -> dict:  # type: ignore[type-arg]
    # Options: none, partial, full personalisation; criteria: privacy risk (min), revenue (max).
    likely = np.array([[0.1, 10.0], [0.55, 14.0], [0.9, 18.0]])
    low = np.array([[0.1, 10.0], [0.3, 12.0], [0.8, 15.0]])
    high = np.array([[0.1, 10.0], [0.7, 16.0], [0.95, 20.0]])
    return {
        "estimates": likely,
        "low": low,
        "high": high,
        "maximise": np.array([False, True]),
        "weights": np.array([[0.615, 0.385], [0.2, 0.8]]),
        "method": "minmax",
        "stakeholder_labels": ["Sam", "Priya"],
        "option_labels": ["None", "Partial personalisation", "Full personalisation"],
        "criterion_labels": ["Privacy risk", "Revenue"],
    }


def test_find_cruxes_explains_in_one_sentence_with_range_and_fact() -> None:
    case = _privacy_case()
    dpia = FactLink("the DPIA outcome", option=1, criterion=0, accepted_by=(0, 1))
    report = find_cruxes(**case, facts=[dpia], challengers="all", per_stakeholder=20)
    sam = [c for c in report.cruxes if c.stakeholder == 0 and c.varied_option == 1]
    crux = next(c for c in sam if c.criterion == 0 and c.challenger == 1)
    assert crux.direction == "at most"
    assert crux.inside_range
    assert crux.next_step == "gather data"
    assert crux.explanation == (
        f"Sam would prefer Partial personalisation over None if Partial personalisation's "
        f"privacy risk were at most {crux.threshold:.3g} (today 0.55, range 0.3–0.7) — "
        "the DPIA outcome decides this."
    )


def test_find_cruxes_fact_value_backs_or_contradicts_the_threshold() -> None:
    case = _privacy_case()
    backs = FactLink("dpia-low", option=1, criterion=0, value=0.31, accepted_by=(0, 1))
    report = find_cruxes(**case, facts=[backs], challengers="all", per_stakeholder=20)
    crux = next(
        c
        for c in report.cruxes
        if c.stakeholder == 0 and c.varied_option == 1 and c.criterion == 0 and c.challenger == 1
    )
    assert crux.tier == TIER_BACKED and crux.evidence[0].stance == "backs"
    assert report.cruxes[0] == crux or report.cruxes[0].tier == TIER_BACKED
    against = FactLink("dpia-high", option=1, criterion=0, value=0.69, accepted_by=(0, 1))
    report = find_cruxes(**case, facts=[against], challengers="all", per_stakeholder=20)
    crux = next(
        c
        for c in report.cruxes
        if c.stakeholder == 0 and c.varied_option == 1 and c.criterion == 0 and c.challenger == 1
    )
    assert crux.tier == TIER_IMPLAUSIBLE and "says otherwise" in crux.explanation


def test_find_cruxes_ranked_by_tier_then_relative_change() -> None:
    x, up, w = _case(3, options=6, criteria=4, stakeholders=4)
    report = find_cruxes(x, up, w, low=x * 0.9, high=x * 1.1, challengers="all")
    keys = [(c.tier, c.relative_change) for c in report.cruxes]
    assert keys == sorted(keys)
    per = {}
    for c in report.cruxes:
        per[c.stakeholder] = per.get(c.stakeholder, 0) + 1
    assert max(per.values()) <= 10


def test_find_cruxes_rivals_are_other_stakeholders_top_choices() -> None:
    x, up, w = _case(5, options=8, criteria=3, stakeholders=3)
    report = find_cruxes(x, up, w)
    tops = set(report.top_choices)
    for c in report.cruxes:
        if c.stakeholder is not None:
            assert c.challenger in tops
            assert all(report.top_choices[s] == c.challenger for s in c.rivals)


def test_find_cruxes_missing_estimate_is_a_clear_error() -> None:
    x = np.array([[1.0, np.nan], [2.0, 3.0]])
    with pytest.raises(InputError, match="Push has no usable estimate for growth"):
        find_cruxes(
            x,
            np.array([True, True]),
            np.array([[1.0, 1.0]]),
            option_labels=["Push", "Hold"],
            criterion_labels=["margin", "growth"],
        )


def test_find_cruxes_one_option_has_nothing_to_flip() -> None:
    report = find_cruxes(np.array([[1.0, 2.0]]), np.array([True, True]), np.array([[1.0, 1.0]]))
    assert report.cruxes == [] and report.notes


def test_goal_conflict_inverse_stakeholders_conflict_but_share_a_dimension() -> None:
    r = np.array([[1.0, 0.0, 0.9], [0.0, 1.0, 0.8], [0.5, 0.5, 0.1], [0.6, 0.4, 0.2]])
    w = np.array([[0.6, 0.0, 0.4], [0.0, 0.6, 0.4]])
    gc = goal_conflict(
        r,
        w,
        0,
        1,
        segments=["smb", "enterprise", None],
        horizons=["FY27", "FY27", "FY27"],
        stakeholder_labels=["CMO", "CFO"],
        criterion_labels=["New logos", "Margin", "Customer happiness"],
    )
    assert gc.overall.verdict == "conflict"
    assert gc.agrees_on == ["customer happiness"]
    assert "new logos" in gc.conflicts_on and "margin" in gc.conflicts_on
    scopes = {(v.scope, v.key): v for v in gc.views}
    # Each segment carries one stakeholder's only criterion there: the other has no weight.
    assert scopes[("segment", "smb")].verdict == "undefined"
    assert scopes[("horizon", "FY27")].verdict == "conflict"
    assert gc.explanation.startswith("CMO and CFO rank the options in opposite ways")


def test_spearman_constant_vector_is_undefined_not_a_warning() -> None:
    assert spearman(np.array([1.0, 1.0]), np.array([1.0, 2.0])) is None
    assert spearman(np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 9.0])) == 1.0


def test_crux_benchmark_smoke_run_agrees_with_its_scanning_oracle(benchmark_module: Any) -> None:
    report = benchmark_module("crux").main(["--smoke"])
    for size in ("small", "large"):
        agree, compared = report[size]["oracle_agreement"].split("/")
        assert agree == compared
    assert report["portfolio"]["total_with_floors"]["status"] == "optimal"


def test_average_ranks_equal_scipy_rankdata_with_ties() -> None:
    from scipy.stats import rankdata

    from accord.analysis.agreement import average_ranks

    rng = np.random.default_rng(7)
    for _ in range(200):
        values = rng.integers(0, 6, size=int(rng.integers(1, 30))).astype(np.float64)
        assert np.array_equal(average_ranks(values), rankdata(values))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=1, max_size=40))
def test_average_ranks_match_scipy_rankdata(values: list[int]) -> None:
    from scipy.stats import rankdata

    from accord.analysis.agreement import average_ranks

    x = np.array(values, dtype=np.float64)
    assert np.array_equal(average_ranks(x), rankdata(x))
