"""The case builder in a real browser: a facilitator builds a case from a template without
touching YAML, saves with a mistake (the message sits next to the field), fixes it, adds a
stakeholder, reads the history and the diff, and downloads YAML that the CLI accepts.

Screenshots at 1280 and 390 px go to ``ACCORD_SHOTS_DIR`` (default: the test's temporary
folder); at 390 px no page may scroll sideways, and axe-core finds no serious or critical
violation on any builder page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.e2e.conftest import shoot
from tests.e2e.test_workshop_browser import PASSWORD, server

from accord.io.case_file import load_case

if TYPE_CHECKING:
    from playwright.sync_api import Page

__all__ = ["server"]  # a fixture, used by name


def _check(page: Page, folder: Path, name: str) -> None:
    """Screenshots at each width (no sideways scroll) and an axe-core run on the page."""
    shoot(page, folder, f"builder-{name}")
    serious = _axe_violations(page)
    assert not serious, f"{name}: axe-core finds {serious}"


def _axe_violations(page: Page) -> list[str]:
    """The serious and critical axe-core rule violations on the page, as 'rule: target'."""
    from axe_playwright_python.sync_playwright import Axe

    results: Any = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in ("serious", "critical"):
            targets = [str(n.get("target")) for n in violation.get("nodes", [])][:3]
            found.append(f"{violation['id']}: {', '.join(targets)}")
    return found


def test_facilitator_builds_a_case_without_yaml(
    server: str, browser: object, shots: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    page = browser.new_context(accept_downloads=True).new_page()
    page.goto(server + "/login")
    page.fill("input[name=email]", "demo@accord.local")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Sign in')")

    page.click("text=New case from a template")
    page.check("input[name=template][value=exec-conflict]")
    page.fill("#new-title", "Q3 pricing: growth or margin")
    _check(page, shots, "new")
    page.click("button:has-text('Create case')")
    expect(page.locator("h1")).to_have_text("The decision")
    expect(page.locator("#f-title")).to_have_value("Q3 pricing: growth or margin")
    _check(page, shots, "case")

    # A mistake: the budget's amount beyond the loader's limit. The message is next to it.
    page.click("nav.builder-nav >> text=Budget")
    page.fill("#f-budget-amount", "1e308")
    page.locator("button[value=save]").first.click()
    error = page.locator("#f-budget-amount-error")
    expect(error).to_contain_text("expected a finite number of at most 1e+15, got '1e308'")
    expect(page.locator("#f-budget-amount")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#problems")).to_contain_text("budget.amount")
    _check(page, shots, "error")
    page.fill("#f-budget-amount", "250000")
    page.locator("button[value=save]").first.click()
    expect(page.locator("p.notice")).to_have_text("Saved as revision 2.")

    # A new stakeholder with role, RACI and authority, in forms only.
    page.click("nav.builder-nav >> text=Stakeholders")
    entries = page.locator("#f-stakeholders > fieldset.entry")
    before = entries.count()
    page.click("button:has-text('Add stakeholder')")
    new = f"f-stakeholders_{before}"
    expect(page.locator(f"#{new}-id")).to_be_focused()
    page.fill(f"#{new}-id", "coo")
    page.fill(f"#{new}-name", "Morgan Hale")
    page.fill(f"#{new}-role", "Chief Operating Officer")
    page.select_option(f"#{new}-raci", "consulted")
    page.fill(f"#{new}-authority-level", "5")
    page.locator("button[value=save]").first.click()
    expect(page.locator("p.notice")).to_have_text("Saved as revision 3.")
    expect(entries).to_have_count(before + 1)
    _check(page, shots, "stakeholders")

    page.click("text=History")
    rows = page.locator("table.revisions tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("added stakeholder 'coo'")
    expect(rows.last).to_contain_text("created from template 'exec-conflict'")
    _check(page, shots, "history")
    page.check("input[name=old][value='1']")
    page.click("button:has-text('Compare')")
    expect(page.locator("ul.changes")).to_contain_text("added stakeholder 'coo'")
    expect(page.locator("ul.changes")).to_contain_text("changed budget (amount)")
    expect(page.locator("pre.diff .add").first).to_be_visible()
    _check(page, shots, "diff")

    with page.expect_download() as download:
        page.click("text=Download YAML")
    target = tmp_path / "downloaded.yaml"
    download.value.save_as(target)
    case = load_case(target)  # what `accord validate` runs
    assert case.title == "Q3 pricing: growth or margin"
    assert case.budget is not None and case.budget.amount == 250000
    coo = case.stakeholder("coo")
    assert (coo.raci, coo.authority and coo.authority.level) == ("consulted", 5)
