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


def three_blobs_seen_from_one() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Base centres in three separate blobs, listed so the first three are all in blob A.

    From there Polis's first-distinct start puts two centres in A and one between B and C
    (the degenerate optimum the guard exists for).  Returns centres, weights and blobs.
    """
    rng = np.random.default_rng(3)
    middles = np.array([[0.0, 0.0], [20.0, 5.0], [20.0, -5.0]])
    blob = np.repeat([0, 1, 2], 12)
    centres = middles[blob] + rng.uniform(-1, 1, size=(len(blob), 2))
    return centres, rng.integers(1, 30, len(blob)).astype(float), blob


def same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    pairs = {(int(x), int(y)) for x, y in zip(a, b, strict=True)}
    return len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))


def test_polis_start_on_three_blobs_is_degenerate() -> None:
    # The premise of the guard test below: without it, B and C share a group at k = 3.
    centres, weights, blob = three_blobs_seen_from_one()
    polis = cl.kmeans(centres, cl.first_distinct(centres, 3), weights=weights, max_iters=20)
    assert len(set(polis.labels[blob == 1]) & set(polis.labels[blob == 2])) == 1
    assert not same_partition(polis.labels, blob)


def test_group_clusters_replaces_a_degenerate_polis_start() -> None:
    centres, weights, blob = three_blobs_seen_from_one()
    choice = cl.group_clusters(centres, weights)
    # k = 2 (A against B + C) is a fine optimum from Polis's start; k = 3 is not.
    assert 2 not in choice.replaced and 3 in choice.replaced
    assert choice.replaced[3] > 1 / cl.DEGENERATE_RATIO
    assert same_partition(choice.clusterings[3].labels, blob)
    assert same_partition(choice.chosen.labels, blob)


def test_group_clusters_keeps_polis_start_among_comparable_optima() -> None:
    # A structureless cloud has many local optima of similar cost: Polis's start stays.
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(100, 2))
    weights = rng.integers(1, 50, 100).astype(float)
    choice = cl.group_clusters(centres, weights)
    assert choice.replaced == {}
    for k, clustering in choice.clusterings.items():
        polis = cl.kmeans(centres, cl.first_distinct(centres, k), weights=weights, max_iters=20)
        assert np.array_equal(clustering.labels, polis.labels)


def test_group_clusters_restarts_keep_the_lowest_inertia() -> None:
    centres, weights, _ = three_blobs_seen_from_one()
    rng = np.random.default_rng(1)
    centres = np.vstack([centres, rng.normal(10, 6, size=(40, 2))])
    weights = np.r_[weights, np.ones(40)]
    plain = cl.group_clusters(centres, weights)
    restarted = cl.group_clusters(centres, weights, restarts=30, seed=5)
    for k in plain.clusterings:
        assert (
            cl.inertia(centres, weights, restarted.clusterings[k])
            <= cl.inertia(centres, weights, plain.clusterings[k]) + 1e-9
        )


def test_seeded_starts_are_distinct_points_and_reproducible() -> None:
    centres, weights, _ = three_blobs_seen_from_one()
    first = cl._plus_plus(centres, weights, 3, 50, np.random.default_rng(9))
    again = cl._plus_plus(centres, weights, 3, 50, np.random.default_rng(9))
    assert first.shape == (50, 3, 2) and np.array_equal(first, again)
    for seeds in first:
        assert len(np.unique(seeds, axis=0)) == 3
        assert all(any(np.array_equal(s, c) for c in centres) for s in seeds)
    # Too few distinct points for k: no seeded clustering at all.
    assert cl._best_seeded(centres[:2], weights[:2], 3, 10, np.random.default_rng(0)) is None


def test_group_clusters_leaves_warm_starts_to_polis() -> None:
    # A live update continues the last (already guarded) clustering: no seeded starts.
    centres, weights, blob = three_blobs_seen_from_one()
    degenerate = cl.kmeans(centres, cl.first_distinct(centres, 3), weights=weights, max_iters=20)
    choice = cl.group_clusters(centres, weights, previous={3: degenerate.labels})
    assert 3 not in choice.replaced
    assert np.array_equal(choice.clusterings[3].labels, degenerate.labels)
    assert 3 in cl.group_clusters(centres, weights).replaced  # the same points, cold
