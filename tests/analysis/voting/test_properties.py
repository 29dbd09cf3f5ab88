"""Hypothesis properties of the rules, and ranked pairs against exhaustive enumeration."""

from __future__ import annotations

import itertools
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.voting import vote
from accord.analysis.voting.profile_arrays import _support, profile_arrays
from accord.model.ballots import Profile

CONDORCET_RULES = ("copeland", "schulze", "ranked-pairs", "minimax")
RANKING_RULES = ("plurality", "borda", "copeland", "schulze", "ranked-pairs", "irv", "minimax")


@st.composite
def profiles(draw: st.DrawFn, max_candidates: int = 5, complete: bool = False) -> Profile:
    m = draw(st.integers(2, max_candidates))
    n = draw(st.integers(1, 7))
    ballots = []
    for _ in range(n):
        order = draw(st.permutations(range(m)))
        length = m if complete else draw(st.integers(1, m))
        cuts = draw(st.lists(st.booleans(), min_size=length, max_size=length))
        tiers: list[list[int]] = []
        for c, tie in zip(order[:length], cuts, strict=True):
            if tiers and tie and not complete:
                tiers[-1].append(c)
            else:
                tiers.append([c])
        ballots.append(tuple(tuple(t) for t in tiers))
    counts = draw(st.lists(st.integers(1, 4), min_size=n, max_size=n))
    return Profile(candidates=tuple("abcdefgh"[:m]), ballots=tuple(ballots), counts=tuple(counts))


@settings(max_examples=60, deadline=None)
@given(profiles(), st.sampled_from(["below", "uncompared"]))
def test_condorcet_winner_wins_condorcet_rules(profile: Profile, reading: str) -> None:
    winner = vote(profile, "copeland", unranked=reading).condorcet_winner
    if winner is None:
        return
    for rule in CONDORCET_RULES:
        assert vote(profile, rule, unranked=reading).winners == [winner], rule


@settings(max_examples=40, deadline=None)
@given(profiles(), st.randoms(use_true_random=False))
def test_permuting_voters_changes_nothing(profile: Profile, rng: object) -> None:
    order = list(range(len(profile.ballots)))
    rng.shuffle(order)  # type: ignore[attr-defined]
    shuffled = Profile(
        candidates=profile.candidates,
        ballots=tuple(profile.ballots[i] for i in order),
        counts=tuple(profile.counts[i] for i in order),
    )
    for rule in RANKING_RULES:
        assert vote(profile, rule).winners == vote(shuffled, rule).winners, rule
        assert vote(profile, rule).ranking == vote(shuffled, rule).ranking, rule


@settings(max_examples=40, deadline=None)
@given(profiles(max_candidates=4, complete=True), st.integers(0, 3))
def test_clone_does_not_change_schulze_winner(profile: Profile, which: int) -> None:
    """Add a clone right after candidate ``which`` on every ballot (Schulze is
    independent of clones: Schulze 2011, section 4.7)."""
    m = profile.num_candidates
    original = profile.candidates[which % m]
    clone = m
    ballots = []
    for ballot in profile.ballots:
        tiers: list[tuple[int, ...]] = []
        for tier in ballot:
            tiers.append(tier)
            if profile.candidates.index(original) in tier:
                tiers.append((clone,))
        ballots.append(tuple(tiers))
    cloned = Profile(
        candidates=(*profile.candidates, "clone"), ballots=tuple(ballots), counts=profile.counts
    )
    before = set(vote(profile, "schulze").winners)
    after = set(vote(cloned, "schulze").winners) - {"clone"}
    if original in before:
        after = after - {original}
        before = before - {original}
    assert before == after


def brute_force_ranked_pairs(margin: np.ndarray) -> list[int]:
    """Every winner over every order of equal-margin pairs (factorial; tiny profiles only)."""
    m = margin.shape[0]
    edges = [(a, b) for a in range(m) for b in range(m) if a != b and margin[a, b] >= 0]
    strengths = sorted({int(margin[e]) for e in edges}, reverse=True)
    groups = [[e for e in edges if margin[e] == s] for s in strengths]
    winners = set()
    for orders in itertools.product(*(itertools.permutations(g) for g in groups)):
        reach = np.eye(m, dtype=bool)
        for a, b in itertools.chain.from_iterable(orders):
            if not reach[b, a]:
                reach |= np.outer(reach[:, a], reach[b, :])
        winners.add(int(np.flatnonzero(reach.sum(axis=1) == m)[0]))
    return sorted(winners)


@settings(max_examples=40, deadline=None)
@given(profiles(max_candidates=4), st.sampled_from(["below", "uncompared"]))
def test_ranked_pairs_possible_winners_match_brute_force(profile: Profile, reading: str) -> None:
    arrays = profile_arrays(profile)
    margin = arrays.margin(reading)  # type: ignore[arg-type]
    groups = [int((margin == s).sum()) for s in np.unique(margin[margin >= 0])]
    if np.prod([float(math.factorial(g)) for g in groups]) > 5_000:
        return  # the brute force itself would be too slow
    expected = [profile.candidates[int(arrays.cands[k])] for k in brute_force_ranked_pairs(margin)]
    outcome = vote(profile, "ranked-pairs", unranked=reading)
    assert outcome.possible_winners == sorted(expected, key=profile.candidates.index)


@settings(max_examples=40, deadline=None)
@given(profiles(), st.sampled_from(["below", "uncompared"]))
def test_support_matches_pairwise_definition(profile: Profile, reading: str) -> None:
    arrays = profile_arrays(profile)
    support = arrays.support(reading)  # type: ignore[arg-type]
    for i, c in enumerate(arrays.cands):
        for j, d in enumerate(arrays.cands):
            expected = 0
            for ballot, count in zip(profile.ballots, profile.counts, strict=True):
                tier = {x: t for t, members in enumerate(ballot) for x in members}
                if c in tier and d in tier:
                    expected += count * (tier[c] < tier[d])
                elif reading == "below" and c in tier:
                    expected += count
            assert support[i, j] == expected


@settings(max_examples=30, deadline=None)
@given(profiles(), st.sampled_from(["below", "uncompared"]))
def test_rank_and_pair_methods_agree(profile: Profile, reading: str) -> None:
    arrays = profile_arrays(profile)
    ranks = _support(arrays, reading, "ranks")  # type: ignore[arg-type]
    pairs = _support(arrays, reading, "pairs")  # type: ignore[arg-type]
    assert (ranks == pairs).all()
