"""Cruxes, weight stability, acceptability of excluded favourites, and goal conflicts."""

from __future__ import annotations

import numpy as np

from accord.analysis import wording
from accord.analysis.assemble.context import Prepared
from accord.analysis.compromise import Compromise
from accord.analysis.crux import conflict as opposed
from accord.analysis.crux.explain import (
    Labels,
    crux_sentence,
    if_otherwise,
    no_single_change,
    number,
    with_unit,
)
from accord.analysis.crux.search import Bounds, FactLink, Finding, Search, find_cruxes
from accord.analysis.sections.cruxes import (
    Acceptability,
    Change,
    ConflictView,
    Crux,
    Cruxes,
    Evidence,
    GoalConflict,
    NoSingleChange,
    SharedPreference,
    WeightInterval,
)
from accord.analysis.sections.people import StakeholderView

# Goal conflicts are explained for the pairs furthest apart, not all S(S-1)/2 of them:
# a facilitator reads a handful, and 200 stakeholders would give 19,900.
MAX_CONFLICT_PAIRS = 10

#: A stakeholder whose RACI role is "informed" is told the decision, not asked to agree:
#: the summary's headline cruxes are for everyone else (the principals).
NOT_PRINCIPAL = frozenset({"informed"})


def labels_of(p: Prepared) -> Labels:
    return Labels(
        stakeholders=p.voice_names,
        options=p.arrays.option_names,
        criteria=p.arrays.criterion_names,
        units=[c.unit for c in p.case.criteria],
    )


def fact_links(p: Prepared) -> list[FactLink]:
    """Facts on shared estimates, with who accepts and disputes them (weighted indices)."""
    row = {sid: k for k, sid in enumerate(p.voices)}
    own = set(np.flatnonzero(p.own).tolist())
    return [
        FactLink(
            fact=f.id,
            option=p.options.index(ref.option),
            criterion=p.criteria.index(ref.criterion),
            value=f.value,
            accepted_by=tuple(row[s] for s in f.accepted_by if s in row),
            disputed_by=tuple(row[s] for s in f.disputed_by if s in row),
        )
        for f in p.case.facts
        for ref in f.informs
        if p.criteria.index(ref.criterion) not in own
    ]


def search_cruxes(
    p: Prepared, feasible: list[int], result: Compromise | None, bounds: Bounds
) -> Search | None:
    if not p.weighted or len(p.options) < 2:
        return None
    rec = None
    if result is not None and result.recommendation is not None:
        if p.case.decision_kind != "portfolio":
            rec = result.recommendation.option
    return find_cruxes(
        p.lenses, feasible=feasible, recommendation=rec, facts=fact_links(p), bounds=bounds
    )


def crux_section(
    p: Prepared,
    search: Search | None,
    feasible: list[int],
    excluded: dict[int, list[Change]],
    people: list[StakeholderView],
    funded: list[int] | None = None,
) -> Cruxes:
    """``funded`` (a portfolio's chosen initiatives) are the headline cruxes' targets when
    there is no single recommendation."""
    if search is None:
        return Cruxes([], [], [], [], [], 0)
    labels = labels_of(p)
    ids, voices = p.options, p.voices
    findings = [*search.acceptance, *search.findings]
    heads = {id(f) for f in _headlines(p, search, people, funded)}  # identity: one per finding
    items = [_crux(p, f, labels, id(f) in heads) for f in findings]
    rec = search.recommendation
    unreachable = []
    for s in search.unreachable:
        first = search.tops[s]
        if rec is None or first is None:
            continue
        names = labels.stakeholders[s], labels.options[rec], labels.options[first]
        unreachable.append(NoSingleChange(voices[s], ids[rec], no_single_change(*names)))
    return Cruxes(
        items=items,
        acceptability=_acceptability(p, excluded, labels),
        no_single_change=unreachable,
        weight_intervals=[
            WeightInterval(
                stakeholder=voices[i.stakeholder],
                criterion=p.criteria[i.criterion],
                weight=i.weight,
                low=i.low,
                high=i.high,
                top=ids[i.top],
                takeover_below=None if i.takeover_below is None else ids[i.takeover_below],
                takeover_above=None if i.takeover_above is None else ids[i.takeover_above],
            )
            for i in search.intervals
        ],
        goal_conflicts=goal_conflicts(p, feasible),
        considered=search.considered,
    )


