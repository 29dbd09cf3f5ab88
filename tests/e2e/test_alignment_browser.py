"""The whole alignment in real browsers, one chain: a facilitator builds a case from a
template in forms only, two stakeholders answer through their links, three participants
run a workshop to a decision with a dissent one of them states, the facilitator closes it,
and the case's dashboard, report and calendar (.ics) show the outcome.

Everyone has a browser context of their own (own cookies).  Screenshots at 1280 and 390 px
go to ``ACCORD_SHOTS_DIR`` as ``alignment-<step>-<width>.png`` (default: the test's
temporary folder); at 390 px no page may scroll sideways.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests.e2e.conftest import chart_text_outside, shoot
from tests.web.conftest import served_demo

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PASSWORD = "alignment test password"
TITLE = "FY27 go-to-market: growth or margin"
OPTION = "Usage-based pricing pilot"  # the template's usage-pricing, renamed in the builder
DISSENT = "A pilot this small will not move FY27 ARR; we lose the quarter to it."
ACTION = "Launch the usage-pricing pilot with ten SMB accounts"
#: The workshop's participants: first names of the case's stakeholders (the close matches
#: them to stakeholder ids), so the dissent lands in the decision log under Dana's id.
PEOPLE = ("Sam", "Dana", "Priya")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with served_demo(tmp_path, PASSWORD) as (base, _):  # no case: the builder makes it
        yield base


def _shoot(page: Page, folder: Path, step: str) -> None:
    shoot(page, folder, f"alignment-{step}")


def _save(page: Page, revision: int) -> None:
    from playwright.sync_api import expect

    page.locator("button[value=save]").first.click()
    expect(page.locator("p.notice")).to_have_text(f"Saved as revision {revision}.")


def _build_the_case(fac: Page, server: str, shots: Path) -> int:
    """From the exec-conflict template, one stakeholder, criterion and option edited."""
    from playwright.sync_api import expect

    fac.goto(server + "/")
    fac.click("text=New case from a template")
    fac.check("input[name=template][value=exec-conflict]")
    fac.fill("#new-title", TITLE)
    fac.click("button:has-text('Create case')")
    expect(fac.locator("#f-title")).to_have_value(TITLE)
    case_id = int(re.findall(r"/cases/(\d+)/", fac.url)[0])

    fac.click("nav.builder-nav >> text=Stakeholders")
    expect(fac.locator("#f-stakeholders_1-name")).to_have_value("Dana Ortiz")
    fac.fill("#f-stakeholders_1-role", "Chief Marketing and Growth Officer")
    _save(fac, 2)
    fac.click("nav.builder-nav >> text=Criteria")
    expect(fac.locator("#f-criteria_1-name")).to_have_value("Gross margin")
    fac.fill("#f-criteria_1-name", "Blended gross margin")
    _save(fac, 3)
    fac.click("nav.builder-nav >> text=Options")
    expect(fac.locator("#f-options_1-name")).to_have_value("Usage-based pricing")
    fac.fill("#f-options_1-name", OPTION)
    fac.fill("#f-options_1-cost", "180000")
    _save(fac, 4)
    _shoot(fac, shots, "builder-options")
    fac.click("text=History")
    expect(fac.locator("table.revisions tbody tr")).to_have_count(4)
    return case_id


def _stakeholder_link(fac: Page, server: str, case_id: int, stakeholder: str) -> str:
    fac.goto(f"{server}/cases/{case_id}")
    fac.select_option("select[name=stakeholder_id]", stakeholder)
    fac.click("button:has-text('Create link')")
    return fac.locator("code.copy").inner_text()


def _answer(browser: Browser, link: str, points: tuple[str, str], note: str) -> Page:
    """A stakeholder, in a context of their own: 100 points and a note, saved."""
    from playwright.sync_api import expect

    page = browser.new_context().new_page()
    page.goto(link)
    expect(page.locator("text=Blended gross margin").first).to_be_visible()  # what they judge
    page.check("input[name='weights.method'][value=points]")
    page.fill("input[name='points.arr-growth']", points[0])
    page.fill("input[name='points.gross-margin']", points[1])
    expect(page.locator("#points-total")).to_have_text("Total 100 of 100: ready.")
    page.fill("textarea[name=notes]", note)
    page.click("button:has-text('Save my inputs')")
    expect(page.locator("text=Saved. Thank you.")).to_be_visible()
    return page


def _join(browser: Browser, link: str, name: str) -> Page:
    from playwright.sync_api import expect

    page = browser.new_context().new_page()
    page.goto(link)
    page.fill("input[name=name]", name)
    page.click("button:has-text('Join')")
    expect(page.locator(".presence")).to_contain_text(f"{name} (you)")
    return page


def _run_the_workshop(fac: Page, browser: Browser, due: str, shots: Path) -> str:
    """Three participants to a decision with Dana's own dissent, an action, the close."""
    from playwright.sync_api import expect

    fac.click("button:has-text('Start a workshop')")
    links = []
    for name in PEOPLE:
        fac.fill("input[name=label]", name)
        fac.click("button:has-text('Create a link')")
        links.append(fac.locator("code.copy").inner_text())
    console = fac.url.split("#")[0]
    sam, dana, priya = (_join(browser, link, n) for link, n in zip(links, PEOPLE, strict=True))
    for name in PEOPLE:
        expect(fac.locator(".presence")).to_contain_text(name)

    fac.fill("textarea[name=items]", "Which pricing plan?\nWhich segments first?\nWho owns it?")
    fac.click("button:has-text('Set the agenda')")
    fac.locator("button:has-text('Start')").first.click()
    for page, idea in (
        (sam, "Pilot usage pricing with SMB before committing"),
        (dana, "Discount to fill the pipeline this quarter"),
        (priya, "Protect the 60% margin floor whatever we choose"),
    ):
        expect(page.locator("textarea[name=text]")).to_be_visible()
        page.fill("textarea[name=text]", idea)
        page.click("button:has-text('Add idea')")
    expect(fac.locator(".presence")).to_contain_text("3 of 3 wrote ideas")
    fac.click("button:has-text('Go to reveal')")
    expect(sam.locator("text=Protect the 60% margin floor whatever we choose")).to_be_visible()
    fac.click("button:has-text('Go to decide')")
    proposal = fac.locator("form:has(input[value=proposal_made]) input[name=text]")
    proposal.fill(f"{OPTION}, SMB first")
    fac.click("button:has-text('Put to the room')")
    for page, stance in ((sam, "agree"), (priya, "agree")):
        expect(page.locator(f"input[value={stance}]")).to_be_visible()
        page.check(f"input[value={stance}]")
        page.click("button:has-text('State my position')")
    expect(dana.locator("input[value=disagree]")).to_be_visible()
    dana.check("input[value=disagree]")
    dana.fill("textarea[name=reason]", DISSENT)
    dana.click("button:has-text('State my position')")
    decision = fac.locator("form:has(input[value=decision_recorded])")
    expect(decision).to_contain_text(DISSENT)  # her words, not the facilitator's
    expect(fac.locator(".decide")).to_contain_text("2 agree · 0 abstain · 1 disagree")
    _shoot(dana, shots, "participant-dissent")
    decision.locator("select[name=owner]").select_option(label="Sam")
    decision.locator("textarea[name=rationale]").fill("Tests growth without breaking the floor")
    decision.locator("button:has-text('Record decision')").click()
    expect(fac.locator("input[name=decision]")).to_have_count(0)
    expect(priya.locator(".decision")).to_contain_text(DISSENT)

    action = fac.locator("form:has(input[value=action_added])")
    action.locator("input[name=what]").fill(ACTION)
    action.locator("select[name=owner]").select_option(label="Priya")
    action.locator("input[name=due]").fill(due)
    action.locator("input[name=metric]").fill("Ten accounts billed by usage")
    action.locator("button:has-text('Add action')").click()
    expect(fac.locator(f"td:has-text('{ACTION}')")).to_be_visible()
    _shoot(fac, shots, "console-decided")

    fac.click("text=Close the workshop…")
    expect(fac.locator("ul.undecided li")).to_have_count(2)
    fac.click("button:has-text('Close with 2 undecided')")
    expect(fac.locator(".board-head")).to_contain_text("Closed · review on")
    expect(dana.locator(".board-head")).to_contain_text("Closed · review on")
    return console


