"""Governance checks on a case: ownership, escalation, RACI, decision record, actions.

Pure: a :class:`~accord.model.case.Case` and the date to judge against in, a
:class:`Governance` result out.  ``ok`` is false when any finding is an error; ``accord
analyze`` then exits 1.  The rules and their sources:

* one accountable decision owner (RACI: exactly one "A" per decision; PMI *PMBOK Guide*);
  every recorded decision names its accountable person, and it is the decision owner;
* an escalation path visits nobody twice, goes up in seniority at every step and ends with
  someone who may decide and fund the decision, judged on each stakeholder's ``authority``
  and never on list order (:mod:`accord.analysis.escalation`; seed 001: "escalate ... so
  we, as a leadership team, can unblock them");
* consulted and informed stakeholders are named (RACI);
* every action has an owner, a deadline, a success metric and a binary ``done`` (seed 003:
  "each decision linked to an owner, deadline, and success metric");
* every decision records dissent (``dissent: []`` when nobody dissented) and a review date;
* assumptions whose check date has come are listed as due;
* a decision is flagged for **re-opening** when an accepted fact contradicts one of its
  assumptions.

Matching an assumption to a fact: the assumption's ``metric`` names a criterion (its id, or
its name compared case-insensitively); a fact bears on the assumption when it has a numeric
``value`` and ``informs`` that criterion for one of the options the decision chose.  The
fact contradicts the assumption when ``value`` fails the ``threshold`` (``>= 60``, ``> 60``,
``<= 5``, ``< 5``, ``== 3``, ``!= 3``, or a range ``55..65``).  A fact is accepted when at
least one stakeholder accepts it and nobody disputes it; a disputed fact that contradicts an
assumption is reported as a warning (settle the fact first), not as a re-opening.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from accord.analysis.escalation import escalation_findings
from accord.analysis.plan_check import Finding, metric_key
from accord.model.case import Case
from accord.model.facts import Fact
from accord.model.records import Assumption, Decision


@dataclass(frozen=True)
class AssumptionDue:
    """An assumption whose check date has come (on or before the review date)."""

    decision: str
    assumption: str
    statement: str
    owner: str | None
    check_date: str
    days_overdue: int


@dataclass(frozen=True)
class Reopening:
    """A decision to re-open: an accepted fact contradicts an assumption it rests on."""

    decision: str
    assumption: str
    statement: str
    threshold: str
    fact: str
    fact_statement: str
    value: float
    source: str


@dataclass(frozen=True)
class Governance:
    """Governance findings for one case, judged on ``today``."""

    ok: bool
    today: str
    errors: int
    warnings: int
    findings: list[Finding]
    assumptions_due: list[AssumptionDue]
    reopen: list[Reopening]
    overdue_actions: list[str]


_OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    "!=": operator.ne,
    "==": operator.eq,
    ">": operator.gt,
    "<": operator.lt,
    "=": operator.eq,
}
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"


def threshold_test(threshold: str) -> Callable[[float], bool] | None:
    """Read ``">= 60"``, ``"< 5"``, ``"55..65"`` (inclusive) into a test; ``None`` if unreadable.

    >>> test = threshold_test(">= 60")
    >>> test(59.5), test(60.0)
    (False, True)
    >>> threshold_test("55..65")(70.0)
    False
    """
    text = threshold.strip().replace("%", "")
    ranged = re.fullmatch(rf"({_NUMBER})\s*\.\.\s*({_NUMBER})", text)
    if ranged:
        low, high = float(ranged.group(1)), float(ranged.group(2))
        return lambda value: low <= value <= high
    compared = re.fullmatch(rf"(>=|<=|!=|==|>|<|=)\s*({_NUMBER})", text)
    if compared:
        test, bound = _OPERATORS[compared.group(1)], float(compared.group(2))
        return lambda value: test(value, bound)
    return None


def check_governance(case: Case, today: dt.date) -> Governance:
    """Every governance check on ``case``, with dates judged against ``today``.

    >>> from accord.model.case import Case
    >>> case = Case(accord=1, id="c", title="T", question="Q?")
    >>> [f.code for f in check_governance(case, dt.date(2027, 1, 1)).findings]
    ['no-decision-owner', 'no-escalation-path', 'no-consulted', 'no-informed']
    """
    findings = list(_owner(case))
    findings += list(escalation_findings(case))
    findings += list(_raci_lists(case))
    findings += list(_decisions(case, today))
    overdue = [a.id for a in case.actions if _overdue(a.deadline, a.done, today)]
    findings += list(_actions(case, today))
    due = list(_assumptions_due(case, today))
    findings += [
        Finding(
            "warning",
            "assumption-due",
            f"decisions[{_decision_index(case, d.decision)}].assumptions",
            f"Assumption '{d.assumption}' of decision '{d.decision}' was due for checking on "
            f"{d.check_date} ({d.statement}).",
            f"{d.owner or 'Its owner'} checks it and records the result as a fact.",
        )
        for d in due
    ]
    reopen, contested = _reopenings(case)
    findings += contested
    findings += [
        Finding(
            "error",
            "decision-reopen",
            f"decisions[{_decision_index(case, r.decision)}]",
            f"Re-open decision '{r.decision}': fact '{r.fact}' ({r.fact_statement}: {r.value:g}) "
            f"contradicts assumption '{r.assumption}' ({r.statement}; needs {r.threshold}).",
            "Put the decision back on the agenda with the accountable owner.",
        )
        for r in reopen
    ]
    errors = sum(1 for f in findings if f.severity == "error")
    return Governance(
        ok=errors == 0,
        today=today.isoformat(),
        errors=errors,
        warnings=len(findings) - errors,
        findings=findings,
        assumptions_due=due,
        reopen=reopen,
        overdue_actions=overdue,
    )


def _decision_index(case: Case, decision_id: str) -> int:
    return next(i for i, d in enumerate(case.decisions) if d.id == decision_id)


def _overdue(deadline: dt.date | None, done: bool, today: dt.date) -> bool:
    return deadline is not None and not done and deadline < today


def _accountable(case: Case) -> list[str]:
    return [s.id for s in case.stakeholders if s.raci == "accountable"]


def _owner(case: Case) -> Iterator[Finding]:
    accountable = _accountable(case)
    owner = case.decision_owner
    if len(accountable) > 1:
        yield Finding(
            "error",
            "accountable-count",
            "stakeholders",
            f"{len(accountable)} stakeholders are accountable ({', '.join(accountable)}); "
            "with two people accountable nobody is.",
            "Keep 'raci: accountable' on the decision owner only; make the others consulted.",
        )
    if owner is None:
        if len(accountable) == 1:
            yield Finding(
                "warning",
                "decision-owner-implied",
                "decision_owner",
                f"No decision_owner is set; '{accountable[0]}' is the only accountable "
                "stakeholder, so they are taken to decide.",
                f"Write 'decision_owner: {accountable[0]}'.",
            )
        else:
            yield Finding(
                "error",
                "no-decision-owner",
                "decision_owner",
                "Nobody owns this decision: there is no decision_owner and no single "
                "accountable stakeholder.",
                "Set 'decision_owner:' to the stakeholder who makes the final call.",
            )
        return
    if len(accountable) == 1 and accountable[0] != owner:
        yield Finding(
            "error",
            "owner-not-accountable",
            "decision_owner",
            f"The decision owner is '{owner}' but the accountable stakeholder is "
            f"'{accountable[0]}'.",
            "Make the decision owner the one accountable stakeholder.",
        )
    elif not accountable:
        yield Finding(
            "warning",
            "owner-raci-missing",
            "stakeholders",
            f"The decision owner '{owner}' is not marked accountable in the RACI.",
            f"Give stakeholder '{owner}' 'raci: accountable'.",
        )


def _raci_lists(case: Case) -> Iterator[Finding]:
    for role in ("consulted", "informed"):
        if not any(s.raci == role for s in case.stakeholders):
            yield Finding(
                "warning",
                f"no-{role}",
                "stakeholders",
                f"No stakeholder is marked {role}; say explicitly who is {role} so nobody "
                "is surprised by the decision.",
                f"Give the relevant stakeholders 'raci: {role}'.",
            )
    missing = [s.id for s in case.stakeholders if s.raci is None]
    if missing:
        yield Finding(
            "warning",
            "raci-missing",
            "stakeholders",
            f"Stakeholders without a RACI role: {', '.join(missing)}.",
            "Give every stakeholder responsible, accountable, consulted or informed.",
        )


def _decisions(case: Case, today: dt.date) -> Iterator[Finding]:
    owner = case.decision_owner
    for index, decision in enumerate(case.decisions):
        where = f"decisions[{index}]"
        if decision.accountable is None:
            yield Finding(
                "error",
                "decision-no-accountable",
                f"{where}.accountable",
                f"Decision '{decision.id}' does not say who was accountable for it.",
                f"Write 'accountable: {owner or '<stakeholder id>'}'.",
            )
        elif owner is not None and decision.accountable != owner:
            yield Finding(
                "error",
                "decision-accountable-mismatch",
                f"{where}.accountable",
                f"Decision '{decision.id}' names '{decision.accountable}' as accountable, but "
                f"the decision owner is '{owner}'.",
                "Record the decision under the decision owner, or change the decision owner.",
            )
        if "dissent" not in decision.model_fields_set:
            yield Finding(
                "warning",
                "decision-dissent-unrecorded",
                f"{where}.dissent",
                f"Decision '{decision.id}' does not record dissent; an empty record and a "
                "forgotten one look the same.",
                "Write 'dissent: []' when nobody dissented.",
            )
        if decision.rationale is None:
            yield Finding(
                "warning",
                "decision-no-rationale",
                f"{where}.rationale",
                f"Decision '{decision.id}' records no rationale.",
                "Say in one or two sentences why this option was chosen.",
            )
        if decision.review_date is None:
            yield Finding(
                "error",
                "decision-no-review-date",
                f"{where}.review_date",
                f"Decision '{decision.id}' has no review date, so nobody will check whether "
                "it worked.",
                "Set 'review_date:' (the default cadence reviews every 30 days).",
            )
        elif decision.review_date <= today:
            yield Finding(
                "warning",
                "decision-review-due",
                f"{where}.review_date",
                f"Decision '{decision.id}' was due for review on {decision.review_date}.",
                "Hold the review and record its outcome.",
            )
        for j, assumption in enumerate(decision.assumptions):
            missing = [
                name
                for name in ("owner", "metric", "threshold", "check_date")
                if getattr(assumption, name) is None
            ]
            if missing:
                yield Finding(
                    "warning",
                    "assumption-untestable",
                    f"{where}.assumptions[{j}].{missing[0]}",
                    f"Assumption '{assumption.id}' cannot be tested: {', '.join(missing)} missing.",
                    "Give it an owner, a metric, a threshold such as '>= 60' and a check date.",
                )
            elif threshold_test(assumption.threshold or "") is None:
                yield Finding(
                    "warning",
                    "assumption-threshold-unreadable",
                    f"{where}.assumptions[{j}].threshold",
                    f"Threshold {assumption.threshold!r} of assumption '{assumption.id}' "
                    "cannot be read.",
                    "Write it as '>= 60', '< 5', '== 3' or '55..65'.",
                )


def _actions(case: Case, today: dt.date) -> Iterator[Finding]:
    for index, action in enumerate(case.actions):
        where = f"actions[{index}]"
        for name, why in (
            ("deadline", "nobody can tell when it is late"),
            ("metric", "nobody can tell when it is done"),
        ):
            if getattr(action, name) is None:
                yield Finding(
                    "error",
                    f"action-no-{name}",
                    f"{where}.{name}",
                    f"Action '{action.id}' has no {name}, so {why}.",
                    f"Give it a {name}.",
                )
        if _overdue(action.deadline, action.done, today):
            yield Finding(
                "warning",
                "action-overdue",
                f"{where}.deadline",
                f"Action '{action.id}' ({action.owner}) was due {action.deadline} and is not done.",
                "Finish it, or agree a new deadline at the next review.",
            )


def _assumptions_due(case: Case, today: dt.date) -> Iterator[AssumptionDue]:
    for decision in case.decisions:
        for assumption in decision.assumptions:
            if assumption.check_date is not None and assumption.check_date <= today:
                yield AssumptionDue(
                    decision=decision.id,
                    assumption=assumption.id,
                    statement=assumption.statement,
                    owner=assumption.owner,
                    check_date=assumption.check_date.isoformat(),
                    days_overdue=(today - assumption.check_date).days,
                )


def criterion_for_metric(case: Case, metric: str) -> str | None:
    """The criterion an assumption's metric names: by id, else by name (case-insensitive)."""
    for criterion in case.criteria:
        if criterion.id == metric:
            return criterion.id
    for criterion in case.criteria:
        if metric_key(criterion.name) == metric_key(metric):
            return criterion.id
    return None


