"""Canonical hard cases for voting rules: a Condorcet cycle, an exact tie, one voter,
truncated ballots, a Condorcet winner that plurality misses."""

from __future__ import annotations

import pytest

from accord.model.ballots import Profile


def profile(candidates: str, *ballots: tuple[int, str]) -> Profile:
    """Build a profile from ``(count, "a>b=c")`` pairs over one-letter candidates."""
    ids = tuple(candidates)
    rows = []
    for _, text in ballots:
        rows.append(
            tuple(tuple(ids.index(c) for c in tier.split("=")) for tier in text.split(">") if tier)
        )
    return Profile(candidates=ids, ballots=tuple(rows), counts=tuple(n for n, _ in ballots))


@pytest.fixture
def condorcet_cycle() -> Profile:
    """a > b > c > a, each by 2 of 3 voters: a perfect three-way cycle."""
    return profile("abc", (1, "a>b>c"), (1, "b>c>a"), (1, "c>a>b"))


@pytest.fixture
def exact_tie() -> Profile:
    """Two voters with opposite rankings: every rule ties a and b."""
    return profile("ab", (1, "a>b"), (1, "b>a"))


@pytest.fixture
def one_voter() -> Profile:
    """A single stakeholder: every ranking rule returns their ranking."""
    return profile("abcd", (1, "c>a>d>b"))


@pytest.fixture
def truncated() -> Profile:
    """Truncated ballots whose Condorcet winner depends on the reading of unranked ones.

    Below: a beats b 5-4 (the 3 bullet votes for a count against b); uncompared: b beats a
    4-2 among the voters who ranked both.
    """
    return profile("abc", (3, "a"), (4, "b>a>c"), (2, "a>b>c"))


@pytest.fixture
def condorcet_not_plurality() -> Profile:
    """b is everyone's second choice and the Condorcet winner; a has most first places."""
    return profile("abc", (4, "a>b>c"), (3, "c>b>a"), (2, "b>c>a"))
