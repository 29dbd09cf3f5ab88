"""Condorcet winner, weak Condorcet winners, Smith set and majority cycles from a margin matrix."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

# Up to this many candidates, cycle detection squares the matrix instead of peeling.
_SQUARING_MAX = 64


def condorcet_winner_index(margin: NDArray[np.int64]) -> int | None:
    """The candidate with a positive margin over every other one, if any (Condorcet, 1785).

    >>> condorcet_winner_index(np.array([[0, 1, 3], [-1, 0, 1], [-3, -1, 0]]))
    0
    >>> condorcet_winner_index(np.array([[0, 1, -1], [-1, 0, 1], [1, -1, 0]])) is None
    True
    """
    m = margin.shape[0]
    if m == 0:
        return None
    wins = (margin > 0).sum(axis=1)
    best = np.flatnonzero(wins == m - 1)
    return int(best[0]) if best.size else None


def weak_condorcet_indices(margin: NDArray[np.int64]) -> list[int]:
    """Candidates no other candidate beats by a majority.

    >>> weak_condorcet_indices(np.array([[0, 0, 2], [0, 0, 1], [-2, -1, 0]]))
    [0, 1]
    """
    return [int(c) for c in np.flatnonzero(~(margin > 0).any(axis=0))]


def transitive_closure(relation: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Reachability by Warshall's algorithm, one vectorised row-update per pivot."""
    reach = relation.copy()
    for k in range(reach.shape[0]):
        reach |= reach[:, k : k + 1] & reach[k : k + 1, :]
    return reach


def smith_set_indices(margin: NDArray[np.int64]) -> list[int]:
    """The Smith set: the smallest set whose members all beat every outsider (Smith, 1973).

    Order candidates by ``s(c) = #{d : M(c, d) >= 0}`` (counting ``c`` itself).  A member of
    a dominant set ``S`` has ``s >= m - |S| + 1`` and an outsider ``s <= m - |S|``, so every
    dominant set is a prefix of that order; the Smith set is the shortest prefix whose
    top-right block of the strict majority matrix is full.  O(m^2), no closure needed.

    >>> smith_set_indices(np.array([[0, 1, -1, 2], [-1, 0, 1, 2], [1, -1, 0, 2], [-2, -2, -2, 0]]))
    [0, 1, 2]
    """
    m = margin.shape[0]
    if m == 0:
        return []
    order = np.argsort(-(margin >= 0).sum(axis=1), kind="stable")
    beats = (margin > 0)[order][:, order].astype(np.int64)
    inside = beats.cumsum(axis=0).cumsum(axis=1)  # inside[k-1, k-1]: pairs within the prefix
    size = np.arange(1, m + 1)
    out = np.cumsum(beats.sum(axis=1)) - np.diagonal(inside)
    k = int(np.flatnonzero(out == size * (m - size))[0]) + 1
    return sorted(int(c) for c in order[:k])


def has_majority_cycle(margin: NDArray[np.int64]) -> bool:
    """True when the strict majority relation has a directed cycle (a Condorcet paradox).

    Kahn's peeling: repeatedly remove every candidate no remaining one beats; a cycle is
    what is left when none can be removed.

    >>> has_majority_cycle(np.array([[0, 1, -1], [-1, 0, 1], [1, -1, 0]]))
    True
    >>> has_majority_cycle(np.array([[0, 1, 1], [-1, 0, 0], [-1, 0, 0]]))
    False
    """
    beats = margin > 0
    m = margin.shape[0]
    if m <= _SQUARING_MAX:
        # Few candidates: the relation is acyclic iff its matrix is nilpotent; squaring the
        # reachability matrix log2(m) times is a handful of tiny products.
        reach = beats.astype(np.float64)
        for _ in range(max(1, m.bit_length())):
            reach = np.minimum(reach + reach @ reach, 1.0)
        return bool(np.diagonal(reach).any())
    beaten_by = beats.sum(axis=0)
    alive = np.ones(margin.shape[0], dtype=bool)
    while alive.any():
        free = alive & (beaten_by == 0)
        if not free.any():
            return True
        alive &= ~free
        beaten_by -= beats[free].sum(axis=0)
    return False
