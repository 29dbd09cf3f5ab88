"""The shared fact base: sourced statements stakeholders accept or dispute."""

from __future__ import annotations

from pydantic import Field, model_validator

from accord.model.base import AccordModel, Day, Level, Slug, StrictNumber


class EstimateRef(AccordModel):
    """An estimate a fact bears on: one option's value on one criterion."""

    option: Slug = Field(description="Option id.")
    criterion: Slug = Field(description="Criterion id.")


class Fact(AccordModel):
    """A statement with a source; a fact without a source is a claim."""

    id: Slug = Field(description="Fact id, unique in the case.")
    statement: str = Field(description="The fact in one sentence.")
    value: StrictNumber | None = Field(default=None, description="Optional number.")
    unit: str | None = Field(default=None, description="Unit of the value.")
    source: str = Field(description="Where the fact comes from.")
    as_of: Day | None = Field(default=None, description="Date the fact was true.")
    confidence: Level | None = Field(default=None, description="How sure the source is.")
    accepted_by: list[Slug] = Field(
        default_factory=list, description="Stakeholder ids who accept the fact."
    )
    disputed_by: list[Slug] = Field(
        default_factory=list, description="Stakeholder ids who dispute the fact."
    )
    informs: list[EstimateRef] = Field(
        default_factory=list, description="Estimates this fact bears on."
    )

    @model_validator(mode="after")
    def _accept_or_dispute(self) -> Fact:
        both = sorted(set(self.accepted_by) & set(self.disputed_by))
        if both:
            names = ", ".join(f"'{b}'" for b in both)
            raise ValueError(f"{names} both accepts and disputes this fact (choose one)")
        return self
