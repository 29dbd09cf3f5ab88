"""Polis's two-level clustering: base clusters, then opinion groups chosen by silhouette.

Method (polismath ``math/clusters.clj`` and ``conversation.clj``):

* **Base clusters**: k-means with ``k = 100`` (``:base-k``) on the projected
  participants who pass the minimum-votes rule, at most 100 iterations
  (``:base-iters``).  A fresh clustering starts from the first k distinct points
  (``init-clusters``); an update starts from the previous clusters
  (``clean-start-clusters``): each is recentred on its members' new positions,
  clusters that landed on the same point are merged, and the most distant point is
  split off as a new cluster until there are k (or as many as distinct points).
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

accord adds one guard (not Polis's): Polis's group start is its first k distinct base
centres, which its ``init-clusters`` calls "effectively random".  When those few centres
all sit in one opinion group, Lloyd's iteration can stop in a degenerate optimum where
one group spans two separate clusters.  For every k started cold (a fresh map, or a k
a live map has not had before), ten seeded k-means++ starts (Arthur & Vassilvitskii 2007)
are also run; their best replaces Polis's clustering only
when its within-group sum of squares is less than half of Polis's.  Competing optima of
real conversations differ by far less (on the five shared Polis conversations the best
start's sum is 0.68-1.0 of Polis's and the guard changes none of them), so Polis's
path-dependent choice is kept wherever it is a reasonable clustering.
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
#: k-means starts per k at the group level.  1 = Polis's own start (the default, with
#: the degenerate-start guard); more adds seeded k-means++ starts and keeps the lowest
#: weighted inertia (accord's option, not Polis's: see docs/opinion-map.md for its
#: effect on fidelity).
RESTARTS = 1
#: Polis ``same-clustering?`` threshold on centre movement.
SAME_CLUSTERING = 0.01
#: accord's guard: seeded k-means++ starts run beside Polis's start for every k.
GUARD_STARTS = 10
#: accord's guard: Polis's clustering is replaced only when another start's within-group
#: sum of squares is below this fraction of its own (one group then spans two clusters).
DEGENERATE_RATIO = 0.5


@dataclass(frozen=True, eq=False)
class Clustering:
    """k-means result: ``centres`` (k × 2), ``labels`` (index into centres) per point,
    and for each centre the index of the start centre it grew from (``origin``)."""

    centres: FloatArray
    labels: IntArray
    origin: IntArray


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
    # The weighted coordinates do not change between iterations: form them once (a live
    # replay runs this thousands of times on ~100 points, where numpy calls dominate).
    wx, wy = w * points[:, 0], w * points[:, 1]
    centres = start.copy()
    labels = np.zeros(len(points), dtype=np.int64)
    origin = np.arange(len(start), dtype=np.int64)
    for _ in range(max_iters + 1):
        labels = _nearest(points, centres)
        n = len(centres)
        mass = np.bincount(labels, w, minlength=n)
        if not mass.all():
            used = np.flatnonzero(np.bincount(labels, minlength=n))
            renumber = np.full(n, -1, dtype=np.int64)
            renumber[used] = np.arange(len(used))
            labels = renumber[labels]
            origin = origin[used]
            mass = np.bincount(labels, w, minlength=len(used))
        new = np.empty((len(mass), 2))
        new[:, 0] = np.bincount(labels, wx, minlength=len(mass)) / mass
        new[:, 1] = np.bincount(labels, wy, minlength=len(mass)) / mass
        converged = len(new) == n and _same_clustering(centres, new)
        centres = new
        if converged:
            break
    return Clustering(centres, labels, origin)


def _nearest(points: FloatArray, centres: FloatArray) -> IntArray:
    # argmin_c |x - c|² = argmin_c (|c|² - 2 x·c): the |x|² term does not change it.
    # One small matrix product per block of points (BLAS), in blocks that stay in cache
    # so 100,000 participants × 100 centres never build a large temporary.
    weights = -2.0 * centres.T
    c2 = (centres**2).sum(axis=1)
    step = 8192
    if len(points) <= step:
        gap = points @ weights
        gap += c2
        nearest: IntArray = np.argmin(gap, axis=1)
        return nearest
    out = np.empty(len(points), dtype=np.int64)
    for lo in range(0, len(points), step):
        gap = points[lo : lo + step] @ weights
        gap += c2
        out[lo : lo + step] = np.argmin(gap, axis=1)
    return out


def _same_clustering(a: FloatArray, b: FloatArray) -> bool:
    sa, sb = a[np.lexsort(a.T[::-1])], b[np.lexsort(b.T[::-1])]
    gap = sa - sb
    # np.linalg.norm(gap, axis=1), spelled out (the same sums, without its dispatch).
    return bool((np.sqrt(np.add.reduce(gap * gap, axis=1)) < SAME_CLUSTERING).all())


def distinct_first(points: FloatArray) -> IntArray:
    """Index of the first occurrence of each distinct row, in order of occurrence.

    >>> import numpy as np
    >>> distinct_first(np.array([[1.0, 0], [0, 0], [1, 0], [0, 1]])).tolist()
    [0, 1, 3]
    """
    if len(points) == 0:
        return np.zeros(0, dtype=np.int64)
    # lexsort is stable, so the first of each run of equal rows is its first occurrence.
    order = np.lexsort(points.T[::-1])
    ordered = points[order]
    starts = np.concatenate(([True], (ordered[1:] != ordered[:-1]).any(axis=1)))
    first: IntArray = np.sort(order[starts])
    return first


def first_distinct(points: FloatArray, k: int) -> FloatArray:
    """The first ``k`` distinct rows, in order (Polis ``init-clusters``)."""
    return points[distinct_first(points)[:k]]


def base_clusters(
    points: FloatArray,
    *,
    k: int = BASE_K,
    previous: IntArray | None = None,
    n_distinct: int | None = None,
) -> tuple[Clustering, IntArray]:
    """About ``k`` base clusters of the projected participants.

    ``previous`` gives each point's base cluster in the last update (-1: none).
    Returns the clustering and, per base cluster, the previous cluster it continues
    (-1 for a new one), which carries the group memberships over.
    """
    if previous is not None and bool((previous >= 0).any()):
        start, continues = clean_start(points, np.ones(len(points)), previous, k, n_distinct)
    else:
        start = first_distinct(points, k)
        continues = np.full(len(start), -1, dtype=np.int64)
    clustering = kmeans(points, start, max_iters=BASE_ITERS)
    return clustering, continues[clustering.origin]


def clean_start(
    points: FloatArray,
    weights: FloatArray,
    previous: IntArray,
    k: int,
    n_distinct: int | None = None,
) -> tuple[FloatArray, IntArray]:
    """Polis ``clean-start-clusters``: start centres from the last update's clusters.

    ``previous[i]`` is point i's cluster in the last update (-1: none).  Each previous
    cluster is recentred on the (weighted) mean of its members' current positions;
    clusters without members are dropped; clusters that landed on the same centre are
    merged (the larger one's identity is kept, the later on a tie, as Clojure's
    ``max-key``); then, while there are fewer clusters than ``min(k, distinct
    points)``, the point farthest from every centre leaves its cluster and starts a
    new one.  Returns the centres and, for each, the previous cluster it continues
    (-1 for a new one).  ``n_distinct`` is the number of distinct points when the
    caller knows it (one update clusters the same points for every k).

    >>> import numpy as np
    >>> pts = np.array([[0.0, 0.0], [1.0, 0.0], [9.0, 0.0]])
    >>> start, continues = clean_start(pts, np.ones(3), np.array([0, 0, -1]), k=2)
    >>> start.tolist(), continues.tolist()
    ([[0.5, 0.0], [9.0, 0.0]], [0, -1])
    """
    member = previous.astype(np.int64).copy()
    n_previous = int(member.max()) + 1 if len(member) else 0
    counts = np.bincount(member[member >= 0], minlength=n_previous)
    centres = _weighted_centres(points, weights, member, n_previous)
    nonempty = np.flatnonzero(counts)
    recentred = centres[nonempty] + 0.0  # + 0.0: -0.0 and 0.0 are one point
    order = np.lexsort(recentred.T[::-1])
    ordered = recentred[order]
    current: FloatArray | None = None
    if len(ordered) > 1 and bool((ordered[1:] == ordered[:-1]).all(axis=1).any()):
        kept, continues = _merge_coinciding(centres, counts, member)
    else:
        # No two clusters landed on the same point (the usual case): nothing merges, and
        # the recentred centres are already the start (the same sums, renumbered).
        kept, continues = nonempty.tolist(), nonempty.tolist()
        current = centres[nonempty]
    # Renumber the kept clusters 0..n-1 in their previous order.
    renumber = np.full(n_previous + 1, -1, dtype=np.int64)
    renumber[kept] = np.arange(len(kept))
    member = renumber[member]
    if n_distinct is None:
        n_distinct = len(distinct_first(points))
    possible = min(k, n_distinct)
    n = len(kept)
    while True:
        centres = _weighted_centres(points, weights, member, n) if current is None else current
        current = None
        if n >= possible:
            break
        gap = _gap_to_nearest(points, centres) if n else np.full(len(points), np.inf)
        # Clojure's max-key: the last of equal maxima.
        far = len(gap) - 1 - int(np.argmax(gap[::-1]))
        if not gap[far] > 0:
            break
        member[far] = n
        continues.append(-1)
        n += 1
    return centres, np.asarray(continues, dtype=np.int64)


def _merge_coinciding(
    centres: FloatArray, counts: IntArray, member: IntArray
) -> tuple[list[int], list[int]]:
    """Merge previous clusters whose recentred centres coincide (``member`` is relabelled
    in place): the kept cluster numbers, and for each the cluster whose identity it keeps
    (the larger, the later on a tie, as Clojure's ``max-key``)."""
    kept: list[int] = []
    continues: list[int] = []
    size: list[int] = []
    slot_at: dict[tuple[float, ...], int] = {}
    for c in np.flatnonzero(counts).tolist():
        slot = slot_at.setdefault(tuple(centres[c].tolist()), len(kept))
        if slot == len(kept):
            kept.append(c)
            continues.append(c)
            size.append(int(counts[c]))
            continue
        member[member == c] = kept[slot]
        if counts[c] >= size[slot]:
            continues[slot] = c
        size[slot] += int(counts[c])
    return kept, continues


def _weighted_centres(
    points: FloatArray, weights: FloatArray, member: IntArray, n: int
) -> FloatArray:
    inside = member >= 0
    if inside.all():
        label, w, x, y = member, weights, points[:, 0], points[:, 1]
    else:
        label, w, x, y = member[inside], weights[inside], points[inside, 0], points[inside, 1]
    mass = np.bincount(label, w, minlength=n)
    np.copyto(mass, 1.0, where=mass <= 0)
    centres: FloatArray = np.empty((n, 2))
    centres[:, 0] = np.bincount(label, w * x, minlength=n) / mass
    centres[:, 1] = np.bincount(label, w * y, minlength=n) / mass
    return centres


def _gap_to_nearest(points: FloatArray, centres: FloatArray) -> FloatArray:
    """Euclidean distance from each point to its nearest centre."""
    nearest = _nearest(points, centres)
    gap: FloatArray = np.sqrt(((points - centres[nearest]) ** 2).sum(axis=1))
    return gap


def inertia(points: FloatArray, weights: FloatArray, clustering: Clustering) -> float:
    """Weighted within-cluster sum of squares, the objective Lloyd's iteration lowers."""
    gap = points - clustering.centres[clustering.labels]
    return float((weights * (gap**2).sum(axis=1)).sum())


def _plus_plus(
    points: FloatArray, weights: FloatArray, k: int, starts: int, rng: np.random.Generator
) -> FloatArray:
    """``starts`` weighted k-means++ seedings (Arthur & Vassilvitskii 2007) drawn side by
    side: starts × k × 2.  Needs at least k distinct points and positive weights."""

    def draw(mass: FloatArray) -> IntArray:
        # Inverse-CDF sampling per row: the first index whose cumulative mass exceeds u.
        cumulative = np.cumsum(mass, axis=1)
        u = rng.random(len(cumulative)) * cumulative[:, -1]
        picked: IntArray = np.minimum((cumulative <= u[:, None]).sum(axis=1), mass.shape[1] - 1)
        return picked

    chosen = [draw(np.broadcast_to(weights, (starts, len(points))))]
    gap = ((points[None, :, :] - points[chosen[0]][:, None, :]) ** 2).sum(axis=2)
    for _ in range(1, k):
        chosen.append(draw(weights * gap))
        gap = np.minimum(
            gap, ((points[None, :, :] - points[chosen[-1]][:, None, :]) ** 2).sum(axis=2)
        )
    seeded: FloatArray = points[np.stack(chosen, axis=1)]
    return seeded


def _best_seeded(
    points: FloatArray, weights: FloatArray, k: int, starts: int, rng: np.random.Generator
) -> Clustering | None:
    """k-means from ``starts`` seeded k-means++ starts; the lowest weighted inertia among
    those that keep k groups (None if none does).

    The starts run side by side as one batched Lloyd iteration (a start that empties a
    group is discarded); the winner is then finished by :func:`kmeans`, so the result is
    the same kind of fixed point as every other clustering here.
    """
    if starts < 1 or len(distinct_first(points)) < k:
        return None
    centres = _plus_plus(points, weights, k, starts, rng)
    n_starts = starts
    offset = (np.arange(n_starts) * k)[:, None]
    tiled = [np.tile(weights * points[:, d], n_starts) for d in (0, 1)]
    tiled_weights = np.tile(weights, n_starts)
    alive = np.ones(n_starts, dtype=bool)
    for _ in range(GROUP_ITERS):
        gap = ((points[None, :, None, :] - centres[:, None, :, :]) ** 2).sum(axis=3)
        flat = (offset + gap.argmin(axis=2)).ravel()
        mass = np.bincount(flat, tiled_weights, minlength=n_starts * k).reshape(n_starts, k)
        alive &= (mass > 0).all(axis=1)
        safe = np.where(mass > 0, mass, 1.0)
        new = np.stack(
            [
                np.bincount(flat, t, minlength=n_starts * k).reshape(n_starts, k) / safe
                for t in tiled
            ],
            axis=2,
        )
        moved = float(np.abs(new - centres)[alive].max()) if alive.any() else 0.0
        centres = new
        if moved < SAME_CLUSTERING / 2:
            break
    if not alive.any():
        return None
    gap = ((points[None, :, None, :] - centres[:, None, :, :]) ** 2).sum(axis=3).min(axis=2)
    cost = np.where(alive, gap @ weights, np.inf)
    found = kmeans(points, centres[int(np.argmin(cost))], weights=weights, max_iters=GROUP_ITERS)
    return found if len(found.centres) == k else None


def max_groups(n_base: int, max_k: int = MAX_K) -> int:
    """Polis ``max-k-fn``: ``min(max_k, 2 + n_base // 12)``.

    >>> max_groups(24), max_groups(100)
    (4, 5)
    """
    return min(max_k, 2 + n_base // 12)


def distances(points: FloatArray) -> FloatArray:
    """Euclidean distance between every two points (n × n)."""
    dx = points[:, None, 0] - points[None, :, 0]
    dy = points[:, None, 1] - points[None, :, 1]
    # The sum over the two coordinates, written out: the same additions as summing the
    # squared gap over its last axis, without a reduction over an axis of length 2.
    gap: FloatArray = np.sqrt(dx * dx + dy * dy)
    return gap


def silhouette(points: FloatArray, labels: IntArray, dist: FloatArray | None = None) -> float:
    """Mean silhouette ``(b - a) / max(a, b)`` (Rousseeuw 1987); 0 for singletons.

    ``dist`` is :func:`distances` of ``points`` when the caller scores several
    clusterings of the same points (every k of one update).

    >>> import numpy as np
    >>> round(silhouette(np.array([[0.0, 0], [0, 1], [9, 0], [9, 1]]), np.array([0, 0, 1, 1])), 3)
    0.889
    """
    return silhouettes(points, [labels], dist)[0]


def silhouettes(
    points: FloatArray, labelings: list[IntArray], dist: FloatArray | None = None
) -> list[float]:
    """:func:`silhouette` of several clusterings of the same points, side by side.

    One update scores a clustering for every k; scoring them together is one matrix
    product and a dozen array operations instead of a dozen per k.
    """
    out = [0.0] * len(labelings)
    scored: list[int] = []
    blocks: list[IntArray] = []
    offsets: list[int] = []
    width = 0
    for t, labels in enumerate(labelings):
        counts = np.bincount(labels)
        if int((counts > 0).sum()) < 2:
            continue
        # Groups renumbered 0..g-1 in label order, as the boolean membership columns are.
        compact = np.cumsum(counts > 0) - 1
        scored.append(t)
        offsets.append(width)
        blocks.append(width + compact[labels])
        width += int(compact[-1]) + 1
    if not scored:
        return out
    n = len(points)
    if dist is None:
        dist = distances(points)
    rows = np.arange(n)
    own = np.stack(blocks, axis=1)  # n × clusterings: each point's own column
    member = np.zeros((n, width), dtype=bool)
    member[rows[:, None], own] = True
    # One product per clustering: BLAS sums a wider product in another order, and the
    # silhouettes must not depend on how many clusterings are scored together.
    ends = [*offsets[1:], width]
    sums = np.concatenate(
        [dist @ member[:, lo:hi] for lo, hi in zip(offsets, ends, strict=True)], axis=1
    )
    sizes = member.sum(axis=0)
    n_own = sizes[own] - 1
    a = np.divide(sums[rows[:, None], own], n_own, out=np.zeros(own.shape), where=n_own > 0)
    other = np.where(member, np.inf, sums / sizes)
    b = np.minimum.reduceat(other, offsets, axis=1)
    top = np.maximum(a, b)
    s = np.divide(b - a, top, out=np.zeros(own.shape), where=(n_own > 0) & (top > 0))
    # Each clustering's mean over a contiguous row, as the mean of one vector is taken.
    means = np.ascontiguousarray(s.T).mean(axis=1)
    for t, value in zip(scored, means.tolist(), strict=True):
        out[t] = value
    return out


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
    """Group clusterings for every k tried, their silhouettes and the k kept.

    ``replaced[k]`` is, for each k where the guard replaced Polis's degenerate start,
    how many times the other start's within-group sum of squares Polis's was.
    """

    clusterings: dict[int, Clustering]
    silhouettes: dict[int, float]
    smoother: KSmoother
    replaced: dict[int, float]

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
    previous: dict[int, IntArray] | None = None,
    smoother: KSmoother | None = None,
    restarts: int = RESTARTS,
    seed: int = 0,
) -> GroupChoice:
    """Cluster base-cluster ``centres`` (weighted by ``sizes``) for k = 2..max, pick k.

    ``previous[k]`` gives each base cluster's group in the last update's clustering
    with k groups (-1 for a new base cluster); that clustering is the start.  With
    ``restarts`` > 1 the lowest within-group sum of squares of every start wins;
    otherwise Polis's start does unless it is degenerate (module docstring).
    """
    top = min(max_groups(len(centres), max_k), len(centres))
    clusterings: dict[int, Clustering] = {}
    replaced: dict[int, float] = {}
    # Made when a start is first drawn: most live updates draw none (warm starts).
    rng: np.random.Generator | None = None
    dist = distances(centres) if top >= 2 else None
    n_distinct = len(distinct_first(centres))
    for k in range(2, top + 1):
        last = previous.get(k) if previous else None
        warm = last is not None and bool((last >= 0).any())
        if warm:
            assert last is not None
            start, _ = clean_start(centres, sizes, last, k, n_distinct)
        else:
            start = first_distinct(centres, k)
        clustering = kmeans(centres, start, weights=sizes, max_iters=GROUP_ITERS)
        # The guard watches Polis's cold first-distinct start; a warm start continues the
        # last update's clustering, which was itself guarded (and this keeps updates cheap).
        starts = restarts - 1 if restarts > 1 else (0 if warm else GUARD_STARTS)
        other = None
        if starts > 0:
            rng = np.random.default_rng(seed) if rng is None else rng
            other = _best_seeded(centres, sizes, k, starts, rng)
        if other is not None:
            ours, theirs = inertia(centres, sizes, clustering), inertia(centres, sizes, other)
            if restarts > 1 and theirs < ours - 1e-12:
                clustering = other
            elif restarts <= 1 and theirs < DEGENERATE_RATIO * ours:
                replaced[k] = ours / theirs
                clustering = other
        clusterings[k] = clustering
    scores = silhouettes(centres, [c.labels for c in clusterings.values()], dist)
    by_k = dict(zip(clusterings, scores, strict=True))
    state = smoother or KSmoother()
    if by_k:
        # Clojure's max-key keeps the last of equal maxima: on a tie the larger k wins.
        best = max(by_k, key=lambda kk: (by_k[kk], kk))
        state = state.step(best)
    return GroupChoice(clusterings, by_k, state, replaced)
