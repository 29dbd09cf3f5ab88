"""The Markdown report states the same facts as the HTML, as GFM a wiki accepts (no HTML)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from accord.report import render

EXAMPLE_NAMES = sorted(
    p.stem for p in (Path(__file__).resolve().parents[2] / "examples").glob("*.yaml")
)


def _headings(markdown: str, level: int) -> list[str]:
    return re.findall(rf"^{'#' * level} (.+)$", markdown, flags=re.M)


def test_markdown_has_summary_then_full_analysis(analysis_dict, summary_headings) -> None:
    markdown = render(analysis_dict, "md")
    assert isinstance(markdown, str)
    assert _headings(markdown, 2) == ["Summary", "Full analysis"]
    assert _headings(markdown, 3)[: len(summary_headings)] == summary_headings


def test_markdown_states_the_same_facts_as_html(analysis_dict) -> None:
    markdown = render(analysis_dict, "md")
    assert "**Segment-targeted compromise**" in markdown
    assert "**Decides:** Elena Brandt, Chief Executive Officer" in markdown
    for crux in analysis_dict["cruxes"][:3]:
        assert " ".join((crux.get("sentence") or crux["explanation"]).split()) in markdown
    for excluded in analysis_dict["excluded"]:
        for reason in excluded["reasons"]:
            assert reason in markdown
    assert (
        "| 20 Nov 2026 | Share cohort churn analysis with sales ops | Priya Natarajan |" in markdown
    )


def test_markdown_has_no_html_and_valid_tables(analysis_dict) -> None:
    markdown = render(analysis_dict, "md")
    assert not re.search(r"<[a-zA-Z/]", markdown)
    for block in re.findall(r"(?:^\|.*\|$\n?)+", markdown, flags=re.M):
        rows = block.strip().splitlines()
        widths = {len(re.findall(r"(?<!\\)\|", row)) for row in rows}
        assert len(widths) == 1, block  # every row has as many cells as the header
        assert re.fullmatch(r"\|( ---:? \|)+", rows[1])


def test_markdown_escapes_pipes_in_cells(analysis_dict) -> None:
    analysis_dict["actions"][0]["title"] = "Split | merge"
    assert "Split \\| merge" in render(analysis_dict, "md")


def test_markdown_missing_sections_say_not_available(sparse_analysis) -> None:
    markdown = render(sparse_analysis, "md")
    assert markdown.count("_Not available for this case._") >= 8


def test_markdown_is_deterministic(analysis_dict) -> None:
    assert render(analysis_dict, "md") == render(analysis_dict, "md")


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_markdown_example_names_owner_and_top_crux(name: str, example_analysis) -> None:
    analysis = example_analysis(name)
    markdown = render(analysis, "md")
    assert analysis["case"]["decision_owner"]["name"] in markdown
    if analysis["cruxes"]:
        top = analysis["cruxes"][0].get("sentence") or analysis["cruxes"][0]["explanation"]
        assert " ".join(top.split()) in markdown
