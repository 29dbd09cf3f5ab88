"""Company goals with KPIs, and the stakeholders with their own goals, drivers and concerns."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from accord.model.base import AccordModel, Horizon, Level, Slug, StrictNumber

Direction = Literal["increase", "decrease", "maintain"]
Raci = Literal["responsible", "accountable", "consulted", "informed"]


class Kpi(AccordModel):
    """A key performance indicator of a company goal."""

    id: Slug = Field(description="KPI id, unique within its goal.")
    name: str = Field(description="What is measured, e.g. 'ARR'.")
    unit: str | None = Field(default=None, description="Unit of the baseline and target.")
    baseline: StrictNumber | None = Field(default=None, description="Value today.")
    target: StrictNumber | None = Field(default=None, description="Value the goal aims at.")
    direction: Direction = Field(default="increase", description="Which way is better.")
    horizon: Horizon | None = Field(default=None, description="By when (free text or a date).")


class CompanyGoal(AccordModel):
    """A shared goal every stakeholder serves."""

    id: Slug = Field(description="Goal id, unique among company goals.")
    statement: str = Field(description="The goal in one sentence.")
    kpis: list[Kpi] = Field(default_factory=list, description="How progress is measured.")


class StakeholderGoal(AccordModel):
    """One of a stakeholder's own goals, with its KPI."""

    id: Slug | None = Field(default=None, description="Optional goal id.")
    statement: str = Field(description="The goal in one sentence.")
    kpi: str | None = Field(default=None, description="KPI name.")
    unit: str | None = Field(default=None, description="Unit of baseline and target.")
    baseline: StrictNumber | None = Field(default=None, description="KPI value today.")
    target: StrictNumber | None = Field(default=None, description="KPI value aimed at.")
    direction: Direction = Field(default="increase", description="Which way is better.")
    horizon: Horizon | None = Field(default=None, description="By when (free text or a date).")
    serves: Slug | None = Field(default=None, description="Company goal id this goal serves.")


class Stakeholder(AccordModel):
    """A person (or group) with a stake in the decision."""

    id: Slug = Field(description="Stakeholder id, unique in the case.")
    name: str = Field(description="Display name.")
    role: str | None = Field(default=None, description="Job title or role.")
    raci: Raci | None = Field(default=None, description="RACI role for this decision.")
    influence: Level | None = Field(default=None, description="Influence on the decision.")
    interest: Level | None = Field(default=None, description="Interest in the outcome.")
    segment: str | None = Field(
        default=None, description="Customer segment this stakeholder speaks for."
    )
    goals: list[StakeholderGoal] = Field(default_factory=list, description="Their own goals.")
    drivers: list[str] = Field(default_factory=list, description="What drives their position.")
    concerns: list[str] = Field(default_factory=list, description="What worries them.")
