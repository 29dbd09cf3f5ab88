"""Who and what the analysis is about: provenance, the case header, options, criteria."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Provenance:
    """How this analysis was made: enough to reproduce it byte for byte."""

    accord_version: str
    case_id: str
    case_sha256: str
    seed: int
    normalization: Literal["minmax", "vector"]
    topsis_normalization: Literal["minmax", "vector"]
    draws: int  # Monte Carlo draws requested
    draws_run: int  # draws actually run (capped on large cases; 0 = none)
    distribution: Literal["pert", "triangular"]
    generated_for: str  # ISO date overdue actions and due reviews are judged on
    embeddings_model: str | None


@dataclass(frozen=True)
class Person:
    """A stakeholder named in a header (decision owner, decider)."""

    id: str
    name: str
    role: str | None


@dataclass(frozen=True)
class Amount:
    """A budget (currency) or a capacity (unit)."""

    amount: float
    unit: str | None


@dataclass(frozen=True)
class CaseHeader:
    """The case itself: the question, who owns it, the limits, and whether it is decided."""

    id: str
    title: str
    question: str
    context: str | None
    deadline: str | None
    decision_kind: Literal["choose_one", "portfolio"]
    budget: Amount | None
    capacity: Amount | None
    decision_owner: Person | None
    escalation: list[str]
    status: Literal["open", "decided"]
    decided: str | None  # id of the latest decision recorded, when decided


@dataclass(frozen=True)
class OptionInfo:
    """One option, and whether it is feasible (the reasons are in ``Choice.excluded``)."""

    id: str
    name: str
    description: str | None
    team: str | None
    cost: float | None
    effort: float | None
    feasible: bool


@dataclass(frozen=True)
class CriterionInfo:
    """One criterion; ``discriminates`` is false when every option has the same estimate."""

    id: str
    name: str
    unit: str | None
    direction: Literal["maximise", "minimise"]
    goal: str | None
    segment: str | None
    horizon: str | None
    scored_by_stakeholders: bool
    discriminates: bool
