"""The live workshop's state and how one accepted event changes it (pure, no I/O).

The state is a frozen dataclass of tuples and read-only mappings; :func:`apply` copies only
the collection an event touches, so folding a long event log stays cheap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, TypeVar

if TYPE_CHECKING:
    from accord.workshop.events import Event

Phase = Literal["brainstorm", "reveal", "group", "vote", "decide"]
PHASES: tuple[Phase, ...] = ("brainstorm", "reveal", "group", "vote", "decide")

ItemStatus = Literal["pending", "active", "paused", "decided", "unresolved"]
"""pending: not started; active: the current item; paused: left before a decision (it can be
resumed); decided: a decision is recorded; unresolved: the workshop closed without a decision."""

FACILITATOR = "facilitator"
SERVER = "server"  # the web layer registering a participant who followed their link
DEFAULT_DOTS_PER_ITEM = 3
REVIEW_AFTER_DAYS = 30  # the seeds' thirty-day review cadence after a workshop

_K = TypeVar("_K")
_V = TypeVar("_V")


def _frozen(mapping: dict[_K, _V]) -> Mapping[_K, _V]:
    return MappingProxyType(mapping)


def _empty() -> Mapping[Any, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Settings:
    """How dot voting runs and who sees who wrote an idea.

    ``anonymous`` hides authors from participants; ``anonymous_to_facilitator`` hides
    them from the facilitator too (the facilitator's choice, DESIGN.md § Security model).
    """

    dots_per_item: int = DEFAULT_DOTS_PER_ITEM
    anonymous: bool = True
    anonymous_to_facilitator: bool = False


@dataclass(frozen=True)
class AgendaItem:
    """One decision on the agenda; ``phase`` is None until the item starts."""

    question: str
    phase: Phase | None = None
    status: ItemStatus = "pending"


@dataclass(frozen=True)
class Idea:
    """An idea written during an item's silent brainstorm; id is ``i<seq>``."""

    id: str
    item: int
    author: str
    text: str


@dataclass(frozen=True)
class IdeaGroup:
    """Ideas the facilitator clustered under one label; id is ``g<seq>``."""

    id: str
    item: int
    label: str
    ideas: tuple[str, ...]


@dataclass(frozen=True)
class Timer:
    """A visible time box for one phase of one item."""

    item: int
    phase: Phase
    seconds: int
    started_at: dt.datetime

    @property
    def ends_at(self) -> dt.datetime:
        """The deadline; derived from the stored ``timer_started`` event, so a restart keeps it."""
        return self.started_at + dt.timedelta(seconds=self.seconds)


@dataclass(frozen=True)
class ParkedIssue:
    """An important-but-tangential issue with a follow-up owner; id is ``pk<seq>``."""

    id: str
    text: str
    owner: str
    raised_by: str
    outcome: str | None = None


@dataclass(frozen=True)
class Dissent:
    """A participant's disagreement, kept verbatim with the decision."""

    participant: str
    reason: str


Stance = Literal["agree", "abstain", "disagree"]
STANCES: tuple[Stance, ...] = ("agree", "abstain", "disagree")


@dataclass(frozen=True)
class Position:
    """A participant's own stance on an item's proposal (Loomio's positions); a disagreeing
    participant's reason becomes their dissent, word for word, when the decision is recorded."""

    participant: str
    stance: Stance
    reason: str


@dataclass(frozen=True)
class TallyEntry:
    """Total dots on one vote target (a group or an ungrouped idea)."""

    target: str
    label: str
    dots: int


@dataclass(frozen=True)
class DecisionRecord:
    """What was decided for an agenda item, by whom, why, who disagreed and the tally."""

    item: int
    decision: str
    owner: str
    rationale: str
    dissent: tuple[Dissent, ...]
    deprioritised: tuple[str, ...]
    tally: tuple[TallyEntry, ...]
    recorded_at: dt.datetime


@dataclass(frozen=True)
class Action:
    """An action-register entry: owner, deadline and success metric; id is ``a<seq>``."""

    id: str
    what: str
    owner: str
    due: dt.date
    metric: str
    item: int | None
    done: bool = False


#: Vote targets by (item, id of the ideas, id of the groups); the entry holds the two
#: mappings, so an id is never reused while its entry is kept.
_TARGETS: dict[tuple[int, int, int], tuple[Any, Any, Mapping[str, str]]] = {}
_TARGETS_KEPT = 64


@dataclass(frozen=True)
class WorkshopState:
    """Everything the rules and the views need, folded from the event log."""

    title: str
    last_seq: int = 0
    settings: Settings = Settings()
    agenda: tuple[AgendaItem, ...] = ()
    current_item: int | None = None
    participants: Mapping[str, str] = field(default_factory=_empty)  # id -> display name
    ideas: Mapping[str, Idea] = field(default_factory=_empty)  # in the order they were added
    groups: Mapping[str, IdeaGroup] = field(default_factory=_empty)
    # (item, participant) -> {target id: dots}; only positive counts are kept
    dots: Mapping[tuple[int, str], Mapping[str, int]] = field(default_factory=_empty)
    timer: Timer | None = None
    time_up: Phase | None = None  # the phase whose timer ran out, until the room moves on
    voting_started: bool = False
    parking_lot: Mapping[str, ParkedIssue] = field(default_factory=_empty)
    decisions: Mapping[int, DecisionRecord] = field(default_factory=_empty)
    # item -> the proposal the facilitator put to the room in decide (the latest one)
    proposals: Mapping[int, str] = field(default_factory=_empty)
    # (item, participant) -> their position on that item's current proposal
    positions: Mapping[tuple[int, str], Position] = field(default_factory=_empty)
    actions: Mapping[str, Action] = field(default_factory=_empty)
    closed_at: dt.datetime | None = None
    review_date: dt.date | None = None

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    @property
    def phase(self) -> Phase | None:
        """The current item's phase, or None when no item is running."""
        if self.current_item is None:
            return None
        return self.agenda[self.current_item].phase

    def item_ideas(self, item: int) -> list[Idea]:
        return [idea for idea in self.ideas.values() if idea.item == item]

    def own_ideas(self, item: int, author: str) -> list[Idea]:
        """``author``'s ideas for ``item``, in the order added (each viewer's board asks:
        one index per state instead of a scan of every idea per viewer)."""
        return self._ideas_by_author.get((item, author), [])

    @cached_property
    def _ideas_by_author(self) -> dict[tuple[int, str], list[Idea]]:
        # A state never changes (frozen); the index is built on first use and dropped with it.
        index: dict[tuple[int, str], list[Idea]] = {}
        for idea in self.ideas.values():
            index.setdefault((idea.item, idea.author), []).append(idea)
        return index

    def item_groups(self, item: int) -> list[IdeaGroup]:
        return [group for group in self.groups.values() if group.item == item]

    def group_of(self, idea_id: str) -> str | None:
        for group in self.groups.values():
            if idea_id in group.ideas:
                return group.id
        return None

    def vote_targets(self, item: int) -> Mapping[str, str]:
        """Target id -> label: the item's groups, then its ideas that are in no group.

        Every dot cast is checked against the targets, so they are kept per (item, ideas,
        groups): a new state that changed neither (a dot, a position) reuses them instead
        of scanning every idea again (states never change, and an unchanged field is the
        same mapping in the next state)."""
        key = (item, id(self.ideas), id(self.groups))
        found = _TARGETS.get(key)
        if found is not None and found[0] is self.ideas and found[1] is self.groups:
            return found[2]
        targets = {group.id: group.label for group in self.item_groups(item)}
        grouped = {idea_id for group in self.item_groups(item) for idea_id in group.ideas}
        for idea in self.item_ideas(item):
            if idea.id not in grouped:
                targets[idea.id] = idea.text
        frozen = MappingProxyType(targets)
        _TARGETS[key] = (self.ideas, self.groups, frozen)
        while len(_TARGETS) > _TARGETS_KEPT:
            _TARGETS.pop(next(iter(_TARGETS)))
        return frozen

    def allocation(self, item: int, participant: str) -> Mapping[str, int]:
        return self.dots.get((item, participant), _empty())

    def item_positions(self, item: int) -> list[Position]:
        """Positions on ``item``'s proposal, in the order people joined."""
        return [self.positions[(item, p)] for p in self.participants if (item, p) in self.positions]

    def tally(self, item: int) -> tuple[TallyEntry, ...]:
        """Every target's total dots, most first; ties keep the targets' order."""
        targets = self.vote_targets(item)
        totals = dict.fromkeys(targets, 0)
        for (dotted_item, _), allocation in self.dots.items():
            if dotted_item == item:
                for target, count in allocation.items():
                    totals[target] = totals.get(target, 0) + count
        entries = [TallyEntry(t, targets.get(t, t), n) for t, n in totals.items()]
        return tuple(sorted(entries, key=lambda e: -e.dots))


def new_state(title: str) -> WorkshopState:
    """An empty workshop: no participants, no agenda, default settings."""
    return WorkshopState(title=title)


def apply(state: WorkshopState, event: Event) -> WorkshopState:
    """The state after one accepted event (see :func:`accord.workshop.check`)."""
    if event.seq <= state.last_seq:
        # Ids are derived from seq, so an out-of-order event would collide with earlier ones.
        raise ValueError(
            f"event seq {event.seq} is not after the last applied seq {state.last_seq}"
        )
    fold = _FOLDS.get(event.kind)
    if fold is None:
        raise ValueError(f"unknown workshop event kind {event.kind!r}")
    return replace(fold(state, event), last_seq=event.seq)


def replay(title: str, events: Iterable[Event]) -> WorkshopState:
    """Fold an event log, in seq order, into the workshop's state."""
    state = new_state(title)
    for event in events:
        state = apply(state, event)
    return state


def _with_item(state: WorkshopState, index: int, **changes: Any) -> tuple[AgendaItem, ...]:
    agenda = list(state.agenda)
    agenda[index] = replace(agenda[index], **changes)
    return tuple(agenda)


def _participant_joined(state: WorkshopState, event: Event) -> WorkshopState:
    p = event.payload
    return replace(state, participants=_frozen({**state.participants, p["participant"]: p["name"]}))


def _agenda_set(state: WorkshopState, event: Event) -> WorkshopState:
    return replace(state, agenda=tuple(AgendaItem(q) for q in event.payload["items"]))


def _item_started(state: WorkshopState, event: Event) -> WorkshopState:
    index: int = event.payload["item"]
    agenda = list(state.agenda)
    previous = state.current_item
    if previous is not None and agenda[previous].status == "active":
        agenda[previous] = replace(agenda[previous], status="paused")
    chosen = agenda[index]
    # A paused item resumes where it was left; a new one opens with silent brainstorming.
    agenda[index] = replace(chosen, phase=chosen.phase or "brainstorm", status="active")
    return replace(state, agenda=tuple(agenda), current_item=index, timer=None, time_up=None)


def _phase_changed(state: WorkshopState, event: Event) -> WorkshopState:
    item = state.current_item
    if item is None:  # pragma: no cover - check() refuses this
        raise ValueError("phase_changed without a current item")
    return _enter_phase(state, item, event.payload["phase"])


def _enter_phase(state: WorkshopState, item: int, phase: Phase) -> WorkshopState:
    dots = state.dots
    if phase == "vote":
        # Entering vote (first time or a re-vote) starts from empty ballots for this item.
        dots = _frozen({key: a for key, a in state.dots.items() if key[0] != item})
    return replace(
        state,
        agenda=_with_item(state, item, phase=phase),
        dots=dots,
        timer=None,
        time_up=None,
        voting_started=state.voting_started or phase == "vote",
    )


def _timer_started(state: WorkshopState, event: Event) -> WorkshopState:
    item, phase = state.current_item, state.phase
    if item is None or phase is None:  # pragma: no cover - check() refuses this
        raise ValueError("timer_started without a current item")
    timer = Timer(item, phase, event.payload["seconds"], event.at)
    return replace(state, timer=timer, time_up=None)


def _timer_stopped(state: WorkshopState, event: Event) -> WorkshopState:
    return replace(state, timer=None)


def _timer_extended(state: WorkshopState, event: Event) -> WorkshopState:
    timer = state.timer
    if timer is None:  # pragma: no cover - check() refuses this
        raise ValueError("timer_extended without a timer")
    # From the deadline, or from now when it already passed unnoticed: the room gets the
    # whole extension either way.
    ends = max(timer.ends_at, event.at) + dt.timedelta(seconds=event.payload["seconds"])
    seconds = round((ends - timer.started_at).total_seconds())
    return replace(state, timer=replace(timer, seconds=seconds))


def _timer_expired(state: WorkshopState, event: Event) -> WorkshopState:
    following: Phase | None = event.payload["next"]
    if following is not None:
        state = _enter_phase(state, event.payload["item"], following)
    return replace(state, timer=None, time_up=event.payload["phase"])


def _proposal_made(state: WorkshopState, event: Event) -> WorkshopState:
    item: int = event.payload["item"]
    # Positions were taken on the previous wording; a new proposal asks everyone again.
    positions = {key: p for key, p in state.positions.items() if key[0] != item}
    return replace(
        state,
        proposals=_frozen({**state.proposals, item: event.payload["text"]}),
        positions=_frozen(positions),
    )


def _position_stated(state: WorkshopState, event: Event) -> WorkshopState:
    p = event.payload
    position = Position(event.actor, p["stance"], p["reason"])
    return replace(
        state, positions=_frozen({**state.positions, (p["item"], event.actor): position})
    )


def _settings_changed(state: WorkshopState, event: Event) -> WorkshopState:
    p = event.payload
    hidden = bool(p.get("anonymous_to_facilitator", False))  # absent in older logs
    return replace(state, settings=Settings(p["dots_per_item"], p["anonymous"], hidden))


def _idea_added(state: WorkshopState, event: Event) -> WorkshopState:
    idea = Idea(f"i{event.seq}", event.payload["item"], event.actor, event.payload["text"])
    return replace(state, ideas=_frozen({**state.ideas, idea.id: idea}))


def _idea_withdrawn(state: WorkshopState, event: Event) -> WorkshopState:
    withdrawn = event.payload["idea"]
    return replace(state, ideas=_frozen({k: v for k, v in state.ideas.items() if k != withdrawn}))


def _ideas_grouped(state: WorkshopState, event: Event) -> WorkshopState:
    p = event.payload
    moved = set(p["ideas"])
    groups: dict[str, IdeaGroup] = {}
    for group in state.groups.values():
        kept = tuple(i for i in group.ideas if i not in moved)
        if kept:  # a group emptied by regrouping is no longer a vote target
            groups[group.id] = replace(group, ideas=kept)
    new = IdeaGroup(f"g{event.seq}", p["item"], p["label"], tuple(p["ideas"]))
    groups[new.id] = new
    return replace(state, groups=_frozen(groups))


def _dots_cast(state: WorkshopState, event: Event) -> WorkshopState:
    p = event.payload
    key = (p["item"], event.actor)
    dots = dict(state.dots)
    dots.pop(key, None)
    if p["allocation"]:
        dots[key] = _frozen(dict(p["allocation"]))
    return replace(state, dots=_frozen(dots))


def _parked(state: WorkshopState, event: Event) -> WorkshopState:
    p = event.payload
    issue = ParkedIssue(f"pk{event.seq}", p["text"], p["owner"], event.actor)
    return replace(state, parking_lot=_frozen({**state.parking_lot, issue.id: issue}))


def _parking_resolved(state: WorkshopState, event: Event) -> WorkshopState:
    p = event.payload
    issue = replace(state.parking_lot[p["parked_id"]], outcome=p["outcome"])
    return replace(state, parking_lot=_frozen({**state.parking_lot, issue.id: issue}))


def _decision_recorded(state: WorkshopState, event: Event) -> WorkshopState:
    p = event.payload
    record = DecisionRecord(
        item=p["item"],
        decision=p["decision"],
        owner=p["owner"],
        rationale=p["rationale"],
        dissent=tuple(Dissent(d["participant"], d["reason"]) for d in p["dissent"]),
        deprioritised=tuple(p["deprioritised"]),
        tally=tuple(TallyEntry(t["target"], t["label"], t["dots"]) for t in p["tally"]),
        recorded_at=event.at,
    )
    return replace(
        state,
        agenda=_with_item(state, record.item, status="decided"),
        decisions=_frozen({**state.decisions, record.item: record}),
    )


def _action_added(state: WorkshopState, event: Event) -> WorkshopState:
    p = event.payload
    action = Action(
        f"a{event.seq}",
        p["what"],
        p["owner"],
        dt.date.fromisoformat(p["due"]),
        p["metric"],
        p["item"],
    )
    return replace(state, actions=_frozen({**state.actions, action.id: action}))


def _action_done(state: WorkshopState, event: Event) -> WorkshopState:
    action = replace(state.actions[event.payload["action"]], done=True)
    return replace(state, actions=_frozen({**state.actions, action.id: action}))


def _workshop_closed(state: WorkshopState, event: Event) -> WorkshopState:
    agenda = tuple(
        replace(item, status="unresolved") if item.status in ("active", "paused") else item
        for item in state.agenda
    )
    return replace(
        state,
        agenda=agenda,
        current_item=None,
        timer=None,
        closed_at=event.at,
        review_date=dt.date.fromisoformat(event.payload["review_date"]),
    )


_FOLDS: dict[str, Callable[[WorkshopState, Event], WorkshopState]] = {
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
KINDS: tuple[str, ...] = tuple(_FOLDS)
