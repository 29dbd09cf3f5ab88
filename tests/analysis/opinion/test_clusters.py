"""Polis's two-level clustering helpers."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.opinion import clusters as cl

small_points = st.lists(
    st.tuples(st.integers(-3, 3), st.integers(-3, 3)), min_size=1, max_size=40
).map(lambda xs: np.array(xs, dtype=float))


@settings(max_examples=60, deadline=None)
@given(small_points)
def test_distinct_first_matches_numpy_unique(points: np.ndarray) -> None:
    _, first = np.unique(points, axis=0, return_index=True)
    assert cl.distinct_first(points).tolist() == sorted(first.tolist())


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**31), st.integers(1, 300), st.integers(1, 30))
def test_nearest_matches_brute_force(seed: int, n: int, k: int) -> None:
    rng = np.random.default_rng(seed)
    points, centres = rng.normal(size=(n, 2)), rng.normal(size=(k, 2))
    gaps = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    found = cl._nearest(points, centres)
    # Equal up to rounding: the chosen centre is never farther than the best one.
    assert np.allclose(gaps[np.arange(n), found], gaps.min(axis=1), rtol=1e-12, atol=1e-12)


def test_clean_start_recentres_previous_clusters_on_their_members() -> None:
    points = np.array([[0.0, 0.0], [2.0, 0.0], [10.0, 0.0], [12.0, 0.0]])
    start, continues = cl.clean_start(points, np.ones(4), np.array([1, 1, 0, 0]), k=2)
    assert start.tolist() == [[11.0, 0.0], [1.0, 0.0]]
    assert continues.tolist() == [0, 1]


def test_clean_start_splits_off_the_most_distant_point() -> None:
    points = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 0.0], [0.0, 9.0]])
    start, continues = cl.clean_start(points, np.ones(4), np.array([0, 0, 0, -1]), k=3)
    # [0, 9] is farthest from the one centre; then [5, 0] from the two.
    assert start[1:].tolist() == [[0.0, 9.0], [5.0, 0.0]]
    assert continues.tolist() == [0, -1, -1]


def test_clean_start_merges_clusters_that_coincide() -> None:
    points = np.array([[1.0, 1.0], [1.0, 1.0], [1.0, 1.0], [4.0, 0.0]])
    start, continues = cl.clean_start(points, np.ones(4), np.array([0, 1, 1, 2]), k=2)
    # Clusters 0 and 1 now sit at the same point: merged, keeping the larger (1).
    assert start.tolist() == [[1.0, 1.0], [4.0, 0.0]]
    assert continues.tolist() == [1, 2]


def test_clean_start_stops_at_the_number_of_distinct_points() -> None:
    points = np.array([[1.0, 1.0], [1.0, 1.0], [2.0, 2.0]])
    start, _ = cl.clean_start(points, np.ones(3), np.array([0, 0, -1]), k=100)
    assert start.tolist() == [[1.0, 1.0], [2.0, 2.0]]


def test_base_clusters_carry_previous_identity() -> None:
    rng = np.random.default_rng(0)
    points = np.vstack([rng.normal(0, 0.1, (20, 2)), rng.normal(5, 0.1, (20, 2))])
    first, _ = cl.base_clusters(points, k=2)
    again, continues = cl.base_clusters(points + 0.05, k=2, previous=first.labels)
    assert again.labels.tolist() == first.labels.tolist()
    assert continues.tolist() == [0, 1]


def test_kmeans_drops_empty_clusters() -> None:
    points = np.array([[0.0, 0.0], [0.2, 0.0]])
    result = cl.kmeans(points, np.array([[0.1, 0.0], [50.0, 50.0]]), max_iters=5)
    assert result.labels.tolist() == [0, 0] and len(result.centres) == 1
