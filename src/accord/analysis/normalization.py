"""Turning raw criterion estimates into comparable, higher-is-better utilities.

Every analysis that scores options (weighted sum, TOPSIS, cruxes, compromises)
normalises through this one module so they all agree on what "0.7 on cost" means.

Methods (Hwang & Yoon 1981, *Multiple Attribute Decision Making*, §3.1;
the same formulas as pymcdm's ``normalizations`` module):

- ``vector`` (the TOPSIS textbook default): ``r = x / ||x||_2`` for a criterion to
  maximise, ``r = 1 - x / ||x||_2`` for one to minimise.
- ``minmax``: ``r = (x - min) / (max - min)``, or ``(max - x) / (max - min)`` to minimise.

A criterion whose estimates are identical for every option (or all zero, for
``vector``) cannot tell options apart: it is normalised to all zeros, so it has
no influence, and :func:`non_discriminating` names it so the report can say so
instead of dividing by zero.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import NDArray

NormalizationMethod = Literal["vector", "minmax"]
NORMALIZATION_METHODS: tuple[NormalizationMethod, ...] = ("vector", "minmax")

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def non_discriminating(
    estimates: FloatArray, *, method: NormalizationMethod = "vector"
) -> BoolArray:
    """Which criteria (columns) cannot tell the options (rows) apart.

    >>> non_discriminating(np.array([[1.0, 5.0], [2.0, 5.0]])).tolist()
    [False, True]
    """
    del method  # the same for both methods: a constant column carries no information
    x = np.asarray(estimates, dtype=np.float64)
    if x.shape[0] == 0:
        return np.ones(x.shape[1], dtype=np.bool_)
    return np.asarray(np.ptp(x, axis=0) == 0.0, dtype=np.bool_)


def normalize(
    estimates: FloatArray,
    maximise: BoolArray,
    *,
    method: NormalizationMethod = "vector",
) -> FloatArray:
    """Normalise an options x criteria matrix column by column, higher is better.

    ``maximise[c]`` is True where more is better on criterion ``c``.

    >>> normalize(np.array([[3.0, 10.0], [4.0, 20.0]]), np.array([True, False])).round(3).tolist()
    [[0.6, 0.553], [0.8, 0.106]]
    >>> normalize(np.array([[1.0], [3.0]]), np.array([False]), method="minmax").tolist()
    [[1.0], [0.0]]
    """
    x = np.asarray(estimates, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"estimates must be options x criteria, got shape {x.shape}")
    up = np.asarray(maximise, dtype=np.bool_)
    if up.shape != (x.shape[1],):
        raise ValueError(f"maximise needs one flag per criterion ({x.shape[1]}), got {up.shape}")
    flat = non_discriminating(x, method=method)
    out = np.zeros_like(x)
    live = ~flat
    if not live.any():
        return out
    xs = x[:, live]
    if method == "vector":
        r = xs / np.sqrt(np.sum(xs * xs, axis=0))
        out[:, live] = np.where(up[live], r, 1.0 - r)
    elif method == "minmax":
        lo = xs.min(axis=0)
        span = xs.max(axis=0) - lo
        r = (xs - lo) / span
        out[:, live] = np.where(up[live], r, 1.0 - r)
    else:
        raise ValueError(f"unknown normalisation method {method!r} (expected vector or minmax)")
    return out


def normalize_stack(
    stack: FloatArray, maximise: BoolArray, *, method: NormalizationMethod = "vector"
) -> FloatArray:
    """:func:`normalize` of every matrix of a stack (k x options x criteria) at once.

    Monte Carlo draws and per-stakeholder lenses are normalised this way, along the
    options axis, without copying matrices into columns; the result equals
    ``np.stack([normalize(m, maximise, method=method) for m in stack])``.

    >>> x = np.array([[[3.0, 10.0], [4.0, 20.0]], [[1.0, 5.0], [1.0, 6.0]]])
    >>> bool(np.allclose(normalize_stack(x, np.array([True, False])),
    ...      [normalize(m, np.array([True, False])) for m in x]))
    True
    """
    x = np.asarray(stack, dtype=np.float64)
    up = np.asarray(maximise, dtype=np.bool_)
    if method not in ("vector", "minmax"):
        raise ValueError(f"unknown normalisation method {method!r} (expected vector or minmax)")
    if x.shape[1] == 0:
        return x.copy()  # no options: nothing to scale (min/max of nothing is undefined)
    lo = x.min(axis=1, keepdims=True)
    hi = x.max(axis=1, keepdims=True)
    live = hi > lo  # a (draw, criterion) column with one value carries no information
    # r = (x - base) / span on every cell: two passes over the draws instead of six.
    # Maximised: (x - lo) / (hi - lo) or x / ||x||; minimised: (hi - x) / (hi - lo) or
    # (||x|| - x) / ||x||, i.e. 1 - the maximised score; a dead column scores 0 (span inf).
    if method == "vector":
        norm = np.sqrt((x * x).sum(axis=1, keepdims=True))
        base = np.where(up, 0.0, norm)
        span = np.where(up, norm, -norm)
    else:
        base = np.where(up, lo, hi)
        span = np.where(up, hi - lo, lo - hi)
    span[~live] = np.inf
    r: FloatArray = np.subtract(x, base)
    r /= span
    return r
