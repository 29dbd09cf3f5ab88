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

from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray

from accord.analysis.voting.condorcet import condorcet_winner_index
from accord.analysis.voting.majority import widest_paths
from accord.analysis.voting.profile_arrays import ProfileArrays, Reading
from accord.analysis.voting.registry import RuleResult, rule
from accord.model.ballots import Profile

# Work the possible-winner search may spend before giving up (pairs examined, lock-state
# rows copied or updated; about a quarter of a second of Python).
SEARCH_BUDGET = 250_000

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

    def lock(self, a: int, b: int) -> int:
        """Add a > b and everything it implies (callers check it closes no cycle); returns
        the rows updated, the work done."""
        sources = self.up[a] | (1 << a)
        targets = self.down[b] | (1 << b)
        rows_above = _bits(sources)
        rows_below = _bits(targets)
        for x in rows_above:
            self.down[x] |= targets
        for y in rows_below:
            self.up[y] |= sources
        return len(rows_above) + len(rows_below)


def _bits(mask: int) -> list[int]:
    found = []
    while mask:
        low = mask & -mask
        found.append(low.bit_length() - 1)
        mask ^= low
    return found


def _ordered_pairs(margin: NDArray[np.int64]) -> tuple[list[int], list[int], list[int]]:
    """Pairs with margin >= 0 from the largest margin down, equal margins in tie-breaking
    order (first candidate, then second), as two lists (first, second candidates), and the
    positions where each new margin starts.  Plain lists, not tuples: the lock loop zips
    them lazily, so hundreds of thousands of pairs cost no allocations (nor GC passes)."""
    m = margin.shape[0]
    a, b = np.nonzero(margin >= 0)
    keep = a != b
    a, b = a[keep], b[keep]
    strength = margin[a, b]
    # One int64 key sorts by (-margin, a, b): faster than a three-key lexsort.
    key = (int(strength.max(initial=0)) - strength) * (m * m) + a * m + b
    order = np.argsort(key, kind="stable")
    cuts = (np.flatnonzero(np.diff(strength[order])) + 1).tolist()
    return a[order].tolist(), b[order].tolist(), cuts


def _groups(margin: NDArray[np.int64]) -> list[list[Edge]]:
    """Pairs with margin >= 0, grouped by margin from largest to smallest, each group in
    tie-breaking order."""
    first, second, cuts = _ordered_pairs(margin)
    bounds = zip([0, *cuts], [*cuts, len(first)], strict=True)
    return [list(zip(first[lo:hi], second[lo:hi], strict=True)) for lo, hi in bounds if hi > lo]


class _LockedOrder:
    """The locked pairs as a graph kept in a topological order (Pearce and Kelly, "A Dynamic
    Topological Sort Algorithm for Directed Acyclic Graphs", ACM JEA 11, 2006).

    A pair that agrees with the current order is locked in O(1); one that disagrees searches
    only the candidates placed between its two ends, finds any cycle it would close, and
    otherwise reorders just that region.  Starting from the margin row-sum order, most pairs
    agree, so locking all ``m (m - 1) / 2`` pairs of hundreds of candidates stays cheap (the
    full transitive closure is never built).  Direct locks are Python-int bit rows, so a
    search step ORs a whole row at once.
    """

    __slots__ = ("at", "down", "pos", "up")

    def __init__(self, start: list[int]) -> None:
        m = len(start)
        self.at = list(start)  # at[k]: the candidate in place k, best first
        self.pos = [0] * m
        for k, c in enumerate(start):
            self.pos[c] = k
        self.down = [0] * m  # bit b of down[a]: a > b locked directly
        self.up = [0] * m  # bit a of up[b]

    def lock(self, a: int, b: int) -> bool:
        """Lock ``a > b`` unless it closes a cycle (then return False and change nothing)."""
        pos, down, up = self.pos, self.down, self.up
        low, high = pos[a], pos[b]
        if low > high:
            # b is placed above a.  A path b > ... > a would close a cycle: look one and two
            # steps first (dense majority graphs), then search the places between them.
            if down[b] >> a & 1 or down[b] & up[a]:
                return False
            region = 0
            for w in self.at[high + 1 : low]:
                region |= 1 << w
            below_b = _spread(down, 1 << b, region, stop=1 << a)
            if below_b is None:
                return False
            above_a = _spread(up, 1 << a, region)
            assert above_a is not None  # no stop bit given
            moved = sorted(_bits(above_a), key=pos.__getitem__)
            moved += sorted(_bits(below_b), key=pos.__getitem__)
            for w, place in zip(moved, sorted(pos[w] for w in moved), strict=True):
                pos[w] = place
                self.at[place] = w
        down[a] |= 1 << b
        up[b] |= 1 << a
        return True


