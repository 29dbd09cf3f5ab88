"""How sure is the ranking? Seeded Monte Carlo over estimate ranges.

An estimate given as ``{low, likely, high}`` is a three-point estimate.  Each draw
samples every uncertain estimate, normalises the sampled options x criteria matrix
(per draw, through :func:`accord.analysis.normalization.normalize`), scores it for
every stakeholder, and records which option came first.  The share of draws in which
an option is first is its *probability of ranking first*; a draw where several
options tie for first gives each an equal share, so every row sums to 1.

Distributions:

- ``pert`` (default): Beta-PERT with shape λ = 4 (Malcolm, Roseboom, Clark & Fazar
  1959, "Application of a technique for research and development program
  evaluation", Operations Research 7(5), 646-669; parametrisation as in Vose 2008,
  *Risk Analysis*, 3rd ed., §9.1.4): ``α = 1 + λ (m - a)/(b - a)``,
  ``β = 1 + λ (b - m)/(b - a)``, ``x = a + (b - a) Beta(α, β)``, mean ``(a + 4m + b)/6``.
- ``triangular``: the triangular distribution on ``[a, b]`` with mode ``m``, sampled
  by its inverse CDF, mean ``(a + m + b)/3``.

A degenerate range (``low == likely == high``) is a fixed number, so a case without
ranges gives the deterministic ranking with probability 1 (split on exact ties).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.analysis.mcda import RANK_TOLERANCE, ScoringMethod
from accord.analysis.normalization import NormalizationMethod, normalize_stack
from accord.analysis.weights import normalize_weight_rows
from accord.errors import InputError

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

Distribution = Literal["pert", "triangular"]
DISTRIBUTIONS: tuple[Distribution, ...] = ("pert", "triangular")

#: Beta-PERT shape parameter: weight of the most likely value (Malcolm et al. 1959).
PERT_LAMBDA = 4.0

# Draws are processed in chunks of about this many array cells to bound peak memory.
_CHUNK_CELLS = 2_000_000


def sample_estimates(
    low: FloatArray,
    likely: FloatArray,
    high: FloatArray,
    draws: int,
    rng: np.random.Generator,
    *,
    distribution: Distribution = "pert",
) -> FloatArray:
    """``draws`` samples of the options x criteria estimates: shape draws x options x criteria.

    >>> rng = np.random.default_rng(0)
    >>> x = sample_estimates(np.array([[1.0]]), np.array([[2.0]]), np.array([[4.0]]), 20_000, rng)
    >>> round(float(x.mean()), 1)  # PERT mean (1 + 4*2 + 4) / 6 = 2.1667
    2.2
    """
    a, m, b = _check_ranges(low, likely, high)
    if distribution not in DISTRIBUTIONS:
        raise ValueError(f"unknown distribution {distribution!r} (expected pert or triangular)")
    spread = b - a
    uncertain = spread > 0.0
    if not uncertain.any() or draws == 0:
        return np.broadcast_to(m, (draws, *m.shape)).copy()
    au, mu, bu, su = a[uncertain], m[uncertain], b[uncertain], spread[uncertain]
    if distribution == "pert":
        alpha = 1.0 + PERT_LAMBDA * (mu - au) / su
        beta = 1.0 + PERT_LAMBDA * (bu - mu) / su
        sampled = au + su * rng.beta(alpha, beta, size=(draws, au.size))
    else:
        u = rng.random((draws, au.size))
        mode = (mu - au) / su  # where the density peaks, as a share of the range
        left = au + np.sqrt(u * su * (mu - au))
        right = bu - np.sqrt((1.0 - u) * su * (bu - mu))
        sampled = np.where(u < mode, left, right)
    if uncertain.all():  # the common case: no copy of the fixed values to fill in
        return sampled.reshape(draws, *m.shape)
    out = np.broadcast_to(m, (draws, *m.shape)).copy()
    out[:, uncertain] = sampled
    return out


def rank_first_probability(
    low: FloatArray,
    likely: FloatArray,
    high: FloatArray,
    maximise: BoolArray,
    weights: FloatArray,
    *,
    draws: int = 10_000,
    seed: int = 0,
    distribution: Distribution = "pert",
    method: NormalizationMethod = "vector",
    scoring: ScoringMethod = "weighted_sum",
    offsets: FloatArray | None = None,
    candidates: Sequence[int] | None = None,
) -> FloatArray:
    """Probability that each option ranks first, per stakeholder and for the group.

    ``low``, ``likely``, ``high`` are options x criteria (equal where there is no range);
    ``weights`` is stakeholders x criteria, giving a (stakeholders + 1) x options array
    whose last row is the group (mean of the stakeholders' utilities in each draw, as in
    :func:`accord.analysis.mcda.group_utilities`), or one weight vector, giving one row
    of options.  ``method`` is the normalisation, ``scoring`` weighted sum or TOPSIS.
    The same ``seed`` always gives the same answer.

    ``offsets`` (stakeholders x options, weighted sum only) adds a fixed utility to each
    stakeholder's: the part scored on criteria each stakeholder scores themselves (their
    own point scores).  ``weights`` rows then sum to 1 *before* those criteria's weights
    are zeroed, and are used as given.
    ``candidates`` restricts "first" to those options (e.g. the feasible ones); the
    others get probability 0.

    >>> x = np.array([[1.0, 5.0], [2.0, 1.0]])
    >>> rank_first_probability(x, x, x, np.array([True, True]), np.array([1.0, 0.0]),
    ...                        draws=10).tolist()
    [0.0, 1.0]
    """
    if draws < 1:
        raise InputError(f"draws is {draws} (expected at least 1)")
    a, m, b = _check_ranges(low, likely, high)
    up = np.asarray(maximise, dtype=np.bool_)
    w = np.asarray(weights, dtype=np.float64)
    single = w.ndim == 1
    w2 = normalize_weight_rows(np.atleast_2d(w))
    n_options, n_criteria = m.shape
    if w2.shape[1] != n_criteria or up.shape != (n_criteria,):
        raise ValueError(
            f"weights {w.shape} and maximise {up.shape} need {n_criteria} criteria columns"
        )
    n_stakeholders = w2.shape[0]
    if offsets is not None:
        if scoring != "weighted_sum":
            raise ValueError("offsets apply to weighted sums only")
        # The caller zeroed the own-scored columns of rows that already sum to 1:
        # re-normalising them would inflate the other criteria.
        w2 = np.atleast_2d(w)
        shift = np.asarray(offsets, dtype=np.float64).reshape(n_stakeholders, n_options)
    pool = np.arange(n_options) if candidates is None else np.array(sorted(candidates), dtype=int)
    per_draw = n_options * max(n_criteria, n_stakeholders + 1)
    if scoring == "topsis":
        per_draw *= n_stakeholders
    chunk = max(1, _CHUNK_CELLS // per_draw)
    if not (b > a).any():
        chunk = draws = 1  # no ranges: every draw is the same, so one draw is the answer
    rng = np.random.default_rng(seed)
    firsts = np.zeros((n_stakeholders + 1, n_options))
    for start in range(0, draws, chunk):
        size = min(chunk, draws - start)
        x = sample_estimates(a, m, b, size, rng, distribution=distribution)
        u = _utilities(x, up, w2, method, scoring)  # draws x stakeholders x options
        if offsets is not None:
            u = u + shift[None, :, :]
        u = np.concatenate([u, u.mean(axis=1, keepdims=True)], axis=1)[:, :, pool]
        top = u >= u.max(axis=2, keepdims=True) - RANK_TOLERANCE
        firsts[:, pool] += (top / top.sum(axis=2, keepdims=True)).sum(axis=0)
    probability = firsts / draws
    return probability[0] if single else probability


def _utilities(
    x: FloatArray,
    up: BoolArray,
    w: FloatArray,
    method: NormalizationMethod,
    scoring: ScoringMethod,
) -> FloatArray:
    r = normalize_stack(x, up, method=method)
    if scoring == "weighted_sum":
        # (draws * options) x criteria @ criteria x stakeholders as one product (a stack
        # of small ones pays BLAS's per-call overhead per draw), then
        # draws x stakeholders x options.
        d, o, c = r.shape
        u = (r.reshape(d * o, c) @ w.T).reshape(d, o, -1)
        return np.asarray(u.transpose(0, 2, 1), dtype=np.float64)
    if scoring != "topsis":
        raise ValueError(f"unknown scoring method {scoring!r} (expected weighted_sum or topsis)")
    v = r[:, None, :, :] * w[None, :, None, :]  # draws x stakeholders x options x criteria
    d_plus = np.sqrt(np.sum((v - v.max(axis=2, keepdims=True)) ** 2, axis=3))
    d_minus = np.sqrt(np.sum((v - v.min(axis=2, keepdims=True)) ** 2, axis=3))
    total = d_plus + d_minus
    closeness: FloatArray = np.divide(
        d_minus, total, out=np.full_like(total, 0.5), where=total > 0.0
    )
    return closeness


def _check_ranges(
    low: FloatArray, likely: FloatArray, high: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    a = np.asarray(low, dtype=np.float64)
    m = np.asarray(likely, dtype=np.float64)
    b = np.asarray(high, dtype=np.float64)
    if not a.shape == m.shape == b.shape:
        raise ValueError(f"low {a.shape}, likely {m.shape} and high {b.shape} differ in shape")
    for name, arr in (("low", a), ("likely", m), ("high", b)):
        if not np.isfinite(arr).all():
            at = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
            raise InputError(
                f"{name} estimate at {at} is {float(arr[at])!r} (expected a finite number)"
            )
    wrong = (a > m) | (m > b)
    if wrong.any():
        at = tuple(int(i) for i in np.argwhere(wrong)[0])
        raise InputError(
            f"estimate range at {at} is low={a[at]:g}, likely={m[at]:g}, high={b[at]:g} "
            "(expected low <= likely <= high)"
        )
    return a, m, b
