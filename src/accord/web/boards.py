"""Live boards for a room: shared parts once per event, and to each stream only what changed.

A board is a *frame* (what one viewer sees of their own: who they are, their forms, their
ideas before the reveal, their dots and position) with *slots* for the parts a whole
audience sees alike (:data:`PARTS`: presence, counts, revealed ideas, tally, decisions,
parking lot).  The parts are rendered once per (workshop, sequence number, audience) for
every viewer; each part keeps its version while its HTML stays the same.

A page shows the whole board (:meth:`BoardRenderer.html`).  A stream remembers what it sent
(:class:`StreamMemory`) and each wake-up sends only the frame when the viewer's own inputs
changed and the parts whose version moved: a keyed part (the presence list) as the entries
that changed, the others whole.  A room of 500 adding ideas then costs each stream a few
dictionary look-ups and a few hundred bytes per event instead of a whole board (~94 KB at
1,500 ideas) rendered and sent per viewer; the encoded messages are cached, so viewers who
were at the same versions share the same bytes.  ``static/workshop.js`` applies them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from jinja2 import Environment
from markupsafe import Markup, escape

from accord import workshop as rules
from accord.workshop.views import (
    CONTRIBUTION,
    Audience,
    audience_of,
    personal_view,
    shared_view,
)

if TYPE_CHECKING:
    from accord.web.routes.workshops import Seat

#: Shared parts kept: a few per workshop is enough (streams render the latest event).
MAX_SHARED = 64
#: Messages from one version of a part to another kept (viewers at the same versions share).
MAX_CHANGES = 512
#: Rendered presence entries kept (a few hundred bytes each).
MAX_ENTRIES = 20_000
#: Threads rendering boards; CPU-bound under the GIL, so more would only add switching.
RENDER_THREADS = 2
#: The parts of a board, in the order a stream sends them (``_board_shared.html`` macros).
PARTS = (
    "presence",
    "presence_summary",
    "idea_count",
    "ballots",
    "ideas",
    "tally",
    "decisions",
    "parking",
)
#: Parts sent as their changed entries (each a child element with ``data-key``).
KEYED = frozenset({"presence"})
#: Shared-view fields that only parts show, per audience: their changes need no new frame.
#: (The facilitator's frame lists the ideas and the parking lot in its forms.)
_PART_ONLY: dict[Audience, frozenset[str]] = {
    "participant": frozenset(
        {"presence", "idea_count", "ballots", "ideas", "groups", "tally", "parking_lot"}
    ),
    "facilitator": frozenset({"presence", "idea_count", "ballots", "tally"}),
}
_KEY = re.compile(r'data-key="([^"]*)"')


@dataclass(frozen=True, eq=False)
class Part:
    """One rendered part at one version; ``children`` for a keyed part, by key in order."""

    name: str
    version: int
    html: Markup
    children: tuple[tuple[str, str], ...] | None = None


@dataclass(frozen=True, eq=False)
class SharedParts:
    """What a whole audience sees alike at one sequence number."""

    workshop_id: int
    seq: int
    audience: Audience
    view: dict[str, Any]
    names: dict[str, str]
    parts: dict[str, Part]
    #: Digest of the shared-view fields the frame reads (equal digests: the same frame).
    frame_digest: str


@dataclass
class StreamMemory:
    """What one stream has sent: the frame's inputs and each part's version."""

    frame_key: tuple[str, str] | None = None
    inputs: tuple[Any, ...] | None = None  # what the frame's personal view was built from
    parts: dict[str, Part] = field(default_factory=dict)


class BoardRenderer:
    """Boards for viewers of live workshops, sharing what an audience sees alike."""

    def __init__(self, env: Environment) -> None:
        self.env = env
        self._shared: OrderedDict[tuple[int, int, Audience], SharedParts] = OrderedDict()
        self._latest: dict[tuple[int, Audience, str], Part] = {}
        self._changes: OrderedDict[tuple[int, Audience, str, int, int], bytes] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[tuple[int, int, Audience], threading.Lock] = {}
        self._ideas_inputs: dict[
            tuple[int, Audience], tuple[tuple[Any, ...], tuple[Any, ...], Part]
        ] = {}
        self._entries: OrderedDict[tuple[str, str, bool | None, str | None], str] = OrderedDict()
        self._pool = ThreadPoolExecutor(RENDER_THREADS, thread_name_prefix="accord-board")
        self.shared_renders = 0  # shared parts rendered for the cache (tests count them)
        self.frames_rendered = 0  # frames rendered for streams (tests count them)

    # --- whole boards (pages) -------------------------------------------------------------

    def html(self, workshop_id: int, seat: Seat, state: rules.WorkshopState) -> str:
        """``seat``'s whole board for ``state`` (what :func:`accord.workshop.view_for` allows)."""
        now = dt.datetime.now(dt.UTC)
        shared = self.shared_now(workshop_id, state, audience_of(seat.actor), now)
        html = {name: part.html for name, part in shared.parts.items()}
        if seat.actor in state.participants:
            # The one personal mark in the shared presence list: who "you" are (a stream's
            # browser adds it itself, so the shared part stays shared).
            own = (
                f'data-participant="{escape(seat.actor)}">{escape(state.participants[seat.actor])}'
            )
            html["presence"] = Markup(str(html["presence"]).replace(own, f"{own} (you)", 1))
        return self._frame(shared, seat, personal_view(state, seat.actor, now), html)

    # --- streams ----------------------------------------------------------------------------

    async def shared(
        self, workshop_id: int, state: rules.WorkshopState, audience: Audience
    ) -> SharedParts:
        """The audience's shared parts for ``state``, rendered on the renderer's threads
        the first time (once per event however many streams ask)."""
        with self._lock:
            found = self._shared.get((workshop_id, state.last_seq, audience))
        if found is not None:
            return found
        loop = asyncio.get_running_loop()
        now = dt.datetime.now(dt.UTC)
        return await loop.run_in_executor(
            self._pool, self.shared_now, workshop_id, state, audience, now
        )

    async def update(
        self,
        shared: SharedParts,
        seat: Seat,
        state: rules.WorkshopState,
        memory: StreamMemory,
    ) -> bytes:
        """The SSE ``data:`` lines of what changed for this stream since ``memory``, which
        it updates: a new frame only when the viewer's inputs changed, then each part whose
        version moved.  Empty when nothing the viewer sees changed."""
        pieces: list[bytes] = []
        inputs = _personal_inputs(state, seat.actor)
        unchanged = (
            memory.frame_key is not None
            and memory.frame_key[0] == shared.frame_digest
            and inputs == memory.inputs
        )
        memory.inputs = inputs
        if not unchanged:  # else nothing the frame shows changed: no view to build
            personal = personal_view(state, seat.actor, dt.datetime.now(dt.UTC))
            key = (shared.frame_digest, _personal_digest(personal))
            if key != memory.frame_key:
                empty = {name: Markup("") for name in shared.parts}
                loop = asyncio.get_running_loop()
                frame = await loop.run_in_executor(
                    self._pool, self._frame, shared, seat, personal, empty
                )
                self.frames_rendered += 1
                pieces.append(_data(f"<template data-frame>{frame}</template>"))
                memory.frame_key = key
        for name, part in shared.parts.items():
            old = memory.parts.get(name)
            if old is part:
                continue
            pieces.append(self._change(shared, old, part))
            memory.parts[name] = part
        return b"".join(pieces)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    # --- internals --------------------------------------------------------------------------

    def shared_now(
        self, workshop_id: int, state: rules.WorkshopState, audience: Audience, now: dt.datetime
    ) -> SharedParts:
        key = (workshop_id, state.last_seq, audience)
        with self._lock:
            found = self._shared.get(key)
            if found is not None:
                return found
            building = self._building.setdefault(key, threading.Lock())
        # One render per key however many viewers ask at once; the others wait for it.
        with building:
            with self._lock:
                found = self._shared.get(key)
            if found is not None:
                return found
            shared = self._render_shared(workshop_id, state, audience, now)
            with self._lock:
                self.shared_renders += 1
                self._shared[key] = shared
                self._building.pop(key, None)
                while len(self._shared) > MAX_SHARED:
                    self._shared.popitem(last=False)
            return shared

    def _render_shared(
        self, workshop_id: int, state: rules.WorkshopState, audience: Audience, now: dt.datetime
    ) -> SharedParts:
        view = shared_view(state, audience, now)
        names = {p["id"]: p["name"] for p in view["participants"]}
        names[rules.FACILITATOR] = "Facilitator"
        grouped: dict[str, list[dict[str, Any]]] = {}
        ungrouped = []
        for idea in view["ideas"]:
            if idea["group"]:
                grouped.setdefault(idea["group"], []).append(idea)
            else:
                ungrouped.append(idea)
        module = self.env.get_template("_board_shared.html").make_module(
            {"view": view, "names": names, "grouped": grouped, "ungrouped": ungrouped}
        )
        # The revealed ideas (1,500 of them in a big room) change only with the ideas, the
        # groups, the names or the settings: while a room votes they are not re-rendered.
        inputs = (state.ideas, state.groups, state.participants)
        rest = (state.settings, state.current_item, state.phase)
        with self._lock:
            kept = self._ideas_inputs.get((workshop_id, audience))
        same_ideas = (
            kept is not None
            and all(a is b for a, b in zip(kept[0], inputs, strict=True))
            and kept[1] == rest
        )
        rendered = {
            name: self._presence(module, view) if name == "presence" else getattr(module, name)()
            for name in PARTS
            if not (name == "ideas" and same_ideas)
        }
        parts: dict[str, Part] = {}
        with self._lock:
            if same_ideas:
                assert kept is not None
                parts["ideas"] = kept[2]
            for name in PARTS:
                if name in parts:
                    continue
                html = Markup(rendered[name])
                last = self._latest.get((workshop_id, audience, name))
                if last is not None and last.html == html:
                    parts[name] = last  # unchanged: the same version, nothing to send
                    continue
                children = _children(html) if name in KEYED else None
                part = Part(name, last.version + 1 if last else 1, html, children)
                self._latest[(workshop_id, audience, name)] = parts[name] = part
            self._ideas_inputs[(workshop_id, audience)] = (inputs, rest, parts["ideas"])
            parts = {name: parts[name] for name in PARTS}  # the order streams send them
        frame_view = {k: v for k, v in view.items() if k not in _PART_ONLY[audience]}
        digest = hashlib.blake2b(
            json.dumps(frame_view, sort_keys=True, default=str).encode(), digest_size=16
        ).hexdigest()
        return SharedParts(workshop_id, state.last_seq, audience, view, names, parts, digest)

    def _presence(self, module: Any, view: dict[str, Any]) -> str:
        """The presence list's entries, each rendered once until the person's entry changes
        (a room of 500 changes one or two entries per event)."""
        contribution = CONTRIBUTION.get(view["phase"] or "")
        entries = []
        for person in view["presence"]:
            key = (person["id"], person["name"], person["contributed"], contribution)
            with self._lock:
                html = self._entries.get(key)
            if html is None:
                html = str(module.presence_entry(person, contribution))
                with self._lock:
                    self._entries[key] = html
                    while len(self._entries) > MAX_ENTRIES:
                        self._entries.popitem(last=False)
            entries.append(html)
        return "\n".join(entries)

    def _frame(
        self,
        shared: SharedParts,
        seat: Seat,
        personal: dict[str, Any],
        parts: Mapping[str, Markup],
    ) -> str:
        view = {**shared.view, **personal}
        template = self.env.get_template("_board.html")
        return str(template.render(view=view, seat=seat, names=shared.names, parts=parts))

    def _change(self, shared: SharedParts, old: Part | None, new: Part) -> bytes:
        """The message taking a stream from ``old`` (None: nothing yet) to ``new``."""
        if old is None or new.children is None or old.children is None:
            return self._whole(shared, new)
        key = (shared.workshop_id, shared.audience, new.name, old.version, new.version)
        with self._lock:
            found = self._changes.get(key)
        if found is not None:
            return found
        message = _keyed_change(old, new)
        encoded = _data(message) if message is not None else self._whole(shared, new)
        with self._lock:
            self._changes[key] = encoded
            while len(self._changes) > MAX_CHANGES:
                self._changes.popitem(last=False)
        return encoded

    def _whole(self, shared: SharedParts, part: Part) -> bytes:
        key = (shared.workshop_id, shared.audience, part.name, 0, part.version)
        with self._lock:
            found = self._changes.get(key)
        if found is None:
            found = _data(f'<template data-part="{part.name}">{part.html}</template>')
            with self._lock:
                self._changes[key] = found
        return found


