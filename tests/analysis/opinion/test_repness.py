"""Polis repness statistics."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.opinion.repness import (
    GroupCounts,
    prop_test,
    repness_stats,
    representative,
    two_prop_test,
)


def test_prop_test_matches_polis_formula() -> None:
    # 2·sqrt(n+1)·((s+1)/(n+1) - 1/2) with s = 9, n = 10.
    assert prop_test(np.array([9.0]), np.array([10.0]))[0] == 2 * np.sqrt(11) * (10 / 11 - 0.5)


def test_two_prop_test_is_zero_when_pool_is_certain() -> None:
    # Polis returns 0 when the pooled proportion is 1 (division by zero otherwise).
    z = two_prop_test(*(np.array([v]) for v in (5.0, 3.0, 5.0, 3.0)))
    assert z.tolist() == [0.0]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30), st.integers(0, 30))
def test_two_prop_test_antisymmetric_when_groups_swap(a: int, b: int, c: int, d: int) -> None:
    n1, n2 = a + b, c + d
    z1 = two_prop_test(
        np.array([a * 1.0]), np.array([c * 1.0]), np.array([n1 * 1.0]), np.array([n2 * 1.0])
    )
    z2 = two_prop_test(
        np.array([c * 1.0]), np.array([a * 1.0]), np.array([n2 * 1.0]), np.array([n1 * 1.0])
    )
    assert np.isfinite(z1).all()
    assert np.allclose(z1, -z2)


def test_representative_picks_agreed_statement_for_its_group() -> None:
    # Group 0 agrees with statement 0 and rejects statement 1; group 1 the opposite.
    agree = np.array([[20.0, 0.0], [0.0, 20.0]])
    disagree = np.array([[0.0, 20.0], [20.0, 0.0]])
    stats = repness_stats(GroupCounts(agree, disagree, agree + disagree))
    picks = representative(stats, 0, np.array([0, 1]))
    assert [(p.statement, p.direction) for p in picks] == [(0, "agree"), (1, "disagree")]
    assert picks[0].best_agree
