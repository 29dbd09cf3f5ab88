"""What a case's dashboard shows, read from the one typed ``Analysis`` every output reads."""

from __future__ import annotations

from dataclasses import dataclass

from accord.analysis.sections import Analysis
from accord.model.case import Case


@dataclass(frozen=True)
class InputStatus:
    stakeholder_id: str
    name: str
    role: str
    raci: str | None
    given: bool
    from_web: bool


@dataclass(frozen=True)
class Ranked:
    """One option of the group ranking: its name, utility, and whether it is feasible."""

    name: str
    utility: float
    feasible: bool
    p_best: float | None


@dataclass(frozen=True)
class Headline:
    """One crux per disagreeing stakeholder, in the seeds' words."""

    stakeholder: str
    text: str
    next_step: str


@dataclass(frozen=True)
class Dashboard:
    title: str
    question: str
    status: str  # "open" or "decided"
    decided: str | None  # "Y, decided 26 Oct 2026 by Daniel Kim"
    dissent: list[tuple[str, str]]
    alignment: float | None
    alignment_label: str
    sentences: list[str]
    recommended: str | None
    recommendation_reason: str | None
    funded: list[str]  # a portfolio's funded initiatives
    funded_cost: str | None
    left_out: list[tuple[str, str]]
    ranking: list[Ranked]
    excluded: list[tuple[str, str]]
    acceptable_if: list[str]
    cruxes: list[Headline]
    governance_ok: bool
    findings: list[str]
    overdue: list[str]
    next_review: str | None
    inputs: list[InputStatus]
    notes: list[tuple[str, str]]


def build(case: Case, analysis: Analysis, web_inputs: set[str]) -> Dashboard:
    a = analysis
    choice, portfolio = a.choice, a.portfolio
    decision = a.latest_decision
    decided = None
    if decision is not None:
        by = a.stakeholder_name(decision.accountable) if decision.accountable else "unrecorded"
        decided = (
            f"{', '.join(a.option_name(o) for o in decision.options)}, decided "
            f"{decision.date} by {by}"
        )
    recommendation = choice.recommendation if choice else None
    ranking = [
        Ranked(
            a.option_name(o),
            a.group.utilities[o],
            a.option(o).feasible,
            a.group.p_first.get(o),
        )
        for tier in a.group.ranking
        for o in tier
    ]
    return Dashboard(
        title=case.title,
        question=case.question,
        status=a.case.status,
        decided=decided,
        dissent=[(a.stakeholder_name(d.by), d.reason) for d in decision.dissent]
        if decision
        else [],
        alignment=a.agreement.alignment.index,
        alignment_label=a.agreement.alignment.label,
        sentences=[a.agreement.alignment.sentence],
        recommended=a.option_name(recommendation.option) if recommendation else None,
        recommendation_reason=recommendation.sentence if recommendation else None,
        funded=[a.option_name(o) for o in portfolio.funded] if portfolio else [],
        funded_cost=f"{portfolio.cost:,.0f} of {portfolio.budget:,.0f}" if portfolio else None,
        left_out=[(a.option_name(d.option), d.sentence) for d in portfolio.deprioritised]
        if portfolio
        else [],
        ranking=ranking,
        excluded=[(a.option_name(e.option), e.sentence) for e in choice.excluded] if choice else [],
        acceptable_if=[x.sentence for x in a.cruxes.acceptability],
        cruxes=[
            Headline(a.stakeholder_name(c.stakeholder), c.if_otherwise, c.next_step)
            for c in a.cruxes.items
            if c.headline and c.stakeholder is not None
        ],
        governance_ok=a.governance.ok,
        findings=[f.message for f in a.governance.findings],
        overdue=[
            f"{x.title} ({a.stakeholder_name(x.owner)}, due {x.deadline})"
            for x in a.actions
            if x.overdue
        ],
        next_review=a.next_review.sentence if a.next_review else None,
        inputs=[
            InputStatus(
                s.id,
                s.name,
                s.role or "",
                s.raci,
                a.stakeholder(s.id).has_inputs,
                s.id in web_inputs,
            )
            for s in case.stakeholders
        ],
        notes=[(p.name, note) for p in a.stakeholders for note in p.notes],
    )