def _crux(p: Prepared, f: Finding, labels: Labels, headline: bool) -> Crux:
    ids, voices = p.options, p.voices
    return Crux(
        form=f.form,
        kind=f.kind,
        stakeholder=None if f.row is None else voices[f.row],
        prefers=ids[f.prefers],
        challenger=ids[f.challenger],
        rivals=[voices[r] for r in f.rivals],
        varied_option=None if f.varied is None else ids[f.varied],
        criterion=p.criteria[f.criterion],
        own_score=f.own_score,
        direction="above" if f.above else "below",
        current=f.current,
        threshold=f.threshold,
        shown=f.shown,
        until=f.until,
        range_low=f.range_low,
        range_high=f.range_high,
        inside_range=f.inside,
        relative_change=f.relative,
        tier=f.tier,
        evidence=[Evidence(e.fact, e.stance, e.accepted, e.value) for e in f.evidence],
        next_step=f.next_step,
        headline=headline,
        sentence=crux_sentence(f, labels),
        if_otherwise=if_otherwise(f, labels),
    )


def _headlines(
    p: Prepared, search: Search, people: list[StakeholderView], funded: list[int] | None
) -> list[Finding]:
    """One crux per disagreeing principal: what would bring them to the recommendation.

    A principal disagrees when their first feasible choice is not the recommendation (for
    a portfolio: is not funded); their headline is their best acceptance crux, else their
    best crux whose challenger is the recommendation (a funded initiative)."""
    raci = {v.id: v.raci for v in people}
    rec = search.recommendation
    targets = {rec} if rec is not None else set(funded or [])
    heads: list[Finding] = []
    for s, sid in enumerate(p.voices):
        top = search.tops[s]
        if raci.get(sid) in NOT_PRINCIPAL or top is None or top in targets:
            continue
        own = [f for f in search.acceptance if f.row == s]
        own += [f for f in search.findings if f.row == s and f.challenger in targets]
        if own:
            heads.append(own[0])
    return heads


def _acceptability(
    p: Prepared, excluded: dict[int, list[Change]], labels: Labels
) -> list[Acceptability]:
    """For each excluded option someone puts first: the bounds it would have to meet."""
    out: list[Acceptability] = []
    u = p.utilities
    for o, changes in sorted(excluded.items()):
        fans = [p.voices[s] for s in range(len(p.voices)) if int(np.argmax(u[s])) == o]
        if not fans:
            continue
        parts = []
        for ch in changes:
            if ch.kind == "guardrail" and ch.criterion is not None:
                c = p.criteria.index(ch.criterion)
                value = with_unit(number(ch.bound, 15), labels.units[c])
                today = with_unit(number(ch.current, 15), labels.units[c])
                parts.append(
                    f"its {labels.criterion(c)} were {ch.direction} {value} "
                    f"(today {today}; guardrail {ch.constraint})"
                )
            else:
                word = "cost" if ch.kind == "budget" else "needed"
                parts.append(
                    f"it {word} {ch.direction} {number(ch.bound, 15)} "
                    f"(today {number(ch.current, 15)}; the {ch.kind})"
                )
        names = ", ".join(p.voice_names[p.voices.index(f)] for f in fans)
        out.append(
            Acceptability(
                option=p.options[o],
                favoured_by=fans,
                changes=changes,
                sentence=f"{wording.option_label(labels.options[o], feasible=False)}, first "
                f"choice of {names}, would keep every "
                f"constraint if {' and '.join(parts)}.",
            )
        )
    return out


