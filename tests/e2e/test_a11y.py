"""Every page type in a real browser, at a desktop and a phone width: axe-core finds no
serious or critical violation, the page never scrolls sideways at 390 px, and the
report's charts keep labels large enough to read on a phone.

Screenshots go to ``$ACCORD_SHOTS_DIR`` when it is set (``inputs-<page>-<width>.png``),
otherwise to the test's temporary folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from tests.e2e.conftest import WIDTHS, chart_text_outside
from tests.web.conftest import EXAMPLES, served_demo

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PASSWORD = "a11y test password"
BLOCKING = ("serious", "critical")
# Chart labels on a phone: SVG font size x the chart's on-screen scale, in CSS pixels.
MIN_CHART_TEXT_PX = 9.5
# Pairs that, with new-arr-smb / new-arr-ent, link every criterion of the pricing case.
CHAIN = (
    "new-arr-ent.gross-margin",
    "gross-margin.smb-churn",
    "smb-churn.ent-nrr",
    "ent-nrr.cac-payback",
    "cac-payback.time-to-impact",
)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    cases = (EXAMPLES / "growth-vs-margin.yaml", EXAMPLES / "personalisation-privacy.yaml")
    with served_demo(tmp_path, PASSWORD, *cases) as (base, _):
        yield base


def sign_in(browser: Browser, server: str) -> Page:
    page = browser.new_page()
    page.goto(server + "/login")
    page.fill("input[name=email]", "demo@accord.local")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Sign in')")
    return page


def stakeholder_link(page: Page, case_title: str, stakeholder: str) -> str:
    """A new link for ``stakeholder`` (an id) of the case titled ``case_title``."""
    page.click(f"text={case_title}")
    page.select_option("select[name=stakeholder_id]", stakeholder)
    page.click("button:has-text('Create link')")
    return page.locator("code.copy").inner_text()


def blocking_violations(page: Page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    response: dict[str, Any] = Axe().run(page).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in response["violations"]
        if v["impact"] in BLOCKING
    ]


def check_page(page: Page, name: str, shots: Path) -> None:
    """axe at both widths, no sideways scroll at the phone width, and screenshots."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert blocking_violations(page) == [], f"{name} at {width} px"
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert scroll <= inner, f"{name} scrolls sideways at {width} px ({scroll} > {inner})"
        page.screenshot(path=str(shots / f"inputs-{name}-{width}.png"), full_page=True)


