"""The analysis's figures in plain words: each sentence flips where it says it does, and the
dashboard and the report print the same sentence for the same case."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from accord.analysis import wording
from accord.analysis.analyze import analyze
from accord.analysis.settings import AnalysisSettings
from accord.io.case_file import parse_case
from accord.report import render
from accord.web import dashboard

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "growth-vs-margin.yaml"
TODAY = dt.date(2026, 11, 23)


def _pricing() -> dict[str, Any]:
    source: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    return source


def _both(source: dict[str, Any]) -> tuple[dashboard.Dashboard, str]:
    """The dashboard and the Markdown report of the case ``source``."""
    case = parse_case(yaml.safe_dump(source, allow_unicode=True, sort_keys=False))
    analysis = analyze(case, settings=AnalysisSettings(draws=0, today=TODAY))
    report = render(analysis, "md")
    assert isinstance(report, str)
    return dashboard.build(case, analysis, {}), report


def _all_weight_on(source: dict[str, Any], stakeholder: str, criterion: str) -> None:
    values = source["inputs"][stakeholder]["weights"]["values"]
    source["inputs"][stakeholder]["weights"]["values"] = {
        c: (1.0 if c == criterion else 0.0) for c in values
    }


@pytest.mark.parametrize(
    ("share", "band"),
    [
        (0.695, "70 or more"),
        (0.694, "Between 40 and 70"),
        (0.395, "Between 40 and 70"),
        (0.394, "Below 40"),
    ],
)
def test_a_component_reads_by_the_band_of_the_score_it_prints(share: float, band: str) -> None:
    rankings, weights = wording.alignment_parts(share, share, None, options=3, excluded=0)
    printed = f"{wording.score(share)} of 100 alike"
    assert printed in rankings and f"). {band}:" in rankings
    assert printed in weights and f"). {band}:" in weights


def test_facts_say_what_to_do_while_some_are_disputed() -> None:
    assert wording.alignment_parts(None, None, 1.0, options=3, excluded=0) == [
        "Facts: nobody disputes any fact. Everyone works from the same facts."
    ]
    assert wording.alignment_parts(None, None, 0.5, options=3, excluded=0)[0].endswith(
        "Settle the disputed facts first: the rest of the argument rests on them."
    )
    assert wording.alignment_parts(None, None, None, options=3, excluded=0) == [
        "Not enough inputs yet to measure agreement."
    ]


def test_ranking_lead_states_ties_a_single_option_and_nothing_feasible() -> None:
    u = {"a": 0.5, "b": 0.5, "c": 0.2}
    assert wording.ranking_lead([["a", "b"], ["c"]], u, {"a", "b", "c"}, str.upper) == (
        "A and B tie at the top of the group ranking with a group score of 50 of 100."
    )
    assert wording.ranking_lead([["a", "b"], ["c"]], u, {"c"}, str.upper) == (
        "C is the only feasible option (group score 20 of 100)."
    )
    assert wording.ranking_lead([["a"]], u, set(), str.upper) == (
        "No option is feasible, so the group ranking puts none first."
    )


def test_one_stakeholders_weight_flips_the_lead_on_the_dashboard_and_in_the_report() -> None:
    before_view, before_report = _both(_pricing())
    lead = (
        "Segment-targeted compromise leads the group ranking with a group score of 74 of 100, "
        "8 points ahead of New packaging with an entry tier."
    )
    assert before_view.ranking_sentence == lead and lead in before_report
    assert "Group utility" not in before_report and "concordance" not in before_report

    edited = _pricing()
    _all_weight_on(edited, "vp-pmm", "gross-margin")  # the PMM now weighs margin alone
    after_view, after_report = _both(edited)
    flipped = (
        "New packaging with an entry tier leads the group ranking with a group score of 73 of "
        "100, 2 points ahead of Segment-targeted compromise."
    )
    assert after_view.ranking_sentence == flipped and flipped in after_report
    assert lead not in after_report


def test_rankings_sentence_crosses_its_bands_when_the_case_is_edited() -> None:
    view, report = _both(_pricing())
    rankings = view.sentences[0]
    assert rankings.startswith(
        "Rankings of all 5 options, the excluded one included: 66 of 100 alike"
    )
    assert rankings.endswith(
        "Between 40 and 70: they share part of an order and differ on the rest."
    )
    assert rankings in report  # the report words it as the dashboard does

    apart = _pricing()
    _all_weight_on(apart, "vp-pmm", "cac-payback")
    view, report = _both(apart)
    assert view.sentences[0].endswith("Below 40: they rank the options in different orders.")
    assert view.sentences[0] in report

    alike = _pricing()
    same = alike["inputs"]["vp-pmm"]["weights"]
    for person in ("cro", "cfo", "ceo", "head-cs"):
        alike["inputs"][person]["weights"] = dict(same, values=dict(same["values"]))
    view, report = _both(alike)
    assert view.sentences[0] == (
        "Rankings of all 5 options, the excluded one included: 100 of 100 alike (Kendall's W "
        "over the order each stakeholder's own weights give them; 100 = everyone's weights "
        "give the same order, 0 = no common order). 70 or more: they largely rank the options "
        "in the same order."
    )
    assert view.sentences[0] in report


# --------------------------------------------------------------------------- excluded marks

PRIVACY = EXAMPLE.with_name("personalisation-privacy.yaml")
REVENUE_GOAL = "Grow online revenue 12% in 2027 through better relevance, not more discounting"


def _privacy() -> dict[str, Any]:
    source: dict[str, Any] = yaml.safe_load(PRIVACY.read_text(encoding="utf-8"))
    return source


def _guardrail(source: dict[str, Any], guardrail: str, **bound: float) -> None:
    (found,) = [g for g in source["guardrails"] if g["id"] == guardrail]
    found.update(bound)


def _relax_every_constraint(source: dict[str, Any]) -> None:
    source["guardrails"] = []
    source["budget"]["amount"] = 10_000_000
    source["capacity"]["amount"] = 10_000


def _outputs(source: dict[str, Any]) -> tuple[Any, dict[str, str]]:
    """The analysis of ``source`` and the text of every output that prints its sentences:
    the CLI's, the Markdown and HTML reports' and the dashboard's."""
    import html
    import io
    import re

    from rich.console import Console

    from accord.cli import analyze_view

    case = parse_case(yaml.safe_dump(source, allow_unicode=True, sort_keys=False))
    analysis = analyze(case, settings=AnalysisSettings(draws=0, today=TODAY))
    console = Console(file=io.StringIO(), width=1000, color_system=None)
    for section in analyze_view.SECTIONS:
        section(analysis, console)
    page = render(analysis, "html")
    markdown = render(analysis, "md")
    assert isinstance(page, str) and isinstance(markdown, str)
    board = dashboard.build(case, analysis, {})
    return analysis, {
        "cli": console.file.getvalue(),  # type: ignore[attr-defined]
        "md": markdown,
        "html": html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))),
        "dashboard": f"{board.status_line} {board.decided}",
    }


