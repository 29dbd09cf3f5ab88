"""The registry of voting rules: each rule is a function registered with its properties.

Shaped like pref-voting's ``@vm`` decorator (Holliday and Pacuit), but typed: the registry
records what each rule needs and which classical properties it has, so a report can say which
rule was used and whether the others agree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.analysis.voting.profile_arrays import ProfileArrays, Reading
from accord.model.ballots import Profile

Needs = Literal["rankings", "approvals", "ratings", "dots"]


@dataclass(frozen=True)
class RuleResult:
    """What a rule function returns, in profile candidate indices."""

    winners: list[int]
    ranking: list[list[int]] | None
    scores: dict[int, float] | None = None
    tie_broken_by: str | None = None
    possible_winners: list[int] | None = None
    notes: list[str] = field(default_factory=list)


RuleFunction = Callable[[Profile, ProfileArrays, Reading], RuleResult]


@dataclass(frozen=True)
class RuleInfo:
    """A registered rule and its properties (as stated in the social choice literature)."""

    name: str
    title: str
    function: RuleFunction
    needs: Needs
    reads_unranked: bool  # does the truncated-ballot reading change its result?
    condorcet_consistent: bool
    monotone: bool
    source: str


RULES: dict[str, RuleInfo] = {}


def rule(
    name: str,
    *,
    title: str,
    needs: Needs = "rankings",
    reads_unranked: bool,
    condorcet_consistent: bool,
    monotone: bool,
    source: str,
) -> Callable[[RuleFunction], RuleFunction]:
    """Register ``function`` under ``name`` with its properties."""

    def register(function: RuleFunction) -> RuleFunction:
        RULES[name] = RuleInfo(
            name=name,
            title=title,
            function=function,
            needs=needs,
            reads_unranked=reads_unranked,
            condorcet_consistent=condorcet_consistent,
            monotone=monotone,
            source=source,
        )
        return function

    return register


def ranked_by_score(
    scores: NDArray[np.float64] | NDArray[np.int64],
    cands: Sequence[int] | NDArray[np.int64],
    *,
    higher_is_better: bool = True,
    absent: Sequence[int] = (),
) -> tuple[list[int], list[list[int]]]:
    """Winners and tiers from one score per candidate; equal scores share a tier.

    ``absent`` candidates (on no ballot) form a last tier.

    >>> ranked_by_score(np.array([3, 5, 3]), [0, 1, 2], absent=[3])
    ([1], [[1], [0, 2], [3]])
    """
    values = np.asarray(scores)
    key = -values if higher_is_better else values
    order = np.lexsort((np.asarray(cands), key))
    tiers: list[list[int]] = []
    previous = None
    for k in order:
        if previous is None or key[k] != previous:
            tiers.append([])
            previous = key[k]
        tiers[-1].append(int(cands[k]))
    if absent:
        tiers.append(sorted(int(c) for c in absent))
    winners = tiers[0] if tiers else []
    return winners, tiers
