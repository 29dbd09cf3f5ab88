"""The full analysis after page 1, read from the typed :class:`Analysis`."""

from __future__ import annotations

from accord.analysis import wording
from accord.analysis.duplicates_judgements import judged_phrase
from accord.analysis.sections import Analysis, DecisionRecord, StakeholderView
from accord.analysis.text import DuplicatePair
from accord.report.view.formatting import (
    date_words,
    group_letter,
    money,
    number,
    percent,
)
from accord.report.view.rows import (
    AssumptionRow,
    DecisionRow,
    Labelled,
    Matrix,
    Names,
    ParetoPoint,
    Report,
    StabilityRow,
    StakeholderCard,
)
from accord.report.view.summary import risk_row

FULL_CRUXES = 15
FULL_STAKEHOLDER_CARDS = 24
WEIGHT_STABILITY_ROWS = 10
_RACI_ORDER = {"accountable": 0, "responsible": 1, "consulted": 2, "informed": 3}
_LEVEL_ORDER = {"high": 0, "medium": 1, "low": 2}


def fill(report: Report, analysis: Analysis, names: Names) -> None:
    """Every section after page 1."""
    _stakeholders(report, analysis, names)
    _matrices(report, analysis, names)
    _group(report, analysis, names)
    report.weight_stability = _stability(analysis, names)
    _agreement(report, analysis, names)
    _scenarios(report, analysis, names)
    _pareto(report, analysis, names)
    _portfolio(report, analysis, names)
    _opinion(report, analysis, names)
    _voting(report, analysis, names)
    if analysis.risks is not None:
        report.risk_register = [risk_row(r, names) for r in analysis.risks.entries]
    report.governance_ok = analysis.governance.ok
    report.governance_findings = [
        [f.severity, f.message, f.hint] for f in analysis.governance.findings
    ]
    report.decisions = [_decision(d, names) for d in analysis.decisions]
    _duplicates(report, analysis, names)
    notes = list(analysis.notes)
    for section_notes in (
        analysis.choice.notes if analysis.choice else [],
        analysis.portfolio.notes if analysis.portfolio else [],
        analysis.scenarios.notes if analysis.scenarios else [],
    ):
        notes += [n for n in section_notes if n not in notes]
    report.notes = notes


def _carded(people: list[StakeholderView]) -> list[StakeholderView]:
    if len(people) <= FULL_STAKEHOLDER_CARDS:
        return people
    # A crowd: the people who decide and carry the work first, then by influence.
    return sorted(
        people,
        key=lambda p: (
            _RACI_ORDER.get(p.raci or "", 4),
            _LEVEL_ORDER.get(p.influence or "", 3),
        ),
    )[:FULL_STAKEHOLDER_CARDS]


