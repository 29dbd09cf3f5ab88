"""How the options fare in alternative futures (expected utility, regret, robustness)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScenarioResult:
    """One scenario: the group's utility of each option and the best feasible options."""

    name: str
    probability: float
    group: dict[str, float]
    group_best: list[str]  # feasible
    group_best_unrestricted: list[str]
    best: dict[str, list[str]]  # each stakeholder's best feasible options
    utilities: dict[str, dict[str, float]]  # stakeholder -> option -> utility (empty if large)


@dataclass(frozen=True)
class Scenarios:
    """Across the scenarios: expected group utility, maximum regret, most often best.

    Regret and "best" are taken among the feasible options (regret of option o in a
    scenario: the best feasible utility there minus o's); the unrestricted answers sit
    beside them in ``*_unrestricted``.
    """

    scenarios: list[ScenarioResult]
    probability_note: str
    expected_group: dict[str, float]
    max_regret_group: dict[str, float]  # feasible options only
    expected_best: list[str]
    expected_best_unrestricted: list[str]
    least_regret: list[str]
    least_regret_unrestricted: list[str]
    best_count: dict[str, int]  # scenarios in which each feasible option is the group's best
    most_often_best: list[str]
    most_often_best_unrestricted: list[str]
    stakeholder_expected_best: dict[str, list[str]]
    stakeholder_least_regret: dict[str, list[str]]
    sentences: list[str]
    notes: list[str]
