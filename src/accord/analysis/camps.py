"""Camps: which stakeholders think alike, how far apart they are, and what camps share.

Distance between two stakeholders (0 = identical, 1 = opposite), the mean of:

- **weight distance**: total variation between their weight vectors (each summed to
  1), ``½ Σ_c |w_sc - w_tc|``;
- **ranking distance**: the normalised Kendall tau distance between their rankings
  of the options, the share of option pairs they order oppositely, a pair tied by
  one and not the other counting ½ (Kendall 1938; Fagin et al. 2006, "Comparing
  partial rankings", *SIAM J. Discrete Math.* 20(3), the ``p = ½`` penalty).

Camps are the clusters of average-linkage agglomerative clustering (UPGMA; Sokal &
Michener 1958) cut at distance ``cut`` (default 0.25: stakeholders join a camp when,
on average, they differ on less than a quarter of the weight mass and of the option
pairs).  This is deterministic and meaningful for 2-6 executives, where k-means and
silhouettes are not; the full distance matrix is reported, not only the labels.

A camp's view is the ranking by its members' mean utility; what every camp shares
is reported as options at the same rank in every camp ("every camp ranks C second"),
options in every camp's top half, and criteria every camp weights above 1/n.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.analysis.agreement import pairwise_order_products
from accord.analysis.hierarchy import average_linkage_labels
from accord.analysis.jsonable import round_floats
from accord.analysis.mcda import rank
from accord.analysis.weights import normalize_weight_rows
from accord.errors import InputError

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Default cut of the dendrogram (see the module docstring).
DEFAULT_CUT = 0.25


@dataclass(frozen=True)
class Camp:
    """One camp: members (stakeholder indices), mean weights and the camp's ranking."""

    members: list[int]
    mean_weights: list[float]
    ranks: list[int]
    top: list[int]
    spread: float


@dataclass(frozen=True)
class Camps:
    """Distances, camp of each stakeholder, the camps, and what every camp shares."""

    distance: list[list[float]]
    weight_distance: list[list[float]]
    ranking_distance: list[list[float]]
    labels: list[int]
    camps: list[Camp]
    shared_ranks: list[tuple[int, int]]
    shared_top_half: list[int]
    shared_criteria: list[int]
    cut: float
    statements: list[str]


def ranking_distance(ranks: IntArray) -> FloatArray:
    """Normalised Kendall tau distance between rows of ranks (1 = best, ties allowed).

    >>> ranking_distance(np.array([[1, 2, 3], [3, 2, 1], [1, 1, 3]])).round(3).tolist()
    [[0.0, 1.0, 0.167], [1.0, 0.0, 0.833], [0.167, 0.833, 0.0]]
    """
    r = np.asarray(ranks, dtype=np.float64)
    m, n = r.shape
    if n < 2:
        return np.zeros((m, m))
    # With a, b the pairwise-order signs (-1, 0, +1) of two rows over the option pairs:
    # opposite pairs = (|a|.|b| - a.b) / 2 and pairs tied in one row only =
    # sum|a| + sum|b| - 2 |a|.|b|, so the distance needs only these dot products.
    dot, abs_dot, untied = pairwise_order_products(r)
    pairs = n * (n - 1) // 2
    opposite = (abs_dot - dot) / 2.0
    one_sided = untied[:, None] + untied[None, :] - 2.0 * abs_dot
    return np.asarray((opposite + 0.5 * one_sided) / pairs, dtype=np.float64)


def weight_distance(weights: FloatArray) -> FloatArray:
    """Total variation distance between rows of weights (each summed to 1).

    >>> weight_distance(np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])).tolist()
    [[0.0, 1.0, 0.5], [1.0, 0.0, 0.5], [0.5, 0.5, 0.0]]
    """
    w = normalize_weight_rows(np.atleast_2d(np.asarray(weights, dtype=np.float64)))
    return np.asarray(0.5 * np.abs(w[:, None, :] - w[None, :, :]).sum(axis=2), dtype=np.float64)


