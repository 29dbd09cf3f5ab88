"""The live room through the web app: valid next steps only, presence, own positions,
timers that end phases (also after a restart), participant links, suggested groups, and the
confirmation before closing."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from tests.web.conftest import PASSWORD, Web, csrf_of
from tests.web.test_workshops import Person, run, start

from accord.store import Store
from accord.store.tables import WorkshopEvent
from accord.web import live
from accord.web.app import create_app

PHASE_BUTTONS = re.compile(r"<button>(Go to \w+|Re-vote)</button>")


def console_of(web: Web, console: str) -> str:
    return web.client.get(console).text


def phase_buttons(web: Web, console: str) -> list[str]:
    return PHASE_BUTTONS.findall(console_of(web, console))


def seat_of(page: str, name: str) -> str:
    found = re.search(rf'data-participant="(p\d+)">{name}', page)
    assert found, f"{name} is not in the presence list"
    return found.group(1)


def test_the_console_offers_only_the_phase_changes_the_rules_accept(web: Web) -> None:
    console, grace, _ = start(web)
    run(web, console, "agenda_set", items="A?\nB?\nC?")
    assert phase_buttons(web, console) == []
    run(web, console, "item_started", item=0)
    assert phase_buttons(web, console) == ["Go to reveal"]
    run(web, console, "phase_changed", phase="reveal")
    assert phase_buttons(web, console) == ["Go to group", "Go to decide"]
    run(web, console, "phase_changed", phase="decide")
    assert phase_buttons(web, console) == ["Re-vote"]
    assert 'name="decision"' in console_of(web, console)
    assert phase_buttons_for(grace) == []  # participants get no phase buttons
    status, _ = run(
        web, console, "decision_recorded", decision="Go", owner="facilitator", rationale="R"
    )
    assert status == 204
    after = console_of(web, console)
    assert phase_buttons(web, console) == []
    assert 'name="decision"' not in after  # the form hides once the decision is recorded
    assert "Decided. Start the next item" in after


def phase_buttons_for(person: Person) -> list[str]:
    return PHASE_BUTTONS.findall(person.page())


def test_closing_goes_through_a_page_that_lists_the_undecided_items(web: Web) -> None:
    console, grace, _ = start(web)
    run(web, console, "agenda_set", items="Price?\nSegments?\nHiring?")
    run(web, console, "item_started", item=0)
    for phase in ("reveal", "decide"):
        run(web, console, "phase_changed", phase=phase)
    run(web, console, "decision_recorded", decision="Go", owner="facilitator", rationale="R")
    board = console_of(web, console)
    # Close is its own section with a link, not a button under the action register.
    assert "workshop_closed" not in board
    assert f'href="{console}/close"' in board
    confirm = web.client.get(f"{console}/close").text
    listed = re.findall(r"<li>(\w+\?) <span", confirm.split('class="undecided"')[1])
    assert listed == ["Segments?", "Hiring?"]
    assert "Close with 2 undecided" in confirm
    assert grace.client.get(f"{console}/close", follow_redirects=False).status_code in (303, 401)
    closed = web.client.post(
        f"{console}/commands",
        data={"csrf": csrf_of(confirm), "kind": "workshop_closed"},
        follow_redirects=False,
    )
    assert closed.status_code == 303
    assert "Closed · review on" in grace.page()
    assert "already closed" in web.client.get(f"{console}/close").text


def test_presence_lists_everyone_and_who_voted_but_not_what(web: Web) -> None:
    console, grace, marcus = start(web)
    run(web, console, "agenda_set", items="A?\nB?\nC?")
    run(web, console, "item_started", item=0)
    assert grace.do("idea_added", text="Grace idea")[0] == 204
    page = marcus.page()
    assert "Grace" in page and "Marcus (you)" in page  # participants see who is there
    assert re.search(r">Grace <span class=\"pill done\">wrote ideas</span>", page)
    assert re.search(r">Marcus \(you\) <span class=\"pill waiting\">not yet</span>", page)
    for phase in ("reveal", "group", "vote"):
        run(web, console, "phase_changed", phase=phase)
    target = re.findall(r'name="dots\.([a-z0-9]+)"', marcus.page())[0]
    assert marcus.do("dots_cast", **{f"dots.{target}": "3"})[0] == 204
    seen = grace.page()
    assert re.search(r">Marcus <span class=\"pill done\">voted</span>", seen)
    assert "1 of 2 voted in this phase" in seen
    assert 'value="3"' not in seen.split('class="presence"')[1].split("</section>")[0]


def test_participants_state_their_own_dissent_and_it_is_recorded_verbatim(web: Web) -> None:
    console, grace, marcus = start(web)
    run(web, console, "agenda_set", items="A?\nB?\nC?")
    run(web, console, "item_started", item=0)
    for phase in ("reveal", "decide"):
        run(web, console, "phase_changed", phase=phase)
    assert "dissent." not in console_of(web, console)  # no typing dissent for others
    status, message = marcus.do("position_stated", stance="disagree", reason="too early")
    assert status == 409 and "no proposal yet" in message
    assert run(web, console, "proposal_made", text="Launch in May")[0] == 204
    assert 'value="disagree"' in marcus.page()
    reason = "  May clashes with the SMB renewals.\nJune, please. "
    assert marcus.do("position_stated", stance="disagree", reason=reason)[0] == 204
    assert grace.do("position_stated", stance="agree")[0] == 204
    fac = console_of(web, console)
    assert "1 agree · 0 abstain · 1 disagree" in fac
    assert "May clashes with the SMB renewals." in fac
    assert "May clashes" not in grace.page()  # another's stance stays private until recorded
    status, _ = run(
        web,
        console,
        "decision_recorded",
        decision="Launch in May",
        owner="facilitator",
        rationale="R",
    )
    assert status == 204
    with web.store.session() as session:
        payload = session.scalars(
            sa.select(WorkshopEvent.payload).where(WorkshopEvent.kind == "decision_recorded")
        ).one()
    marcus_id = seat_of(grace.page(), "Marcus")
    assert payload["dissent"] == [{"participant": marcus_id, "reason": reason}]
    assert "May clashes with the SMB renewals." in grace.page()


def test_a_timer_that_runs_out_moves_the_phase_on_even_after_a_restart(
    web: Web, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    console, grace, _ = start(web)
    run(web, console, "agenda_set", items="A?\nB?\nC?")
    run(web, console, "item_started", item=0)
    assert grace.do("idea_added", text="Kept sealed until time is up")[0] == 204
    assert run(web, console, "timer_started", minutes="5")[0] == 204
    assert run(web, console, "timer_extended", minutes="2")[0] == 204
    assert "Add time" in console_of(web, console)
    with web.store.session() as session:
        started = session.scalars(
            sa.select(WorkshopEvent.created_at).where(WorkshopEvent.kind == "timer_started")
        ).one()
    started = started if started.tzinfo else started.replace(tzinfo=dt.UTC)
    # A new process on the same database (a restart), its clock past the deadline only.
    store = Store.from_url(web.settings.database_url)
    restarted = TestClient(create_app(web.settings, store), base_url="http://127.0.0.1")
    try:
        with restarted:
            login = restarted.get("/login")
            restarted.post(
                "/login",
                data={"email": web.email, "password": PASSWORD, "csrf": csrf_of(login.text)},
            )
            monkeypatch.setattr(live, "utc_now", lambda: started + dt.timedelta(seconds=419))
            assert 'Now: <strong class="phase">brainstorm' in restarted.get(console).text
            monkeypatch.setattr(live, "utc_now", lambda: started + dt.timedelta(seconds=421))
            page = restarted.get(console).text
            assert 'Now: <strong class="phase">reveal' in page
            assert "Time is up for brainstorm" in page
            assert "Kept sealed until time is up" in page
    finally:
        store.dispose()
    with web.store.session() as session:
        kinds = session.scalars(sa.select(WorkshopEvent.kind).order_by(WorkshopEvent.seq)).all()
    assert kinds.count("timer_expired") == 1


def test_a_command_after_the_deadline_is_judged_in_the_next_phase(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    console, grace, _ = start(web)
    run(web, console, "agenda_set", items="A?\nB?\nC?")
    run(web, console, "item_started", item=0)
    run(web, console, "timer_started", minutes="1")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2)
    monkeypatch.setattr(live, "utc_now", lambda: later)
    status, message = grace.do("idea_added", text="Too late")
    assert status == 409 and "ideas can be added only during brainstorm" in message


def test_participant_links_are_listed_and_revoked_from_the_console(web: Web) -> None:
    console, grace, marcus = start(web)
    page = console_of(web, console)
    rows = re.findall(r"<tr>\s*<td>(\w+)</td>\s*<td>([^<]+)</td>", page)
    assert rows == [("Grace", "Grace"), ("Marcus", "Marcus")]
    revoke = re.findall(rf'action="({console}/links/\d+/revoke)"', page)
    assert len(revoke) == 2
    done = web.client.post(revoke[0], data={"csrf": csrf_of(page)}, follow_redirects=False)
    assert done.status_code == 303
    assert grace.client.get(grace.link).status_code == 403
    assert marcus.client.get(marcus.link).status_code == 200
    assert "revoked" in console_of(web, console)
    other = web.client.post(
        f"{console}/links/999/revoke", data={"csrf": csrf_of(page)}, follow_redirects=False
    )
    assert other.status_code == 404


def test_suggested_groups_are_offered_prefilled_and_become_groups_only_when_accepted(
    web: Web,
) -> None:
    console, grace, marcus = start(web)
    run(web, console, "agenda_set", items="A?\nB?\nC?")
    run(web, console, "item_started", item=0)
    grace.do("idea_added", text="Referral programme for customers")
    marcus.do("idea_added", text="Customer referral programme rewards")
    grace.do("idea_added", text="Cut cloud hosting costs")
    for phase in ("reveal", "group"):
        run(web, console, "phase_changed", phase=phase)
    page = console_of(web, console)
    assert "Suggested groups" in page and "Suggested groups" not in grace.page()
    suggestion = page.split("Suggestion 1")[1].split("</form>")[0]
    ticked = re.findall(r'name="ideas" value="(i\d+)" checked', suggestion)
    label = re.search(r'name="label" maxlength="120" value="([^"]+)"', suggestion)
    assert len(ticked) == 2 and label and "referral" in label.group(1).casefold()
    # A suggestion is not a group: nobody's board shows a group until it is accepted.
    assert 'class="groups"' not in marcus.page()
    # The facilitator edits the label before accepting.
    assert run(web, console, "ideas_grouped", label="Referrals", ideas=ticked)[0] == 204
    after = console_of(web, console)
    assert "<h3>Referrals</h3>" in after and "Suggestion 1" not in after
    assert "<h3>Referrals</h3>" in marcus.page()


def test_an_open_stream_ends_the_phase_at_the_deadline(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    console, grace, _ = start(web)
    run(web, console, "agenda_set", items="A?\nB?\nC?")
    run(web, console, "item_started", item=0)
    start_at = dt.datetime.now(dt.UTC)
    clock = [start_at]
    monkeypatch.setattr(live, "utc_now", lambda: clock[0])
    assert run(web, console, "timer_started", minutes="1")[0] == 204
    clock[0] = start_at + dt.timedelta(seconds=59.9)  # the stream waits 0.1 s, not 15
    boards: list[str] = []
    keepalives = 0
    with grace.client.stream("GET", f"{grace.link}/events") as stream:
        data: list[str] = []
        for line in stream.iter_lines():
            if line.startswith("data:"):
                data.append(line[5:])
            elif line == ": keep-alive":
                keepalives += 1
                assert keepalives < 2, "the stream did not end the timer at its deadline"
            elif line == "" and data:
                boards.append("\n".join(data))
                data = []
                clock[0] = start_at + dt.timedelta(seconds=61)  # past the deadline now
                if "Time is up for brainstorm" in boards[-1]:
                    break
    assert 'class="phase">brainstorm' in boards[0]
    assert 'class="phase">reveal' in boards[-1]
    with web.store.session() as session:
        ended = session.scalars(
            sa.select(WorkshopEvent.actor).where(WorkshopEvent.kind == "timer_expired")
        ).all()
    assert ended == ["server"]


def test_reloading_the_console_after_making_a_link_makes_no_second_one(web: Web) -> None:
    console, _, _ = start(web)  # two links made, each followed by a redirect to the console
    made = web.client.post(
        f"{console}/links",
        data={"csrf": web.csrf(console), "label": "Ines"},
        follow_redirects=False,
    )
    assert made.status_code == 303 and made.headers["location"] == console
    first = web.client.get(console).text
    assert '<code class="copy">' in first  # shown once ...
    again = web.client.get(console).text  # ... a reload is a GET: no new link, none shown
    assert '<code class="copy">' not in again
    assert len(re.findall(r"/links/\d+/revoke", again)) == 3
