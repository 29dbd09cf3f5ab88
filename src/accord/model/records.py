"""The decision log, the action register and the review cadence."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from accord.model.base import MAX_REVIEW_EVERY_DAYS, AccordModel, Day, Slug


class Dissent(AccordModel):
    """A stakeholder's recorded disagreement with a decision."""

    by: Slug = Field(description="Stakeholder id.")
    reason: str = Field(description="Why they disagree.")


class Assumption(AccordModel):
    """A crux a decision rests on, with how and when it is checked."""

    id: Slug = Field(description="Assumption id, unique within its decision.")
    statement: str = Field(description="What must be true.")
    owner: Slug | None = Field(default=None, description="Stakeholder id who checks it.")
    metric: str | None = Field(default=None, description="Metric (often a criterion id).")
    threshold: str | None = Field(default=None, description="Condition, e.g. '>= 60'.")
    check_date: Day | None = Field(default=None, description="When it is checked.")


class Decision(AccordModel):
    """A decision taken: which option(s), by whom, why, and who disagreed."""

    id: Slug = Field(description="Decision id, unique in the case.")
    option: Slug | list[Slug] = Field(description="Option id, or a list of ids (portfolio).")
    date: Day = Field(description="Date of the decision.")
    accountable: Slug | None = Field(default=None, description="Stakeholder id accountable.")
    rationale: str | None = Field(default=None, description="Why this option.")
    dissent: list[Dissent] = Field(default_factory=list, description="Recorded disagreement.")
    review_date: Day | None = Field(default=None, description="When it is reviewed.")
    assumptions: list[Assumption] = Field(
        default_factory=list, description="Cruxes the decision rests on."
    )

    @property
    def option_ids(self) -> list[str]:
        """The chosen option ids as a list (one for choose_one)."""
        return [self.option] if isinstance(self.option, str) else list(self.option)


class Action(AccordModel):
    """An action in the register."""

    id: Slug = Field(description="Action id, unique in the case.")
    title: str = Field(description="What is to be done.")
    owner: Slug = Field(description="Stakeholder id who does it.")
    deadline: Day | None = Field(default=None, description="Due date.")
    metric: str | None = Field(default=None, description="How completion is measured.")
    done: bool = Field(default=False, description="Whether it is done.")
    decision: Slug | None = Field(default=None, description="Decision id it implements.")


class Checkpoint(AccordModel):
    """A dated checkpoint in the cadence."""

    name: str = Field(description="What is checked.")
    date: Day = Field(description="When.")


class Cadence(AccordModel):
    """How often the decision and its actions are reviewed."""

    review_every_days: int = Field(
        default=30, ge=1, le=MAX_REVIEW_EVERY_DAYS, description="Days between reviews."
    )
    standup: Literal["weekly", "biweekly", "monthly", "none"] = Field(
        default="monthly", description="Stand-up rhythm."
    )
    start: Day | None = Field(default=None, description="First review date.")
    checkpoints: list[Checkpoint] = Field(default_factory=list, description="Dated checkpoints.")
