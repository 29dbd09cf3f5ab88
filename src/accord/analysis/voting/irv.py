"""Instant-runoff voting (Hare, alternative vote, ranked-choice voting)."""

from __future__ import annotations

import numpy as np

from accord.analysis.voting.profile_arrays import ProfileArrays, Reading
from accord.analysis.voting.registry import RuleResult, rule
from accord.model.ballots import Profile


@rule(
    "irv",
    title="Instant-runoff voting",
    reads_unranked=False,
    condorcet_consistent=False,
    monotone=False,
    source="Hare (1859); ties in elimination and tied first places as pref-voting's "
    "instant_runoff() on ProfileWithTies.",
)
def irv(profile: Profile, arrays: ProfileArrays, reading: Reading) -> RuleResult:
    """Repeatedly eliminate the candidates with the fewest first places until one remains.

    A ballot counts for every remaining candidate in its best remaining tier (a tie at the top
    counts fully for each, pref-voting's "approval" tops score).  All candidates tied for the
    fewest are eliminated together (no tie-breaking); if every remaining candidate is tied,
    they all win.  A ballot whose candidates are all eliminated is exhausted.  The ranking is
    the reverse elimination order.  IRV never compares unranked candidates, so both readings
    give the same result.

    >>> p = Profile.from_rankings(["a", "b", "c"], {"x": ["a", "b"], "y": ["b", "a"],
    ...     "z": ["c", "b"], "w": ["a"]})
    >>> from accord.analysis.voting.profile_arrays import profile_arrays
    >>> irv(p, profile_arrays(p), "below").ranking  # b and c tie on 1 first place each
    [[0], [1, 2]]
    """
    m = arrays.m
    remaining = np.ones(m, dtype=bool)
    ballots = arrays.entry_ballot
    starts = np.flatnonzero(np.r_[True, ballots[1:] != ballots[:-1]]) if ballots.size else None
    weights = arrays.weights[ballots].astype(np.float64)
    eliminated: list[list[int]] = []
    while remaining.sum() > 1 and starts is not None:
        alive = remaining[arrays.entry_cand]
        tier = np.where(alive, arrays.entry_tier, arrays.unranked)
        best = np.minimum.reduceat(tier, starts)
        per_entry_best = np.repeat(best, np.diff(np.r_[starts, ballots.size]))
        top = alive & (tier == per_entry_best)
        score = np.rint(
            np.bincount(arrays.entry_cand[top], weights=weights[top], minlength=m)
        ).astype(np.int64)
        live = np.flatnonzero(remaining)
        lowest = live[score[live] == score[live].min()]
        if lowest.size == live.size:
            break
        remaining[lowest] = False
        eliminated.append(sorted(int(arrays.cands[k]) for k in lowest))
    winners = sorted(int(arrays.cands[k]) for k in np.flatnonzero(remaining))
    ranking = [winners, *reversed(eliminated)]
    if arrays.absent:
        ranking.append(sorted(arrays.absent))
    return RuleResult(winners, ranking if winners else [sorted(arrays.absent)])
