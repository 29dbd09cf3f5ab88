"""A live workshop end to end through the web app, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from tests.web.conftest import Web, csrf_of, running_web
from tests.web.test_cases import upload

from accord.store.tables import WorkshopEvent


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.services)])
def any_web(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Web]:
    if request.param == "postgres":
        schema = request.getfixturevalue("postgres")
        url, tag = schema.url, secrets.token_hex(4)
    else:
        url, tag = None, ""
    with running_web(tmp_path, url, tag) as made:
        yield made


class Person:
    """A participant's own browser: no facilitator cookie, just their link."""

    def __init__(self, web: Web, link: str, name: str) -> None:
        self.client = TestClient(web.client.app, base_url="http://127.0.0.1")
        self.link = link
        join = self.client.get(link)
        assert "Join the workshop" in join.text
        joined = self.client.post(
            f"{link}/join", data={"csrf": csrf_of(join.text), "name": name}, follow_redirects=False
        )
        assert joined.status_code == 303, joined.text
        self.csrf = csrf_of(self.client.get(link).text)

    def page(self) -> str:
        return self.client.get(self.link).text

    def do(self, kind: str, **fields: object) -> tuple[int, str]:
        data = {"csrf": self.csrf, "kind": kind, **fields}
        response = self.client.post(f"{self.link}/commands", data=data, headers={"HX-Request": "1"})
        return response.status_code, response.text


def start(web: Web) -> tuple[str, Person, Person]:
    """A signed-in facilitator's workshop with two joined participants."""
    web.sign_in()
    case_id = upload(web)
    page = web.client.get(f"/cases/{case_id}")
    created = web.client.post(
        f"/cases/{case_id}/workshops",
        data={"csrf": csrf_of(page.text), "title": "Pricing offsite"},
        follow_redirects=False,
    )
    assert created.status_code == 303
    console = created.headers["location"]
    links = []
    for label in ("Grace", "Marcus"):
        made = web.client.post(
            f"{console}/links", data={"csrf": csrf_of(page.text), "label": label}
        )
        found = re.search(r'<code class="copy">http://127\.0\.0\.1(/w/[^<]+)</code>', made.text)
        assert found
        links.append(found.group(1))
    return console, Person(web, links[0], "Grace"), Person(web, links[1], "Marcus")


def run(web: Web, console: str, kind: str, **fields: object) -> tuple[int, str]:
    csrf = csrf_of(web.client.get(console).text)
    response = web.client.post(
        f"{console}/commands",
        data={"csrf": csrf, "kind": kind, **fields},
        headers={"HX-Request": "1"},
    )
    return response.status_code, response.text


def test_workshop_runs_from_brainstorm_to_review(any_web: Web) -> None:
    web = any_web
    console, grace, marcus = start(web)
    assert run(web, console, "agenda_set", items="Price?\nSegments?\nHiring?")[0] == 204
    assert run(web, console, "item_started", item=0)[0] == 204
    assert grace.do("idea_added", text="Grace secret idea")[0] == 204
    assert marcus.do("idea_added", text="Marcus quiet idea")[0] == 204
    # Silent brainstorming: nobody sees another's idea before the reveal, not even the facilitator.
    assert "Grace secret idea" in grace.page() and "Marcus quiet idea" not in grace.page()
    assert "Grace secret idea" not in web.client.get(console).text
    assert run(web, console, "phase_changed", phase="reveal")[0] == 204
    assert "Marcus quiet idea" in grace.page()
    assert run(web, console, "phase_changed", phase="group")[0] == 204
    # Each idea once, whether or not a suggested group lists it too.
    ideas = list(
        dict.fromkeys(re.findall(r'name="ideas" value="(i\d+)"', web.client.get(console).text))
    )
    assert len(ideas) == 2
    assert run(web, console, "ideas_grouped", label="Pricing", ideas=ideas[:1])[0] == 204
    assert run(web, console, "phase_changed", phase="vote")[0] == 204
    targets = re.findall(r'name="dots\.([a-z0-9]+)"', grace.page())
    status, message = grace.do("dots_cast", **{f"dots.{targets[0]}": "4"})
    assert status == 409 and "3" in message  # over the default budget of 3 dots
    assert grace.do("dots_cast", **{f"dots.{targets[0]}": "3"})[0] == 204
    assert marcus.do("dots_cast", **{f"dots.{targets[1]}": "2"})[0] == 204
    assert run(web, console, "phase_changed", phase="decide")[0] == 204
    owner = re.search(r'<option value="(p\d+)">Grace</option>', web.client.get(console).text)
    dissenter = re.search(r'<option value="(p\d+)">Marcus</option>', web.client.get(console).text)
    assert owner and dissenter
    status, _ = run(
        web,
        console,
        "decision_recorded",
        decision="Segment-targeted pricing",
        owner=owner.group(1),
        rationale="Meets both goals within the margin guardrail",
        **{f"dissent.{dissenter.group(1)}": "the SMB offer is too short to move Q1 pipeline"},
    )
    assert status == 204
    due = (dt.date.today() + dt.timedelta(days=14)).isoformat()
    assert (
        run(
            web,
            console,
            "action_added",
            what="Ship SMB offer",
            owner=owner.group(1),
            due=due,
            metric="Offer live in checkout",
        )[0]
        == 204
    )
    assert run(web, console, "workshop_closed")[0] == 204
    final = grace.page()
    assert "the SMB offer is too short to move Q1 pipeline" in final  # dissent kept verbatim
    review = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=30)).isoformat()
    assert f"review on {review}" in final
    assert "Ship SMB offer" in final


