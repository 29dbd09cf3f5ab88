"""Rich rendering of an :class:`~accord.analysis.sections.Analysis` for ``accord analyze``.

Each section is a function ``(analysis, console) -> None``; ``SECTIONS`` fixes the order
(the facilitator's: what is shared, where people differ and what would have to be true,
the recommendation, scenarios and risks, then governance and the record).  Sections
read the typed analysis only, so the CLI never computes numbers of its own.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from accord.analysis import wording
from accord.analysis.duplicates_judgements import judged_phrase
from accord.analysis.sections import Analysis

EXCLUDED = f" [dim]{wording.EXCLUDED_MARK}[/dim]"


def _option(a: Analysis, option_id: str) -> str:
    """An option's name, marked when it is not feasible."""
    option = a.option(option_id)
    return escape(option.name) + ("" if option.feasible else EXCLUDED)


def _options(a: Analysis, ids: list[str]) -> str:
    return ", ".join(_option(a, o) for o in ids) or "none"


def header(a: Analysis, console: Console) -> None:
    owner = a.case.decision_owner
    who = f"{owner.name} ({owner.role})" if owner and owner.role else (owner.name if owner else "")
    alignment = a.agreement.alignment
    index = "n/a" if alignment.index is None else f"{alignment.index:.0f} / 100 ({alignment.label})"
    status = "open"
    decided = a.latest_decision
    if decided is not None:
        by = a.stakeholder_name(decided.accountable) if decided.accountable else "unrecorded"
        status = f"decided {decided.date} by {escape(by)}: {_options(a, decided.options)}"
    console.print(
        Panel(
            f"[bold]{escape(a.case.question)}[/bold]\n"
            f"Decision owner: {escape(who) or 'nobody named — see governance'}\n"
            f"Status: {status}\n"
            f"Alignment index: [bold]{index}[/bold]",
            title=escape(a.case.title),
        )
    )
    for note in a.notes:
        console.print(f"[dim]note:[/dim] {escape(note)}")


def common_ground(a: Analysis, console: Console) -> None:
    ground = a.common_ground
    if ground is None or not ground.sentences:
        return
    console.rule("Common ground")
    for line in ground.sentences:
        console.print(f"• {escape(line)}")


def _positions(ranking: list[list[str]] | None) -> dict[str, int]:
    """Competition rank of each option in a tiered ranking (ties share the better rank)."""
    out: dict[str, int] = {}
    position = 1
    for tier in ranking or []:
        for option in tier:
            out[option] = position
        position += len(tier)
    return out


def stakeholders(a: Analysis, console: Console) -> None:
    people = [p for p in a.stakeholders if p.ranking or p.stated_ranking]
    if not people:
        return
    stated_any = any(p.stated_ranking for p in people)
    table = Table(
        title="Rank of each option under each stakeholder's own weights"
        + (" / in their stated ranking" if stated_any else ""),
        caption="1 = first; * marks their first feasible choice; - = not given. "
        + "; ".join(
            f"{p.id}: {escape(p.name)}" + (f" ({p.weight_method})" if p.weight_method else "")
            for p in people
        ),
    )
    table.add_column("Option", min_width=16, ratio=3)
    for person in people:
        table.add_column(escape(person.id), justify="center", ratio=1)
    own = {p.id: _positions(p.ranking) for p in people}
    stated = {p.id: _positions(p.stated_ranking) for p in people}
    for option in a.options:
        cells = []
        for p in people:
            cell = f"{own[p.id].get(option.id, '-')}{'*' if option.id in p.top_feasible else ''}"
            if stated_any:
                cell += f" / {stated[p.id].get(option.id, '-')}"
            cells.append(cell)
        table.add_row(_option(a, option.id), *cells)
    console.print(table)
    for person in people:
        for note in person.notes:
            console.print(f"[dim]{escape(person.name)} noted:[/dim] {escape(note)}")


