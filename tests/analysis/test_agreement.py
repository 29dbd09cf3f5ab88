"""Agreement measures: Kendall's W (hand-worked, with ties), Krippendorff's alpha oracle,
tau-b, weight dispersion, the fact base, the alignment index and its sentences."""

from __future__ import annotations

import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import friedmanchisquare, kendalltau

from accord.analysis import agreement as agree
from accord.analysis.agreement import (
    AlignmentIndex,
    alignment_index,
    explain_alignment,
    explain_dispersion,
    explain_pair,
    fact_agreement,
    kendall_w,
    krippendorff_alpha,
    pair_agreement,
    rank_correlations,
    weight_dispersion,
    weight_distances,
)
from accord.errors import InputError

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", p. 8: 4 observers x 12
# units, values 1..5, with missing values.
KRIPPENDORFF_2011 = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, np.nan, np.nan, np.nan],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, np.nan, 3],
        [np.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, np.nan],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, np.nan],
    ]
)


def test_kendall_w_hand_worked_example_with_ties() -> None:
    # m = 3 stakeholders rank n = 4 options (1 = best); B ties options 2 and 3.
    ranks = np.array([[1, 2, 3, 4], [1, 2, 2, 4], [2, 1, 3, 4]])
    # Mid-ranks: B's tie becomes 2.5, 2.5.  Rank sums R = 1+1+2, 2+2.5+1, 3+2.5+3, 4+4+4
    #   = 4, 5.5, 8.5, 12 (total 30 = m n (n+1) / 2); mean m (n+1) / 2 = 7.5.
    # S = 3.5² + 2² + 1² + 4.5² = 12.25 + 4 + 1 + 20.25 = 37.5.
    # Ties (Siegel & Castellan 1988, eq. 9.16): B has one group of t = 2, T = 2³ - 2 = 6.
    # W = 12 S / (m² (n³ - n) - m ΣT) = 450 / (9 · 60 - 3 · 6) = 450 / 522 = 25/29.
    # χ² = m (n - 1) W = 9 · 25/29 = 225/29 ≈ 7.7586 with 3 df (eq. 9.17).
    result = kendall_w(ranks)
    assert result.w == pytest.approx(25 / 29, abs=1e-12)
    assert result.chi_square == pytest.approx(225 / 29, abs=1e-12)
    assert result.df == 3
    # Without the tie correction W would be 450 / 540 = 0.8333: the correction matters.
    assert result.w != pytest.approx(450 / 540)


@pytest.mark.parametrize("seed", range(5))
def test_kendall_w_equals_tie_corrected_friedman(seed: int) -> None:
    # Friedman's χ² with tie correction is m (n - 1) W (Siegel & Castellan 1988, §7.2.4, §9.4).
    ranks = np.random.default_rng(seed).integers(1, 4, (6, 7)).astype(float)
    result = kendall_w(ranks)
    reference = friedmanchisquare(*ranks.T)
    assert result.chi_square == pytest.approx(reference.statistic, abs=1e-9)
    assert result.p_value == pytest.approx(reference.pvalue, abs=1e-9)


def test_kendall_w_full_disagreement_is_zero() -> None:
    assert kendall_w(np.array([[1, 2], [2, 1]])).w == 0.0


def test_kendall_w_all_indifferent_is_zero() -> None:
    assert kendall_w(np.ones((3, 4))).w == 0.0


def test_kendall_w_one_stakeholder_is_input_error() -> None:
    with pytest.raises(InputError, match="at least 2 stakeholders and 2 options, got 1 and 3"):
        kendall_w(np.array([[1, 2, 3]]))


@pytest.mark.parametrize("level", ["ordinal", "interval"])
def test_krippendorff_alpha_textbook_data_equals_package(level: str) -> None:
    ours = krippendorff_alpha(KRIPPENDORFF_2011, level=level)  # type: ignore[arg-type]
    theirs = krippendorff.alpha(KRIPPENDORFF_2011, level_of_measurement=level)
    assert ours == pytest.approx(theirs, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    raters=st.integers(2, 6),
    units=st.integers(2, 15),
    values=st.integers(2, 7),
    missing=st.floats(0.0, 0.5),
    level=st.sampled_from(["ordinal", "interval"]),
)
def test_krippendorff_alpha_equals_package_with_missing_values(
    seed: int, raters: int, units: int, values: int, missing: float, level: str
) -> None:
    rng = np.random.default_rng(seed)
    data = rng.integers(1, values + 1, (raters, units)).astype(float)
    data[rng.random(data.shape) < missing] = np.nan
    ours = krippendorff_alpha(data, level=level)  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the package divides 0/0 where alpha is undefined
        try:
            theirs = float(krippendorff.alpha(data, level_of_measurement=level))
        except ValueError:  # the package refuses data with no pairable unit
            theirs = float("nan")
    if ours is None:
        assert np.isnan(theirs)
    else:
        assert ours == pytest.approx(theirs, abs=1e-9)


