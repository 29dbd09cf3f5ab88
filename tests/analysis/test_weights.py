"""Weights from every input form; AHP against ahpy (weights and consistency ratio)."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import ahpy
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.weights import (
    _complete,
    _lambda_max_derivatives,
    _perron_pair,
    ahp_weights,
    direct_weights,
    group_ahp,
    judgement_matrix,
    point_weights,
    random_index_for,
    rank_order_centroid,
    swing_weights,
)
from accord.errors import InputError

SAATY = [1 / 9, 1 / 7, 1 / 5, 1 / 3, 1, 3, 5, 7, 9]


def _ahpy(judgements: list[tuple[int, int, float]], **kwargs: float) -> ahpy.Compare:
    names = "abcdefghij"
    comparisons = {(names[i], names[j]): r for i, j, r in judgements}
    return ahpy.Compare("criteria", comparisons, precision=12, **kwargs)


def _ahpy_weights(compare: ahpy.Compare, n: int) -> list[float]:
    return [float(compare.target_weights[name]) for name in "abcdefghij"[:n]]


def _random_judgements(n: int, seed: int) -> list[tuple[int, int, float]]:
    rng = np.random.default_rng(seed)
    return [(i, j, float(rng.choice(SAATY))) for i, j in itertools.combinations(range(n), 2)]


CONSISTENT = [(0, 1, 2.0), (1, 2, 3.0), (0, 2, 6.0), (0, 3, 8.0), (1, 3, 4.0), (2, 3, 4 / 3)]
MILDLY_INCONSISTENT = [(0, 1, 3.0), (0, 2, 5.0), (1, 2, 2.0), (0, 3, 7.0), (1, 3, 4.0), (2, 3, 0.5)]


@pytest.mark.parametrize(
    ("n", "judgements"),
    [(4, CONSISTENT), (4, MILDLY_INCONSISTENT)]
    + [(n, _random_judgements(n, seed)) for n, seed in [(3, 1), (5, 2), (6, 3), (7, 4), (9, 5)]],
)
def test_ahp_weights_and_cr_equal_ahpy(n: int, judgements: list[tuple[int, int, float]]) -> None:
    ours = ahp_weights(n, judgements, random_index="donegan-dodd")
    theirs = _ahpy(judgements)
    np.testing.assert_allclose(ours.weights, _ahpy_weights(theirs, n), atol=1e-9)
    assert ours.cr == pytest.approx(theirs.consistency_ratio, abs=1e-9)


def test_ahp_incomplete_judgements_equal_ahpy_optimal_completion() -> None:
    judgements = [(0, 1, 3.0), (1, 2, 2.0), (2, 3, 0.5), (0, 3, 7.0)]
    ours = ahp_weights(4, judgements, random_index="donegan-dodd")
    theirs = _ahpy(judgements, tolerance=1e-10)
    np.testing.assert_allclose(ours.weights, _ahpy_weights(theirs, 4), atol=1e-6)
    assert ours.cr == pytest.approx(theirs.consistency_ratio, abs=1e-6)
    assert ours.completed == [(0, 2), (1, 3)]


def test_ahp_consistent_judgements_have_zero_cr() -> None:
    result = ahp_weights(4, CONSISTENT)
    np.testing.assert_allclose(result.weights, np.array([8, 4, 4 / 3, 1]) / (43 / 3), atol=1e-12)
    assert result.cr == pytest.approx(0.0, abs=1e-12)
    assert result.is_consistent


def test_ahp_inconsistent_judgements_name_the_worst_triad() -> None:
    # 0 > 1 > 2 strongly, yet 2 is judged far above 0: the triad (0, 1, 2) is circular.
    judgements = [(0, 1, 5.0), (1, 2, 5.0), (2, 0, 5.0), (0, 3, 3.0), (1, 3, 3.0), (2, 3, 3.0)]
    result = ahp_weights(4, judgements)
    assert not result.is_consistent
    assert result.cr > 0.1
    assert result.worst_triad is not None
    assert result.worst_triad.criteria == [0, 1, 2]
    assert result.worst_triad.inconsistency == pytest.approx(1 - 1 / 125)


def test_ahp_default_random_index_is_alonso_lamata() -> None:
    result = ahp_weights(4, MILDLY_INCONSISTENT)
    assert result.random_index == 0.8816
    assert result.random_index_source == "Alonso & Lamata (2006)"
    assert result.cr == pytest.approx(result.ci / 0.8816)


def test_random_index_beyond_alonso_lamata_falls_back_to_interpolated_donegan_dodd() -> None:
    ri, source = random_index_for(22)
    assert source == "Donegan & Dodd (1991)"
    assert ri == pytest.approx(1.5371 + (1.5619 - 1.5371) * 2 / 5)


def test_ahp_ratio_outside_saaty_scale_is_input_error() -> None:
    with pytest.raises(InputError) as error:
        ahp_weights(3, [(0, 1, 10.0)], labels=["growth", "margin", "speed"])
    assert str(error.value) == (
        "judgements[0]: ratio 10.0 for 'growth' over 'margin' is outside Saaty's scale "
        "(expected 1/9..9)"
    )


def test_ahp_ratio_below_one_ninth_is_input_error() -> None:
    with pytest.raises(InputError, match="outside Saaty's scale"):
        ahp_weights(2, [(0, 1, 0.1)])


def test_ahp_duplicate_pair_is_input_error() -> None:
    with pytest.raises(InputError, match="compared more than once"):
        ahp_weights(2, [(0, 1, 3.0), (1, 0, 3.0)])


def test_ahp_disconnected_judgements_are_input_error() -> None:
    with pytest.raises(InputError, match="never link 'c' to 'a'"):
        ahp_weights(4, [(0, 1, 3.0), (2, 3, 3.0)], labels=["a", "b", "c", "d"])


def test_judgement_matrix_is_reciprocal() -> None:
    a = judgement_matrix(3, [(0, 1, 3.0), (2, 1, 5.0), (0, 2, 1 / 3)])
    np.testing.assert_allclose(a * a.T, np.ones((3, 3)))


def test_group_ahp_is_ahp_of_geometric_mean() -> None:
    sets = [_random_judgements(5, seed) for seed in (11, 12, 13)]
    mats = [judgement_matrix(5, s) for s in sets]
    mean = np.exp(np.mean([np.log(m) for m in mats], axis=0))
    pairs = [(i, j, float(mean[i, j])) for i, j in itertools.combinations(range(5), 2)]
    np.testing.assert_allclose(group_ahp(5, sets).weights, ahp_weights(5, pairs).weights)


def test_group_ahp_of_one_set_equals_individual() -> None:
    assert group_ahp(4, [MILDLY_INCONSISTENT]).weights == pytest.approx(
        ahp_weights(4, MILDLY_INCONSISTENT).weights
    )


def test_group_ahp_without_sets_is_input_error() -> None:
    with pytest.raises(InputError, match="at least one stakeholder"):
        group_ahp(3, [])


def test_rank_order_centroid_barron_barrett_values() -> None:
    # n = 4: (1 + 1/2 + 1/3 + 1/4)/4, (1/2 + 1/3 + 1/4)/4, (1/3 + 1/4)/4, (1/4)/4
    expected = np.array([25 / 48, 13 / 48, 7 / 48, 3 / 48])
    np.testing.assert_allclose(rank_order_centroid([[2], [0], [3], [1]], 4)[[2, 0, 3, 1]], expected)


def test_rank_order_centroid_ties_share_mean_weight() -> None:
    w = rank_order_centroid([[0], [1, 2], [3]], 4)
    assert w[1] == w[2] == pytest.approx((13 / 48 + 7 / 48) / 2)
    assert w.sum() == pytest.approx(1.0)


def test_rank_order_centroid_unlisted_criteria_tie_last() -> None:
    w = rank_order_centroid([[1]], 3)
    assert w[1] == pytest.approx(11 / 18)
    assert w[0] == w[2] == pytest.approx((5 / 18 + 2 / 18) / 2)


def test_rank_order_centroid_repeated_criterion_is_input_error() -> None:
    with pytest.raises(InputError, match="'x' appears twice"):
        rank_order_centroid([[0], [0, 1]], 2, labels=["x", "y"])


def test_direct_weights_sum_to_one() -> None:
    assert direct_weights([2, 6, 2]).tolist() == [0.2, 0.6, 0.2]


def test_direct_weights_all_zero_is_input_error() -> None:
    with pytest.raises(InputError, match="all weights are zero"):
        direct_weights([0, 0])


def test_direct_weights_negative_is_input_error() -> None:
    with pytest.raises(InputError, match=r"weight of 'speed' is -1.0 \(expected >= 0\)"):
        direct_weights([1, -1], labels=["cost", "speed"])


def test_point_weights_not_summing_to_100_is_input_error() -> None:
    with pytest.raises(InputError, match=r"points sum to 90 \(expected exactly 100\)"):
        point_weights([50, 40])


def test_swing_weights_without_a_100_is_input_error() -> None:
    with pytest.raises(InputError, match="largest swing is 80"):
        swing_weights([80, 40])


def test_swing_weights_over_100_is_input_error() -> None:
    with pytest.raises(InputError, match=r"swing of criterion 0 is 120 \(expected 0..100\)"):
        swing_weights([120, 100])


def test_ahp_chain_completion_reaches_beyond_saaty_scale() -> None:
    # 0 = 9 x 1 = 81 x 2 = 729 x 3: the consistent completion needs a_03 = 729.
    result = ahp_weights(4, [(0, 1, 9.0), (1, 2, 9.0), (2, 3, 9.0)])
    np.testing.assert_allclose(result.weights, np.array([729, 81, 9, 1]) / 820, atol=1e-6)
    assert result.cr == pytest.approx(0.0, abs=1e-9)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(1.0, 9.0), min_size=2, max_size=8))  # ratios stay in 1/9..9
def test_ahp_consistent_matrix_recovers_its_weights(raw: list[float]) -> None:
    # a_ij = w_i / w_j is perfectly consistent: the eigenvector is w and CR is 0.
    w = np.array(raw) / sum(raw)
    n = len(raw)
    judgements = [(i, j, float(w[i] / w[j])) for i, j in itertools.combinations(range(n), 2)]
    result = ahp_weights(n, judgements)
    np.testing.assert_allclose(result.weights, w, atol=1e-9)
    assert result.cr == pytest.approx(0.0, abs=1e-9)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=1, max_size=9))
def test_rank_order_centroid_sums_to_one_and_respects_order(tier_of: list[int]) -> None:
    n = len(tier_of)
    tiers = [[c for c in range(n) if tier_of[c] == t] for t in range(5)]
    w = rank_order_centroid(tiers, n)
    assert w.sum() == pytest.approx(1.0)
    for a in range(n):
        for b in range(n):
            if tier_of[a] < tier_of[b]:
                assert w[a] > w[b]
            elif tier_of[a] == tier_of[b]:
                assert w[a] == pytest.approx(w[b])


# ------------------------------------------------- optimal completion of incomplete AHP


def _connected_incomplete_judgements(seed: int) -> tuple[int, list[tuple[int, int, float]]]:
    """Saaty-scale judgements on 3..9 criteria with random pairs missing, still connected."""
    rng = np.random.default_rng(seed)
    n = 3 + seed % 7
    pairs = list(itertools.combinations(range(n), 2))
    n_missing = int(rng.integers(1, (n - 1) * (n - 2) // 2 + 1))  # at most all-but-a-tree
    while True:
        order = rng.permutation(len(pairs))
        known = [pairs[k] for k in order[n_missing:]]
        reached = {0}
        for _ in range(n):
            reached |= {j for i, j in known if i in reached} | {i for i, j in known if j in reached}
        if len(reached) == n:
            return n, [(i, j, float(rng.choice(SAATY))) for i, j in known]


def _completion_problem(
    n: int, judgements: list[tuple[int, int, float]]
) -> tuple[np.ndarray, Callable[[np.ndarray], tuple[float, np.ndarray]]]:
    """The matrix, and λmax with its gradient after filling the missing pairs with exp(t).

    ``∂λ/∂t_ij = (a_ij v_i w_j - a_ji v_j w_i) / (v · w)`` for right and left Perron
    vectors ``w``, ``v`` (Bozóki, Fülöp & Rónyai 2010), written here apart from accord's.
    """
    a = judgement_matrix(n, judgements)
    rows, cols = np.nonzero(np.isnan(np.triu(a, 1)))

    def lambda_max(t: np.ndarray) -> tuple[float, np.ndarray]:
        a[rows, cols] = np.exp(t)
        a[cols, rows] = np.exp(-t)
        values, right = np.linalg.eig(a)
        left_values, left = np.linalg.eig(a.T)
        w = right[:, np.argmax(values.real)].real
        v = left[:, np.argmax(left_values.real)].real
        up = a[rows, cols] * v[rows] * w[cols]
        down = a[cols, rows] * v[cols] * w[rows]
        return float(values.real.max()), (up - down) / (v @ w)

    return a, lambda_max


def _scipy_completion(
    n: int, judgements: list[tuple[int, int, float]], start: np.ndarray
) -> tuple[float, np.ndarray]:
    """L-BFGS-B on λmax over the log-ratios of the missing pairs; λmax and the weights."""
    from scipy.optimize import minimize

    # An exact gradient (test_lambda_max_derivatives_equal_central_differences checks the
    # formula) lets L-BFGS-B reach the optimum to ~1e-8 in the weights in a few ms; with
    # its own finite differences it stops ~1e-5 away, or needs ~50 s for these 210 cases.
    a, lambda_max = _completion_problem(n, judgements)
    bound = np.log(9.0) * (n - 1)
    found = minimize(
        lambda_max,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=[(-bound, bound)] * start.size,
        options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000},
    )
    lam = lambda_max(found.x)[0]
    values, vectors = np.linalg.eig(a)
    w = np.abs(vectors[:, np.argmax(values.real)].real)
    return lam, w / w.sum()


def _log_least_squares_start(n: int, judgements: list[tuple[int, int, float]]) -> np.ndarray:
    """Log-ratios of the missing pairs implied by the log least-squares weights of the known."""
    design = np.zeros((len(judgements) + 1, n))
    for k, (i, j, _) in enumerate(judgements):
        design[k, i], design[k, j] = 1.0, -1.0
    design[-1] = 1.0
    target = [np.log(r) for _, _, r in judgements] + [0.0]
    log_w = np.linalg.lstsq(design, np.array(target), rcond=None)[0]
    rows, cols = np.nonzero(np.isnan(np.triu(judgement_matrix(n, judgements), 1)))
    return np.asarray(log_w[rows] - log_w[cols])


@pytest.mark.parametrize("seed", range(210))
def test_ahp_completion_equals_scipy_lbfgsb_minimum(seed: int) -> None:
    n, judgements = _connected_incomplete_judgements(seed)
    ours = ahp_weights(n, judgements)
    start = _log_least_squares_start(n, judgements)
    same_start, scipy_weights = _scipy_completion(n, judgements, start)
    rng = np.random.default_rng(10_000 + seed)
    others = [
        _scipy_completion(n, judgements, s)[0]
        for s in (np.zeros_like(start), -start, rng.uniform(-2.0, 2.0, start.size))
    ]
    # The optimum is unique (Bozóki, Fülöp & Rónyai 2010): ours is the least λmax of all runs.
    assert ours.lambda_max <= same_start * (1 + 1e-9)
    assert ours.lambda_max <= min(others) * (1 + 1e-9)
    assert ours.lambda_max >= min([same_start, *others]) * (1 - 1e-9)
    np.testing.assert_allclose(ours.weights, scipy_weights, atol=1e-6)
    assert len(ours.completed) == n * (n - 1) // 2 - len(judgements)


@pytest.mark.parametrize(("a01", "a12"), [(2.0, 3.0), (1 / 7, 5.0), (9.0, 9.0), (1 / 9, 1 / 9)])
def test_ahp_completion_of_a_triad_is_the_consistent_product(a01: float, a12: float) -> None:
    # With one pair of three missing, a_02 = a_01 · a_12 makes the matrix consistent: λmax = 3.
    result = ahp_weights(3, [(0, 1, a01), (1, 2, a12)])
    assert result.completed == [(0, 2)]
    assert result.lambda_max == pytest.approx(3.0, rel=1e-12)
    w = np.array([a01 * a12, a12, 1.0])
    np.testing.assert_allclose(result.weights, w / w.sum(), rtol=1e-10)


@pytest.mark.parametrize("a_km", [1 / 9, 1.0, 3.0, 9.0])
def test_ahp_completion_of_bozoki_example_3_is_van_udens_geometric_mean(a_km: float) -> None:
    # Bozóki, Fülöp & Rónyai (2010), example 3: 4 x 4, x = a_ij missing, triads
    # (k, i, j) = (1 5 2 / . 1 x / . . 1) and (m, i, j) = (1 3 4 / . 1 x / . . 1); a_km is
    # not given in the text.  x -> e1·e2/x (e1 = 2/5, e2 = 4/3, the triads' estimates of x)
    # swaps the two 3-cycles through x, and the two 4-cycles, of which the characteristic
    # polynomial is made, so λmax(x) = λmax(e1·e2/x) for every a_km and the convex λmax is
    # least at sqrt(e1·e2) = sqrt(8/15), van Uden's rule.  The paper prints 0.7302965066047
    # from its cyclic coordinates run, "equal to van Uden's approximation up to 6 digits".
    k, m, i, j = 0, 1, 2, 3
    a = judgement_matrix(4, [(k, m, a_km), (k, i, 5.0), (k, j, 2.0), (m, i, 3.0), (m, j, 4.0)])
    assert _complete(a, None) == [(i, j)]
    assert a[i, j] == pytest.approx(0.7302965066047, abs=1e-6)
    assert a[i, j] == pytest.approx(np.sqrt(8 / 15), rel=1e-10)
    assert a[i, j] * a[j, i] == pytest.approx(1.0, rel=1e-15)


def test_lambda_max_derivatives_equal_central_differences() -> None:
    # Away from the optimum, so the gradient is not ~0 and every Hessian entry is exercised.
    n, judgements = 6, [(0, 1, 3.0), (1, 2, 5.0), (2, 3, 1 / 7), (3, 4, 9.0), (4, 5, 2.0)]
    judgements += [(0, 3, 1 / 5), (1, 5, 7.0)]
    a = judgement_matrix(n, judgements)
    rows, cols = np.nonzero(np.isnan(np.triu(a, 1)))
    t = np.random.default_rng(7).uniform(-2.0, 2.0, rows.size)
    a[rows, cols] = np.exp(t)
    a[cols, rows] = np.exp(-t)
    lam, w, v = _perron_pair(a)
    gradient, hessian = _lambda_max_derivatives(a, rows, cols, lam, w, v)

    _, lambda_max = _completion_problem(n, judgements)

    def lam_at(shift: np.ndarray) -> float:
        return lambda_max(t + shift)[0]

    h = 1e-3
    basis = np.eye(rows.size) * h
    numeric_gradient = [(lam_at(e) - lam_at(-e)) / (2 * h) for e in basis]
    numeric_hessian = [
        [
            (lam_at(e + f) - lam_at(e - f) - lam_at(f - e) + lam_at(-e - f)) / (4 * h * h)
            for f in basis
        ]
        for e in basis
    ]
    np.testing.assert_allclose(gradient, numeric_gradient, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(hessian, numeric_hessian, rtol=1e-4, atol=1e-5)
