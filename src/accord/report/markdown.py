"""Analysis -> GitHub-flavoured Markdown that pastes into a wiki (tables, no HTML, no charts).

It states the same facts as the HTML page, from the same :class:`~accord.report.view.Report`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from accord.report import view
from accord.report.view import Labelled, Report

NOT_AVAILABLE = "_Not available for this case._"


def cell(text: object) -> str:
    """A table cell: pipes escaped and line breaks flattened, so the table stays one row.

    >>> cell("a | b\\nc")
    'a \\\\| b c'
    """
    return " ".join(str(text).split()).replace("|", "\\|")


def inline(text: object) -> str:
    """Running text with Markdown's active characters at line start made harmless."""
    flat = " ".join(str(text).split())
    # Only a "<" that could open a tag is neutralised; "69.5% < 72%" stays as written.
    return re.sub(r"<(?=[A-Za-z/!?])", "&lt;", flat)


def table(header: Sequence[str], rows: Iterable[Sequence[object]], align: str = "") -> list[str]:
    """A GFM table; ``align`` is one letter per column (``l`` or ``r``)."""
    lines = ["| " + " | ".join(cell(h) for h in header) + " |"]
    marks = [("---:" if (align[i : i + 1] == "r") else "---") for i in range(len(header))]
    lines.append("| " + " | ".join(marks) + " |")
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return lines


def bullets(items: Iterable[str]) -> list[str]:
    return [f"- {inline(item)}" for item in items]


def pairs(items: Iterable[Labelled], sep: str = ": ") -> list[str]:
    return [f"- **{inline(i.label)}**{sep + inline(i.text) if i.text else ''}" for i in items]


def render_markdown(report: Report) -> str:
    """The report as one Markdown document: the one-page summary, then the full analysis."""
    out: list[str] = []
    add = out.append
    add(f"# {inline(report.title)}")
    add("")
    add(f"**Question:** {inline(report.question)}")
    add("")
    add("## Summary")
    add("")
    add("### Recommendation")
    add("")
    if report.recommendation:
        add(
            f"**{inline(report.recommendation)}**"
            + (f": {inline(report.recommendation_reason)}" if report.recommendation_reason else "")
        )
    elif report.recommendation_reason:
        add(f"No option meets every constraint: {inline(report.recommendation_reason)}")
    elif not report.decided:
        add(NOT_AVAILABLE)
    if report.decided:
        add("")
        add(f"**Decision recorded:** {inline(report.decided)}")
    add("")
    add(f"- **Decides:** {inline(report.decider or 'no decision owner named')}")
    if report.deadline:
        add(f"- **Decision by:** {report.deadline}")
    if report.escalation:
        add(f"- **Escalation:** {' → '.join(report.escalation)}")
    add("")
    add("### Alignment index")
    add("")
    if report.alignment_index is not None:
        add(f"**{report.alignment_index:.0f} / 100** ({report.alignment_label})")
        add("")
        out.extend(bullets(report.alignment_sentences[:2]))
    else:
        add(f"Not available for this case: {report.alignment_label}.")
    add("")
    _section(out, "Common ground", bullets(report.common_ground[: view.SUMMARY_COMMON_GROUND]))
    crux_lines = [
        f"{i}. {inline(c.if_otherwise)}" + (f" _Next step: {c.next_step}._" if c.next_step else "")
        for i, c in enumerate(report.summary_cruxes, start=1)
    ]
    if report.more_headlines:
        crux_lines.append(f"{report.more_headlines} more in the full analysis.")
    crux_lines += bullets(report.no_single_change)
    if report.acceptability:
        crux_lines += ["", "What would make an excluded first choice acceptable:", ""]
        crux_lines += bullets(report.acceptability)
    _section(out, "Top cruxes: what must be verified", crux_lines)
    compromise = pairs(report.compromise) + [
        f"- **{inline(e.label)}** excluded: {inline(e.text)}" for e in report.excluded
    ]
    _section(out, "Compromise and excluded options", compromise)
    risks = [
        f"- **{inline(r.description)}** (exposure {r.before}"
        + (f"; {r.after_score} after mitigation" if r.after_score else "")
        + f"). Mitigation: {inline(r.mitigation)}. Owner: {inline(r.owner)}."
        for r in report.recommended_risks[: view.SUMMARY_RISKS]
    ]
    _section(out, "Risks of the recommendation", risks)
    _section(out, "Explicitly de-prioritised", pairs(report.deprioritised))
    open_actions = [a for a in report.actions if not a.done][: view.SUMMARY_ACTIONS]
    _section(
        out,
        "Next actions",
        table(
            ["Deadline", "Action", "Owner", ""],
            [
                [a.deadline, a.title, a.owner, "**overdue**" if a.overdue else ""]
                for a in open_actions
            ],
        )
        if open_actions
        else [],
    )
    _section(
        out,
        "Next review",
        [f"**{report.next_review}**: {inline(report.next_review_what)}"]
        if report.next_review
        else [],
    )
    add("---")
    add("")
    add("## Full analysis")
    add("")
    for paragraph in report.context_paragraphs:
        add(inline(paragraph))
        add("")
    _full(out, report)
    add("---")
    add("")
    add(
        f"Generated by accord {report.version} for {report.generated_for or 'an undated run'} · "
        f"case `{report.case_id}` · case sha256 `{report.case_hash[:16]}` · seed `{report.seed}`"
        + (f" · {report.method}" if report.method else "")
    )
    return "\n".join(out).rstrip() + "\n"


