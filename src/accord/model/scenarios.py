"""Scenarios: alternative futures that adjust the estimates."""

from __future__ import annotations

from pydantic import Field, model_validator

from accord.model.base import AccordModel, Probability, Slug, StrictNumber


class Adjustment(AccordModel):
    """Change one criterion's estimates (for one option, or every option when omitted)."""

    option: Slug | None = Field(default=None, description="Option id; omitted = every option.")
    criterion: Slug = Field(description="Criterion id.")
    set: StrictNumber | None = Field(default=None, description="Replace the estimate.")
    add: StrictNumber | None = Field(default=None, description="Add to the estimate.")
    multiply: StrictNumber | None = Field(default=None, description="Multiply the estimate.")

    @model_validator(mode="after")
    def _exactly_one(self) -> Adjustment:
        given = [k for k in ("set", "add", "multiply") if getattr(self, k) is not None]
        if len(given) != 1:
            got = ", ".join(given) if given else "none"
            raise ValueError(f"expected exactly one of set / add / multiply, got {got}")
        return self


class Scenario(AccordModel):
    """A possible future with a probability."""

    id: Slug = Field(description="Scenario id, unique in the case.")
    name: str = Field(description="Display name.")
    probability: Probability | None = Field(default=None, description="Probability 0..1.")
    adjustments: list[Adjustment] = Field(
        default_factory=list, description="How estimates change in this scenario."
    )
