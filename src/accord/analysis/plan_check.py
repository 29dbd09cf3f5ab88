"""Checks on a plan (OKR, V2MOM, project charter): pure, no I/O.

Each check returns :class:`Finding` items: a severity (``error`` fails the check,
``warning`` informs), a stable ``code``, the field path it is about, a plain-language
explanation and a hint for the fix.  The rules and where they come from:

* priorities are numbered and the numbering is the list order (seed 003: "which will we
  deliberately deprioritize?" only works when the order is explicit);
* a key result is measurable: metric, baseline, target and deadline (Doerr, *Measure What
  Matters*, 2018);
* key results are consistent: no two push the same metric in opposite directions and none
  breaks a declared guardrail (seed 001: "grow X while keeping Y within guardrails");
* initiatives serve an objective (an id that does not exist is a parse error, see
  :meth:`accord.model.plan.Plan.reference_problems`); committed demand fits capacity and
  budget, or something is explicitly de-prioritised (seed 003);
* a charter has time-bound goals, deliverables, dated milestones, a feedback schedule and
  exactly one accountable role (seed 002; PMI *PMBOK Guide* 7th ed.; RACI).

Metrics are matched by name after case-folding and collapsing whitespace, so
``"Gross margin"`` and ``"gross  margin"`` are the same metric and ``"Gross margin %"``
is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from accord.model.plan import FRAMEWORK_SECTIONS, Measure, Plan

Severity = Literal["error", "warning"]

# More than this many ranked priorities and "priority" stops meaning anything
# (Doerr 2018 recommends three to five objectives).
MAX_PRIORITIES = 5
MAX_KEY_RESULTS = 5


@dataclass(frozen=True)
class Finding:
    """One thing a plan check found."""

    severity: Severity
    code: str
    field: str
    message: str
    hint: str


@dataclass(frozen=True)
class PlanCheck:
    """All findings for one plan; ``passed`` is true when there is no error."""

    framework: str
    title: str
    passed: bool
    errors: int
    warnings: int
    findings: list[Finding]


def metric_key(metric: str) -> str:
    """The key two metrics are matched on: case-folded, whitespace collapsed.

    >>> metric_key("  Gross   Margin ")
    'gross margin'
    """
    return re.sub(r"\s+", " ", metric.strip()).casefold()


def effective_direction(measure: Measure) -> str | None:
    """The declared direction, else the sign of ``target - baseline``, else ``None``.

    >>> effective_direction(Measure(id="kr", baseline=10, target=12))
    'increase'
    """
    if measure.direction is not None:
        return measure.direction
    if measure.baseline is None or measure.target is None:
        return None
    if measure.target > measure.baseline:
        return "increase"
    if measure.target < measure.baseline:
        return "decrease"
    return "maintain"


def check_plan(plan: Plan) -> PlanCheck:
    """Run every check that applies to ``plan``'s framework.

    A plan passes when no finding has severity ``error``.

    >>> from accord.model.plan import Objective, Priority
    >>> plan = Plan(accord=1, kind="plan", framework="okr", title="Q1",
    ...     priorities=[Priority(id="p1", statement="Grow", rank=1)],
    ...     objectives=[Objective(id="grow", statement="Grow",
    ...         key_results=[Measure(id="kr1", metric="ARR", baseline=10, target=12)])])
    >>> [f.code for f in check_plan(plan).findings]
    ['kr-not-measurable']
    """
    findings = list(_all_findings(plan))
    errors = sum(1 for f in findings if f.severity == "error")
    return PlanCheck(
        framework=plan.framework,
        title=plan.title,
        passed=errors == 0,
        errors=errors,
        warnings=len(findings) - errors,
        findings=findings,
    )


def _all_findings(plan: Plan) -> Iterator[Finding]:
    yield from _sections(plan)
    yield from _priorities(plan)
    measures = list(_measures(plan))
    for field, measure in measures:
        yield from _measurable(field, measure, plan)
    yield from _conflicting(measures)
    yield from _guardrails(plan, measures)
    yield from _initiatives(plan)
    yield from _capacity(plan)
    yield from _raci(plan)
    if plan.framework == "okr":
        yield from _okr(plan)
    elif plan.framework == "v2mom":
        yield from _v2mom(plan)
    else:
        yield from _charter(plan)


def _error(code: str, field: str, message: str, hint: str) -> Finding:
    return Finding("error", code, field, message, hint)


def _warning(code: str, field: str, message: str, hint: str) -> Finding:
    return Finding("warning", code, field, message, hint)


def _sections(plan: Plan) -> Iterator[Finding]:
    allowed = FRAMEWORK_SECTIONS[plan.framework]
    for name in plan.used_sections():
        if name not in allowed:
            owners = sorted(f for f, s in FRAMEWORK_SECTIONS.items() if name in s)
            yield _warning(
                "section-not-in-framework",
                name,
                f"'{name}' belongs to {' / '.join(owners)} plans, not to a "
                f"{plan.framework} plan, so no check reads it.",
                f"Remove '{name}' or set framework to {' or '.join(owners)}.",
            )


def _ranked(
    items: Sequence[tuple[str, int | None]], list_name: str, what: str
) -> Iterator[Finding]:
    """Ranks must be 1..n in list order: the order on the page is the priority."""
    if len(items) > MAX_PRIORITIES:
        yield _warning(
            "too-many-priorities",
            list_name,
            f"{len(items)} {list_name} are ranked; with more than {MAX_PRIORITIES} the ranking "
            "stops guiding trade-offs.",
            f"Keep the top {MAX_PRIORITIES} and de-prioritise the rest explicitly.",
        )
    seen: dict[int, int] = {}
    for index, (ident, rank) in enumerate(items):
        field = f"{list_name}[{index}].rank"
        if rank is None:
            yield _error(
                "priority-unnumbered",
                field,
                f"{what.capitalize()} '{ident}' has no rank number; order is priority, "
                "so every item is numbered.",
                f"Add 'rank: {index + 1}'.",
            )
            continue
        if rank in seen:
            yield _error(
                "priority-rank-tie",
                field,
                f"'{ident}' shares rank {rank} with {list_name}[{seen[rank]}]; two items with "
                "the same rank leave the trade-off undecided.",
                "Decide which comes first and number them 1, 2, 3 ... without ties.",
            )
            continue
        seen[rank] = index
        if rank != index + 1:
            yield _error(
                "priority-rank-order",
                field,
                f"'{ident}' is item {index + 1} in the list but has rank {rank}; the list "
                "order and the numbering disagree.",
                f"Reorder the list or set 'rank: {index + 1}'.",
            )


def _priorities(plan: Plan) -> Iterator[Finding]:
    if plan.framework == "v2mom":
        # In a V2MOM the methods are the ranked priorities (Benioff & Adler 2009).
        yield from _ranked([(m.id, m.rank) for m in plan.methods], "methods", "method")
    if not plan.priorities and plan.framework != "v2mom":
        yield _error(
            "no-priorities",
            "priorities",
            "The plan lists no priorities, so nobody can tell what wins when time runs short.",
            "Add 'priorities:' as a numbered list, most important first.",
        )
    yield from _ranked([(p.id, p.rank) for p in plan.priorities], "priorities", "priority")


def _measures(plan: Plan) -> Iterator[tuple[str, Measure]]:
    for i, objective in enumerate(plan.objectives):
        for j, kr in enumerate(objective.key_results):
            yield f"objectives[{i}].key_results[{j}]", kr
    for i, measure in enumerate(plan.measures):
        yield f"measures[{i}]", measure
    for i, goal in enumerate(plan.goals):
        yield f"goals[{i}]", goal


def _measurable(field: str, measure: Measure, plan: Plan) -> Iterator[Finding]:
    missing = [
        name
        for name in ("metric", "baseline", "target", "deadline")
        if getattr(measure, name) is None
    ]
    if missing:
        yield _error(
            "kr-not-measurable",
            f"{field}.{missing[0]}",
            f"'{measure.id}' is not measurable: {', '.join(missing)} missing. Without them "
            "nobody can say at the review whether it was met.",
            "Give metric, baseline (where we are), target (where we commit to be) and deadline.",
        )
    direction = measure.direction
    if direction is not None and measure.baseline is not None and measure.target is not None:
        gap = measure.target - measure.baseline
        contradicts = (
            (direction == "increase" and gap <= 0)
            or (direction == "decrease" and gap >= 0)
            or (direction == "maintain" and gap != 0)
        )
        if contradicts:
            yield _error(
                "kr-direction-mismatch",
                f"{field}.direction",
                f"'{measure.id}' says {direction} but goes from {measure.baseline:g} to "
                f"{measure.target:g}.",
                "Fix the direction or the target so they agree.",
            )
    end = plan.period.end if plan.period is not None else None
    if end is not None and measure.deadline is not None and measure.deadline > end:
        yield _warning(
            "deadline-after-period",
            f"{field}.deadline",
            f"'{measure.id}' is due {measure.deadline}, after the plan period ends ({end}).",
            "Move the deadline inside the period or say which later plan owns it.",
        )


def _conflicting(measures: Sequence[tuple[str, Measure]]) -> Iterator[Finding]:
    """Two measures on the same metric, one pushing up and one pushing down."""
    by_metric: dict[str, list[tuple[str, Measure, str]]] = {}
    for field, measure in measures:
        direction = effective_direction(measure)
        if measure.metric is None or direction not in ("increase", "decrease"):
            continue
        by_metric.setdefault(metric_key(measure.metric), []).append((field, measure, direction))
    for items in by_metric.values():
        ups = [item for item in items if item[2] == "increase"]
        downs = [item for item in items if item[2] == "decrease"]
        for up_field, up, _ in ups:
            for down_field, down, _ in downs:
                # Report on the later of the two so the first-written one reads as the anchor.
                later_field = max(up_field, down_field, key=_field_order)
                yield _error(
                    "kr-conflict",
                    f"{later_field}.metric",
                    f"'{up.id}' ({up_field}) pushes {up.metric} up while '{down.id}' "
                    f"({down_field}) pushes it down; both cannot be met.",
                    f"Agree one direction for {up.metric}, or make one of them a guardrail "
                    "(a bound) instead of a target.",
                )


def _field_order(field: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", field))


def _guardrails(plan: Plan, measures: Sequence[tuple[str, Measure]]) -> Iterator[Finding]:
    for g_index, guardrail in enumerate(plan.guardrails):
        key = metric_key(guardrail.metric)
        for field, measure in measures:
            if measure.metric is None or measure.target is None:
                continue
            if metric_key(measure.metric) != key:
                continue
            below = guardrail.min is not None and measure.target < guardrail.min
            above = guardrail.max is not None and measure.target > guardrail.max
            if below or above:
                bound = f"min {guardrail.min:g}" if below else f"max {guardrail.max:g}"
                yield _error(
                    "guardrail-broken",
                    f"{field}.target",
                    f"'{measure.id}' targets {measure.metric} = {measure.target:g}, which breaks "
                    f"guardrail '{guardrail.id}' (guardrails[{g_index}], {bound}).",
                    "Change the target to respect the guardrail, or renegotiate the guardrail "
                    "with its owner first.",
                )


def _initiatives(plan: Plan) -> Iterator[Finding]:
    what = "method" if plan.framework == "v2mom" else "objective"
    for index, initiative in enumerate(plan.initiatives):
        field = f"initiatives[{index}]"
        if not initiative.objectives:
            yield _error(
                "initiative-unlinked",
                f"{field}.objectives",
                f"Initiative '{initiative.id}' serves no {what}; work that serves no {what} "
                "competes for capacity without a reason.",
                f"List the {what} id(s) it serves under 'objectives:', or de-prioritise it.",
            )
        if initiative.deprioritised and initiative.reason is None:
            yield _warning(
                "deprioritised-without-reason",
                f"{field}.reason",
                f"'{initiative.id}' is de-prioritised without a reason.",
                "Say why in 'reason:' so the team that proposed it hears it.",
            )


def _capacity(plan: Plan) -> Iterator[Finding]:
    committed = [(i, x) for i, x in enumerate(plan.initiatives) if not x.deprioritised]
    any_deprioritised = any(x.deprioritised for x in plan.initiatives)
    limits = []
    if plan.capacity is not None:
        limits.append(("capacity", "effort", plan.capacity.amount, plan.capacity.unit))
    if plan.budget is not None:
        limits.append(("budget", "cost", plan.budget.amount, plan.budget.currency))
    for section, attribute, amount, unit in limits:
        demand = 0.0
        for index, initiative in committed:
            value = getattr(initiative, attribute)
            if value is None:
                yield _warning(
                    f"{attribute}-missing",
                    f"initiatives[{index}].{attribute}",
                    f"'{initiative.id}' has no {attribute}, so {section} cannot be checked fully.",
                    f"Estimate its {attribute} in {unit}.",
                )
            else:
                demand += float(value)
        if demand <= amount:
            continue
        over = f"Committed initiatives need {demand:g} {unit} but the {section} is {amount:g}"
        if any_deprioritised:
            yield _error(
                f"over-{section}",
                section,
                over + " even after the de-prioritised ones are set aside.",
                f"De-prioritise more (about {demand - amount:g} {unit}) or raise the {section}.",
            )
        else:
            yield _error(
                f"over-{section}-no-deprioritisation",
                section,
                over + " and nothing is marked de-prioritised: the trade-off is left to chance.",
                "Mark the initiatives you will not do with 'deprioritised: true' and a reason.",
            )


def _raci(plan: Plan) -> Iterator[Finding]:
    if not plan.roles and plan.framework != "charter":
        return
    accountable = [r.id for r in plan.roles if r.raci == "accountable"]
    if len(accountable) != 1:
        found = "nobody" if not accountable else ", ".join(accountable)
        yield _error(
            "accountable-count",
            "roles",
            f"Exactly one role must be accountable; found {found}. One accountable owner is "
            "what makes a decision final (RACI).",
            "Give 'raci: accountable' to exactly one role; others are responsible, consulted "
            "or informed.",
        )


def _missing(code: str, field: str, message: str, hint: str) -> Finding:
    return _error(code, field, message, hint)


def _okr(plan: Plan) -> Iterator[Finding]:
    if not plan.objectives:
        yield _missing(
            "no-objectives",
            "objectives",
            "An OKR plan without objectives has nothing to measure.",
            "Add objectives, each with measurable key results.",
        )
    for index, objective in enumerate(plan.objectives):
        count = len(objective.key_results)
        if count == 0:
            yield _error(
                "objective-without-key-results",
                f"objectives[{index}].key_results",
                f"Objective '{objective.id}' has no key results, so nobody can tell when it "
                "is achieved.",
                "Add two to five measurable key results.",
            )
        elif count > MAX_KEY_RESULTS:
            yield _warning(
                "too-many-key-results",
                f"objectives[{index}].key_results",
                f"Objective '{objective.id}' has {count} key results; more than "
                f"{MAX_KEY_RESULTS} dilutes focus.",
                "Keep the ones that best prove the objective is met.",
            )


def _v2mom(plan: Plan) -> Iterator[Finding]:
    required = [
        ("vision", "no-vision", "There is no vision: what do we want to achieve?"),
        ("values", "no-values", "There are no values: what matters while we pursue it?"),
        ("methods", "no-methods", "There are no methods: how will we get there?"),
        ("measures", "no-measures", "There are no measures: how will we know we got there?"),
    ]
    for section, code, message in required:
        if not getattr(plan, section):
            yield _missing(code, section, message, f"Add '{section}:' to the plan.")
    if not plan.obstacles:
        yield _warning(
            "no-obstacles",
            "obstacles",
            "No obstacles are named; every plan has some, and naming them is half the work.",
            "List what stands in the way of each method.",
        )


def _charter(plan: Plan) -> Iterator[Finding]:
    required = [
        ("objectives", "no-objectives", "The charter states no agreed objectives."),
        (
            "goals",
            "no-goals",
            "The charter has no time-bound goals (e.g. +10% conversion in 6 months).",
        ),
        ("deliverables", "no-deliverables", "The charter lists no deliverables."),
        ("milestones", "no-milestones", "The charter has no milestones."),
        (
            "communication",
            "no-feedback-schedule",
            "The charter has no feedback / "
            "communication schedule: stakeholders will not hear about progress.",
        ),
    ]
    for section, code, message in required:
        if not getattr(plan, section):
            yield _missing(code, section, message, f"Add '{section}:' to the charter.")
    if not plan.scope:
        yield _warning(
            "no-scope",
            "scope",
            "The charter does not say what is in scope.",
            "List what is in scope (and what is out of scope).",
        )
    for index, milestone in enumerate(plan.milestones):
        if milestone.date is None:
            yield _error(
                "milestone-undated",
                f"milestones[{index}].date",
                f"Milestone '{milestone.id}' has no date, so nobody can tell if it slipped.",
                "Give it a date (YYYY-MM-DD).",
            )
    end = plan.period.end if plan.period is not None else None
    for index, deliverable in enumerate(plan.deliverables):
        field = f"deliverables[{index}]"
        if deliverable.owner is None:
            yield _warning(
                "deliverable-without-owner",
                f"{field}.owner",
                f"Deliverable '{deliverable.id}' has no owner.",
                "Name who delivers it.",
            )
        if end is not None and deliverable.due is not None and deliverable.due > end:
            yield _warning(
                "deadline-after-period",
                f"{field}.due",
                f"Deliverable '{deliverable.id}' is due {deliverable.due}, after the plan "
                f"period ends ({end}).",
                "Move it inside the period or extend the period.",
            )
    for index, line in enumerate(plan.communication):
        if line.every is None and line.every_days is None:
            yield _error(
                "feedback-no-frequency",
                f"communication[{index}].every",
                f"Feedback to '{line.audience}' has no frequency, so it is not a schedule.",
                "Set 'every: weekly|biweekly|monthly|quarterly' or 'every_days: N'.",
            )
    for index, risk in enumerate(plan.risks):
        if risk.mitigation is None or risk.owner is None:
            yield _warning(
                "risk-unmitigated",
                f"risks[{index}]",
                f"Risk '{risk.id}' has no {'mitigation' if risk.mitigation is None else 'owner'}.",
                "Give each risk a mitigation and an owner.",
            )
