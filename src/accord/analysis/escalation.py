"""Escalation checks: the path goes up and ends with someone who can settle the decision.

Pure: a :class:`~accord.model.case.Case` in, governance :class:`Finding` items out.  Every
judgement reads the stakeholders' ``authority`` (level, decide, fund), never the order of
the list, which says who is asked in turn and nothing about who may overrule whom.  Seed 001:
"escalate disagreements so we, as a leadership team, can unblock them"; seed 000: a RACI
"with an ultimate decision maker ... and escalation paths".  The rules:

* the path visits nobody twice (``[a, b, a, b]`` never reaches a final authority);
* each step goes to someone more senior than everyone asked before (a lower ``level`` is an
  error, the same level a warning: a peer cannot overrule a peer);
* the last person may decide (they are the decision owner, or ``decide: true``), may fund
  what the decision can commit (:func:`money_at_stake`), and ranks at least as high as the
  decision owner;
* where a stakeholder needed for these judgements has no ``authority``, a warning says the
  path cannot be fully judged, instead of trusting list order.
"""

from __future__ import annotations

from collections.abc import Iterator

from accord.analysis.plan_check import Finding
from accord.model.case import Case
from accord.model.stakeholders import Authority


def escalation_findings(case: Case) -> Iterator[Finding]:
    """Every escalation finding for ``case`` (see the module docstring for the rules).

    >>> from accord.model.case import Case
    >>> people = [
    ...     {"id": "lead", "name": "L", "authority": {"level": 2}},
    ...     {"id": "cmo", "name": "C", "authority": {"level": 5, "decide": True}},
    ... ]
    >>> case = Case(accord=1, id="c", title="T", question="Q?", stakeholders=people,
    ...             decision_owner="cmo", escalation=["cmo", "lead"])
    >>> [f.code for f in escalation_findings(case)]
    ['escalation-downward', 'escalation-dead-end']
    """
    path = case.escalation
    if not path:
        yield Finding(
            "warning",
            "no-escalation-path",
            "escalation",
            "There is no escalation path: when stakeholders stay stuck nobody knows who "
            "breaks the tie.",
            "List stakeholder ids in 'escalation:', ending with the final authority.",
        )
        return
    authority = {s.id: s.authority for s in case.stakeholders}
    yield from _loop(path)
    yield from _direction(path, authority)
    yield from _dead_end(case, authority)
    yield from _unjudged(case, authority)


def decision_owner(case: Case) -> str | None:
    """The stakeholder who decides: ``decision_owner``, else the one accountable stakeholder."""
    if case.decision_owner is not None:
        return case.decision_owner
    accountable = [s.id for s in case.stakeholders if s.raci == "accountable"]
    return accountable[0] if len(accountable) == 1 else None


def money_at_stake(case: Case) -> float | None:
    """The most the decision can commit, in the budget's currency; ``None`` when unknown.

    The budget caps it; below the cap, a choice commits at most its most expensive option
    and a portfolio at most all its options together.  An option without a cost could cost
    up to the whole budget, so then the budget is the figure.

    >>> from accord.model.case import Case
    >>> options = [{"id": "a", "name": "A", "cost": 40}, {"id": "b", "name": "B", "cost": 70}]
    >>> case = Case(accord=1, id="c", title="T", question="Q?", options=options,
    ...             budget={"amount": 100})
    >>> money_at_stake(case), money_at_stake(case.model_copy(update={"decision_kind": "portfolio"}))
    (70.0, 100.0)
    """
    budget = case.budget.amount if case.budget is not None else None
    known = [o.cost for o in case.options if o.cost is not None]
    if not known or (budget is not None and len(known) < len(case.options)):
        return budget
    most = sum(known) if case.decision_kind == "portfolio" else max(known)
    return most if budget is None else min(most, budget)


