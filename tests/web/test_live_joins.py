"""Joining a live workshop: atomic, refused joins write nothing, names fixed after joining."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from tests.web.conftest import Web, csrf_of
from tests.web.test_workshops import run, start

from accord.store.tables import WorkshopEvent, WorkshopParticipant
from accord.web import live as live_module


def new_link(web: Web, console: str) -> str:
    made = web.client.post(f"{console}/links", data={"csrf": web.csrf(console), "label": "New"})
    found = re.search(r'<code class="copy">http://127\.0\.0\.1(/w/[^<]+)</code>', made.text)
    assert found
    return found.group(1)


def try_join(web: Web, link: str, name: str) -> tuple[TestClient, int, str]:
    browser = TestClient(web.client.app, base_url="http://127.0.0.1")
    form = browser.get(link)
    joined = browser.post(
        f"{link}/join", data={"csrf": csrf_of(form.text), "name": name}, follow_redirects=False
    )
    return browser, joined.status_code, joined.text


def written(web: Web) -> tuple[int, int]:
    """How many participant rows and events the database holds."""
    with web.store.session() as session:
        rows = session.scalar(sa.select(sa.func.count()).select_from(WorkshopParticipant))
        events = session.scalar(sa.select(sa.func.count()).select_from(WorkshopEvent))
    assert rows is not None and events is not None
    return rows, events


@pytest.mark.parametrize(
    "name", ["x" * 81, "y" * 100, "Facilitator", "facilitator ", "Fran Facilitator", "   "]
)
def test_a_refused_join_writes_nothing_and_leaves_the_link_usable(web: Web, name: str) -> None:
    console, _, _ = start(web)
    link = new_link(web, console)
    before = written(web)
    browser, status, text = try_join(web, link, name)
    assert status == 409, text
    assert "Join the workshop" in text  # the form again, with the reason
    assert written(web) == before
    assert "Join the workshop" in browser.get(link).text  # not half-joined for good
    assert try_join(web, link, "Ada")[1] == 303


def test_joining_a_closed_workshop_writes_nothing(web: Web) -> None:
    console, _, _ = start(web)
    link = new_link(web, console)
    assert run(web, console, "workshop_closed")[0] == 204
    before = written(web)
    _, status, text = try_join(web, link, "Late Larry")
    assert status == 409 and "closed" in text
    assert written(web) == before


def test_a_join_whose_event_fails_rolls_back_the_participant(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    console, _, _ = start(web)
    link = new_link(web, console)
    before = written(web)

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(live_module.repository, "append_event", broken)
    browser = TestClient(web.client.app, base_url="http://127.0.0.1", raise_server_exceptions=False)
    form = browser.get(link)
    failed = browser.post(f"{link}/join", data={"csrf": csrf_of(form.text), "name": "Ada"})
    assert failed.status_code == 500
    assert written(web) == before
    monkeypatch.undo()
    assert try_join(web, link, "Ada")[1] == 303


def test_names_are_fixed_after_joining(web: Web) -> None:
    console, grace, _ = start(web)
    before = written(web)
    again = grace.client.post(
        f"{grace.link}/join",
        data={"csrf": grace.csrf, "name": "Facilitator"},
        follow_redirects=False,
    )
    assert again.status_code == 303  # already joined: back to the board, nothing changed
    assert written(web) == before
    assert ">Grace</option>" in web.client.get(console).text
    with web.store.session() as session:
        names = set(session.scalars(sa.select(WorkshopParticipant.display_name)))
    assert names == {"Grace", "Marcus"}
