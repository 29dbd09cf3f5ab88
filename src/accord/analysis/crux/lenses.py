"""Each stakeholder's own lens on the options: the one view every crux is computed on.

A crux must hold for exactly the utilities the analysis reports (docs/analysis.md):
stakeholder ``s`` scores option ``o`` on criterion ``c`` with ``values[s, o, c]`` (the
shared estimate, or their own score where stakeholders score that criterion), normalised
per stakeholder (``scores``), weighted by their own weights.  The group is the mean of
the stakeholders' utilities (:func:`accord.analysis.mcda.group_utilities`); on a shared
criterion every lens has the same column, so the group's utility moves with an estimate
by the mean weight times the change of that column.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.analysis.normalization import NormalizationMethod, normalize, normalize_stack

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

#: Two utilities closer than this are a tie (the same tolerance as mcda.rank).
TIE = 1e-12


@dataclass(frozen=True)
class Lenses:
    """Index-aligned arrays: stakeholders S, options O, criteria C.

    ``values`` S x O x C (raw, each stakeholder's own lens); ``scores`` its normalisation;
    ``weights`` S x C (rows sum to 1); ``shared`` O x C the shared likely estimates and
    ``low`` / ``high`` their ranges; ``own[c]`` true where stakeholders score criterion
    ``c`` themselves (its value in a lens is then their own score).
    """

    values: FloatArray
    scores: FloatArray
    weights: FloatArray
    maximise: BoolArray
    method: NormalizationMethod
    shared: FloatArray
    low: FloatArray
    high: FloatArray
    own: BoolArray

    @classmethod
    def build(
        cls,
        values: FloatArray,
        weights: FloatArray,
        maximise: BoolArray,
        *,
        method: NormalizationMethod,
        shared: FloatArray | None = None,
        low: FloatArray | None = None,
        high: FloatArray | None = None,
        own: BoolArray | None = None,
    ) -> Lenses:
        """Lenses from raw values (S x O x C, or O x C shared by everyone) and weights."""
        w = np.atleast_2d(np.asarray(weights, dtype=np.float64))
        v = np.asarray(values, dtype=np.float64)
        if v.ndim == 2:
            v = np.broadcast_to(v, (w.shape[0], *v.shape)).copy()
        base = v[0] if shared is None else np.asarray(shared, dtype=np.float64)
        up = np.asarray(maximise, dtype=np.bool_)
        return cls(
            values=v,
            scores=normalize_stack(v, up, method=method),
            weights=w,
            maximise=up,
            method=method,
            shared=base,
            low=base if low is None else np.asarray(low, dtype=np.float64),
            high=base if high is None else np.asarray(high, dtype=np.float64),
            own=np.zeros(base.shape[1], dtype=np.bool_) if own is None else np.asarray(own),
        )

    @property
    def stakeholders(self) -> int:
        return int(self.weights.shape[0])

    @property
    def options(self) -> int:
        return int(self.shared.shape[0])

    @property
    def criteria(self) -> int:
        return int(self.shared.shape[1])

    def utilities(self) -> FloatArray:
        """S x O: each stakeholder's weights on their own normalised lens."""
        return np.asarray(np.einsum("soc,sc->so", self.scores, self.weights), dtype=np.float64)

    def shared_scores(self) -> FloatArray:
        return normalize(self.shared, self.maximise, method=self.method)


@dataclass(frozen=True)
class Rows:
    """The rows cruxes are solved for: every stakeholder, then the group (last).

    For the group, ``values`` / ``scores`` are the shared estimates, ``weights`` the mean
    weights and ``utilities`` the mean utilities; ``editable[row, c]`` says whether an
    estimate on ``c`` can be varied for that row (the group: shared criteria only).
    """

    values: FloatArray  # R x O x C
    scores: FloatArray
    weights: FloatArray  # R x C
    utilities: FloatArray  # R x O
    editable: BoolArray  # R x C
    stakeholders: int

    @property
    def group(self) -> int:
        return self.stakeholders


def rows_of(lenses: Lenses) -> Rows:
    """Stack the stakeholders' lenses with the group's as the last row."""
    u = lenses.utilities()
    s = lenses.stakeholders
    editable = np.ones((s + 1, lenses.criteria), dtype=np.bool_)
    editable[s] = ~lenses.own
    return Rows(
        values=np.concatenate([lenses.values, lenses.shared[None]], axis=0),
        scores=np.concatenate([lenses.scores, lenses.shared_scores()[None]], axis=0),
        weights=np.vstack([lenses.weights, lenses.weights.mean(axis=0, keepdims=True)]),
        utilities=np.vstack([u, u.mean(axis=0, keepdims=True)]),
        editable=editable,
        stakeholders=s,
    )


def column_after(
    rows: Rows,
    row: int,
    option: int,
    criterion: int,
    value: float,
    maximise: bool,
    method: NormalizationMethod,
) -> FloatArray:
    """One row's utilities (O) after ``option``'s value on ``criterion`` becomes ``value``.

    Only that column is re-normalised: the check every solved threshold passes.
    """
    column = rows.values[row, :, criterion].copy()
    column[option] = value
    fresh = normalize(column[:, None], np.array([maximise]), method=method)[:, 0]
    delta = rows.weights[row, criterion] * (fresh - rows.scores[row, :, criterion])
    return np.asarray(rows.utilities[row] + delta, dtype=np.float64)


def weights_after(weights: FloatArray, criterion: int, t: float) -> FloatArray:
    """The weight vector with ``criterion`` at ``t`` and the others scaled to sum to 1 - t.

    A vector with all its weight on ``criterion`` spreads the rest equally.

    >>> weights_after(np.array([0.5, 0.3, 0.2]), 0, 0.8).round(3).tolist()
    [0.8, 0.12, 0.08]
    """
    w = np.asarray(weights, dtype=np.float64)
    if w.size == 1:
        return np.array([t])
    total = float(w.sum()) - float(w[criterion])
    # Scaling the whole vector, then setting ``criterion``, avoids building index arrays:
    # this runs once per threshold check.
    out = w * ((1.0 - t) / total) if total > 0.0 else np.full(w.size, (1.0 - t) / (w.size - 1))
    out[criterion] = t
    return out
