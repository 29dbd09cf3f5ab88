"""Weights from every input form; AHP against ahpy (weights and consistency ratio)."""

from __future__ import annotations

import itertools

import ahpy
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.weights import (
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
