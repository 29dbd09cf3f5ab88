"""Each stakeholder's inputs: weights (five methods), scores, ballots, votes and notes."""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import Field, model_validator

from accord.model.base import AccordModel, Slug, StrictNumber

# A ranking: best first; an inner list is a tie.
RankEntry = Slug | list[Slug]
StatementVote = Literal["agree", "disagree", "pass"]


class DirectWeights(AccordModel):
    """Non-negative numbers per criterion, normalised to sum 1."""

    method: Literal["direct"] = Field(description="Direct weights.")
    values: dict[Slug, StrictNumber] = Field(description="Criterion id -> weight (>= 0).")

    @model_validator(mode="after")
    def _non_negative(self) -> DirectWeights:
        negative = [k for k, v in self.values.items() if v < 0]
        if negative:
            raise ValueError(
                f"weights must be >= 0, got {self.values[negative[0]]:g} for '{negative[0]}'"
            )
        if self.values and sum(self.values.values()) <= 0:
            raise ValueError("at least one weight must be above 0")
        return self


class PointsWeights(AccordModel):
    """A 100-point allocation across criteria."""

    method: Literal["points"] = Field(description="100-point allocation.")
    values: dict[Slug, StrictNumber] = Field(description="Criterion id -> points (sum 100).")

    @model_validator(mode="after")
    def _sum_100(self) -> PointsWeights:
        if any(v < 0 for v in self.values.values()):
            raise ValueError("points must be >= 0")
        total = sum(self.values.values())
        if not math.isclose(total, 100.0, abs_tol=1e-6):
            raise ValueError(f"points must sum to 100, got {total:g}")
        return self


class SwingWeights(AccordModel):
    """Swing weights: 0..100 per criterion, the most important swing = 100."""

    method: Literal["swing"] = Field(description="Swing weighting.")
    values: dict[Slug, StrictNumber] = Field(description="Criterion id -> swing 0..100.")

    @model_validator(mode="after")
    def _max_100(self) -> SwingWeights:
        if any(v < 0 or v > 100 for v in self.values.values()):
            raise ValueError("swings must be within 0..100")
        if self.values and max(self.values.values()) != 100:
            raise ValueError(
                f"the most important swing must be 100, got {max(self.values.values()):g}"
            )
        return self


class RankWeights(AccordModel):
    """Criteria ranked most important first (ties as inner lists; rank-order centroid)."""

    method: Literal["rank"] = Field(description="Ranked criteria.")
    order: list[RankEntry] = Field(description="Criterion ids, most important first.")


class AhpJudgement(AccordModel):
    """A pairwise judgement: ``more`` is ``ratio`` times as important as ``less``."""

    more: Slug = Field(description="The more important criterion id.")
    less: Slug = Field(description="The less important criterion id.")
    ratio: StrictNumber = Field(ge=1 / 9, le=9, description="Saaty ratio 1/9..9 (1 = equal).")


class AhpWeights(AccordModel):
    """Pairwise AHP judgements (Saaty 1..9)."""

    method: Literal["ahp"] = Field(description="Analytic hierarchy process.")
    judgements: list[AhpJudgement] = Field(description="Pairwise judgements.")


Weights = Annotated[
    DirectWeights | PointsWeights | SwingWeights | RankWeights | AhpWeights,
    Field(discriminator="method"),
]


class StakeholderInputs(AccordModel):
    """What one stakeholder said: every part is optional."""

    weights: Weights | None = Field(default=None, description="Criteria weights.")
    scores: dict[Slug, dict[Slug, StrictNumber]] = Field(
        default_factory=dict,
        description="Option id -> criterion id -> score (criteria scored by stakeholders).",
    )
    ranking: list[RankEntry] = Field(
        default_factory=list, description="Option ids best first; an inner list is a tie."
    )
    approvals: list[Slug] = Field(default_factory=list, description="Approved option ids.")
    ratings: dict[Slug, Annotated[StrictNumber, Field(ge=0, le=10)]] = Field(
        default_factory=dict, description="Option id -> overall rating 0..10."
    )
    dots: dict[Slug, Annotated[int, Field(ge=0)]] = Field(
        default_factory=dict, description="Option id -> dots (sum capped by dots_budget)."
    )
    statement_votes: dict[Slug, StatementVote] = Field(
        default_factory=dict, description="Statement id -> agree | disagree | pass."
    )
    notes: str | None = Field(default=None, description="Free text.")
