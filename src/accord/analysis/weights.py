"""Criterion weights from every input form a case allows, each summing to 1.

Forms (``inputs.<stakeholder>.weights.method`` in a case file):

- ``direct``: non-negative numbers, divided by their sum.
- ``points``: a 100-point allocation; must sum to 100.
- ``rank``: tiers of criteria, best first, turned into rank-order centroid weights
  (Barron & Barrett 1996).
- ``swing``: 0..100 with the most important swing at 100 (von Winterfeldt & Edwards 1986).
- ``ahp``: pairwise judgements on Saaty's 1..9 scale, principal eigenvector and
  consistency ratio (Saaty 1980); several stakeholders' judgements are combined by
  the geometric mean (Aczél & Saaty 1983).

Functions are index-based (criterion ``i`` is column ``i``); pass ``labels`` to get
error messages that name the criteria instead of their positions.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.errors import InputError
from accord.model.weight_checks import (
    ahp_size_message,
    criterion_name,
    first_unlinked,
    judgement_problems,
    no_criteria_message,
    unlinked_message,
)

FloatArray = NDArray[np.float64]

RandomIndexTable = Literal["alonso-lamata", "donegan-dodd"]

#: Saaty's consistency threshold: a CR above 0.1 asks the stakeholder to revisit judgements.
CONSISTENCY_THRESHOLD = 0.1

#: Random index RI(n), the mean CI of random reciprocal matrices on the 1/9..9 scale.
#: Alonso, J.A. & Lamata, M.T. (2006), "Consistency in the analytic hierarchy process:
#: a new approach", Int. J. Uncertainty, Fuzziness and Knowledge-Based Systems 14(4),
#: 445-459, table of RI for n = 3..15 (500,000 matrices per size).  accord's default.
ALONSO_LAMATA_RI: dict[int, float] = {
    3: 0.5247, 4: 0.8816, 5: 1.1086, 6: 1.2479, 7: 1.3417, 8: 1.4057, 9: 1.4499,
    10: 1.4854, 11: 1.5140, 12: 1.5365, 13: 1.5551, 14: 1.5713, 15: 1.5838,
}  # fmt: skip

#: Donegan, H.A. & Dodd, F.J. (1991), "A note on Saaty's random indexes", Mathematical
#: and Computer Modelling 15(10), 135-137.  This is ahpy's default table; accord uses it
#: on request, and for n > 15 where Alonso & Lamata give no value (linear interpolation
#: between listed sizes, as ahpy does).
DONEGAN_DODD_RI: dict[int, float] = {
    3: 0.4914, 4: 0.8286, 5: 1.0591, 6: 1.1797, 7: 1.2519, 8: 1.3171, 9: 1.3733,
    10: 1.4055, 11: 1.4213, 12: 1.4497, 13: 1.4643, 14: 1.4822, 15: 1.4969,
    16: 1.5078, 17: 1.5153, 18: 1.5262, 19: 1.5313, 20: 1.5371, 25: 1.5619,
    30: 1.5772, 40: 1.5976, 50: 1.6102, 60: 1.6178, 70: 1.6237, 80: 1.6277,
    90: 1.6213, 100: 1.6339,
}  # fmt: skip

_RI_SOURCES = {
    "alonso-lamata": "Alonso & Lamata (2006)",
    "donegan-dodd": "Donegan & Dodd (1991)",
}

# Saaty's scale ends at 9; allow for rounding in judgements typed as fractions (0.111).
_MIN_RATIO = 1.0 / 9.0 - 1e-9
_MAX_RATIO = 9.0 + 1e-9
_POINTS_TOTAL = 100.0
_POINTS_TOLERANCE = 1e-6


# One wording for a criterion in every message (shared with the case checker).
_name = criterion_name


def normalize_weight_rows(
    weights: FloatArray, *, labels: Sequence[str] | None = None
) -> FloatArray:
    """Check and scale weight vectors (last axis = criteria) so each sums to 1.

    Raises :class:`~accord.errors.InputError` on a NaN, infinite or negative weight, or
    a vector that is all zero (it says nothing about what matters).

    >>> normalize_weight_rows(np.array([[2.0, 2.0], [1.0, 3.0]])).tolist()
    [[0.5, 0.5], [0.25, 0.75]]
    """
    w = np.asarray(weights, dtype=np.float64)
    bad = ~np.isfinite(w)
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        value = float(w[idx])
        raise InputError(
            f"weight of {_name(idx[-1], labels)} is {value!r} (expected a finite number >= 0)"
        )
    if (w < 0).any():
        idx = tuple(int(i) for i in np.argwhere(w < 0)[0])
        raise InputError(f"weight of {_name(idx[-1], labels)} is {float(w[idx])!r} (expected >= 0)")
    total = w.sum(axis=-1, keepdims=True)
    if (total == 0.0).any():
        raise InputError("all weights are zero (expected at least one positive weight)")
    return np.asarray(w / total, dtype=np.float64)


def direct_weights(values: Sequence[float], *, labels: Sequence[str] | None = None) -> FloatArray:
    """Direct weights: ``w_i = v_i / Σ v`` for non-negative ``v``.

    >>> direct_weights([0.5, 0.2, 0.3]).tolist()
    [0.5, 0.2, 0.3]
    >>> direct_weights([1, 3]).tolist()
    [0.25, 0.75]
    """
    return normalize_weight_rows(np.asarray(values, dtype=np.float64), labels=labels)


def point_weights(points: Sequence[float], *, labels: Sequence[str] | None = None) -> FloatArray:
    """100-point allocation: ``w_i = p_i / 100``; the points must sum to 100.

    >>> point_weights([50, 30, 20]).tolist()
    [0.5, 0.3, 0.2]
    """
    p = np.asarray(points, dtype=np.float64)
    w = normalize_weight_rows(p, labels=labels)  # validates sign and finiteness first
    total = float(p.sum())
    if abs(total - _POINTS_TOTAL) > _POINTS_TOLERANCE:
        raise InputError(f"points sum to {total:g} (expected exactly 100)")
    return w


def swing_weights(values: Sequence[float], *, labels: Sequence[str] | None = None) -> FloatArray:
    """Swing weights: each criterion's swing rated 0..100, the most important at 100.

    ``w_i = s_i / Σ s`` (von Winterfeldt & Edwards 1986, *Decision Analysis and
    Behavioral Research*, §8.4).

    >>> swing_weights([100, 50, 50]).tolist()
    [0.5, 0.25, 0.25]
    """
    s = np.asarray(values, dtype=np.float64)
    w = normalize_weight_rows(s, labels=labels)
    over = np.flatnonzero(s > 100.0)
    if over.size:
        i = int(over[0])
        raise InputError(f"swing of {_name(i, labels)} is {s[i]:g} (expected 0..100)")
    if float(s.max()) != 100.0:
        raise InputError(
            f"the largest swing is {float(s.max()):g} (expected the most important swing = 100)"
        )
    return w


def rank_order_centroid(
    tiers: Sequence[Sequence[int]], n: int, *, labels: Sequence[str] | None = None
) -> FloatArray:
    """Rank-order centroid weights from tiers of criterion indices, most important first.

    Position ``k`` (1-based) of ``n`` gets ``w_k = (1/n) Σ_{i=k..n} 1/i`` (Barron, F.H. &
    Barrett, B.E. 1996, "Decision quality using ranked attribute weights", Management
    Science 42(11), 1515-1523).  Criteria tied in one tier share the mean of the
    weights of the positions they occupy.  Criteria not listed at all form one last
    tier below every listed one (a ranked criterion matters more than an unranked one).

    >>> rank_order_centroid([[0], [1], [2]], 3).round(4).tolist()
    [0.6111, 0.2778, 0.1111]
    >>> rank_order_centroid([[0], [1, 2]], 3).round(4).tolist()
    [0.6111, 0.1944, 0.1944]
    """
    if n < 1:
        raise InputError(no_criteria_message("rank"))
    seen: set[int] = set()
    order: list[list[int]] = []
    for tier in tiers:
        members = [int(c) for c in tier]
        for c in members:
            if not 0 <= c < n:
                raise InputError(f"ranked criterion index {c} is out of range 0..{n - 1}")
            if c in seen:
                raise InputError(f"{_name(c, labels)} appears twice in the ranking")
            seen.add(c)
        if members:
            order.append(members)
    rest = [c for c in range(n) if c not in seen]
    if rest:
        order.append(rest)
    position_weight = np.cumsum(1.0 / np.arange(n, 0, -1))[::-1] / n
    w = np.zeros(n)
    start = 0
    for tier_members in order:
        stop = start + len(tier_members)
        w[tier_members] = position_weight[start:stop].mean()
        start = stop
    return w


# --------------------------------------------------------------------------- AHP


@dataclass(frozen=True)
class Triad:
    """Three criteria whose judgements contradict each other most.

    ``inconsistency`` is Koczkodaj's (1993) triad index:
    ``min(|1 - a_ik / (a_ij a_jk)|, |1 - a_ij a_jk / a_ik|)``, 0 when consistent.
    """

    criteria: list[int]
    inconsistency: float


@dataclass(frozen=True)
class AhpResult:
    """Weights from pairwise judgements and how consistent the judgements were.

    ``ci = (λmax - n) / (n - 1)``; ``cr = ci / RI(n)`` with RI from ``random_index``;
    ``completed`` lists the ``(i, j)`` pairs that were missing and were filled in.
    """

    weights: list[float]
    lambda_max: float
    ci: float
    cr: float
    random_index: float
    random_index_source: str
    is_consistent: bool
    worst_triad: Triad | None
    completed: list[tuple[int, int]]


Judgement = tuple[int, int, float]


def judgement_matrix(
    n: int, judgements: Sequence[Judgement], *, labels: Sequence[str] | None = None
) -> FloatArray:
    """Reciprocal pairwise matrix from ``(more, less, ratio)`` judgements; NaN where missing.

    ``ratio`` says how many times more important ``more`` is than ``less`` on Saaty's
    scale 1/9..9 (a ratio below 1 reverses the statement).

    >>> judgement_matrix(2, [(0, 1, 3.0)]).round(3).tolist()
    [[1.0, 3.0], [0.333, 1.0]]
    """
    if n < 1:
        raise InputError(no_criteria_message("AHP"))
    for k, (more, less, ratio) in enumerate(judgements):
        i, j, r = int(more), int(less), float(ratio)
        for c in (i, j):
            if not 0 <= c < n:
                raise InputError(f"judgements[{k}]: criterion index {c} is out of range 0..{n - 1}")
        if not (math.isfinite(r) and _MIN_RATIO <= r <= _MAX_RATIO):
            raise InputError(
                f"judgements[{k}]: ratio {ratio!r} for {_name(i, labels)} over "
                f"{_name(j, labels)} is outside Saaty's scale (expected 1/9..9)"
            )
    repeated = judgement_problems([(int(m), int(le)) for m, le, _ in judgements], labels)
    if repeated:
        k, message = repeated[0]
        raise InputError(f"judgements[{k}]: {message}")
    a = np.full((n, n), np.nan)
    np.fill_diagonal(a, 1.0)
    for more, less, ratio in judgements:
        i, j, r = int(more), int(less), float(ratio)
        a[i, j] = r
        a[j, i] = 1.0 / r
    return a


def ahp_weights(
    n: int,
    judgements: Sequence[Judgement],
    *,
    labels: Sequence[str] | None = None,
    random_index: RandomIndexTable = "alonso-lamata",
) -> AhpResult:
    """AHP priorities: the principal right eigenvector of the judgement matrix (Saaty 1980).

    ``A w = λmax w``, ``w`` scaled to sum 1; consistency index ``CI = (λmax - n)/(n - 1)``
    and ratio ``CR = CI / RI(n)`` (Saaty, T.L. 1980, *The Analytic Hierarchy Process*,
    McGraw-Hill, ch. 1-2); judgements count as consistent when ``CR <= 0.1``.  RI comes
    from Alonso & Lamata (2006) by default; ahpy uses Donegan & Dodd (1991), available
    as ``random_index="donegan-dodd"``.

    Missing judgements (an incomplete set) are filled with the values that make the
    matrix as consistent as possible, i.e. minimise ``λmax`` (Bozóki, Fülöp & Rónyai
    2010, "On optimal completion of incomplete pairwise comparison matrices", Math.
    Comput. Modelling 52, 318-333) -- the method ahpy uses.  ``λmax`` is a convex
    function of the logarithms of the missing entries, so Newton's method with exact
    derivatives finds the optimum (no scipy).  The judgements must connect every
    criterion (otherwise the relative weight of two groups is undetermined).

    >>> r = ahp_weights(3, [(0, 1, 2.0), (1, 2, 2.0), (0, 2, 4.0)])
    >>> [round(w, 4) for w in r.weights], round(r.cr, 6), r.is_consistent
    ([0.5714, 0.2857, 0.1429], 0.0, True)
    """
    a = judgement_matrix(n, judgements, labels=labels)
    completed = _complete(a, labels)
    return _ahp_from_matrix(a, completed, random_index)


def group_ahp(
    n: int,
    judgement_sets: Sequence[Sequence[Judgement]],
    *,
    labels: Sequence[str] | None = None,
    random_index: RandomIndexTable = "alonso-lamata",
) -> AhpResult:
    """Group AHP: aggregate individual judgements by their geometric mean, then solve.

    ``a_ij = (Π_k a_ij^(k))^(1/m)`` over the ``m`` stakeholders who judged the pair
    (Aczél, J. & Saaty, T.L. 1983, "Procedures for synthesizing ratio judgements",
    J. Math. Psychology 27, 93-102: the geometric mean is the only synthesis that keeps
    reciprocity).  A pair nobody judged is completed as in :func:`ahp_weights`.

    >>> r = group_ahp(2, [[(0, 1, 4.0)], [(0, 1, 1.0)]])
    >>> [round(w, 4) for w in r.weights]
    [0.6667, 0.3333]
    """
    if not judgement_sets:
        raise InputError("group AHP needs at least one stakeholder's judgements")
    logs = np.zeros((n, n))
    counts = np.zeros((n, n))
    for judgements in judgement_sets:
        a = judgement_matrix(n, judgements, labels=labels)
        known = ~np.isnan(a)
        logs[known] += np.log(a[known])
        counts[known] += 1
    mean = np.full((n, n), np.nan)
    judged = counts > 0
    mean[judged] = np.exp(logs[judged] / counts[judged])
    completed = _complete(mean, labels)
    return _ahp_from_matrix(mean, completed, random_index)


def random_index_for(n: int, table: RandomIndexTable = "alonso-lamata") -> tuple[float, str]:
    """RI(n) and the cited source of the value; RI is 0 for n <= 2 (always consistent).

    >>> random_index_for(4)
    (0.8816, 'Alonso & Lamata (2006)')
    >>> random_index_for(4, "donegan-dodd")
    (0.8286, 'Donegan & Dodd (1991)')
    """
    if table not in _RI_SOURCES:
        raise ValueError(f"unknown random index table {table!r}")
    if n <= 2:
        return 0.0, _RI_SOURCES[table]
    if table == "alonso-lamata" and n in ALONSO_LAMATA_RI:
        return ALONSO_LAMATA_RI[n], _RI_SOURCES[table]
    too_many = ahp_size_message(n)
    if too_many is not None:
        raise InputError(too_many)
    if n in DONEGAN_DODD_RI:
        return DONEGAN_DODD_RI[n], _RI_SOURCES["donegan-dodd"]
    sizes = sorted(DONEGAN_DODD_RI)
    lo = max(s for s in sizes if s < n)
    hi = min(s for s in sizes if s > n)
    ri = DONEGAN_DODD_RI[lo] + (DONEGAN_DODD_RI[hi] - DONEGAN_DODD_RI[lo]) * (n - lo) / (hi - lo)
    return ri, _RI_SOURCES["donegan-dodd"]


def worst_triad(matrix: FloatArray) -> Triad | None:
    """The triad ``i < j < k`` with the largest Koczkodaj inconsistency (None if n < 3).

    Koczkodaj, W.W. (1993), "A new definition of consistency of pairwise comparisons",
    Math. Comput. Modelling 18(7), 79-84.

    >>> worst_triad(np.array([[1, 2, 1/2], [1/2, 1, 2], [2, 1/2, 1]]))
    Triad(criteria=[0, 1, 2], inconsistency=0.875)
    """
    a = np.asarray(matrix, dtype=np.float64)
    n = a.shape[0]
    if n < 3:
        return None
    idx = np.array(list(itertools.combinations(range(n), 3)))
    i, j, k = idx[:, 0], idx[:, 1], idx[:, 2]
    ratio = a[i, k] / (a[i, j] * a[j, k])  # 1 when the triad is consistent
    index = np.minimum(np.abs(1.0 - ratio), np.abs(1.0 - 1.0 / ratio))
    best = int(np.argmax(index))
    return Triad(criteria=[int(c) for c in idx[best]], inconsistency=float(index[best]))


def _principal(a: FloatArray) -> tuple[float, FloatArray]:
    values, vectors = np.linalg.eig(a)
    top = int(np.argmax(values.real))
    w = np.abs(vectors[:, top].real)  # Perron vector: one sign, positive after abs
    return float(values[top].real), np.asarray(w / w.sum(), dtype=np.float64)


#: Newton's method for the optimal completion stops when no free log-ratio's gradient
#: component exceeds this fraction of λmax, or when a step moves no log-ratio by more than
#: ``_COMPLETION_STEP_TOLERANCE`` (rounding in the Perron vectors then outweighs the step).
_COMPLETION_GRADIENT_TOLERANCE = 1e-12
_COMPLETION_STEP_TOLERANCE = 1e-12
# Newton converges quadratically here in <= 10 steps (n <= 15 tested); the cap is a guard.
_COMPLETION_MAX_STEPS = 100
# Armijo's sufficient-decrease constant (Nocedal & Wright 2006, §3.1).
_ARMIJO = 1e-4
# A line search that has halved the step this often has hit rounding, not a slope.
_MAX_HALVINGS = 40


def _complete(a: FloatArray, labels: Sequence[str] | None) -> list[tuple[int, int]]:
    """Fill missing pairs in place to minimise λmax; return the filled ``(i, j)``, i < j.

    With ``a_ij = exp(t)``, ``a_ji = exp(-t)`` for each missing pair, λmax is a convex
    function of the log-ratios ``t`` with one minimiser when the judgements connect all
    criteria (Bozóki, Fülöp & Rónyai 2010, see :func:`ahp_weights`).  We minimise it by
    projected Newton's method with a backtracking line search (after Bertsekas, D.P. 1982,
    "Projected Newton methods for optimization problems with simple constraints", SIAM
    J. Control Optim. 20(2), 221-246; Nocedal, J. & Wright, S.J. 2006, *Numerical
    Optimization*, 2nd ed., ch. 3), starting from the log least-squares completion, with
    ``|t| <= ln 9 · (n - 1)`` (a chain of ``k < n`` judgements implies at most ``9^k``).
    Derivatives are exact, see :func:`_lambda_max_derivatives`.  It stops when every free
    gradient component is below ``1e-12 · λmax`` or a step moves no ``t`` by over 1e-12.

    >>> a = judgement_matrix(3, [(0, 1, 2.0), (1, 2, 3.0)])
    >>> _complete(a, None), round(float(a[0, 2]), 12)  # consistent: a_02 = a_01 · a_12
    ([(0, 2)], 6.0)
    """
    n = a.shape[0]
    missing = [(i, j) for i in range(n) for j in range(i + 1, n) if np.isnan(a[i, j])]
    if not missing:
        return []
    _check_connected(a, labels)
    rows = np.array([p[0] for p in missing])
    cols = np.array([p[1] for p in missing])

    # Start from the consistent guess of the log least-squares weights of known pairs.
    known = np.triu(~np.isnan(a), 1)
    ki, kj = np.nonzero(known)
    design = np.zeros((ki.size + 1, n))
    design[np.arange(ki.size), ki] = 1.0
    design[np.arange(ki.size), kj] = -1.0
    design[-1, :] = 1.0  # pin the scale: log-weights sum to 0
    target = np.append(np.log(a[ki, kj]), 0.0)
    v = np.linalg.lstsq(design, target, rcond=None)[0]
    # A missing ratio implied through a chain of k known ratios is at most 9^k; k < n.
    bound = math.log(9.0) * max(n - 1, 1)
    _minimise_lambda_max(a, rows, cols, np.clip(v[rows] - v[cols], -bound, bound), bound)
    return [(int(i), int(j)) for i, j in missing]


def _set_log_ratios(
    a: FloatArray, rows: NDArray[np.intp], cols: NDArray[np.intp], t: FloatArray
) -> None:
    a[rows, cols] = np.exp(t)
    a[cols, rows] = np.exp(-t)


def _perron_pair(a: FloatArray) -> tuple[float, FloatArray, FloatArray]:
    """λmax, right Perron vector ``w`` (sum 1) and left Perron vector ``v`` (``v · w = 1``)."""
    values, right = np.linalg.eig(a)
    top = int(np.argmax(values.real))
    left_values, left = np.linalg.eig(a.T)
    w = np.abs(right[:, top].real)  # Perron vectors: one sign, positive after abs
    v = np.abs(left[:, int(np.argmax(left_values.real))].real)
    w = w / w.sum()
    return float(values[top].real), w, v / float(v @ w)


def _lambda_max_derivatives(
    a: FloatArray,
    rows: NDArray[np.intp],
    cols: NDArray[np.intp],
    lam: float,
    w: FloatArray,
    v: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Gradient and Hessian of λmax in the log-ratios ``t_k = ln a[rows[k], cols[k]]``.

    For a simple eigenvalue with ``v · w = 1``, ``∂_k λ = vᵀ A_k w`` and
    ``∂_kl λ = vᵀ A_kl w + vᵀ A_k ∂_l w + (∂_l v)ᵀ A_k w``, where ``A_k = ∂A/∂t_k`` and
    ``∂_l w``, ``∂_l v`` are the eigenvector derivatives (Magnus, J.R. 1985, "On
    differentiating eigenvalues and eigenvectors", Econometric Theory 1(2), 179-191).
    For pair ``k = (i, j)``: ``∂_k λ = v_i a_ij w_j - v_j a_ji w_i`` (Bozóki, Fülöp &
    Rónyai 2010); ``A_kk`` is ``A_k`` with ``a_ji`` added instead of subtracted, and
    ``A_kl = 0`` for ``k != l``.
    """
    n = a.shape[0]
    k = np.arange(rows.size)
    up = a[rows, cols]
    down = a[cols, rows]
    forward = v[rows] * up * w[cols]
    backward = v[cols] * down * w[rows]
    gradient = forward - backward
    # (λI - A) ∂_l w = (A_l - ∂_l λ I) w with v · ∂_l w = 0, and likewise for v with Aᵀ;
    # bordering λI - A with w and v makes it invertible because λmax is simple (Perron).
    bordered = np.zeros((n + 1, n + 1))
    bordered[:n, :n] = lam * np.eye(n) - a
    bordered[:n, n] = w
    bordered[n, :n] = v
    rhs_w = np.zeros((n + 1, rows.size))
    rhs_w[:n] = -gradient * w[:, None]
    rhs_w[rows, k] += up * w[cols]
    rhs_w[cols, k] -= down * w[rows]
    rhs_v = np.zeros((n + 1, rows.size))
    rhs_v[:n] = -gradient * v[:, None]
    rhs_v[cols, k] += up * v[rows]
    rhs_v[rows, k] -= down * v[cols]
    dw = np.linalg.solve(bordered, rhs_w)[:n]
    dv = np.linalg.solve(bordered.T, rhs_v)[:n]
    hessian = (v[rows] * up)[:, None] * dw[cols] - (v[cols] * down)[:, None] * dw[rows]
    hessian += (up * w[cols])[:, None] * dv[rows] - (down * w[rows])[:, None] * dv[cols]
    hessian[k, k] += forward + backward
    return gradient, (hessian + hessian.T) / 2.0


