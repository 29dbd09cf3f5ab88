"""Properties over random command sequences: sealed brainstorms, dot budgets, faithful replay.

Each run draws commands (many of them invalid on purpose), keeps those :func:`check` accepts,
and applies them the way the web layer does.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.workshop import ready_room

from accord.workshop import (
    FACILITATOR,
    KINDS,
    PHASES,
    SERVER,
    Event,
    WorkshopRuleError,
    WorkshopState,
    apply,
    check,
    new_state,
    next_phases,
    replay,
    view_for,
)

START = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
PARTICIPANTS = ["p1", "p2", "p3", "p4"]
ACTORS = [FACILITATOR, FACILITATOR, FACILITATOR, "server", *PARTICIPANTS]
Draw = Callable[[st.SearchStrategy[Any]], Any]


@dataclass
class Run:
    events: list[Event]
    states: list[WorkshopState]  # the state after each accepted event

    def attempt(
        self, state: WorkshopState, actor: str, kind: str, payload: dict[str, Any], step: int
    ) -> WorkshopState:
        """Apply the command if the rules accept it (and record it); the state after."""
        at = START + dt.timedelta(minutes=step)
        try:
            stored = check(state, actor, kind, payload, at)
        except WorkshopRuleError:
            return state
        event = Event(len(self.events) + 1, kind, actor, stored, at)
        state = apply(state, event)
        self.events.append(event)
        self.states.append(state)
        return state


def _pick(draw: Draw, choices: list[str], missing: str) -> str:
    return str(draw(st.sampled_from(choices))) if choices else missing


def _payload(draw: Draw, kind: str, state: WorkshopState, step: int) -> dict[str, Any]:
    owners = [FACILITATOR, *PARTICIPANTS]
    item = state.current_item if state.current_item is not None else 0
    if kind == "participant_joined":
        return {"participant": draw(st.sampled_from(PARTICIPANTS)), "name": f"Name {step}"}
    if kind == "agenda_set":
        return {"items": [f"Q{i}?" for i in range(draw(st.integers(2, 6)))]}
    if kind == "item_started":
        return {"item": draw(st.integers(0, 3))}
    if kind == "phase_changed":
        return {"phase": draw(st.sampled_from(PHASES))}
    if kind == "timer_started":
        return {"seconds": draw(st.sampled_from([10, 30, 600]))}
    if kind == "settings_changed":
        return {"dots_per_item": draw(st.integers(0, 11)), "anonymous": draw(st.booleans())}
    if kind == "idea_added":
        # A marker no other text contains, so a leak is found by substring search.
        return {"text": f"SECRET{step}x"}
    if kind == "idea_withdrawn":
        return {"idea": _pick(draw, list(state.ideas), "i999")}
    if kind == "ideas_grouped":
        ids = list(state.ideas)
        chosen = draw(st.lists(st.sampled_from(ids), max_size=3, unique=True)) if ids else []
        return {"label": f"L{step}", "ideas": chosen}
    if kind == "dots_cast":
        targets = list(state.vote_targets(item)) or ["i999"]
        counts = st.dictionaries(
            st.sampled_from(targets), st.integers(0, 4), min_size=1, max_size=3
        )
        return {"allocation": draw(counts)}
    if kind == "parked":
        return {"text": "Tangent", "owner": draw(st.sampled_from(owners))}
    if kind == "parking_resolved":
        return {"parked_id": _pick(draw, list(state.parking_lot), "pk1"), "outcome": "Done"}
    if kind == "decision_recorded":
        dissent = [
            {"participant": p, "reason": "No"} for p in draw(st.sets(st.sampled_from(PARTICIPANTS)))
        ]
        return {
            "decision": "D",
            "owner": draw(st.sampled_from(owners)),
            "rationale": "R",
            "dissent": dissent,
        }
    if kind == "action_added":
        due = START.date() + dt.timedelta(days=draw(st.integers(-2, 10)))
        return {
            "what": "W",
            "owner": draw(st.sampled_from(owners)),
            "due": due.isoformat(),
            "metric": "M",
        }
    if kind == "action_done":
        return {"action": _pick(draw, list(state.actions), "a1")}
    if kind == "timer_extended":
        return {"seconds": draw(st.sampled_from([10, 60, 3600]))}
    if kind == "proposal_made":
        return {"text": f"Proposal {step}"}
    if kind == "position_stated":
        stance = draw(st.sampled_from(["agree", "abstain", "disagree", "block"]))
        return {"stance": stance, "reason": draw(st.sampled_from(["", "  Too soon  "]))}
    return {}  # timer_stopped, timer_expired, workshop_closed


# What a facilitator would typically do next in each phase; random commands are mixed in.
LIKELY_KINDS: dict[str | None, list[str]] = {
    None: ["item_started", "settings_changed", "parked"],
    "brainstorm": ["idea_added", "idea_added", "idea_withdrawn", "phase_changed"],
    "reveal": ["phase_changed", "timer_started", "timer_extended", "timer_expired"],
    "group": ["ideas_grouped", "ideas_grouped", "phase_changed"],
    "vote": ["dots_cast", "dots_cast", "dots_cast", "phase_changed", "settings_changed"],
    "decide": [
        "decision_recorded",
        "proposal_made",
        "position_stated",
        "position_stated",
        "phase_changed",
        "item_started",
        "action_added",
        "parked",
    ],
}
FORWARD = {"brainstorm": "reveal", "reveal": "group", "group": "vote", "vote": "decide"}
PARTICIPANT_KINDS = {
    "idea_added",
    "idea_withdrawn",
    "dots_cast",
    "parked",
    "action_done",
    "position_stated",
}


def _command(draw: Draw, state: WorkshopState, step: int) -> tuple[str, str, dict[str, Any]]:
    if draw(st.integers(0, 9)):
        kind = draw(st.sampled_from(LIKELY_KINDS[state.phase]))
    else:
        kind = draw(st.sampled_from(KINDS))
    if kind in PARTICIPANT_KINDS:
        actor = draw(st.sampled_from([*PARTICIPANTS, FACILITATOR]))
    else:
        actor = draw(st.sampled_from(ACTORS))
    payload = _payload(draw, kind, state, step)
    if kind == "phase_changed" and state.phase in FORWARD and draw(st.integers(0, 3)):
        payload = {"phase": FORWARD[state.phase]}
    return actor, kind, payload


@st.composite
def workshop_runs(draw: Draw) -> Run:
    state = new_state("Property workshop")
    run = Run([], [])
    setup = [
        ("server", "participant_joined", {"participant": p, "name": p.upper()})
        for p in PARTICIPANTS[:3]
    ]
    setup.append((FACILITATOR, "agenda_set", {"items": ["A?", "B?", "C?"]}))
    commands = draw(st.integers(10, 50))
    for step in range(len(setup) + commands):
        if step < len(setup):
            actor, kind, payload = setup[step]
        else:
            actor, kind, payload = _command(draw, state, step)
        state = run.attempt(state, actor, kind, payload, step)
    return run


@st.composite
def voting_runs(draw: Draw) -> Run:
    """A room straight into vote with several targets, then many random ballots."""
    state = new_state("Vote-heavy workshop")
    budget = draw(st.integers(1, 10))
    ideas = draw(st.integers(1, 6))
    setup: list[tuple[str, str, dict[str, Any]]] = [
        ("server", "participant_joined", {"participant": p, "name": p.upper()})
        for p in PARTICIPANTS[:3]
    ]
    setup += [
        (FACILITATOR, "settings_changed", {"dots_per_item": budget}),
        (FACILITATOR, "agenda_set", {"items": ["A?", "B?", "C?"]}),
        (FACILITATOR, "item_started", {"item": 0}),
    ]
    setup += [(f"p{1 + n % 3}", "idea_added", {"text": f"Idea {n}"}) for n in range(ideas)]
    setup += [(FACILITATOR, "phase_changed", {"phase": p}) for p in ("reveal", "group")]
    run = Run([], [])
    for step in range(len(setup) + draw(st.integers(1, 25))):
        if step < len(setup):
            actor, kind, payload = setup[step]
        elif state.phase == "group":
            actor, kind = FACILITATOR, draw(st.sampled_from(["ideas_grouped", "phase_changed"]))
            payload = _payload(draw, kind, state, step)
            payload = {"phase": "vote"} if kind == "phase_changed" else payload
        else:
            actor, kind = draw(st.sampled_from(PARTICIPANTS)), "dots_cast"
            targets = [*state.vote_targets(0), "i999"]
            counts = st.integers(0, budget + 1)
            payload = {"allocation": draw(st.dictionaries(st.sampled_from(targets), counts))}
        state = run.attempt(state, actor, kind, payload, step)
    return run


def _strings(value: Any) -> Iterator[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from _strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner)


PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(workshop_runs())
def test_views_before_reveal_never_contain_anothers_idea(run: Run):
    for state, event in zip(run.states, run.events, strict=True):
        now = event.at + dt.timedelta(seconds=1)
        sealed = [i for i in state.ideas.values() if state.agenda[i.item].phase == "brainstorm"]
        for viewer in [FACILITATOR, *state.participants]:
            view = view_for(state, viewer, now)
            text = json.dumps(view)
            strings = set(_strings(view))
            for idea in sealed:
                if idea.author != viewer:
                    assert idea.text not in text, (viewer, idea)
                    assert idea.id not in strings, (viewer, idea)
            if viewer != FACILITATOR and state.settings.anonymous:
                assert all(i["author"] is None for i in view["ideas"])
                assert all(p["raised_by"] is None for p in view["parking_lot"])


@PROPERTY_SETTINGS
@given(workshop_runs() | voting_runs())
def test_no_allocation_ever_exceeds_the_budget(run: Run):
    for state in run.states:
        for (item, participant), allocation in state.dots.items():
            assert participant in state.participants
            assert sum(allocation.values()) <= state.settings.dots_per_item
            assert all(count > 0 for count in allocation.values())
            assert set(allocation) <= set(state.vote_targets(item))


@PROPERTY_SETTINGS
@given(workshop_runs())
def test_replay_equals_folding_apply_after_a_json_round_trip(run: Run):
    # The web layer stores payloads as JSON; replaying the stored log must rebuild the state.
    stored = [
        Event(e.seq, e.kind, e.actor, json.loads(json.dumps(e.payload)), e.at) for e in run.events
    ]
    final = run.states[-1]
    assert replay(final.title, stored) == final
    for cut in (len(stored) // 2, len(stored)):
        assert replay(final.title, stored[:cut]) == run.states[cut - 1]
    now = run.events[-1].at
    for viewer in [FACILITATOR, *final.participants]:
        assert view_for(replay(final.title, stored), viewer, now) == view_for(final, viewer, now)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 12)
    | st.floats(allow_nan=False)
    | st.text(max_size=4)
    | st.sampled_from(["p1", "p9", "i6", "g11", "facilitator", "vote", "2025-03-09"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=8,
)
KIND_FIELDS: dict[str, list[str]] = {
    "participant_joined": ["participant", "name"],
    "agenda_set": ["items"],
    "item_started": ["item"],
    "phase_changed": ["phase", "item"],
    "timer_started": ["seconds"],
    "timer_stopped": [],
    "timer_extended": ["seconds"],
    "timer_expired": [],
    "settings_changed": ["dots_per_item", "anonymous"],
    "idea_added": ["text", "item"],
    "idea_withdrawn": ["idea"],
    "ideas_grouped": ["label", "ideas", "item"],
    "dots_cast": ["allocation", "item"],
    "parked": ["text", "owner"],
    "parking_resolved": ["parked_id", "outcome"],
    "decision_recorded": ["decision", "owner", "rationale", "dissent", "deprioritised", "item"],
    "action_added": ["what", "owner", "due", "metric", "item"],
    "action_done": ["action"],
    "workshop_closed": [],
    "proposal_made": ["text", "item"],
    "position_stated": ["stance", "reason", "item"],
}


def _rooms() -> dict[str, WorkshopState]:
    """A workshop in each phase, with a parked issue (pk5) and an action (a6) for p1."""
    room = ready_room()
    room.do("p1", "parked", text="Agency renewal", owner="p1")  # pk5
    room.do(FACILITATOR, "action_added", what="W", owner="p1", due="2025-04-01", metric="M")
    room.do(FACILITATOR, "item_started", item=0)
    room.do("p1", "idea_added", text="Mid-market first")  # i8
    rooms = {"empty": new_state("Empty"), "brainstorm": room.state}
    for phase in ("reveal", "group", "vote", "decide"):
        room.to_phase(phase)
        rooms[phase] = room.state
    room.do(FACILITATOR, "proposal_made", text="Mid-market first")
    room.do(FACILITATOR, "timer_started", seconds=60)
    rooms["proposed"] = room.state
    return rooms


ROOMS = _rooms()
# The room where each kind's phase rule passes, so the fuzz reaches its payload checks.
ROOM_FOR = {"idea_added": "brainstorm", "idea_withdrawn": "brainstorm", "ideas_grouped": "group"}
ROOM_FOR |= {"dots_cast": "vote", "decision_recorded": "decide", "phase_changed": "group"}
ROOM_FOR |= {"position_stated": "proposed", "timer_extended": "proposed"}
ROOM_FOR |= {"timer_expired": "proposed", "proposal_made": "decide"}
IDS = st.sampled_from(["p1", "i8", "pk5", "a6", "facilitator", "vote", "2025-03-09"])
ANY_VALUE = IDS | JSON_VALUES | st.lists(IDS | JSON_VALUES, min_size=1, max_size=3)


@st.composite
def commands(draw: Draw) -> tuple[WorkshopState, str, str, dict[str, Any]]:
    """A command in a room where it could pass, with mostly its own fields holding any JSON."""
    kind = draw(st.sampled_from(KINDS))
    state = ROOMS[ROOM_FOR.get(kind, draw(st.sampled_from(["brainstorm", "decide"])))]
    usual = "p1" if kind in PARTICIPANT_KINDS else FACILITATOR
    actor = draw(st.sampled_from([usual] * 6 + [FACILITATOR, "server", "p2", "p9"]))
    names = KIND_FIELDS[kind] + (["extra"] if draw(st.integers(0, 9)) == 0 else [])
    # Rarely send "item": a wrong one refuses the command before the other fields are read.
    fields = [n for n in names if (draw(st.integers(0, 5)) != 0) == (n != "item")]
    return state, actor, kind, {name: draw(ANY_VALUE) for name in fields}


@settings(max_examples=300, deadline=None)
@given(commands())
def test_check_answers_any_json_payload_with_a_rule_error_or_a_json_payload(
    command: tuple[WorkshopState, str, str, dict[str, Any]],
):
    state, actor, kind, payload = command
    try:
        stored = check(state, actor, kind, payload, START + dt.timedelta(hours=1))
    except WorkshopRuleError as error:
        assert str(error)
    else:
        assert json.loads(json.dumps(stored)) == stored


@PROPERTY_SETTINGS
@given(workshop_runs())
def test_the_console_offers_exactly_the_phase_changes_the_rules_accept(run: Run):
    for state, event in zip(run.states, run.events, strict=True):
        offered = set(next_phases(state))
        for phase in PHASES:
            try:
                check(state, FACILITATOR, "phase_changed", {"phase": phase}, event.at)
            except WorkshopRuleError:
                assert phase not in offered, (state.phase, phase)
            else:
                assert phase in offered, (state.phase, phase)
        assert view_for(state, FACILITATOR, event.at)["next_phases"] == list(next_phases(state))


@PROPERTY_SETTINGS
@given(workshop_runs())
def test_presence_says_who_contributed_never_what(run: Run):
    for state, event in zip(run.states, run.events, strict=True):
        for viewer in [FACILITATOR, *state.participants]:
            presence = view_for(state, viewer, event.at)["presence"]
            assert [p["id"] for p in presence] == list(state.participants)
            assert all(set(p) == {"id", "name", "contributed"} for p in presence)
            assert all(p["contributed"] in (None, True, False) for p in presence)


@PROPERTY_SETTINGS
@given(workshop_runs())
def test_a_timer_ends_exactly_when_its_deadline_has_passed(run: Run):
    timed = [state for state in run.states if state.timer is not None and not state.closed]
    for state in timed:
        assert state.timer is not None
        ends = state.timer.ends_at
        with pytest.raises(WorkshopRuleError, match="left"):
            check(state, SERVER, "timer_expired", {}, ends - dt.timedelta(seconds=1))
        stored = check(state, SERVER, "timer_expired", {}, ends)
        assert stored["ends_at"] == ends.isoformat()
