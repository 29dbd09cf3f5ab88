"""Threshold maths: every solved threshold is where a scanning oracle sees the flip."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.analysis.crux.lenses import Lenses, rows_of, weights_after
from accord.analysis.crux.search import weight_intervals
from accord.analysis.crux.thresholds import estimate_threshold, winning_interval
from accord.analysis.mcda import weighted_sum
from accord.analysis.normalization import normalize

METHODS = ["vector", "minmax"]


def random_case(seed: int, options: int, criteria: int, stakeholders: int = 3) -> tuple:  # type: ignore[type-arg]
    rng = np.random.default_rng(seed)
    x = rng.uniform(1.0, 100.0, (options, criteria))
    up = rng.random(criteria) < 0.5
    w = rng.uniform(0.05, 1.0, (stakeholders, criteria))
    return x, up, w / w.sum(axis=1, keepdims=True)


def scan(x, up, w, method, prefers, challenger, varied, c, grid):  # type: ignore[no-untyped-def]
    """Challenger's advantage for every grid value of one estimate (one normalize call)."""
    col = np.repeat(x[:, c : c + 1], grid.size, axis=1)
    col[varied] = grid
    n = normalize(col, np.full(grid.size, up[c]), method=method)
    r = normalize(x, up, method=method)
    others = np.delete(np.arange(x.shape[1]), c)
    rest = float(np.sum(w[others] * (r[challenger, others] - r[prefers, others])))
    return w[c] * (n[challenger] - n[prefers]) + rest


@pytest.mark.parametrize("method", METHODS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), options=st.integers(2, 6), criteria=st.integers(1, 4),
       data=st.data())  # fmt: skip
def test_estimate_threshold_is_where_a_scan_sees_the_flip(
    method: str, seed: int, options: int, criteria: int, data: st.DataObject
) -> None:
    x, up, w = random_case(seed, options, criteria, 1)
    u = weighted_sum(normalize(x, up, method=method), w[0])  # type: ignore[arg-type]
    prefers = int(np.argmax(u))
    challenger = data.draw(st.sampled_from([o for o in range(options) if o != prefers]))
    varied = data.draw(st.sampled_from([prefers, challenger]))
    c = data.draw(st.integers(0, criteria - 1))
    if u[prefers] - u[challenger] < 1e-9:
        return  # an exact tie flips at today's value; nothing to test
    found = estimate_threshold(x, up, w[0], prefers, challenger, varied, c, method=method)  # type: ignore[arg-type]
    grid = np.linspace(0.0, 400.0, 4001)
    wins = scan(x, up, w[0], method, prefers, challenger, varied, c, grid) > 1e-12
    if found is None:
        assert not wins.any()
        return
    v, above = found
    if 0.0 < v < 400.0:
        expected = grid > v if above else grid < v
        far = np.abs(grid - v) > 0.2  # away from the threshold the scan agrees cell by cell
        assert np.array_equal(wins[far], expected[far])


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), options=st.integers(2, 6), criteria=st.integers(2, 5))
def test_weight_intervals_match_a_scanning_oracle(seed: int, options: int, criteria: int) -> None:
    x, up, w = random_case(seed, options, criteria, 1)
    rows = rows_of(Lenses.build(x, w, up, method="vector"))
    r = rows.scores[0]
    for interval in weight_intervals(rows, np.arange(options)):
        c = interval.criterion
        grid = np.linspace(0.0, 1.0, 2001)
        tops = np.array([np.argmax(r @ weights_after(w[0], c, t)) for t in grid])
        inside = (grid > interval.low + 1e-9) & (grid < interval.high - 1e-9)
        assert np.all(tops[inside] == interval.top)
        if interval.takeover_above is not None:
            t = interval.high + 1e-7
            assert np.argmax(r @ weights_after(w[0], c, t)) == interval.takeover_above
        else:
            assert interval.high == 1.0
        if interval.takeover_below is not None:
            t = interval.low - 1e-7
            assert np.argmax(r @ weights_after(w[0], c, t)) == interval.takeover_below
        else:
            assert interval.low == 0.0


def test_weight_intervals_among_candidates_ignore_an_excluded_option() -> None:
    # Option 2 would win for this stakeholder, but it is not a candidate.
    x = np.array([[10.0, 0.0], [0.0, 10.0], [9.0, 9.0]])
    rows = rows_of(Lenses.build(x, np.array([[0.6, 0.4]]), np.array([True, True]), method="minmax"))
    (first, _) = weight_intervals(rows, np.array([0, 1]))
    assert first.top == 0 and first.takeover_below == 1 and first.low == pytest.approx(0.5)


def test_estimate_threshold_minmax_two_options_is_the_other_value() -> None:
    x = np.array([[60.0, 10.0], [52.0, 14.0]])
    found = estimate_threshold(
        x, np.array([True, True]), np.array([0.8, 0.2]), 0, 1, 1, 0, method="minmax"
    )
    assert found == (60.0, True)


def test_estimate_threshold_returns_none_when_no_value_can_flip() -> None:
    x = np.array([[60.0, 10.0], [52.0, 14.0]])
    # Min-max with two options: growth can at best swing 0.1 of utility, margin costs 0.9.
    found = estimate_threshold(
        x, np.array([True, True]), np.array([0.9, 0.1]), 0, 1, 1, 1, method="minmax"
    )
    assert found is None


def test_winning_interval_is_the_intersection_of_the_half_lines() -> None:
    assert winning_interval(np.array([-0.2, 0.4]), np.array([0.4, -0.5])) == (0.5, 0.8)
    assert winning_interval(np.array([0.1]), np.array([0.0])) == (0.0, 1.0)
    assert winning_interval(np.array([-0.1]), np.array([0.0])) is None
