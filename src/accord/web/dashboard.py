"""What a case's dashboard shows, read from the one typed ``Analysis`` every output reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from accord.analysis import wording
from accord.analysis.sections import Analysis
from accord.model.case import Case
from accord.web.dashboard_duplicates import DuplicatesCard, duplicates_card


@dataclass(frozen=True)
class InputStatus:
    stakeholder_id: str
    name: str
    role: str
    raci: str | None
    given: bool
    from_web: bool
    answered_at: dt.datetime | None  # when they last saved through a link


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
    first_choice: str  # their first choice among the feasible options today


@dataclass(frozen=True)
class Reminder:
    """A new stakeholder link, shown once, with a message the facilitator can send."""

    stakeholder: str
    link: str
    text: str


@dataclass(frozen=True)
class Dashboard:
    title: str
    question: str
    status: str  # "open" or "decided"
    status_line: str  # "Open: Daniel Kim decides by 2027-01-29" / "Decided: ..."
    decided: str | None  # "Y, decided 26 Oct 2026 by Daniel Kim"
    rationale: str | None
    dissent: list[tuple[str, str]]
    alignment: float | None
    alignment_label: str
    sentences: list[str]
    ranking_sentence: str
    recommended: str | None
    recommendation_reason: str | None
    funded: list[str]  # a portfolio's funded initiatives
    funded_cost: str | None
    left_out: list[tuple[str, str]]
    ranking: list[Ranked]
    excluded: list[tuple[str, str]]
    acceptable_if: list[str]
    cruxes: list[Headline]
    no_single_change: list[str]
    already_agree: list[str]  # who already puts the recommendation first
    governance_ok: bool
    findings: list[str]
    overdue: list[str]
    next_review: str | None
    inputs: list[InputStatus]
    inputs_missing: list[str]
    inputs_sentence: str
    notes: list[tuple[str, str]]
    reminder: Reminder | None
    duplicates: DuplicatesCard | None = None
    group_score_meaning: str = wording.GROUP_SCORE_MEANING


def ranking_sentence(analysis: Analysis) -> str:
    """Who leads the group ranking and by how much, as the report words it."""
    feasible = {o.id for o in analysis.options if o.feasible}
    group = analysis.group
    return wording.ranking_lead(group.ranking, group.utilities, feasible, analysis.option_name)


def _inputs_sentence(missing: list[str], total: int) -> str:
    if total == 0:
        return "The case names no stakeholders."
    if not missing:
        return f"All {total} stakeholders have given their inputs."
    names = ", ".join(missing)
    return f"{len(missing)} of {total} stakeholders have not given inputs yet: {names}."


def reminder_text(case: Case, name: str, link: str) -> str:
    """What a facilitator sends a stakeholder with their link."""
    by = f" by {case.deadline}" if case.deadline else ""
    return (
        f"Hello {name}, we are deciding: {case.question} Please give your view{by}: "
        f"how much each criterion matters to you, your ranking of the options and any "
        f"note for the group. It takes about ten minutes, and you can come back to change "
        f"it: {link}"
    )


def build(
    case: Case,
    analysis: Analysis,
    web_inputs: Mapping[str, dt.datetime],
    new_link: tuple[str, str] | None = None,
) -> Dashboard:
    """The dashboard of ``case``; ``web_inputs``: stakeholder id -> when they answered
    through a link; ``new_link``: (stakeholder id, link) of a link just created."""
    a = analysis
    choice, portfolio = a.choice, a.portfolio
    decision = a.latest_decision
    decided = None
    if decision is not None:
        by = a.stakeholder_name(decision.accountable) if decision.accountable else "unrecorded"
        decided = (
            f"{', '.join(a.option_label(o) for o in decision.options)}, decided "
            f"{decision.date} by {by}"
        )
    if decided is not None and a.case.status == "decided":
        status_line = f"Decided: {decided}."
    else:
        owner = a.case.decision_owner
        who = f"{owner.name} decides" if owner else "No decision owner is named; decision due"
        due = f" by {a.case.deadline}" if a.case.deadline else " (no deadline set)"
        status_line = f"Open: {who}{due}."
    recommendation = choice.recommendation if choice else None
    missing = [p.name for p in a.stakeholders if not p.has_inputs]
    unit = a.case.budget.unit if a.case.budget else None
    currency = f" {unit}" if unit else ""
    reminder = None
    if new_link is not None:
        name = next((s.name for s in case.stakeholders if s.id == new_link[0]), new_link[0])
        reminder = Reminder(name, new_link[1], reminder_text(case, name, new_link[1]))
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
        status_line=status_line,
        decided=decided,
        rationale=decision.rationale if decision else None,
        dissent=[(a.stakeholder_name(d.by), d.reason) for d in decision.dissent]
        if decision
        else [],
        alignment=a.agreement.alignment.index,
        alignment_label=a.agreement.alignment.label,
        sentences=list(a.agreement.alignment.parts),
        ranking_sentence=ranking_sentence(a),
        recommended=a.option_name(recommendation.option) if recommendation else None,
        recommendation_reason=recommendation.sentence if recommendation else None,
        funded=[a.option_name(o) for o in portfolio.funded] if portfolio else [],
        funded_cost=f"{portfolio.cost:,.0f} of the budget of {portfolio.budget:,.0f}{currency}"
        if portfolio
        else None,
        left_out=[(a.option_name(d.option), d.sentence) for d in portfolio.deprioritised]
        if portfolio
        else [],
        ranking=ranking,
        excluded=[(a.option_name(e.option), e.sentence) for e in choice.excluded] if choice else [],
        acceptable_if=[x.sentence for x in a.cruxes.acceptability],
        cruxes=[
            Headline(
                a.stakeholder_name(c.stakeholder),
                c.if_otherwise,
                c.next_step,
                a.option_name(c.prefers),
            )
            for c in a.cruxes.items
            if c.headline and c.stakeholder is not None
        ],
        no_single_change=[x.sentence for x in a.cruxes.no_single_change],
        already_agree=[
            p.name
            for p in a.stakeholders
            if recommendation is not None
            and p.has_inputs
            and p.top_feasible == [recommendation.option]
        ],
        governance_ok=a.governance.ok,
        findings=[f.message for f in a.governance.findings],
        overdue=[
            f"{x.title} ({a.stakeholder_name(x.owner)}, due {x.deadline}, "
            f"{x.days_overdue} day{'' if x.days_overdue == 1 else 's'} late)"
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
                web_inputs.get(s.id),
            )
            for s in case.stakeholders
        ],
        inputs_missing=missing,
        inputs_sentence=_inputs_sentence(missing, len(a.stakeholders)),
        notes=[(p.name, note) for p in a.stakeholders for note in p.notes],
        reminder=reminder,
        duplicates=duplicates_card(a, currency),
    )


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list."""

    id: int
    title: str
    status_line: str  # "open" / "decided: X on 2026-10-26"
    decided: bool
    deadline: str | None
    alignment: int | None
    alignment_label: str
    missing: list[str]  # stakeholders whose inputs are missing
    updated_at: dt.datetime


def case_row(record_id: int, updated_at: dt.datetime, analysis: Analysis) -> CaseRow:
    a = analysis
    decision = a.latest_decision
    decided = a.case.status == "decided" and decision is not None
    status_line = "open"
    if decided and decision is not None:
        options = ", ".join(a.option_label(o) for o in decision.options)
        status_line = f"decided: {options} on {decision.date}"
    index = a.agreement.alignment.index
    return CaseRow(
        id=record_id,
        title=a.case.title,
        status_line=status_line,
        decided=decided,
        deadline=a.case.deadline,
        alignment=None if index is None else int(index + 0.5),
        alignment_label=a.agreement.alignment.label,
        missing=[p.name for p in a.stakeholders if not p.has_inputs],
        updated_at=updated_at,
    )
