"""Page 1: the one-page summary, read from the typed :class:`Analysis`.

It computes nothing the analysis has not computed beyond presentation (names for ids,
order, dates in words); every sentence it shows is the analysis's own.
"""

from __future__ import annotations

from accord.analysis.sections import Analysis, Crux, RiskEntry
from accord.report.view.formatting import capital, date_words, money, number, ordinal
from accord.report.view.rows import ActionRow, CruxRow, Labelled, Names, RiskRow

#: Page-1 limits: a CEO reads it in two minutes.  Headline cruxes are one per disagreeing
#: principal; beyond the limit the page says how many more the full analysis holds.
SUMMARY_CRUXES = 3
SUMMARY_RISKS = 3
SUMMARY_ACTIONS = 4
SUMMARY_COMMON_GROUND = 4
SUMMARY_DEPRIORITISED = 4
SUMMARY_ACCEPTABILITY = 2

ALIGNMENT_LABELS = {
    "high": "high alignment",
    "partial": "partial alignment",
    "low": "low alignment",
    "n/a": "not measured: no stakeholder has given inputs yet",
}


def person(analysis: Analysis) -> str:
    owner = analysis.case.decision_owner
    if owner is None:
        return ""
    return f"{owner.name}, {owner.role}" if owner.role else owner.name


def recommendation(analysis: Analysis, names: Names) -> tuple[str, str]:
    """What the analysis recommends (for a portfolio: the funded set) and why."""
    if analysis.portfolio is not None:
        return names.options_text(analysis.portfolio.funded), capital(analysis.portfolio.sentence)
    choice = analysis.choice
    if choice is None:
        return "", ""
    if choice.recommendation is not None:
        return names.option(choice.recommendation.option), choice.recommendation.sentence
    if choice.relaxation is not None:
        return "", choice.relaxation.sentence  # nothing is feasible: the smallest relaxation
    return "", ""


def decided(analysis: Analysis, names: Names) -> str:
    latest = analysis.latest_decision
    if latest is None:
        return ""
    return (
        f"{names.options_text(latest.options, mark=True)} (decided {date_words(latest.date)} "
        f"by {names.who(latest.accountable)})"
    )


def crux_row(crux: Crux, names: Names) -> CruxRow:
    span = ""
    if crux.range_low is not None and crux.range_high is not None:
        span = f"{number(crux.range_low)}–{number(crux.range_high)}"
    evidence = "; ".join(
        f"{e.fact} ({e.stance}{'' if e.accepted else ', disputed'})" for e in crux.evidence
    )
    return CruxRow(
        sentence=crux.sentence,
        if_otherwise=crux.if_otherwise,
        form=crux.form,
        kind=crux.kind,
        who=names.who(crux.stakeholder) if crux.stakeholder is not None else "Group",
        criterion=names.criterion(crux.criterion),
        current=number(crux.current, 3),
        threshold=number(crux.shown, 3),
        range=span,
        plausible=bool(crux.inside_range),
        relative_change=crux.relative_change,
        next_step=crux.next_step,
        evidence=evidence,
        headline=crux.headline,
    )


def compromise(analysis: Analysis, names: Names) -> list[Labelled]:
    choice = analysis.choice
    if choice is None:
        return []
    rows = []
    for pick, label in (
        (choice.maximin, "Best for the worst-off stakeholder (maximin)"),
        (choice.nash, "Nash bargaining solution"),
        (choice.min_regret, "Least maximum regret"),
    ):
        if pick is not None:
            tie = " (tie)" if len(pick.tied) > 1 else ""
            rows.append(Labelled(label, names.options_text(pick.tied or [pick.option]) + tie))
    return rows


def excluded(analysis: Analysis, names: Names) -> list[Labelled]:
    if analysis.choice is None:
        return []
    return [Labelled(names.option(e.option), e.sentence) for e in analysis.choice.excluded]


def risk_row(risk: RiskEntry, names: Names) -> RiskRow:
    before = f"{risk.likelihood:.2f} × {risk.impact:g} = {risk.exposure:.2f}"
    if risk.assessed_after_mitigation:
        after = (
            f"{risk.residual_likelihood:.2f} × {risk.residual_impact:g} = "
            f"{risk.residual_exposure:.2f}"
        )
        after_score = f"{risk.residual_exposure:.2f}"
    else:
        after, after_score = "not assessed", ""
    return RiskRow(
        option=names.marked(risk.option),
        description=risk.description,
        before=before,
        after=after,
        after_score=after_score,
        mitigation=risk.mitigation or "none recorded",
        owner=names.who(risk.owner),
    )


def recommended_risks(analysis: Analysis, names: Names) -> list[RiskRow]:
    rec = analysis.choice.recommendation if analysis.choice else None
    if rec is None:
        return []
    # Largest remaining exposure first: page 1 has room for the few that matter most.
    ordered = sorted(rec.risks, key=lambda r: (-r.residual_exposure, r.id))
    return [risk_row(r, names) for r in ordered]


def deprioritised(analysis: Analysis, names: Names) -> list[Labelled]:
    """What will not be done: a portfolio's left-out initiatives with the analysis's reason;
    for one choice, the feasible options ranked below the recommendation (or the decision)."""
    if analysis.portfolio is not None:
        return [
            Labelled(names.option(d.option), d.sentence) for d in analysis.portfolio.deprioritised
        ]
    chosen: set[str] = set()
    if analysis.choice is not None and analysis.choice.recommendation is not None:
        chosen.add(analysis.choice.recommendation.option)
    latest = analysis.latest_decision
    if latest is not None:
        chosen.update(latest.options)  # what was decided is being done, whatever the analysis says
    if not chosen:
        return []  # without a recommendation or a decision nothing is de-prioritised yet
    feasible = {o.id for o in analysis.options if o.feasible}
    tiers = [[o for o in tier if o in feasible] for tier in analysis.group.ranking]
    tiers = [t for t in tiers if t]
    fans: dict[str, list[str]] = {}
    for s in analysis.stakeholders:
        for option in s.top_feasible:
            fans.setdefault(option, []).append(s.name)
    rows = []
    for place, tier in enumerate(tiers, start=1):
        for option in tier:
            if option in chosen:
                continue
            reason = f"ranked {ordinal(place)} of {len(tiers)} feasible by the group"
            if option in fans:
                reason += f"; first feasible choice of {', '.join(fans[option])}"
            rows.append(Labelled(names.option(option), reason))
    return rows


def actions(analysis: Analysis, names: Names) -> list[ActionRow]:
    """Open work first (overdue on top), then by deadline; done items last."""
    ordered = sorted(
        analysis.actions,
        key=lambda a: (a.done, not a.overdue, a.deadline or "9999-12-31", a.title),
    )
    return [
        ActionRow(
            title=a.title,
            owner=names.who(a.owner),
            deadline=date_words(a.deadline),
            metric=a.metric or "",
            done=a.done,
            overdue=a.overdue,
            decision=a.decision or "",
        )
        for a in ordered
    ]


def budget_text(analysis: Analysis) -> str:
    budget = analysis.case.budget
    return money(budget.amount, budget.unit) if budget is not None else ""


def capacity_text(analysis: Analysis) -> str:
    capacity = analysis.case.capacity
    if capacity is None:
        return ""
    return f"{number(capacity.amount, 0)} {capacity.unit or ''}".strip()