def _bearing_facts(case: Case, decision: Decision, assumption: Assumption) -> list[Fact]:
    if assumption.metric is None:
        return []
    criterion = criterion_for_metric(case, assumption.metric)
    chosen = set(decision.option_ids)
    return [
        fact
        for fact in case.facts
        if fact.value is not None
        and any(ref.criterion == criterion and ref.option in chosen for ref in fact.informs)
    ]


def _reopenings(case: Case) -> tuple[list[Reopening], list[Finding]]:
    reopen: list[Reopening] = []
    contested: list[Finding] = []
    for index, decision in enumerate(case.decisions):
        for assumption in decision.assumptions:
            test = threshold_test(assumption.threshold or "")
            if test is None:
                continue
            for fact in _bearing_facts(case, decision, assumption):
                value = float(fact.value or 0.0)
                if test(value):
                    continue
                if fact.accepted_by and not fact.disputed_by:
                    reopen.append(
                        Reopening(
                            decision=decision.id,
                            assumption=assumption.id,
                            statement=assumption.statement,
                            threshold=str(assumption.threshold),
                            fact=fact.id,
                            fact_statement=fact.statement,
                            value=value,
                            source=fact.source,
                        )
                    )
                else:
                    contested.append(
                        Finding(
                            "warning",
                            "assumption-contested",
                            f"decisions[{index}].assumptions",
                            f"Fact '{fact.id}' ({value:g}) contradicts assumption "
                            f"'{assumption.id}' of decision '{decision.id}', but the fact is "
                            "not accepted by everyone yet.",
                            "Settle the fact (who accepts, who disputes, why); if it stands, "
                            "the decision re-opens.",
                        )
                    )
    return reopen, contested
