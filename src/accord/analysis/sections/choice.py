"""Which options are feasible, the compromises among them, and the recommendation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from accord.analysis.sections.risks import RiskEntry


@dataclass(frozen=True)
class Violation:
    """One constraint an option breaks."""

    constraint: str  # guardrail id, "budget" or "capacity"
    kind: Literal["guardrail", "budget", "capacity"]
    criterion: str | None  # for a guardrail
    bound: float
    value: float
    relative_change: float  # |value - bound| / |bound|
    sentence: str


@dataclass(frozen=True)
class Exclusion:
    """An option that is not feasible, with every reason."""

    option: str
    violations: list[Violation]
    sentence: str


@dataclass(frozen=True)
class BreachRisk:
    """Probability that a feasible option's estimate breaks a guardrail (PERT on its range)."""

    option: str
    guardrail: str
    probability: float


@dataclass(frozen=True)
class Pick:
    """The option a compromise rule picks among the feasible ones, with its value and ties."""

    option: str
    value: float
    tied: list[str]


@dataclass(frozen=True)
class Relaxation:
    """When nothing is feasible: the smallest change of bounds that admits an option."""

    option: str
    changes: list[Violation]
    largest_relative_change: float
    sentence: str


@dataclass(frozen=True)
class Recommendation:
    """Company-first, least-risk: the best feasible option for the company goals.

    ``basis`` says what "best" was measured on: the criteria linked to company goals, or
    (when no criterion is) the group's utility.
    """

    option: str
    basis: Literal["company goals", "group utility"]
    company_score: float
    residual_exposure: float
    risks: list[RiskEntry]
    sentence: str


@dataclass(frozen=True)
class Choice:
    """Feasibility, the compromises everyone can defend, and the recommendation."""

    feasible: list[str]
    excluded: list[Exclusion]
    breach_risks: list[BreachRisk]
    pareto: list[str]  # Pareto-efficient among the feasible options
    maximin: Pick | None
    nash: Pick | None
    min_regret: Pick | None
    recommendation: Recommendation | None  # None for portfolios and when nothing is feasible
    relaxation: Relaxation | None
    sentence: str
    notes: list[str]