def _loop(path: list[str]) -> Iterator[Finding]:
    first: dict[str, int] = {}
    repeats: list[tuple[int, str]] = []
    for index, who in enumerate(path):
        if who in first:
            repeats.append((index, who))
        else:
            first[who] = index
    if not repeats:
        return
    again = ", ".join(f"'{who}' (escalation[{first[who]}] and [{i}])" for i, who in repeats)
    yield Finding(
        "error",
        "escalation-loop",
        f"escalation[{repeats[0][0]}]",
        f"The escalation path loops: it comes back to {again}, so it never reaches a final "
        "authority.",
        "List each stakeholder once, from the first person asked to the final authority.",
    )


def _direction(path: list[str], authority: dict[str, Authority | None]) -> Iterator[Finding]:
    # Compare with the most senior person asked so far: a -> b -> c with c below a is a step
    # down even when b's level is unknown.
    top: tuple[str, int] | None = None
    seen: set[str] = set()
    for index, who in enumerate(path):
        given = authority.get(who)
        if who in seen:
            continue  # a repeat is the loop finding's business
        seen.add(who)
        if given is None:
            continue
        if top is not None and given.level < top[1]:
            yield Finding(
                "error",
                "escalation-downward",
                f"escalation[{index}]",
                f"The escalation path goes down from '{top[0]}' (level {top[1]}) to '{who}' "
                f"(level {given.level}): someone more junior cannot overrule them.",
                "Order the path from the first person asked up to the most senior, or correct "
                "the authority levels.",
            )
        elif top is not None and given.level == top[1]:
            yield Finding(
                "warning",
                "escalation-sideways",
                f"escalation[{index}]",
                f"'{who}' (level {given.level}) is no more senior than '{top[0]}' before them "
                "in the escalation path: a peer cannot overrule a peer.",
                "Escalate to someone more senior, or drop the step if it is only a hand-over.",
            )
        if top is None or given.level > top[1]:
            top = (who, given.level)


def _dead_end(case: Case, authority: dict[str, Authority | None]) -> Iterator[Finding]:
    final = case.escalation[-1]
    given = authority.get(final)
    if given is None:
        return  # not judged; _unjudged says so
    owner = decision_owner(case)
    currency = f" {case.budget.currency}" if case.budget is not None else ""
    stake = money_at_stake(case)
    lacks: list[str] = []
    if final != owner and not given.decide:
        lacks.append("may not decide")
    if stake is not None and given.fund < stake:
        lacks.append(
            f"may fund only {_money(given.fund)}{currency} of the {_money(stake)}{currency} "
            "the decision can commit"
        )
    above = authority.get(owner) if owner is not None else None
    if final != owner and above is not None and given.level < above.level:
        lacks.append(
            f"ranks below the decision owner '{owner}' (level {given.level} < {above.level})"
        )
    if lacks:
        need = f" and fund {_money(stake)}{currency}" if stake else ""
        yield Finding(
            "error",
            "escalation-dead-end",
            f"escalation[{len(case.escalation) - 1}]",
            f"The escalation path ends at '{final}', who {', and '.join(lacks)}: nobody on it "
            "can settle the decision.",
            f"End the path with someone who may decide{need} and ranks at least as high as "
            "the decision owner.",
        )


def _unjudged(case: Case, authority: dict[str, Authority | None]) -> Iterator[Finding]:
    needed = list(dict.fromkeys(case.escalation))
    owner = decision_owner(case)
    if owner is not None and owner != case.escalation[-1] and owner not in needed:
        needed.append(owner)  # the final authority must rank at least as high as the owner
    missing = [who for who in needed if authority.get(who) is None]
    if not missing:
        return
    if all(given is None for given in authority.values()):
        message = (
            "No stakeholder has an authority block (level, decide, fund), so accord cannot "
            "tell whether the escalation path goes up and ends with someone who may decide and "
            "fund; the order of the list is not evidence of either."
        )
    else:
        names = ", ".join(f"'{who}'" for who in missing)
        message = (
            f"The escalation path cannot be fully judged: no authority (level, decide, fund) "
            f"is given for {names}, and list order is not taken as seniority."
        )
    yield Finding(
        "warning",
        "escalation-unjudged",
        "escalation",
        message,
        "Give each of them 'authority: {level: N, decide: true or false, fund: AMOUNT}'.",
    )


def _money(amount: float) -> str:
    return f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
