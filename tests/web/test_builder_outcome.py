"""Closing a workshop writes its outcome into the case: a new revision by ``workshop <id>``
with the decision (option, rationale, owner, dissent word for word, what is de-prioritised),
the actions and the parked issues, which the dashboard and ``accord actions`` then read."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError
from tests.web.conftest import Web
from tests.web.test_workshops import any_web, run, start
from typer.testing import CliRunner

from accord.cli import app
from accord.errors import InputError
from accord.io.case_file import parse_case
from accord.store import revisions
from accord.store.tables import CaseRecord, Workshop, WorkshopEvent
from accord.web import outcome

__all__ = ["any_web"]  # a fixture, used by name


def _ready_to_close(web: Web, decision: str) -> tuple[str, str]:
    """A workshop with a decision (dissent), an action and a parked issue; not closed."""
    console, grace, marcus = start(web)  # Grace Liu (head-cs) and Marcus Reyes (cro) join
    assert run(web, console, "agenda_set", items="Price?\nSegments?\nHiring?")[0] == 204
    assert run(web, console, "item_started", item=0)[0] == 204
    assert grace.do("idea_added", text="Split by segment")[0] == 204
    for phase in ("reveal", "decide"):
        assert run(web, console, "phase_changed", phase=phase)[0] == 204
    page = web.client.get(console).text
    owner = re.search(r'<option value="(p\d+)">Grace</option>', page)
    dissenter = re.search(r'<option value="(p\d+)">Marcus</option>', page)
    assert owner and dissenter
    status, _ = run(
        web,
        console,
        "decision_recorded",
        decision=decision,
        owner=owner.group(1),
        rationale="Meets both goals within the margin guardrail",
        deprioritised="Usage-based pricing",
        **{f"dissent.{dissenter.group(1)}": "too slow for Q1 pipeline, honestly"},
    )
    assert status == 204, _
    due = (dt.date.today() + dt.timedelta(days=14)).isoformat()
    added = run(
        web,
        console,
        "action_added",
        what="Ship the SMB offer",
        owner=owner.group(1),
        due=due,
        metric="Offer live in checkout",
    )
    assert added[0] == 204
    assert run(web, console, "parked", text="Partner pricing", owner=dissenter.group(1))[0] == 204
    return console, due


def _decide(web: Web, decision: str) -> tuple[int, int, str]:
    console, due = _ready_to_close(web, decision)
    assert run(web, console, "workshop_closed")[0] == 204
    workshop_id = int(console.rsplit("/", 1)[1])
    return _case_of(web, workshop_id), workshop_id, due


def _case_of(web: Web, workshop_id: int) -> int:
    with web.store.session() as s:
        workshop = s.get(Workshop, workshop_id)
        assert workshop is not None
        return workshop.case_id


def test_closing_writes_decision_actions_and_parked_issues_as_a_revision(
    web: Web, tmp_path: Path
) -> None:
    case_id, workshop_id, due = _decide(web, "Segment-targeted compromise, SMB first")
    with web.store.session() as s:
        record = s.get(CaseRecord, case_id)
        assert record is not None
        case = parse_case(record.source_text)
        latest = revisions.list_revisions(s, case_id)[0]
    assert latest.author == f"workshop {workshop_id}"
    assert latest.summary.startswith("workshop outcome: 1 decision(s), 2 action(s)")
    decision = case.decisions[-1]
    assert decision.option == "segment-split"
    assert decision.accountable == "head-cs"
    assert [(d.by, d.reason) for d in decision.dissent] == [
        ("cro", "too slow for Q1 pipeline, honestly")
    ]
    assert decision.rationale is not None
    assert "De-prioritised: Usage-based pricing." in decision.rationale
    shipped = next(a for a in case.actions if a.title == "Ship the SMB offer")
    assert (shipped.owner, shipped.deadline.isoformat() if shipped.deadline else None) == (
        "head-cs",
        due,
    )
    assert (shipped.metric, shipped.done) == ("Offer live in checkout", False)
    parked = next(a for a in case.actions if "Partner pricing" in a.title)
    assert parked.owner == "cro"
    dashboard = web.client.get(f"/cases/{case_id}").text
    assert "Segment-targeted compromise" in dashboard
    downloaded = tmp_path / "case.yaml"
    downloaded.write_text(web.client.get(f"/cases/{case_id}/case.yaml").text, encoding="utf-8")
    listed = CliRunner().invoke(app, ["actions", str(downloaded), "--json"])
    assert listed.exit_code in (0, 1), listed.output  # 1: some action is overdue
    assert "Ship the SMB offer" in listed.output and "Partner pricing" in listed.output


def test_a_decision_naming_no_option_is_kept_out_of_the_log_and_said_so(web: Web) -> None:
    case_id, workshop_id, _ = _decide(web, "Think about it more")
    with web.store.session() as s:
        record = s.get(CaseRecord, case_id)
        assert record is not None
        case = parse_case(record.source_text)
        latest = revisions.list_revisions(s, case_id)[0]
    assert not any(d.id.startswith(f"w{workshop_id}-") for d in case.decisions)
    assert "'Think about it more' names no option of the case" in latest.summary
    assert any(a.title == "Ship the SMB offer" for a in case.actions)


def test_workshop_exports_summary_csv_and_ics(web: Web) -> None:
    case_id, workshop_id, due = _decide(web, "Segment-targeted compromise, SMB first")
    base = f"/workshops/{workshop_id}"
    markdown = web.client.get(f"{base}/summary.md")
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert "**Decided:** Segment-targeted compromise, SMB first (owner: Grace)." in markdown.text
    assert "- Dissent, Marcus: “too slow for Q1 pipeline, honestly”" in markdown.text
    assert "- Not doing now: Usage-based pricing" in markdown.text
    assert "Partner pricing (follow-up: Marcus)" in markdown.text
    page = web.client.get(f"{base}/summary").text
    assert "too slow for Q1 pipeline, honestly" in page and "Ship the SMB offer" in page
    rows = web.client.get(f"{base}/actions.csv").text.splitlines()
    assert rows[0] == "id,what,owner,due,metric,done,item"
    assert rows[1].endswith(f",Ship the SMB offer,Grace,{due},Offer live in checkout,False,")
    ics = web.client.get(f"{base}/actions.ics")
    assert ics.headers["content-type"].startswith("text/calendar")
    assert f"DTSTART;VALUE=DATE:{due.replace('-', '')}" in ics.text
    assert "SUMMARY:Ship the SMB offer (Grace)" in ics.text
    assert web.client.get(f"{base}/actions.ics").content == ics.content  # same state, same bytes


def _closes_stored(web: Web, workshop_id: int) -> int:
    with web.store.session() as s:
        return len(
            s.scalars(
                sa.select(WorkshopEvent.seq).where(
                    WorkshopEvent.workshop_id == workshop_id,
                    WorkshopEvent.kind == "workshop_closed",
                )
            ).all()
        )


def test_a_failed_outcome_write_leaves_the_workshop_open(
    any_web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    web = any_web
    console, _ = _ready_to_close(web, "Segment-targeted compromise, SMB first")
    workshop_id = int(console.rsplit("/", 1)[1])
    case_id = _case_of(web, workshop_id)
    with web.store.session() as s:
        before = len(revisions.list_revisions(s, case_id))

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OperationalError("INSERT INTO case_revision", {}, Exception("disk full"))

    monkeypatch.setattr(outcome.revisions, "save_revision", disk_full)
    status, text = run(web, console, "workshop_closed")
    assert (status, text) == (503, "the database is not answering: send it again in a moment")
    assert _closes_stored(web, workshop_id) == 0  # the close went with the revision
    assert "Closed · review on" not in web.client.get(console).text
    with web.store.session() as s:
        assert len(revisions.list_revisions(s, case_id)) == before

    monkeypatch.undo()  # the disk has room again: the same close now goes through
    assert run(web, console, "workshop_closed")[0] == 204
    assert _closes_stored(web, workshop_id) == 1
    with web.store.session() as s:
        latest = revisions.list_revisions(s, case_id)
    assert len(latest) == before + 1 and latest[0].author == f"workshop {workshop_id}"


def test_an_outcome_the_case_refuses_keeps_the_workshop_open_and_says_why(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    console, _ = _ready_to_close(web, "Segment-targeted compromise, SMB first")
    workshop_id = int(console.rsplit("/", 1)[1])

    def refused(*args: object, **kwargs: object) -> None:
        raise InputError("actions[3].deadline: expected a date, got 'soon'")

    monkeypatch.setattr(outcome, "validate_data", refused)
    status, text = run(web, console, "workshop_closed")
    assert status == 409
    assert text == (
        "the workshop stays open: its outcome does not fit the case (actions[3].deadline: "
        "expected a date, got 'soon'); fix the case or the decision, then close again"
    )
    assert _closes_stored(web, workshop_id) == 0


def test_a_resent_close_is_stored_once(web: Web) -> None:
    console, _ = _ready_to_close(web, "Segment-targeted compromise, SMB first")
    workshop_id = int(console.rsplit("/", 1)[1])
    for _ in range(2):  # the first answer was lost; the browser sends the same key again
        assert run(web, console, "workshop_closed", command_key="close-once")[0] == 204
    assert _closes_stored(web, workshop_id) == 1
    with web.store.session() as s:
        authors = [r.author for r in revisions.list_revisions(s, _case_of(web, workshop_id))]
    assert authors.count(f"workshop {workshop_id}") == 1


def test_workshop_summary_prints_to_a_pdf_with_the_decision(web: Web) -> None:
    pytest.importorskip("weasyprint")  # the pdf extra (make dev installs it)
    from pypdf import PdfReader

    _, workshop_id, due = _decide(web, "Segment-targeted compromise, SMB first")
    base = f"/workshops/{workshop_id}"
    assert f'href="{base}/summary.pdf"' in web.client.get(f"{base}/summary").text
    printed = web.client.get(f"{base}/summary.pdf")
    assert printed.status_code == 200
    assert printed.headers["content-type"] == "application/pdf"
    assert printed.content.startswith(b"%PDF-")
    text = " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(printed.content)).pages
    )
    assert "Decided: Segment-targeted compromise, SMB first (owner: Grace)." in text
    assert "too slow for Q1 pipeline, honestly" in text
    assert "Ship the SMB offer" in text and due in text


def test_without_the_pdf_extra_the_pdf_link_is_hidden_and_the_route_says_why(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, workshop_id, _ = _decide(web, "Segment-targeted compromise, SMB first")
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import now raises ImportError
    base = f"/workshops/{workshop_id}"
    page = web.client.get(f"{base}/summary").text
    assert "summary.pdf" not in page and f"{base}/summary.md" in page
    refused = web.client.get(f"{base}/summary.pdf")
    assert refused.status_code == 404
    assert (
        "this server cannot print PDFs: the pdf extra (WeasyPrint) is not installed; install "
        "it with pip install 'accord[pdf]', or download the summary as Markdown"
    ) in html.unescape(refused.text)


def test_a_decision_is_matched_to_the_option_picked_on_the_close_page(web: Web) -> None:
    # The words name no option; the facilitator picks it by id when closing.
    console, _ = _ready_to_close(web, "Split the offer by segment, SMB first")
    workshop_id = int(console.rsplit("/", 1)[1])
    confirm = web.client.get(f"{console}/close").text
    assert '<select name="option.0" style="display:block; width:100%">' in confirm
    assert '<option value="" selected>Match by its words (names no option)</option>' in confirm
    assert run(web, console, "workshop_closed", **{"option.0": "segment-split"})[0] == 204
    with web.store.session() as s:
        record = s.get(CaseRecord, _case_of(web, workshop_id))
        assert record is not None
        case = parse_case(record.source_text)
    decision = case.decisions[-1]
    assert (decision.id, decision.option) == (f"w{workshop_id}-item1", "segment-split")


def test_an_unknown_option_picked_on_the_close_page_keeps_the_workshop_open(web: Web) -> None:
    console, _ = _ready_to_close(web, "Segment-targeted compromise, SMB first")
    workshop_id = int(console.rsplit("/", 1)[1])
    confirm = web.client.get(f"{console}/close").text
    assert '<option value="segment-split" selected>' in confirm  # its words name it
    status, text = run(web, console, "workshop_closed", **{"option.0": "segment-splt"})
    assert status == 409
    assert text.startswith(
        "option.0: 'segment-splt' is not an option of the case (expected one of: "
    )
    assert _closes_stored(web, workshop_id) == 0
