"""Charts are matplotlib SVG, cut down for inlining, the same bytes every time, and true to
what the analysis says."""

from __future__ import annotations

import re

from accord.analysis.sections import Analysis
from accord.report import charts
from accord.report.view import build


def _all_charts(analysis: Analysis) -> list[str]:
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


def test_inline_svg_without_metadata_or_urls(analysis) -> None:  # type: ignore[no-untyped-def]
    for svg in _all_charts(analysis):
        assert svg.startswith('<svg class="chart" role="img" aria-label="')
        assert "<metadata" not in svg and "xmlns" not in svg
        assert not re.search(r"https?://", svg)
        assert "Date" not in svg


def test_byte_identical_across_renders(analysis) -> None:  # type: ignore[no-untyped-def]
    assert _all_charts(analysis) == _all_charts(analysis)


def test_ids_never_collide_between_charts(analysis) -> None:  # type: ignore[no-untyped-def]
    drawn = _all_charts(analysis)
    ids = [i for svg in drawn for i in re.findall(r'\bid="([^"]+)"', svg)]
    assert len(ids) == len(set(ids))
    for svg in drawn:  # every internal reference points inside the chart
        own = set(re.findall(r'\bid="([^"]+)"', svg))
        assert set(re.findall(r'(?:href="#|url\(#)([^")]+)', svg)) <= own


def test_weight_stability_most_fragile_first(analysis) -> None:  # type: ignore[no-untyped-def]
    rows = build(analysis).weight_stability
    assert rows
    assert [r.margin for r in rows] == sorted(r.margin for r in rows)
    for row in rows:
        assert row.low <= row.weight <= row.high
        assert row.below or row.above  # an interval that never flips is left out


def test_pareto_points_follow_the_analysis(analysis) -> None:  # type: ignore[no-untyped-def]
    report = build(analysis)
    sharpest = min(analysis.cruxes.goal_conflicts, key=lambda c: c.correlation or 2.0)
    assert report.pareto_pair == (
        analysis.stakeholder_name(sharpest.first),
        analysis.stakeholder_name(sharpest.second),
    )
    efficient = {p.option for p in report.pareto_points if p.efficient}
    assert efficient == {analysis.option_name(o) for o in analysis.choice.pareto}
    for point in report.pareto_points:
        assert (
            point.feasible
            == analysis.option(
                next(o.id for o in analysis.options if o.name == point.option)
            ).feasible
        )
        assert not (point.efficient and not point.feasible)  # filled means feasible