def _spread(rows: list[int], start: int, region: int, stop: int = 0) -> int | None:
    """Everything reachable from ``start`` through ``rows`` inside ``region`` (plus
    ``start``), or ``None`` if the bit ``stop`` is reached."""
    seen = frontier = start
    while frontier:
        reached = 0
        for u in _bits(frontier):
            reached |= rows[u]
        if reached & stop:
            return None
        frontier = reached & region & ~seen
        seen |= frontier
    return seen


def _start_order(margin: NDArray[np.int64]) -> list[int]:
    """A first guess at the locked order: by margin row sum (Borda on margins)."""
    return [int(c) for c in np.lexsort((np.arange(margin.shape[0]), -margin.sum(axis=1)))]


def _lock(
    margin: NDArray[np.int64], edges: Iterable[Edge], x: int | None = None
) -> _LockedOrder | None:
    """Lock ``edges`` in order, skipping any that would close a cycle.  With ``x`` given,
    stop and return ``None`` as soon as a pair against ``x`` is locked."""
    order = _LockedOrder(_start_order(margin))
    pos, down, up = order.pos, order.down, order.up
    for a, b in edges:
        if pos[a] < pos[b]:  # the common case, inlined: agrees with the current order
            down[a] |= 1 << b
            up[b] |= 1 << a
        elif not order.lock(a, b):
            continue
        if b == x:
            return None
    return order


def locked_order(margin: NDArray[np.int64]) -> list[int]:
    """The ranked-pairs order under the documented tie-breaking, best first.

    Every pair (both directions of a tied pair) is considered, so the locked pairs form a
    total order, and their (unique) topological order is the ranking.

    >>> locked_order(np.array([[0, 2, -4], [-2, 0, 6], [4, -6, 0]]))
    [1, 2, 0]
    """
    first, second, _ = _ordered_pairs(margin)
    locked = _lock(margin, zip(first, second, strict=True))
    return [] if locked is None else locked.at


