"""Feasibility, the compromises among the feasible options, and the recommendation."""

from __future__ import annotations

import numpy as np

from accord.analysis import compromise as deal
from accord.analysis.assemble.context import Prepared
from accord.analysis.assemble.risks import entries_of, risk_items
from accord.analysis.crux.search import Bounds
from accord.analysis.sections.choice import (
    BreachRisk,
    Choice,
    Exclusion,
    Pick,
    Recommendation,
    Relaxation,
    Violation,
)
from accord.analysis.sections.cruxes import Change


def compromise_result(p: Prepared) -> deal.Compromise | None:
    """The compromise step over the weighted stakeholders (None without weights or options)."""
    if not p.weighted or not p.options:
        return None
    case, a = p.case, p.arrays
    costs = np.array([o.cost or 0.0 for o in case.options])
    efforts = np.array([o.effort or 0.0 for o in case.options])
    goal_of = goal_indices(p)
    company = (
        deal.company_scores(p.shared_scores, goal_of)
        if any(g is not None for g in goal_of)
        else None
    )
    return deal.compromise(
        p.utilities,
        likely=a.likely,
        low=a.low,
        high=a.high,
        guardrails=guardrail_bounds(p),
        costs=costs if any(o.cost is not None for o in case.options) else None,
        # Feasible means fundable on its own: an initiative over the whole budget is
        # excluded from a portfolio too.
        budget=None if case.budget is None else float(case.budget.amount),
        efforts=efforts if any(o.effort is not None for o in case.options) else None,
        capacity=None if case.capacity is None else float(case.capacity.amount),
        company=company,
        risks=risk_items(p),
        option_labels=a.option_names,
        criterion_labels=a.criterion_names,
    )


def goal_indices(p: Prepared) -> list[int | None]:
    goals = p.case.goal_ids
    return [goals.index(c.goal) if c.goal in goals else None for c in p.case.criteria]


def guardrail_bounds(p: Prepared) -> list[deal.GuardrailBound]:
    return [
        deal.GuardrailBound(id=g.id, criterion=p.criteria.index(g.criterion), min=g.min, max=g.max)
        for g in p.case.guardrails
    ]


def crux_bounds(p: Prepared) -> Bounds:
    """The tightest guardrail minimum and maximum of every criterion."""
    bounds = Bounds.none(len(p.criteria))
    for g in p.case.guardrails:
        c = p.criteria.index(g.criterion)
        if g.min is not None:
            bounds.low[c] = max(bounds.low[c], float(g.min))
        if g.max is not None:
            bounds.high[c] = min(bounds.high[c], float(g.max))
    return bounds


def feasible_indices(p: Prepared, result: deal.Compromise | None) -> list[int]:
    """Options that keep every guardrail and fit the budget and capacity."""
    if result is None:
        return list(range(len(p.options)))
    return list(result.feasible)


def choice_section(p: Prepared, result: deal.Compromise | None) -> Choice | None:
    """The compromise step in ids; portfolios get no single recommendation."""
    if result is None:
        return None
    ids = p.options
    rec = result.recommendation
    recommendation = None
    if rec is not None and p.case.decision_kind != "portfolio":
        recommendation = Recommendation(
            option=ids[rec.option],
            basis="company goals"
            if any(g is not None for g in goal_indices(p))
            else "group utility",
            company_score=rec.company_score,
            residual_exposure=rec.residual_exposure,
            risks=[] if rec.risks is None else entries_of(p, rec.risks),
            sentence=rec.explanation,
        )  # fmt: skip
    guard_criterion = {g.id: g.criterion for g in p.case.guardrails}

    def violation(v: deal.Violation) -> Violation:
        return Violation(
            constraint=v.constraint,
            kind=v.kind,
            criterion=guard_criterion.get(v.constraint) if v.kind == "guardrail" else None,
            bound=v.bound,
            value=v.value,
            relative_change=v.relative_change,
            sentence=v.reason,
        )

    def pick(c: deal.Choice | None) -> Pick | None:
        return None if c is None else Pick(ids[c.option], c.value, [ids[t] for t in c.tied])

    return Choice(
        feasible=[ids[o] for o in result.feasible],
        excluded=[
            Exclusion(
                option=ids[e.option],
                violations=[violation(v) for v in e.violations],
                sentence="; ".join(v.reason for v in e.violations),
            )
            for e in result.excluded
        ],
        breach_risks=[
            BreachRisk(ids[b.option], b.guardrail, b.probability) for b in result.breach_risks
        ],
        pareto=[ids[o] for o in result.pareto],
        maximin=pick(result.maximin),
        nash=pick(result.nash),
        min_regret=pick(result.min_regret),
        recommendation=recommendation,
        relaxation=None
        if result.relaxation is None
        else Relaxation(
            option=ids[result.relaxation.option],
            changes=[violation(v) for v in result.relaxation.changes],
            largest_relative_change=result.relaxation.largest_relative_change,
            sentence=result.relaxation.explanation,
        ),
        sentence=result.message,
        notes=list(result.notes),
    )


def exclusion_changes(p: Prepared, result: deal.Compromise | None) -> dict[int, list[Change]]:
    """For each excluded option (index): the bound each broken constraint needs it to meet."""
    if result is None:
        return {}
    criterion_of = {g.id: g.criterion for g in p.case.guardrails}
    out: dict[int, list[Change]] = {}
    for e in result.excluded:
        out[e.option] = [
            Change(
                constraint=v.constraint,
                kind=v.kind,
                criterion=criterion_of.get(v.constraint) if v.kind == "guardrail" else None,
                current=v.value,
                bound=v.bound,
                direction="at most" if v.value > v.bound else "at least",
            )
            for v in e.violations
        ]
    return out
