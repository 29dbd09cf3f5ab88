"""Threshold maths: where two options tie as one weight or one estimate moves.

Utility model: ``U_s(o) = Σ_c w_sc r_soc`` with ``r_s = normalize(x_s)`` for each
stakeholder's own lens ``x_s`` (Hwang & Yoon 1981, §3.2.1; the model of
:func:`accord.analysis.mcda.weighted_sum`).

**Weights.**  When the weight of criterion ``c`` becomes ``t`` the others are rescaled
proportionally, ``w_j(t) = w_j (1 - t) / (1 - w_c)`` (all of it on ``c``: spread
equally), so every utility is linear in ``t``: ``U_o(t) = t r_oc + (1 - t) R_o`` with
``R_o`` the utility on the other criteria.  The advantage of ``a`` over ``b`` is
``α + β t`` with ``α = R_a - R_b`` and ``β = (r_ac - r_bc) - α``; it vanishes at
``t = -α/β`` (the "stability interval" of weighted-sum sensitivity analysis:
Triantaphyllou & Sánchez 1997, *Decision Sciences* 28(1), 151-194; Mareschal 1988,
*EJOR* 33(1), 54-64).

**Estimates.**  Changing option ``o``'s value on criterion ``c`` to ``v`` re-normalises
column ``c``, so ``o``'s advantage over ``p`` is ``D(v) = σ_c w_c h(v) + Δ`` where ``Δ``
is the advantage on the other criteria, ``σ_c = ±1`` for maximise / minimise and

- min-max: ``h(v) = (v - x_p) / (max(M, v) - min(m, v))`` with ``m, M`` the smallest
  and largest value of the *other* options;
- vector: ``h(v) = (v - x_p) / sqrt(S + v²)`` with ``S = Σ_{j≠o} x_j²``.

``h`` is monotone (min-max: piecewise, increasing on each piece; vector: increasing
wherever ``S + x_p v > 0``, which covers all non-negative values) and tends to ``±1``,
so ``D(v) = 0`` has at most one root, found in closed form: min-max by the piece it
falls on, vector from ``(v - x_p)² = k² (S + v²)`` taking the root with
``sign(v - x_p) = sign(k)``: ``v = (x_p + k sqrt(x_p² + S (1 - k²))) / (1 - k²)``.
Because ``D`` is monotone, a preference that flips at the root stays flipped for every
value beyond it: the claim "if v were above t" holds for all such ``v``.

Everything here takes and returns numbers; :mod:`accord.analysis.crux.explain` words
them.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from accord.analysis.crux.lenses import Rows
from accord.analysis.normalization import NormalizationMethod

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


def others_extremes(x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Per (row, option, criterion): min and max of the column without that option.

    ``x`` is R x O x C; both results have its shape (NaN with fewer than two options).

    >>> lo, hi = others_extremes(np.array([[[1.0], [5.0], [3.0]]]))
    >>> lo[0, :, 0].tolist(), hi[0, :, 0].tolist()
    ([3.0, 1.0, 1.0], [5.0, 3.0, 5.0])
    """
    n = x.shape[1]
    if n < 2:
        return np.full_like(x, np.nan), np.full_like(x, np.nan)
    # Only the two smallest and two largest of each column matter: partition, not sort
    # (with ties either index of a tied pair gives the same values).
    low_two = np.argpartition(x, 1, axis=1)
    high_two = np.argpartition(x, n - 2, axis=1)
    first, second = low_two[:, :1, :], low_two[:, 1:2, :]
    last, before = high_two[:, -1:, :], high_two[:, -2:-1, :]
    take = np.take_along_axis
    min1, min2 = take(x, first, axis=1), take(x, second, axis=1)
    max1, max2 = take(x, last, axis=1), take(x, before, axis=1)
    options = np.arange(n)[None, :, None]
    lo = np.where(options == first, min2, min1)
    hi = np.where(options == last, max2, max1)
    return lo, hi