def find_camps(
    weights: FloatArray,
    utilities: FloatArray,
    *,
    rankings: IntArray | None = None,
    cut: float = DEFAULT_CUT,
    stakeholder_labels: Sequence[str] | None = None,
    option_labels: Sequence[str] | None = None,
    criterion_labels: Sequence[str] | None = None,
) -> Camps:
    """Cluster stakeholders into camps by weights and option rankings.

    ``weights`` is stakeholders x criteria, ``utilities`` stakeholders x options;
    ``rankings`` (optional, stakeholders x options, 1 = best) replaces the rankings
    implied by the utilities, e.g. when stakeholders ranked the options themselves.

    >>> w = np.array([[0.8, 0.2], [0.7, 0.3], [0.1, 0.9]])
    >>> u = np.array([[0.9, 0.5, 0.1], [0.8, 0.6, 0.2], [0.1, 0.5, 0.9]])
    >>> c = find_camps(w, u, option_labels=["A", "B", "C"])
    >>> c.labels, c.statements[0]
    ([0, 0, 1], 'every camp ranks B second')
    """
    w = normalize_weight_rows(np.atleast_2d(np.asarray(weights, dtype=np.float64)))
    u = np.atleast_2d(np.asarray(utilities, dtype=np.float64))
    n_stake = w.shape[0]
    if n_stake == 0:
        raise InputError("no stakeholders to group into camps (expected at least one)")
    if u.shape[0] != n_stake:
        raise ValueError(f"utilities have {u.shape[0]} rows for {n_stake} stakeholders")
    if not np.isfinite(u).all():
        raise InputError("utilities must be finite numbers")
    if not 0.0 <= cut <= 1.0:
        raise InputError(f"cut is {cut!r} (expected a distance between 0 and 1)")
    ranks = rank(u) if rankings is None else np.asarray(rankings, dtype=np.int64)
    if ranks.shape != u.shape:
        raise ValueError(f"rankings {ranks.shape} must match utilities {u.shape}")
    dw = weight_distance(w)
    dr = ranking_distance(ranks)
    d = 0.5 * (dw + dr)
    labels = average_linkage_labels(d, cut)
    n_options = u.shape[1]
    half = int(np.ceil(n_options / 2))
    camps: list[Camp] = []
    for k in range(max(labels) + 1):
        members = [s for s in range(n_stake) if labels[s] == k]
        cu = u[members].mean(axis=0)
        cr = rank(cu)
        sub = d[np.ix_(members, members)]
        camps.append(
            Camp(
                members=members,
                mean_weights=[round(float(v), 12) for v in w[members].mean(axis=0)],
                ranks=[int(v) for v in cr],
                top=[int(o) for o in np.flatnonzero(cr == 1)],
                spread=round(float(sub.max()), 12),
            )
        )
    all_ranks = np.array([c.ranks for c in camps])
    shared_ranks = [
        (o, int(all_ranks[0, o]))
        for o in range(n_options)
        if np.all(all_ranks[:, o] == all_ranks[0, o])
    ]
    shared_top_half = [o for o in range(n_options) if np.all(all_ranks[:, o] <= half)]
    mean_w = np.array([c.mean_weights for c in camps])
    shared_criteria = [
        c for c in range(w.shape[1]) if np.all(mean_w[:, c] > 1.0 / w.shape[1] - 1e-12)
    ]
    opt = option_labels or [f"option {o + 1}" for o in range(n_options)]
    crit = criterion_labels or [f"criterion {c + 1}" for c in range(w.shape[1])]
    who = "every camp" if len(camps) > 1 else "the whole group"
    statements = [f"{who} ranks {opt[o]} {_ordinal(r)}" for o, r in shared_ranks]
    statements += [
        f"{who} has {opt[o]} in its top half"
        for o in shared_top_half
        if o not in {x for x, _ in shared_ranks}
    ]
    statements += [f"{who} weights {crit[c]} above average" for c in shared_criteria]
    del stakeholder_labels  # labels are the caller's to attach; indices here
    return Camps(
        distance=_rounded(d),
        weight_distance=_rounded(dw),
        ranking_distance=_rounded(dr),
        labels=labels,
        camps=camps,
        shared_ranks=shared_ranks,
        shared_top_half=shared_top_half,
        shared_criteria=shared_criteria,
        cut=cut,
        statements=statements,
    )


def _rounded(m: FloatArray) -> list[list[float]]:
    flat = round_floats(m, 12)
    n = m.shape[1] if m.ndim == 2 else 0
    return [flat[i * n : (i + 1) * n] for i in range(m.shape[0])]


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


def _ordinal(n: int) -> str:
    if 1 <= n <= len(_ORDINALS):
        return _ORDINALS[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
