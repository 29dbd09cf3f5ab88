"""A live workshop in real browsers (Debian's chromium through Playwright): boards update
over Server-Sent Events without reloads, silent brainstorming stays silent, and what
someone is typing survives a board update."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests.web.conftest import EXAMPLES, served_demo

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PASSWORD = "browser test password"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with served_demo(tmp_path, PASSWORD, EXAMPLES / "growth-vs-margin.yaml") as (base, _):
        yield base


def _facilitator_with_a_workshop_link(server: str, browser: Browser) -> tuple[Page, str]:
    """The demo facilitator, signed in, on a new workshop of the pricing case; Priya's link."""
    fac = browser.new_page()
    fac.goto(server + "/login")
    fac.fill("input[name=email]", "demo@accord.local")
    fac.fill("input[name=password]", PASSWORD)
    fac.click("button:has-text('Sign in')")
    fac.click("text=FY27 pricing and go-to-market plan")
    fac.click("button:has-text('Start a workshop')")
    fac.fill("input[name=label]", "Priya")
    fac.click("button:has-text('Create a link')")
    return fac, fac.locator("code.copy").inner_text()


def test_workshop_boards_update_live_in_the_browser(server: str, browser: object) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    fac, link = _facilitator_with_a_workshop_link(server, browser)

    priya = browser.new_page()
    priya.goto(link)
    priya.fill("input[name=name]", "Priya")
    priya.click("button:has-text('Join')")
    expect(priya.locator("text=The facilitator has not set the agenda yet")).to_be_visible()
    expect(fac.locator("text=1 joined")).to_be_visible()  # arrived over the stream

    fac.fill("textarea[name=items]", "Which pricing plan?\nWhich segments first?\nWho owns it?")
    fac.click("button:has-text('Set the agenda')")
    fac.locator("button:has-text('Start')").first.click()
    # Priya's page was never reloaded: the stream brought the agenda and the idea box.
    expect(priya.locator("textarea[name=text]")).to_be_visible()
    priya.fill("textarea[name=text]", "Cap the SMB discount at 90 days")
    priya.click("button:has-text('Add idea')")
    expect(fac.locator("text=Priya: 1")).to_be_visible()
    expect(fac.locator("text=Cap the SMB discount at 90 days")).to_have_count(0)

    # Half-typed text survives a board update caused by someone else.
    priya.fill("textarea[name=text]", "Half-typed second idea")
    fac.click("button:has-text('Start timer')")
    expect(priya.locator(".timer")).to_be_visible()
    expect(priya.locator("textarea[name=text]")).to_have_value("Half-typed second idea")

    fac.click("button:has-text('Go to reveal')")
    expect(fac.locator("text=Cap the SMB discount at 90 days")).to_be_visible()
    # Only the moves the rules accept are offered: from reveal, group or decide, not vote.
    expect(fac.locator("button:has-text('Go to group')")).to_be_visible()
    expect(fac.locator("button:has-text('Go to vote')")).to_have_count(0)


def test_a_command_resent_after_a_lost_answer_is_stored_once(server: str, browser: object) -> None:
    from playwright.sync_api import Browser, Route, expect

    assert isinstance(browser, Browser)
    fac, link = _facilitator_with_a_workshop_link(server, browser)
    priya = browser.new_page()
    priya.goto(link)
    priya.fill("input[name=name]", "Priya")
    priya.click("button:has-text('Join')")
    fac.fill("textarea[name=items]", "Which pricing plan?\nWhich segments first?\nWho owns it?")
    fac.click("button:has-text('Set the agenda')")
    fac.locator("button:has-text('Start')").first.click()
    expect(priya.locator("textarea[name=text]")).to_be_visible()

    lost: list[str] = []

    def lose_the_first_answer(route: Route) -> None:
        if lost:
            route.continue_()
            return
        route.fetch()  # the server stores the idea and answers ...
        lost.append(route.request.post_data or "")
        route.abort("connectionreset")  # ... but the answer never reaches the browser

    priya.route("**/commands", lose_the_first_answer)
    priya.fill("textarea[name=text]", "Sent once, answered once")
    priya.click("button:has-text('Add idea')")
    for _ in range(100):  # the route handler runs while Playwright waits
        if lost:
            break
        priya.wait_for_timeout(50)
    assert lost and "command_key=" in lost[0]
    expect(priya.locator(".htmx-request")).to_have_count(0)  # the browser saw the failure
    # The person sends the same idea again (the board may have cleared the box meanwhile).
    priya.fill("textarea[name=text]", "Sent once, answered once")
    priya.click("button:has-text('Add idea')")
    expect(priya.locator("textarea[name=text]")).to_have_value("")
    fac.click("button:has-text('Go to reveal')")
    expect(fac.locator("text=Sent once, answered once")).to_have_count(1)