def _pairs_to_explain(p: Prepared) -> list[tuple[int, int]]:
    """Pairs whose first choices differ, most distant weights first, at most the cap.

    First choices among *every* option: whether goals conflict does not depend on which
    options the guardrails leave on the table."""
    from accord.analysis.agreement import weight_distances

    distances = weight_distances(p.lenses.weights)
    tops = [int(np.argmax(row)) for row in p.utilities]
    pairs = [
        (float(distances[a, b]), a, b)
        for a in range(len(tops))
        for b in range(a + 1, len(tops))
        if tops[a] != tops[b]
    ]
    pairs.sort(key=lambda item: (-item[0], item[1], item[2]))
    return [(a, b) for _, a, b in pairs[:MAX_CONFLICT_PAIRS]]


def goal_conflicts(p: Prepared, feasible: list[int]) -> list[GoalConflict]:
    pairs = _pairs_to_explain(p)
    found = opposed.goal_conflicts(
        p.lenses.scores,
        p.lenses.weights,
        pairs,
        candidates=feasible,
        segments=[c.segment for c in p.case.criteria],
        horizons=[None if c.horizon is None else str(c.horizon) for c in p.case.criteria],
    )
    labels = labels_of(p)
    out = []
    for c in found:
        views = [
            ConflictView(
                scope=v.scope,
                key=p.criteria[int(v.key)] if v.scope == "criterion" else v.key,
                label=_scope_label(v, labels),
                correlation=v.correlation,
                verdict=v.verdict,
            )
            for v in c.views
        ]
        agrees = [v.label for v in views if v.verdict == "agree"]
        conflicts = [v.label for v in views if v.verdict == "conflict"]
        shared = [SharedPreference(p.options[b], p.options[w]) for b, w in c.shared]
        a, b = labels.stakeholders[c.first], labels.stakeholders[c.second]
        rho = c.overall.correlation
        out.append(
            GoalConflict(
                first=p.voices[c.first],
                second=p.voices[c.second],
                correlation=rho,
                verdict=c.overall.verdict,
                views=views,
                conflicts_on=conflicts,
                agrees_on=agrees,
                shared_preferences=shared,
                shared_count=c.shared_count,
                comparisons=c.comparisons,
                sentence=_conflict_sentence(a, b, c, agrees, conflicts, labels),
            )
        )
    return out


def _scope_label(v: opposed.View, labels: Labels) -> str:
    if v.scope == "segment":
        return f"the {v.key} segment"
    if v.scope == "horizon":
        return f"the {v.key} horizon"
    return labels.criterion(int(v.key))


def _conflict_sentence(
    a: str,
    b: str,
    c: opposed.Conflict,
    agrees: list[str],
    conflicts: list[str],
    labels: Labels,
) -> str:
    rho = c.overall.correlation
    if c.overall.verdict == "conflict":
        head = f"{a} and {b} rank the options in opposite ways (ρ = {number(rho or 0.0)})"
    elif c.overall.verdict == "agree":
        head = f"{a} and {b} broadly agree on the options (ρ = {number(rho or 0.0)})"
    elif c.overall.verdict == "mixed":
        head = f"{a} and {b} are neither aligned nor opposed overall (ρ = {number(rho or 0.0)})"
    else:
        head = f"{a} and {b} cannot be compared (one of them rates every option the same)"
    parts: list[str] = []
    if c.shared:
        named = "; ".join(f"{labels.options[x]} to {labels.options[y]}" for x, y in c.shared)
        parts.append(
            f"both prefer {named} ({c.shared_count} of {c.comparisons} feasible pairs "
            "ordered the same way)"
        )
    if agrees:
        parts.append(f"they agree on {', '.join(agrees)}")
    if conflicts:
        parts.append(f"they pull apart on {', '.join(conflicts)}")
    if not c.shared and not agrees:
        parts.append("no criterion and no pair of feasible options unites them")
    return head + "; " + "; ".join(parts) + "."
