"""What one viewer may see of a live workshop: the only data the server sends them.

This is a security boundary.  Before an item's reveal a participant receives only their own
ideas for it and a count ("silent brainstorming revealed together"); the facilitator receives
counts per participant, never texts.  Dot totals appear only once the item has left "vote".
Only the current item's ideas are sent, so an item left during brainstorm stays sealed.

A view is :func:`shared_view` (what every viewer of one audience sees alike, computed once
per event for a whole room) merged with :func:`personal_view` (who is looking, the timer,
their own ideas before the reveal, their dots and position).  :func:`view_for` is that
merge, so the web app's shared rendering and this boundary are the same code.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Literal

from accord.workshop.events import WorkshopRuleError, next_phases, require_utc
from accord.workshop.state import FACILITATOR, STANCES, Idea, TallyEntry, WorkshopState
from accord.workshop.suggest import suggested_groups

_AFTER_VOTE = ("decide",)
_BALLOT_OPEN = ("vote", "decide")
# Stands for "some participant" in the shared view: never a real id (ids are ``p<n>``), so
# nothing in it is anyone's own (no idea marked "mine", no dots, no position).
_ANY_PARTICIPANT = "participant*"

Audience = Literal["facilitator", "participant"]


def view_for(state: WorkshopState, viewer: str, now: dt.datetime) -> dict[str, Any]:
    """The JSON-able view of ``state`` for ``viewer`` ("facilitator" or a participant id)."""
    personal = personal_view(state, viewer, now)
    view = {**shared_view(state, audience_of(viewer), now), **personal}
    item = state.current_item
    if item is not None and view["phase"] == "brainstorm":
        view["ideas"] = personal["my_ideas"]
    elif item is not None:
        # After the reveal a whole audience sees the same ideas; only "mine" differs.
        view["ideas"] = _ideas_json(state, state.item_ideas(item), viewer)
    del view["my_ideas"]
    return view


def audience_of(viewer: str) -> Audience:
    """Whose shared view ``viewer`` gets."""
    return "facilitator" if viewer == FACILITATOR else "participant"


def shared_view(state: WorkshopState, audience: Audience, now: dt.datetime) -> dict[str, Any]:
    """What every viewer of ``audience`` sees alike: the board minus :func:`personal_view`.

    It must hold nothing one participant may see and another may not: before the reveal a
    participant audience gets no idea texts at all, and nothing is marked as anyone's own.
    """
    require_utc(now, "now")
    facilitator = audience == "facilitator"
    viewer = FACILITATOR if facilitator else _ANY_PARTICIPANT
    view: dict[str, Any] = {
        "title": state.title,
        "closed": state.closed,
        "review_date": state.review_date.isoformat() if state.review_date else None,
        "settings": {
            "dots_per_item": state.settings.dots_per_item,
            "anonymous": state.settings.anonymous,
            "anonymous_to_facilitator": state.settings.anonymous_to_facilitator,
        },
        "participants": [{"id": pid, "name": name} for pid, name in state.participants.items()],
        "agenda": [
            {
                "item": index,
                "question": item.question,
                "phase": item.phase,
                "status": item.status,
                "current": index == state.current_item,
            }
            for index, item in enumerate(state.agenda)
        ],
        "current_item": state.current_item,
        "phase": state.phase,
        "time_up": state.time_up,
        # The console offers exactly the moves the rules accept (participants get none).
        "next_phases": list(next_phases(state)) if facilitator else [],
        "presence": _presence(state),
    }
    view.update(_board(state, viewer))
    view.update(_decide(state, viewer))
    view["suggestions"] = (
        [{"label": g.label, "ideas": list(g.ideas)} for g in suggested_groups(state)]
        if facilitator
        else []
    )
    view["parking_lot"] = [
        {
            "id": issue.id,
            "text": issue.text,
            "owner": issue.owner,
            # Who raised an issue follows the same anonymity as ideas.
            "raised_by": issue.raised_by if _authors_visible(state, viewer) else None,
            "resolved": issue.outcome is not None,
            "outcome": issue.outcome,
        }
        for issue in state.parking_lot.values()
    ]
    view["decisions"] = [
        {
            "item": record.item,
            "question": state.agenda[record.item].question,
            "decision": record.decision,
            "owner": record.owner,
            "rationale": record.rationale,
            "dissent": [
                {
                    "participant": d.participant,
                    "name": state.participants.get(d.participant, d.participant),
                    "reason": d.reason,
                }
                for d in record.dissent
            ],
            "deprioritised": list(record.deprioritised),
            "tally": _tally_json(record.tally),
            "stances": _stance_counts(state, record.item),
            "recorded_at": record.recorded_at.isoformat(),
        }
        for record in sorted(state.decisions.values(), key=lambda r: r.item)
    ]
    today = now.astimezone(dt.UTC).date()
    view["actions"] = [
        {
            "id": action.id,
            "what": action.what,
            "owner": action.owner,
            "due": action.due.isoformat(),
            "metric": action.metric,
            "item": action.item,
            "done": action.done,
            "overdue": not action.done and action.due < today,
        }
        for action in state.actions.values()
    ]
    return view


def personal_view(state: WorkshopState, viewer: str, now: dt.datetime) -> dict[str, Any]:
    """What only ``viewer`` sees: who they are, the timer, their own ideas during the
    brainstorm (``my_ideas``), their dots and their position.  Nothing in it grows with the
    room, so it is cheap to compute per viewer."""
    require_utc(now, "now")
    facilitator = viewer == FACILITATOR
    if not facilitator and viewer not in state.participants:
        raise WorkshopRuleError(f"{viewer} has not joined this workshop; open your invitation link")
    personal: dict[str, Any] = {
        "viewer": {
            "id": viewer,
            "role": "facilitator" if facilitator else "participant",
            "name": "Facilitator" if facilitator else state.participants[viewer],
        },
        "timer": _timer(state, now),
        "my_ideas": [],
        "my_dots": None,
    }
    item, phase = state.current_item, state.phase
    if item is None or phase is None:
        return personal
    if phase == "brainstorm":
        own = state.own_ideas(item, viewer)
        personal["my_ideas"] = _ideas_json(state, own, viewer)
    if phase in _BALLOT_OPEN and not facilitator:
        mine = dict(state.allocation(item, viewer))
        budget = state.settings.dots_per_item
        personal["my_dots"] = {
            "allocation": mine,
            "budget": budget,
            "remaining": budget - sum(mine.values()),
        }
    if phase == "decide" and not facilitator:
        position = state.positions.get((item, viewer))
        if position is not None:
            personal["my_position"] = {"stance": position.stance, "reason": position.reason}
    return personal


def _authors_visible(state: WorkshopState, viewer: str) -> bool:
    settings = state.settings
    if not settings.anonymous:
        return True
    return viewer == FACILITATOR and not settings.anonymous_to_facilitator


#: What counts as having contributed in each phase (what the presence list marks).
CONTRIBUTION = {
    "brainstorm": "wrote ideas",
    "vote": "voted",
    "decide": "stated a position",
}


def _presence(state: WorkshopState) -> list[dict[str, Any]]:
    """Everyone who joined, and whether they contributed in the current phase.

    Only *whether*, never what: no idea count per person, no dots, no stance (the
    facilitator's board has its own counts of ideas).
    """
    item, phase = state.current_item, state.phase
    done: set[str] = set()
    if item is not None and phase == "brainstorm":
        done = {idea.author for idea in state.item_ideas(item)}
    elif item is not None and phase == "vote":
        done = {who for (i, who), a in state.dots.items() if i == item and a}
    elif item is not None and phase == "decide":
        done = {p.participant for p in state.item_positions(item)}
    counted = phase in CONTRIBUTION
    return [
        {"id": pid, "name": name, "contributed": pid in done if counted else None}
        for pid, name in state.participants.items()
    ]


def _stance_counts(state: WorkshopState, item: int) -> dict[str, int]:
    counts: dict[str, int] = dict.fromkeys(STANCES, 0)
    for position in state.item_positions(item):
        counts[position.stance] += 1
    return counts


def _decide(state: WorkshopState, viewer: str) -> dict[str, Any]:
    """The current item's proposal; a participant's own position; for the facilitator, how
    many agree, abstain or disagree and the disagreements word for word (they become the
    decision's dissent)."""
    item = state.current_item
    part: dict[str, Any] = {"proposal": None, "my_position": None, "stances": None, "dissent": []}
    if item is None or state.phase != "decide":
        return part
    part["proposal"] = state.proposals.get(item)
    if viewer == FACILITATOR:
        part["stances"] = _stance_counts(state, item)
        part["dissent"] = [
            {
                "participant": p.participant,
                "name": state.participants.get(p.participant, p.participant),
                "reason": p.reason,
            }
            for p in state.item_positions(item)
            if p.stance == "disagree"
        ]
    else:
        mine = state.positions.get((item, viewer))
        if mine is not None:
            part["my_position"] = {"stance": mine.stance, "reason": mine.reason}
    return part


def _timer(state: WorkshopState, now: dt.datetime) -> dict[str, Any] | None:
    timer = state.timer
    if timer is None:
        return None
    elapsed = (now - timer.started_at).total_seconds()
    remaining = max(0, math.ceil(timer.seconds - elapsed))
    return {
        "phase": timer.phase,
        "seconds": timer.seconds,
        "remaining": remaining,
        "expired": remaining == 0,
        "ends_at": timer.ends_at.isoformat(),
    }


def _board(state: WorkshopState, viewer: str) -> dict[str, Any]:
    """Ideas, groups, dots and tally of the current item, as far as ``viewer`` may see."""
    board: dict[str, Any] = {
        "idea_count": 0,
        "idea_counts": None,
        "ideas": [],
        "groups": [],
        "targets": [],
        "ballots": None,
        "tally": None,
    }
    item, phase = state.current_item, state.phase
    if item is None or phase is None:
        return board
    ideas = state.item_ideas(item)
    board["idea_count"] = len(ideas)
    if phase == "brainstorm":
        # Each viewer's own ideas are in personal_view; nobody shares them before the reveal.
        if viewer == FACILITATOR:
            counts: dict[str, int] = {}
            for idea in ideas:
                counts[idea.author] = counts.get(idea.author, 0) + 1
            board["idea_counts"] = counts
        return board
    board["ideas"] = _ideas_json(state, ideas, viewer)
    board["groups"] = [
        {"id": g.id, "label": g.label, "ideas": list(g.ideas)} for g in state.item_groups(item)
    ]
    if phase not in _BALLOT_OPEN:
        return board
    board["targets"] = [
        {"target": target, "label": label} for target, label in state.vote_targets(item).items()
    ]
    board["ballots"] = sum(1 for (i, _), a in state.dots.items() if i == item and a)
    if phase in _AFTER_VOTE:
        board["tally"] = _tally_json(state.tally(item))
    return board


def _ideas_json(state: WorkshopState, ideas: list[Idea], viewer: str) -> list[dict[str, Any]]:
    # One pass over the groups, not one per idea (state.group_of scans them all).
    group_of = {idea_id: g.id for g in state.groups.values() for idea_id in g.ideas}
    visible = _authors_visible(state, viewer)
    return [
        {
            "id": idea.id,
            "text": idea.text,
            "mine": idea.author == viewer,
            "author": idea.author if visible else None,
            "group": group_of.get(idea.id),
        }
        for idea in ideas
    ]


def _tally_json(tally: tuple[TallyEntry, ...]) -> list[dict[str, Any]]:
    return [{"target": e.target, "label": e.label, "dots": e.dots} for e in tally]
