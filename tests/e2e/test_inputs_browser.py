"""A stakeholder gives inputs in a real browser: ranking by keyboard only and by drag,
the chosen weight method alone shown, the running 100-point total, and what they saved
reaching the facilitator's dashboard."""

from __future__ import annotations

from tests.e2e.test_a11y import server, sign_in, stakeholder_link

__all__ = ["server"]  # a fixture used below


def _positions(page: object, prefix: str) -> dict[str, str]:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    found: dict[str, str] = page.evaluate(
        f"""() => Object.fromEntries(Array.from(
              document.querySelectorAll("input[name^='{prefix}.']")).map(
              el => [el.name.slice({len(prefix) + 1}), el.value]))"""
    )
    return found


def test_options_are_ranked_with_the_keyboard_alone(server: str, browser: object) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    fac = sign_in(browser, server)
    link = stakeholder_link(fac, "FY27 pricing and go-to-market plan", "head-cs")
    page = browser.new_page()
    page.goto(link)
    # Grace's case-file ranking ties New packaging and Hold prices first.
    first = page.locator("ol[data-sortable] >> nth=1").locator("li").first
    expect(first).to_have_attribute("data-name", "New packaging with an entry tier")
    assert _positions(page, "rank")["hold-and-hire"] == "1"
    down = page.get_by_role("button", name="Move New packaging with an entry tier down")
    down.focus()
    page.keyboard.press("Enter")  # a keyboard user, no mouse
    expect(page.locator("#rank-status")).to_have_text(
        "New packaging with an entry tier is now number 2 of 5"
    )
    expect(down).to_be_focused()
    ranks = _positions(page, "rank")
    assert ranks["packaging-tiers"] == "2" and ranks["hold-and-hire"] == "1"
    assert sorted(ranks.values()) == ["1", "2", "3", "4", "5"]  # the tie is broken
    # Alt+ArrowUp on the moved item's field brings it back; Alt+ArrowDown moves it on.
    page.focus("input[name='rank.packaging-tiers']")
    page.keyboard.press("Alt+ArrowUp")
    assert _positions(page, "rank")["packaging-tiers"] == "1"
    page.keyboard.press("Alt+ArrowDown")
    page.keyboard.press("Alt+ArrowDown")
    expected = _positions(page, "rank")
    assert expected["packaging-tiers"] == "3"
    page.click("button:has-text('Save my inputs')")
    expect(page.locator("text=Saved. Thank you.")).to_be_visible()
    assert _positions(page, "rank") == expected  # the saved ranking comes back as typed
    fac.reload()
    row = fac.locator("#inputs tr:has-text('Grace Liu')")
    expect(row).to_contain_text("given through a link on")


def test_criteria_are_ranked_by_drag(server: str, browser: object) -> None:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    fac = sign_in(browser, server)
    page = browser.new_page()
    page.goto(stakeholder_link(fac, "FY27 pricing and go-to-market plan", "cro"))
    page.check("input[name='weights.method'][value=rank]")
    criteria = page.locator("fieldset[data-method=rank] li")
    last = criteria.last.get_attribute("data-name")
    criteria.last.drag_to(criteria.first, target_position={"x": 20, "y": 2})
    assert criteria.first.get_attribute("data-name") == last
    ranks = _positions(page, "crank")
    assert sorted(ranks.values(), key=int) == [str(i) for i in range(1, len(ranks) + 1)]


def test_only_the_chosen_weight_method_is_shown_and_points_are_totalled(
    server: str, browser: object
) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    fac = sign_in(browser, server)
    page = browser.new_page()
    page.goto(stakeholder_link(fac, "FY27 pricing and go-to-market plan", "cro"))
    page.check("input[name='weights.method'][value=points]")
    expect(page.locator("fieldset[data-method=points]")).to_be_visible()
    for other in ("direct", "rank", "ahp"):
        expect(page.locator(f"fieldset[data-method={other}]")).to_be_hidden()
    boxes = page.locator("input[data-points]")
    for i in range(boxes.count()):
        boxes.nth(i).fill("")
    boxes.nth(0).fill("60")
    expect(page.locator("#points-total")).to_have_text("Total 60 of 100 (40 left to give).")
    boxes.nth(1).fill("40")
    expect(page.locator("#points-total")).to_have_text("Total 100 of 100: ready.")
    page.click("button:has-text('Save my inputs')")
    expect(page.locator("text=Saved. Thank you.")).to_be_visible()
    expect(page.locator("input[name='weights.method'][value=points]")).to_be_checked()


def test_reminder_is_copied_with_the_link(server: str, browser: object) -> None:
    from playwright.sync_api import Browser, expect
    from tests.e2e.test_a11y import PASSWORD

    assert isinstance(browser, Browser)
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    fac = context.new_page()
    fac.goto(server + "/login")
    fac.fill("input[name=email]", "demo@accord.local")
    fac.fill("input[name=password]", PASSWORD)
    fac.click("button:has-text('Sign in')")
    link = stakeholder_link(fac, "FY27 pricing and go-to-market plan", "head-cs")
    fac.click("button:has-text('Copy the reminder')")
    expect(fac.locator("#reminder-text-status")).to_have_text("Copied.")
    copied = fac.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Hello Grace Liu") and copied.endswith(link)
    context.close()
