"""Camps: distances, average-linkage cut, what every camp shares."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.camps import find_camps, ranking_distance, weight_distance
from accord.errors import InputError


def test_camps_two_executives_far_apart_form_two_camps() -> None:
    w = np.array([[0.9, 0.1], [0.1, 0.9]])
    u = np.array([[0.9, 0.5, 0.1], [0.1, 0.5, 0.9]])
    c = find_camps(w, u, option_labels=["Push", "Usage", "Hold"])
    assert c.labels == [0, 1]
    assert c.distance[0][1] == pytest.approx(0.5 * (0.8 + 1.0))
    assert c.statements[0] == "every camp ranks Usage second"


def test_camps_one_stakeholder_is_one_camp() -> None:
    c = find_camps(np.array([[1.0, 1.0]]), np.array([[0.2, 0.4]]))
    assert c.labels == [0] and c.distance == [[0.0]]
    assert c.statements[0] == "the whole group ranks option 1 second"


def test_camps_six_executives_three_pairs() -> None:
    base = np.array([[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]])
    w = np.repeat(base, 2, axis=0) + np.tile([[0.0, 0.0, 0.0], [0.02, 0.0, 0.0]], (3, 1))
    u = w @ np.eye(3)  # options = one per criterion
    c = find_camps(w, u)
    assert c.labels == [0, 0, 1, 1, 2, 2]
    assert all(camp.spread < 0.1 for camp in c.camps)


def test_camps_explicit_rankings_override_utilities() -> None:
    w = np.array([[0.5, 0.5], [0.5, 0.5]])
    u = np.array([[0.9, 0.1], [0.9, 0.1]])
    c = find_camps(w, u, rankings=np.array([[1, 2], [2, 1]]))
    assert c.ranking_distance[0][1] == 1.0


def test_camps_bad_cut_is_a_clear_error() -> None:
    with pytest.raises(InputError, match=r"cut is 2.0 \(expected a distance between 0 and 1\)"):
        find_camps(np.ones((2, 2)), np.ones((2, 2)), cut=2.0)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), s=st.integers(2, 6), o=st.integers(2, 6))
def test_distances_are_metrics_in_unit_interval(seed: int, s: int, o: int) -> None:
    rng = np.random.default_rng(seed)
    w = rng.uniform(0.0, 1.0, (s, 3)) + 1e-3
    ranks = rng.integers(1, o + 1, (s, o))
    for d in (weight_distance(w), ranking_distance(ranks)):
        assert np.allclose(d, d.T) and np.all(np.diag(d) == 0.0)
        assert d.min() >= 0.0 and d.max() <= 1.0
        for i in range(s):
            assert np.all(d[i][:, None] <= d[i][None, :] + d + 1e-12)


def test_ranking_distance_blocked_equals_pairwise_definition() -> None:
    import itertools

    from accord.analysis.camps import ranking_distance

    rng = np.random.default_rng(3)
    ranks = rng.integers(1, 5, size=(6, 9))
    expected = np.zeros((6, 6))
    for s, t in itertools.product(range(6), repeat=2):
        total = 0.0
        for i, j in itertools.combinations(range(9), 2):
            a = np.sign(ranks[s, i] - ranks[s, j])
            b = np.sign(ranks[t, i] - ranks[t, j])
            total += 1.0 if a * b < 0 else (0.5 if (a == 0) != (b == 0) else 0.0)
        expected[s, t] = total / 36
    assert np.allclose(ranking_distance(ranks), expected, atol=1e-12)