def _stakeholders(report: Report, analysis: Analysis, names: Names) -> None:
    rec = (
        analysis.choice.recommendation.option
        if analysis.choice and analysis.choice.recommendation
        else None
    )
    carded = _carded(analysis.stakeholders)
    report.stakeholders_omitted = len(analysis.stakeholders) - len(carded)
    for person in carded:
        top_weights = sorted(person.weights.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        stated_top = person.stated_ranking[0] if person.stated_ranking else []
        lens = next((pc for pc in person.pros_cons if pc.option == rec), None)
        first = person.top_feasible[0] if person.top_feasible else None
        report.stakeholders.append(
            StakeholderCard(
                id=person.id,
                name=person.name,
                role=person.role or "",
                raci=person.raci or "",
                influence=person.influence or "",
                interest=person.interest or "",
                weight_method=person.weight_method or "none given",
                top_weights=[Labelled(names.criterion(c), percent(w)) for c, w in top_weights],
                top_option=names.options_text(person.top) if person.top else "",
                top_excluded=any(o in names.excluded for o in person.top),
                top_feasible=names.options_text(person.top_feasible) if person.top_feasible else "",
                p_first=percent(person.p_first.get(first)) if first else "–",
                stated_top=names.options_text(stated_top, mark=True) if stated_top else "",
                stated_differs=bool(stated_top) and set(stated_top) != set(person.top),
                notes=[*person.weight_notes, *person.notes],
                pros=[names.criterion(p.criterion) for p in lens.pros] if lens else [],
                cons=[names.criterion(c.criterion) for c in lens.cons] if lens else [],
            )
        )


def _matrices(report: Report, analysis: Analysis, names: Names) -> None:
    criteria = [c.id for c in analysis.criteria]
    options = [o.id for o in analysis.options]
    weighted = [p for p in analysis.stakeholders if p.weights]
    if weighted and criteria:
        report.weights = Matrix(
            rows=[p.name for p in weighted],
            columns=[names.criterion(c) for c in criteria],
            values=[[p.weights.get(c) for c in criteria] for p in weighted],
        )
    scored = [p for p in analysis.stakeholders if p.utilities]
    if scored and options:
        report.utilities = Matrix(
            rows=[p.name for p in scored],
            columns=[names.marked(o) for o in options],
            values=[[p.utilities.get(o) for o in options] for p in scored],
        )


def _group(report: Report, analysis: Analysis, names: Names) -> None:
    """The group ranking on the 0-100 scores the dashboard shows, led by its sentence."""
    group = analysis.group
    feasible_ids = {o.id for o in analysis.options if o.feasible}
    if group.ranking:
        report.group_sentence = wording.ranking_lead(
            group.ranking, group.utilities, feasible_ids, names.option
        )
    for place, tier in enumerate(group.ranking, start=1):
        for option in tier:
            feasible = option not in names.excluded
            utility, closeness = group.utilities.get(option), group.topsis.get(option)
            report.group_rows.append(
                [
                    str(place),
                    names.marked(option),
                    "–" if utility is None else str(wording.score(utility)),
                    "–" if closeness is None else str(wording.score(closeness)),
                    percent(group.p_first.get(option)) if feasible else "excluded",
                ]
            )


def _stability(analysis: Analysis, names: Names) -> list[StabilityRow]:
    """The most fragile weight intervals first (a flip point closest to today's weight)."""
    rows = []
    for item in analysis.cruxes.weight_intervals:
        gaps = [item.weight - item.low] if item.takeover_below else []
        gaps += [item.high - item.weight] if item.takeover_above else []
        if not gaps:
            continue  # no weight on this criterion changes their first feasible choice
        rows.append(
            StabilityRow(
                label=f"{names.who(item.stakeholder)}: {names.criterion(item.criterion)}",
                weight=item.weight,
                low=item.low,
                high=item.high,
                below=names.marked(item.takeover_below) if item.takeover_below else "",
                above=names.marked(item.takeover_above) if item.takeover_above else "",
                margin=min(gaps),
            )
        )
    return sorted(rows, key=lambda row: (row.margin, row.label))[:WEIGHT_STABILITY_ROWS]


def _agreement(report: Report, analysis: Analysis, names: Names) -> None:
    agreement = analysis.agreement
    a = agreement.alignment
    report.alignment_parts = list(a.parts)
    over = wording.ranked_options(a.ranked_options, a.ranked_excluded)
    for label, value, digits in (
        (f"Kendall's W (agreement of rankings of {over}, 0–1)", agreement.kendall_w, 2),
        ("p-value of W", agreement.kendall_p, 3),
        ("Krippendorff's alpha (ordinal)", agreement.krippendorff_alpha, 2),
    ):
        if value is not None:
            report.agreement_stats.append(Labelled(label, number(value, digits)))
    for item in agreement.dispersion[:4]:
        report.dispersion.append(
            f"{names.criterion(item.criterion)}: from {percent(item.low)} "
            f"({names.who(item.lowest)}) to {percent(item.high)} ({names.who(item.highest)})"
        )
    for fact in agreement.disputed_facts:
        by = ", ".join(names.who(s) for s in fact.disputed_by)
        report.disputed_facts.append(Labelled(fact.statement, f"disputed by {by}"))
    report.goal_conflicts = [c.sentence for c in analysis.cruxes.goal_conflicts]
    if analysis.camps is not None:
        for n, camp in enumerate(analysis.camps.camps, start=1):
            members = ", ".join(names.who(s) for s in camp.members)
            favours = f"; favour {names.options_text(camp.top, mark=True)}" if camp.top else ""
            report.camps.append(Labelled(f"Camp {n}", members + favours))
        report.camps_shared = list(analysis.camps.sentences)


def _scenarios(report: Report, analysis: Analysis, names: Names) -> None:
    scenarios = analysis.scenarios
    if scenarios is None or not scenarios.scenarios:
        return
    options = [o.id for o in analysis.options]
    columns = [f"{s.name} (p = {s.probability:.2g})" for s in scenarios.scenarios]
    values: list[list[float | None]] = [
        [s.group.get(o) for s in scenarios.scenarios] for o in options
    ]
    columns.append("Expected")
    for row, option in zip(values, options, strict=True):
        row.append(scenarios.expected_group.get(option))
    columns.append("Max regret (feasible)")
    for row, option in zip(values, options, strict=True):
        row.append(scenarios.max_regret_group.get(option))  # None: an excluded option
    report.scenario_names = [s.name for s in scenarios.scenarios]
    report.scenario_matrix = Matrix([names.marked(o) for o in options], columns, values)
    report.scenario_notes = list(scenarios.sentences)
    for unrestricted, feasible, label in (
        (
            scenarios.most_often_best_unrestricted,
            scenarios.most_often_best,
            "best in the most scenarios",
        ),
        (scenarios.least_regret_unrestricted, scenarios.least_regret, "least maximum regret"),
    ):
        if unrestricted and set(unrestricted) != set(feasible):
            report.scenario_notes.append(
                f"Counting the excluded options too, {label}: "
                f"{names.options_text(unrestricted, mark=True)}."
            )


def _pareto(report: Report, analysis: Analysis, names: Names) -> None:
    """The two stakeholders in sharpest conflict (the analysis says who) for the scatter."""
    people = {p.id: p for p in analysis.stakeholders if p.utilities}
    conflicts = [
        c for c in analysis.cruxes.goal_conflicts if c.first in people and c.second in people
    ]
    if conflicts:
        sharpest = min(conflicts, key=lambda c: c.correlation if c.correlation is not None else 2.0)
        pair = [sharpest.first, sharpest.second]
    else:
        pair = list(people)[:2]
    if len(pair) != 2:
        return
    efficient = set(analysis.choice.pareto) if analysis.choice else set()
    if analysis.choice is not None and analysis.choice.pareto:
        report.pareto_efficient = names.options_text(analysis.choice.pareto)
    report.pareto_pair = (names.who(pair[0]), names.who(pair[1]))
    first, second = people[pair[0]].utilities, people[pair[1]].utilities
    for option in analysis.options:
        if option.id in first and option.id in second:
            report.pareto_points.append(
                ParetoPoint(
                    option=names.option(option.id),
                    x=first[option.id],
                    y=second[option.id],
                    efficient=option.id in efficient,
                    feasible=option.feasible,
                )
            )


def _portfolio(report: Report, analysis: Analysis, names: Names) -> None:
    portfolio = analysis.portfolio
    if portfolio is None:
        return
    currency = analysis.case.budget.unit if analysis.case.budget else None
    report.portfolio_selected = [names.option(o) for o in portfolio.funded]
    rows = [
        Labelled(
            "Cost of the funded set",
            f"{money(portfolio.cost, currency)} of {money(portfolio.budget, currency)}",
        ),
        Labelled("Objective", f"{portfolio.objective} ({portfolio.status})"),
        Labelled(
            "Worst-off stakeholder's utility (0–1, 1 = best on every criterion they weigh)",
            number(portfolio.worst_off, 3),
        ),
    ]
    if portfolio.capacity is not None:
        unit = analysis.case.capacity.unit if analysis.case.capacity else ""
        rows.append(
            Labelled(
                "Effort",
                f"{number(portfolio.effort, 1)} of {number(portfolio.capacity, 1)} "
                f"{unit or ''}".strip(),
            )
        )
    if portfolio.mip_gap is not None:
        rows.append(Labelled("Optimality gap", percent(portfolio.mip_gap, 1)))
    report.portfolio = rows


def _opinion(report: Report, analysis: Analysis, names: Names) -> None:
    opinion = analysis.opinion
    if opinion is None:
        return
    report.opinion_points = [
        (names.who(p), float(xy[0]), float(xy[1]), opinion.participants.get(p, -1))
        for p, xy in sorted(opinion.coordinates.items())
        if len(xy) >= 2
    ]
    for group in opinion.groups:
        members = sorted(names.who(p) for p, g in opinion.participants.items() if g == group.id)
        stands = "; ".join(f"{r.direction}s: “{r.text}”" for r in group.representative[:2])
        label = f"Group {group_letter(group.id)} ({', '.join(members) or group.size})"
        report.opinion_groups.append(Labelled(label, stands))
    report.opinion_consensus = [
        f"{c.text} ({c.direction}, {percent(c.p)})" for c in opinion.consensus
    ]
    report.opinion_divisive = [d.text for d in opinion.divisive]


def _voting(report: Report, analysis: Analysis, names: Names) -> None:
    voting = analysis.voting
    if voting is None:
        return
    report.voting_rows = [
        [
            r.rule,
            names.options_text(r.winners, mark=True) + (" (tie)" if len(r.winners) > 1 else ""),
        ]
        for r in voting.rules
    ]
    summary = [voting.sentence]
    if voting.condorcet_winner is not None:
        summary.append(f"Condorcet winner: {names.marked(voting.condorcet_winner)}.")
    elif voting.majority_cycle:
        summary.append("No Condorcet winner: the majorities form a cycle.")
    report.voting_summary = " ".join(summary)


def _decision(decision: DecisionRecord, names: Names) -> DecisionRow:
    return DecisionRow(
        id=decision.id,
        option=names.options_text(decision.options, mark=True),
        date=date_words(decision.date),
        accountable=names.who(decision.accountable),
        rationale=decision.rationale or "",
        dissent=[Labelled(names.who(d.by), d.reason) for d in decision.dissent],
        review_date=date_words(decision.review_date),
        assumptions=[
            AssumptionRow(
                statement=a.statement,
                owner=names.who(a.owner) if a.owner else "",
                test=f"{a.metric or ''} {a.threshold or ''}".strip(),
                check_date=date_words(a.check_date),
            )
            for a in decision.assumptions
        ],
    )


def _duplicates(report: Report, analysis: Analysis, names: Names) -> None:
    found = analysis.duplicates
    if found is None:
        return

    def name(ref: str) -> str:
        kind, _, rest = ref.partition(":")
        if kind == "option":
            return names.option(rest)
        return found.texts.get(ref, rest)

    def judged(pairs: list[DuplicatePair]) -> str:
        said = [judged_phrase(p.judgement, names.who(p.judgement.by)) for p in pairs if p.judgement]
        return f" ({'; '.join(said)})" if said else ""

    currency = analysis.case.budget.unit if analysis.case.budget else None
    rows = []
    if found.options is not None:
        for cluster in found.options.clusters:
            teams = ", ".join(cluster.teams) or "no team named"
            label = "redundant cost" if cluster.confidence == "high" else "if confirmed, redundant"
            inside = set(cluster.members)
            rows.append(
                Labelled(
                    ", ".join(name(m) for m in cluster.members),
                    f"teams: {teams}; keep {name(cluster.kept)}; {label} "
                    f"{money(cluster.redundant_cost, currency)}"
                    + ("" if cluster.confidence == "high" else " (possible duplicates: confirm)")
                    + judged([p for p in found.options.pairs if {p.a, p.b} <= inside]),
                )
            )
        for pair in found.options.related:
            rows.append(
                Labelled(
                    f"{name(pair.a)} / {name(pair.b)}",
                    "related work, not a duplicate: coordinate "
                    f"(only in the first: {', '.join(pair.only_a) or '-'}; "
                    f"only in the second: {', '.join(pair.only_b) or '-'})" + judged([pair]),
                )
            )
        clustered = {m for c in found.options.clusters for m in c.members}
        for pair in found.options.possible:
            if pair.a in clustered and pair.b in clustered:
                continue  # shown with its cluster
            rows.append(
                Labelled(
                    f"{name(pair.a)} / {name(pair.b)}",
                    "possible duplicates: confirm (found by "
                    + " and ".join(pair.found_by or ("judgement",))
                    + ")",
                )
            )
        for pair in found.options.dismissed:
            rows.append(
                Labelled(f"{name(pair.a)} / {name(pair.b)}", "not a duplicate" + judged([pair]))
            )
        total = found.options.total_cost
        sentences = []
        if total > 0 and found.options.redundant_cost > 0:
            sentences.append(
                f"Duplicated initiatives represent {money(found.options.redundant_cost, currency)} "
                f"of {money(total, currency)} "
                f"({percent(found.options.redundant_share)}) of the proposed spend."
            )
        if total > 0 and found.options.possible_cost > 0:
            sentences.append(
                f"Possible duplicates, to confirm: {money(found.options.possible_cost, currency)} "
                f"of {money(total, currency)} "
                f"({percent(found.options.possible_cost / total)}) would be redundant if the "
                "facilitator confirms them; it is not counted as redundant yet."
            )
        report.duplicates_summary = " ".join(sentences)
    if found.ideas is not None:
        for cluster in found.ideas.clusters:
            rows.append(Labelled(" / ".join(name(m) for m in cluster.members), "similar ideas"))
    report.duplicates = rows
    # Initiatives' themes first (they carry the budget), then the ideas'.
    report.themes = [
        Labelled(", ".join(t.top_terms), "; ".join(name(m) for m in t.members))
        for t in found.option_themes + found.themes
    ]
