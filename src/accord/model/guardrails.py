"""Guardrails (counter-metrics): bounds no chosen option may break."""

from __future__ import annotations

from pydantic import Field, model_validator

from accord.model.base import AccordModel, Slug, StrictNumber


class Guardrail(AccordModel):
    """A bound on one criterion, owned by a stakeholder, protecting a goal."""

    id: Slug = Field(description="Guardrail id, unique in the case.")
    criterion: Slug = Field(description="Criterion id the bound applies to.")
    min: StrictNumber | None = Field(default=None, description="Lowest acceptable value.")
    max: StrictNumber | None = Field(default=None, description="Highest acceptable value.")
    owner: Slug | None = Field(default=None, description="Stakeholder id who owns it.")
    protects: Slug | None = Field(default=None, description="Company goal id it protects.")
    description: str | None = Field(default=None, description="The guardrail in words.")

    @model_validator(mode="after")
    def _has_bound(self) -> Guardrail:
        if self.min is None and self.max is None:
            raise ValueError("a guardrail needs 'min' and/or 'max'")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min:g} is above max {self.max:g}")
        return self
