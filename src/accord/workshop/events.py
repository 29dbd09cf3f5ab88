"""Workshop commands: who may issue each one, when, and what its payload must hold.

:func:`check` is the single gate: it validates a command against the facilitation rules and
returns the normalised payload the web layer stores as an event; :func:`~accord.workshop.apply`
then trusts it.  Messages say what is not allowed and why, so the UI can show them as they are.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from accord.errors import ConflictError, did_you_mean
from accord.workshop.state import (
    FACILITATOR,
    KINDS,
    PHASES,
    REVIEW_AFTER_DAYS,
    SERVER,
    STANCES,
    Phase,
    WorkshopState,
)

AGENDA_MIN, AGENDA_MAX = 3, 5  # seeds: design the agenda around three to five decisions
QUESTION_MAX = 200
IDEA_MAX = 500
PARKED_MAX = 300
TIMER_MIN, TIMER_MAX = 30, 3600
PROPOSAL_MAX = 500
REASON_MAX = 2000
DOTS_MIN, DOTS_MAX = 1, 10
_PARTICIPANT_ID = re.compile(r"p(0|[1-9][0-9]*)")

# phase -> phases the facilitator may move the current item to next
_NEXT_PHASES: dict[str, tuple[str, ...]] = {
    "brainstorm": ("reveal",),
    "reveal": ("group", "decide"),  # decide straight away when the room already agrees
    "group": ("vote", "decide"),
    "vote": ("decide", "vote"),  # vote -> vote restarts the ballot
    "decide": ("vote",),  # a re-vote, while no decision is recorded
}

# phase -> where a phase's timer running out takes the item: the ordinary forward step
# (Parabol's timed stages advance the meeting); a decide phase only shows that time is up.
_ON_TIMEOUT: dict[str, Phase | None] = {
    "brainstorm": "reveal",
    "reveal": "group",
    "group": "vote",
    "vote": "decide",
    "decide": None,
}

#: What the server itself may store: joins (it seats link holders) and timers running out.
_SERVER_KINDS = ("participant_joined", "timer_expired")


class WorkshopRuleError(ConflictError):
    """A command the workshop's rules do not allow; the message is shown to the user."""

    kind = "workshop_rule"


@dataclass(frozen=True)
class Event:
    """One accepted command as stored in the workshop's event log."""

    seq: int
    kind: str
    actor: str  # "facilitator", "server" (joins only) or a participant id such as "p3"
    payload: Mapping[str, Any]
    at: dt.datetime  # timezone-aware UTC, set by the server


def check(
    state: WorkshopState, actor: str, kind: str, payload: Mapping[str, Any], at: dt.datetime
) -> dict[str, Any]:
    """Validate a command and return the normalised payload to store.

    Raises :class:`WorkshopRuleError` naming the rule that refuses it.  Never mutates.
    """
    require_utc(at, "at")
    rule = _RULES.get(kind)
    if rule is None:
        raise WorkshopRuleError(f"unknown command {kind!r}{did_you_mean(kind, KINDS)}")
    _check_actor(state, actor, kind)
    if state.closed and kind != "action_done":
        raise WorkshopRuleError("the workshop is closed; only marking actions done is accepted")
    if not isinstance(payload, Mapping):
        raise WorkshopRuleError(f"{kind} needs an object payload, got {type(payload).__name__}")
    return rule(state, actor, payload, at)


