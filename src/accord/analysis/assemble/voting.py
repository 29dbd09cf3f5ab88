"""Every group decision rule over the stakeholders' rankings, and whether the rule matters."""

from __future__ import annotations

from collections.abc import Collection

from accord.analysis.assemble.context import Prepared
from accord.analysis.sections.people import StakeholderView
from accord.analysis.sections.voting import RuleResult, Voting


def voting_section(
    p: Prepared, people: list[StakeholderView], feasible: Collection[int]
) -> Voting | None:
    """Rules over stated rankings, else the rankings the stakeholders' weights give
    (over every option: the sentence marks a winner that is excluded)."""
    from accord.analysis.voting import rule_robustness
    from accord.model.ballots import Profile

    rankings: dict[str, list[list[str]]] = {}
    derived: list[str] = []
    for view in people:
        if view.stated_ranking:
            rankings[view.id] = view.stated_ranking
        elif view.ranking:
            rankings[view.id] = view.ranking
            derived.append(view.id)
    if not rankings or not p.options:
        return None
    inputs = p.case.inputs
    names = dict(zip(p.options, p.arrays.option_names, strict=True))
    profile = Profile.from_rankings(
        names,
        rankings,
        approvals={s: list(i.approvals) for s, i in inputs.items() if i.approvals} or None,
        ratings={s: dict(i.ratings) for s, i in inputs.items() if i.ratings} or None,
        dots={s: dict(i.dots) for s, i in inputs.items() if i.dots} or None,
        dots_budget=p.case.dots_budget,
        title=p.case.title,
    )
    robustness = rule_robustness(profile)
    rules = [
        RuleResult(
            rule=rule,
            winners=list(outcome.winners),
            ranking=None if outcome.ranking is None else [list(t) for t in outcome.ranking],
            tie_broken_by=outcome.tie_broken_by,
            notes=list(outcome.notes),
        )
        for rule, outcome in robustness.outcomes.items()
    ]
    first = next(iter(robustness.outcomes.values()), None)
    sets = {tuple(r.winners) for r in rules}
    person = {v.id: v.name for v in people}
    return Voting(
        rules=rules,
        skipped=dict(robustness.skipped),
        condorcet_winner=None if first is None else first.condorcet_winner,
        majority_cycle=False if first is None else first.majority_cycle,
        rule_matters=len(sets) > 1,
        derived_from_weights=derived,
        unranked=robustness.unranked,
        sentence=voting_sentence(
            rules,
            dict(zip(p.options, p.option_labels(feasible), strict=True)),
            [person[s] for s in derived],
        ),
    )


def voting_sentence(rules: list[RuleResult], names: dict[str, str], derived: list[str]) -> str:
    """Which rules pick what, naming ties as ties.

    >>> r = [RuleResult("borda", ["a"], None, None, []), RuleResult("irv", ["a", "b"], None,
    ...      None, []), RuleResult("copeland", ["a"], None, None, [])]
    >>> voting_sentence(r, {"a": "Alpha", "b": "Beta"}, [])
    'The rule matters: borda and copeland pick Alpha; irv ties Alpha and Beta.'
    """
    if not rules:
        return "No voting rule could be counted."
    groups: dict[tuple[str, ...], list[str]] = {}
    for r in rules:
        groups.setdefault(tuple(r.winners), []).append(r.rule)

    def outcome(winners: tuple[str, ...], many: bool) -> str:
        listed = _and([names.get(w, w) for w in winners])
        if len(winners) == 1:
            return f"{'pick' if many else 'picks'} {listed}"
        return f"{'tie' if many else 'ties'} {listed}"

    if len(groups) == 1:
        ((winners, _),) = groups.items()
        text = f"Every rule {outcome(winners, False)}" + (" (a tie)" if len(winners) > 1 else "")
    else:
        parts = [f"{_and(rs)} {outcome(w, len(rs) > 1)}" for w, rs in groups.items()]
        text = "The rule matters: " + "; ".join(parts)
    if derived:
        text += f". Rankings derived from weights (no stated ranking): {', '.join(derived)}"
    return text + "."


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
