"""Average-linkage (UPGMA) clustering cut at a distance, in numpy alone.

Camps of stakeholders and themes of comments are the flat clusters of average-linkage
agglomerative clustering (UPGMA; Sokal & Michener 1958, "A statistical method for evaluating
systematic relationships", *Univ. Kansas Sci. Bull.* 38, 1409-1438) cut at a distance.  This
module gives the same partition as scipy's ``fcluster(linkage(squareform(d), "average"), t,
criterion="distance")`` without importing ``scipy.cluster`` (~0.4 s on a cold start).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

#: How far ``distance[i, j]`` and ``distance[j, i]`` (and the diagonal and 0) may differ.
SYMMETRY_TOLERANCE = 1e-12


def average_linkage_labels(distance: FloatArray, max_distance: float) -> list[int]:
    """Flat clusters of average linkage whose every merge is at a distance <= ``max_distance``.

    ``distance`` is a symmetric matrix with a zero diagonal (its upper triangle is used, as
    scipy's ``squareform`` does).  The distance between two clusters is the mean of the
    distances between their members; the closest two clusters merge until the closest pair is
    farther apart than ``max_distance``.  Average linkage is monotone (a merge is never closer
    than the one before it), so stopping there gives exactly the clusters of the dendrogram
    cut at ``max_distance``.  Labels are numbered 0, 1, 2, ... in order of each cluster's
    first member.

    Ties: of equally close pairs, the one whose first members ``(i, j)`` come first in
    lexicographic order merges first.  Between-cluster distances are kept as sums over member
    pairs (the Lance & Williams 1967 update for average linkage, unnormalised) and divided by
    the pair count only to compare, so equal means compare equal whenever the inputs are
    integers.

    Each cluster keeps its nearest later cluster (Anderberg 1973, *Cluster Analysis for
    Applications*; Müllner 2011, "Modern hierarchical, agglomerative clustering
    algorithms", arXiv:1109.2378): O(n²) memory, and each merge costs O(n) plus a rescan of
    the few rows whose nearest neighbour took part in it.

    >>> d = np.array([[0.0, 0.25, 1.0], [0.25, 0.0, 0.5], [1.0, 0.5, 0.0]])
    >>> average_linkage_labels(d, 0.5)
    [0, 0, 1]
    >>> average_linkage_labels(d, 0.75)  # the third joins at (1.0 + 0.5) / 2 = 0.75
    [0, 0, 0]
    """
    d = _checked_distance(distance)
    if np.isnan(max_distance):
        raise ValueError("max_distance is NaN (expected a number)")
    n = d.shape[0]
    if n < 2:
        return [0] * n
    # sums[i, k]: Σ of distances between the members of clusters i and k; inf marks the
    # diagonal and merged-away clusters, so no mask is needed when scanning a row.
    sums = np.triu(d, 1)
    sums += sums.T
    np.fill_diagonal(sums, np.inf)
    sizes = np.ones(n)
    columns = np.arange(n)
    # nearest[i]: the closest cluster k > i (first on ties); gap[i]: its mean distance.
    upper = sums.copy()
    upper[np.tril_indices(n)] = np.inf
    nearest = np.argmin(upper, axis=1)
    gap = upper[columns, nearest]
    del upper
    parent = np.arange(n)

    for _ in range(n - 1):  # at most n - 1 merges
        i = int(np.argmin(gap))  # first row among the closest pairs
        if not gap[i] <= max_distance:
            break
        j = int(nearest[i])  # i < j, first column among ties in row i
        # Rows whose nearest neighbour was i or j rescan, and i's own row.  No other row can
        # find the merged cluster closer than its nearest neighbour: average linkage is
        # reducible, d(i + j, r) >= min(d(i, r), d(j, r)) (Bruynooghe 1978), and on a tie its
        # nearest neighbour already precedes i.
        stale = ((nearest == i) | (nearest == j)) & np.isfinite(gap)
        stale[i] = True
        stale[j] = False
        sums[i] += sums[j]
        sums[i, i] = np.inf
        sums[:, i] = sums[i]
        sums[j] = np.inf
        sums[:, j] = np.inf
        sizes[i] += sizes[j]
        gap[j] = np.inf
        parent[j] = i
        rows = np.flatnonzero(stale)
        means = sums[rows] / (sizes[rows, None] * sizes[None, :])
        means[columns[None, :] <= rows[:, None]] = np.inf  # only later clusters
        nearest[rows] = np.argmin(means, axis=1)
        gap[rows] = means[np.arange(rows.size), nearest[rows]]

    labels: list[int] = []
    first: dict[int, int] = {}
    for point in range(n):
        root = point
        while parent[root] != root:
            root = int(parent[root])
        labels.append(first.setdefault(root, len(first)))
    return labels


def _checked_distance(distance: FloatArray) -> FloatArray:
    d = np.asarray(distance, dtype=np.float64)
    if d.ndim != 2 or d.shape[0] != d.shape[1]:
        raise ValueError(f"distance must be a square matrix, got shape {d.shape}")
    if not np.isfinite(d).all():
        raise ValueError("distance has NaN or infinite entries (expected finite distances)")
    if (d < 0.0).any():
        i, j = np.argwhere(d < 0.0)[0]
        raise ValueError(f"distance[{i}, {j}] is {float(d[i, j])!r} (expected distances >= 0)")
    skew = np.abs(d - d.T)
    if (skew > SYMMETRY_TOLERANCE).any():
        i, j = np.unravel_index(int(np.argmax(skew)), skew.shape)
        raise ValueError(
            f"distance is not symmetric: [{i}, {j}] is {float(d[i, j])!r} but [{j}, {i}] is"
            f" {float(d[j, i])!r} (expected equal within {SYMMETRY_TOLERANCE})"
        )
    diagonal = np.abs(np.diagonal(d))
    if (diagonal > SYMMETRY_TOLERANCE).any():
        i = int(np.argmax(diagonal))
        raise ValueError(f"distance[{i}, {i}] is {float(d[i, i])!r} (expected 0 on the diagonal)")
    return d