def require_utc(moment: dt.datetime, name: str) -> None:
    """Refuse naive datetimes: timers and due dates compare server clocks across machines."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware UTC datetime, got {moment!r}")


def _check_actor(state: WorkshopState, actor: str, kind: str) -> None:
    if actor == SERVER:
        if kind not in _SERVER_KINDS:
            raise WorkshopRuleError(
                f"the server may only register participants and end timers, not {kind}"
            )
        return
    if actor == FACILITATOR:
        return
    if not isinstance(actor, str) or not _PARTICIPANT_ID.fullmatch(actor):
        raise WorkshopRuleError(
            f"unknown actor {actor!r} (expected 'facilitator' or a participant id such as 'p3')"
        )
    if actor not in state.participants:
        raise WorkshopRuleError(f"{actor} has not joined this workshop; open your invitation link")


# --- payload readers: each names the field, the bad value and what is allowed ---------------


def _fields(
    payload: Mapping[str, Any], required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> None:
    allowed = required + optional
    for key in payload:
        if key not in allowed:
            expected = ", ".join(repr(a) for a in allowed) or "no fields"
            raise WorkshopRuleError(
                f"unexpected field {key!r}{did_you_mean(str(key), allowed)} (expected {expected})"
            )
    for key in required:
        if key not in payload:
            raise WorkshopRuleError(f"missing field {key!r}")


def _text(value: Any, name: str, max_len: int, *, verbatim: bool = False) -> str:
    if not isinstance(value, str):
        raise WorkshopRuleError(f"{name} must be text, got {type(value).__name__}")
    # Verbatim text (dissent) is stored exactly as given; the rest is trimmed.
    text = value if verbatim else value.strip()
    if not text.strip() or len(text) > max_len:
        raise WorkshopRuleError(f"{name} must be 1 to {max_len} characters (got {len(text)})")
    return text


def _int(value: Any, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise WorkshopRuleError(f"{name} must be a whole number, got {value!r}")
    if not low <= value <= high:
        raise WorkshopRuleError(f"{name} must be between {low} and {high}, got {value}")
    return value


def _text_list(value: Any, name: str, max_len: int) -> list[str]:
    if not isinstance(value, list | tuple):
        raise WorkshopRuleError(f"{name} must be a list, got {type(value).__name__}")
    return [_text(v, f"{name}[{i}]", max_len) for i, v in enumerate(value)]


def _owner(state: WorkshopState, value: Any, name: str) -> str:
    if value == FACILITATOR or (isinstance(value, str) and value in state.participants):
        return str(value)
    choices = [FACILITATOR, *state.participants]
    hint = did_you_mean(value, choices) if isinstance(value, str) else ""
    raise WorkshopRuleError(
        f"{name} must be 'facilitator' or a participant who has joined, got {value!r}{hint}"
    )


def _agenda_index(state: WorkshopState, value: Any, name: str) -> int:
    if not state.agenda:
        raise WorkshopRuleError("set the agenda first")
    return _int(value, name, 0, len(state.agenda) - 1)


def _facilitator_only(actor: str, what: str) -> None:
    if actor != FACILITATOR:
        raise WorkshopRuleError(f"only the facilitator can {what}")


def _current(
    state: WorkshopState, payload: Mapping[str, Any], phases: tuple[str, ...], what: str
) -> int:
    """The current item, refusing stale clients and the wrong phase."""
    item = state.current_item
    if item is None:
        raise WorkshopRuleError("no agenda item is running; the facilitator starts one first")
    sent = payload.get("item", item)
    if isinstance(sent, bool) or not isinstance(sent, int) or sent != item:
        raise WorkshopRuleError(f"item {sent!r} is not the current item; item {item} is")
    phase = state.phase
    if phase not in phases:
        wanted = " or ".join(phases)
        raise WorkshopRuleError(f"{what} only during {wanted}; the phase is {phase}")
    return item


# --- one rule per command --------------------------------------------------------------------


def _participant_joined(
    state: WorkshopState, actor: str, payload: Mapping[str, Any], at: dt.datetime
) -> dict[str, Any]:
    if actor not in (FACILITATOR, SERVER):
        raise WorkshopRuleError("only the facilitator or the server can register participants")
    _fields(payload, ("participant", "name"))
    participant = payload["participant"]
    if not isinstance(participant, str) or not _PARTICIPANT_ID.fullmatch(participant):
        raise WorkshopRuleError(
            f"participant must be an id such as 'p3' ('p' and a number), got {participant!r}"
        )
    if participant in state.participants:
        # Names are fixed once joined: a rename mid-workshop would change who said what.
        raise WorkshopRuleError(
            f"{participant} has already joined as {state.participants[participant]}"
        )
    return {"participant": participant, "name": participant_name(payload["name"])}


#: Names the board already uses for someone else ("Facilitator" labels the facilitator).
RESERVED_NAMES = frozenset({"facilitator"})
MAX_PARTICIPANT_NAME = 80


def participant_name(value: Any, reserved: Collection[str] = ()) -> str:
    """The trimmed display name a participant may join under, or :class:`WorkshopRuleError`.

    ``reserved`` adds names the caller knows are taken (the facilitator's own name), so
    nobody can pose as the facilitator on the board.
    """
    name = _text(value, "name", MAX_PARTICIPANT_NAME)
    taken = RESERVED_NAMES | {r.strip().casefold() for r in reserved}
    if name.casefold() in taken:
        raise WorkshopRuleError(f"name: {name!r} is the facilitator's; join under your own name")
    return name


def _agenda_set(
    state: WorkshopState, actor: str, payload: Mapping[str, Any], at: dt.datetime
) -> dict[str, Any]:
    _facilitator_only(actor, "set the agenda")
    _fields(payload, ("items",))
    if any(item.phase is not None for item in state.agenda):
        raise WorkshopRuleError("the agenda is fixed once the first item has started")
    items = _text_list(payload["items"], "items", QUESTION_MAX)
    if not AGENDA_MIN <= len(items) <= AGENDA_MAX:
        raise WorkshopRuleError(
            f"the agenda needs {AGENDA_MIN} to {AGENDA_MAX} decisions, got {len(items)}; "
            "a workshop produces concrete decisions, not status updates"
        )
    return {"items": items}


def _item_started(
    state: WorkshopState, actor: str, payload: Mapping[str, Any], at: dt.datetime
) -> dict[str, Any]:
    _facilitator_only(actor, "start an agenda item")
    _fields(payload, ("item",))
    index = _agenda_index(state, payload["item"], "item")
    status = state.agenda[index].status
    if status == "active":
        raise WorkshopRuleError(f"item {index} is already running")
    if status == "decided":
        raise WorkshopRuleError(f"item {index} is decided; a decided item is not run again")
    return {"item": index}


def _phase_changed(
    state: WorkshopState, actor: str, payload: Mapping[str, Any], at: dt.datetime
) -> dict[str, Any]:
    _facilitator_only(actor, "change the phase")
    _fields(payload, ("phase",), ("item",))
    target = payload["phase"]
    if target not in PHASES:
        hint = did_you_mean(target, PHASES) if isinstance(target, str) else ""
        raise WorkshopRuleError(
            f"unknown phase {target!r}{hint} (expected one of {', '.join(PHASES)})"
        )
    item = _current(state, payload, PHASES, "the phase changes")
    phase = state.phase
    if phase is None:  # pragma: no cover - a current item always has a phase
        raise WorkshopRuleError("no agenda item is running; the facilitator starts one first")
    allowed = _NEXT_PHASES[phase]
    if target not in allowed:
        raise WorkshopRuleError(
            f"cannot go from {phase} to {target}; next is {' or '.join(allowed)} "
            "(phases only move forward, except a re-vote)"
        )
    if target == "vote" and item in state.decisions:
        raise WorkshopRuleError(f"item {item} already has a decision recorded; a re-vote is closed")
    return {"item": item, "phase": target}


def next_phases(state: WorkshopState) -> tuple[Phase, ...]:
    """The phases the facilitator may move the current item to now (what the console offers).

    The same rules as ``phase_changed``: offering exactly these means no button answers 409.
    """
    item, phase = state.current_item, state.phase
    if state.closed or item is None or phase is None:
        return ()
    decided = item in state.decisions
    return tuple(p for p in PHASES if p in _NEXT_PHASES[phase] and not (p == "vote" and decided))


def _timer_started(
    state: WorkshopState, actor: str, payload: Mapping[str, Any], at: dt.datetime
) -> dict[str, Any]:
    _facilitator_only(actor, "start the timer")
    _fields(payload, ("seconds",))
    _current(state, payload, PHASES, "a timer runs")
    seconds = _int(payload["seconds"], "seconds", TIMER_MIN, TIMER_MAX)
    return {"seconds": seconds}


def _timer_stopped(
    state: WorkshopState, actor: str, payload: Mapping[str, Any], at: dt.datetime
) -> dict[str, Any]:
    _facilitator_only(actor, "stop the timer")
    _fields(payload, ())
    if state.timer is None:
        raise WorkshopRuleError("no timer is running")
    return {}


def _timer_extended(
    state: WorkshopState, actor: str, payload: Mapping[str, Any], at: dt.datetime
) -> dict[str, Any]:
    _facilitator_only(actor, "extend the timer")
    _fields(payload, ("seconds",))
    timer = state.timer
    if timer is None:
        raise WorkshopRuleError("no timer is running; start one instead")
    seconds = _int(payload["seconds"], "seconds", TIMER_MIN, TIMER_MAX)
    left = max(0.0, (timer.ends_at - at).total_seconds())
    if left + seconds > TIMER_MAX:
        raise WorkshopRuleError(
            f"seconds: {seconds} more would leave {round(left + seconds)} s on the timer "
            f"(at most {TIMER_MAX} s)"
        )
    return {"seconds": seconds}


def _timer_expired(
    state: WorkshopState, actor: str, payload: Mapping[str, Any], at: dt.datetime
) -> dict[str, Any]:
    _fields(payload, ())
    timer = state.timer
    if timer is None:
        raise WorkshopRuleError("no timer is running")
    if at < timer.ends_at:
        left = math.ceil((timer.ends_at - at).total_seconds())
        raise WorkshopRuleError(f"the timer has {left} s left; it ends at {timer.ends_at}")
    following = _ON_TIMEOUT[timer.phase]
    if following == "vote" and timer.item in state.decisions:  # pragma: no cover - group only
        following = None
    return {
        "item": timer.item,
        "phase": timer.phase,
        "next": following,
        "ends_at": timer.ends_at.isoformat(),
    }


def timer_due(state: WorkshopState, now: dt.datetime) -> bool:
    """Whether a timer ran out and its ``timer_expired`` has not been stored yet."""
    return state.timer is not None and not state.closed and now >= state.timer.ends_at


def _settings_changed(
    state: WorkshopState, actor: str, payload: Mapping[str, Any], at: dt.datetime
) -> dict[str, Any]:
    _facilitator_only(actor, "change the settings")
    _fields(payload, (), ("dots_per_item", "anonymous", "anonymous_to_facilitator"))
    if not payload:
        raise WorkshopRuleError("give dots_per_item, anonymous or anonymous_to_facilitator")
    if state.voting_started:
        raise WorkshopRuleError("settings are fixed once voting has started")
    settings = state.settings
    dots = settings.dots_per_item
    if "dots_per_item" in payload:
        dots = _int(payload["dots_per_item"], "dots_per_item", DOTS_MIN, DOTS_MAX)
    anonymous = payload.get("anonymous", settings.anonymous)
    if not isinstance(anonymous, bool):
        raise WorkshopRuleError(f"anonymous must be true or false, got {anonymous!r}")
    if settings.anonymous and not anonymous and state.ideas:
        # Ideas were written under a promise of anonymity; naming their authors breaks it.
        raise WorkshopRuleError("anonymity cannot be turned off once ideas have been written")
    hidden = payload.get("anonymous_to_facilitator", settings.anonymous_to_facilitator)
    if not isinstance(hidden, bool):
        raise WorkshopRuleError(f"anonymous_to_facilitator must be true or false, got {hidden!r}")
    if settings.anonymous_to_facilitator and not hidden and state.ideas:
        raise WorkshopRuleError(
            "authors cannot be shown to the facilitator once ideas were written hidden from them"
        )
    return {"dots_per_item": dots, "anonymous": anonymous, "anonymous_to_facilitator": hidden}


def _idea_added(
    state: WorkshopState, actor: str, payload: Mapping[str, Any], at: dt.datetime
) -> dict[str, Any]:
    _fields(payload, ("text",), ("item",))
    item = _current(state, payload, ("brainstorm",), "ideas can be added")
    text = _text(payload["text"], "text", IDEA_MAX)
    return {"item": item, "text": text}


def _idea_withdrawn(
    state: WorkshopState, actor: str, payload: Mapping[str, Any], at: dt.datetime
) -> dict[str, Any]:
    _fields(payload, ("idea",))
    idea_id = payload["idea"]
    idea = state.ideas.get(idea_id) if isinstance(idea_id, str) else None
    # Someone else's idea gets the same answer as a missing one: ids stay private in brainstorm.
    if idea is None or idea.author != actor:
        raise WorkshopRuleError(f"you have no idea {idea_id!r} to withdraw")
    if state.current_item != idea.item or state.phase != "brainstorm":
        raise WorkshopRuleError("ideas can be withdrawn only during their item's brainstorm")
    return {"idea": idea.id}


def _ideas_grouped(
    state: WorkshopState, actor: str, payload: Mapping[str, Any], at: dt.datetime
) -> dict[str, Any]:
    _facilitator_only(actor, "group ideas")
    _fields(payload, ("label", "ideas"), ("item",))
    item = _current(state, payload, ("group",), "ideas can be grouped")
    label = _text(payload["label"], "label", 120)
    ids = payload["ideas"]
    if not isinstance(ids, list | tuple) or not ids:
        raise WorkshopRuleError("ideas must be a non-empty list of idea ids")
    item_ideas = {idea.id for idea in state.item_ideas(item)}
    for idea_id in ids:
        if not isinstance(idea_id, str) or idea_id not in item_ideas:
            hint = did_you_mean(idea_id, item_ideas) if isinstance(idea_id, str) else ""
            raise WorkshopRuleError(f"{idea_id!r} is not an idea of item {item}{hint}")
    if len(set(ids)) != len(ids):
        raise WorkshopRuleError("ideas lists the same idea twice")
    return {"item": item, "label": label, "ideas": list(ids)}


def _dots_cast(
    state: WorkshopState, actor: str, payload: Mapping[str, Any], at: dt.datetime
) -> dict[str, Any]:
    if actor == FACILITATOR:
        raise WorkshopRuleError("the facilitator does not vote; dots are for participants")
    _fields(payload, ("allocation",), ("item",))
    item = _current(state, payload, ("vote",), "dots can be cast")
    allocation = payload["allocation"]
    if not isinstance(allocation, Mapping):
        raise WorkshopRuleError("allocation must map vote targets to numbers of dots")
    targets = state.vote_targets(item)
    budget = state.settings.dots_per_item
    kept: dict[str, int] = {}
    for target, count in allocation.items():
        if not isinstance(target, str) or target not in targets:
            group = state.group_of(target) if isinstance(target, str) else None
            if group is not None and state.ideas[target].item == item:
                raise WorkshopRuleError(f"{target} is in group {group}; put dots on the group")
            hint = did_you_mean(target, targets) if isinstance(target, str) else ""
            raise WorkshopRuleError(f"{target!r} is not a vote target of item {item}{hint}")
        if _int(count, f"dots on {target}", 0, budget):
            kept[target] = count
    total = sum(kept.values())
    if total > budget:
        raise WorkshopRuleError(f"you placed {total} dots but have {budget} for this item")
    return {"item": item, "allocation": {t: kept[t] for t in targets if t in kept}}


def _parked(
    state: WorkshopState, actor: str, payload: Mapping[str, Any], at: dt.datetime
) -> dict[str, Any]:
    _fields(payload, ("text", "owner"))
    text = _text(payload["text"], "text", PARKED_MAX)
    return {"text": text, "owner": _owner(state, payload["owner"], "owner")}


def _parking_resolved(
    state: WorkshopState, actor: str, payload: Mapping[str, Any], at: dt.datetime
) -> dict[str, Any]:
    _facilitator_only(actor, "resolve parked issues")
    _fields(payload, ("parked_id", "outcome"))
    parked_id = payload["parked_id"]
    issue = state.parking_lot.get(parked_id) if isinstance(parked_id, str) else None
    if issue is None:
        hint = did_you_mean(parked_id, state.parking_lot) if isinstance(parked_id, str) else ""
        raise WorkshopRuleError(f"no parked issue {parked_id!r}{hint}")
    if issue.outcome is not None:
        raise WorkshopRuleError(f"{issue.id} is already resolved: {issue.outcome}")
    return {"parked_id": issue.id, "outcome": _text(payload["outcome"], "outcome", PARKED_MAX)}


def _proposal_made(
    state: WorkshopState, actor: str, payload: Mapping[str, Any], at: dt.datetime
) -> dict[str, Any]:
    _facilitator_only(actor, "put a proposal to the room")
    _fields(payload, ("text",), ("item",))
    item = _current(state, payload, ("decide",), "proposals are made")
    if item in state.decisions:
        raise WorkshopRuleError(f"item {item} already has a decision recorded")
    return {"item": item, "text": _text(payload["text"], "text", PROPOSAL_MAX)}


def _position_stated(
    state: WorkshopState, actor: str, payload: Mapping[str, Any], at: dt.datetime
) -> dict[str, Any]:
    if actor == FACILITATOR:
        raise WorkshopRuleError("the facilitator does not take a position; participants do")
    _fields(payload, ("stance",), ("reason", "item"))
    item = _current(state, payload, ("decide",), "positions are stated")
    if item in state.decisions:
        raise WorkshopRuleError(f"item {item} is decided; positions are closed")
    if item not in state.proposals:
        raise WorkshopRuleError("there is no proposal yet; wait for the facilitator to make one")
    stance = payload["stance"]
    if stance not in STANCES:
        hint = did_you_mean(stance, STANCES) if isinstance(stance, str) else ""
        raise WorkshopRuleError(f"stance must be one of {', '.join(STANCES)}, got {stance!r}{hint}")
    reason = payload.get("reason", "")
    if not isinstance(reason, str):
        raise WorkshopRuleError(f"reason must be text, got {type(reason).__name__}")
    if stance == "disagree" or reason.strip():
        # Dissent is kept word for word; a disagreement without a reason tells nobody what
        # to address, so it needs one.
        reason = _text(reason, "reason", REASON_MAX, verbatim=True)
    else:
        reason = ""
    return {"item": item, "stance": stance, "reason": reason}


def _decision_recorded(
    state: WorkshopState, actor: str, payload: Mapping[str, Any], at: dt.datetime
) -> dict[str, Any]:
    _facilitator_only(actor, "record a decision")
    _fields(payload, ("decision", "owner", "rationale"), ("dissent", "deprioritised", "item"))
    item = _current(state, payload, ("decide",), "decisions are recorded")
    if item in state.decisions:
        raise WorkshopRuleError(f"item {item} already has a decision recorded")
    decision = _text(payload["decision"], "decision", 500)
    owner = _owner(state, payload["owner"], "owner")
    rationale = _text(payload["rationale"], "rationale", 2000)
    dissent = _with_stated_dissent(state, item, _dissent(state, payload.get("dissent", [])))
    deprioritised = _text_list(payload.get("deprioritised", []), "deprioritised", QUESTION_MAX)
    tally = [{"target": e.target, "label": e.label, "dots": e.dots} for e in state.tally(item)]
    return {
        "item": item,
        "decision": decision,
        "owner": owner,
        "rationale": rationale,
        "dissent": dissent,
        "deprioritised": deprioritised,
        "tally": tally,
    }


def _dissent(state: WorkshopState, value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list | tuple):
        raise WorkshopRuleError(f"dissent must be a list, got {type(value).__name__}")
    dissent: list[dict[str, str]] = []
    for i, entry in enumerate(value):
        if not isinstance(entry, Mapping):
            raise WorkshopRuleError(f"dissent[{i}] must be an object with participant and reason")
        _fields(entry, ("participant", "reason"))
        participant = entry["participant"]
        if not isinstance(participant, str) or participant not in state.participants:
            raise WorkshopRuleError(
                f"dissent[{i}].participant must be a participant who has joined, "
                f"got {participant!r}"
            )
        if any(d["participant"] == participant for d in dissent):
            raise WorkshopRuleError(f"dissent lists {participant} twice; give one reason each")
        reason = _text(entry["reason"], f"dissent[{i}].reason", 2000, verbatim=True)
        dissent.append({"participant": participant, "reason": reason})
    return dissent


def _with_stated_dissent(
    state: WorkshopState, item: int, typed: list[dict[str, str]]
) -> list[dict[str, str]]:
    """Dissent participants stated themselves, then any the facilitator typed for others.

    A participant's own words win over anything typed on their behalf.
    """
    stated = [
        {"participant": p.participant, "reason": p.reason}
        for p in state.item_positions(item)
        if p.stance == "disagree"
    ]
    own = {d["participant"] for d in stated}
    return stated + [d for d in typed if d["participant"] not in own]


def _action_added(
    state: WorkshopState, actor: str, payload: Mapping[str, Any], at: dt.datetime
) -> dict[str, Any]:
    _facilitator_only(actor, "add actions")
    _fields(payload, ("what", "owner", "due", "metric"), ("item",))
    what = _text(payload["what"], "what", PARKED_MAX)
    owner = _owner(state, payload["owner"], "owner")
    due = _due_date(payload["due"], at)
    metric = _text(payload["metric"], "metric", QUESTION_MAX)
    item = payload.get("item")
    if item is not None:
        item = _agenda_index(state, item, "item")
    return {"what": what, "owner": owner, "due": due.isoformat(), "metric": metric, "item": item}


def _due_date(value: Any, at: dt.datetime) -> dt.date:
    if not isinstance(value, str):
        raise WorkshopRuleError(f"due must be an ISO date such as 2025-06-30, got {value!r}")
    try:
        due = dt.date.fromisoformat(value)
    except ValueError:
        raise WorkshopRuleError(
            f"due must be an ISO date such as 2025-06-30, got {value!r}"
        ) from None
    today = at.astimezone(dt.UTC).date()
    if due < today:
        raise WorkshopRuleError(f"due date {due.isoformat()} is in the past (today is {today})")
    return due


def _action_done(
    state: WorkshopState, actor: str, payload: Mapping[str, Any], at: dt.datetime
) -> dict[str, Any]:
    _fields(payload, ("action",))
    action_id = payload["action"]
    action = state.actions.get(action_id) if isinstance(action_id, str) else None
    if action is None:
        hint = did_you_mean(action_id, state.actions) if isinstance(action_id, str) else ""
        raise WorkshopRuleError(f"no action {action_id!r}{hint}")
    if actor not in (FACILITATOR, action.owner):
        raise WorkshopRuleError(f"only {action.owner} (the owner) or the facilitator can do that")
    if action.done:
        raise WorkshopRuleError(f"action {action.id} is already done")
    return {"action": action.id}


def _workshop_closed(
    state: WorkshopState, actor: str, payload: Mapping[str, Any], at: dt.datetime
) -> dict[str, Any]:
    _facilitator_only(actor, "close the workshop")
    _fields(payload, ())
    review = at.astimezone(dt.UTC).date() + dt.timedelta(days=REVIEW_AFTER_DAYS)
    return {"review_date": review.isoformat()}


_Rule = Callable[[WorkshopState, str, Mapping[str, Any], dt.datetime], dict[str, Any]]
_RULES: dict[str, _Rule] = {
    "participant_joined": _participant_joined,
    "agenda_set": _agenda_set,
    "item_started": _item_started,
    "phase_changed": _phase_changed,
    "timer_started": _timer_started,
    "timer_stopped": _timer_stopped,
    "timer_extended": _timer_extended,
    "timer_expired": _timer_expired,
    "settings_changed": _settings_changed,
    "idea_added": _idea_added,
    "idea_withdrawn": _idea_withdrawn,
    "ideas_grouped": _ideas_grouped,
    "dots_cast": _dots_cast,
    "parked": _parked,
    "parking_resolved": _parking_resolved,
    "proposal_made": _proposal_made,
    "position_stated": _position_stated,
    "decision_recorded": _decision_recorded,
    "action_added": _action_added,
    "action_done": _action_done,
    "workshop_closed": _workshop_closed,
}