def test_an_option_is_marked_excluded_in_common_ground_once_a_guardrail_excludes_it() -> None:
    served = f"{REVENUE_GOAL} is served by "
    analysis, texts = _outputs(_privacy())
    today = served + "Consent-gated partial personalisation, Full profiling with opt-out (excluded)"
    assert today in analysis.common_ground.sentences
    for output in ("cli", "md", "html"):
        assert today in texts[output], output

    tight = _privacy()
    _guardrail(tight, "privacy-ceiling", max=0.5)  # consent-gated's privacy risk is 0.55
    analysis, texts = _outputs(tight)
    both = served + (
        "Consent-gated partial personalisation (excluded), Full profiling with opt-out (excluded)"
    )
    assert both in analysis.common_ground.sentences
    for output in ("cli", "md", "html"):
        assert both in texts[output], output
        assert "(excluded) (excluded)" not in texts[output]

    relaxed = _privacy()
    _relax_every_constraint(relaxed)
    analysis, texts = _outputs(relaxed)
    neither = served + "Consent-gated partial personalisation, Full profiling with opt-out"
    assert neither in analysis.common_ground.sentences
    assert all(o.feasible for o in analysis.options)
    for output in ("cli", "md", "html"):
        assert neither + "\n" in texts[output] or neither + " " in texts[output], output
        assert "(excluded)" not in texts[output], output