def test_krippendorff_alpha_no_variation_is_none() -> None:
    assert krippendorff_alpha(np.array([[2.0, 2.0], [2.0, np.nan]])) is None


def test_rank_correlations_equal_scipy_tau_b_with_ties() -> None:
    scores = np.random.default_rng(4).integers(1, 4, (5, 9)).astype(float)
    tau = rank_correlations(scores)
    for i in range(5):
        for j in range(5):
            expected = 1.0 if i == j else kendalltau(scores[i], scores[j]).statistic
            assert tau[i, j] == pytest.approx(expected, abs=1e-12)


def test_rank_correlations_indifferent_stakeholder_is_zero() -> None:
    tau = rank_correlations(np.array([[1.0, 2.0, 3.0], [5.0, 5.0, 5.0]]))
    assert tau.tolist() == [[1.0, 0.0], [0.0, 1.0]]


def test_weight_dispersion_finds_furthest_pair() -> None:
    w = np.array([[0.10, 0.50, 0.40], [0.45, 0.05, 0.50], [0.30, 0.30, 0.40]])
    d = weight_dispersion(w)
    assert d.most_disputed == 1
    widest = d.criteria[1]
    assert (widest.lowest, widest.highest) == (1, 0)
    assert (widest.low, widest.high) == pytest.approx((0.05, 0.50))
    assert widest.range == pytest.approx(0.45)
    assert widest.std == pytest.approx(np.std([0.50, 0.05, 0.30]))


def test_weight_dispersion_equal_ranges_pick_the_first_criterion() -> None:
    assert weight_dispersion(np.array([[0.2, 0.8], [0.6, 0.4]])).most_disputed == 0


def test_pair_agreement_counts_criteria_within_tolerance() -> None:
    w = np.array([[0.30, 0.30, 0.10, 0.30], [0.27, 0.18, 0.45, 0.10]])
    p = pair_agreement(w, 0, 1)
    assert (p.agreed, p.criteria, p.widest) == (1, 4, 2)
    assert (p.first_weight, p.second_weight) == pytest.approx((0.10, 0.45))


def test_explain_pair_names_people_and_widest_criterion() -> None:
    w = np.array([[0.30, 0.30, 0.10, 0.30], [0.27, 0.28, 0.45, 0.00]])
    sentence = explain_pair(
        pair_agreement(w, 0, 1), ["Dana", "Sam"], ["growth", "margin", "privacy risk", "speed"]
    )
    assert sentence == (
        "Dana and Sam agree on 2 of 4 criteria; they disagree most on privacy risk weight: "
        "0.10 vs 0.45."
    )


def test_explain_pair_full_agreement() -> None:
    w = np.array([[0.5, 0.5], [0.52, 0.48]])
    sentence = explain_pair(pair_agreement(w, 0, 1), ["Dana", "Sam"], ["a", "b"])
    assert sentence == "Dana and Sam agree on 2 of 2 criteria (weights within 0.05 of each other)."


def test_explain_dispersion_names_extremes() -> None:
    d = weight_dispersion(np.array([[0.2, 0.5, 0.3], [0.6, 0.2, 0.2], [0.4, 0.3, 0.3]]))
    assert explain_dispersion(d, ["Dana", "Sam", "Lee"], ["privacy", "growth", "cost"]) == (
        "Stakeholders disagree most about privacy: Dana gives it 0.20, Sam 0.60."
    )


def test_fact_agreement_classifies_facts() -> None:
    accepted = np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0], [0, 0, 0]], dtype=bool)
    disputed = np.array([[0, 0, 0], [0, 1, 1], [0, 0, 0], [0, 0, 1]], dtype=bool)
    f = fact_agreement(accepted, disputed)
    assert f.accepted_by_all == [0]
    assert f.disputed == {1: [1, 2], 3: [2]}
    assert f.open == [2]
    assert f.undisputed_share == 0.5


def test_fact_agreement_accept_and_dispute_is_input_error() -> None:
    both = np.array([[True]])
    with pytest.raises(InputError, match="stakeholder 0 both accepts and disputes fact 0"):
        fact_agreement(both, both)


def test_alignment_index_full_agreement_is_100() -> None:
    ranks = np.array([[1, 2, 3], [1, 2, 3]])
    weights = np.array([[0.2, 0.8], [0.2, 0.8]])
    facts = fact_agreement(np.ones((2, 2), bool), np.zeros((2, 2), bool))
    result = alignment_index(ranks, weights, facts)
    assert result.index == pytest.approx(100.0)
    assert result.components == ["rankings", "weights", "facts"]


