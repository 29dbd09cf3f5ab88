"""Condorcet winner, weak Condorcet winners, Smith set and majority cycles from a margin matrix."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


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

    It is the set of candidates that reach every candidate in the closure of the weak
    majority relation (margin >= 0).

    >>> smith_set_indices(np.array([[0, 1, -1, 2], [-1, 0, 1, 2], [1, -1, 0, 2], [-2, -2, -2, 0]]))
    [0, 1, 2]
    """
    m = margin.shape[0]
    if m == 0:
        return []
    reach = transitive_closure(margin >= 0)
    return [int(c) for c in np.flatnonzero(reach.all(axis=1))]


def has_majority_cycle(margin: NDArray[np.int64]) -> bool:
    """True when the strict majority relation has a directed cycle (a Condorcet paradox).

    >>> has_majority_cycle(np.array([[0, 1, -1], [-1, 0, 1], [1, -1, 0]]))
    True
    """
    reach = transitive_closure(margin > 0)
    return bool(np.diagonal(reach).any())
