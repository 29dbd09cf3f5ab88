"""Analysis -> Markdown / self-contained HTML / PDF.

>>> sorted(FORMATS)
['html', 'md', 'pdf']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal

from accord.errors import InputError

if TYPE_CHECKING:
    from accord.analysis.sections import Analysis

Format = Literal["html", "md", "pdf"]
FORMATS: dict[str, Format] = {"html": "html", "md": "md", "pdf": "pdf"}


def render(
    analysis: Analysis,
    format: str,
    draw: Callable[[Mapping[str, Any]], dict[str, str]] | None = None,
) -> bytes | str:
    """Render ``analysis`` as ``html`` or ``md`` (str) or ``pdf`` (bytes).

    ``draw`` draws the HTML and PDF charts (default: in this process; the CLI passes
    :meth:`accord.report.chart_workers.ChartWorkers.draw`).
    """
    if format not in FORMATS:
        raise InputError(
            f"unknown report format {format!r} (expected one of: {', '.join(sorted(FORMATS))})"
        )
    from accord.report import view

    report = view.build(analysis)
    if format == "md":
        from accord.report.markdown import render_markdown

        return render_markdown(report)
    from accord.report.chart_workers import draw_here
    from accord.report.html import render_html

    page = render_html(report, draw or draw_here)
    if format == "html":
        return page
    from accord.report.pdf import render_pdf

    return render_pdf(page)
