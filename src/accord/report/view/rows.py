"""The rows a report shows: plain strings and numbers, laid out by the HTML and Markdown
renderers so both formats state the same facts."""

from __future__ import annotations

from dataclasses import dataclass, field

from accord.analysis.sections import Analysis
from accord.analysis.wording import (
    GROUP_SCORE_MEANING,
    GROUP_TABLE_MEANING,
    SCENARIO_MEANING,
    UTILITY_MEANING,
    option_label,
)


@dataclass(frozen=True)
class Names:
    """Display names for the ids of one analysis; an option name says when it is excluded."""

    stakeholders: dict[str, str]
    options: dict[str, str]
    criteria: dict[str, str]
    excluded: frozenset[str]

    @classmethod
    def of(cls, analysis: Analysis) -> Names:
        return cls(
            stakeholders={s.id: s.name for s in analysis.stakeholders},
            options={o.id: o.name for o in analysis.options},
            criteria={c.id: c.name for c in analysis.criteria},
            excluded=frozenset(o.id for o in analysis.options if not o.feasible),
        )

    def who(self, stakeholder: str | None) -> str:
        if stakeholder is None:
            return "unassigned"
        return self.stakeholders.get(stakeholder, stakeholder)

    def option(self, option: str) -> str:
        return self.options.get(option, option)

    def marked(self, option: str) -> str:
        """The option's name, with "(excluded)" when it breaks a guardrail or the budget."""
        return option_label(self.option(option), option not in self.excluded)

    def criterion(self, criterion: str) -> str:
        return self.criteria.get(criterion, criterion)

    def options_text(self, ids: list[str], *, mark: bool = False) -> str:
        name = self.marked if mark else self.option
        return ", ".join(name(o) for o in ids) if ids else "none"


@dataclass(frozen=True)
class Labelled:
    """A label with a one-line explanation (excluded options, de-prioritised items, ...)."""

    label: str
    text: str


@dataclass(frozen=True)
class RiskRow:
    option: str
    description: str
    before: str  # likelihood x impact, e.g. "0.35 × 3 = 1.05"
    after: str  # the same after mitigation, or "not assessed"
    after_score: str  # residual exposure alone, "" when not assessed
    mitigation: str
    owner: str


@dataclass(frozen=True)
class CruxRow:
    sentence: str
    if_otherwise: str  # the seeds' phrasing: "A is better than B if X; otherwise B"
    form: str  # preference | acceptance
    kind: str  # estimate | weight
    who: str
    criterion: str
    current: str
    threshold: str  # the number the sentence states (rounded to the side where it holds)
    range: str
    plausible: bool  # the threshold lies inside the estimate's stated range
    relative_change: float
    next_step: str
    evidence: str
    headline: bool


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
class StakeholderCard:
    id: str
    name: str
    role: str
    raci: str
    influence: str
    interest: str
    weight_method: str
    top_weights: list[Labelled]
    top_option: str  # their first choice among every option
    top_excluded: bool  # ... which a guardrail or the budget excludes
    top_feasible: str  # their first choice among the feasible options
    p_first: str  # P(first among the feasible) of ``top_feasible``
    stated_top: str
    stated_differs: bool
    notes: list[str]
    pros: list[str]  # of the recommendation, in their eyes
    cons: list[str]


@dataclass(frozen=True)
class StabilityRow:
    """How far one weight can move before that stakeholder's first feasible choice changes."""

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


@dataclass(frozen=True)
class ParetoPoint:
    """One option on the two-stakeholder trade-off chart."""

    option: str
    x: float
    y: float
    efficient: bool  # Pareto-efficient among the feasible options, over all stakeholders
    feasible: bool


@dataclass(frozen=True)
class AssumptionRow:
    statement: str
    owner: str
    test: str
    check_date: str


@dataclass(frozen=True)
class DecisionRow:
    id: str
    option: str
    date: str
    accountable: str
    rationale: str
    dissent: list[Labelled]
    review_date: str
    assumptions: list[AssumptionRow]


@dataclass
class Report:
    """Everything the templates show, in the order they show it."""

    title: str
    question: str
    context_paragraphs: list[str]
    case_id: str
    deadline: str
    decision_kind: str
    decider: str
    escalation: list[str]
    budget: str
    capacity: str
    # summary (page 1)
    recommendation: str
    recommendation_reason: str
    decided: str  # the latest recorded decision, e.g. "X (decided 26 Oct 2026 by Daniel Kim)"
    alignment_index: float | None
    alignment_label: str
    alignment_sentences: list[str]
    common_ground: list[str]
    summary_cruxes: list[CruxRow]  # one per disagreeing principal
    more_headlines: int  # headline cruxes beyond the page-1 limit
    acceptability: list[str]  # what would make an excluded favourite acceptable
    no_single_change: list[str]
    compromise: list[Labelled]
    excluded: list[Labelled]
    recommended_risks: list[RiskRow]
    deprioritised: list[Labelled]
    actions: list[ActionRow]
    next_review: str
    next_review_what: str
    # full analysis
    cruxes: list[CruxRow] = field(default_factory=list)
    stakeholders: list[StakeholderCard] = field(default_factory=list)
    stakeholders_omitted: int = 0
    weights: Matrix | None = None
    utilities: Matrix | None = None
    group_rows: list[list[str]] = field(default_factory=list)
    group_sentence: str = ""  # who leads the group ranking, by how much
    group_meaning: str = f"{GROUP_SCORE_MEANING} {GROUP_TABLE_MEANING}"
    utilities_meaning: str = UTILITY_MEANING  # the per-stakeholder utilities' caption
    scenario_meaning: str = SCENARIO_MEANING
    alignment_parts: list[str] = field(default_factory=list)  # the index's parts in words
    weight_stability: list[StabilityRow] = field(default_factory=list)
    dispersion: list[str] = field(default_factory=list)
    disputed_facts: list[Labelled] = field(default_factory=list)
    goal_conflicts: list[str] = field(default_factory=list)
    camps: list[Labelled] = field(default_factory=list)
    camps_shared: list[str] = field(default_factory=list)
    agreement_stats: list[Labelled] = field(default_factory=list)
    scenario_names: list[str] = field(default_factory=list)
    scenario_matrix: Matrix | None = None
    scenario_notes: list[str] = field(default_factory=list)
    pareto_efficient: str = ""  # the feasible options nobody can improve on for everyone
    pareto_pair: tuple[str, str] | None = None
    pareto_points: list[ParetoPoint] = field(default_factory=list)
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
    decisions: list[DecisionRow] = field(default_factory=list)
    duplicates: list[Labelled] | None = None
    duplicates_summary: str = ""
    themes: list[Labelled] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # provenance (footer)
    version: str = ""
    case_hash: str = ""
    seed: str = ""
    generated_for: str = ""
    method: str = ""
