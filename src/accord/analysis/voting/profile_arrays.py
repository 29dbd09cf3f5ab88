"""Numpy views of a ballot :class:`~accord.model.ballots.Profile` used by every voting rule.

The layout is *entries*: one row per (unique ballot, ranked candidate, 0-based tier), so work
is proportional to what voters actually wrote (real truncated ballots rank 2-5 of up to
hundreds of candidates), with the count of each unique ballot as its weight.

The pairwise *support* ``S[c, d]`` is the number of voters who rank ``c`` strictly above ``d``;
the *margin* is ``S - S.T``.  Truncated ballots have two readings (PrefLib format notes;
pref-voting's ``ProfileWithTies``):

* ``"below"`` -- a ranked candidate beats every unranked one, unranked ones tie
  (pref-voting's ``use_extended_strict_preference()``; how city elections read ballots);
* ``"uncompared"`` -- a pair counts only when the voter ranked both (pref-voting's default).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, Literal, TypeVar

import numpy as np
from numpy.typing import NDArray

from accord.errors import InputError, did_you_mean
from accord.model.ballots import Profile

Reading = Literal["below", "uncompared"]
READINGS: tuple[Reading, ...] = ("below", "uncompared")
T = TypeVar("T")

# Cells of the (ballots x candidates x candidates) comparison block handled at once: bounds
# memory to a few MB whatever the profile size.
_BLOCK_CELLS = 8_000_000
# Below this many cells a profile's comparisons are summed with weights in one step.
_SMALL_CELLS = 200_000


def check_reading(unranked: str) -> Reading:
    """Validate the name of a truncated-ballot reading."""
    if unranked == "below":
        return "below"
    if unranked == "uncompared":
        return "uncompared"
    raise InputError(
        f"unranked: '{unranked}' is not a reading of truncated ballots "
        f"(expected one of: below, uncompared){did_you_mean(unranked, READINGS)}"
    )


@dataclass
class ProfileArrays:
    """Integer arrays over the candidates that appear on at least one ballot.

    ``cands[k]`` is the profile index of local candidate ``k``.  Candidates no ballot ranks
    take no part in ranking rules (pref-voting drops them too); they are ``absent``.
    """

    cands: NDArray[np.int64]
    absent: list[int]
    weights: NDArray[np.int64]  # voters per unique ballot
    entry_ballot: NDArray[np.int64]  # entries sorted by ballot, then tier
    entry_cand: NDArray[np.int64]
    entry_tier: NDArray[np.int64]
    unranked: int  # a tier number larger than any real tier
    _support: dict[str, NDArray[np.int64]] = field(default_factory=dict, repr=False)
    _derived: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)

    @property
    def m(self) -> int:
        return int(self.cands.shape[0])

    def support(self, reading: Reading) -> NDArray[np.int64]:
        """``S[c, d]``: voters ranking ``c`` strictly above ``d`` under ``reading``."""
        if reading not in self._support:
            self._support[reading] = _support(self, reading)
        return self._support[reading]

    def margin(self, reading: Reading) -> NDArray[np.int64]:
        """``M = S - S.T`` (positive: the row candidate is majority preferred).  Computed
        once per reading and shared (read-only) by every rule counted on these arrays."""
        return self.derived("margin", reading, lambda s: s - s.T, self.support(reading))

    def derived(
        self,
        name: str,
        reading: Reading,
        compute: Callable[[NDArray[np.int64]], T],
        source: NDArray[np.int64] | None = None,
    ) -> T:
        """``compute(margin)`` (or ``compute(source)``) under ``name``, computed once per
        reading: rule robustness counts ten rules on one profile, and several need the same
        Smith set or strongest paths."""
        key = (name, reading)
        if key not in self._derived:
            self._derived[key] = compute(self.margin(reading) if source is None else source)
        value: T = self._derived[key]
        return value


def profile_arrays(profile: Profile) -> ProfileArrays:
    """Build the arrays of ``profile`` (cost linear in the ranked entries).

    >>> p = Profile.from_rankings(["a", "b", "c"], {"v1": ["a", ["b", "c"]], "v2": ["c"]})
    >>> arrays = profile_arrays(p)
    >>> arrays.support("below").tolist()
    [[0, 1, 1], [0, 0, 0], [1, 1, 0]]
    >>> arrays.support("uncompared").tolist()
    [[0, 1, 1], [0, 0, 0], [0, 0, 0]]
    """
    m_all = profile.num_candidates
    ballots = profile.ballots
    # Flatten with C-level iterators: tiers per ballot, candidates per tier, then numpy
    # repeats give each entry its ballot and tier number (no per-entry Python work).
    tiers_per_ballot = np.fromiter(map(len, ballots), dtype=np.int64, count=len(ballots))
    tiers = list(chain.from_iterable(ballots))
    tier_sizes = np.fromiter(map(len, tiers), dtype=np.int64, count=len(tiers))
    entry_cand_all = np.fromiter(
        chain.from_iterable(tiers), dtype=np.int64, count=int(tier_sizes.sum())
    )
    tier_ballot = np.repeat(np.arange(len(ballots), dtype=np.int64), tiers_per_ballot)
    first_tier = np.cumsum(tiers_per_ballot) - tiers_per_ballot
    tier_number = np.arange(len(tiers), dtype=np.int64) - first_tier[tier_ballot]
    entry_ballot = np.repeat(tier_ballot, tier_sizes)
    entry_tier = np.repeat(tier_number, tier_sizes)
    present = np.zeros(m_all, dtype=bool)
    present[entry_cand_all] = True
    cands = np.flatnonzero(present).astype(np.int64)
    local = np.full(m_all, -1, dtype=np.int64)
    local[cands] = np.arange(cands.shape[0])
    entry_cand = local[entry_cand_all]
    m = int(cands.shape[0])
    return ProfileArrays(
        cands=cands,
        absent=[int(c) for c in np.flatnonzero(~present)],
        weights=np.asarray(profile.counts, dtype=np.int64),
        entry_ballot=entry_ballot,
        entry_cand=entry_cand,
        entry_tier=entry_tier,
        unranked=m + 1,
    )


def _support(
    arrays: ProfileArrays, reading: Reading, method: Literal["pairs", "ranks"] | None = None
) -> NDArray[np.int64]:
    """Pairwise support, by whichever of two exact methods costs less.

    With ``ranked[c]`` = voters ranking ``c``, ``both[c, d]`` = voters ranking both and
    ``strict[c, d]`` = voters ranking both with ``c`` above ``d``: ``uncompared = strict`` and
    ``below = strict + ranked[c] - both[c, d]`` (a ranked ``c`` beats each unranked ``d``).
    Short ballots (real truncated ones) use pairs within ballots, cost the sum of squared
    ballot lengths; long ones compare rank vectors (unranked = a tier below all), cost
    (unique ballots) x m^2 cheap comparisons, which give ``below`` directly.  ``method``
    forces one (the tests check they agree).
    """
    m = arrays.m
    if m == 0 or arrays.entry_cand.shape[0] == 0:
        return np.zeros((m, m), dtype=np.int64)
    lengths = np.bincount(arrays.entry_ballot, minlength=arrays.weights.shape[0])
    pair_cost = int((lengths.astype(np.int64) ** 2).sum())
    # A within-ballot pair costs a weighted bincount (~10x a vectorised comparison).
    if method is None:
        method = "ranks" if 8 * pair_cost > arrays.weights.shape[0] * m * m else "pairs"
    if method == "ranks":
        below = _support_ranks(arrays)
        if reading == "below":
            support = below
        else:
            ranked = np.zeros((arrays.weights.shape[0], m), dtype=np.float64)
            ranked[arrays.entry_ballot, arrays.entry_cand] = 1.0
            # both = R^T diag(w) R: one BLAS product (as costly as the comparisons), exact
            # for integer counts below 2^53.
            both = np.rint((ranked * arrays.weights[:, None]).T @ ranked).astype(np.int64)
            support = below - np.diagonal(both)[:, None] + both
    else:
        strict, both = _within_ballot_pairs(arrays, lengths)
        if reading == "uncompared":
            support = strict
        else:
            ranked_count = np.bincount(
                arrays.entry_cand, weights=arrays.weights[arrays.entry_ballot], minlength=m
            )
            support = strict + np.rint(ranked_count).astype(np.int64)[:, None] - both
    np.fill_diagonal(support, 0)
    return support


def _within_ballot_pairs(
    arrays: ProfileArrays, lengths: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(strict, both) counts from every pair of entries on the same ballot, grouped by ballot
    length so each group is one rectangular numpy block."""
    m = arrays.m
    strict = np.zeros(m * m, dtype=np.float64)
    both = np.zeros(m * m, dtype=np.float64)
    starts = np.r_[0, np.cumsum(lengths)[:-1]]
    for length in np.unique(lengths[lengths > 0]):
        chosen = np.flatnonzero(lengths == length)
        index = starts[chosen][:, None] + np.arange(length)[None, :]
        cand = arrays.entry_cand[index]
        tier = arrays.entry_tier[index]
        weight = np.broadcast_to(
            arrays.weights[chosen][:, None, None], (chosen.size, length, length)
        ).astype(np.float64)
        flat = cand[:, :, None] * m + cand[:, None, :]
        above = tier[:, :, None] < tier[:, None, :]
        strict += np.bincount(flat[above], weights=weight[above], minlength=m * m)
        both += np.bincount(flat.ravel(), weights=weight.ravel(), minlength=m * m)
    return (
        np.rint(strict).astype(np.int64).reshape(m, m),
        np.rint(both).astype(np.int64).reshape(m, m),
    )


