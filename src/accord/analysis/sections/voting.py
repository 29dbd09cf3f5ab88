"""Group decision rules over the stakeholders' rankings, and whether the rule matters."""

from __future__ import annotations

from dataclasses import dataclass

Tiers = list[list[str]]


@dataclass(frozen=True)
class RuleResult:
    """One rule's outcome: winners (sorted; several = a tie) and its ranking when it gives one."""

    rule: str
    winners: list[str]
    ranking: Tiers | None
    tie_broken_by: str | None
    notes: list[str]


@dataclass(frozen=True)
class Voting:
    """Every rule over the stakeholders' rankings (stated, else derived from their weights).

    ``rule_matters`` is true when two rules name different winner sets (a tie that
    includes another rule's winner counts as different, and the sentence names the tie).
    """

    rules: list[RuleResult]
    skipped: dict[str, str]
    condorcet_winner: str | None
    majority_cycle: bool
    rule_matters: bool
    derived_from_weights: list[str]  # stakeholders whose ranking comes from their weights
    unranked: str  # how a ranking that leaves options out is read ("below": below the rest)
    sentence: str