def test_alignment_index_is_mean_of_components() -> None:
    ranks = np.array([[1, 2], [2, 1]])  # W = 0
    weights = np.array([[1.0, 0.0], [0.5, 0.5]])  # distance 0.5 -> 0.5
    facts = fact_agreement(np.zeros((4, 2), bool), np.array([[1, 0], [0, 0], [0, 0], [0, 0]], bool))
    result = alignment_index(ranks, weights, facts)
    assert (result.rankings, result.weights, result.facts) == (0.0, 0.5, 0.75)
    assert result.index == pytest.approx(100 * (0.0 + 0.5 + 0.75) / 3)


def test_alignment_index_one_stakeholder_without_facts_has_no_components() -> None:
    result = alignment_index(np.array([[1, 2]]), np.array([[1.0, 1.0]]), None)
    assert result.components == [] and result.index == 0.0
    assert explain_alignment(result, options=2, excluded=0) == (
        "Alignment 0 of 100: not enough inputs to measure agreement."
    )


def test_weight_distances_are_total_variation() -> None:
    d = weight_distances(np.array([[3.0, 1.0], [1.0, 3.0]]))
    assert d[0, 1] == pytest.approx(0.5)


def test_explain_alignment_lists_components() -> None:
    a = AlignmentIndex(71.4, 0.6, 0.9, 0.65, ["rankings", "weights", "facts"])
    assert explain_alignment(a, options=4, excluded=1) == (
        "Alignment 71 of 100, high (70 or more): the rankings of all 4 options, the excluded "
        "one included, are 60 of 100 alike, what matters to them is 90 of 100 alike and 35% of "
        "the facts are disputed by someone."
    )


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), stakeholders=st.integers(2, 6), options=st.integers(2, 6))
def test_alignment_index_permuting_stakeholders_changes_nothing(
    seed: int, stakeholders: int, options: int
) -> None:
    rng = np.random.default_rng(seed)
    ranks = rng.integers(1, options + 1, (stakeholders, options)).astype(float)
    weights = rng.uniform(0.0, 1.0, (stakeholders, 3)) + 0.01
    accepted = rng.random((4, stakeholders)) < 0.5
    disputed = ~accepted & (rng.random((4, stakeholders)) < 0.3)
    order = rng.permutation(stakeholders)
    base = alignment_index(ranks, weights, fact_agreement(accepted, disputed))
    shuffled = alignment_index(
        ranks[order], weights[order], fact_agreement(accepted[:, order], disputed[:, order])
    )
    assert shuffled.index == pytest.approx(base.index, abs=1e-9)
    assert 0.0 <= base.index <= 100.0


def _naive_order_products(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = x.shape[1]
    i, j = np.triu_indices(n, 1)
    signs = np.sign(x[:, i] - x[:, j])
    return signs @ signs.T, np.abs(signs) @ np.abs(signs).T, np.abs(signs).sum(axis=1)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 6),
    st.integers(0, 80),
    st.booleans(),
    st.integers(0, 2**31),
)
def test_pairwise_order_products_match_explicit_sign_products(
    rows: int, options: int, ties: bool, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 4, (rows, options)).astype(float) if ties else rng.random((rows, options))
    dot, both, untied = agree.pairwise_order_products(x)
    want_dot, want_both, want_untied = _naive_order_products(x)
    assert np.array_equal(dot, want_dot)
    assert np.array_equal(both, want_both)
    assert np.array_equal(untied, want_untied)


def test_pairwise_order_products_packed_bits_span_several_blocks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(agree, "_BLOCK_CELLS", 50)  # past the one-product path
    monkeypatch.setattr(agree, "_BLOCK_BITS", 500)  # many blocks, each not a multiple of 64
    x = np.random.default_rng(1).random((7, 120))
    assert np.array_equal(agree.pairwise_order_products(x)[0], _naive_order_products(x)[0])


@pytest.mark.parametrize("ties", [False, True])
def test_pairwise_order_products_large_path_matches_explicit_products(
    monkeypatch: pytest.MonkeyPatch, ties: bool
) -> None:
    monkeypatch.setattr(agree, "_BLOCK_CELLS", 50)  # past the one-product path, many blocks
    rng = np.random.default_rng(2)
    x = rng.integers(0, 5, (5, 40)).astype(float) if ties else rng.random((5, 40))
    got, want = agree.pairwise_order_products(x), _naive_order_products(x)
    assert all(np.array_equal(a, b) for a, b in zip(got, want, strict=True))