def _section(out: list[str], title: str, lines: list[str], level: int = 3) -> None:
    out.append(f"{'#' * level} {title}")
    out.append("")
    out.extend(lines or [NOT_AVAILABLE])
    out.append("")


def decision_record_lines(r: Report) -> list[str]:
    """The decision record: each decision, its rationale, dissent, assumptions and review."""
    record: list[str] = []
    for d in r.decisions:
        record += [
            f"**{inline(d.option)}**, decided {d.date} by {inline(d.accountable)}.",
            "",
        ]
        if d.rationale:
            record += [inline(d.rationale), ""]
        record += (["Dissent:", ""] + pairs(d.dissent)) if d.dissent else ["No dissent recorded."]
        if d.assumptions:
            record += [""] + table(
                ["Assumption it rests on", "Test", "Owner", "Check by"],
                [[a.statement, a.test, a.owner, a.check_date] for a in d.assumptions],
            )
        if d.review_date:
            record += ["", f"Review on {d.review_date}."]
        record.append("")
    return record


def action_register_lines(r: Report) -> list[str]:
    if not r.actions:
        return []
    return table(
        ["Action", "Owner", "Deadline", "Success metric", "Done"],
        [
            [
                a.title,
                a.owner,
                a.deadline + (" **overdue**" if a.overdue else ""),
                a.metric,
                "yes" if a.done else "no",
            ]
            for a in r.actions
        ],
    )


def render_decision_record(report: Report, preface: Sequence[str] = ()) -> str:
    """The decision record and action register alone (what the tracker connectors publish),
    from the same :class:`Report` and in the same words as the full report's sections;
    ``preface`` lines (already Markdown) come first."""
    out = [
        f"# Decision record: {inline(report.title)}",
        "",
        f"**Question:** {inline(report.question)}",
        "",
    ]
    out += list(preface)
    _section(out, "Decision record", decision_record_lines(report), 2)
    _section(out, "Action register", action_register_lines(report), 2)
    out.append(
        f"Generated by accord {report.version} · case `{report.case_id}` · "
        f"case sha256 `{report.case_hash[:16]}`"
    )
    return "\n".join(out).rstrip() + "\n"


