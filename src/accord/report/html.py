"""Analysis -> one self-contained HTML page (inline CSS and SVG; nothing fetched, ever)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from accord.report import charts, view

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


def chart_set(report: view.Report) -> dict[str, Markup | None]:
    """Every chart the report has data for, as inline SVG (``None`` where data is missing)."""
    out: dict[str, Markup | None] = dict.fromkeys(
        ("weights", "utilities", "tornado", "stability", "scenarios", "pareto", "opinion"), None
    )
    if report.weights is not None and report.weights.rows:
        out["weights"] = Markup(charts.weight_heatmap(report.weights))
    if report.utilities is not None and report.utilities.rows:
        out["utilities"] = Markup(charts.utility_dots(report.utilities))
    if any(c.relative_change is not None for c in report.cruxes):
        out["tornado"] = Markup(charts.crux_tornado(report.cruxes))
    if report.weight_stability:
        out["stability"] = Markup(charts.weight_stability(report.weight_stability))
    if report.scenario_matrix is not None:
        out["scenarios"] = Markup(
            charts.scenario_heat(report.scenario_matrix, len(report.scenario_names))
        )
    if report.pareto_pair is not None and len(report.pareto_points) >= 2:
        out["pareto"] = Markup(charts.pareto_scatter(report.pareto_pair, report.pareto_points))
    if report.opinion_points:
        out["opinion"] = Markup(charts.opinion_scatter(report.opinion_points))
    return out


def render_html(report: view.Report) -> str:
    """The report page as one HTML string."""
    environment = _environment()
    context: dict[str, Any] = {
        "r": report,
        "css": Markup((TEMPLATES / "report.css").read_text(encoding="utf-8")),
        "charts": chart_set(report),
        "gauge": Markup(charts.alignment_gauge(report.alignment_index))
        if report.alignment_index is not None
        else None,
        "limits": {
            "cruxes": view.SUMMARY_CRUXES,
            "risks": view.SUMMARY_RISKS,
            "actions": view.SUMMARY_ACTIONS,
            "common_ground": view.SUMMARY_COMMON_GROUND,
            "crux_table": view.FULL_CRUXES,
        },
    }
    return environment.get_template("report.html.j2").render(context)
