"""The set of initiatives to fund within the budget (portfolio decisions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Deprioritised:
    """An initiative left out, and why."""

    option: str
    kind: Literal[
        "guardrail",
        "duplicate",
        "over budget",
        "over capacity",
        "no value",
        "low value",
        "did not fit",
    ]
    sentence: str


@dataclass(frozen=True)
class Portfolio:
    """The funded set: maximin over the stakeholders' utilities of the set (a MILP).

    ``funded`` respects the budget (``cost <= budget``) and the capacity.
    """

    objective: Literal["maximin", "total"]
    status: Literal["optimal", "time limit", "infeasible"]
    funded: list[str]
    utilities: dict[str, float]  # each stakeholder's utility of the funded set
    worst_off: float
    total: float
    cost: float
    budget: float
    effort: float
    capacity: float | None
    mip_gap: float | None
    deprioritised: list[Deprioritised]
    floor_share: float | None
    sentence: str
    notes: list[str]