def possible_winners(
    margin: NDArray[np.int64],
    budget: int = SEARCH_BUDGET,
    tie_broken_winner: int | None = None,
    paths: NDArray[np.int64] | None = None,
) -> list[int] | None:
    """Every candidate that wins under some order of equal-margin pairs, or ``None`` if the
    search needs more than ``budget`` steps (pairs examined).

    Three exact filters run before any search:

    * a candidate ``x`` can only win if, for each ``y`` beating it, a majority path from
      ``x`` to ``y`` has every margin ``>= M(y, x)`` (only such pairs can be locked before
      ``(y, x)`` and block it): ``P(x, y) >= M(y, x)`` with ``P`` the strongest-path
      (Schulze) strengths.  This also keeps only Smith-set members;
    * the tie-broken winner (``tie_broken_winner``, from :func:`locked_order`) wins;
    * a candidate wins if the order that locks its own pairs first and pairs against it last
      leaves it undefeated.

    Only the candidates left undecided go to a depth-first search over lock states, which
    prunes every state where the candidate already has a locked defeat.

    >>> cycle = np.array([[0, 2, -2], [-2, 0, 2], [2, -2, 0]])
    >>> possible_winners(cycle)
    [0, 1, 2]
    """
    m = margin.shape[0]
    if paths is None:
        paths = widest_paths(margin)
    blocked = (margin > 0) & (paths.T < margin)  # [y, x]: y's win over x cannot be blocked
    hopeful = [int(x) for x in np.flatnonzero(~blocked.any(axis=0))]
    if len(hopeful) <= 1:
        return hopeful
    every = _groups(margin)
    groups = [g for g in every if margin[g[0]] > 0]
    found: list[int] = []
    spent = 0
    positive = sum(len(g) for g in groups)
    for x in hopeful:
        if x == tie_broken_winner:
            found.append(x)
            continue
        edges = _favoured_edges(groups, x)
        spent += len(edges)  # one favoured pass: about one step per pair
        if spent > budget:
            return None
        if _lock(margin, edges, x) is not None:
            found.append(x)
            continue
        # Any search visits every margin level and locks every pair at least once: when
        # even that exceeds what is left, say so now instead of spending the rest.
        if positive + m * len(groups) > budget - spent:
            return None
        result, used = _search(groups, m, x, budget - spent)
        spent += used
        if result is None:
            return None
        if result:
            found.append(x)
    return sorted(found)


def _favoured_edges(groups: list[list[Edge]], x: int) -> list[Edge]:
    """The positive pairs with, within equal margins, those leaving ``x`` first and those
    entering ``x`` last, up to the last pair entering ``x`` (later ones cannot defeat it).
    If locking them leaves ``x`` undefeated, ``x`` wins: zero-margin pairs can then always be
    ordered so that it stays undefeated."""
    edges = [e for g in groups for e in sorted(g, key=lambda e: (e[0] != x, e[1] == x))]
    last = max((k for k, (_, b) in enumerate(edges) if b == x), default=-1)
    return edges[: last + 1]


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
        used += 1 + len(pending) + m  # keying a lock state costs ~m
        if used > budget:
            return None, used
        if not open_pairs:
            if level + 1 >= len(groups):
                return True, used
            stack.append((closure, level + 1, frozenset(groups[level + 1])))
            continue
        together, work = _lock_all(closure, open_pairs)
        used += work
        if together is not None:
            stack.append((together, level, frozenset()))
            continue
        # Try pairs leaving x last on the stack (popped first), pairs entering x never first.
        for a, b in sorted(open_pairs, key=lambda e: (e[1] != x, e[0] == x)):
            branch = closure.copy()
            used += m + branch.lock(a, b)  # a copy and a lock
            stack.append((branch, level, open_pairs - {(a, b)}))
    return False, used


def _lock_all(closure: _Closure, pairs: frozenset[Edge]) -> tuple[_Closure | None, int]:
    """Lock every pair if together they close no cycle (then their order cannot matter);
    also returns the work done."""
    trial = closure.copy()
    work = len(trial.down)
    for a, b in sorted(pairs):
        if trial.above(b, a):
            return None, work
        if not trial.above(a, b):
            work += trial.lock(a, b)
    return trial, work


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
    local_order = locked_order(margin)
    order = [int(cands[k]) for k in local_order]
    ranking = [[c] for c in order] + ([sorted(arrays.absent)] if arrays.absent else [])
    winner = arrays.derived("condorcet_winner", reading, condorcet_winner_index)
    if winner is not None:
        found: list[int] | None = [winner]
    else:
        found = possible_winners(
            margin,
            tie_broken_winner=local_order[0] if order else None,
            paths=arrays.derived("widest_paths", reading, widest_paths),
        )
    if found is None:
        return RuleResult(
            winners=order[:1],
            ranking=ranking,
            tie_broken_by=TIE_BREAK + f"; the set of possible winners was not computed "
            f"(it needs more than {SEARCH_BUDGET:,} search steps)",
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