def group(a: Analysis, console: Console) -> None:
    g = a.group
    if not g.ranking:
        return
    table = Table(
        title="Group view (mean of the stakeholders' utilities)",
        caption="P(best): probability of being the best feasible option under the estimate "
        "ranges; excluded options have none",
    )
    table.add_column("Option")
    table.add_column("Mean utility", justify="right")
    table.add_column("TOPSIS", justify="right")
    table.add_column("P(best)", justify="right")
    for tier in g.ranking:
        for option in tier:
            p = g.p_first.get(option)
            table.add_row(
                _option(a, option),
                f"{g.utilities[option]:.3f}",
                f"{g.topsis[option]:.3f}" if option in g.topsis else "—",
                f"{p:.0%}" if p is not None else "—",
            )
    console.print(table)
    best = _options(a, g.best)
    line = f"Best feasible option for the group: {best}"
    if g.best_unrestricted != g.best:
        line += f" (without the guardrails and budget: {_options(a, g.best_unrestricted)})"
    console.print(line + ".")
    voting = a.voting
    if voting:
        rules = Table(title="Group decision rules over the stakeholders' rankings")
        rules.add_column("Rule")
        rules.add_column("Winner(s)")
        for rule in voting.rules:
            tie = " (tie)" if len(rule.winners) > 1 else ""
            rules.add_row(rule.rule, _options(a, rule.winners) + tie)
        console.print(rules)
        console.print(escape(voting.sentence))


def disagreements(a: Analysis, console: Console) -> None:
    console.rule("Where they differ")
    for line in a.agreement.sentences:
        console.print(f"• {escape(line)}")
    for fact in a.agreement.disputed_facts:
        by = ", ".join(a.stakeholder_name(s) for s in fact.disputed_by)
        console.print(f"• Disputed fact: {escape(fact.statement)} (by {escape(by)})")


def cruxes(a: Analysis, console: Console) -> None:
    c = a.cruxes
    if not (c.items or c.acceptability or c.no_single_change):
        return
    console.rule("What needs to be true")
    heads = [x for x in c.items if x.headline]
    for crux in heads:
        console.print(f"• [bold]{escape(crux.if_otherwise)}[/bold]")
    for sentence in [x.sentence for x in c.no_single_change] + [
        x.sentence for x in c.acceptability
    ]:
        console.print(f"• {escape(sentence)}")
    rest = [x for x in c.items if not x.headline]
    seen: dict[str | None, int] = {}
    shown = 0
    for crux in rest:
        if seen.get(crux.stakeholder, 0) >= 2 or shown >= 10:
            continue
        seen[crux.stakeholder] = seen.get(crux.stakeholder, 0) + 1
        shown += 1
        console.print(f"  {shown}. {escape(crux.sentence)}")
    conflicts = sorted(
        c.goal_conflicts, key=lambda g: g.correlation if g.correlation is not None else 0.0
    )
    if conflicts:
        console.rule("Are their goals really opposed?")
    for conflict in conflicts[:5]:
        console.print(f"• {escape(conflict.sentence)}")


def recommendation(a: Analysis, console: Console) -> None:
    choice = a.choice
    if choice is None:
        return
    console.rule("Recommendation and compromises")
    if choice.recommendation is not None:
        console.print(escape(choice.recommendation.sentence))
    elif a.portfolio is None:
        console.print(escape(choice.sentence))
    for label, pick in (
        ("Best for the worst-off stakeholder (maximin)", choice.maximin),
        ("Nash bargaining", choice.nash),
        ("Least maximum regret", choice.min_regret),
    ):
        if pick is not None:
            console.print(f"• {label}: {_options(a, pick.tied)}")
    if choice.pareto:
        console.print(f"• Pareto-efficient among the feasible: {_options(a, choice.pareto)}")
    for item in choice.excluded:
        console.print(
            f"[red]excluded[/red] {escape(a.option_name(item.option))}: {escape(item.sentence)}"
        )
    if choice.relaxation is not None:
        console.print(f"Nearest feasible relaxation: {escape(choice.relaxation.sentence)}")
    portfolio = a.portfolio
    if portfolio is not None:
        console.print(
            f"Fund {len(portfolio.funded)} initiative(s) for {portfolio.cost:,.0f} of "
            f"{portfolio.budget:,.0f}: {_options(a, portfolio.funded)}"
        )
        for left in portfolio.deprioritised:
            console.print(
                f"  [dim]left out[/dim] {escape(a.option_name(left.option))}: "
                f"{escape(left.sentence)}"
            )


def scenarios(a: Analysis, console: Console) -> None:
    block = a.scenarios
    if block is None:
        return
    console.rule("Scenarios")
    for line in block.sentences:
        console.print(f"• {escape(line)}")
    for note in block.notes:
        console.print(f"[dim]note:[/dim] {escape(note)}")


