"""Weighted sum and TOPSIS against pymcdm, ranks with ties, group scoring, bad weights."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymcdm import normalizations as pymcdm_norm
from pymcdm.methods import TOPSIS, WSM

from accord.analysis.mcda import (
    group_utilities,
    group_weights,
    rank,
    score_options,
    topsis,
    weighted_sum,
)
from accord.analysis.normalization import normalize
from accord.errors import InputError

PYMCDM_NORMALIZATION = {
    "vector": pymcdm_norm.vector_normalization,
    "minmax": pymcdm_norm.minmax_normalization,
}


def _problem(seed: int, options: int = 8, criteria: int = 5) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    estimates = rng.uniform(1.0, 100.0, (options, criteria))
    maximise = rng.random(criteria) < 0.5
    maximise[0], maximise[-1] = True, False  # always mixed directions
    weights = rng.uniform(0.0, 1.0, (4, criteria))
    return estimates, maximise, weights


@pytest.mark.parametrize("normalization", ["vector", "minmax"])
@pytest.mark.parametrize("seed", range(6))
def test_topsis_equals_pymcdm_on_random_matrices(normalization: str, seed: int) -> None:
    x, up, w = _problem(seed)
    ours = topsis(x, w, up, normalization=normalization)  # type: ignore[arg-type]
    method = TOPSIS(PYMCDM_NORMALIZATION[normalization])
    for s in range(w.shape[0]):
        theirs = method(x, w[s] / w[s].sum(), np.where(up, 1, -1))
        np.testing.assert_allclose(ours[s], theirs, rtol=0, atol=1e-9)


@pytest.mark.parametrize("normalization", ["vector", "minmax"])
@pytest.mark.parametrize("seed", range(6))
def test_weighted_sum_equals_pymcdm_on_random_matrices(normalization: str, seed: int) -> None:
    x, up, w = _problem(seed)
    ours = weighted_sum(normalize(x, up, method=normalization), w)  # type: ignore[arg-type]
    method = WSM(PYMCDM_NORMALIZATION[normalization])
    for s in range(w.shape[0]):
        theirs = method(x, w[s] / w[s].sum(), np.where(up, 1, -1))
        np.testing.assert_allclose(ours[s], theirs, rtol=0, atol=1e-9)


def test_topsis_single_weight_vector_returns_one_row() -> None:
    x, up, w = _problem(1)
    assert topsis(x, w[0], up).shape == (x.shape[0],)
    np.testing.assert_allclose(topsis(x, w[0], up), topsis(x, w[:1], up)[0])


def test_topsis_identical_options_are_half_way() -> None:
    x = np.ones((3, 2))
    assert topsis(x, np.array([0.5, 0.5]), np.array([True, False])).tolist() == [0.5] * 3


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    factor=st.floats(1e-3, 1e3, allow_nan=False),
    method=st.sampled_from(["weighted_sum", "topsis"]),
)
def test_scoring_weight_scaling_changes_no_ranking(seed: int, factor: float, method: str) -> None:
    x, up, w = _problem(seed)
    base = score_options(x, w, up, method=method)  # type: ignore[arg-type]
    scaled = score_options(x, w * factor, up, method=method)  # type: ignore[arg-type]
    assert base.ranks == scaled.ranks
    assert base.group_ranks == scaled.group_ranks


def test_rank_ties_share_the_better_rank() -> None:
    assert rank(np.array([0.5, 0.9, 0.5, 0.1])).tolist() == [2, 1, 2, 4]


def test_rank_within_tolerance_is_a_tie() -> None:
    assert rank(np.array([0.3, 0.3 + 1e-14, 0.2])).tolist() == [1, 1, 3]


def test_group_utilities_weighted_sum_equal_utilities_under_mean_weights() -> None:
    x, up, w = _problem(3)
    r = normalize(x, up)
    np.testing.assert_allclose(
        group_utilities(weighted_sum(r, w)), weighted_sum(r, group_weights(w)), atol=1e-12
    )


def test_score_options_reports_non_discriminating_criterion() -> None:
    x = np.array([[1.0, 5.0, 3.0], [2.0, 5.0, 1.0], [3.0, 5.0, 2.0]])
    result = score_options(x, np.array([[1.0, 100.0, 1.0]]), np.array([True, True, False]))
    assert result.non_discriminating == [1]
    # The constant criterion has no influence even with a huge weight.
    expected = weighted_sum(normalize(x[:, [0, 2]], np.array([True, False])), np.ones(2))
    assert result.ranks[0] == rank(expected).tolist()


def test_score_options_result_is_plain_data() -> None:
    x, up, w = _problem(2)
    result = score_options(x, w, up, method="topsis", normalization="minmax")
    assert result.method == "topsis" and result.normalization == "minmax"
    assert all(type(v) is float for v in result.group_utilities)
    assert all(type(v) is int for v in result.group_ranks)


def test_weighted_sum_negative_weight_is_input_error() -> None:
    with pytest.raises(InputError, match=r"weight of 'cost' is -0.5 \(expected >= 0\)"):
        weighted_sum(np.eye(2), np.array([1.0, -0.5]), labels=["growth", "cost"])


def test_weighted_sum_nan_weight_is_input_error() -> None:
    with pytest.raises(InputError, match=r"weight of criterion 0 is nan"):
        weighted_sum(np.eye(2), np.array([np.nan, 1.0]))


def test_weighted_sum_all_zero_weights_is_input_error() -> None:
    with pytest.raises(InputError, match="all weights are zero"):
        weighted_sum(np.eye(2), np.array([[1.0, 1.0], [0.0, 0.0]]))


def test_weighted_sum_wrong_weight_width_is_value_error() -> None:
    with pytest.raises(ValueError, match="weights need 2 columns"):
        weighted_sum(np.eye(2), np.array([1.0, 1.0, 1.0]))


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4), st.integers(65, 200), st.booleans(), st.integers(0, 2**31))
def test_rank_by_sorting_equals_rank_by_comparison_for_many_options(
    rows: int, options: int, near_ties: bool, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    u = rng.integers(0, 5, (rows, options)) * 1e-13 if near_ties else rng.random((rows, options))
    by_comparison = 1 + (u[..., None, :] > u[..., :, None] + 1e-12).sum(axis=-1)
    assert np.array_equal(rank(u), by_comparison)
    assert np.array_equal(rank(u[0]), by_comparison[0])
