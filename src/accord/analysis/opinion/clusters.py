"""Polis's two-level clustering: base clusters, then opinion groups chosen by silhouette.

Method (polismath ``math/clusters.clj`` and ``conversation.clj``):

* **Base clusters**: k-means with ``k = 100`` (``:base-k``) on the projected
  participants who pass the minimum-votes rule, at most 100 iterations
  (``:base-iters``).  A fresh clustering starts from the first k distinct points
  (``init-clusters``); an update starts from the previous centres (``last-clusters``).
* **Groups**: weighted k-means over the base-cluster centres (weight = members) for every
  k from 2 to ``min(5, 2 + n_base // 12)`` (``max-k-fn``, ``:max-k 5``), 20 iterations
  at most (the ``kmeans`` default; ``:group-iters`` is passed under a key ``kmeans``
  does not read).
* **k**: the one with the best silhouette over base-cluster centres (unweighted mean,
  Rousseeuw 1987), smoothed across updates: a new k is adopted only once it has been
  the best in 4 consecutive updates (``:group-k-buffer``); the first update uses its
  own best k.
* k-means stops when every sorted centre moved less than 0.01 (``same-clustering?``);
  clusters left empty are dropped, as in ``cluster-step``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.analysis.opinion.matrix import FloatArray, IntArray

#: Polis ``:base-k``.
BASE_K = 100
#: Polis ``:base-iters``.
BASE_ITERS = 100
#: Polis ``kmeans`` default ``:max-iters`` (used for the group level).
GROUP_ITERS = 20
#: Polis ``:max-k``.
MAX_K = 5
#: Polis ``:group-k-buffer``: updates a new best k must persist before it is adopted.
GROUP_K_BUFFER = 4
#: k-means starts per k at the group level.  1 = Polis's own start only (the default);
#: more adds seeded k-means++ starts and keeps the lowest weighted inertia (accord's
#: option, not Polis's: see docs/opinion-map.md for its effect on fidelity).
RESTARTS = 1
#: Polis ``same-clustering?`` threshold on centre movement.
SAME_CLUSTERING = 0.01


@dataclass(frozen=True, eq=False)
class Clustering:
    """k-means result: ``centres`` (k × 2), ``labels`` (index into centres) per point."""

    centres: FloatArray
    labels: IntArray


def kmeans(
    points: FloatArray,
    start: FloatArray,
    *,
    weights: FloatArray | None = None,
    max_iters: int,
) -> Clustering:
    """Polis's Lloyd iteration from ``start`` centres; empty clusters are dropped.

    >>> import numpy as np
    >>> pts = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.1, 5.0]])
    >>> c = kmeans(pts, pts[[0, 2]], max_iters=20)
    >>> c.labels.tolist(), np.round(c.centres, 2).tolist()
    ([0, 0, 1, 1], [[0.05, 0.0], [5.05, 5.0]])
    """
    w = np.ones(len(points)) if weights is None else weights
    centres = start.copy()
    labels = np.zeros(len(points), dtype=np.int64)
    for _ in range(max_iters + 1):
        labels = _nearest(points, centres)
        used = np.unique(labels)
        renumber = np.full(len(centres), -1, dtype=np.int64)
        renumber[used] = np.arange(len(used))
        labels = renumber[labels]
        mass = np.bincount(labels, w, minlength=len(used))
        new = np.stack(
            [np.bincount(labels, w * points[:, d], minlength=len(used)) / mass for d in (0, 1)],
            axis=1,
        )
        converged = len(new) == len(centres) and _same_clustering(centres, new)
        centres = new
        if converged:
            break
    return Clustering(centres, labels)


def _nearest(points: FloatArray, centres: FloatArray) -> IntArray:
    # |x - c|² = |x|² - 2 x·c + |c|²; the |x|² term does not change the argmin.
    # Chunked so 100,000 participants × 100 centres never build a huge temporary.
    out = np.empty(len(points), dtype=np.int64)
    c2 = (centres**2).sum(axis=1)
    step = 65536
    for lo in range(0, len(points), step):
        block = points[lo : lo + step]
        # Explicit 2-D dot products: a BLAS call for a k × 2 product costs more than it saves.
        cross = block[:, 0:1] * centres[None, :, 0] + block[:, 1:2] * centres[None, :, 1]
        out[lo : lo + step] = np.argmin(c2[None, :] - 2.0 * cross, axis=1)
    return out


def _same_clustering(a: FloatArray, b: FloatArray) -> bool:
    sa, sb = a[np.lexsort(a.T[::-1])], b[np.lexsort(b.T[::-1])]
    return bool(np.all(np.linalg.norm(sa - sb, axis=1) < SAME_CLUSTERING))


def first_distinct(points: FloatArray, k: int) -> FloatArray:
    """The first ``k`` distinct rows, in order (Polis ``init-clusters``)."""
    _, first = np.unique(points, axis=0, return_index=True)
    return points[np.sort(first)[:k]]


def base_clusters(
    points: FloatArray, *, k: int = BASE_K, previous: FloatArray | None = None
) -> Clustering:
    """About ``k`` base clusters of the projected participants."""
    if previous is not None and len(previous):
        start = _top_up(points, previous, k)
    else:
        start = first_distinct(points, k)
    return kmeans(points, start, max_iters=BASE_ITERS)


def _top_up(points: FloatArray, previous: FloatArray, k: int) -> FloatArray:
    """Previous centres, plus the most distant points until there are enough
    (a simplified Polis ``clean-start-clusters``)."""
    distinct = len(np.unique(points, axis=0))
    _, first = np.unique(previous, axis=0, return_index=True)
    start = previous[np.sort(first)][: min(k, distinct)]
    while len(start) < min(k, distinct):
        gap = np.sqrt(((points[:, None, :] - start[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
        far = int(np.argmax(gap))
        if gap[far] == 0:
            break
        start = np.vstack([start, points[far]])
    return start


def inertia(points: FloatArray, weights: FloatArray, clustering: Clustering) -> float:
    """Weighted within-cluster sum of squares, the objective Lloyd's iteration lowers."""
    gap = points - clustering.centres[clustering.labels]
    return float((weights * (gap**2).sum(axis=1)).sum())


