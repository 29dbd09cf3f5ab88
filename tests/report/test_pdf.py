"""PDF via WeasyPrint: renders when the extra is installed, a clear message when it is not."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from accord.errors import InputError
from accord.report import render
from accord.report.html import render_html
from accord.report.view import build

EXAMPLE_NAMES = sorted(
    p.stem for p in (Path(__file__).resolve().parents[2] / "examples").glob("*.yaml")
)


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_pdf_renders_summary_on_page_one_then_analysis(name: str, example_analysis) -> None:
    pytest.importorskip("weasyprint")
    from accord.report.pdf import render_document

    analysis = example_analysis(name)

    document = render_document(render_html(build(analysis)))
    assert len(document.pages) >= 2  # page 1 is the summary; the analysis starts on page 2
    first = _page_text(document.pages[0])
    assert "Next review" in first and "Full analysis" not in first
    assert "Full analysis" in _page_text(document.pages[1])
    assert document.write_pdf().startswith(b"%PDF-")


def _page_text(page: object) -> str:
    texts: list[str] = []

    def walk(box: object) -> None:
        text = getattr(box, "text", None)
        if isinstance(text, str):
            texts.append(text)
        for child in getattr(box, "children", []) or []:
            walk(child)

    walk(page._page_box)  # type: ignore[attr-defined]
    return " ".join(texts)


def test_pdf_without_weasyprint_names_the_extra(analysis, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import now raises ImportError
    with pytest.raises(InputError, match=r"pip install 'accord\[pdf\]'"):
        render(analysis, "pdf")


def test_render_unknown_format_is_input_error(analysis) -> None:
    with pytest.raises(InputError, match=r"unknown report format 'docx' \(expected one of: html"):
        render(analysis, "docx")
