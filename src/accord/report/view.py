"""Read an ``Analysis.to_dict()`` into the plain rows every report format shows.

This is the one module that knows the analysis's JSON shape; the HTML and Markdown renderers
only lay out what it returns, so both formats state the same facts.  It reads defensively:
a section that is null or missing becomes ``None`` or an empty list (the report then says "not
available for this case"), and it computes nothing the analysis has not computed beyond
presentation (names for ids, sorting, dates in words).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Json = Mapping[str, Any]

SUMMARY_CRUXES = 3
SUMMARY_RISKS = 4
SUMMARY_ACTIONS = 6
SUMMARY_COMMON_GROUND = 4
FULL_CRUXES = 15
FULL_STAKEHOLDER_CARDS = 24
MONTHS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip


# ---------------------------------------------------------------- small formatting helpers


def as_date(value: Any) -> dt.date | None:
    """An ISO date string (or date) as a date; ``None`` when absent or unreadable."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def date_words(value: Any) -> str:
    """``2026-12-04`` -> ``4 Dec 2026`` (no locale, so output is the same everywhere).

    >>> date_words("2026-12-04")
    '4 Dec 2026'
    """
    day = as_date(value)
    if day is None:
        return str(value) if value else ""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def money(amount: Any, currency: str | None = None) -> str:
    """``1400000, 'USD'`` -> ``USD 1.4m``; amounts under a million keep thousands.

    >>> money(1400000, "USD"), money(450000, "EUR"), money(950, None)
    ('USD 1.4m', 'EUR 450k', '950')
    """
    if not isinstance(amount, int | float):
        return ""
    prefix = f"{currency} " if currency else ""
    size = abs(float(amount))
    if size >= 1e6:
        return f"{prefix}{amount / 1e6:.3g}m"
    if size >= 1e4:
        return f"{prefix}{amount / 1e3:.3g}k"
    return f"{prefix}{amount:,.0f}"


def number(value: Any, digits: int = 2) -> str:
    """A float shown with ``digits`` decimals; integers stay integers; ``None`` -> dash."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def percent(value: Any, digits: int = 0) -> str:
    """A share in 0..1 as a percentage: ``0.355`` -> ``36%``."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "–"
    return f"{100 * value:.{digits}f}%"


def humanise(slug: str) -> str:
    """``gross-margin`` -> ``Gross margin``: a readable fallback for ids without names."""
    text = slug.replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _map(value: Any) -> Json:
    return value if isinstance(value, Mapping) else {}


def _option_ids(value: Any) -> list[str]:
    """A compromise answer may be an id, a list of ids, or a dict with ``option(s)``."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str)]
    if isinstance(value, Mapping):
        for key in ("options", "option", "winners", "best"):
            if key in value:
                return _option_ids(value[key])
    return []


def _first_text(data: Json, *keys: str) -> str:
    for key in keys:
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


# ---------------------------------------------------------------- the rows a report shows


@dataclass(frozen=True)
class Names:
    """Display names for the ids of one analysis."""

    stakeholders: dict[str, str]
    options: dict[str, str]
    criteria: dict[str, str]

    def who(self, sid: Any) -> str:
        if isinstance(sid, int) and not isinstance(sid, bool):  # a position in the stakeholder list
            ordered = list(self.stakeholders.values())
            return ordered[sid] if 0 <= sid < len(ordered) else str(sid)
        return self.stakeholders.get(str(sid), humanise(str(sid))) if sid else "unassigned"

    def option(self, oid: Any) -> str:
        return self.options.get(str(oid), humanise(str(oid)))

    def criterion(self, cid: Any) -> str:
        return self.criteria.get(str(cid), humanise(str(cid)))

    def options_text(self, ids: Sequence[str]) -> str:
        return ", ".join(self.option(o) for o in ids) if ids else "none"


@dataclass(frozen=True)
class RiskRow:
    option: str
    description: str
    before: str  # likelihood x impact, e.g. "0.35 × 3 = 1.05"
    after: str
    after_score: str  # residual likelihood x impact alone, "" when not assessed
    mitigation: str
    owner: str
    exposure: float  # residual (or inherent) likelihood x impact, for ordering


@dataclass(frozen=True)
class CruxRow:
    sentence: str
    kind: str
    who: str
    criterion: str
    current: str
    threshold: str
    range: str
    plausible: bool  # the threshold lies inside the estimate's stated range
    relative_change: float | None
    next_step: str
    evidence: str


@dataclass(frozen=True)
class ActionRow:
    title: str
    owner: str
    deadline: str
    metric: str
    done: bool
    overdue: bool
    decision: str


@dataclass(frozen=True)
class Labelled:
    """A label with a one-line explanation (excluded options, de-prioritised items, ...)."""

    label: str
    text: str


@dataclass(frozen=True)
class StakeholderView:
    id: str
    name: str
    role: str
    raci: str
    influence: str
    interest: str
    weight_method: str
    top_weights: list[Labelled]
    top_option: str
    p_first: str
    stated_top: str
    stated_differs: bool
    notes: list[str]
    pros: list[str]
    cons: list[str]


@dataclass(frozen=True)
class StabilityRow:
    """How far one weight can move before that stakeholder's top choice changes."""

    label: str
    weight: float
    low: float
    high: float
    below: str  # option that takes over under ``low`` ("" when none)
    above: str  # option that takes over over ``high``
    margin: float  # distance to the nearer flip point