def risks(a: Analysis, console: Console) -> None:
    block = a.risks
    if block is None or not block.entries:
        return
    console.rule("Risks")
    table = Table()
    for column in ("Option", "Risk", "Exposure", "After mitigation", "Owner"):
        table.add_column(column)
    for row in block.entries:
        after = f"{row.residual_exposure:.2f}" if row.assessed_after_mitigation else "not assessed"
        table.add_row(
            _option(a, row.option),
            escape(row.description),
            f"{row.exposure:.2f}",
            after,
            escape(a.stakeholder_name(row.owner)) if row.owner else "—",
        )
    console.print(table)


def duplicates(a: Analysis, console: Console) -> None:
    found = a.duplicates
    if found is None:
        return
    lists = [d for d in (found.options, found.ideas) if d is not None]
    pairs = [p for d in lists for p in d.pairs]
    dismissed = [p for d in lists for p in d.dismissed]
    if not lists:
        return
    console.rule("Duplicated initiatives and ideas")
    if not pairs and not dismissed:
        console.print("No duplicated initiatives or ideas found.")
    model = a.provenance.embeddings_model
    if all(d.vector_threshold is None for d in lists):
        console.print(
            "Texts compared by words only (lexical only: install accord[semantic] to compare "
            "meaning too, or pass --embeddings DIR, a local model2vec folder)."
        )
    else:
        console.print(f"Texts compared by words and meaning (model: {escape(model or '?')}).")
    label = {
        "duplicate": "duplicate (high confidence)",
        "possible duplicate": "possible duplicates: confirm",
        "related": "related work, not a duplicate: coordinate",
    }
    left_out = sum(d.pairs_left_out for d in lists)
    if left_out:
        console.print(
            f"{left_out:,} more similar pairs are not listed (their clusters and money are "
            "counted); see --json for the clusters."
        )
    known = {s.id: s.name for s in a.stakeholders}
    for pair in pairs + dismissed:
        first, second = found.texts.get(pair.a, pair.a), found.texts.get(pair.b, pair.b)
        if pair.judgement is None:
            console.print(f"• {label[pair.kind]}: {escape(first)} / {escape(second)}")
        else:
            who = known.get(pair.judgement.by, pair.judgement.by)
            console.print(
                f"• {escape(judged_phrase(pair.judgement, who))}: "
                f"{escape(first)} / {escape(second)}"
            )
        if pair.only_a or pair.only_b:
            console.print(
                f"    shared: {escape(', '.join(pair.shared)) or '—'}; "
                f"only in one: {escape(', '.join(pair.only_a)) or '—'}; "
                f"only in the other: {escape(', '.join(pair.only_b)) or '—'}"
            )


def record(a: Analysis, console: Console) -> None:
    late = [x for x in a.actions if x.overdue]
    if not (a.decisions or a.actions or a.next_review):
        return
    console.rule("Decision record")
    for decision in a.decisions:
        by = a.stakeholder_name(decision.accountable) if decision.accountable else "unrecorded"
        console.print(
            f"• {decision.date}: {_options(a, decision.options)} (accountable: {escape(by)})"
        )
        for dissent in decision.dissent:
            console.print(
                f"    dissent, {escape(a.stakeholder_name(dissent.by))}: {escape(dissent.reason)}"
            )
    for action in late:
        console.print(
            f"[red]overdue[/red] {escape(action.title)} ({escape(a.stakeholder_name(action.owner))}"
            f", due {action.deadline}, {action.days_overdue} days late)"
        )
    if a.next_review is not None:
        console.print(f"Next review: {escape(a.next_review.sentence)}")


def governance(a: Analysis, console: Console) -> None:
    block = a.governance
    console.rule("Governance")
    if not block.findings:
        console.print("All governance checks pass.")
    for finding in block.findings:
        colour = "red" if finding.severity == "error" else "yellow"
        console.print(f"[{colour}]{finding.severity}[/{colour}] {escape(finding.message)}")


SECTIONS: tuple[Callable[[Analysis, Console], None], ...] = (
    header,
    common_ground,
    stakeholders,
    group,
    disagreements,
    cruxes,
    recommendation,
    scenarios,
    risks,
    duplicates,
    record,
    governance,
)