def test_participant_commands_need_a_valid_link_and_csrf(web: Web) -> None:
    console, grace, _ = start(web)
    run(web, console, "agenda_set", items="A?\nB?\nC?")
    run(web, console, "item_started", item=0)
    forged = grace.client.post(
        f"{grace.link}/commands", data={"csrf": "x" * 64, "kind": "idea_added", "text": "hi"}
    )
    assert forged.status_code == 400
    stranger = TestClient(web.client.app, base_url="http://127.0.0.1")
    assert stranger.get("/w/not-a-token").status_code == 403
    # A participant cannot run the facilitator's commands.
    status, message = grace.do("phase_changed", phase="reveal")
    assert status == 409 and "facilitator" in message


def test_stream_sends_the_viewers_board_with_the_log_position(web: Web) -> None:
    console, grace, marcus = start(web)
    run(web, console, "agenda_set", items="A?\nB?\nC?")
    run(web, console, "item_started", item=0)
    marcus.do("idea_added", text="hidden from grace")
    grace.do("idea_added", text="visible to grace")
    with grace.client.stream("GET", f"{grace.link}/events") as stream:
        lines = []
        for line in stream.iter_lines():
            lines.append(line)
            if lines[-1] == "" and any(x.startswith("data:") for x in lines):
                break
    text = "\n".join(lines)
    seq = re.search(r"^id: (\d+)$", text, re.M)
    assert seq and int(seq.group(1)) >= 6
    assert "event: board" in text
    assert "visible to grace" in text and "hidden from grace" not in text


def test_concurrent_commands_are_all_kept_in_order(web: Web) -> None:
    console, grace, marcus = start(web)
    run(web, console, "agenda_set", items="A?\nB?\nC?")
    run(web, console, "item_started", item=0)
    errors: list[int] = []

    def add(person: object, n: int) -> None:
        assert isinstance(person, Person)
        for i in range(n):
            status, _ = person.do("idea_added", text=f"{person.link[-6:]} idea {i}")
            if status != 204:
                errors.append(status)

    threads = [threading.Thread(target=add, args=(p, 10)) for p in (grace, marcus)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    run(web, console, "phase_changed", phase="reveal")
    page = grace.page()
    assert sum(page.count(f"{p.link[-6:]} idea ") for p in (grace, marcus)) == 20


def test_malformed_command_fields_are_answered_in_plain_words(web: Web) -> None:
    console, grace, _ = start(web)
    status, message = run(web, console, "timer_started", minutes="five")
    assert status == 409 and message == "minutes: 'five' is not a whole number"
    status, message = grace.do("no_such_command")
    assert status == 409 and message == "unknown command 'no_such_command'"


def test_dissent_is_matched_by_participant_id_not_by_name(web: Web) -> None:
    console, grace, marcus = start(web)
    made = web.client.post(f"{console}/links", data={"csrf": web.csrf(console), "label": "x"})
    found = re.search(r'<code class="copy">http://127\.0\.0\.1(/w/[^<]+)</code>', made.text)
    assert found
    Person(web, found.group(1), "Grace")  # a second Grace: same name, another seat
    run(web, console, "agenda_set", items="A?\nB?\nC?")
    run(web, console, "item_started", item=0)
    for phase in ("reveal", "group", "vote", "decide"):
        assert run(web, console, "phase_changed", phase=phase)[0] == 204
    options = re.findall(r'<option value="(p\d+)">Grace</option>', web.client.get(console).text)
    seats = list(dict.fromkeys(options))  # each select lists them; keep first appearances
    assert len(seats) == 2
    status, message = run(
        web,
        console,
        "decision_recorded",
        decision="Go",
        owner="facilitator",
        rationale="Because",
        **{f"dissent.{seats[1]}": "  I disagree: too soon  "},
    )
    assert status == 204, message
    with web.store.session() as session:
        payload = session.scalars(
            sa.select(WorkshopEvent.payload).where(WorkshopEvent.kind == "decision_recorded")
        ).one()
    assert payload["dissent"] == [{"participant": seats[1], "reason": "  I disagree: too soon  "}]
