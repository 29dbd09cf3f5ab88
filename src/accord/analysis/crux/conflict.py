"""Are two stakeholders' goals truly inversely correlated? Where do they still agree?

Measured on each stakeholder's own utilities (their weights on their own lens): the
Spearman rank correlation of the two utility vectors over the options (Spearman 1904),
overall and restricted to the criteria of each customer segment and time horizon; per
criterion, each stakeholder's *pull* (the correlation of that criterion's scores with
their utilities) tells whether the criterion unites (same sign) or divides (opposite
signs) them.  A scope is reported only where the two *can* differ: a segment or horizon
with a single criterion, or on which both lenses and both (rescaled) weight vectors are
equal, correlates at 1 by construction and says nothing.  Whatever the correlation, the
option pairs both order the same way are counted and the clearest named ("both prefer C
to B"), because opposed rankings rarely disagree on everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.analysis.agreement import average_ranks

FloatArray = NDArray[np.float64]

Verdict = Literal["conflict", "agree", "mixed", "undefined"]
Scope = Literal["all", "criterion", "segment", "horizon"]

#: Spearman correlation at or below this is a conflict; at or above its negation, agreement.
CONFLICT_THRESHOLD = -0.3
#: How many shared pairwise preferences a conflict names.
SHARED_SHOWN = 3


@dataclass(frozen=True)
class View:
    """Correlation in one scope; ``key`` is a criterion index (as text), segment or horizon."""

    scope: Scope
    key: str
    correlation: float | None
    verdict: Verdict


@dataclass(frozen=True)
class Conflict:
    """Two stakeholders (indices) compared; ``shared`` lists (better, worse) option pairs."""

    first: int
    second: int
    overall: View
    views: list[View]
    shared: list[tuple[int, int]]
    shared_count: int
    comparisons: int


def spearman(x: FloatArray, y: FloatArray) -> float | None:
    """Spearman rank correlation (average ranks for ties); None if either is constant.

    >>> spearman(np.array([1.0, 2.0, 3.0]), np.array([3.0, 1.0, 2.0]))
    -0.5
    """
    xa = np.asarray(x, dtype=np.float64)
    ya = np.asarray(y, dtype=np.float64)
    if xa.size < 2 or np.ptp(xa) == 0.0 or np.ptp(ya) == 0.0:
        return None
    rx = average_ranks(xa) - (xa.size + 1) / 2.0
    ry = average_ranks(ya) - (ya.size + 1) / 2.0
    value = float(np.sum(rx * ry) / np.sqrt(np.sum(rx * rx) * np.sum(ry * ry)))
    return round(value, 12)


def verdict(rho: float | None) -> Verdict:
    if rho is None:
        return "undefined"
    if rho <= CONFLICT_THRESHOLD:
        return "conflict"
    if rho >= -CONFLICT_THRESHOLD:
        return "agree"
    return "mixed"


def goal_conflicts(
    scores: FloatArray,
    weights: FloatArray,
    pairs: Sequence[tuple[int, int]],
    *,
    candidates: Sequence[int] | None = None,
    segments: Sequence[str | None] | None = None,
    horizons: Sequence[str | None] | None = None,
) -> list[Conflict]:
    """Compare each pair of stakeholders (indices into ``scores`` S x O x C, ``weights`` S x C).

    Shared pairwise preferences are counted among ``candidates`` (default: every option),
    the options still on the table.

    >>> r = np.array([[1.0, 0.0, 0.9], [0.0, 1.0, 0.8], [0.5, 0.5, 0.1], [0.6, 0.4, 0.2]])
    >>> (c,) = goal_conflicts(np.stack([r, r]), np.array([[0.6, 0.0, 0.4], [0.0, 0.6, 0.4]]),
    ...                       [(0, 1)])
    >>> c.overall.verdict, [v.key for v in c.views if v.verdict == "agree"], c.shared[:1]
    ('conflict', ['2'], [(0, 3)])
    """
    r = np.asarray(scores, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    u = np.einsum("soc,sc->so", r, w)
    pool = list(range(r.shape[1])) if candidates is None else sorted(candidates)
    # How each criterion's scores follow each stakeholder's utilities depends on the
    # stakeholder only: computed once each, not once per pair.
    alignment: dict[int, list[float | None]] = {}
    for s in sorted({i for pair in pairs for i in pair}):
        alignment[s] = [spearman(r[s, :, c], u[s]) for c in range(r.shape[2])]
    return [_compare(r, w, u, a, b, pool, alignment, segments, horizons) for a, b in pairs]


def _compare(
    r: FloatArray,
    w: FloatArray,
    u: FloatArray,
    a: int,
    b: int,
    pool: list[int],
    alignment: dict[int, list[float | None]],
    segments: Sequence[str | None] | None,
    horizons: Sequence[str | None] | None,
) -> Conflict:
    rho = spearman(u[a], u[b])
    overall = View("all", "all", rho, verdict(rho))
    views: list[View] = []
    for c in range(r.shape[2]):
        p1, p2 = alignment[a][c], alignment[b][c]
        joint = (
            None if p1 is None or p2 is None else float(np.sign(p1 * p2) * min(abs(p1), abs(p2)))
        )
        views.append(View("criterion", str(c), joint, verdict(joint)))
    for scope, tags in (("segment", segments), ("horizon", horizons)):
        for tag in sorted({t for t in tags or () if t}):
            cols = np.array([t == tag for t in tags or ()], dtype=np.bool_)
            view = _scoped(r, w, a, b, cols, scope, tag)  # type: ignore[arg-type]
            if view is not None:
                views.append(view)
    shared, count, total = _shared_preferences(u[a], u[b], pool)
    return Conflict(a, b, overall, views, shared, count, total)


def _scoped(
    r: FloatArray, w: FloatArray, a: int, b: int, cols: NDArray[np.bool_], scope: Scope, tag: str
) -> View | None:
    """The correlation on the criteria tagged ``tag``; None where it cannot differ from 1."""
    if int(cols.sum()) < 2:
        return None
    w1, w2 = w[a] * cols, w[b] * cols
    if w1.sum() == 0.0 or w2.sum() == 0.0:
        return View(scope, tag, None, "undefined")
    w1, w2 = w1 / w1.sum(), w2 / w2.sum()
    same_lens = np.array_equal(r[a][:, cols], r[b][:, cols])
    if same_lens and np.allclose(w1, w2, rtol=0.0, atol=1e-12):
        return None
    rho = spearman(r[a] @ w1, r[b] @ w2)
    return View(scope, tag, rho, verdict(rho))


def _shared_preferences(
    u1: FloatArray, u2: FloatArray, pool: list[int]
) -> tuple[list[tuple[int, int]], int, int]:
    """Option pairs both strictly order the same way: the clearest few, how many, of how many."""
    if len(pool) < 2:
        return [], 0, 0
    idx = np.array(pool)
    d1 = u1[idx][:, None] - u1[idx][None, :]
    d2 = u2[idx][:, None] - u2[idx][None, :]
    both = (d1 > 1e-12) & (d2 > 1e-12)
    margin = np.where(both, np.minimum(d1, d2), -np.inf)
    count = int(both.sum())
    order = np.argsort(-margin, axis=None, kind="stable")[: min(SHARED_SHOWN, count)]
    better, worse = np.unravel_index(order, margin.shape)
    shown = [
        (int(idx[i]), int(idx[j])) for i, j in zip(better.tolist(), worse.tolist(), strict=True)
    ]
    return shown, count, len(pool) * (len(pool) - 1) // 2
