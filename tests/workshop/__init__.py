"""A small driver shared by the workshop tests: check, then apply, like the web layer does."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from accord.workshop import (
    Event,
    WorkshopRuleError,
    WorkshopState,
    apply,
    check,
    new_state,
    view_for,
)

START = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
QUESTIONS = [
    "Which segment do we enter first?",
    "Do we cut the list price or bundle support?",
    "Which launch do we de-prioritise this quarter?",
]


class Room:
    """A workshop driven through ``check`` and ``apply``; one minute passes per command."""

    def __init__(self, title: str = "Pricing offsite") -> None:
        self.title = title
        self.state = new_state(title)
        self.events: list[Event] = []
        self.now = START

    def do(self, actor: str, kind: str, **payload: Any) -> Event:
        self.now += dt.timedelta(minutes=1)
        stored = check(self.state, actor, kind, payload, self.now)
        event = Event(len(self.events) + 1, kind, actor, stored, self.now)
        self.state = apply(self.state, event)
        self.events.append(event)
        return event

    def refused(self, actor: str, kind: str, **payload: Any) -> str:
        """The message of the rule that refuses this command (the state is unchanged)."""
        before = self.state
        with pytest.raises(WorkshopRuleError) as info:
            check(self.state, actor, kind, payload, self.now)
        assert self.state is before
        return str(info.value)

    def view(self, viewer: str, later: dt.timedelta = dt.timedelta(0)) -> dict[str, Any]:
        return view_for(self.state, viewer, self.now + later)

    def join(self, *names: str) -> None:
        for number, name in enumerate(names, start=1):
            self.do("server", "participant_joined", participant=f"p{number}", name=name)

    def to_phase(self, *phases: str) -> None:
        for phase in phases:
            self.do("facilitator", "phase_changed", phase=phase)


def ready_room() -> Room:
    """Three participants joined and a three-decision agenda set; nothing started."""
    room = Room()
    room.join("Ana", "Ben", "Chloé")
    room.do("facilitator", "agenda_set", items=QUESTIONS)
    return room


def brainstorm_state() -> WorkshopState:
    """Item 0 in brainstorm with one idea (i6) from p1."""
    room = ready_room()
    room.do("facilitator", "item_started", item=0)
    room.do("p1", "idea_added", text="Mid-market first")
    return room.state


def voting_room() -> Room:
    """Item 0 in vote: p1 and p2 wrote ideas; i6 and i7 are grouped as g11, i8 stands alone."""
    room = ready_room()
    room.do("facilitator", "item_started", item=0)  # seq 5
    room.do("p1", "idea_added", text="Mid-market first")  # i6
    room.do("p2", "idea_added", text="Mid-market via partners")  # i7
    room.do("p2", "idea_added", text="Enterprise pilots")  # i8
    room.to_phase("reveal", "group")  # seq 9, 10
    room.do("facilitator", "ideas_grouped", label="Mid-market", ideas=["i6", "i7"])  # g11
    room.to_phase("vote")
    return room
