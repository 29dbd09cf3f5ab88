"""Boards for a room: the shared part rendered once per event, the personal part per viewer."""

from __future__ import annotations

import datetime as dt

from tests.web.conftest import Web
from tests.web.test_workshops import run, start

from accord import workshop as rules
from accord.web.boards import BoardRenderer
from accord.web.routes.workshops import Seat


def renderer_of(web: Web) -> BoardRenderer:
    boards: BoardRenderer = web.client.app.state.boards  # type: ignore[attr-defined]
    return boards


def seats(state: rules.WorkshopState, workshop_id: int) -> list[Seat]:
    return [
        Seat(workshop_id, actor, f"/w/{actor}-link", f"csrf-{actor}", n)
        for n, actor in enumerate(state.participants, start=1)
    ]


def test_the_shared_part_is_rendered_once_per_event_for_every_participant(web: Web) -> None:
    console, grace, marcus = start(web)
    run(web, console, "agenda_set", items="A?\nB?\nC?")
    run(web, console, "item_started", item=0)
    grace.do("idea_added", text="Grace's idea")
    marcus.do("idea_added", text="Marcus's idea")
    run(web, console, "phase_changed", phase="reveal")
    workshop_id = int(console.rsplit("/", 1)[1])
    state = web.client.app.state.live.current(workshop_id)  # type: ignore[attr-defined]
    boards = renderer_of(web)
    before = boards.shared_renders
    pages = {s.actor: boards.html(workshop_id, s, state) for s in seats(state, workshop_id)}
    assert boards.shared_renders - before == 1  # two viewers, one shared render
    for actor, html in pages.items():
        assert "Grace&#39;s idea" in html and "Marcus&#39;s idea" in html
        assert f"you are {state.participants[actor]}" in html
        assert f'value="csrf-{actor}"' in html  # forms carry the viewer's own token
    run(web, console, "phase_changed", phase="group")
    newer = web.client.app.state.live.current(workshop_id)  # type: ignore[attr-defined]
    before = boards.shared_renders
    for seat in seats(newer, workshop_id):
        boards.html(workshop_id, seat, newer)
    assert boards.shared_renders - before == 1  # a new event, one more


def test_a_participant_board_shows_only_their_own_ideas_before_the_reveal(web: Web) -> None:
    console, grace, marcus = start(web)
    run(web, console, "agenda_set", items="A?\nB?\nC?")
    run(web, console, "item_started", item=0)
    grace.do("idea_added", text="Grace secret")
    marcus.do("idea_added", text="Marcus secret")
    workshop_id = int(console.rsplit("/", 1)[1])
    state = web.client.app.state.live.current(workshop_id)  # type: ignore[attr-defined]
    boards = renderer_of(web)
    for seat in seats(state, workshop_id):
        html = boards.html(workshop_id, seat, state)
        mine = "Grace secret" if state.participants[seat.actor] == "Grace" else "Marcus secret"
        theirs = ({"Grace secret", "Marcus secret"} - {mine}).pop()
        assert mine in html and theirs not in html


def test_view_for_is_the_shared_view_with_the_personal_view(web: Web) -> None:
    console, grace, marcus = start(web)
    run(web, console, "agenda_set", items="A?\nB?\nC?")
    run(web, console, "item_started", item=0)
    grace.do("idea_added", text="one")
    run(web, console, "phase_changed", phase="reveal")
    workshop_id = int(console.rsplit("/", 1)[1])
    state = web.client.app.state.live.current(workshop_id)  # type: ignore[attr-defined]
    now = dt.datetime.now(dt.UTC)
    from accord.workshop.views import personal_view, shared_view

    for viewer in ("facilitator", *state.participants):
        audience = "facilitator" if viewer == "facilitator" else "participant"
        merged = {**shared_view(state, audience, now), **personal_view(state, viewer, now)}
        view = rules.view_for(state, viewer, now)
        for key in view:
            if key != "ideas":
                assert view[key] == merged[key], key
        # Only "mine" is personal in the revealed ideas.
        assert [{**i, "mine": False} for i in view["ideas"]] == merged["ideas"]
