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

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.errors import InputError, did_you_mean
from accord.model.ballots import Profile

Reading = Literal["below", "uncompared"]
READINGS: tuple[Reading, ...] = ("below", "uncompared")

# Rows of the (entries x candidates) comparison block handled at once: bounds memory to a
# few tens of MB whatever the profile size.
_BLOCK_CELLS = 4_000_000


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

    @property
    def m(self) -> int:
        return int(self.cands.shape[0])

    def support(self, reading: Reading) -> NDArray[np.int64]:
        """``S[c, d]``: voters ranking ``c`` strictly above ``d`` under ``reading``."""
        if reading not in self._support:
            self._support[reading] = _support(self, reading)
        return self._support[reading]

    def margin(self, reading: Reading) -> NDArray[np.int64]:
        """``M = S - S.T`` (positive: the row candidate is majority preferred)."""
        s = self.support(reading)
        return s - s.T


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
    ballot_ids: list[int] = []
    cand_ids: list[int] = []
    tier_ids: list[int] = []
    for b, ballot in enumerate(profile.ballots):
        for t, tier in enumerate(ballot):
            for c in tier:
                ballot_ids.append(b)
                cand_ids.append(c)
                tier_ids.append(t)
    entry_ballot = np.asarray(ballot_ids, dtype=np.int64)
    entry_cand_all = np.asarray(cand_ids, dtype=np.int64)
    present = np.zeros(m_all, dtype=bool)
    present[entry_cand_all] = True
    cands = np.flatnonzero(present).astype(np.int64)
    local = np.full(m_all, -1, dtype=np.int64)
    local[cands] = np.arange(cands.shape[0])
    entry_cand = local[entry_cand_all]
    m = int(cands.shape[0])
    unranked = m + 1
    entry_tier = np.asarray(tier_ids, dtype=np.int64)
    return ProfileArrays(
        cands=cands,
        absent=[int(c) for c in np.flatnonzero(~present)],
        weights=np.asarray(profile.counts, dtype=np.int64),
        entry_ballot=entry_ballot,
        entry_cand=entry_cand,
        entry_tier=entry_tier,
        unranked=unranked,
    )


def _support(arrays: ProfileArrays, reading: Reading) -> NDArray[np.int64]:
    """Pairwise support, by whichever of two exact methods costs less.

    Pairs within ballots (cost: sum of squared ballot lengths) give
    ``strict[c, d]`` = voters ranking both with ``c`` above ``d`` and ``both[c, d]`` = voters
    ranking both; then ``uncompared = strict`` and ``below = strict + ranked[c] - both[c, d]``
    (a ranked ``c`` beats each unranked ``d``).  Long complete ballots use the block method.
    """
    m = arrays.m
    if m == 0 or arrays.entry_cand.shape[0] == 0:
        return np.zeros((m, m), dtype=np.int64)
    lengths = np.bincount(arrays.entry_ballot, minlength=arrays.weights.shape[0])
    pair_cost = int((lengths.astype(np.int64) ** 2).sum())
    if pair_cost > 4 * arrays.entry_cand.shape[0] * m:
        support = _support_blocks(arrays, reading)
    else:
        strict, both = _within_ballot_pairs(arrays, lengths)
        if reading == "uncompared":
            support = strict
        else:
            ranked = np.bincount(
                arrays.entry_cand, weights=arrays.weights[arrays.entry_ballot], minlength=m
            )
            support = strict + np.rint(ranked).astype(np.int64)[:, None] - both
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


def _support_blocks(arrays: ProfileArrays, reading: Reading) -> NDArray[np.int64]:
    """Sum, over ranked entries (ballot b, candidate c, tier t), of ``w_b`` times the row of
    candidates that ballot places below ``c``: work (entries x candidates) in bounded blocks."""
    m = arrays.m
    support = np.zeros((m, m), dtype=np.int64)
    n = arrays.entry_cand.shape[0]
    rank = np.full((arrays.weights.shape[0], m), arrays.unranked, dtype=np.int64)
    rank[arrays.entry_ballot, arrays.entry_cand] = arrays.entry_tier
    order = np.argsort(arrays.entry_cand, kind="stable")
    e_ballot = arrays.entry_ballot[order]
    e_cand = arrays.entry_cand[order]
    e_tier = arrays.entry_tier[order]
    block = max(1, _BLOCK_CELLS // max(m, 1))
    for start in range(0, n, block):
        stop = min(n, start + block)
        rows = rank[e_ballot[start:stop]]
        below = rows > e_tier[start:stop, None]
        if reading == "uncompared":
            below &= rows != arrays.unranked
        weighted = below * arrays.weights[e_ballot[start:stop], None]
        cand = e_cand[start:stop]
        starts = np.flatnonzero(np.r_[True, cand[1:] != cand[:-1]])
        support[cand[starts]] += np.add.reduceat(weighted, starts, axis=0)
    return support
