"""Company goals with KPIs, and the stakeholders with their own goals, drivers, concerns and
authority."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict

from accord.model.base import AccordModel, Horizon, Level, Slug, StrictNumber

Direction = Literal["increase", "decrease", "maintain"]
Raci = Literal["responsible", "accountable", "consulted", "informed"]

# Job-grade scales run to a few dozen (e.g. 59-80 at some firms); 100 leaves room for any of them.
MAX_LEVEL = 100
Seniority = Annotated[int, Strict(), Field(ge=0, le=MAX_LEVEL)]


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


class Authority(AccordModel):
    """How senior a stakeholder is and what they may do about this decision.

    The escalation checks read it: each step of the escalation path goes to a higher
    ``level``, and the path ends with someone who may ``decide`` and may ``fund`` what the
    decision commits. A power that is not written down is not granted: ``decide`` defaults to
    false and ``fund`` to 0, and the ``decision_owner`` must have ``decide: true``. Optional in
    format 1; a case without it still loads, and its escalation path gets a warning that it
    cannot be judged.
    """

    level: Seniority = Field(
        description=(
            "Seniority, higher = more senior (e.g. 1 team member, 2 team lead, 3 director, "
            "4 VP, 5 C-level, 6 CEO, 7 board); any whole-number scale used consistently."
        )
    )
    decide: Annotated[bool, Strict()] = Field(
        default=False,
        description="May make this decision, or overrule it when it is escalated to them.",
    )
    fund: StrictNumber = Field(
        default=0,
        ge=0,
        description="May commit money up to this amount, in the budget's currency.",
    )


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
    authority: Authority | None = Field(
        default=None,
        description="Seniority and what they may decide and fund; escalation is judged on it.",
    )