def _better(points: FloatArray, weights: FloatArray, a: Clustering, b: Clustering) -> bool:
    return inertia(points, weights, a) < inertia(points, weights, b) - 1e-12


def _plus_plus(
    points: FloatArray, weights: FloatArray, k: int, rng: np.random.Generator
) -> FloatArray:
    """Weighted k-means++ seeding (Arthur & Vassilvitskii 2007)."""
    chosen = [int(rng.choice(len(points), p=weights / weights.sum()))]
    for _ in range(1, k):
        gap = ((points[:, None, :] - points[chosen][None, :, :]) ** 2).sum(axis=2).min(axis=1)
        mass = weights * gap
        if mass.sum() <= 0:
            break
        chosen.append(int(rng.choice(len(points), p=mass / mass.sum())))
    return points[chosen]


def max_groups(n_base: int, max_k: int = MAX_K) -> int:
    """Polis ``max-k-fn``: ``min(max_k, 2 + n_base // 12)``.

    >>> max_groups(24), max_groups(100)
    (4, 5)
    """
    return min(max_k, 2 + n_base // 12)


def silhouette(points: FloatArray, labels: IntArray) -> float:
    """Mean silhouette ``(b - a) / max(a, b)`` (Rousseeuw 1987); 0 for singletons.

    >>> import numpy as np
    >>> round(silhouette(np.array([[0.0, 0], [0, 1], [9, 0], [9, 1]]), np.array([0, 0, 1, 1])), 3)
    0.889
    """
    if len(np.unique(labels)) < 2:
        return 0.0
    dist = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    groups = np.unique(labels)
    member = labels[:, None] == groups[None, :]
    sums = dist @ member
    sizes = member.sum(axis=0)
    own = member.argmax(axis=1)
    n_own = sizes[own] - 1
    a = np.divide(
        sums[np.arange(len(points)), own], n_own, out=np.zeros(len(points)), where=n_own > 0
    )
    other = np.where(member, np.inf, sums / sizes)
    b = other.min(axis=1)
    top = np.maximum(a, b)
    s = np.divide(b - a, top, out=np.zeros(len(points)), where=(n_own > 0) & (top > 0))
    return float(s.mean())


@dataclass(frozen=True)
class KSmoother:
    """Polis ``group-k-smoother`` state carried between updates."""

    last_k: int | None = None
    last_k_count: int = 0
    smoothed_k: int | None = None

    def step(self, best_k: int) -> KSmoother:
        count = self.last_k_count + 1 if best_k == self.last_k else 1
        if count >= GROUP_K_BUFFER or self.smoothed_k is None:
            smoothed = best_k
        else:
            smoothed = self.smoothed_k
        return KSmoother(best_k, count, smoothed)


@dataclass(frozen=True, eq=False)
class GroupChoice:
    """Group clusterings for every k tried, their silhouettes and the k kept."""

    clusterings: dict[int, Clustering]
    silhouettes: dict[int, float]
    smoother: KSmoother

    @property
    def chosen(self) -> Clustering:
        k = self.smoother.smoothed_k
        if k is None or k not in self.clusterings:
            k = max(self.silhouettes, key=lambda kk: (self.silhouettes[kk], kk))
        return self.clusterings[k]


def group_clusters(
    centres: FloatArray,
    sizes: FloatArray,
    *,
    max_k: int = MAX_K,
    previous: dict[int, FloatArray] | None = None,
    smoother: KSmoother | None = None,
    restarts: int = RESTARTS,
    seed: int = 0,
) -> GroupChoice:
    """Cluster base-cluster ``centres`` (weighted by ``sizes``) for k = 2..max, pick k."""
    top = min(max_groups(len(centres), max_k), len(centres))
    clusterings: dict[int, Clustering] = {}
    silhouettes: dict[int, float] = {}
    rng = np.random.default_rng(seed)
    for k in range(2, top + 1):
        start = previous.get(k) if previous else None
        if start is None or len(start) != k:
            start = first_distinct(centres, k)
        clustering = kmeans(centres, start, weights=sizes, max_iters=GROUP_ITERS)
        for _ in range(restarts - 1):
            other = kmeans(
                centres, _plus_plus(centres, sizes, k, rng), weights=sizes, max_iters=GROUP_ITERS
            )
            if (
                len(other.centres) == k
                and inertia(centres, sizes, other) < inertia(centres, sizes, clustering) - 1e-12
            ):
                clustering = other
        clusterings[k] = clustering
        silhouettes[k] = silhouette(centres, clustering.labels)
    state = smoother or KSmoother()
    if silhouettes:
        # Clojure's max-key keeps the last of equal maxima: on a tie the larger k wins.
        best = max(silhouettes, key=lambda kk: (silhouettes[kk], kk))
        state = state.step(best)
    return GroupChoice(clusterings, silhouettes, state)
