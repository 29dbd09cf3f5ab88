"""What every browser test shares: Debian's chromium (installed by `make test`, never a
downloaded browser) and the folder screenshots go to.

Screenshots go to ``$ACCORD_SHOTS_DIR`` when it is set (to look at them after a run),
otherwise to the test's temporary folder.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WIDTHS = (1280, 390)
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("ACCORD_REQUIRE_SERVICES") == "1":
            pytest.fail(f"chromium not found at {CHROMIUM}: `make test` installs it")
        pytest.skip("chromium is not installed (make test installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("ACCORD_SHOTS_DIR") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shoot(page: Page, folder: Path, name: str) -> None:
    """A full-page screenshot ``<name>-<width>.png`` at each width; none may scroll sideways."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(100)  # let the layout settle after the resize
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
        sideways = page.evaluate(
            "document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"
        )
        assert sideways <= 0, f"{name} scrolls sideways by {sideways} px at {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})


#: The text of every chart on the page that reaches past its chart's own box (cut off).
CHART_TEXT_OUTSIDE = """() => Array.from(document.querySelectorAll('svg.chart')).flatMap(svg => {
  const box = svg.viewBox.baseVal;
  if (!box || !box.width || !svg.getCTM()) { return []; }
  const into = svg.getCTM().inverse();
  return Array.from(svg.querySelectorAll('text')).filter(t => {
    const b = t.getBBox();
    const m = into.multiply(t.getCTM());
    const xs = [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height],
                [b.x + b.width, b.y + b.height]].map(([x, y]) => m.a * x + m.c * y + m.e);
    return Math.min(...xs) < box.x - 1 || Math.max(...xs) > box.x + box.width + 1;
  }).map(t => `${svg.getAttribute('aria-label')}: ${t.textContent.trim()}`);
})"""


def chart_text_outside(page: Page) -> list[str]:
    """Chart labels and titles cut off by their chart's edge (``[]`` when none)."""
    found: list[str] = page.evaluate(CHART_TEXT_OUTSIDE)
    return found
