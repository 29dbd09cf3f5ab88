"""Criteria options are judged on."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from accord.model.base import AccordModel, Horizon, Slug


class Criterion(AccordModel):
    """A criterion: what is measured and which way is better."""

    id: Slug = Field(description="Criterion id, unique in the case.")
    name: str = Field(description="Display name.")
    unit: str | None = Field(default=None, description="Unit of the estimates.")
    direction: Literal["maximise", "minimise"] = Field(
        default="maximise", description="Whether more or less is better."
    )
    goal: Slug | None = Field(default=None, description="Company goal id this criterion serves.")
    segment: str | None = Field(default=None, description="Customer segment it applies to.")
    horizon: Horizon | None = Field(default=None, description="Time horizon of the estimates.")
    scored_by_stakeholders: bool = Field(
        default=False,
        description="True: no shared estimate; each stakeholder scores options in inputs.",
    )
