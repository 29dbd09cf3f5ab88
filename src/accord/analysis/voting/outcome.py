"""The result of counting a profile under one rule: :class:`Outcome`."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Outcome:
    """Winners and ranking under one rule, with the facts a reader needs to trust them.

    Candidates are given by id.  ``winners`` is every tied winner, in candidate order (for a
    PrefLib file: ascending alternative number).  ``ranking`` is a list of tiers, best first,
    where the rule defines one (``None`` otherwise).  ``unranked`` is the reading of truncated
    ballots requested; ``notes`` say when a rule reads them its own way (Borda, IRV).
    ``tie_broken_by`` is ``None`` unless something in the result was decided by a fixed
    tie-breaking order, and then says which.  ``possible_winners`` (ranked pairs) lists every
    candidate that wins under some tie-breaking order, or is ``None`` when not computed.
    """

    rule: str
    unranked: str
    winners: list[str]
    ranking: list[list[str]] | None
    condorcet_winner: str | None
    weak_condorcet_winners: list[str]
    majority_cycle: bool
    smith_set: list[str]
    tie_broken_by: str | None = None
    possible_winners: list[str] | None = None
    scores: dict[str, float] | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RuleRobustness:
    """Whether the choice of rule changes the winner.

    ``winners`` maps each rule counted to its winners; ``skipped`` maps rules that could not be
    counted on this profile to the reason; ``agree`` is true when every counted rule gives the
    same winners; ``summary`` says it in one sentence; ``outcomes`` keeps each counted rule's
    full :class:`Outcome` so callers need not count again.
    """

    unranked: str
    winners: dict[str, list[str]]
    skipped: dict[str, str]
    agree: bool
    summary: str
    outcomes: dict[str, Outcome] = field(default_factory=dict)