def _newton_direction(hessian: FloatArray, gradient: FloatArray) -> FloatArray:
    """``-H⁻¹ g``; λmax is convex, so a curvature rounding left at ~0 or below is lifted."""
    curvature, axes = np.linalg.eigh(hessian)
    floor = 1e-12 * max(float(curvature.max()), 1.0)
    return np.asarray(-axes @ ((axes.T @ gradient) / np.maximum(curvature, floor)))


def _minimise_lambda_max(
    a: FloatArray, rows: NDArray[np.intp], cols: NDArray[np.intp], start: FloatArray, bound: float
) -> None:
    """Projected Newton's method on λmax over ``[-bound, bound]``; leaves the optimum in ``a``."""
    rounding = 8.0 * float(np.finfo(np.float64).eps)
    t = start
    _set_log_ratios(a, rows, cols, t)
    lam, w, v = _perron_pair(a)
    for _ in range(_COMPLETION_MAX_STEPS):
        gradient, hessian = _lambda_max_derivatives(a, rows, cols, lam, w, v)
        # A log-ratio at its bound that the gradient pushes outward stays there.
        free = ~(((t <= -bound) & (gradient > 0)) | ((t >= bound) & (gradient < 0)))
        if np.abs(gradient[free]).max(initial=0.0) <= _COMPLETION_GRADIENT_TOLERANCE * lam:
            break
        step = np.zeros_like(t)
        step[free] = _newton_direction(hessian[np.ix_(free, free)], gradient[free])
        alpha = 1.0
        for _ in range(_MAX_HALVINGS):
            trial = np.clip(t + alpha * step, -bound, bound)
            _set_log_ratios(a, rows, cols, trial)
            trial_lam, trial_w, trial_v = _perron_pair(a)
            # Armijo's test, forgiving the few ulps of rounding in λmax near the optimum.
            if trial_lam <= lam + _ARMIJO * float(gradient @ (trial - t)) + rounding * lam:
                break
            alpha /= 2.0
        else:
            _set_log_ratios(a, rows, cols, t)  # no step decreases λmax: optimal to rounding
            return
        moved = float(np.abs(trial - t).max())
        t, lam, w, v = trial, trial_lam, trial_w, trial_v
        if moved <= _COMPLETION_STEP_TOLERANCE:
            break


def _check_connected(a: FloatArray, labels: Sequence[str] | None) -> None:
    known = np.argwhere(np.triu(~np.isnan(a), 1))
    cut = first_unlinked(a.shape[0], [(int(i), int(j)) for i, j in known])
    if cut is not None:
        raise InputError(unlinked_message(cut, labels))


def _ahp_from_matrix(
    a: FloatArray, completed: list[tuple[int, int]], table: RandomIndexTable
) -> AhpResult:
    n = a.shape[0]
    lam, w = _principal(a)
    ri, source = random_index_for(n, table)
    ci = max((lam - n) / (n - 1), 0.0) if n > 2 else 0.0  # tiny negatives are rounding
    cr = ci / ri if ri > 0 else 0.0
    return AhpResult(
        weights=w.tolist(),
        lambda_max=lam,
        ci=ci,
        cr=cr,
        random_index=ri,
        random_index_source=source,
        is_consistent=cr <= CONSISTENCY_THRESHOLD,
        worst_triad=worst_triad(a),
        completed=completed,
    )
