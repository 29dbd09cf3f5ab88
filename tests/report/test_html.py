"""The HTML report states what the analysis holds: one test per section, on real analyses.

Each test reads the typed :class:`Analysis` (the facts) and the parsed page (what a
reader sees), so a report that drops or misreads a section fails here.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from tests.analysis.generated import cases

from accord.analysis.analyze import analyze
from accord.analysis.sections import Analysis
from accord.errors import InputError
from accord.report import render
from accord.report.view import SUMMARY_CRUXES, SUMMARY_DEPRIORITISED, build, date_words

EXAMPLE_NAMES = sorted(
    p.stem for p in (Path(__file__).resolve().parents[2] / "examples").glob("*.yaml")
)

FULL_HEADINGS = [
    "Stakeholder views",
    "Criteria weights",
    "Option scores by stakeholder",
    "Agreement, camps and goal conflicts",
    "Sensitivity: cruxes and what needs to be true",
    "Scenarios",
    "Opinion map",
    "Compromise and the Pareto frontier",
    "Voting rules and rule robustness",
    "Risk register",
    "Governance",
    "Decision record",
    "Action register",
    "Duplicated initiatives",
    "Method notes",
]


def flat(text: str) -> str:
    return " ".join(text.split())


def _h2(page: Any) -> list[str]:
    return [text for tag, _, text in page.headings if tag == "h2"]


@pytest.fixture(scope="module", params=EXAMPLE_NAMES)
def each(request: pytest.FixtureRequest, example_analysis, parse_html) -> tuple[Analysis, Any]:  # type: ignore[no-untyped-def]
    """Every example: its analysis and its parsed HTML page."""
    analysis = example_analysis(request.param)
    return analysis, parse_html(render(analysis, "html"))


def test_headings_in_order(each, summary_headings) -> None:  # type: ignore[no-untyped-def]
    analysis, page = each
    assert _h2(page)[: len(summary_headings)] == summary_headings
    full = [h for h in _h2(page)[len(summary_headings) :] if h != "Portfolio"]
    assert full == FULL_HEADINGS
    assert ("Portfolio" in _h2(page)) == (analysis.case.decision_kind == "portfolio")


def test_question_and_decider(each) -> None:  # type: ignore[no-untyped-def]
    analysis, page = each
    assert page.text("question") == flat(analysis.case.question)
    owner = analysis.case.decision_owner
    assert owner is not None and page.text("decider").startswith(owner.name)


def test_recommendation_is_the_analysis_recommendation(each) -> None:  # type: ignore[no-untyped-def]
    analysis, page = each
    if analysis.portfolio is not None:
        shown = page.classes["recommended"][0]
        for option in analysis.portfolio.funded:
            assert analysis.option_name(option) in shown
        return
    rec = analysis.choice.recommendation
    assert rec is not None
    assert page.classes["recommended"] == [analysis.option_name(rec.option)]
    assert flat(rec.sentence) in page.text("recommendation")


def test_alignment_index_and_label(each) -> None:  # type: ignore[no-untyped-def]
    analysis, page = each
    alignment = analysis.agreement.alignment
    assert alignment.index is not None
    assert f"{alignment.index:.0f}" in page.text("alignment")
    assert f"{alignment.label} alignment" in page.text("alignment")


def test_common_ground_sentences(each) -> None:  # type: ignore[no-untyped-def]
    analysis, page = each
    assert analysis.common_ground is not None
    text = page.text("common-ground").lower()
    for sentence in analysis.common_ground.sentences[:4]:
        assert flat(sentence).lower() in text


def test_page_one_shows_one_crux_per_disagreeing_principal(each) -> None:  # type: ignore[no-untyped-def]
    analysis, page = each
    headlines = [c for c in analysis.cruxes.items if c.headline]
    shown = page.classes.get("crux", [])
    assert shown == [flat(c.if_otherwise) for c in headlines[:SUMMARY_CRUXES]]
    table = page.text("sensitivity")
    for crux in headlines[SUMMARY_CRUXES:]:  # "N more in the full analysis": they are there
        assert flat(crux.sentence) in table
    assert len({c.stakeholder for c in headlines}) == len(headlines)  # one per principal
    rec = analysis.choice.recommendation if analysis.choice else None
    for crux in headlines:
        person = analysis.stakeholder(crux.stakeholder or "")
        assert person.raci != "informed"
        if rec is not None:
            assert rec.option not in person.top_feasible  # they disagree today
            assert crux.challenger == rec.option
    for line in analysis.cruxes.acceptability:
        assert flat(line.sentence) in page.text("cruxes")


def test_every_disagreeing_principal_has_a_headline(each) -> None:  # type: ignore[no-untyped-def]
    analysis, _ = each
    rec = analysis.choice.recommendation if analysis.choice else None
    if rec is None:
        return
    heads = {c.stakeholder for c in analysis.cruxes.items if c.headline}
    unreachable = {n.stakeholder for n in analysis.cruxes.no_single_change}
    for person in analysis.stakeholders:
        if (
            person.has_inputs
            and person.raci != "informed"
            and rec.option not in person.top_feasible
        ):
            assert person.id in heads | unreachable, person.id


def test_excluded_options_with_every_reason(each) -> None:  # type: ignore[no-untyped-def]
    analysis, page = each
    assert analysis.choice is not None
    shown = page.classes.get("excluded-option", [])
    assert shown == [analysis.option_name(e.option) for e in analysis.choice.excluded]
    for exclusion in analysis.choice.excluded:
        assert flat(exclusion.sentence) in page.text("compromise")


def test_excluded_options_are_marked_in_the_group_table(each) -> None:  # type: ignore[no-untyped-def]
    analysis, page = each
    text = page.text("option-scores")
    for option in analysis.options:
        if not option.feasible:
            assert f"{option.name} (excluded)" in text
    # The group's feasible best is never an excluded option.
    assert all(analysis.option(o).feasible for o in analysis.group.best)


def test_recommendation_risks_name_mitigation_and_owner(each) -> None:  # type: ignore[no-untyped-def]
    analysis, page = each
    rec = analysis.choice.recommendation if analysis.choice else None
    if rec is None or not rec.risks:
        return
    text = page.text("risks")
    worst = max(rec.risks, key=lambda r: r.residual_exposure)
    assert flat(worst.description) in text
    if worst.owner:
        assert analysis.stakeholder_name(worst.owner) in text


def test_deprioritised_lists_what_will_not_be_done(each) -> None:  # type: ignore[no-untyped-def]
    analysis, page = each
    text = page.text("deprioritised")
    listed_names = {row.label for row in build(analysis).deprioritised}
    if analysis.portfolio is not None:
        for item in analysis.portfolio.deprioritised[:SUMMARY_DEPRIORITISED]:
            assert flat(item.sentence) in text
        assert listed_names == {
            analysis.option_name(d.option) for d in analysis.portfolio.deprioritised
        }
        assert not listed_names & {analysis.option_name(o) for o in analysis.portfolio.funded}
        return
    latest = analysis.latest_decision
    done = set(latest.options) if latest else set()
    rec = analysis.choice.recommendation
    for option in analysis.options:
        listed = option.name in listed_names
        if option.id in done or (rec is not None and option.id == rec.option):
            assert not listed  # what was decided or recommended is being done
        elif not option.feasible:
            assert not listed  # shown as excluded instead


def test_next_actions_overdue_first(each) -> None:  # type: ignore[no-untyped-def]
    analysis, page = each
    text = page.text("next-actions")
    open_actions = [a for a in analysis.actions if not a.done]
    overdue = [a for a in open_actions if a.overdue]
    on_time = [a for a in open_actions if not a.overdue]
    if overdue and on_time:
        first_on_time = min(on_time, key=lambda a: a.deadline or "")
        assert text.index(flat(overdue[0].title)) < text.index(flat(first_on_time.title))
    assert text.count("overdue") == min(len(overdue), 6)


def test_next_review_is_the_analysis_review(each) -> None:  # type: ignore[no-untyped-def]
    analysis, page = each
    review = analysis.next_review
    assert review is not None
    text = page.text("next-review")
    assert date_words(review.date) in text and flat(review.sentence) in text


def test_stakeholder_cards_show_first_feasible_choice(each) -> None:  # type: ignore[no-untyped-def]
    analysis, page = each
    text = page.text("stakeholder-views")
    for person in analysis.stakeholders:
        assert person.name in text
        if person.top_feasible:
            assert analysis.option_name(person.top_feasible[0]) in text
    excluded_tops = [
        p for p in analysis.stakeholders if p.top and not analysis.option(p.top[0]).feasible
    ]
    assert text.count("excluded") >= len(excluded_tops)


def test_scenarios_best_is_feasible_and_stated(each) -> None:  # type: ignore[no-untyped-def]
    analysis, page = each
    scenarios = analysis.scenarios
    assert scenarios is not None
    text = page.text("scenarios")
    for sentence in scenarios.sentences:
        assert flat(sentence) in text
    for option in scenarios.most_often_best + scenarios.least_regret:
        assert analysis.option(option).feasible
    for scenario in scenarios.scenarios:
        assert scenario.name in text


def test_voting_rules_and_sentence(each) -> None:  # type: ignore[no-untyped-def]
    analysis, page = each
    voting = analysis.voting
    assert voting is not None
    text = page.text("voting")
    assert flat(voting.sentence) in text
    for rule in voting.rules:
        assert rule.rule in text


def test_risk_register_lists_every_risk(each) -> None:  # type: ignore[no-untyped-def]
    analysis, page = each
    assert analysis.risks is not None
    text = page.text("risk-register")
    for entry in analysis.risks.entries:
        assert flat(entry.description) in text


def test_governance_findings(each) -> None:  # type: ignore[no-untyped-def]
    analysis, page = each
    text = page.text("governance")
    assert ("passed" in text) == analysis.governance.ok
    for finding in analysis.governance.findings:
        assert flat(finding.message) in text


def test_decision_record_keeps_dissent(each) -> None:  # type: ignore[no-untyped-def]
    analysis, page = each
    text = page.text("decision-record")
    for decision in analysis.decisions:
        for dissent in decision.dissent:
            assert analysis.stakeholder_name(dissent.by) in text
            assert flat(dissent.reason) in text
        for assumption in decision.assumptions:
            assert flat(assumption.statement) in text


def test_action_register_lists_every_action(each) -> None:  # type: ignore[no-untyped-def]
    analysis, page = each
    text = page.text("action-register")
    for action in analysis.actions:
        assert flat(action.title) in text
    assert text.count("overdue") == sum(a.overdue for a in analysis.actions)


def test_opinion_map_groups_and_statements(each) -> None:  # type: ignore[no-untyped-def]
    analysis, page = each
    opinion = analysis.opinion
    assert opinion is not None
    text = page.text("opinion-map")
    for letter, _ in zip("ABCDEFGH", opinion.groups, strict=False):
        assert f"Group {letter}" in text
    consensus = {c.statement for c in opinion.consensus}
    divisive = {d.statement for d in opinion.divisive}
    assert not consensus & divisive  # never both
    for c in opinion.consensus:
        assert flat(c.text) in text


def test_agreement_goal_conflicts_and_disputed_facts(each) -> None:  # type: ignore[no-untyped-def]
    analysis, page = each
    text = page.text("agreement")
    for conflict in analysis.cruxes.goal_conflicts:
        assert flat(conflict.sentence) in text
    for fact in analysis.agreement.disputed_facts:
        assert flat(fact.statement) in text


def test_crux_table_states_the_shown_threshold(each) -> None:  # type: ignore[no-untyped-def]
    analysis, page = each
    text = page.text("sensitivity")
    rows = build(analysis).cruxes[:15]
    for row in rows:
        assert flat(row.sentence) in text
    assert {r.sentence for r in build(analysis).cruxes} == {
        c.sentence for c in analysis.cruxes.items
    }


def test_portfolio_funded_and_budget(portfolio_analysis, parse_html) -> None:  # type: ignore[no-untyped-def]
    portfolio = portfolio_analysis.portfolio
    assert portfolio is not None and portfolio.cost <= portfolio.budget
    text = parse_html(render(portfolio_analysis, "html")).text("portfolio")
    for option in portfolio.funded:
        assert portfolio_analysis.option_name(option) in text
    for item in portfolio.deprioritised:
        assert flat(item.sentence) in text


def test_duplicates_name_options_not_references(portfolio_analysis, parse_html) -> None:  # type: ignore[no-untyped-def]
    found = portfolio_analysis.duplicates
    assert found is not None and found.options is not None and found.options.clusters
    section = parse_html(render(portfolio_analysis, "html")).text("duplicates")
    for cluster in found.options.clusters:
        for member in cluster.members:
            assert portfolio_analysis.option_name(member.removeprefix("option:")) in section
    for theme in found.themes:
        assert ", ".join(theme.top_terms) in section
    assert "option:" not in section.lower()


def test_pareto_caption_matches_what_is_drawn(analysis, parse_html) -> None:  # type: ignore[no-untyped-def]
    html = render(analysis, "html")
    chart = re.search(r'<svg class="chart"[^>]*aria-label="Pareto chart.*?</svg>', html, re.S)
    assert chart is not None
    excluded = [o.name for o in analysis.options if not o.feasible]
    assert excluded  # the example excludes an option: it must be drawn as such
    assert "Excluded by a guardrail or the budget" in chart.group(0)
    assert "grey crosses are excluded" in parse_html(html).text("pareto")


def test_no_network_resource_and_unique_ids(analysis, parse_html) -> None:  # type: ignore[no-untyped-def]
    html = render(analysis, "html")
    page = parse_html(html)
    assert all(not re.match(r"(?i)\s*(https?:)?//", ref) for ref in page.references)
    assert not re.search(r"(?i)https?://", html)  # not even a namespace URL
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert len(page.ids) == len(set(page.ids))
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html


def test_render_is_deterministic(analysis) -> None:  # type: ignore[no-untyped-def]
    assert render(analysis, "html") == render(analysis, "html")


def test_case_without_inputs_says_not_available(
    sparse_analysis, parse_html, summary_headings
) -> None:  # type: ignore[no-untyped-def]
    page = parse_html(render(sparse_analysis, "html"))
    assert _h2(page)[: len(summary_headings)] == summary_headings
    assert sparse_analysis.agreement.alignment.index is None
    assert "not measured" in page.text("alignment")
    for section in ("scenarios", "opinion-map", "voting", "decision-record", "action-register"):
        assert "Not available for this case" in page.text(section), section


def test_case_text_is_escaped(analysis) -> None:  # type: ignore[no-untyped-def]
    case = dataclasses.replace(analysis.case, question="<script>alert(1)</script> & more?")
    html = render(dataclasses.replace(analysis, case=case), "html")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_dollar_signs_in_names_are_drawn_as_written(analysis) -> None:  # type: ignore[no-untyped-def]
    # Matplotlib reads "$...$" as TeX; an unbalanced "$" or "\\frac" used to fail the report.
    options = [dataclasses.replace(o, name=f"${o.name} \\frac$ $5m") for o in analysis.options]
    html = render(dataclasses.replace(analysis, options=options), "html")
    assert "\\frac$ $5m" in html


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_generated_cases_render_in_both_formats(case) -> None:  # type: ignore[no-untyped-def]
    try:
        analysis = analyze(case)
    except InputError:
        assume(False)  # e.g. no criterion left with data: analyze refuses, located
        raise
    markdown = render(analysis, "md")
    assert isinstance(markdown, str) and case.question in markdown
    for option in analysis.options:
        if not option.feasible:
            assert f"{option.name} (excluded)" in markdown
    html = render(analysis, "html")
    assert isinstance(html, str) and "Top cruxes" in html


def test_utility_and_scenario_numbers_are_captioned_where_they_are_printed(
    analysis, sparse_analysis, parse_html
) -> None:  # type: ignore[no-untyped-def]
    from markupsafe import escape

    from accord.analysis.wording import SCENARIO_MEANING, UTILITY_MEANING

    html = str(render(analysis, "html"))
    page = parse_html(html)
    # The utilities chart is captioned in its own figure, the scenario table in its section.
    chart = html.index('id="option-scores"')
    caption = f"<figcaption>{escape(UTILITY_MEANING)}</figcaption>"
    assert html.index(caption, chart) < html.index('id="agreement"')
    assert UTILITY_MEANING in page.text("option-scores")
    assert SCENARIO_MEANING in page.text("scenarios")
    bare = parse_html(render(sparse_analysis, "html"))
    assert UTILITY_MEANING not in bare.text("option-scores")
    assert SCENARIO_MEANING not in bare.text("scenarios")
