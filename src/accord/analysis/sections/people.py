"""Each stakeholder's view of the options, and the group's."""

from __future__ import annotations

from dataclasses import dataclass

Tiers = list[list[str]]


@dataclass(frozen=True)
class Point:
    """One criterion as a pro or a con of an option, in one stakeholder's eyes."""

    criterion: str
    contribution: float  # weight x (normalised score - the mean over the options)
    sentence: str


@dataclass(frozen=True)
class ProsCons:
    """A stakeholder's pros and cons of one option (their weights on their own lens)."""

    option: str
    pros: list[Point]
    cons: list[Point]


@dataclass(frozen=True)
class StakeholderView:
    """One stakeholder: who they are and how their weights rank the options.

    ``utilities`` use their own weights on their own lens (their own scores on criteria
    stakeholders score); ``top`` is their first choice among every option, ``top_feasible``
    among the feasible ones (the one their cruxes start from).
    """

    id: str
    name: str
    role: str | None
    raci: str | None
    influence: str | None
    interest: str | None
    has_inputs: bool
    weight_method: str | None
    weights: dict[str, float]
    weight_notes: list[str]
    utilities: dict[str, float]
    ranking: Tiers
    stated_ranking: Tiers | None
    top: list[str]
    top_feasible: list[str]
    p_first: dict[str, float]  # feasible options only: P(first among the feasible)
    pros_cons: list[ProsCons]
    notes: list[str]  # what they wrote with their inputs


@dataclass(frozen=True)
class GroupView:
    """The group: the mean of the stakeholders' utilities (Keeney & Raiffa 1976, ch. 10)."""

    stakeholders: int  # how many gave weights
    utilities: dict[str, float]
    ranking: Tiers
    best: list[str]  # best feasible options by the group's utility
    best_unrestricted: list[str]
    topsis: dict[str, float]
    p_first: dict[str, float]  # feasible options only
