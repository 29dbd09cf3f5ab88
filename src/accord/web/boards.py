"""Rendering live boards for a room: the shared part once per event, the rest per viewer.

With 500 participants on one stream each, rendering every viewer's board whole costs
O(viewers x ideas) per event.  What a whole audience sees alike (:func:`shared_view`: the
ideas after the reveal, tally, decisions, parking lot, names) is rendered once per
(workshop, sequence number, audience) and kept for the next viewers; each viewer then
renders only the small :func:`personal_view` part around it.

Participants' shared parts are cached; the facilitator's are rendered per call (one
viewer, and their parts carry forms with their own CSRF token).  Rendering runs on this
module's own small thread pool, so a burst of boards never queues ahead of commands in
the server's general thread pool.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from jinja2 import Environment
from markupsafe import Markup, escape

from accord import workshop as rules
from accord.workshop.views import Audience, audience_of, personal_view, shared_view

if TYPE_CHECKING:
    from accord.web.routes.workshops import Seat

#: Shared parts kept: a few per workshop is enough (streams render the latest event).
MAX_SHARED = 64
#: Threads rendering boards; CPU-bound under the GIL, so more would only add switching.
RENDER_THREADS = 2


class SharedParts:
    """The rendered shared fragments and the shared view they came from."""

    def __init__(self, view: dict[str, Any], names: dict[str, str], html: dict[str, Markup]):
        self.view = view
        self.names = names
        self.html = html


class BoardRenderer:
    """Boards for viewers of live workshops, sharing what an audience sees alike."""

    def __init__(self, env: Environment) -> None:
        self.env = env
        self._shared: OrderedDict[tuple[int, int, Audience], SharedParts] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[tuple[int, int, Audience], threading.Lock] = {}
        self._pool = ThreadPoolExecutor(RENDER_THREADS, thread_name_prefix="accord-board")
        self.shared_renders = 0  # shared parts rendered for the cache (tests count them)

    def html(self, workshop_id: int, seat: Seat, state: rules.WorkshopState) -> str:
        """``seat``'s board for ``state`` (what :func:`accord.workshop.view_for` allows)."""
        now = dt.datetime.now(dt.UTC)
        personal = personal_view(state, seat.actor, now)
        audience = audience_of(seat.actor)
        if audience == "facilitator":
            parts = self._render_shared(state, audience, now)
        else:
            parts = self._cached_shared(workshop_id, state, audience, now)
        view = {**parts.view, **personal}
        html = dict(parts.html)
        if seat.actor in state.participants:
            # The one personal mark in the shared presence list: who "you" are.
            own = (
                f'data-participant="{escape(seat.actor)}">{escape(state.participants[seat.actor])}'
            )
            html["presence"] = Markup(str(html["presence"]).replace(own, f"{own} (you)", 1))
        template = self.env.get_template("_board.html")
        return str(template.render(view=view, seat=seat, names=parts.names, parts=html))

    async def render(self, workshop_id: int, seat: Seat, state: rules.WorkshopState) -> str:
        """:meth:`html` on the renderer's own threads."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self.html, workshop_id, seat, state)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _cached_shared(
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
            parts = self._render_shared(state, audience, now)
            with self._lock:
                self.shared_renders += 1
                self._shared[key] = parts
                self._building.pop(key, None)
                while len(self._shared) > MAX_SHARED:
                    self._shared.popitem(last=False)
            return parts

    def _render_shared(
        self, state: rules.WorkshopState, audience: Audience, now: dt.datetime
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
        html = {
            part: Markup(getattr(module, part)())
            for part in ("presence", "ideas", "tally", "decisions", "parking")
        }
        return SharedParts(view, names, html)
