"""Plan files: OKR, V2MOM and project-charter plans (``kind: plan``).

A plan is the written commitment that follows an alignment decision: what we will
achieve, in which order, measured how, by whom and by when.  One schema covers the
three frameworks; the sections a framework needs are checked by
:mod:`accord.analysis.plan_check` (so a half-written plan loads and gets explained
findings instead of a wall of parse errors).  Fields that a *check* judges (baseline,
target, deadline, ...) are therefore optional here; types, unknown keys and
duplicate ids are parse errors.

Frameworks: OKR (Doerr, *Measure What Matters*, 2018), V2MOM (Benioff & Adler,
*Behind the Cloud*, 2009), project charter (PMI, *PMBOK Guide*, 7th ed., 2021;
seed 002: objectives, roles, deliverables, milestones, feedback).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from accord.model.base import (
    AccordModel,
    Day,
    Probability,
    ReferenceProblem,
    Slug,
    StrictNumber,
    duplicate_ids,
    unknown_id,
)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Framework = Literal["okr", "v2mom", "charter"]
Direction = Literal["increase", "decrease", "maintain"]
Raci = Literal["responsible", "accountable", "consulted", "informed"]
Frequency = Literal["weekly", "biweekly", "monthly", "quarterly"]

# What each framework's plan is made of; a section outside this set is reported by the
# plan check (not a parse error) so the user learns which framework it belongs to.
FRAMEWORK_SECTIONS: dict[str, frozenset[str]] = {
    "okr": frozenset({"objectives", "initiatives"}),
    "v2mom": frozenset({"vision", "values", "methods", "obstacles", "measures", "initiatives"}),
    "charter": frozenset(
        {
            "objectives",
            "goals",
            "scope",
            "out_of_scope",
            "deliverables",
            "milestones",
            "communication",
            "risks",
            "initiatives",
        }
    ),
}


class Period(AccordModel):
    """The time the plan covers, e.g. ``{name: Q1 2027, start: 2027-01-01, end: 2027-03-31}``."""

    name: Text | None = None
    start: Day | None = None
    end: Day | None = None

    @model_validator(mode="after")
    def _start_before_end(self) -> Period:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(
                f"period ends ({self.end}) before it starts ({self.start}) (expected end >= start)"
            )
        return self


class Priority(AccordModel):
    """One ranked priority; the list order is the priority order, ``rank`` must agree."""

    id: Slug
    statement: Text
    rank: int | None = None
    objective: Slug | None = None  # the objective (OKR/charter) or method (V2MOM) it points at


class Measure(AccordModel):
    """A measurable target: an OKR key result, a V2MOM measure or a charter goal.

    Measurable means metric, baseline, target and deadline are all given (Doerr 2018:
    "it's not a key result unless it has a number").  ``direction`` defaults to the
    sign of ``target - baseline``.
    """

    id: Slug
    statement: Text | None = None
    metric: Text | None = None
    unit: Text | None = None
    baseline: StrictNumber | None = None
    target: StrictNumber | None = None
    direction: Direction | None = None
    deadline: Day | None = None
    owner: Text | None = None


class Objective(AccordModel):
    """A qualitative objective with its key results (OKR) or an agreed charter objective."""

    id: Slug
    statement: Text
    owner: Text | None = None
    key_results: list[Measure] = Field(default_factory=list)


class Initiative(AccordModel):
    """Work that serves objectives (or V2MOM methods), with its effort and cost."""

    id: Slug
    name: Text
    description: Text | None = None
    objectives: list[Slug] = Field(default_factory=list)
    team: Text | None = None
    owner: Text | None = None
    effort: StrictNumber | None = Field(default=None, ge=0)
    cost: StrictNumber | None = Field(default=None, ge=0)
    deprioritised: bool = False
    reason: Text | None = None  # why it was de-prioritised (said out loud, seed 003)


class Method(AccordModel):
    """A V2MOM method: an action that realises the vision; order is priority."""

    id: Slug
    statement: Text
    rank: int | None = None
    owner: Text | None = None


class Obstacle(AccordModel):
    """A V2MOM obstacle, optionally tied to the method it threatens."""

    id: Slug
    statement: Text
    method: Slug | None = None


class Deliverable(AccordModel):
    """A charter deliverable (seed 002: new website, ad campaign, email funnel ...)."""

    id: Slug
    name: Text
    owner: Text | None = None
    due: Day | None = None
    milestone: Slug | None = None


class Milestone(AccordModel):
    """A dated charter milestone."""

    id: Slug
    name: Text
    date: Day | None = None


class Role(AccordModel):
    """A person or team and their RACI role on the plan."""

    id: Slug
    name: Text
    role: Text | None = None
    raci: Raci


class Communication(AccordModel):
    """One line of the feedback / communication schedule (seed 002: regular updates)."""

    id: Slug
    audience: Text
    channel: Text | None = None
    every: Frequency | None = None
    every_days: int | None = Field(default=None, ge=1)
    owner: Text | None = None


class Risk(AccordModel):
    """A charter risk with its mitigation and owner."""

    id: Slug
    description: Text
    likelihood: Probability | None = None
    impact: int | None = Field(default=None, ge=1, le=5)
    mitigation: Text | None = None
    owner: Text | None = None


class PlanGuardrail(AccordModel):
    """A counter-metric bound no key result may break (seed 001: "grow X within guardrails")."""

    id: Slug
    metric: Text
    min: StrictNumber | None = None
    max: StrictNumber | None = None
    description: Text | None = None

    @model_validator(mode="after")
    def _has_a_bound(self) -> PlanGuardrail:
        if self.min is None and self.max is None:
            raise ValueError("a guardrail needs min and/or max (got neither)")
        if self.min is not None and self.max is not None and self.max < self.min:
            raise ValueError(f"max ({self.max}) is below min ({self.min}) (expected min <= max)")
        return self


class Capacity(AccordModel):
    """How much effort the team has, e.g. ``{amount: 40, unit: engineer-weeks}``."""

    amount: StrictNumber = Field(ge=0)
    unit: Text


class Budget(AccordModel):
    """How much money the plan may spend."""

    amount: StrictNumber = Field(ge=0)
    currency: Text


class Plan(AccordModel):
    """A plan file (``accord: 1``, ``kind: plan``)."""

    accord: Literal[1]
    kind: Literal["plan"]
    framework: Framework
    id: Slug | None = None
    title: Text
    owner: Text | None = None
    period: Period | None = None
    priorities: list[Priority] = Field(default_factory=list)
    # OKR and charter
    objectives: list[Objective] = Field(default_factory=list)
    initiatives: list[Initiative] = Field(default_factory=list)
    # V2MOM
    vision: Text | None = None
    values: list[Text] = Field(default_factory=list)
    methods: list[Method] = Field(default_factory=list)
    obstacles: list[Obstacle] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)
    # charter
    goals: list[Measure] = Field(default_factory=list)
    scope: list[Text] = Field(default_factory=list)
    out_of_scope: list[Text] = Field(default_factory=list)
    deliverables: list[Deliverable] = Field(default_factory=list)
    milestones: list[Milestone] = Field(default_factory=list)
    communication: list[Communication] = Field(default_factory=list)
    risks: list[Risk] = Field(default_factory=list)
    # any framework
    roles: list[Role] = Field(default_factory=list)
    guardrails: list[PlanGuardrail] = Field(default_factory=list)
    capacity: Capacity | None = None
    budget: Budget | None = None

    def reference_problems(self) -> list[ReferenceProblem]:
        """Duplicate ids and references to ids that do not exist, each on its field."""
        problems: list[ReferenceProblem] = []
        for name in _ID_LISTS:
            problems.extend(duplicate_ids(getattr(self, name), name))
        seen_kr: dict[str, tuple[int, int]] = {}
        for i, objective in enumerate(self.objectives):
            for j, kr in enumerate(objective.key_results):
                if kr.id in seen_kr:
                    first = "objectives[{}].key_results[{}]".format(*seen_kr[kr.id])
                    problems.append(
                        ReferenceProblem(
                            ("objectives", i, "key_results", j, "id"),
                            f"duplicate key result id '{kr.id}' (also {first})",
                        )
                    )
                else:
                    seen_kr[kr.id] = (i, j)
        # Initiatives and priorities point at objectives, or at methods in a V2MOM.
        targets = [m.id for m in self.methods] if self.framework == "v2mom" else []
        targets += [o.id for o in self.objectives]
        what = "a method or objective id" if self.framework == "v2mom" else "an objective id"
        for i, priority in enumerate(self.priorities):
            problems.extend(
                _refs(("priorities", i, "objective"), [priority.objective], targets, what)
            )
        for i, initiative in enumerate(self.initiatives):
            for j, ref in enumerate(initiative.objectives):
                problems.extend(_refs(("initiatives", i, "objectives", j), [ref], targets, what))
        methods = [m.id for m in self.methods]
        for i, obstacle in enumerate(self.obstacles):
            problems.extend(
                _refs(("obstacles", i, "method"), [obstacle.method], methods, "a method id")
            )
        milestones = [m.id for m in self.milestones]
        for i, deliverable in enumerate(self.deliverables):
            problems.extend(
                _refs(
                    ("deliverables", i, "milestone"),
                    [deliverable.milestone],
                    milestones,
                    "a milestone id",
                )
            )
        return problems

    def used_sections(self) -> list[str]:
        """Framework-specific sections that hold something, in declaration order."""
        every = set().union(*FRAMEWORK_SECTIONS.values())
        return [name for name in type(self).model_fields if name in every and getattr(self, name)]


_ID_LISTS = (
    "priorities",
    "objectives",
    "initiatives",
    "methods",
    "obstacles",
    "measures",
    "goals",
    "deliverables",
    "milestones",
    "communication",
    "risks",
    "roles",
    "guardrails",
)


def _refs(
    field: tuple[str | int, ...], values: Iterable[str | None], known: Sequence[str], what: str
) -> list[ReferenceProblem]:
    return [
        ReferenceProblem(field, unknown_id(value, what, known))
        for value in values
        if value is not None and value not in known
    ]
