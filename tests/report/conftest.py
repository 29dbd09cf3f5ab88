"""Fixtures for the report tests: real analyses of real cases, never hand-written dicts.

``analysis`` is the personalisation-privacy example (a recorded decision with dissent,
overdue actions, governance findings, four disagreeing principals); ``portfolio_analysis``
is the budget workshop (funded set, duplicates, themes); ``sparse_analysis`` is a case
with no stakeholder inputs at all.  Each is analysed once per run on a fixed day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from accord.analysis.analyze import analyze
from accord.analysis.sections import Analysis
from accord.analysis.settings import AnalysisSettings
from accord.io.case_file import load_case

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
TODAY = dt.date(2026, 12, 2)
_ANALYSES: dict[str, Analysis] = {}


def analysis_of(path: Path) -> Analysis:
    """The analysis of one case file on :data:`TODAY`, computed once per run (it is frozen)."""
    key = str(path)
    if key not in _ANALYSES:
        _ANALYSES[key] = analyze(load_case(path), settings=AnalysisSettings(today=TODAY))
    return _ANALYSES[key]


def example(name: str) -> Analysis:
    return analysis_of(EXAMPLES / f"{name}.yaml")


@pytest.fixture(scope="session")
def example_analysis():  # type: ignore[no-untyped-def]
    """A function: example name -> its analysis (each example analysed once per run)."""
    return example


@pytest.fixture(scope="session")
def analysis() -> Analysis:
    return example("personalisation-privacy")


@pytest.fixture(scope="session")
def portfolio_analysis() -> Analysis:
    return example("budget-workshop")


@pytest.fixture(scope="session")
def sparse_analysis(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    """The inverse-goals template with every input removed: nothing to weigh or compare."""
    data = yaml.safe_load((ROOT / "src/accord/templates/inverse-goals.yaml").read_text())
    data["inputs"] = {}
    path = tmp_path_factory.mktemp("sparse") / "no-inputs.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return analysis_of(path)


# ---------------------------------------------------------------- parsing the rendered HTML

from html.parser import HTMLParser  # noqa: E402

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class ReportPage(HTMLParser):
    """The facts a reader sees: headings in order, text under each id, every resource reference."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[str, str, str]] = []  # (tag, section id, text)
        self.text_by_id: dict[str, list[str]] = {}
        self.ids: list[str] = []
        self.references: list[str] = []  # src / href values and url(...) in styles
        self.classes: dict[str, list[str]] = {}  # class name -> texts of elements with it
        self._stack: list[tuple[str, str | None, list[str], list[str]]] = []
        self._section: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("src", "href", "xlink:href", "action", "poster", "data"):
            if found.get(name):
                self.references.append(str(found[name]))
        if found.get("style"):
            self.references += _urls(str(found["style"]))
        element_id = found.get("id")
        if element_id:
            self.ids.append(element_id)
        if tag in VOID:
            return
        if tag == "section":
            self._section.append(element_id or "")
        classes = (found.get("class") or "").split()
        self._stack.append((tag, element_id, classes, []))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("src", "href", "xlink:href"):
            if found.get(name):
                self.references.append(str(found[name]))
        if found.get("id"):
            self.ids.append(str(found["id"]))

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            open_tag, element_id, classes, texts = self._stack.pop()
            text = " ".join("".join(texts).split())
            if open_tag in ("h1", "h2", "h3"):
                self.headings.append((open_tag, self._section[-1] if self._section else "", text))
            if element_id:
                self.text_by_id.setdefault(element_id, []).append(text)
            for name in classes:
                self.classes.setdefault(name, []).append(text)
            if open_tag == "section" and self._section:
                self._section.pop()
            if self._stack:
                self._stack[-1][3].append(" " + "".join(texts) + " ")
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._stack:
            self._stack[-1][3].append(data)
        if self._stack and self._stack[-1][0] == "style":
            self.references += _urls(data)

    def text(self, element_id: str) -> str:
        return " ".join(self.text_by_id.get(element_id, []))

    def h2_in(self, section: str) -> list[str]:
        return [text for tag, where, text in self.headings if tag == "h2" and where == section]


def _urls(css: str) -> list[str]:
    import re

    return re.findall(r"url\(\s*['\"]?([^'\")]+)", css)


@pytest.fixture(scope="session")
def parse_html():  # type: ignore[no-untyped-def]
    def parse(page: str) -> ReportPage:
        parser = ReportPage()
        parser.feed(page)
        parser.close()
        return parser

    return parse


@pytest.fixture(scope="session")
def summary_headings() -> list[str]:
    """Page 1's sections in the order issue 8 lists them, the same in every format."""
    return [
        "Recommendation",
        "Alignment index",
        "Common ground",
        "Top cruxes: what must be verified",
        "Compromise and excluded options",
        "Risks of the recommendation",
        "Explicitly de-prioritised",
        "Next actions",
        "Next review",
    ]
