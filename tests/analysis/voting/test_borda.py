"""Borda counted per ballot entry: same scores as the pairwise definition, no pairwise matrix."""

from __future__ import annotations

from hypothesis import given, settings

from accord.analysis.voting import vote
from accord.analysis.voting.profile_arrays import profile_arrays
from accord.analysis.voting.scoring import borda
from accord.model.ballots import Profile

from .test_properties import profiles


def brute_force_borda(profile: Profile) -> dict[int, int]:
    """Symmetric Borda by enumerating pairs on every ballot (unranked = a shared bottom tier)."""
    present = sorted({c for ballot in profile.ballots for tier in ballot for c in tier})
    score = dict.fromkeys(present, 0)
    for ballot, count in zip(profile.ballots, profile.counts, strict=True):
        level = {c: t for t, tier in enumerate(ballot) for c in tier}
        bottom = len(ballot)
        for c in present:
            for d in present:
                if level.get(c, bottom) < level.get(d, bottom):
                    score[c] += count
                    score[d] -= count
    return score


@settings(max_examples=150, deadline=None)
@given(profiles(max_candidates=7))
def test_borda_scores_equal_the_pairwise_count(profile: Profile) -> None:
    for reading in ("below", "uncompared"):
        result = borda(profile, profile_arrays(profile), reading)
        assert result.scores == {c: float(s) for c, s in brute_force_borda(profile).items()}


def test_borda_does_not_build_the_pairwise_support() -> None:
    # The pairwise matrix costs (unique ballots) x m^2; Borda needs only each entry's place.
    p = Profile.from_rankings(
        ["a", "b", "c", "d"], {"x": [["a", "b"], "c"], "y": ["d"], "z": ["c", "a", "b", "d"]}
    )
    arrays = profile_arrays(p)
    result = borda(p, arrays, "below")
    assert result.scores == {k: float(v) for k, v in brute_force_borda(p).items()}
    assert not arrays._support


def test_borda_winners_through_vote_unchanged_on_truncated_ties() -> None:
    p = Profile.from_rankings(["a", "b", "c"], {"x": ["a"], "y": [["b", "c"]], "z": ["c", "b"]})
    # a: +2 (x) -2 (y) -2 (z) = -2; b: -1 +1 +0 = 0; c: -1 +1 +2 = 2
    assert vote(p, "borda").winners == ["c"]