def _children(html: str) -> tuple[tuple[str, str], ...]:
    """A keyed part's top-level entries: each starts at a ``data-key`` attribute's tag."""
    starts = [m.start() for m in _KEY.finditer(html)]
    out = []
    for n, at in enumerate(starts):
        begin = html.rfind("<", 0, at)
        end = html.rfind("<", 0, starts[n + 1]) if n + 1 < len(starts) else len(html)
        entry = html[begin:end].strip()
        found = _KEY.search(entry)
        assert found is not None
        out.append((found.group(1), entry))
    return tuple(out)


def _keyed_change(old: Part, new: Part) -> str | None:
    """The entries that changed, were added (at the end) or removed; None when the order
    of the kept entries changed or most of them did (then the whole part is cheaper)."""
    assert old.children is not None and new.children is not None
    before = dict(old.children)
    after = dict(new.children)
    kept_new = [k for k, _ in new.children if k in before]
    kept_old = [k for k, _ in old.children if k in after]
    if kept_new != kept_old:
        return None
    # New entries must come after every kept one: the browser appends them.
    position = {k: n for n, (k, _) in enumerate(new.children)}
    last_kept = max((position[k] for k in kept_new), default=-1)
    changed = [k for k, html in new.children if before.get(k) != html]
    if any(position[k] < last_kept and k not in before for k in changed):
        return None
    removed = [k for k, _ in old.children if k not in after]
    if len(changed) + len(removed) > max(8, len(new.children) // 2):
        return None
    body = "".join(after[k] for k in changed)
    gone = " ".join(str(escape(k)) for k in removed)
    return f'<template data-part="{new.name}" data-changes data-remove="{gone}">{body}</template>'


def _personal_inputs(state: rules.WorkshopState, viewer: str) -> tuple[Any, ...]:
    """Everything :func:`accord.workshop.views.personal_view` reads for ``viewer``: equal
    inputs, the same personal view (compared first, so a wake-up that changed nothing of
    a viewer's own builds no view for them)."""
    item = state.current_item
    mine = () if item is None else tuple(state.own_ideas(item, viewer))
    return (
        state.participants.get(viewer),
        state.timer,
        item,
        state.phase,
        state.settings,
        mine,
        state.dots.get((item, viewer)) if item is not None else None,
        state.positions.get((item, viewer)) if item is not None else None,
    )


def _personal_digest(personal: dict[str, Any]) -> str:
    # The timer's remaining seconds tick on their own in the browser (from when the frame
    # came); only a different timer (start, extension, stop) needs a new frame.
    timer = personal.get("timer")
    stable = dict(personal)
    if timer:
        stable["timer"] = {k: v for k, v in timer.items() if k not in ("remaining", "expired")}
    return json.dumps(stable, sort_keys=True, default=str)


def _data(html: str) -> bytes:
    """``html`` as the ``data:`` lines of one server-sent event."""
    return "".join(f"data: {line}\n" for line in html.splitlines() or [""]).encode()