def _support_ranks(arrays: ProfileArrays) -> NDArray[np.int64]:
    """``below[c, d] = sum_b w_b [rank_b(c) < rank_b(d)]`` over unique ballots' rank vectors
    (unranked = a tier below all), compared in blocks of ballots that share a weight so each
    block is one boolean comparison and one integer sum."""
    m = arrays.m
    n = arrays.weights.shape[0]
    dtype = np.int16 if arrays.unranked < np.iinfo(np.int16).max else np.int32
    rank = np.full((n, m), arrays.unranked, dtype=dtype)
    rank[arrays.entry_ballot, arrays.entry_cand] = arrays.entry_tier
    if n * m * m <= _SMALL_CELLS:  # one weighted sum beats many small blocks
        above = (rank[:, :, None] < rank[:, None, :]).reshape(n, m * m)
        return (arrays.weights @ above).reshape(m, m)
    order = np.argsort(arrays.weights, kind="stable")
    rank = rank[order]
    weights = arrays.weights[order]
    block = max(1, _BLOCK_CELLS // (m * m))
    below = np.zeros((m, m), dtype=np.int64)
    edges = np.flatnonzero(np.diff(weights)) + 1
    for lo, hi in zip(np.r_[0, edges], np.r_[edges, n], strict=True):
        for start in range(int(lo), int(hi), block):
            stop = min(int(hi), start + block)
            chunk = rank[start:stop]
            above = chunk[:, :, None] < chunk[:, None, :]
            below += int(weights[start]) * above.sum(axis=0, dtype=np.int64)
    return below
