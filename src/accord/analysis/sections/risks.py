"""The risk register of the options and the effort / impact matrix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class RiskEntry:
    """One risk of one option, with its exposure (likelihood x impact) before and after
    mitigation."""

    option: str
    id: str
    description: str
    likelihood: float
    impact: float
    exposure: float
    residual_likelihood: float
    residual_impact: float
    residual_exposure: float
    assessed_after_mitigation: bool  # a residual likelihood or impact was stated
    mitigation: str | None
    owner: str | None


@dataclass(frozen=True)
class RiskSummary:
    """One option's total exposure and the risks nobody owns."""

    option: str
    exposure: float
    residual_exposure: float
    unowned: list[str]


@dataclass(frozen=True)
class Placement:
    """Where an option sits on the effort / impact matrix."""

    option: str
    effort: float
    impact: float
    quadrant: Literal["quick win", "major project", "fill-in", "thankless task"]


@dataclass(frozen=True)
class RiskRegister:
    """Every risk (worst residual exposure first within an option), totals, and the matrix."""

    entries: list[RiskEntry]
    by_option: list[RiskSummary]
    quadrant: list[Placement]