def test_a_whole_alignment_from_template_to_outcome(
    server: str, browser: object, shots: Path
) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    # Boards travel over SSE and analyses run in child processes: on a loaded 2-core
    # machine an update can take longer than the 5 s default (a wait, not a timing check).
    expect.set_options(timeout=30_000)
    fac = browser.new_context().new_page()
    fac.goto(server + "/login")
    fac.fill("input[name=email]", "demo@accord.local")
    fac.fill("input[name=password]", PASSWORD)
    fac.click("button:has-text('Sign in')")
    case_id = _build_the_case(fac, server, shots)

    dana_link = _stakeholder_link(fac, server, case_id, "cmo")
    priya_link = _stakeholder_link(fac, server, case_id, "cfo")
    _answer(browser, dana_link, ("65", "35"), "Growth this year pays for margin next year.")
    priya = _answer(browser, priya_link, ("25", "75"), "The 60% floor is not negotiable.")
    _shoot(priya, shots, "stakeholder-inputs")
    fac.goto(f"{server}/cases/{case_id}")
    for name in ("Dana Ortiz", "Priya Shah"):
        expect(fac.locator(f"#inputs tr:has-text('{name}')")).to_contain_text(
            "given through a link on"
        )
    expect(fac.locator("text=The 60% floor is not negotiable.")).to_be_visible()
    expect(fac.locator(".status-line")).to_contain_text("Open: Sam Lee decides")
    _shoot(fac, shots, "dashboard-open")

    due = (dt.date.today() + dt.timedelta(days=21)).isoformat()
    console = _run_the_workshop(fac, browser, due, shots)

    # The workshop's own exports: the summary page and its PDF (the pdf extra is in dev).
    fac.goto(f"{console}/summary")
    expect(fac.locator("main")).to_contain_text(f"Dissent, Dana: “{DISSENT}”")
    printed = fac.request.get(
        server + str(fac.locator("a[href$='summary.pdf']").get_attribute("href"))
    )
    assert printed.ok and printed.headers["content-type"] == "application/pdf"
    assert printed.body().startswith(b"%PDF-")

    # The loop closed: the dashboard, the report and the calendar read the new revision.
    fac.goto(f"{server}/cases/{case_id}")
    status = fac.locator(".status-line")
    expect(status).to_contain_text(f"Decided: {OPTION}, decided {dt.date.today()} by Sam Lee")
    expect(status).to_contain_text("Tests growth without breaking the floor")
    expect(fac.locator(f"text=Dissent, Dana Ortiz: {DISSENT}")).to_be_visible()
    _shoot(fac, shots, "dashboard-decided")

    fac.goto(f"{server}/cases/{case_id}/report")
    expect(fac.locator("#decided")).to_contain_text(f"{OPTION} (decided")
    expect(fac.locator("#decided")).to_contain_text("by Sam Lee")
    # Aggressive discounting breaks the margin floor, so the ranking sentence says so.
    lead = fac.locator("#group-lead")
    expect(lead).to_contain_text(f"{OPTION} is the only feasible option (group score")
    report = fac.locator("main, body").first
    expect(report).to_contain_text(DISSENT)
    expect(report).to_contain_text(ACTION)
    # Two criteria make a narrow weights heatmap: its title still fits its chart.
    assert chart_text_outside(fac) == []
    _shoot(fac, shots, "report")

    fac.goto(f"{server}/cases/{case_id}/calendar")
    fac.click("button:has-text('Make a feed address')")
    feed = fac.locator("code.wrap").inner_text()
    ics = fac.request.get(feed)
    assert ics.ok and ics.headers["content-type"].startswith("text/calendar")
    unfolded = ics.text().replace("\r\n ", "")
    assert f"DTSTART;VALUE=DATE:{due.replace('-', '')}" in unfolded
    assert ACTION in unfolded
