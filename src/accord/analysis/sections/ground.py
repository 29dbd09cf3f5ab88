"""Common ground everyone shares, and the camps stakeholders fall into."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CriterionRange:
    """The stakeholders' weights on one criterion: their range, and whether they agree."""

    criterion: str
    low: float
    high: float
    agreed: bool
    shared_priority: bool


@dataclass(frozen=True)
class GoalService:
    """The options that serve one company goal."""

    goal: str
    options: list[str]


@dataclass(frozen=True)
class CommonGround:
    """What every stakeholder shares: criteria, options in everyone's top half, facts, goals."""

    criteria: list[CriterionRange]
    agreed_criteria: list[str]
    shared_priorities: list[str]
    top_half_options: list[str]  # in every stakeholder's top half (feasible or not)
    accepted_facts: list[str]
    goal_service: list[GoalService]
    shared_goals: list[str]
    sentences: list[str]


@dataclass(frozen=True)
class Camp:
    """Stakeholders whose weights and rankings are close."""

    members: list[str]
    mean_weights: dict[str, float]
    top: list[str]
    spread: float


@dataclass(frozen=True)
class Camps:
    """The camps and what every camp shares."""

    camps: list[Camp]
    shared_top_half: list[str]
    shared_criteria: list[str]
    cut: float
    sentences: list[str]
