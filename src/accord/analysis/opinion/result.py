"""Result types of the opinion map: frozen dataclasses of plain Python values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RepresentativeStatement:
    """A statement that sets a group apart (Polis repness)."""

    statement: str
    text: str
    direction: str  # "agree" | "disagree"
    repness: float  # ra or rd: the group's probability over the rest's
    repness_test: float  # two-proportion z (group vs rest)
    p: float  # probability of the direction in the group, with pseudo-counts
    p_test: float  # one-proportion z within the group
    n_success: int
    n_trials: int
    best_agree: bool = False


@dataclass(frozen=True)
class OpinionGroup:
    id: int
    size: int
    centre: list[float]
    representative: list[RepresentativeStatement]


@dataclass(frozen=True)
class ConsensusStatement:
    """A statement most voters agree (or disagree) with (Polis consensus)."""

    statement: str
    text: str
    direction: str
    p: float
    p_test: float
    n_success: int
    n_trials: int
    group_aware: float  # product over groups of P(agree) (Polis group-aware consensus)
    every_group: bool  # every group leans the same way (P > 0.5 in each group)


@dataclass(frozen=True)
class DivisiveStatement:
    """A statement one group significantly agrees with and another rejects."""

    statement: str
    text: str
    spread: float  # max - min over groups of net agreement P(agree) - P(disagree)
    net_agreement: dict[str, float]  # group id -> net agreement


@dataclass(frozen=True)
class OpinionMap:
    """Participant -> group, positions, groups with their statements, consensus, divisive.

    ``participants`` holds only clustered participants (enough votes); ``coordinates``
    holds every participant who voted.  ``notes`` lists treatments applied.
    """

    groups: list[OpinionGroup]
    participants: dict[str, int]
    coordinates: dict[str, list[float]]
    statement_coordinates: dict[str, list[float]]
    consensus: list[ConsensusStatement]
    divisive: list[DivisiveStatement]
    silhouettes: dict[str, float]
    parameters: dict[str, Any]
    notes: list[str] = field(default_factory=list)

    def summary_json(self) -> dict[str, Any]:
        """The shape ``accord map --json`` prints."""
        return {
            "groups": [
                {
                    "id": g.id,
                    "size": g.size,
                    "representative": [
                        {
                            "statement": r.statement,
                            "text": r.text,
                            "direction": r.direction,
                            "repness": r.repness,
                            "p": r.p,
                        }
                        for r in g.representative
                    ],
                }
                for g in self.groups
            ],
            "participants": dict(self.participants),
            "consensus": [
                {
                    "statement": c.statement,
                    "text": c.text,
                    "direction": c.direction,
                    "p": c.p,
                    "p_test": c.p_test,
                    "group_aware": c.group_aware,
                    "every_group": c.every_group,
                }
                for c in self.consensus
            ],
            "divisive": [
                {
                    "statement": d.statement,
                    "text": d.text,
                    "spread": d.spread,
                    "net_agreement": d.net_agreement,
                }
                for d in self.divisive
            ],
        }