def test_every_page_type_is_accessible_at_desktop_and_phone_widths(
    server: str, browser: object, shots: Path
) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    login = browser.new_page()
    login.goto(server + "/login")
    check_page(login, "login", shots)

    fac = sign_in(browser, server)
    check_page(fac, "cases", shots)
    link = stakeholder_link(fac, "FY27 pricing and go-to-market plan", "head-cs")
    check_page(fac, "case", shots)  # with the new link and its reminder showing
    case_url = fac.url
    fac.goto(case_url + "/report")
    check_page(fac, "report", shots)

    fac.goto(server + "/")
    fac.click("text=Personalised storefront and promotions for 2027")
    check_page(fac, "case-decided", shots)
    # The case builder, a case's history and the API tokens page.
    for path, name in (
        ("/cases/new", "builder-new"),
        (case_url.removeprefix(server) + "/build/options", "builder-options"),
        (case_url.removeprefix(server) + "/history", "history"),
        ("/settings/tokens", "tokens"),
        ("/webhooks", "webhooks"),
    ):
        fac.goto(server + path)
        check_page(fac, name, shots)
    # A webhook's own page (with its secret shown) and a case's calendar feed page.
    fac.goto(server + "/webhooks")
    fac.fill("input[name=url]", "https://93.184.216.34/accord")
    fac.select_option("select[name=format]", "slack")
    fac.click("button:has-text('Add webhook')")
    fac.click("button:has-text('Show signing secret')")
    expect(fac.locator("text=Signing secret:")).to_be_visible()
    check_page(fac, "webhook", shots)
    fac.goto(case_url + "/calendar")
    fac.click("button:has-text('Make a feed address')")
    expect(fac.locator("text=New feed address")).to_be_visible()
    check_page(fac, "calendar", shots)

    person = browser.new_page()
    person.goto(link)
    check_page(person, "inputs", shots)
    person.check("input[name='weights.method'][value=ahp]")
    person.select_option("select[name='ahp.new-arr-smb.new-arr-ent']", "3")
    expect(person.locator("#consistency")).to_contain_text("never link")  # one pair is not enough
    for pair in CHAIN:
        person.select_option(f"select[name='ahp.{pair}']", "3")
    expect(person.locator("#consistency")).to_contain_text("Consistency ratio 0.000")
    check_page(person, "inputs-pairwise", shots)

    fac.goto(case_url)
    fac.click("button:has-text('Start a workshop')")
    fac.fill("input[name=label]", "Priya")
    fac.click("button:has-text('Create a link')")
    join = fac.locator("code.copy").inner_text()
    check_page(fac, "workshop", shots)
    participant = browser.new_page()
    participant.goto(join)
    check_page(participant, "join", shots)
    participant.fill("input[name=name]", "Priya")
    participant.click("button:has-text('Join')")
    expect(participant.locator("text=The facilitator has not set the agenda yet")).to_be_visible()
    fac.fill("textarea[name=items]", "Which pricing plan?\nWhich segments first?\nWho owns it?")
    fac.click("button:has-text('Set the agenda')")
    fac.locator("button:has-text('Start')").first.click()
    expect(participant.locator("textarea[name=text]")).to_be_visible()
    check_page(participant, "board", shots)
    check_page(fac, "workshop-brainstorm", shots)


def test_live_regions_are_announced(server: str, browser: object) -> None:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    fac = sign_in(browser, server)
    link = stakeholder_link(fac, "FY27 pricing and go-to-market plan", "cfo")
    person = browser.new_page()
    person.goto(link)
    for region in ("#consistency", "#points-total", "#rank-status", "#crank-status"):
        assert person.get_attribute(region, "aria-live") == "polite", region
    assert fac.get_attribute("#reminder-text-status", "aria-live") == "polite"


def test_report_charts_stay_readable_on_a_phone(server: str, browser: object) -> None:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    fac = sign_in(browser, server)
    fac.click("text=FY27 pricing and go-to-market plan")
    fac.goto(fac.url + "/report")
    sizes: dict[str, list[float]] = {}
    for width in WIDTHS:
        fac.set_viewport_size({"width": width, "height": 900})
        sizes[str(width)] = fac.evaluate(
            """() => Array.from(document.querySelectorAll('figure svg.chart')).map(svg => {
                 const text = svg.querySelector('text');
                 const box = svg.viewBox.baseVal;
                 if (!text || !box || !box.width) { return 99; }
                 const scale = svg.getBoundingClientRect().width / box.width;
                 return parseFloat(getComputedStyle(text).fontSize) * scale;
               })"""
        )
        scroll, inner = fac.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert scroll <= inner
        # Labels and values wrap between words, never inside one ("De / cid / es:").
        broken = fac.evaluate(
            """() => Array.from(document.querySelectorAll('dl.facts dt, dl.facts dd'))
                 .filter(e => {
                   const range = document.createRange();
                   range.selectNodeContents(e);
                   const tops = Array.from(range.getClientRects(), r => Math.round(r.top));
                   return new Set(tops).size > e.textContent.trim().split(/\\s+/).length;
                 }).map(e => e.textContent.trim())"""
        )
        assert broken == [], f"words broken across lines at {width} px: {broken}"
        # No chart text runs off its chart (Pareto labels after a point on the right did).
        clipped = chart_text_outside(fac)
        assert clipped == [], f"chart text outside its chart at {width} px: {clipped}"
    assert len(sizes["390"]) >= 3, "the report should have charts to check"
    assert min(sizes["390"]) >= MIN_CHART_TEXT_PX, sizes