def _full(out: list[str], r: Report) -> None:
    views = []
    for s in r.stakeholders:
        line = f"- **{inline(s.name)}** ({inline(s.role)}; RACI {s.raci or '–'})"
        if s.top_excluded:
            line += f": weights favour {inline(s.top_option)} (excluded)"
            if s.top_feasible:
                line += f"; among the feasible options {inline(s.top_feasible)}"
                line += f" (first in {s.p_first} of draws)"
        elif s.top_feasible:
            line += f": weights favour {inline(s.top_feasible)} (first in {s.p_first} of draws)"
        if s.stated_differs:
            line += f"; states {inline(s.stated_top)} first"
        if s.top_weights:
            line += "; cares most about " + ", ".join(
                f"{w.label} ({w.text})" for w in s.top_weights
            )
        views.append(line + ".")
    _section(out, "Stakeholder views", views, 3)
    if r.weights is not None:
        rows = [
            [person, *[view.percent(v) for v in values]]
            for person, values in zip(r.weights.rows, r.weights.values, strict=True)
        ]
        weights = table(
            ["Stakeholder", *r.weights.columns], rows, "l" + "r" * len(r.weights.columns)
        )
    else:
        weights = []
    _section(
        out, "Criteria weights", weights + ([""] + bullets(r.dispersion) if r.dispersion else [])
    )
    scores = (
        ([r.group_sentence, ""] if r.group_sentence else [])
        + [r.group_meaning, ""]
        + table(
            [
                "Group rank",
                "Option",
                "Group score (0–100)",
                "Closeness to the ideal (0–100)",
                "First in the draws",
            ],
            r.group_rows,
            "llrrr",
        )
        if r.group_rows
        else []
    )
    if r.utilities is not None:
        scores += ["", r.utilities_meaning, ""] + table(
            ["Option", *r.utilities.rows],
            [
                [option, *[view.number(row[j], 3) for row in r.utilities.values]]
                for j, option in enumerate(r.utilities.columns)
            ],
            "l" + "r" * len(r.utilities.rows),
        )
    _section(out, "Option scores by stakeholder", scores)
    agreement = bullets(r.alignment_sentences) + bullets(r.alignment_parts)
    agreement += pairs(r.agreement_stats)
    if r.goal_conflicts:
        agreement += ["", "Goal conflicts:", ""] + bullets(r.goal_conflicts)
    if r.camps:
        agreement += ["", "Camps:", ""] + pairs(r.camps) + bullets(r.camps_shared)
    if r.disputed_facts:
        agreement += ["", "Disputed facts:", ""] + pairs(r.disputed_facts, " — ")
    _section(out, "Agreement, camps and goal conflicts", agreement)
    sensitivity = []
    if r.weight_stability:
        sensitivity += table(
            ["Weight", "Today", "Top choice holds from", "to", "Below, the top becomes", "Above"],
            [
                [s.label, f"{s.weight:.2f}", f"{s.low:.2f}", f"{s.high:.2f}", s.below, s.above]
                for s in r.weight_stability
            ],
            "lrrrll",
        ) + [""]
    if r.cruxes:
        sensitivity += table(
            ["What needs to be true", "Today", "Flips at", "Range", "Next step"],
            [
                [c.sentence, c.current, c.threshold, c.range or "–", c.next_step]
                for c in r.cruxes[: view.FULL_CRUXES]
            ],
            "lrrrl",
        )
    _section(out, "Sensitivity: cruxes and what needs to be true", sensitivity)
    scenarios = []
    if r.scenario_matrix is not None:
        m = r.scenario_matrix
        scenarios = (
            [r.scenario_meaning, ""]
            + table(
                ["Option", *m.columns],
                [[m.rows[i], *[view.number(v, 3) for v in row]] for i, row in enumerate(m.values)],
                "l" + "r" * len(m.columns),
            )
            + [""]
            + r.scenario_notes
        )
    _section(out, "Scenarios", scenarios)
    opinion: list[str] = []
    if r.opinion_points is not None:
        opinion = pairs(r.opinion_groups)
        if r.opinion_consensus:
            opinion += ["", "Shared by (almost) everyone:", ""] + bullets(r.opinion_consensus)
        if r.opinion_divisive:
            opinion += ["", "Divides the groups:", ""] + bullets(r.opinion_divisive)
    _section(out, "Opinion map", opinion)
    pareto = pairs(r.compromise)
    if r.pareto_efficient:
        pareto.append(
            f"- **Pareto-efficient among the feasible options:** {inline(r.pareto_efficient)}"
        )
    if r.excluded:
        pareto += ["", "Excluded:", ""] + pairs(r.excluded)
    _section(out, "Compromise and the Pareto frontier", pareto)
    if r.decision_kind == "portfolio" or r.portfolio is not None:
        portfolio: list[str] = []
        if r.portfolio is not None:
            portfolio = [f"Selected: **{', '.join(r.portfolio_selected) or 'nothing'}**", ""]
            portfolio += pairs(r.portfolio)
            if r.deprioritised:
                portfolio += ["", "What we will not do, and why:", ""] + pairs(r.deprioritised)
        _section(out, "Portfolio", portfolio)
    voting = []
    if r.voting_rows is not None:
        voting = ([inline(r.voting_summary), ""] if r.voting_summary else []) + table(
            ["Rule", "Winner"], r.voting_rows
        )
    _section(out, "Voting rules and rule robustness", voting)
    risks = []
    if r.risk_register:
        risks = table(
            ["Option", "Risk", "Likelihood × impact", "After mitigation", "Mitigation", "Owner"],
            [
                [x.option, x.description, x.before, x.after, x.mitigation, x.owner]
                for x in r.risk_register
            ],
        )
    _section(out, "Risk register", risks)
    governance = []
    if r.governance_ok is not None:
        governance = [
            "Governance checks pass."
            if r.governance_ok
            else "**At least one governance check fails.**"
        ]
        if r.governance_findings:
            governance += [""] + table(["Severity", "Finding", "What to do"], r.governance_findings)
    _section(out, "Governance", governance)
    _section(out, "Decision record", decision_record_lines(r))
    _section(out, "Action register", action_register_lines(r))
    duplicates: list[str] = []
    if r.duplicates is not None:
        duplicates = ([r.duplicates_summary, ""] if r.duplicates_summary else []) + (
            pairs(r.duplicates) or ["No near-duplicates found."]
        )
        if r.themes:
            duplicates += ["", "Themes:", ""] + pairs(r.themes)
    _section(out, "Duplicated initiatives", duplicates)
    _section(
        out, "Method notes", bullets(r.notes) or [f"Utilities: {r.method or 'see provenance'}."]
    )
