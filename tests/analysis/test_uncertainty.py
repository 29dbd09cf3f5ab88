"""Monte Carlo over estimate ranges: determinism, degenerate ranges, distribution moments."""

from __future__ import annotations

import numpy as np
import pytest

from accord.analysis.mcda import rank, topsis, weighted_sum
from accord.analysis.normalization import normalize
from accord.analysis.uncertainty import rank_first_probability, sample_estimates
from accord.errors import InputError


def _ranges(seed: int = 0, options: int = 6, criteria: int = 4) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    likely = rng.uniform(10.0, 100.0, (options, criteria))
    low = likely * rng.uniform(0.6, 1.0, likely.shape)
    high = likely * rng.uniform(1.0, 1.4, likely.shape)
    maximise = np.array([True, False, True, False])[:criteria]
    weights = rng.uniform(0.1, 1.0, (3, criteria))
    return low, likely, high, maximise, weights


def test_rank_first_probability_same_seed_same_answer() -> None:
    low, likely, high, up, w = _ranges()
    first = rank_first_probability(low, likely, high, up, w, draws=2_000, seed=7)
    again = rank_first_probability(low, likely, high, up, w, draws=2_000, seed=7)
    assert np.array_equal(first, again)


def test_rank_first_probability_other_seed_other_draws() -> None:
    low, likely, high = np.array([[4.0], [3.0]]), np.array([[5.0], [4.0]]), np.array([[6.0], [9.0]])
    up, w = np.array([True]), np.array([1.0])
    a = rank_first_probability(low, likely, high, up, w, draws=2_000, seed=1)
    b = rank_first_probability(low, likely, high, up, w, draws=2_000, seed=2)
    assert not np.array_equal(a, b)


@pytest.mark.parametrize("distribution", ["pert", "triangular"])
@pytest.mark.parametrize("scoring", ["weighted_sum", "topsis"])
def test_rank_first_probability_rows_sum_to_one_with_group_row(
    distribution: str, scoring: str
) -> None:
    low, likely, high, up, w = _ranges()
    p = rank_first_probability(
        low,
        likely,
        high,
        up,
        w,
        draws=500,
        distribution=distribution,
        scoring=scoring,  # type: ignore[arg-type]
    )
    assert p.shape == (w.shape[0] + 1, likely.shape[0])
    np.testing.assert_allclose(p.sum(axis=1), 1.0)


@pytest.mark.parametrize("scoring", ["weighted_sum", "topsis"])
def test_degenerate_ranges_give_the_deterministic_ranking(scoring: str) -> None:
    _, likely, _, up, w = _ranges()
    p = rank_first_probability(likely, likely, likely, up, w, draws=50, scoring=scoring)  # type: ignore[arg-type]
    if scoring == "topsis":
        utilities = topsis(likely, w, up)
    else:
        utilities = weighted_sum(normalize(likely, up), w)
    for s in range(w.shape[0]):
        expected = (rank(utilities[s]) == 1).astype(float)
        assert p[s].tolist() == expected.tolist()
    group = (rank(utilities.mean(axis=0)) == 1).astype(float)
    assert p[-1].tolist() == group.tolist()


def test_exact_tie_splits_the_first_place() -> None:
    x = np.array([[1.0, 2.0], [2.0, 1.0]])
    p = rank_first_probability(x, x, x, np.array([True, True]), np.array([1.0, 1.0]), draws=10)
    assert p.tolist() == [0.5, 0.5]


def test_wide_range_moves_probability() -> None:
    # Option 0 is certain at 5; option 1 is likely 4 but could reach 9: sometimes first.
    low = np.array([[5.0], [3.0]])
    likely = np.array([[5.0], [4.0]])
    high = np.array([[5.0], [9.0]])
    p = rank_first_probability(low, likely, high, np.array([True]), np.array([1.0]), seed=3)
    assert 0.1 < p[1] < 0.6
    assert p.sum() == pytest.approx(1.0)


def test_pert_sample_moments_match_beta_pert() -> None:
    a, m, b = 2.0, 3.0, 10.0
    x = sample_estimates(
        np.array([[a]]), np.array([[m]]), np.array([[b]]), 400_000, np.random.default_rng(0)
    )
    mean = (a + 4 * m + b) / 6  # Malcolm et al. 1959
    var = (mean - a) * (b - mean) / 7  # Beta-PERT with λ = 4 (Vose 2008)
    assert x.mean() == pytest.approx(mean, abs=0.01)
    assert x.var() == pytest.approx(var, rel=0.01)
    assert x.min() >= a and x.max() <= b


def test_triangular_sample_moments_match_triangular() -> None:
    a, m, b = 2.0, 3.0, 10.0
    x = sample_estimates(
        np.array([[a]]),
        np.array([[m]]),
        np.array([[b]]),
        400_000,
        np.random.default_rng(0),
        distribution="triangular",
    )
    assert x.mean() == pytest.approx((a + m + b) / 3, abs=0.01)
    var = (a * a + b * b + m * m - a * b - a * m - b * m) / 18
    assert x.var() == pytest.approx(var, rel=0.01)


def test_mode_at_an_end_of_the_range_is_sampled() -> None:
    x = sample_estimates(
        np.array([[0.0, 0.0]]),
        np.array([[0.0, 1.0]]),
        np.array([[1.0, 1.0]]),
        50_000,
        np.random.default_rng(1),
        distribution="triangular",
    )
    assert x[:, 0, 0].mean() == pytest.approx(1 / 3, abs=0.01)
    assert x[:, 0, 1].mean() == pytest.approx(2 / 3, abs=0.01)


def test_low_above_likely_is_input_error() -> None:
    x = np.ones((2, 1))
    with pytest.raises(InputError, match=r"low=2, likely=1, high=1 \(expected low <= likely"):
        rank_first_probability(x * 2, x, x, np.array([True]), np.array([1.0]))


def test_nan_estimate_is_input_error() -> None:
    x = np.ones((2, 1))
    bad = x.copy()
    bad[1, 0] = np.nan
    with pytest.raises(InputError, match=r"high estimate at \(1, 0\) is nan"):
        rank_first_probability(x, x, bad, np.array([True]), np.array([1.0]))


def test_zero_draws_is_input_error() -> None:
    x = np.ones((2, 1))
    with pytest.raises(InputError, match="draws is 0"):
        rank_first_probability(x, x, x, np.array([True]), np.array([1.0]), draws=0)
