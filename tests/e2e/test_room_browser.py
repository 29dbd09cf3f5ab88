"""The live room in real browsers: a facilitator and three participants, each in their own
browser context (own cookies), run one decision from brainstorm to a decision with dissent
stated by the dissenter, with presence, suggested groups, link revocation and the close
confirmation. Screenshots at 1280 and 390 px go to ``ACCORD_SHOTS_DIR`` (default: the test's
temporary folder); at 390 px no page may scroll sideways."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tests.e2e.conftest import WIDTHS, shoot
from tests.e2e.test_a11y import blocking_violations
from tests.e2e.test_workshop_browser import PASSWORD, server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

__all__ = ["server"]  # a fixture, used by name

NAMES = ("Priya", "Omar", "Lena")


def _shoot(page: Page, folder: Path, name: str) -> None:
    shoot(page, folder, f"room-{name}")


def _console_with_links(server: str, browser: Browser) -> tuple[Page, list[str]]:
    fac = browser.new_context().new_page()
    fac.goto(server + "/login")
    fac.fill("input[name=email]", "demo@accord.local")
    fac.fill("input[name=password]", PASSWORD)
    fac.click("button:has-text('Sign in')")
    fac.click("text=FY27 pricing and go-to-market plan")
    fac.click("button:has-text('Start a workshop')")
    links = []
    for name in NAMES:
        fac.fill("input[name=label]", name)
        fac.click("button:has-text('Create a link')")
        links.append(fac.locator("code.copy").inner_text())
    return fac, links


def _join(browser: Browser, link: str, name: str) -> Page:
    page = browser.new_context().new_page()  # a context of their own: no shared cookies
    page.goto(link)
    page.fill("input[name=name]", name)
    page.click("button:has-text('Join')")
    return page


def test_three_participants_run_a_decision_with_their_own_dissent(
    server: str, browser: object, shots: Path
) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    # Boards travel over SSE; on a loaded 2-core machine one can take longer than the 5 s
    # default (a wait for an update, not a timing assertion).
    expect.set_options(timeout=20_000)
    fac, links = _console_with_links(server, browser)
    priya, omar, lena = (
        _join(browser, link, name) for link, name in zip(links, NAMES, strict=True)
    )
    fac.reload()  # the links table is drawn with the page (a GET: no link made again)
    presence = fac.locator(".presence")
    for name in NAMES:
        expect(presence.locator(f"text={name}")).to_be_visible()
        expect(fac.locator(f".links tr:has-text('{name}')")).to_contain_text(name)
    expect(fac.locator(".links tbody tr")).to_have_count(3)
    expect(fac.locator("code.copy")).to_have_count(0)  # a new link is shown once only
    expect(lena.locator(".presence")).to_contain_text("Priya")  # participants see who is here
    expect(lena.locator(".presence")).to_contain_text("Lena (you)")

    fac.fill("textarea[name=items]", "Which pricing plan?\nWhich segments first?\nWho owns it?")
    fac.click("button:has-text('Set the agenda')")
    fac.locator("button:has-text('Start')").first.click()
    expect(fac.locator(".controls button:has-text('Go to')")).to_have_text(["Go to reveal"])

    for page, idea in (
        (priya, "Referral programme for customers"),
        (omar, "Customer referral programme rewards"),
    ):
        expect(page.locator("textarea[name=text]")).to_be_visible()
        page.fill("textarea[name=text]", idea)
        page.click("button:has-text('Add idea')")
    expect(lena.locator("li[data-participant] >> text=wrote ideas")).to_have_count(2)
    expect(lena.locator(".presence")).to_contain_text("2 of 3 wrote ideas")
    lena.fill("textarea[name=text]", "Cut cloud hosting costs")
    lena.click("button:has-text('Add idea')")
    expect(fac.locator(".presence")).to_contain_text("3 of 3 wrote ideas")

    fac.click("button:has-text('Go to reveal')")
    expect(fac.locator(".controls button:has-text('Go to')")).to_have_text(
        ["Go to group", "Go to decide"]
    )
    fac.click("button:has-text('Go to group')")
    suggestion = fac.locator("form.suggestion").first
    expect(suggestion.locator("input[name=ideas]:checked")).to_have_count(2)
    _shoot(fac, shots, "suggestions")
    suggestion.locator("input[name=label]").fill("Referrals")  # edited before accepting
    suggestion.locator("button:has-text('Accept this group')").click()
    expect(priya.locator(".groups h3")).to_have_text(["Referrals"])

    fac.click("button:has-text('Go to vote')")
    for page in (priya, omar, lena):
        expect(page.locator("button:has-text('Cast my dots')")).to_be_visible()
        page.locator("input[name^='dots.']").first.fill("2")
        page.click("button:has-text('Cast my dots')")
    expect(fac.locator(".presence")).to_contain_text("3 of 3 voted")

    fac.click("button:has-text('Go to decide')")
    proposal = fac.locator("form:has(input[value=proposal_made]) input[name=text]")
    proposal.fill("Launch the referral programme in May")
    fac.click("button:has-text('Put to the room')")
    priya.check("input[value=agree]")
    priya.click("button:has-text('State my position')")
    omar.check("input[value=abstain]")
    omar.click("button:has-text('State my position')")
    dissent = "May clashes with the SMB renewals; June would let us staff it."
    lena.check("input[value=disagree]")
    lena.fill("textarea[name=reason]", dissent)
    lena.click("button:has-text('State my position')")
    expect(fac.locator(".decide")).to_contain_text("1 agree · 1 abstain · 1 disagree")
    expect(fac.locator("form:has(input[value=decision_recorded])")).to_contain_text(dissent)
    expect(priya.locator(".presence")).to_contain_text("3 of 3 stated a position")
    expect(priya.locator(f"text={dissent}")).to_have_count(0)  # private until recorded
    _shoot(fac, shots, "console-decide")
    _shoot(lena, shots, "participant-decide")

    fac.fill("textarea[name=rationale]", "Referrals are the cheapest pipeline we have")
    fac.click("button:has-text('Record decision')")
    expect(fac.locator("input[name=decision]")).to_have_count(0)  # the form hides
    expect(fac.locator(".controls")).to_contain_text("Decided")
    expect(priya.locator(".decision")).to_contain_text(dissent)  # verbatim, under Lena's name
    expect(priya.locator(".decision")).to_contain_text("Lena")

    fac.click("button:has-text('Start timer')")
    expect(priya.locator(".timer")).to_be_visible()
    expect(fac.locator("#timer-announce")).to_have_attribute("aria-live", "polite")

    # Omar's link is revoked from the console: his open board stops at once.
    fac.reload()
    fac.locator("tr:has-text('Omar') button:has-text('Revoke')").click()
    expect(fac.locator("tr:has-text('Omar')")).to_contain_text("revoked")
    omar.reload()
    expect(omar.locator("text=this link is not valid any more")).to_be_visible()

    fac.click("text=Close the workshop…")
    expect(fac.locator("ul.undecided li")).to_have_count(2)
    # The recorded decision gets its option picker; axe passes with it at both widths.
    expect(fac.locator("select[name^='option.']")).to_have_count(1)
    for width in WIDTHS:
        fac.set_viewport_size({"width": width, "height": 900})
        assert blocking_violations(fac) == [], f"close page at {width} px"
    _shoot(fac, shots, "close")
    fac.click("button:has-text('Close with 2 undecided')")
    expect(fac.locator(".board-head")).to_contain_text("Closed · review on")
    expect(priya.locator(".board-head")).to_contain_text("Closed · review on")
    _shoot(priya, shots, "closed")