def test_the_voting_sentence_marks_a_winner_a_guardrail_excludes() -> None:
    picks = "plurality and irv pick Contextual personalisation only"
    analysis, _ = _outputs(_privacy())
    assert analysis.voting is not None
    assert f"{picks};" in analysis.voting.sentence
    tight = _privacy()
    _guardrail(tight, "privacy-ceiling", max=0.1)  # contextual's privacy risk is 0.15
    analysis, texts = _outputs(tight)
    assert analysis.voting is not None
    assert f"{picks} (excluded);" in analysis.voting.sentence
    assert analysis.voting.sentence in texts["md"]


def test_a_decision_for_an_excluded_option_is_marked_on_the_dashboard_and_in_the_report() -> None:
    source = _privacy()
    source["decisions"][0]["option"] = "full-profiling"
    _, texts = _outputs(source)
    decided = "Full profiling with opt-out (excluded), decided 2026-10-26 by Daniel Kim"
    assert f"Decided: {decided}." in texts["dashboard"]
    assert "**Full profiling with opt-out (excluded)**, decided 26 Oct 2026" in texts["md"]
    assert "Full profiling with opt-out (excluded) (decided 26 Oct 2026" in texts["md"]
    _relax_every_constraint(source)
    _, texts = _outputs(source)
    assert "Decided: Full profiling with opt-out, decided 2026-10-26" in texts["dashboard"]
    assert "**Full profiling with opt-out**, decided 26 Oct 2026" in texts["md"]


def test_the_rankings_sentence_says_it_counts_the_excluded_options_and_how_many() -> None:
    analysis, texts = _outputs(_privacy())
    alignment = analysis.agreement.alignment
    assert (alignment.ranked_options, alignment.ranked_excluded) == (5, 1)
    part = alignment.parts[0]
    assert part.startswith("Rankings of all 5 options, the excluded one included: ")
    assert "the rankings of all 5 options, the excluded one included, are" in alignment.sentence
    assert part in texts["md"] and part in texts["html"]
    assert alignment.sentence in texts["md"]

    tight = _privacy()
    _guardrail(tight, "privacy-ceiling", max=0.5)  # consent-gated excluded too
    analysis, texts = _outputs(tight)
    tightened = analysis.agreement.alignment
    assert tightened.parts[0].startswith(
        "Rankings of all 5 options, the 2 excluded ones included: "
    )
    # The same options are counted, so the figure does not move with the guardrail.
    assert tightened.rankings == alignment.rankings
    assert tightened.parts[0] in texts["md"]
    assert (
        "Kendall's W (agreement of rankings of all 5 options, the 2 excluded ones" in (texts["md"])
    )

    relaxed = _privacy()
    _relax_every_constraint(relaxed)
    analysis, texts = _outputs(relaxed)
    open_ = analysis.agreement.alignment
    assert open_.parts[0].startswith("Rankings of the 5 options: ")
    assert "the rankings of the 5 options are" in open_.sentence
    assert open_.rankings == alignment.rankings
    assert "included" not in open_.parts[0] + open_.sentence


def test_the_facts_sentence_follows_the_disputes_on_the_dashboard_and_in_the_report() -> None:
    source = _pricing()
    facts = source["facts"]
    for fact in facts:
        fact.pop("disputed_by", None)
    view, report = _both(source)
    calm = "Facts: nobody disputes any fact. Everyone works from the same facts."
    assert calm in view.sentences and calm in report

    # One stakeholder now disputes one fact (and no longer accepts it).
    facts[0]["accepted_by"] = [s for s in facts[0].get("accepted_by", []) if s != "cfo"]
    facts[0]["disputed_by"] = ["cfo"]
    view, report = _both(source)
    share = f"{1 / len(facts):.0%}"
    disputed = (
        f"Facts: {share} of the fact base is disputed by someone. Settle the disputed facts "
        "first: the rest of the argument rests on them."
    )
    assert disputed in view.sentences and disputed in report
    assert calm not in report
