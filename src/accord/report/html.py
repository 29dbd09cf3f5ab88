"""Analysis -> one self-contained HTML page (inline CSS and SVG; nothing fetched, ever)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from accord.report import view
from accord.report.chart_workers import ChartJob, Draw, draw_here

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,  # a typo in a template fails the tests, not the reader
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def chart_jobs(report: view.Report) -> dict[str, ChartJob]:
    """Every chart the report has data for, as a job for :mod:`accord.report.charts`."""
    jobs: dict[str, ChartJob] = {}
    if report.alignment_index is not None:
        jobs["gauge"] = ("alignment_gauge", (report.alignment_index,))
    if report.weights is not None and report.weights.rows:
        jobs["weights"] = ("weight_heatmap", (report.weights,))
    if report.utilities is not None and report.utilities.rows:
        jobs["utilities"] = ("utility_dots", (report.utilities,))
    if any(c.relative_change is not None for c in report.cruxes):
        jobs["tornado"] = ("crux_tornado", (report.cruxes,))
    if report.weight_stability:
        jobs["stability"] = ("weight_stability", (report.weight_stability,))
    if report.scenario_matrix is not None:
        jobs["scenarios"] = ("scenario_heat", (report.scenario_matrix, len(report.scenario_names)))
    if report.pareto_pair is not None and len(report.pareto_points) >= 2:
        jobs["pareto"] = ("pareto_scatter", (report.pareto_pair, report.pareto_points))
    if report.opinion_points:
        jobs["opinion"] = ("opinion_scatter", (report.opinion_points,))
    return jobs


def chart_set(report: view.Report, draw: Draw = draw_here) -> dict[str, Markup | None]:
    """Every chart as inline SVG, ``None`` where the case has no data for it."""
    drawn = draw(chart_jobs(report))
    keys = ("gauge", "weights", "utilities", "tornado", "stability", "scenarios", "pareto")
    return {key: Markup(drawn[key]) if key in drawn else None for key in (*keys, "opinion")}


def render_html(report: view.Report, draw: Draw = draw_here) -> str:
    """The report page as one HTML string; ``draw`` draws its charts (see
    :class:`accord.report.chart_workers.ChartWorkers`)."""
    environment = _environment()
    charts = chart_set(report, draw)
    context: dict[str, Any] = {
        "r": report,
        "css": Markup((TEMPLATES / "report.css").read_text(encoding="utf-8")),
        "charts": charts,
        "gauge": charts["gauge"],
        "limits": {
            "cruxes": view.SUMMARY_CRUXES,
            "risks": view.SUMMARY_RISKS,
            "actions": view.SUMMARY_ACTIONS,
            "common_ground": view.SUMMARY_COMMON_GROUND,
            "deprioritised": view.SUMMARY_DEPRIORITISED,
            "acceptability": view.SUMMARY_ACCEPTABILITY,
            "crux_table": view.FULL_CRUXES,
        },
    }
    return environment.get_template("report.html.j2").render(context)
