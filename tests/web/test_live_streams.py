"""Streams send each viewer only what changed, and what they send rebuilds the whole board.

The browser's side (``static/workshop.js``) is modelled here by :class:`Screen`: it keeps
one holder per part and fills a new frame's empty slots from them, applying a keyed part's
changed entries.  After every event, what a stream's messages built must equal the board a
fresh page shows; and a room's events that leave a viewer's own frame alone must send no
frame and no unchanged part.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator

import pytest
from tests.web.conftest import Web
from tests.web.test_live_boards import renderer_of, seats
from tests.web.test_workshops import Person, run, start

from accord import workshop as rules
from accord.web.boards import StreamMemory
from accord.web.routes.workshops import Seat

_TEMPLATE = re.compile(r"<template ([^>]*)>(.*?)</template>", re.S)
_SLOT = re.compile(r'(<(\w+)[^>]*data-part="(\w+)"[^>]*>)(.*?)(</\2>)', re.S)
_ENTRY_KEY = re.compile(r'data-key="([^"]*)"')


def tidy(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


class Screen:
    """What a browser shows after applying a stream's messages (the model of workshop.js)."""

    def __init__(self) -> None:
        self.frame = ""
        self.parts: dict[str, list[tuple[str, str]] | str] = {}
        self.frames = 0

    def apply(self, data: bytes) -> None:
        text = "\n".join(
            line[6:] for line in data.decode().split("\n") if line.startswith("data: ")
        )
        for attributes, body in _TEMPLATE.findall(text):
            if "data-frame" in attributes:
                self.frame, self.frames = body, self.frames + 1
                continue
            name = re.search(r'data-part="(\w+)"', attributes)
            assert name, attributes
            if "data-changes" not in attributes:
                self.parts[name.group(1)] = body
                continue
            entries = self.parts[name.group(1)]
            assert isinstance(entries, list), "a keyed change before the part came whole"
            removed = set(re.search(r'data-remove="([^"]*)"', attributes).group(1).split())  # type: ignore[union-attr]
            kept = [(k, h) for k, h in entries if k not in removed]
            for key, html in _entries(body):
                at = [n for n, (k, _) in enumerate(kept) if k == key]
                if at:
                    kept[at[0]] = (key, html)
                else:
                    kept.append((key, html))
            self.parts[name.group(1)] = kept

    def keyed(self, name: str) -> None:
        body = self.parts.get(name)
        if isinstance(body, str):
            self.parts[name] = _entries(body)

    def board(self) -> str:
        def fill(slot: re.Match[str]) -> str:
            body = self.parts.get(slot.group(3), "")
            text = body if isinstance(body, str) else "".join(h for _, h in body)
            return slot.group(1) + text + slot.group(5)

        return tidy(_SLOT.sub(fill, self.frame))


def _entries(body: str) -> list[tuple[str, str]]:
    pieces = re.split(r"(?=<li data-key=)", body)
    out = []
    for piece in pieces:
        found = _ENTRY_KEY.search(piece)
        if found:
            out.append((found.group(1), piece.strip()))
    return out


def page_board(web: Web, workshop_id: int, seat: Seat, state: rules.WorkshopState) -> str:
    html = renderer_of(web).html(workshop_id, seat, state)
    return tidy(html.replace(" (you)", ""))  # the browser adds "(you)" itself


@pytest.fixture
def room(web: Web) -> Iterator[tuple[Web, str, Person, Person]]:
    console, grace, marcus = start(web)
    yield web, console, grace, marcus


def test_what_a_stream_sends_rebuilds_the_board_a_page_shows_after_every_event(
    room: tuple[Web, str, Person, Person],
) -> None:
    web, console, grace, marcus = room
    workshop_id = int(console.rsplit("/", 1)[1])
    live = web.client.app.state.live  # type: ignore[attr-defined]
    boards = renderer_of(web)
    screens: dict[str, tuple[Screen, StreamMemory]] = {}

    def follow() -> None:
        state = live.current(workshop_id)

        async def send_all() -> None:
            for seat in seats(state, workshop_id):
                screen, memory = screens.setdefault(seat.actor, (Screen(), StreamMemory()))
                shared = await boards.shared(workshop_id, state, "participant")
                screen.apply(await boards.update(shared, seat, state, memory))
                screen.keyed("presence")
                assert screen.board() == page_board(web, workshop_id, seat, state), seat.actor

        asyncio.run(send_all())

    steps: list[tuple[str, object]] = [
        ("fac", ("agenda_set", {"items": "A?\nB?\nC?"})),
        ("fac", ("item_started", {"item": 0})),
        ("grace", ("idea_added", {"text": "Grace's first"})),
        ("marcus", ("idea_added", {"text": "Marcus's first"})),
        ("grace", ("idea_added", {"text": "Grace's second"})),
        ("fac", ("phase_changed", {"phase": "reveal"})),
        ("fac", ("phase_changed", {"phase": "group"})),
        ("fac", ("phase_changed", {"phase": "vote"})),
        ("marcus", ("parked", {"text": "Budget later", "owner": "facilitator"})),
        ("grace", ("dots_cast", "first target")),
        ("fac", ("phase_changed", {"phase": "decide"})),
        ("fac", ("proposal_made", {"text": "Ship the first idea"})),
        ("marcus", ("position_stated", {"stance": "disagree", "reason": "Too early"})),
        ("grace", ("position_stated", {"stance": "agree", "reason": ""})),
    ]
    follow()
    for who, (kind, fields) in steps:  # type: ignore[misc]
        if fields == "first target":
            targets = live.current(workshop_id).vote_targets(0)
            fields = {f"dots.{next(iter(targets))}": "2"}
        if who == "fac":
            assert run(web, console, kind, **fields)[0] == 204, kind
        else:
            person = grace if who == "grace" else marcus
            assert person.do(kind, **fields)[0] == 204, kind
        follow()


def test_a_room_adding_ideas_sends_no_frame_and_only_the_entries_that_changed(
    room: tuple[Web, str, Person, Person],
) -> None:
    web, console, grace, marcus = room
    workshop_id = int(console.rsplit("/", 1)[1])
    live = web.client.app.state.live  # type: ignore[attr-defined]
    boards = renderer_of(web)
    run(web, console, "agenda_set", items="A?\nB?\nC?")
    run(web, console, "item_started", item=0)
    state = live.current(workshop_id)
    grace_seat = next(s for s in seats(state, workshop_id) if s.actor != marcus_id(state))
    memory = StreamMemory()

    async def send() -> bytes:
        now = live.current(workshop_id)
        shared = await boards.shared(workshop_id, now, "participant")
        return await boards.update(shared, grace_seat, now, memory)

    first = asyncio.run(send())
    assert b"data-frame" in first and b'data-part="presence"' in first
    marcus.do("idea_added", text="Marcus's hidden idea")
    change = asyncio.run(send())
    # Grace's own frame did not change: no frame, Marcus's presence entry, the count.
    assert b"data-frame" not in change
    assert b"data-changes" in change and b"Marcus" in change and b"Grace" not in change
    assert b"1 idea so far" in change
    assert b"hidden idea" not in change
    assert len(change) < len(first) / 3
    # Nothing new: nothing sent.
    assert asyncio.run(send()) == b""
    # Her own idea changes her frame (her ideas are in it).
    grace.do("idea_added", text="Grace's own")
    assert b"data-frame" in asyncio.run(send())


def marcus_id(state: rules.WorkshopState) -> str:
    return next(pid for pid, name in state.participants.items() if name == "Marcus")
