"""Average-linkage flat clusters against scipy (tie-free matrices) and against an exact
brute-force UPGMA with the documented tie rule (matrices full of ties)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import pdist, squareform

from accord.analysis.hierarchy import average_linkage_labels

FloatArray = NDArray[np.float64]


def _scipy_labels(d: FloatArray, cut: float) -> list[int]:
    raw = fcluster(linkage(squareform(d, checks=False), "average"), t=cut, criterion="distance")
    first: dict[int, int] = {}
    return [first.setdefault(int(label), len(first)) for label in raw]


def _partition(labels: list[int]) -> set[frozenset[int]]:
    return {frozenset(p for p, k in enumerate(labels) if k == label) for label in set(labels)}


def _reference_labels(d: list[list[int]], cut: Fraction) -> list[int]:
    """UPGMA by definition, in exact arithmetic: merge the closest pair of clusters (mean of
    member distances), ties to the lexicographically first pair of first members, while the
    closest pair is within ``cut``.  O(n^3) per merge; for small n only."""
    clusters = [[p] for p in range(len(d))]  # kept in order of first member
    while len(clusters) > 1:
        # (mean, first member of one, first member of the other), then positions a < b
        closest = min(
            (
                Fraction(
                    sum(d[p][q] for p in clusters[a] for q in clusters[b]),
                    len(clusters[a]) * len(clusters[b]),
                ),
                clusters[a][0],
                clusters[b][0],
                a,
                b,
            )
            for a in range(len(clusters))
            for b in range(a + 1, len(clusters))
        )
        mean, _, _, a, b = closest
        if mean > cut:
            break
        clusters[a] = sorted(clusters[a] + clusters[b])
        del clusters[b]
    labels = [0] * len(d)
    for k, members in enumerate(clusters):
        for p in members:
            labels[p] = k
    return labels


def _random_distance(rng: np.random.Generator, n: int, kind: str) -> FloatArray:
    if kind == "euclidean":
        points = rng.normal(size=(n, 3))
    elif kind == "grouped":  # well-separated groups, so cuts fall between and within them
        points = rng.normal(size=(n, 2)) + rng.integers(0, 4, size=(n, 1)) * 6.0
    else:  # "uniform": not even a metric
        upper = np.triu(rng.uniform(size=(n, n)), 1)
        return upper + upper.T
    return np.asarray(squareform(pdist(points)), dtype=np.float64)


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("kind", ["euclidean", "grouped", "uniform"])
def test_average_linkage_matches_scipy_on_tie_free_matrices(seed: int, kind: str) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 60))
    d = _random_distance(rng, n, kind)
    tree = linkage(squareform(d), "average")
    heights = tree[:, 2]
    # Merges of two single points happen exactly at an entry of d in both implementations
    # (larger clusters' means may differ in the last bit), so a cut there must keep them.
    exact = heights[(tree[:, 0] < n) & (tree[:, 1] < n)]
    cuts = [
        *rng.uniform(0.0, float(heights.max()) * 1.1, size=4),
        *exact[rng.integers(0, exact.size, size=2)],
        0.0,
        float(heights.max()) + 1.0,
    ]
    for cut in cuts:
        assert _partition(average_linkage_labels(d, float(cut))) == _partition(
            _scipy_labels(d, float(cut))
        ), f"n={n} cut={cut!r}"


@pytest.mark.parametrize("seed", range(20))
def test_average_linkage_matches_scipy_with_duplicate_points(seed: int) -> None:
    rng = np.random.default_rng(1000 + seed)
    points = rng.normal(size=(int(rng.integers(3, 30)), 2))
    copies = points[rng.integers(0, len(points), size=int(rng.integers(1, 10)))]
    stacked = np.vstack([points, copies])[rng.permutation(len(points) + len(copies))]
    d = squareform(pdist(stacked))
    for cut in (0.0, *rng.uniform(0.0, 3.0, size=5)):
        labels = average_linkage_labels(d, float(cut))
        assert _partition(labels) == _partition(_scipy_labels(d, float(cut)))
        # duplicates (distance 0) always share a cluster
        same = d == 0.0
        assert all(labels[p] == labels[q] for p, q in zip(*np.nonzero(same), strict=True))


def test_average_linkage_at_exact_merge_height_merges() -> None:
    # Heights that are exact in binary: the second merge is at (1.0 + 0.5) / 2 = 0.75.
    d = np.array([[0.0, 0.25, 1.0], [0.25, 0.0, 0.5], [1.0, 0.5, 0.0]])
    assert average_linkage_labels(d, 0.25) == [0, 0, 1]
    assert average_linkage_labels(d, np.nextafter(0.25, 0.0)) == [0, 1, 2]
    assert average_linkage_labels(d, 0.75) == [0, 0, 0]
    assert average_linkage_labels(d, np.nextafter(0.75, 0.0)) == [0, 0, 1]


def test_average_linkage_one_and_two_points() -> None:
    assert average_linkage_labels(np.zeros((1, 1)), 0.0) == [0]
    assert average_linkage_labels(np.zeros((0, 0)), 0.5) == []
    two = np.array([[0.0, 0.4], [0.4, 0.0]])
    assert average_linkage_labels(two, 0.4) == [0, 0]
    assert average_linkage_labels(two, 0.3) == [0, 1]
    assert average_linkage_labels(two, np.inf) == [0, 0]
    assert average_linkage_labels(two, -1.0) == [0, 1]


def test_average_linkage_everything_above_or_below_the_cut() -> None:
    d = _random_distance(np.random.default_rng(7), 25, "uniform") + 1.0
    np.fill_diagonal(d, 0.0)
    assert average_linkage_labels(d, 0.99) == list(range(25))
    assert average_linkage_labels(d, 2.0) == [0] * 25
    assert average_linkage_labels(np.zeros((6, 6)), 0.0) == [0] * 6


def test_average_linkage_labels_follow_first_members() -> None:
    # Points 0 and 3 together, 1 alone, 2 and 4 together.
    x = np.array([0.0, 10.0, 20.0, 0.1, 20.1])
    d = np.abs(x[:, None] - x[None, :])
    assert average_linkage_labels(d, 1.0) == [0, 1, 2, 0, 2]


def test_average_linkage_tie_merges_lexicographically_first_pair() -> None:
    # d(0,1) = d(1,2) = 1: (0, 1) merges first, then 2 is (3 + 1) / 2 = 2 from {0, 1}.
    chain = np.array([[0.0, 1.0, 3.0], [1.0, 0.0, 1.0], [3.0, 1.0, 0.0]])
    assert average_linkage_labels(chain, 1.5) == [0, 0, 1]
    # d(0,1) = d(0,2) = 1 and d(1,2) = 3: (0, 1) before (0, 2).
    star = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 3.0], [1.0, 3.0, 0.0]])
    assert average_linkage_labels(star, 1.5) == [0, 0, 1]
    # After a merge the merged cluster (first member 0) ties with an older pair (2, 3):
    # d({0,1}, 2) = (1 + 3) / 2 = 2 = d(2, 3), and (0, 2) precedes (2, 3).
    d = np.array(
        [
            [0.0, 0.5, 1.0, 9.0],
            [0.5, 0.0, 3.0, 9.0],
            [1.0, 3.0, 0.0, 2.0],
            [9.0, 9.0, 2.0, 0.0],
        ]
    )
    assert average_linkage_labels(d, 2.0) == [0, 0, 0, 1]  # (2, 3) first: [0, 0, 1, 1]


@st.composite
def _tied_matrices(draw: st.DrawFn) -> tuple[list[list[int]], int]:
    n = draw(st.integers(min_value=1, max_value=9))
    top = draw(st.integers(min_value=1, max_value=4))
    upper = [[draw(st.integers(0, top)) if q > p else 0 for q in range(n)] for p in range(n)]
    d = [[upper[min(p, q)][max(p, q)] if p != q else 0 for q in range(n)] for p in range(n)]
    twice_cut = draw(st.integers(min_value=-1, max_value=2 * top + 1))
    return d, twice_cut


@settings(max_examples=400, deadline=None)
@given(_tied_matrices())
def test_average_linkage_with_ties_matches_exact_reference(
    case: tuple[list[list[int]], int],
) -> None:
    d, twice_cut = case
    cut = Fraction(twice_cut, 2)  # half-integer cuts: exactly on many tied means
    expected = _reference_labels(d, cut)
    assert average_linkage_labels(np.array(d, dtype=np.float64), float(cut)) == expected


def test_average_linkage_is_right_for_a_thousand_points() -> None:
    # Speed is measured in benchmarks, not asserted here (~0.07 s at n = 1000 vs scipy 0.01 s).
    rng = np.random.default_rng(3)
    d = squareform(pdist(rng.normal(size=(1000, 5))))
    cut = float(np.median(d)) * 0.5
    assert _partition(average_linkage_labels(d, cut)) == _partition(_scipy_labels(d, cut))


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        (np.zeros((2, 3)), "distance must be a square matrix, got shape (2, 3)"),
        (np.zeros(4), "distance must be a square matrix, got shape (4,)"),
        (
            np.array([[0.0, np.nan], [np.nan, 0.0]]),
            "distance has NaN or infinite entries (expected finite distances)",
        ),
        (
            np.array([[0.0, -0.5], [-0.5, 0.0]]),
            "distance[0, 1] is -0.5 (expected distances >= 0)",
        ),
        (
            np.array([[0.0, 0.5], [0.6, 0.0]]),
            "distance is not symmetric: [0, 1] is 0.5 but [1, 0] is 0.6 (expected equal"
            " within 1e-12)",
        ),
        (
            np.array([[0.0, 0.5], [0.5, 0.1]]),
            "distance[1, 1] is 0.1 (expected 0 on the diagonal)",
        ),
    ],
)
def test_average_linkage_rejects_bad_matrices(matrix: FloatArray, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        average_linkage_labels(matrix, 0.5)
    assert str(caught.value) == message


def test_average_linkage_rejects_nan_cut() -> None:
    with pytest.raises(ValueError) as caught:
        average_linkage_labels(np.zeros((2, 2)), float("nan"))
    assert str(caught.value) == "max_distance is NaN (expected a number)"