def estimate_thresholds(
    rows: Rows,
    maximise: BoolArray,
    method: NormalizationMethod,
    row: IntArray,
    prefers: IntArray,
    challenger: IntArray,
    extremes: tuple[FloatArray, FloatArray] | None = None,
) -> tuple[FloatArray, BoolArray]:
    """Values at which ``challenger`` ties ``prefers`` for pairs (row, prefers, challenger).

    Returns pairs x criteria x 2 arrays: side 0 varies the challenger's value, side 1 the
    preferred option's; ``threshold`` (NaN where no value ties them, or the weight is 0)
    and ``above`` (the challenger wins above the threshold, else below it).
    """
    x = rows.values
    w = rows.weights[row]  # pairs x criteria
    sign = np.where(maximise, 1.0, -1.0)[None, :]
    ra = rows.scores[row, prefers]
    rb = rows.scores[row, challenger]
    full = (rows.utilities[row, challenger] - rows.utilities[row, prefers])[:, None]
    rest_b = full - w * (rb - ra)  # challenger's advantage on the other criteria
    live = (w > 0.0) & rows.editable[row]
    safe_w = np.where(live, w, 1.0)
    thresholds = np.full((row.size, x.shape[2], 2), np.nan)
    above = np.zeros((row.size, x.shape[2], 2), dtype=np.bool_)
    if method == "minmax":
        lo, hi = extremes if extremes is not None else others_extremes(x)
    else:
        sumsq = np.sum(x * x, axis=1)  # R x C
    for side, (varied, fixed, rest) in enumerate(
        ((challenger, prefers, rest_b), (prefers, challenger, -rest_b))
    ):
        k = -rest / (safe_w * sign)
        xp = x[row, fixed]
        if method == "minmax":
            v = _solve_minmax(k, xp, lo[row, varied], hi[row, varied])
        else:
            s = sumsq[row] - x[row, varied] ** 2
            v = _solve_vector(k, xp, s)
        thresholds[:, :, side] = np.where(live, v, np.nan)
        # The challenger wins when its own value rises on a maximised criterion (side 0),
        # or when the preferred option's value falls (side 1); the reverse to minimise.
        above[:, :, side] = (sign > 0.0) if side == 0 else (sign < 0.0)
    return thresholds, above


def _solve_minmax(k: FloatArray, xp: FloatArray, m: FloatArray, big: FloatArray) -> FloatArray:
    """Solve ``(v - x_p) / (max(M, v) - min(m, v)) = k`` piece by piece (|k| < 1)."""
    ok = np.abs(k) < 1.0
    span = big - m
    with np.errstate(divide="ignore", invalid="ignore"):
        middle = xp + k * span
        upper = (xp - k * m) / (1.0 - k)
        lower = (xp + k * big) / (1.0 + k)
    # h is continuous and monotone, so pieces that both fit (within rounding) agree.
    tol = 1e-9 * np.maximum(1.0, np.maximum(np.abs(m), np.abs(big)))
    v = np.where(
        (span > 0.0) & (middle >= m - tol) & (middle <= big + tol),
        middle,
        np.where(upper >= big - tol, upper, np.where(lower <= m + tol, lower, np.nan)),
    )
    return np.where(ok, v, np.nan)


def _solve_vector(k: FloatArray, xp: FloatArray, s: FloatArray) -> FloatArray:
    """Solve ``(v - x_p) / sqrt(S + v²) = k``: the root with ``sign(v - x_p) = sign(k)``."""
    ok = np.abs(k) < 1.0
    one = np.where(ok, 1.0 - k * k, 1.0)
    disc = np.maximum(xp * xp + s * one, 0.0)
    v = (xp + k * np.sqrt(disc)) / one
    # The formula solves the squared equation; keep roots on the increasing branch only.
    return np.where(ok & (s + xp * v >= 0.0), v, np.nan)