@dataclass(frozen=True)
class Matrix:
    """A labelled numeric table (rows x columns) for charts and tables."""

    rows: list[str]
    columns: list[str]
    values: list[list[float | None]]


@dataclass
class Report:
    """Everything the templates show, in the order they show it."""

    title: str
    question: str
    context: str
    case_id: str
    deadline: str
    decision_kind: str
    decider: str
    escalation: list[str]
    budget: str
    capacity: str
    # summary
    recommendation: str
    recommendation_reason: str
    recommendation_feasible: bool
    alignment_index: float | None
    alignment_label: str
    alignment_sentences: list[str]
    common_ground: list[str]
    cruxes: list[CruxRow]
    compromise: list[Labelled]
    excluded: list[Labelled]
    recommended_risks: list[RiskRow]
    deprioritised: list[Labelled]
    actions: list[ActionRow]
    next_review: str
    next_review_what: str
    summary_cruxes: list[CruxRow] = field(default_factory=list)
    decided: str = ""  # the latest recorded decision, e.g. "X (26 Oct 2026, by Daniel Kim)"
    context_paragraphs: list[str] = field(default_factory=list)
    # full analysis
    stakeholders: list[StakeholderView] = field(default_factory=list)
    weights: Matrix | None = None
    utilities: Matrix | None = None
    group_rows: list[list[str]] = field(default_factory=list)
    weight_stability: list[StabilityRow] = field(default_factory=list)
    stakeholders_omitted: int = 0
    dispersion: list[str] = field(default_factory=list)
    disputed_facts: list[Labelled] = field(default_factory=list)
    goal_conflicts: list[str] = field(default_factory=list)
    camps: list[Labelled] = field(default_factory=list)
    camps_shared: list[str] = field(default_factory=list)
    agreement_stats: list[Labelled] = field(default_factory=list)
    scenario_names: list[str] = field(default_factory=list)
    scenario_matrix: Matrix | None = None
    scenario_notes: list[str] = field(default_factory=list)
    pareto_pair: tuple[str, str] | None = None
    pareto_points: list[tuple[str, float, float, bool]] = field(default_factory=list)
    portfolio: list[Labelled] | None = None
    portfolio_selected: list[str] = field(default_factory=list)
    opinion_points: list[tuple[str, float, float, int]] | None = None
    opinion_groups: list[Labelled] = field(default_factory=list)
    opinion_consensus: list[str] = field(default_factory=list)
    opinion_divisive: list[str] = field(default_factory=list)
    voting_rows: list[list[str]] | None = None
    voting_summary: str = ""
    risk_register: list[RiskRow] | None = None
    governance_ok: bool | None = None
    governance_findings: list[list[str]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[Labelled] | None = None
    duplicates_summary: str = ""
    notes: list[str] = field(default_factory=list)
    # provenance (footer)
    version: str = ""
    case_hash: str = ""
    seed: str = ""
    generated_for: str = ""
    method: str = ""


# ---------------------------------------------------------------- building the report


def build(analysis: Json) -> Report:
    """Turn an ``Analysis.to_dict()`` into a :class:`Report` (pure; reads defensively)."""
    case = _map(analysis.get("case"))
    provenance = _map(analysis.get("provenance"))
    names = _names(analysis)
    today = as_date(provenance.get("generated_for"))
    owner = _map(case.get("decision_owner"))
    recommendation = _map(analysis.get("recommendation"))
    rec_ids = _option_ids(recommendation) if recommendation else []
    decisions = [d for d in _list(analysis.get("decisions")) if isinstance(d, Mapping)]
    latest = max(decisions, key=lambda d: str(d.get("date") or ""), default=None)
    decided_ids = _option_ids(latest.get("option")) if latest else []
    rec_feasible = bool(recommendation.get("feasible", bool(rec_ids))) if recommendation else False
    agreement = _map(analysis.get("agreement"))
    index = agreement.get("alignment_index")
    review_date, review_what = _next_review(analysis, today)
    budget = _map(case.get("budget"))
    capacity = _map(case.get("capacity"))
    report = Report(
        title=str(case.get("title") or case.get("id") or "Untitled case"),
        question=str(case.get("question") or ""),
        context=str(case.get("context") or "").strip(),
        case_id=str(case.get("id") or provenance.get("case_id") or ""),
        deadline=date_words(case.get("deadline")),
        decision_kind=str(case.get("decision_kind") or "choose_one"),
        decider=_person(owner),
        escalation=[names.who(s) for s in _list(case.get("escalation"))],
        budget=money(budget.get("amount"), budget.get("currency")) if budget else "",
        capacity=(f"{number(capacity.get('amount'), 0)} {capacity.get('unit', '')}".strip())
        if capacity
        else "",
        recommendation=names.options_text(rec_ids) if rec_ids else "",
        recommendation_reason=_first_text(
            recommendation, "reason", "rationale", "explanation", "sentence", "message"
        ),
        recommendation_feasible=rec_feasible,
        alignment_index=float(index) if isinstance(index, int | float) else None,
        alignment_label=_alignment_label(index),
        alignment_sentences=[str(s) for s in _list(agreement.get("sentences"))],
        common_ground=_common_ground(analysis, names),
        cruxes=[_crux(c, names) for c in _list(analysis.get("cruxes")) if isinstance(c, Mapping)],
        compromise=_compromise(analysis, names),
        excluded=[
            Labelled(names.option(e.get("option")), "; ".join(str(r) for r in _list(e["reasons"])))
            for e in _list(analysis.get("excluded"))
            if isinstance(e, Mapping) and "reasons" in e
        ],
        recommended_risks=_risks(_recommended_risks(recommendation), names, rec_ids),
        # What was decided is being done, whatever the analysis now recommends.
        deprioritised=_deprioritised(analysis, names, [*rec_ids, *decided_ids]),
        actions=_actions(analysis, names),
        next_review=date_words(review_date) if review_date else "",
        next_review_what=review_what,
    )
    report.summary_cruxes = _summary_cruxes(report.cruxes)
    if latest is not None and decided_ids:
        report.decided = (
            f"{names.options_text(decided_ids)} (decided {date_words(latest.get('date'))} "
            f"by {names.who(latest.get('accountable'))})"
        )
    report.context_paragraphs = [
        " ".join(block.split()) for block in report.context.split("\n\n") if block.strip()
    ]
    _fill_full(report, analysis, names)
    report.version = str(provenance.get("accord_version") or "")
    report.case_hash = str(provenance.get("case_sha256") or "")
    report.seed = str(provenance.get("seed", ""))
    report.generated_for = date_words(provenance.get("generated_for"))
    method_bits = [
        f"{provenance['normalization']} normalisation" if provenance.get("normalization") else "",
        f"{provenance['draws']} {provenance.get('distribution', '')} draws".replace("  ", " ")
        if provenance.get("draws")
        else "",
    ]
    report.method = ", ".join(b for b in method_bits if b)
    return report


def _names(analysis: Json) -> Names:
    def table(key: str) -> dict[str, str]:
        return {
            str(item["id"]): str(item.get("name") or humanise(str(item["id"])))
            for item in _list(analysis.get(key))
            if isinstance(item, Mapping) and "id" in item
        }

    return Names(table("stakeholders"), table("options"), table("criteria"))


def _person(person: Json) -> str:
    if not person:
        return ""
    name = str(person.get("name") or humanise(str(person.get("id", ""))))
    role = person.get("role")
    return f"{name}, {role}" if role else name


def _alignment_label(index: Any) -> str:
    if not isinstance(index, int | float):
        return "not measured"
    if index >= 70:
        return "high alignment"
    if index >= 40:
        return "partial alignment"
    return "low alignment"


def _common_ground(analysis: Json, names: Names) -> list[str]:
    ground = _map(analysis.get("common_ground"))
    sentences = [_capital(str(s)) for s in _list(ground.get("sentences"))]
    if not sentences:
        shared = _option_ids(ground.get("options"))
        if shared:
            sentences.append(
                f"Every stakeholder ranks {names.options_text(shared)} in their top half."
            )
        facts = _list(_map(_map(analysis.get("agreement")).get("facts")).get("accepted_by_all"))
        if facts:
            sentences.append(f"{len(facts)} facts are accepted by everyone.")
    return sentences


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _crux(crux: Json, names: Names) -> CruxRow:
    who = ", ".join(names.who(s) for s in _list(crux.get("stakeholders")))
    if not who and crux.get("stakeholder") is not None:
        who = names.who(crux.get("stakeholder"))
    span = crux.get("range")
    range_text = ""
    if isinstance(span, list | tuple) and len(span) == 2:
        range_text = f"{number(span[0])}–{number(span[1])}"
    elif isinstance(span, Mapping):
        range_text = f"{number(span.get('low'))}–{number(span.get('high'))}"
    elif crux.get("range_low") is not None and crux.get("range_high") is not None:
        range_text = f"{number(crux.get('range_low'))}–{number(crux.get('range_high'))}"
    evidence = []
    for item in _list(crux.get("evidence")):
        if isinstance(item, Mapping):
            status = "" if item.get("accepted", True) else ", disputed"
            evidence.append(f"{item.get('fact')} ({item.get('stance', 'bears on it')}{status})")
        else:
            evidence.append(str(item))
    change = crux.get("relative_change")
    return CruxRow(
        sentence=_first_text(crux, "sentence", "explanation", "text") or "(no explanation given)",
        kind=str(crux.get("kind") or ""),
        who=who,
        criterion=names.criterion(crux["criterion"]) if crux.get("criterion") else "",
        current=number(crux.get("current")),
        threshold=number(crux.get("threshold")),
        range=range_text,
        plausible=bool(crux.get("inside_range")),
        relative_change=float(change) if isinstance(change, int | float) else None,
        next_step=str(crux.get("next_step") or ""),
        evidence="; ".join(evidence),
    )


def _summary_cruxes(cruxes: list[CruxRow], limit: int = SUMMARY_CRUXES) -> list[CruxRow]:
    """The analysis's top cruxes, one per stakeholder first, so page 1 shows several voices."""
    chosen: list[CruxRow] = []
    seen: set[str] = set()
    for crux in cruxes:
        if crux.who not in seen:
            chosen.append(crux)
            seen.add(crux.who)
    chosen += [c for c in cruxes if c not in chosen]
    return chosen[:limit]


_COMPROMISE_LABELS = (
    ("maximin", "Best for the worst-off stakeholder (maximin)"),
    ("nash", "Nash bargaining solution"),
    ("min_regret", "Least maximum regret"),
    ("pareto", "Pareto-efficient (nobody can gain without someone losing)"),
)


def _compromise(analysis: Json, names: Names) -> list[Labelled]:
    compromise = _map(analysis.get("compromise"))
    rows = []
    for key, label in _COMPROMISE_LABELS:
        ids = _option_ids(compromise.get(key))
        if ids:
            rows.append(Labelled(label, names.options_text(ids)))
    return rows


def _recommended_risks(recommendation: Json) -> list[Any]:
    """The recommendation's risks: a list, or a per-option register ``{"risks": [...]}``."""
    risks = recommendation.get("risks")
    return _list(risks.get("risks")) if isinstance(risks, Mapping) else _list(risks)


def _risk_row(risk: Json, names: Names) -> RiskRow:
    def product(likelihood: Any, impact: Any) -> tuple[str, float | None]:
        if isinstance(likelihood, int | float) and isinstance(impact, int | float):
            return f"{likelihood:.2f} × {impact:g} = {likelihood * impact:.2f}", float(
                likelihood * impact
            )
        return "–", None

    before, before_value = product(risk.get("likelihood"), risk.get("impact"))
    after, after_value = product(
        risk.get("residual_likelihood", risk.get("likelihood")),
        risk.get("residual_impact", risk.get("impact")),
    )
    if risk.get("residual_likelihood") is None and risk.get("residual_impact") is None:
        after = "not assessed"
    exposure = after_value if after_value is not None else (before_value or 0.0)
    return RiskRow(
        option=names.option(risk["option"]) if risk.get("option") else "",
        description=str(risk.get("description") or risk.get("id") or ""),
        before=before,
        after=after,
        after_score=f"{after_value:.2f}"
        if after != "not assessed" and after_value is not None
        else "",
        mitigation=str(risk.get("mitigation") or "none recorded"),
        owner=names.who(risk.get("owner")),
        exposure=exposure,
    )


def _risks(risks: list[Any], names: Names, options: Sequence[str] = ()) -> list[RiskRow]:
    rows = [_risk_row(r, names) for r in risks if isinstance(r, Mapping)]
    # Largest exposure first: the summary has room for the few that matter most.
    return sorted(rows, key=lambda row: -row.exposure)


def _deprioritised(analysis: Json, names: Names, recommended: Sequence[str]) -> list[Labelled]:
    portfolio = _map(analysis.get("portfolio"))
    if portfolio:
        rows = []
        for item in _list(portfolio.get("deprioritised") or portfolio.get("deprioritized")):
            if isinstance(item, Mapping):
                reason = _first_text(item, "reason", "why") or "; ".join(
                    str(r) for r in _list(item.get("reasons"))
                )
                rows.append(Labelled(names.option(item.get("option")), reason))
            elif isinstance(item, str):
                rows.append(Labelled(names.option(item), ""))
        return rows
    if not recommended:
        return []  # without a recommendation (or a decision) nothing is de-prioritised yet
    excluded = {
        str(e.get("option")) for e in _list(analysis.get("excluded")) if isinstance(e, Mapping)
    }
    ranking = _list(_map(analysis.get("group")).get("ranking"))
    tops: dict[str, list[str]] = {}
    for person in _list(analysis.get("stakeholders")):
        if isinstance(person, Mapping):
            for option in _list(person.get("top")):
                tops.setdefault(str(option), []).append(names.who(person.get("id")))
    rows = []
    for place, tier in enumerate(ranking, start=1):
        for option in _list(tier):
            if option in recommended or option in excluded:
                continue
            reason = f"ranked {_ordinal(place)} of {len(ranking)} by the group"
            if option in tops:
                reason += f"; first choice of {', '.join(tops[option])}"
            rows.append(Labelled(names.option(option), reason))
    return rows


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _actions(analysis: Json, names: Names) -> list[ActionRow]:
    keyed: list[tuple[tuple[bool, bool, dt.date, str], ActionRow]] = []
    for action in _list(analysis.get("actions")):
        if not isinstance(action, Mapping):
            continue
        row = ActionRow(
            title=str(action.get("title") or action.get("id") or ""),
            owner=names.who(action.get("owner")),
            deadline=date_words(action.get("deadline")),
            metric=str(action.get("metric") or ""),
            done=bool(action.get("done")),
            overdue=bool(action.get("overdue")),
            decision=str(action.get("decision") or ""),
        )
        # Open work first (overdue on top), then by deadline; done items last.
        due = as_date(action.get("deadline")) or dt.date.max
        keyed.append(((row.done, not row.overdue, due, row.title), row))
    return [row for _, row in sorted(keyed, key=lambda pair: pair[0])]


def _next_review(analysis: Json, today: dt.date | None) -> tuple[dt.date | None, str]:
    """The earliest review still ahead: a decision's review date, a cadence review or checkpoint."""
    candidates: list[tuple[dt.date, str]] = []
    for decision in _list(analysis.get("decisions")):
        if isinstance(decision, Mapping):
            day = as_date(decision.get("review_date"))
            if day:
                candidates.append((day, f"review of decision {decision.get('id', '')}".strip()))
    cadence = _map(_map(analysis.get("case")).get("cadence") or analysis.get("cadence"))
    start = as_date(cadence.get("start"))
    every = cadence.get("review_every_days")
    if start and isinstance(every, int) and every > 0:
        day = start
        if today is not None:
            while day < today:
                day += dt.timedelta(days=every)
        candidates.append((day, f"{every}-day review"))
    for checkpoint in _list(cadence.get("checkpoints")):
        if isinstance(checkpoint, Mapping):
            day = as_date(checkpoint.get("date"))
            if day:
                candidates.append((day, str(checkpoint.get("name") or "checkpoint")))
    ahead = sorted(c for c in candidates if today is None or c[0] >= today)
    return ahead[0] if ahead else (None, "")


def _fill_full(report: Report, analysis: Json, names: Names) -> None:
    """The full-analysis sections after page 1."""
    people = [p for p in _list(analysis.get("stakeholders")) if isinstance(p, Mapping)]
    criteria = [c for c in _list(analysis.get("criteria")) if isinstance(c, Mapping)]
    options = [o for o in _list(analysis.get("options")) if isinstance(o, Mapping)]
    risks = _map(analysis.get("risks"))
    recommended = _option_ids(_map(analysis.get("recommendation")))
    pros_cons = _map(risks.get("pros_cons"))
    carded = people
    if len(people) > FULL_STAKEHOLDER_CARDS:
        # A crowd: the people who decide and carry the work first, then by influence.
        raci = {"accountable": 0, "responsible": 1, "consulted": 2, "informed": 3}
        level = {"high": 0, "medium": 1, "low": 2}
        carded = sorted(
            people,
            key=lambda p: (raci.get(str(p.get("raci")), 4), level.get(str(p.get("influence")), 3)),
        )[:FULL_STAKEHOLDER_CARDS]
        report.stakeholders_omitted = len(people) - len(carded)
    for person in carded:
        weights = _map(person.get("weights"))
        top = sorted(weights.items(), key=lambda kv: (-float(kv[1]), kv[0]))[:3]
        top_ids = _list(person.get("top"))
        stated = _list(person.get("stated_ranking"))
        stated_top = [str(o) for o in _list(stated[0])] if stated else []
        mine = _map(pros_cons.get(str(person.get("id"))))
        lens = _map(mine.get(recommended[0])) if recommended else {}
        report.stakeholders.append(
            StakeholderView(
                id=str(person.get("id")),
                name=names.who(person.get("id")),
                role=str(person.get("role") or ""),
                raci=str(person.get("raci") or ""),
                influence=str(person.get("influence") or ""),
                interest=str(person.get("interest") or ""),
                weight_method=str(person.get("weight_method") or "none given"),
                top_weights=[Labelled(names.criterion(c), percent(w)) for c, w in top],
                top_option=names.options_text([str(o) for o in top_ids]) if top_ids else "",
                p_first=percent(_map(person.get("p_first")).get(top_ids[0])) if top_ids else "–",
                stated_top=names.options_text(stated_top) if stated_top else "",
                stated_differs=bool(stated_top) and set(stated_top) != set(top_ids),
                notes=[str(n) for n in _list(person.get("weight_notes"))],
                pros=[str(p) for p in _list(lens.get("pros"))],
                cons=[str(c) for c in _list(lens.get("cons"))],
            )
        )
    criterion_ids = [str(c["id"]) for c in criteria if "id" in c]
    option_ids = [str(o["id"]) for o in options if "id" in o]
    weighted = [p for p in people if _map(p.get("weights"))]
    if weighted and criterion_ids:
        report.weights = Matrix(
            rows=[names.who(p.get("id")) for p in weighted],
            columns=[names.criterion(c) for c in criterion_ids],
            values=[
                [_float(_map(p.get("weights")).get(c)) for c in criterion_ids] for p in weighted
            ],
        )
    scored = [p for p in people if _map(p.get("utilities"))]
    if scored and option_ids:
        report.utilities = Matrix(
            rows=[names.who(p.get("id")) for p in scored],
            columns=[names.option(o) for o in option_ids],
            values=[[_float(_map(p.get("utilities")).get(o)) for o in option_ids] for p in scored],
        )
    group = _map(analysis.get("group"))
    place = {
        str(o): i for i, tier in enumerate(_list(group.get("ranking")), 1) for o in _list(tier)
    }
    for option in sorted(option_ids, key=lambda o: (place.get(o, 10**6), o)):
        report.group_rows.append(
            [
                str(place.get(option, "–")),
                names.option(option),
                number(_map(group.get("utilities")).get(option), 3),
                number(_map(group.get("topsis")).get(option), 3),
                percent(_map(group.get("p_first")).get(option)),
            ]
        )
    report.weight_stability = _stability(analysis, names)
    _fill_agreement(report, analysis, names)
    _fill_scenarios(report, analysis, names, option_ids)
    _fill_pareto(report, analysis, names, people, option_ids)
    _fill_portfolio(report, analysis, names)
    _fill_opinion(report, analysis, names)
    _fill_voting(report, analysis, names)
    register = risks.get("register") if risks else None
    report.risk_register = _risks(_list(register), names) if register is not None else None
    governance = _map(analysis.get("governance"))
    if governance:
        report.governance_ok = bool(governance.get("ok"))
        for finding in _list(governance.get("findings")):
            if isinstance(finding, Mapping):
                report.governance_findings.append(
                    [
                        str(finding.get("severity") or ""),
                        str(finding.get("message") or ""),
                        str(finding.get("hint") or ""),
                    ]
                )
    for decision in _list(analysis.get("decisions")):
        if isinstance(decision, Mapping):
            report.decisions.append(_decision(decision, names))
    _fill_duplicates(report, analysis, names)
    report.notes = [str(n) for n in _list(analysis.get("notes"))]


def _stability(analysis: Json, names: Names, limit: int = 10) -> list[StabilityRow]:
    """The most fragile weight intervals first (a flip point closest to today's weight)."""
    rows = []
    for item in _list(analysis.get("weight_intervals")):
        if not isinstance(item, Mapping):
            continue
        weight, low, high = (_float(item.get(k)) for k in ("weight", "low", "high"))
        if weight is None or low is None or high is None:
            continue
        below, above = item.get("takeover_below"), item.get("takeover_above")
        gaps = [weight - low] if below else []
        gaps += [high - weight] if above else []
        if not gaps:
            continue  # no weight on this criterion changes their top choice
        rows.append(
            StabilityRow(
                label=f"{names.who(item['stakeholder']) if item.get('stakeholder') else 'Group'}: "
                f"{names.criterion(item.get('criterion'))}",
                weight=weight,
                low=low,
                high=high,
                below=names.option(below) if below else "",
                above=names.option(above) if above else "",
                margin=min(gaps),
            )
        )
    return sorted(rows, key=lambda row: (row.margin, row.label))[:limit]


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _fill_agreement(report: Report, analysis: Json, names: Names) -> None:
    agreement = _map(analysis.get("agreement"))
    for label, key, digits in (
        ("Kendall's W (agreement of rankings, 0–1)", "kendall_w", 2),
        ("p-value of W", "kendall_p", 3),
        ("Krippendorff's alpha (ordinal)", "krippendorff_alpha", 2),
    ):
        if isinstance(agreement.get(key), int | float):
            report.agreement_stats.append(Labelled(label, number(agreement[key], digits)))
    # Dispersion names stakeholders by position in the pairwise table (or by id).
    order = [str(s) for s in _list(_map(agreement.get("pairwise")).get("stakeholders"))]

    def person(value: Any) -> str:
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(order):
            return names.who(order[value])
        return names.who(value)

    for item in _list(agreement.get("weight_dispersion"))[:4]:
        if isinstance(item, Mapping) and item.get("criterion") is not None:
            label = str(item.get("name") or names.criterion(item["criterion"]))
            report.dispersion.append(
                f"{label}: from {percent(item.get('low'))} ({person(item.get('lowest'))}) "
                f"to {percent(item.get('high'))} ({person(item.get('highest'))})"
            )
    facts = _map(agreement.get("facts"))
    for fact in _list(facts.get("disputed")):
        if isinstance(fact, Mapping):
            by = ", ".join(names.who(s) for s in _list(fact.get("by")))
            report.disputed_facts.append(
                Labelled(str(fact.get("statement") or fact.get("fact")), f"disputed by {by}")
            )
    for conflict in _list(analysis.get("goal_conflicts")):
        if isinstance(conflict, Mapping):
            text = _first_text(conflict, "sentence", "explanation")
            if text:
                report.goal_conflicts.append(text)
    camps = _map(analysis.get("camps"))
    for number_, camp in enumerate(_list(camps.get("camps")), start=1):
        if isinstance(camp, Mapping):
            members = ", ".join(names.who(s) for s in _list(camp.get("members")))
            report.camps.append(Labelled(str(camp.get("label") or f"Camp {number_}"), members))
    report.camps_shared = [str(s) for s in _list(camps.get("shared") or camps.get("sentences"))]


def _fill_scenarios(report: Report, analysis: Json, names: Names, option_ids: list[str]) -> None:
    scenarios = _map(analysis.get("scenarios"))
    if "outcomes" in scenarios:
        scenarios = _scenarios_from_outcomes(scenarios, option_ids)
    items = [s for s in _list(scenarios.get("scenarios")) if isinstance(s, Mapping)]
    if not items or not option_ids:
        return
    columns = []
    for item in items:
        label = str(item.get("name") or item.get("id"))
        if isinstance(item.get("probability"), int | float):
            label += f" (p = {item['probability']:.2g})"
        columns.append(label)
    values = [[_float(_map(s.get("utilities")).get(o)) for s in items] for o in option_ids]
    expected = _map(scenarios.get("expected"))
    regret = _map(scenarios.get("max_regret") or scenarios.get("regret"))
    if expected:
        columns.append("Expected")
        for row, option in zip(values, option_ids, strict=True):
            row.append(_float(expected.get(option)))
    if regret:
        columns.append("Max regret")
        for row, option in zip(values, option_ids, strict=True):
            row.append(_float(regret.get(option)))
    report.scenario_names = [str(s.get("name") or s.get("id")) for s in items]
    report.scenario_matrix = Matrix([names.option(o) for o in option_ids], columns, values)
    for key, label in (
        ("most_often_best", "Best in the most scenarios"),
        ("minimax_regret", "Least maximum regret across scenarios"),
    ):
        ids = _option_ids(scenarios.get(key))
        if ids:
            report.scenario_notes.append(f"{label}: {names.options_text(ids)}.")


def _by_option(values: Any, option_ids: list[str]) -> Json:
    """Per-option values given as a list in option order, or already as a mapping."""
    if isinstance(values, Mapping):
        return values
    listed = _list(values)
    return dict(zip(option_ids, listed, strict=False)) if len(listed) == len(option_ids) else {}


def _scenarios_from_outcomes(scenarios: Json, option_ids: list[str]) -> Json:
    """The scenarios module's array shape (``outcomes`` with group utilities by option index)."""
    items = [
        {
            "name": outcome.get("scenario"),
            "probability": outcome.get("probability"),
            "utilities": _by_option(outcome.get("group"), option_ids),
        }
        for outcome in _list(scenarios.get("outcomes"))
        if isinstance(outcome, Mapping)
    ]
    return {
        "scenarios": items,
        "expected": _by_option(scenarios.get("expected_group"), option_ids),
        "max_regret": _by_option(scenarios.get("max_regret_group"), option_ids),
        "minimax_regret": scenarios.get("minimax_regret_group"),
        "most_often_best": scenarios.get("most_often_best"),
    }


def _fill_pareto(
    report: Report, analysis: Json, names: Names, people: list[Json], option_ids: list[str]
) -> None:
    """Pick the two stakeholders in sharpest conflict (the analysis says who) for the scatter."""
    pair: list[str] = []
    sharpest = float("inf")
    for conflict in _list(analysis.get("goal_conflicts")):
        if not isinstance(conflict, Mapping):
            continue
        two = [str(s) for s in _list(conflict.get("stakeholders"))] or [
            str(conflict.get("first")),
            str(conflict.get("second")),
        ]
        overall = _map(conflict.get("overall")).get("correlation", conflict.get("correlation"))
        score = float(overall) if isinstance(overall, int | float) else 0.0
        if len(two) == 2 and score < sharpest:
            pair, sharpest = two, score
    by_id = {str(p.get("id")): _map(p.get("utilities")) for p in people}
    if len(pair) != 2 or not all(by_id.get(s) for s in pair):
        pair = [sid for sid, u in by_id.items() if u][:2]
    if len(pair) != 2:
        return
    efficient = set(_option_ids(_map(analysis.get("compromise")).get("pareto")))
    report.pareto_pair = (names.who(pair[0]), names.who(pair[1]))
    for option in option_ids:
        x, y = _float(by_id[pair[0]].get(option)), _float(by_id[pair[1]].get(option))
        if x is not None and y is not None:
            report.pareto_points.append((names.option(option), x, y, option in efficient))


def _fill_portfolio(report: Report, analysis: Json, names: Names) -> None:
    portfolio = _map(analysis.get("portfolio"))
    if not portfolio:
        return
    selected = _option_ids(portfolio.get("selected") or portfolio.get("options"))
    report.portfolio_selected = [names.option(o) for o in selected]
    rows = []
    case = _map(analysis.get("case"))
    currency = _map(case.get("budget")).get("currency")
    if isinstance(portfolio.get("cost"), int | float):
        rows.append(Labelled("Cost of the selected set", money(portfolio["cost"], currency)))
    if isinstance(portfolio.get("effort"), int | float):
        unit = _map(case.get("capacity")).get("unit", "")
        rows.append(Labelled("Effort", f"{number(portfolio['effort'], 1)} {unit}".strip()))
    if portfolio.get("objective"):
        rows.append(Labelled("Objective", str(portfolio["objective"])))
    if isinstance(portfolio.get("gap"), int | float):
        rows.append(Labelled("Optimality gap", percent(portfolio["gap"], 1)))
    report.portfolio = rows


def _fill_opinion(report: Report, analysis: Json, names: Names) -> None:
    opinion = _map(analysis.get("opinion"))
    if not opinion:
        return
    groups = _map(opinion.get("participants"))
    points = []
    for participant, xy in sorted(_map(opinion.get("coordinates")).items()):
        if isinstance(xy, list | tuple) and len(xy) >= 2:
            group = groups.get(participant, -1)
            points.append(
                (
                    names.who(participant),
                    float(xy[0]),
                    float(xy[1]),
                    int(group) if isinstance(group, int) else -1,
                )
            )
    report.opinion_points = points
    for group in _list(opinion.get("groups")):
        if not isinstance(group, Mapping):
            continue
        members = sorted(names.who(p) for p, g in groups.items() if g == group.get("id"))
        stands = "; ".join(
            f"{r.get('direction', '')}s: “{r.get('text', '')}”"
            for r in _list(group.get("representative"))[:2]
            if isinstance(r, Mapping)
        )
        label = (
            f"Group {_group_letter(group.get('id'))} ({', '.join(members) or group.get('size')})"
        )
        report.opinion_groups.append(Labelled(label, stands))
    report.opinion_consensus = [
        f"{c.get('text')} ({c.get('direction')}, {percent(c.get('p'))})"
        for c in _list(opinion.get("consensus"))
        if isinstance(c, Mapping)
    ]
    report.opinion_divisive = [
        str(d.get("text")) for d in _list(opinion.get("divisive")) if isinstance(d, Mapping)
    ]


def _group_letter(group: Any) -> str:
    return chr(ord("A") + group) if isinstance(group, int) and 0 <= group < 26 else str(group)


def _fill_voting(report: Report, analysis: Json, names: Names) -> None:
    voting = _map(analysis.get("voting"))
    if not voting:
        return
    rows = []
    for rule, outcome in sorted(_map(voting.get("rules")).items()):
        winners = _option_ids(_map(outcome).get("winners"))
        tie = " (tie)" if len(winners) > 1 else ""
        rows.append([humanise(rule), names.options_text(winners) + tie])
    report.voting_rows = rows
    summary = [str(voting.get("summary") or "")]
    if voting.get("condorcet_winner"):
        summary.append(f"Condorcet winner: {names.option(voting['condorcet_winner'])}.")
    if "rule_matters" in voting:
        summary.append(
            "The voting rule changes the winner."
            if voting.get("rule_matters")
            else "Every rule picks the same winner."
        )
    report.voting_summary = " ".join(s for s in summary if s)


def _decision(decision: Json, names: Names) -> dict[str, Any]:
    return {
        "id": str(decision.get("id") or ""),
        "option": names.options_text(_option_ids(decision.get("option"))),
        "date": date_words(decision.get("date")),
        "accountable": names.who(decision.get("accountable")),
        "rationale": str(decision.get("rationale") or ""),
        "dissent": [
            Labelled(names.who(d.get("by")), str(d.get("reason") or ""))
            for d in _list(decision.get("dissent"))
            if isinstance(d, Mapping)
        ],
        "review_date": date_words(decision.get("review_date")),
        "assumptions": [
            {
                "statement": str(a.get("statement") or ""),
                "owner": names.who(a.get("owner")),
                "test": f"{a.get('metric') or ''} {a.get('threshold') or ''}".strip(),
                "check_date": date_words(a.get("check_date")),
            }
            for a in _list(decision.get("assumptions"))
            if isinstance(a, Mapping)
        ],
    }


def _fill_duplicates(report: Report, analysis: Json, names: Names) -> None:
    duplicates = _map(analysis.get("duplicates"))
    if not duplicates:
        return
    texts = _map(duplicates.get("texts"))

    def name(ref: Any) -> str:
        # Members are "option:<id>" (or "idea:<id>") references; older results used bare ids.
        kind, _, rest = str(ref).partition(":")
        if kind == "option" and rest:
            return names.option(rest)
        if kind == "idea" and rest:
            return str(texts.get(str(ref), humanise(rest)))
        return names.option(ref)

    rows = []
    for cluster in _list(duplicates.get("clusters")):
        if isinstance(cluster, Mapping):
            members = ", ".join(name(m) for m in _list(cluster.get("members")))
            teams = ", ".join(str(t) for t in _list(cluster.get("teams")))
            rows.append(
                Labelled(
                    members,
                    f"teams: {teams}; keep {name(cluster.get('kept'))}; redundant "
                    f"cost {money(cluster.get('redundant_cost'))}",
                )
            )
    report.duplicates = rows
    share = duplicates.get("redundant_share")
    if isinstance(share, int | float):
        report.duplicates_summary = (
            f"Duplicated initiatives represent {money(duplicates.get('redundant_cost'))} of "
            f"{money(duplicates.get('total_cost'))} ({percent(share)}) of the proposed spend."
        )
