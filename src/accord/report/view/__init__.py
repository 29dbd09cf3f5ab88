"""Read a typed :class:`~accord.analysis.sections.Analysis` into the rows a report shows.

The HTML and Markdown renderers only lay out what :func:`build` returns, so both formats
state the same facts; every fact comes from the analysis (read by attribute, so ``mypy``
catches a misread field), and this package adds only presentation: names for ids, order,
dates and money in words.  :mod:`.summary` is page 1, :mod:`.full` the rest,
:mod:`.formatting` how numbers read, :mod:`.rows` the rows themselves.
"""

from __future__ import annotations

from accord.analysis.sections import Analysis
from accord.report.view import full, summary
from accord.report.view.formatting import capital, date_words, money, number, percent
from accord.report.view.full import FULL_CRUXES
from accord.report.view.rows import (
    ActionRow,
    CruxRow,
    DecisionRow,
    Labelled,
    Matrix,
    Names,
    ParetoPoint,
    Report,
    RiskRow,
    StabilityRow,
    StakeholderCard,
)
from accord.report.view.summary import (
    ALIGNMENT_LABELS,
    SUMMARY_ACCEPTABILITY,
    SUMMARY_ACTIONS,
    SUMMARY_COMMON_GROUND,
    SUMMARY_CRUXES,
    SUMMARY_DEPRIORITISED,
    SUMMARY_RISKS,
)

__all__ = [
    "FULL_CRUXES",
    "SUMMARY_ACCEPTABILITY",
    "SUMMARY_ACTIONS",
    "SUMMARY_COMMON_GROUND",
    "SUMMARY_CRUXES",
    "SUMMARY_DEPRIORITISED",
    "SUMMARY_RISKS",
    "ActionRow",
    "CruxRow",
    "DecisionRow",
    "Labelled",
    "Matrix",
    "ParetoPoint",
    "Report",
    "RiskRow",
    "StabilityRow",
    "StakeholderCard",
    "build",
    "date_words",
    "money",
    "number",
    "percent",
]


def build(analysis: Analysis) -> Report:
    """The :class:`Report` of one analysis (pure)."""
    names = Names.of(analysis)
    case, provenance = analysis.case, analysis.provenance
    recommended, reason = summary.recommendation(analysis, names)
    alignment = analysis.agreement.alignment
    headlines = [c for c in analysis.cruxes.items if c.headline]
    review = analysis.next_review
    context = (case.context or "").strip()
    report = Report(
        title=case.title or case.id,
        question=case.question,
        context_paragraphs=[" ".join(b.split()) for b in context.split("\n\n") if b.strip()],
        case_id=case.id,
        deadline=date_words(case.deadline),
        decision_kind=case.decision_kind,
        decider=summary.person(analysis),
        escalation=[names.who(s) for s in case.escalation],
        budget=summary.budget_text(analysis),
        capacity=summary.capacity_text(analysis),
        recommendation=recommended,
        recommendation_reason=reason,
        decided=summary.decided(analysis, names),
        alignment_index=alignment.index,
        alignment_label=ALIGNMENT_LABELS[alignment.label],
        alignment_sentences=list(analysis.agreement.sentences),
        common_ground=[
            capital(s) for s in (analysis.common_ground.sentences if analysis.common_ground else [])
        ],
        summary_cruxes=[summary.crux_row(c, names) for c in headlines[:SUMMARY_CRUXES]],
        more_headlines=max(0, len(headlines) - SUMMARY_CRUXES),
        acceptability=[a.sentence for a in analysis.cruxes.acceptability],
        no_single_change=[n.sentence for n in analysis.cruxes.no_single_change],
        compromise=summary.compromise(analysis, names),
        excluded=summary.excluded(analysis, names),
        recommended_risks=summary.recommended_risks(analysis, names),
        deprioritised=summary.deprioritised(analysis, names),
        actions=summary.actions(analysis, names),
        next_review=date_words(review.date) if review else "",
        next_review_what=review.sentence if review else "",
        # Headlines first, so "N more in the full analysis" points at the top of its table.
        cruxes=[
            summary.crux_row(c, names)
            for c in [*headlines, *(c for c in analysis.cruxes.items if not c.headline)]
        ],
    )
    full.fill(report, analysis, names)
    report.version = provenance.accord_version
    report.case_hash = provenance.case_sha256
    report.seed = str(provenance.seed)
    report.generated_for = date_words(provenance.generated_for)
    method = [f"{provenance.normalization} normalisation"]
    if provenance.draws_run:
        method.append(f"{provenance.draws_run} {provenance.distribution} draws")
    report.method = ", ".join(method)
    return report