def rest_utilities(scores: FloatArray, weights: FloatArray, utilities: FloatArray) -> FloatArray:
    """``R_oc``: utility of each option on every criterion but ``c``, the rest summing to 1.

    ``scores`` O x C, ``weights`` C, ``utilities`` O; returns O x C.
    """
    n_criteria = scores.shape[1]
    rest_w = 1.0 - weights
    if n_criteria == 1:
        return np.zeros_like(scores)
    equal = (scores.sum(axis=1, keepdims=True) - scores) / (n_criteria - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = (utilities[:, None] - scores * weights[None, :]) / rest_w[None, :]
    return np.asarray(np.where(rest_w[None, :] > 1e-15, scaled, equal), dtype=np.float64)


def weight_thresholds(
    rows: Rows, row: IntArray, prefers: IntArray, challenger: IntArray
) -> tuple[FloatArray, BoolArray]:
    """Weight of each criterion at which the challenger ties (pairs x criteria).

    Returns the threshold (NaN where no weight strictly inside (0, 1) ties them: a tie at
    0 or 1 is where the two options are equal on that criterion alone, never a flip) and
    ``above`` (the challenger wins above it).
    """
    w = rows.weights[row]
    ra, rb = rows.scores[row, prefers], rows.scores[row, challenger]
    diff = ra - rb
    full = (rows.utilities[row, prefers] - rows.utilities[row, challenger])[:, None]
    n_criteria = rows.scores.shape[2]
    rest_w = 1.0 - w
    if n_criteria > 1:
        equal = (np.sum(diff, axis=1, keepdims=True) - diff) / (n_criteria - 1)
    else:
        equal = np.zeros_like(diff)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(rest_w > 1e-15, (full - w * diff) / rest_w, equal)
        beta = diff - alpha
        t = -alpha / beta
    ok = (beta != 0.0) & (t > 0.0) & (t < 1.0)
    return np.where(ok, t, np.nan), beta < 0.0


def linear_advantages(
    scores: FloatArray, weights: FloatArray, utilities: FloatArray, best: int
) -> tuple[FloatArray, FloatArray]:
    """``α_oc + β_oc t``: the advantage of ``best`` over every option ``o`` as criterion
    ``c``'s weight moves to ``t`` (the others rescaled to sum to ``1 - t``).

    ``scores`` O x C, ``weights`` C, ``utilities`` O; returns two O x C arrays.
    """
    rest = rest_utilities(scores, weights, utilities)
    alpha = rest[best] - rest
    beta = (scores[best] - scores) - alpha
    return alpha, beta


def winning_intervals(alpha: FloatArray, beta: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Per column: the interval of ``t`` in [0, 1] where ``α_o + β_o t > 0`` for every row.

    ``alpha``, ``beta`` are rivals x columns (not the option itself, whose advantage is 0).
    The interval is open at a crossing and closed at 0 or 1; both ends are NaN where it is
    empty (a rival it never beats, or crossings that leave no room).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        cross = -alpha / beta
    lo = np.maximum(0.0, np.where(beta > 0.0, cross, -np.inf).max(axis=0, initial=-np.inf))
    hi = np.minimum(1.0, np.where(beta < 0.0, cross, np.inf).min(axis=0, initial=np.inf))
    never = ((beta == 0.0) & (alpha <= 0.0)).any(axis=0)
    empty = never | ~(lo < hi)
    return np.where(empty, np.nan, lo), np.where(empty, np.nan, hi)


def winning_interval(alpha: FloatArray, beta: FloatArray) -> tuple[float, float] | None:
    """:func:`winning_intervals` for one column; None when the interval is empty.

    >>> winning_interval(np.array([-0.2, 0.4]), np.array([0.4, -0.5]))
    (0.5, 0.8)
    >>> winning_interval(np.array([-0.2, 0.1]), np.array([0.4, -0.5])) is None
    True
    """
    lo, hi = winning_intervals(alpha.reshape(-1, 1), beta.reshape(-1, 1))
    return None if np.isnan(lo[0]) else (float(lo[0]), float(hi[0]))


def estimate_threshold(
    estimates: FloatArray,
    maximise: BoolArray,
    weights: FloatArray,
    prefers: int,
    challenger: int,
    varied: int,
    criterion: int,
    *,
    method: NormalizationMethod = "vector",
) -> tuple[float, bool] | None:
    """One pair, one shared lens: the value of ``varied``'s estimate on ``criterion`` at
    which ``challenger`` ties ``prefers``, and whether the challenger wins above it.

    None when no value ties them.

    >>> x = np.array([[10.0, 1.0], [5.0, 3.0], [8.0, 2.0]])
    >>> estimate_threshold(x, np.array([True, True]), np.array([0.6, 0.4]), 0, 1, 0, 0,
    ...                    method="minmax")
    (7.0, False)
    """
    from accord.analysis.crux.lenses import Lenses, rows_of

    if varied not in (prefers, challenger):
        raise ValueError("varied must be one of the two options compared")
    w = np.asarray(weights, dtype=np.float64).reshape(1, -1)
    rows = rows_of(Lenses.build(np.asarray(estimates, dtype=np.float64), w / w.sum(), maximise,
                                method=method))  # fmt: skip
    one = np.array([0])
    th, above = estimate_thresholds(
        rows, np.asarray(maximise, dtype=np.bool_), method, one, one * 0 + prefers,
        one * 0 + challenger,
    )  # fmt: skip
    side = 0 if varied == challenger else 1
    value = float(th[0, criterion, side])
    return None if not np.isfinite(value) else (value, bool(above[0, criterion, side]))
