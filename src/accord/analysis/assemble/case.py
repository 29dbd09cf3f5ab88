"""The case header, provenance, options and criteria."""

from __future__ import annotations

from accord import __version__
from accord.analysis.assemble.context import Prepared
from accord.analysis.sections.case import (
    Amount,
    CaseHeader,
    CriterionInfo,
    OptionInfo,
    Person,
    Provenance,
)
from accord.model.case import Case


def provenance(p: Prepared, fingerprint: str, draws_run: int, model: str | None) -> Provenance:
    s = p.settings
    return Provenance(
        accord_version=__version__,
        case_id=p.case.id,
        case_sha256=fingerprint,
        seed=s.seed,
        normalization=s.normalization,
        topsis_normalization=s.topsis_normalization,
        draws=s.draws,
        draws_run=draws_run,
        distribution=s.distribution,
        generated_for=p.today.isoformat(),
        embeddings_model=model,
    )


def header(case: Case) -> CaseHeader:
    owner = None
    if case.decision_owner is not None:
        person = case.stakeholder(case.decision_owner)
        owner = Person(person.id, person.name, person.role)
    latest = max(enumerate(case.decisions), key=lambda d: (d[1].date, d[0]), default=None)
    return CaseHeader(
        id=case.id,
        title=case.title,
        question=case.question,
        context=case.context,
        deadline=None if case.deadline is None else case.deadline.isoformat(),
        decision_kind=case.decision_kind,
        budget=None
        if case.budget is None
        else Amount(float(case.budget.amount), case.budget.currency),
        capacity=None
        if case.capacity is None
        else Amount(float(case.capacity.amount), case.capacity.unit),
        decision_owner=owner,
        escalation=list(case.escalation),
        status="open" if latest is None else "decided",
        decided=None if latest is None else latest[1].id,
    )


def options(case: Case, feasible: set[int]) -> list[OptionInfo]:
    return [
        OptionInfo(o.id, o.name, o.description, o.team, o.cost, o.effort, i in feasible)
        for i, o in enumerate(case.options)
    ]


def criteria(p: Prepared, flat: set[int]) -> list[CriterionInfo]:
    return [
        CriterionInfo(
            id=c.id,
            name=c.name,
            unit=c.unit,
            direction=c.direction,
            goal=c.goal,
            segment=c.segment,
            horizon=None if c.horizon is None else str(c.horizon),
            scored_by_stakeholders=c.scored_by_stakeholders,
            discriminates=i not in flat,
        )
        for i, c in enumerate(p.case.criteria)
    ]
