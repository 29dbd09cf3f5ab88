"""Charts are matplotlib SVG, cut down for inlining, and the same bytes every time."""

from __future__ import annotations

import re

from accord.report import charts
from accord.report.view import build


def _all_charts(analysis: dict) -> list[str]:
    report = build(analysis)
    assert report.weights and report.utilities and report.scenario_matrix and report.pareto_pair
    assert report.opinion_points is not None and report.alignment_index is not None
    return [
        charts.weight_heatmap(report.weights),
        charts.utility_dots(report.utilities),
        charts.crux_tornado(report.cruxes),
        charts.weight_stability(report.weight_stability),
        charts.scenario_heat(report.scenario_matrix, len(report.scenario_names)),
        charts.pareto_scatter(report.pareto_pair, report.pareto_points),
        charts.opinion_scatter(report.opinion_points),
        charts.alignment_gauge(report.alignment_index),
    ]


def test_charts_are_inline_svg_without_metadata_or_urls(analysis_dict) -> None:
    for svg in _all_charts(analysis_dict):
        assert svg.startswith('<svg class="chart" role="img" aria-label="')
        assert "<metadata" not in svg and "xmlns" not in svg
        assert not re.search(r"https?://", svg)
        assert "Date" not in svg


def test_charts_are_byte_identical_across_renders(analysis_dict) -> None:
    assert _all_charts(analysis_dict) == _all_charts(analysis_dict)


def test_charts_ids_never_collide_between_charts(analysis_dict) -> None:
    ids = [i for svg in _all_charts(analysis_dict) for i in re.findall(r'\bid="([^"]+)"', svg)]
    assert len(ids) == len(set(ids))
    for svg in _all_charts(analysis_dict):  # every internal reference points inside the chart
        own = set(re.findall(r'\bid="([^"]+)"', svg))
        assert set(re.findall(r'(?:href="#|url\(#)([^")]+)', svg)) <= own


def test_weight_stability_lists_most_fragile_first(analysis_dict) -> None:
    rows = build(analysis_dict).weight_stability
    assert [r.label for r in rows] == [
        "Marcus Reyes: New ARR, SMB",
        "Elena Brandt: Blended gross margin",
    ]
    assert (
        rows[0].below == "Segment-targeted compromise"
    )  # the group interval never flips: left out


def test_pareto_frontier_marks_efficient_options(analysis_dict) -> None:
    report = build(analysis_dict)
    assert report.pareto_pair == ("Marcus Reyes", "Priya Natarajan")  # the sharpest conflict
    efficient = {name for name, _, _, flag in report.pareto_points if flag}
    assert efficient == {
        "Aggressive SMB discounting",
        "New packaging with an entry tier",
        "Segment-targeted compromise",
    }
