"""Scoring options on several criteria: weighted sum and TOPSIS, per stakeholder and for the group.

Every stakeholder scores the *shared* estimates with their *own* weights, so each gets
their own ranking of the options.  Functions are label-free: options, criteria and
stakeholders are array indices; ``analysis.analyze`` maps them to ids.

Normalisation always goes through :func:`accord.analysis.normalization.normalize`
(vector by default, min–max as an option), so every consumer agrees on what a
normalised score means.  A criterion whose estimates are identical for every option
cannot tell the options apart; it is normalised to zero (no influence) and
:func:`score_options` names it in ``non_discriminating``.

Group ranking: the group utility of an option is the **mean of the stakeholders'
utilities** (:func:`group_utilities`).  For the weighted sum this equals the utility
under the mean of the (row-normalised) weights, because the model is linear in the
weights; for TOPSIS the two differ, and accord uses the mean of utilities so that each
stakeholder's own assessment counts equally.  :func:`group_weights` gives the mean
weights for reporting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.analysis.normalization import NormalizationMethod, non_discriminating, normalize
from accord.analysis.weights import normalize_weight_rows

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

ScoringMethod = Literal["weighted_sum", "topsis"]
SCORING_METHODS: tuple[ScoringMethod, ...] = ("weighted_sum", "topsis")

#: Utilities closer than this are a tie: both options share the better rank.
RANK_TOLERANCE = 1e-12

# Up to this many options rank() compares all pairs (an n x n table per row); beyond
# it, sorting is cheaper and avoids the O(n^2) memory.
_RANK_BY_COMPARISON = 64


def weighted_sum(
    normalized: FloatArray,
    weights: FloatArray,
    *,
    labels: Sequence[str] | None = None,
) -> FloatArray:
    """Simple additive weighting: ``U_so = Σ_c w_sc r_oc`` with each ``w_s`` summed to 1.

    ``normalized`` is options x criteria (higher is better, e.g. from ``normalize``);
    ``weights`` is stakeholders x criteria (returns stakeholders x options) or one weight
    vector (returns one utility per option).  Source: Fishburn (1967), "Additive
    utilities with incomplete product sets"; Hwang & Yoon (1981), §3.2.1 (SAW).
    ``labels`` names the criteria in error messages.

    >>> weighted_sum(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([3.0, 1.0])).tolist()
    [0.75, 0.25]
    >>> r = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> weighted_sum(r, np.array([[1.0, 1.0], [0.0, 2.0]])).tolist()
    [[0.5, 0.5], [0.0, 1.0]]
    """
    r = as_matrix(normalized, "normalized")
    w, single = _weight_rows(weights, r.shape[1], labels)
    utilities = w @ r.T
    return utilities[0] if single else utilities


def topsis(
    estimates: FloatArray,
    weights: FloatArray,
    maximise: BoolArray,
    *,
    normalization: NormalizationMethod = "vector",
    labels: Sequence[str] | None = None,
) -> FloatArray:
    """TOPSIS closeness to the ideal option, per stakeholder (Hwang & Yoon 1981, §3.2.7).

    With ``r = normalize(estimates)`` (higher is better after normalisation, so the
    ideal is the column maximum), ``v_oc = w_c r_oc``, ``A+ = max_o v``, ``A- = min_o v``:
    ``D+_o = ||v_o - A+||``, ``D-_o = ||v_o - A-||`` and ``C_o = D-_o / (D+_o + D-_o)``.
    Same formula as pymcdm's ``TOPSIS`` with the matching normalisation.  An option
    that is at once the ideal and the anti-ideal (all options equal) gets 0.5 rather
    than 0/0.

    ``weights`` is stakeholders x criteria (returns stakeholders x options) or one
    vector (returns one closeness per option).

    >>> x = np.array([[1.0, 3000.0], [2.0, 3750.0], [5.0, 4500.0]])
    >>> topsis(x, np.array([0.5, 0.5]), np.array([False, True]), normalization="minmax").round(3)
    array([0.5  , 0.617, 0.5  ])
    """
    x = as_matrix(estimates, "estimates")
    r = normalize(x, np.asarray(maximise, dtype=np.bool_), method=normalization)
    w, single = _weight_rows(weights, x.shape[1], labels)
    v = w[:, None, :] * r[None, :, :]  # stakeholders x options x criteria
    ideal = v.max(axis=1, keepdims=True)
    anti = v.min(axis=1, keepdims=True)
    d_plus = np.sqrt(np.sum((v - ideal) ** 2, axis=2))
    d_minus = np.sqrt(np.sum((v - anti) ** 2, axis=2))
    total = d_plus + d_minus
    closeness: FloatArray = np.divide(
        d_minus, total, out=np.full_like(total, 0.5), where=total > 0.0
    )
    return closeness[0] if single else closeness


def rank(utilities: FloatArray, *, tolerance: float = RANK_TOLERANCE) -> IntArray:
    """Competition ranks ("1224") along the last axis: 1 is best, ties share the better rank.

    ``rank_o = 1 + #{o' : u_o' > u_o + tolerance}``, so utilities within ``tolerance``
    of each other share a rank and the next rank is skipped.

    >>> rank(np.array([0.2, 0.9, 0.2, 0.5])).tolist()
    [3, 1, 3, 2]
    >>> rank(np.array([[1.0, 2.0], [2.0, 2.0]])).tolist()
    [[2, 1], [1, 1]]
    """
    u = np.asarray(utilities, dtype=np.float64)
    n = u.shape[-1] if u.ndim else 0
    if n <= _RANK_BY_COMPARISON or not np.isfinite(u).all():
        # All pairs at once; NaN compares False, so a NaN is never better than anything.
        better = u[..., None, :] > u[..., :, None] + tolerance
        ranks: IntArray = np.asarray(1 + better.sum(axis=-1), dtype=np.int64)
        return ranks
    # Same count in O(n log n): options better than u_o + tolerance are the ones after
    # the last sorted value <= u_o + tolerance.
    rows = u.reshape(-1, n)
    out = np.empty(rows.shape, dtype=np.int64)
    for i, row in enumerate(rows):
        out[i] = 1 + n - np.searchsorted(np.sort(row), row + tolerance, side="right")
    ranks = out.reshape(u.shape)
    return ranks


def group_utilities(utilities: FloatArray) -> FloatArray:
    """Group utility of each option: the mean of the stakeholders' utilities (rows).

    >>> group_utilities(np.array([[1.0, 0.0], [0.5, 0.5]])).tolist()
    [0.75, 0.25]
    """
    u = as_matrix(utilities, "utilities")
    return np.asarray(u.mean(axis=0), dtype=np.float64)


def group_weights(weights: FloatArray, *, labels: Sequence[str] | None = None) -> FloatArray:
    """Group weights: the mean of the stakeholders' weight vectors, each first summed to 1.

    >>> group_weights(np.array([[1.0, 1.0], [0.0, 4.0]])).tolist()
    [0.25, 0.75]
    """
    w, _ = _weight_rows(weights, np.asarray(weights).shape[-1], labels)
    return np.asarray(w.mean(axis=0), dtype=np.float64)


@dataclass(frozen=True)
class Scoring:
    """Each stakeholder's and the group's utilities and ranks for the options (by index).

    ``utilities[s][o]`` and ``ranks[s][o]`` per stakeholder; ``group_*`` from the mean
    utilities; ``non_discriminating`` lists criterion indices that had no influence.
    """

    method: ScoringMethod
    normalization: NormalizationMethod
    utilities: list[list[float]]
    ranks: list[list[int]]
    group_utilities: list[float]
    group_ranks: list[int]
    group_weights: list[float]
    non_discriminating: list[int]


def score_options(
    estimates: FloatArray,
    weights: FloatArray,
    maximise: BoolArray,
    *,
    method: ScoringMethod = "weighted_sum",
    normalization: NormalizationMethod = "vector",
    labels: Sequence[str] | None = None,
) -> Scoring:
    """Score options (rows of ``estimates``) for every stakeholder (rows of ``weights``).

    >>> s = score_options(np.array([[1.0, 7.0], [3.0, 7.0]]), np.array([[1.0, 1.0]]),
    ...                   np.array([True, True]), normalization="minmax")
    >>> s.ranks, s.non_discriminating
    ([[2, 1]], [1])
    """
    if method not in SCORING_METHODS:
        raise ValueError(f"unknown scoring method {method!r} (expected weighted_sum or topsis)")
    x = as_matrix(estimates, "estimates")
    up = np.asarray(maximise, dtype=np.bool_)
    w, _ = _weight_rows(np.atleast_2d(np.asarray(weights, dtype=np.float64)), x.shape[1], labels)
    if method == "topsis":
        u = topsis(x, w, up, normalization=normalization)
    else:
        u = weighted_sum(normalize(x, up, method=normalization), w)
    g = group_utilities(u)
    return Scoring(
        method=method,
        normalization=normalization,
        utilities=u.tolist(),
        ranks=rank(u).tolist(),
        group_utilities=g.tolist(),
        group_ranks=rank(g).tolist(),
        group_weights=w.mean(axis=0).tolist(),
        non_discriminating=[int(c) for c in np.flatnonzero(non_discriminating(x))],
    )


def as_matrix(values: FloatArray, name: str) -> FloatArray:
    """``values`` as a 2-D float array; a ValueError naming ``name`` otherwise.

    >>> as_matrix([[1, 2]], "estimates").dtype
    dtype('float64')
    """
    m = np.asarray(values, dtype=np.float64)
    if m.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array, got shape {m.shape}")
    return m


def _weight_rows(
    weights: FloatArray, n_criteria: int, labels: Sequence[str] | None
) -> tuple[FloatArray, bool]:
    w = np.asarray(weights, dtype=np.float64)
    single = w.ndim == 1
    w2 = np.atleast_2d(w)
    if w2.ndim != 2 or w2.shape[1] != n_criteria:
        raise ValueError(f"weights need {n_criteria} columns (one per criterion), got {w.shape}")
    return normalize_weight_rows(w2, labels=labels), single
