"""Golden tests on the HTML report: structured assertions on the parsed page, not byte snapshots."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from accord.report import render

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


def _names(analysis: dict[str, Any], key: str) -> dict[str, str]:
    return {item["id"]: item["name"] for item in analysis[key]}


def _h2(page: Any) -> list[str]:
    return [text for tag, _, text in page.headings if tag == "h2"]


def test_html_summary_headings_in_order(analysis_dict, parse_html, summary_headings) -> None:
    page = parse_html(render(analysis_dict, "html"))
    assert _h2(page)[: len(summary_headings)] == summary_headings


def test_html_full_analysis_headings_in_order(analysis_dict, parse_html, summary_headings) -> None:
    page = parse_html(render(analysis_dict, "html"))
    full = [h for h in _h2(page)[len(summary_headings) :] if h != "Portfolio"]
    assert full == FULL_HEADINGS
    assert "Portfolio" in _h2(page)  # the sample carries a portfolio result


def test_html_summary_states_question_recommendation_and_decider(analysis_dict, parse_html) -> None:
    page = parse_html(render(analysis_dict, "html"))
    assert page.text("question") == analysis_dict["case"]["question"]
    assert page.classes["recommended"] == ["Segment-targeted compromise"]
    assert page.text("decider") == "Elena Brandt, Chief Executive Officer"
    assert "58" in page.text("alignment")


def test_html_summary_shows_one_crux_per_stakeholder_first(analysis_dict, parse_html) -> None:
    page = parse_html(render(analysis_dict, "html"))
    shown = page.classes["crux"]
    assert len(shown) == 3
    sentences = [c.get("sentence") or c.get("explanation") for c in analysis_dict["cruxes"]]
    assert shown == [" ".join(s.split()) for s in sentences[:3]]  # three different people


def test_html_summary_lists_excluded_options_with_reasons(analysis_dict, parse_html) -> None:
    page = parse_html(render(analysis_dict, "html"))
    options = _names(analysis_dict, "options")
    text = page.text("compromise")
    assert page.classes["excluded-option"] == [
        options[e["option"]] for e in analysis_dict["excluded"]
    ]
    for excluded in analysis_dict["excluded"]:
        for reason in excluded["reasons"]:
            assert reason in text


def test_html_summary_lists_open_actions_with_owners_overdue_first(
    analysis_dict, parse_html
) -> None:
    page = parse_html(render(analysis_dict, "html"))
    people = _names(analysis_dict, "stakeholders")
    text = page.text("next-actions")
    open_actions = [a for a in analysis_dict["actions"] if not a["done"]]
    for action in open_actions:
        assert action["title"] in text and people[action["owner"]] in text
    assert "Draft deal-desk rules" not in text  # done: only in the action register
    assert text.index("Share cohort churn") < text.index("Re-cut SMB win-rate")  # overdue first
    assert "overdue" in text


def test_html_summary_risks_name_mitigations_and_owners(analysis_dict, parse_html) -> None:
    text = parse_html(render(analysis_dict, "html")).text("risks")
    assert "Deal-desk rule in CPQ" in text and "Owner: Priya Natarajan" in text


def test_html_next_review_is_the_earliest_date_ahead(analysis_dict, parse_html) -> None:
    text = parse_html(render(analysis_dict, "html")).text("next-review")
    # The cadence starts on the day the report is for, before the decision's review date.
    assert "23 Nov 2026 : 14-day review" in text


def test_html_decision_record_shows_dissent(analysis_dict, parse_html) -> None:
    text = parse_html(render(analysis_dict, "html")).text("decision-record")
    assert "Marcus Reyes" in text and "15% is less than the competitor's cut" in text
    assert "Blended margin stays at or above 72%" in text


def test_html_references_no_network_resource(analysis_dict, parse_html) -> None:
    html = render(analysis_dict, "html")
    page = parse_html(html)
    assert all(not re.match(r"(?i)\s*(https?:)?//", ref) for ref in page.references)
    assert not re.search(r"(?i)https?://", html)  # not even a namespace URL
    assert "<script" not in html and "<link" not in html and "@import" not in html


def test_html_element_ids_are_unique(analysis_dict, parse_html) -> None:
    ids = parse_html(render(analysis_dict, "html")).ids
    assert len(ids) == len(set(ids))


def test_html_charts_inline_svg(analysis_dict) -> None:
    html = render(analysis_dict, "html")
    assert html.count('<svg class="chart"') == 8  # gauge + 7 charts in the full analysis
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html


def test_html_render_is_deterministic(analysis_dict) -> None:
    assert render(analysis_dict, "html") == render(analysis_dict, "html")


def test_html_missing_sections_say_not_available(
    sparse_analysis, parse_html, summary_headings
) -> None:
    page = parse_html(render(sparse_analysis, "html"))
    assert _h2(page)[: len(summary_headings)] == summary_headings
    for section in (
        "compromise",
        "risks",
        "scenarios",
        "opinion-map",
        "voting",
        "duplicates",
        "decision-record",
        "action-register",
        "next-actions",
    ):
        assert "Not available for this case" in page.text(section), section


def test_html_survives_an_almost_empty_analysis(parse_html) -> None:
    page = parse_html(render({"case": {"id": "c", "title": "T", "question": "Q?"}}, "html"))
    assert page.text("question") == "Q?"
    assert page.text("recommendation").count("Not available") == 1


def test_html_escapes_case_text(analysis_dict) -> None:
    analysis_dict["case"]["question"] = "<script>alert(1)</script> & more?"
    html = render(analysis_dict, "html")
    assert "<script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_html_example_states_the_analysis(
    name: str, example_analysis, parse_html, summary_headings
) -> None:
    analysis = example_analysis(name)
    page = parse_html(render(analysis, "html"))
    people = _names(analysis, "stakeholders")
    options = _names(analysis, "options")
    assert _h2(page)[: len(summary_headings)] == summary_headings
    assert page.text("question") == " ".join(analysis["case"]["question"].split())
    owner = analysis["case"]["decision_owner"]
    assert page.text("decider").startswith(owner["name"])
    recommendation = analysis["recommendation"]
    if recommendation and recommendation.get("option"):
        assert options[recommendation["option"]] in page.classes["recommended"][0]
    # The top crux of the analysis is on page 1, word for word.
    if analysis["cruxes"]:
        top = analysis["cruxes"][0].get("sentence") or analysis["cruxes"][0]["explanation"]
        assert " ".join(top.split()) in page.classes["crux"]
    for excluded in analysis["excluded"]:
        assert options[excluded["option"]] in page.text("compromise")
    open_actions = [a for a in analysis["actions"] if not a["done"]]
    for action in sorted(open_actions, key=lambda a: (not a["overdue"], a["deadline"]))[:6]:
        assert people[action["owner"]] in page.text("next-actions")
    for person in analysis["stakeholders"]:
        assert person["name"] in page.text("stakeholder-views")
    for decision in analysis["decisions"]:
        for dissent in decision["dissent"]:
            assert " ".join(dissent["reason"].split()) in page.text("decision-record")
    assert analysis["provenance"]["case_sha256"][:16] in html_footer(page)


def html_footer(page: Any) -> str:
    return " ".join(page.classes.get("provenance", []))


def test_html_duplicates_name_options_not_references(example_analysis, parse_html) -> None:
    analysis = example_analysis("budget-workshop")
    options = _names(analysis, "options")
    page = parse_html(render(analysis, "html"))
    section = page.text("duplicates")
    for cluster in analysis["duplicates"]["clusters"]:
        for member in cluster["members"]:
            assert options[member.removeprefix("option:")] in section
    assert "option:" not in section.lower()


def test_html_decided_option_is_never_listed_as_deprioritised(example_analysis, parse_html) -> None:
    # personalisation-privacy records a decision (staged experiment) that differs from today's
    # recommendation; what was decided is being done, so it is not "de-prioritised".
    analysis = example_analysis("personalisation-privacy")
    decided = analysis["decisions"][-1]["option"]
    page = parse_html(render(analysis, "html"))
    assert _names(analysis, "options")[decided] not in page.text("deprioritised")
