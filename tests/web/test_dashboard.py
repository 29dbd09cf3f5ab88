"""The dashboard tells the truth: each sentence is read from the typed Analysis and flips
when the case is edited at the point the analysis says it should."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml
from tests.web.conftest import EXAMPLES, Web, csrf_of

from accord.analysis.analyze import analyze
from accord.analysis.settings import AnalysisSettings
from accord.io.case_file import parse_case
from accord.web import dashboard
from accord.web.dashboard import Dashboard

TODAY = dt.date(2026, 11, 23)


def _source(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    return loaded


def _view(source: dict[str, Any], web_inputs: dict[str, dt.datetime] | None = None) -> Dashboard:
    case = parse_case(yaml.safe_dump(source, allow_unicode=True, sort_keys=False))
    analysis = analyze(case, settings=AnalysisSettings(draws=0, today=TODAY))
    return dashboard.build(case, analysis, web_inputs or {})


def test_decided_case_names_option_date_and_owner_and_open_case_its_deadline() -> None:
    source = _source("personalisation-privacy.yaml")
    decided = _view(source)
    assert decided.status == "decided"
    assert decided.status_line == (
        "Decided: Staged consent-gated experiment, decided 2026-10-26 by Daniel Kim."
    )
    assert decided.rationale is not None and "eight-week experiment" in decided.rationale
    assert ("Chloé Martin", "Too small and too slow to change promotion spend in H1 2027") in (
        decided.dissent
    )
    source["decisions"] = []
    for action in source["actions"]:
        action.pop("decision", None)
    opened = _view(source)
    assert opened.status == "open" and opened.dissent == []
    assert opened.status_line.startswith("Open: ") and "decides by" in opened.status_line


def test_missing_inputs_are_named_and_the_sentence_flips_when_they_arrive() -> None:
    source = _source("growth-vs-margin.yaml")
    full = _view(source)
    assert full.inputs_sentence == "All 6 stakeholders have given their inputs."
    assert full.inputs_missing == []
    del source["inputs"]["head-cs"]
    missing = _view(source)
    assert missing.inputs_missing == ["Grace Liu"]
    assert missing.inputs_sentence == "1 of 6 stakeholders have not given inputs yet: Grace Liu."


def test_overdue_actions_appear_until_marked_done() -> None:
    source = _source("personalisation-privacy.yaml")
    view = _view(source)
    assert any(o.startswith("Complete the DPIA for the consent-gated design") for o in view.overdue)
    dpia = next(a for a in source["actions"] if a["title"].startswith("Complete the DPIA"))
    assert re.search(r"days? late\)$", view.overdue[-1])
    dpia["done"] = True
    after = _view(source)
    assert not any(o.startswith("Complete the DPIA") for o in after.overdue)


def test_next_review_is_stated() -> None:
    view = _view(_source("growth-vs-margin.yaml"))
    assert view.next_review is not None and "review" in view.next_review


def test_alignment_is_explained_in_words_without_bare_coefficients() -> None:
    view = _view(_source("personalisation-privacy.yaml"))
    text = " ".join(view.sentences)
    assert "concordance" not in text
    assert re.search(
        r"Rankings of all 5 options, the excluded one included: \d+ of 100 alike", text
    )
    assert re.search(r"What matters to them: \d+ of 100 alike", text)
    assert re.search(r"Facts: \d+% of the fact base is disputed by someone", text)


def test_cruxes_are_per_stakeholder_with_their_first_choice_and_next_step() -> None:
    source = _source("growth-vs-margin.yaml")
    view = _view(source)
    cfo = next(c for c in view.cruxes if c.stakeholder == "Priya Natarajan")
    assert cfo.first_choice == "New packaging with an entry tier"
    assert cfo.text.startswith("Segment-targeted compromise is the best option for Priya")
    assert cfo.next_step in ("gather data", "run an experiment", "add a guardrail")
    assert "Priya Natarajan" not in view.already_agree
    # Her crux: the estimate above which she would put the recommendation first.  Move the
    # estimate just past it and she has no crux left and is counted as agreeing.
    case = parse_case(yaml.safe_dump(source, allow_unicode=True, sort_keys=False))
    analysis = analyze(case, settings=AnalysisSettings(draws=0, today=TODAY))
    crux = next(c for c in analysis.cruxes.items if c.stakeholder == "cfo" and c.headline)
    assert crux.kind == "estimate" and crux.direction == "above" and crux.varied_option
    option = next(o for o in source["options"] if o["id"] == crux.varied_option)
    estimate = option["estimates"][crux.criterion]
    for below, flips in ((0.999, False), (1.001, True)):
        value = crux.threshold * below
        if isinstance(estimate, dict):
            estimate.update(likely=value, low=min(estimate["low"], value))
            estimate["high"] = max(estimate["high"], value)
        else:
            option["estimates"][crux.criterion] = value
        after = _view(source)
        assert ("Priya Natarajan" in after.already_agree) is flips
        assert ("Priya Natarajan" in [c.stakeholder for c in after.cruxes]) is not flips


def test_portfolio_lists_what_is_funded_and_what_was_left_out_and_why() -> None:
    view = _view(_source("budget-workshop.yaml"))
    assert len(view.funded) == 9
    assert view.funded_cost == "1,430,000 of the budget of 1,600,000 USD"
    assert view.recommended is None  # a portfolio has no single recommendation
    reasons = dict(view.left_out)
    assert any("duplicate of" in why for why in reasons.values())


def test_excluded_options_are_marked_and_the_mark_flips_with_the_guardrail() -> None:
    source = _source("growth-vs-margin.yaml")
    view = _view(source)
    excluded = {r.name for r in view.ranking if not r.feasible}
    assert excluded == {name for name, _ in view.excluded} and excluded
    source["guardrails"] = []
    source.pop("budget", None)
    source.pop("capacity", None)
    assert all(r.feasible for r in _view(source).ranking)


def test_answer_time_is_shown_for_link_inputs() -> None:
    at = dt.datetime(2026, 11, 20, 9, 30)
    view = _view(_source("growth-vs-margin.yaml"), {"cfo": at})
    cfo = next(s for s in view.inputs if s.stakeholder_id == "cfo")
    assert cfo.from_web and cfo.answered_at == at
    ceo = next(s for s in view.inputs if s.stakeholder_id == "ceo")
    assert not ceo.from_web and ceo.given and ceo.answered_at is None


def _upload(web: Web, source: dict[str, Any]) -> int:
    response = web.client.post(
        "/cases",
        data={"csrf": web.csrf(), "source": yaml.safe_dump(source, sort_keys=False)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def test_case_list_shows_status_deadline_alignment_and_missing_inputs(web: Web) -> None:
    web.sign_in()
    source = _source("growth-vs-margin.yaml")
    del source["inputs"]["head-cs"]
    _upload(web, source)
    _upload(web, _source("personalisation-privacy.yaml"))
    listing = web.client.get("/").text
    row = re.search(r"FY27 pricing and go-to-market plan</a></th>(.*?)</tr>", listing, re.S)
    assert row, listing
    assert "open" in row.group(1) and "2027-01-29" in row.group(1)
    assert re.search(r"\d+/100", row.group(1)) and "Grace Liu" in row.group(1)
    decided = re.search(
        r"Personalised storefront and promotions for 2027</a></th>(.*?)</tr>", listing, re.S
    )
    assert decided and "decided: Staged consent-gated experiment on 2026-10-26" in (
        decided.group(1)
    )
    # The stakeholder's inputs arrive: the list no longer names her.
    source["inputs"]["head-cs"] = {"ranking": ["segment-split"]}
    _upload(web, source)
    row = re.search(
        r"FY27 pricing and go-to-market plan</a></th>(.*?)</tr>", web.client.get("/").text, re.S
    )
    assert row and "Grace Liu" not in row.group(1) and "none" in row.group(1)


def test_new_link_comes_with_a_reminder_to_copy(web: Web) -> None:
    web.sign_in()
    case_id = _upload(web, _source("growth-vs-margin.yaml"))
    page = web.client.get(f"/cases/{case_id}")
    shown = web.client.post(
        f"/cases/{case_id}/tokens",
        data={"csrf": csrf_of(page.text), "stakeholder_id": "head-cs", "label": "reminder"},
    )
    link = re.search(r'<code class="copy">(http://127\.0\.0\.1/i/[^<]+)</code>', shown.text)
    assert link
    reminder = re.search(r'<textarea id="reminder-text"[^>]*>([^<]+)</textarea>', shown.text)
    assert reminder, shown.text
    text = reminder.group(1)
    assert text.startswith("Hello Grace Liu") and link.group(1) in text
    assert "by 2027-01-29" in text and 'data-copy="reminder-text"' in shown.text
    # Shown once: a reload has no link and no reminder.
    again = web.client.get(f"/cases/{case_id}").text
    assert "reminder-text" not in again
