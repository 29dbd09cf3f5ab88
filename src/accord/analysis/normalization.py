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
