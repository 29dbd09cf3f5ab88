"""Ranked pairs (Tideman) in polynomial time, with an explicit tie-breaking order.

Majority pairs are locked in from the largest margin down, skipping a pair that would close a
cycle (Tideman, "Independence of clones as a criterion for voting rules", Soc. Choice Welf. 4,
1987).  Tied pairs (margin 0) take part in both directions, as in pref-voting.  When margins
repeat, the order in which equal pairs are locked can change the winner:

* the *tie-broken winner* locks equal pairs in the order of pref-voting's ``ranked_pairs_tb``
  with its default tie-breaker: by the first candidate's index, then the second's;
* the *possible winners* are the candidates that win under some order of equal pairs (the
  "parallel universes" reading, pref-voting's ``ranked_pairs``).  Deciding this is NP-complete
  in general (Brill and Fischer, "The Price of Neutrality for the Ranked Pairs Method",
  AAAI 2012), so the search below explores distinct lock states with memoisation under a fixed
  budget and reports ``None`` when the budget runs out instead of running for minutes.  The
  zero-margin pairs come last and need no search: any linear extension of the locked order is
  reachable, so every candidate without a locked defeat can win.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from accord.analysis.voting.condorcet import (
    condorcet_winner_index,
    smith_set_indices,
    transitive_closure,
)
from accord.analysis.voting.profile_arrays import ProfileArrays, Reading
from accord.analysis.voting.registry import RuleResult, rule
from accord.model.ballots import Profile

# Work (pairs examined) the possible-winner search may spend before giving up (about 1 s).
SEARCH_BUDGET = 1_000_000

TIE_BREAK = (
    "equal margins locked in candidate order (first candidate, then second), "
    "as pref-voting's ranked_pairs_tb with its default tie-breaker"
)

Edge = tuple[int, int]


class _Closure:
    """Reachability of the locked pairs as Python-int bit rows (fast for a few hundred)."""

    __slots__ = ("down", "up")

    def __init__(self, down: list[int], up: list[int]) -> None:
        self.down = down  # down[x]: bit y set when x is locked above y (transitively)
        self.up = up  # up[y]: bit x set when x is locked above y

    @classmethod
    def empty(cls, m: int) -> _Closure:
        return cls([0] * m, [0] * m)

    def copy(self) -> _Closure:
        return _Closure(list(self.down), list(self.up))

    def key(self) -> tuple[int, ...]:
        return tuple(self.down)

    def above(self, a: int, b: int) -> bool:
        return bool(self.down[a] >> b & 1)

    def lock(self, a: int, b: int) -> None:
        """Add a > b and everything it implies (callers check it closes no cycle)."""
        sources = self.up[a] | (1 << a)
        targets = self.down[b] | (1 << b)
        for x in _bits(sources):
            self.down[x] |= targets
        for y in _bits(targets):
            self.up[y] |= sources


def _bits(mask: int) -> list[int]:
    found = []
    while mask:
        low = mask & -mask
        found.append(low.bit_length() - 1)
        mask ^= low
    return found


def _groups(margin: NDArray[np.int64]) -> list[list[Edge]]:
    """Pairs with margin >= 0, grouped by margin from largest to smallest, each group in
    tie-breaking order."""
    a, b = np.nonzero(margin >= 0)
    keep = a != b
    a, b = a[keep], b[keep]
    strength = margin[a, b]
    order = np.lexsort((b, a, -strength))
    groups: list[list[Edge]] = []
    previous = None
    for k in order:
        if previous is None or strength[k] != previous:
            groups.append([])
            previous = strength[k]
        groups[-1].append((int(a[k]), int(b[k])))
    return groups


def _lock(margin: NDArray[np.int64], edges: list[Edge]) -> NDArray[np.bool_]:
    """Lock ``edges`` in order, skipping any that would close a cycle; returns the reflexive
    reachability of the locked pairs.

    Rows are bit-packed (64 candidates per word) so a lock is one vectorised OR of the target's
    row into every row that reaches the source.  When the positive-margin pairs contain no
    cycle they are all locked whatever the order, so their closure is taken in one step
    (Warshall) and only the zero-margin pairs are locked one by one.
    """
    m = margin.shape[0]
    positive = margin > 0
    start = 0
    reach_bool = np.eye(m, dtype=bool)
    if not np.diagonal(transitive_closure(positive)).any():
        reach_bool |= transitive_closure(positive)
        start = sum(1 for a, b in edges if margin[a, b] > 0)
    reach = np.packbits(reach_bool, axis=1, bitorder="little")
    pad = (-reach.shape[1]) % 8
    reach = np.ascontiguousarray(np.pad(reach, ((0, 0), (0, pad)))).view(np.uint64)
    for a, b in edges[start:]:
        if (int(reach[b, a >> 6]) >> (a & 63)) & 1 or (int(reach[a, b >> 6]) >> (b & 63)) & 1:
            continue
        sources = (reach[:, a >> 6] >> np.uint64(a & 63)) & np.uint64(1) == 1
        reach[sources] |= reach[b]
    bits = np.unpackbits(reach.view(np.uint8), axis=1, bitorder="little")[:, :m]
    return bits.astype(bool)


def locked_order(margin: NDArray[np.int64]) -> list[int]:
    """The ranked-pairs order under the documented tie-breaking, best first.

    >>> locked_order(np.array([[0, 2, -4], [-2, 0, 6], [4, -6, 0]]))
    [1, 2, 0]
    """
    m = margin.shape[0]
    reach = _lock(margin, [e for group in _groups(margin) for e in group])
    below_count = reach.sum(axis=1)
    return sorted(range(m), key=lambda c: (-int(below_count[c]), c))


def possible_winners(margin: NDArray[np.int64], budget: int = SEARCH_BUDGET) -> list[int] | None:
    """Every candidate that wins under some order of equal-margin pairs, or ``None`` if the
    search needs more than ``budget`` steps (pairs examined).

    Only Smith-set members can win (an outsider is beaten by every member, and no locked path
    can lead from it into the Smith set).  Each member is first tried under the tie-breaking
    order that favours it; if that fails, a depth-first search over lock states looks for an
    order that leaves it undefeated, pruning every state where it already has a locked defeat.

    >>> cycle = np.array([[0, 2, -2], [-2, 0, 2], [2, -2, 0]])
    >>> possible_winners(cycle)
    [0, 1, 2]
    """
    m = margin.shape[0]
    every = _groups(margin)
    groups = [g for g in every if margin[g[0]] > 0]
    found: list[int] = []
    spent = 0
    # A favoured pass locks pairs with vectorised row updates costing ~m/32 steps each.
    edges = sum(len(g) for g in every) * max(1, m // 32)
    for x in smith_set_indices(margin):
        spent += edges  # one favoured pass costs about one step per pair
        if spent > budget:
            return None
        if _wins_favoured(margin, every, x):
            found.append(x)
            continue
        result, used = _search(groups, m, x, budget - spent)
        spent += used
        if result is None:
            return None
        if result:
            found.append(x)
    return sorted(found)


def _wins_favoured(margin: NDArray[np.int64], groups: list[list[Edge]], x: int) -> bool:
    """Lock equal pairs leaving ``x`` first, pairs entering ``x`` last; does ``x`` win?"""
    edges = [e for g in groups for e in sorted(g, key=lambda e: (e[0] != x, e[1] == x))]
    reach = _lock(margin, edges)
    return bool(reach[:, x].sum() == 1)


def _search(groups: list[list[Edge]], m: int, x: int, budget: int) -> tuple[bool | None, int]:
    """Depth-first search for an order of the positive pairs that leaves ``x`` undefeated.

    Returns (True/False, states used), or (None, states used) when the budget runs out.
    Zero-margin pairs are not searched: any candidate without a locked defeat can be put on
    top by them.
    """
    seen: set[tuple[tuple[int, ...], int, frozenset[Edge]]] = set()
    start = _Closure.empty(m)
    stack: list[tuple[_Closure, int, frozenset[Edge]]] = [
        (start, 0, frozenset(groups[0]) if groups else frozenset())
    ]
    used = 0
    while stack:
        closure, level, pending = stack.pop()
        if closure.up[x]:
            continue
        open_pairs = frozenset(
            (a, b) for a, b in pending if not closure.above(b, a) and not closure.above(a, b)
        )
        node = (closure.key(), level, open_pairs)
        if node in seen:
            continue
        seen.add(node)
        used += 1 + len(pending) + m // 16  # copying a lock state costs ~m
        if used > budget:
            return None, used
        if not open_pairs:
            if level + 1 >= len(groups):
                return True, used
            stack.append((closure, level + 1, frozenset(groups[level + 1])))
            continue
        together = _lock_all(closure, open_pairs)
        if together is not None:
            stack.append((together, level, frozenset()))
            continue
        # Try pairs leaving x last on the stack (popped first), pairs entering x never first.
        for a, b in sorted(open_pairs, key=lambda e: (e[1] != x, e[0] == x)):
            branch = closure.copy()
            branch.lock(a, b)
            stack.append((branch, level, open_pairs - {(a, b)}))
    return False, used


def _lock_all(closure: _Closure, pairs: frozenset[Edge]) -> _Closure | None:
    """Lock every pair if together they close no cycle (then their order cannot matter)."""
    trial = closure.copy()
    for a, b in sorted(pairs):
        if trial.above(b, a):
            return None
        if not trial.above(a, b):
            trial.lock(a, b)
    return trial


@rule(
    "ranked-pairs",
    title="Ranked pairs (Tideman), margins",
    reads_unranked=True,
    condorcet_consistent=True,
    monotone=True,
    source="Tideman, Soc. Choice Welf. 4 (1987) 185-206; Zavist and Tideman, "
    "Soc. Choice Welf. 6 (1989) 167-173 for the tie-breaking.",
)
def ranked_pairs(profile: Profile, arrays: ProfileArrays, reading: Reading) -> RuleResult:
    """Winners are the possible winners over all orders of equal margins when the bounded
    search finishes, else the tie-broken winner (and ``tie_broken_by`` says so).  The ranking
    is always the tie-broken locked order.

    >>> p = Profile.from_rankings(["a", "b", "c"], {"x": ["a", "b", "c"], "y": ["b", "c", "a"],
    ...     "z": ["c", "a", "b"]})
    >>> from accord.analysis.voting.profile_arrays import profile_arrays
    >>> result = ranked_pairs(p, profile_arrays(p), "below")
    >>> result.winners, result.possible_winners, result.ranking
    ([0, 1, 2], [0, 1, 2], [[0], [1], [2]])
    """
    margin = arrays.margin(reading)
    cands = arrays.cands
    order = [int(cands[k]) for k in locked_order(margin)]
    ranking = [[c] for c in order] + ([sorted(arrays.absent)] if arrays.absent else [])
    winner = condorcet_winner_index(margin)
    found = [winner] if winner is not None else possible_winners(margin)
    if found is None:
        return RuleResult(
            winners=order[:1],
            ranking=ranking,
            tie_broken_by=TIE_BREAK + f"; the set of possible winners was not computed "
            f"(search stopped after {SEARCH_BUDGET:,} steps)",
            possible_winners=None,
        )
    possible = sorted(int(cands[k]) for k in found)
    tie_note = TIE_BREAK + " (ranking only)" if len(order) > 1 and _has_equal(margin) else None
    return RuleResult(
        winners=possible, ranking=ranking, tie_broken_by=tie_note, possible_winners=possible
    )


def _has_equal(margin: NDArray[np.int64]) -> bool:
    """Whether two majority pairs share a margin (only then can locking order matter)."""
    upper = margin[np.triu_indices(margin.shape[0], 1)]
    values = np.abs(upper)
    return bool(np.unique(values).size < values.size or (values == 0).any())
