"""Positional and tally rules: plurality, Borda, approval, score and budgeted dot voting."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from accord.analysis.voting.profile_arrays import ProfileArrays, Reading
from accord.analysis.voting.registry import RuleResult, ranked_by_score, rule
from accord.errors import InputError
from accord.model.ballots import Profile


@rule(
    "plurality",
    title="Plurality",
    reads_unranked=False,
    condorcet_consistent=False,
    monotone=True,
    source="Classical; tied first places split the point as in pref-voting's "
    "tops_scores(score_type='split').",
)
def plurality(profile: Profile, arrays: ProfileArrays, reading: Reading) -> RuleResult:
    """Each voter gives one point to their first place; ``k`` tied first places get ``1/k`` each.

    score(c) = sum over ballots b with c in b's top tier of  w_b / |top tier of b|.
    Scores are added exactly (fractions), so a tie is a tie.

    >>> p = Profile.from_rankings(["a", "b", "c"], {"x": [["a", "b"], "c"], "y": ["c"]})
    >>> from accord.analysis.voting.profile_arrays import profile_arrays
    >>> plurality(p, profile_arrays(p), "below").winners
    [2]
    """
    top = arrays.entry_tier == 0
    ballot = arrays.entry_ballot[top]
    cand = arrays.entry_cand[top]
    size = np.bincount(ballot, minlength=arrays.weights.shape[0])[ballot]
    exact = [Fraction(0)] * arrays.m
    for k in np.unique(size):
        chosen = size == k
        totals = np.zeros(arrays.m, dtype=np.int64)
        np.add.at(totals, cand[chosen], arrays.weights[ballot[chosen]])
        for c in np.flatnonzero(totals):
            exact[c] += Fraction(int(totals[c]), int(k))
    order_key = _fraction_ranks(exact)
    winners, ranking = ranked_by_score(order_key, arrays.cands, absent=arrays.absent)
    scores = {int(arrays.cands[k]): float(exact[k]) for k in range(arrays.m)}
    return RuleResult(winners, ranking, scores=scores)


def _fraction_ranks(values: list[Fraction]) -> NDArray[np.int64]:
    """Dense integer ranks of exact values (equal values, equal ranks; larger is larger)."""
    distinct = sorted(set(values))
    where = {v: i for i, v in enumerate(distinct)}
    return np.asarray([where[v] for v in values], dtype=np.int64)


@rule(
    "borda",
    title="Borda count (symmetric, for weak and truncated orders)",
    reads_unranked=False,
    condorcet_consistent=False,
    monotone=True,
    source="Borda (1781); symmetric Borda for weak orders: Terzopoulou and Endriss, "
    "J. Math. Econ. 2021; pref-voting's borda() on ProfileWithTies.",
)
def borda(profile: Profile, arrays: ProfileArrays, reading: Reading) -> RuleResult:
    """Symmetric Borda: on each ballot a candidate scores the number of candidates it is ranked
    above minus the number ranked above it; unranked candidates share the bottom place.

    score(c) = sum_d (S(c, d) - S(d, c)) with S the "below" reading's support, i.e. the row sum
    of the margin matrix.  On complete strict ballots this is an affine image of the textbook
    m-1, m-2, ..., 0 count, so it elects the same candidates.  Borda is positional, so
    truncated ballots are read the same way under both readings (as pref-voting does).

    >>> p = Profile.from_rankings(["a", "b", "c"], {"x": ["a", "b", "c"], "y": ["b", "c", "a"]})
    >>> from accord.analysis.voting.profile_arrays import profile_arrays
    >>> borda(p, profile_arrays(p), "uncompared").winners
    [1]
    """
    score = _symmetric_borda(arrays)
    winners, ranking = ranked_by_score(score, arrays.cands, absent=arrays.absent)
    notes = []
    if reading == "uncompared":
        notes.append(
            "Borda is positional: unranked candidates share a ballot's bottom place "
            "under either reading"
        )
    scores = {int(arrays.cands[k]): float(score[k]) for k in range(arrays.m)}
    return RuleResult(winners, ranking, scores=scores, notes=notes)


def _symmetric_borda(arrays: ProfileArrays) -> NDArray[np.int64]:
    """The margin matrix's row sums without the matrix: one pass over the ballot entries.

    On a ballot of ``L`` ranked candidates, a ranked ``c`` in tier ``t`` is above the
    ``m - #(tier <= t)`` candidates below it (unranked ones included) and below the
    ``#(tier < t)`` above it; an unranked candidate is below all ``L`` ranked ones.  So
    score(c) = sum over ballots ranking c of w (m - le - lt)  -  sum over ballots not
    ranking c of w L.  Entries are sorted by ballot, then tier, so ``lt`` and ``le`` are
    binary searches of the (ballot, tier) keys.  Cost O(entries log entries) instead of
    the pairwise matrix's (unique ballots) x m^2.
    """
    m = arrays.m
    ballot, tier = arrays.entry_ballot, arrays.entry_tier
    if m == 0 or ballot.shape[0] == 0:
        return np.zeros(m, dtype=np.int64)
    key = ballot * (arrays.unranked + 1) + tier
    start = np.searchsorted(ballot, ballot, side="left")
    lt = np.searchsorted(key, key, side="left") - start
    le = np.searchsorted(key, key, side="right") - start
    weight = arrays.weights[ballot]
    length = np.bincount(ballot, minlength=arrays.weights.shape[0])
    # Every candidate loses w L on every ballot; a ranked one gets that back where ranked.
    unranked_loss = int((arrays.weights * length).sum())
    gain = weight * (m - le - lt + length[ballot])
    # bincount sums in float64: exact while the total stays below 2^53 voter-places.
    summed = np.bincount(arrays.entry_cand, weights=gain, minlength=m)
    return np.rint(summed).astype(np.int64) - unranked_loss


@rule(
    "approval",
    title="Approval voting",
    needs="approvals",
    reads_unranked=False,
    condorcet_consistent=False,
    monotone=True,
    source="Brams and Fishburn, 'Approval Voting', APSR 1978.",
)
def approval(profile: Profile, arrays: ProfileArrays, reading: Reading) -> RuleResult:
    """Each voter approves a set of candidates; the most approved win.

    Without explicit approvals, a ranking profile is read as approvals only when every ballot
    is dichotomous (PrefLib's approval data as 2-level weak orders, e.g. 00033): a ballot with
    at most two tiers that ranks everyone, or a single tier, approves its top tier.

    >>> p = Profile.from_rankings(["a", "b"], {}, approvals={"x": ["a", "b"], "y": ["b"]})
    >>> from accord.analysis.voting.profile_arrays import profile_arrays
    >>> approval(p, profile_arrays(p), "below").winners
    [1]
    """
    m = profile.num_candidates
    totals = np.zeros(m, dtype=np.int64)
    notes: list[str] = []
    if profile.approvals is not None:
        for approved, count in zip(profile.approvals, profile.counts, strict=True):
            totals[list(approved)] += count
    else:
        for i, (ballot, count) in enumerate(zip(profile.ballots, profile.counts, strict=True)):
            ranked = sum(len(tier) for tier in ballot)
            if len(ballot) > 2 or (len(ballot) == 2 and ranked < m):
                raise InputError(
                    f"approval needs approvals: ballot {i + 1} ranks {len(ballot)} levels "
                    f"and is not a two-level (approved / not approved) ballot; give approvals "
                    f"or choose a ranking rule"
                )
            if ballot:
                totals[list(ballot[0])] += count
        notes.append("approvals read from rankings: each ballot approves its top tier")
    winners, ranking = ranked_by_score(totals, np.arange(m))
    scores = {c: float(totals[c]) for c in range(m)}
    return RuleResult(winners, ranking, scores=scores, notes=notes)


@rule(
    "score",
    title="Score (range) voting, 0..10",
    needs="ratings",
    reads_unranked=False,
    condorcet_consistent=False,
    monotone=True,
    source="Smith, 'Range voting' (2000); Balinski and Laraki, 'Majority Judgment' (2011), ch. 1.",
)
def score(profile: Profile, arrays: ProfileArrays, reading: Reading) -> RuleResult:
    """Each voter rates candidates 0..10; the highest total wins (an unrated candidate adds 0).

    >>> p = Profile.from_rankings(["a", "b"], {}, ratings={"x": {"a": 9, "b": 4}, "y": {"b": 7}})
    >>> from accord.analysis.voting.profile_arrays import profile_arrays
    >>> score(p, profile_arrays(p), "below").winners
    [1]
    """
    if profile.ratings is None:
        raise InputError(
            "score needs ratings (0..10 per candidate); this profile has rankings only"
        )
    totals = [Fraction(0)] * profile.num_candidates
    for row, count in zip(profile.ratings, profile.counts, strict=True):
        for c, value in enumerate(row):
            if value is not None:
                totals[c] += Fraction(value) * count
    winners, ranking = ranked_by_score(_fraction_ranks(totals), np.arange(len(totals)))
    scores = {c: float(v) for c, v in enumerate(totals)}
    return RuleResult(winners, ranking, scores=scores)


@rule(
    "dots",
    title="Budgeted dot voting",
    needs="dots",
    reads_unranked=False,
    condorcet_consistent=False,
    monotone=True,
    source="Facilitation practice (dotmocracy); a cumulative vote with a fixed budget: "
    "Glasser, 'Cumulative voting', 1959.",
)
def dots(profile: Profile, arrays: ProfileArrays, reading: Reading) -> RuleResult:
    """Each voter spreads at most ``dots_budget`` dots over candidates; the most dots win.

    >>> p = Profile.from_rankings(["a", "b"], {}, dots={"x": {"a": 3}, "y": {"b": 2}})
    >>> from accord.analysis.voting.profile_arrays import profile_arrays
    >>> dots(p, profile_arrays(p), "below").winners
    [0]
    """
    if profile.dots is None:
        raise InputError("dots needs dot allocations per voter; this profile has rankings only")
    totals = np.zeros(profile.num_candidates, dtype=np.int64)
    for row, count in zip(profile.dots, profile.counts, strict=True):
        totals += np.asarray(row, dtype=np.int64) * count
    winners, ranking = ranked_by_score(totals, np.arange(profile.num_candidates))
    return RuleResult(winners, ranking, scores={c: float(v) for c, v in enumerate(totals)})
