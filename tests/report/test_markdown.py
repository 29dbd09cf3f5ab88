"""The Markdown report states the same facts as the HTML, as GFM a wiki accepts (no HTML)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from accord.report import render
from accord.report.view import SUMMARY_CRUXES

EXAMPLE_NAMES = sorted(
    p.stem for p in (Path(__file__).resolve().parents[2] / "examples").glob("*.yaml")
)


def _headings(markdown: str, level: int) -> list[str]:
    return re.findall(rf"^{'#' * level} (.+)$", markdown, flags=re.M)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_summary_then_full_analysis(analysis, summary_headings) -> None:  # type: ignore[no-untyped-def]
    markdown = render(analysis, "md")
    assert isinstance(markdown, str)
    assert _headings(markdown, 2) == ["Summary", "Full analysis"]
    assert _headings(markdown, 3)[: len(summary_headings)] == summary_headings


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_states_the_same_facts_as_the_analysis(name: str, example_analysis) -> None:  # type: ignore[no-untyped-def]
    analysis = example_analysis(name)
    markdown = flat(render(analysis, "md"))
    owner = analysis.case.decision_owner
    assert f"**Decides:** {owner.name}" in markdown
    if analysis.choice.recommendation is not None:
        assert f"**{analysis.option_name(analysis.choice.recommendation.option)}**" in markdown
    headlines = [c for c in analysis.cruxes.items if c.headline]
    for crux in headlines[:SUMMARY_CRUXES]:
        assert flat(crux.if_otherwise) in markdown
    for crux in headlines[SUMMARY_CRUXES:]:
        assert flat(crux.sentence) in markdown
    for exclusion in analysis.choice.excluded:
        assert flat(exclusion.sentence) in markdown
    for action in analysis.actions:
        assert flat(action.title) in markdown
    for decision in analysis.decisions:
        for dissent in decision.dissent:
            assert flat(dissent.reason) in markdown


def test_no_html_and_valid_tables(analysis) -> None:  # type: ignore[no-untyped-def]
    markdown = render(analysis, "md")
    assert not re.search(r"<[a-zA-Z/]", markdown)
    for block in re.findall(r"(?:^\|.*\|$\n?)+", markdown, flags=re.M):
        rows = block.strip().splitlines()
        widths = {len(re.findall(r"(?<!\\)\|", row)) for row in rows}
        assert len(widths) == 1, block  # every row has as many cells as the header
        assert re.fullmatch(r"\|( ---:? \|)+", rows[1])


def test_pipes_in_cells_are_escaped(analysis) -> None:  # type: ignore[no-untyped-def]
    actions = [
        dataclasses.replace(analysis.actions[0], title="Split | merge"),
        *analysis.actions[1:],
    ]
    assert "Split \\| merge" in render(dataclasses.replace(analysis, actions=actions), "md")


def test_case_without_inputs_says_not_available(sparse_analysis) -> None:  # type: ignore[no-untyped-def]
    markdown = render(sparse_analysis, "md")
    assert markdown.count("_Not available for this case._") >= 6
    assert "not measured" in markdown


def test_deterministic(analysis) -> None:  # type: ignore[no-untyped-def]
    assert render(analysis, "md") == render(analysis, "md")


def test_utility_and_scenario_numbers_are_captioned_where_they_are_printed(  # type: ignore[no-untyped-def]
    analysis, sparse_analysis
) -> None:
    from accord.analysis.wording import SCENARIO_MEANING, UTILITY_MEANING

    lines = str(render(analysis, "md")).splitlines()
    people = [s.name for s in analysis.stakeholders if s.utilities]
    header = "| Option | " + " | ".join(people) + " |"
    at = lines.index(header)  # the table of bare 0-1 utilities ...
    assert lines[at - 2] == UTILITY_MEANING  # ... has its meaning just above it
    assert "weighted value score under that stakeholder's own weights" in UTILITY_MEANING
    scenarios = next(i for i, line in enumerate(lines) if "| Expected | Max regret" in line)
    assert lines[scenarios - 2] == SCENARIO_MEANING
    bare = str(render(sparse_analysis, "md"))  # nothing scored: no caption for nothing
    assert UTILITY_MEANING not in bare and SCENARIO_MEANING not in bare
