"""Live workshops in the web app: commands in, per-viewer views out.

A command is checked and stored in one transaction that first locks the workshop's row,
so the rules are judged against exactly the events before it, whatever other workers or
machines are doing; the broker is told only after the commit.  Streams read a per-process
cache of each workshop's state, refreshed from the event log when the broker reports a new
event (or after :data:`REFRESH_SECONDS` without one, which also covers a lost Redis hint).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from accord import workshop as rules
from accord.errors import NotFoundError
from accord.store import Store, repository
from accord.store.tables import (
    CaseRecord,
    Facilitator,
    Workshop,
    WorkshopEvent,
    WorkshopParticipant,
)
from accord.web.realtime import Broker

REFRESH_SECONDS = 15.0


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def as_event(row: WorkshopEvent) -> rules.Event:
    at = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=dt.UTC)
    return rules.Event(row.seq, row.kind, row.actor or rules.SERVER, row.payload, at)


@dataclass(frozen=True)
class _Cached:
    state: rules.WorkshopState
    generation: int
    read_at: float


class LiveWorkshops:
    """Workshop states for this process, and the one way commands are applied."""

    def __init__(self, store: Store, broker: Broker) -> None:
        self.store = store
        self.broker = broker
        self._cache: dict[int, _Cached] = {}
        self._lock = threading.Lock()
        self._refreshing: dict[int, threading.Lock] = {}

    def command(
        self,
        workshop_id: int,
        actor: str,
        kind: str,
        payload: Mapping[str, Any],
        key: str | None = None,
    ) -> rules.WorkshopState:
        """Check ``kind``/``payload`` from ``actor`` against the rules and store it.

        Raises :class:`accord.workshop.WorkshopRuleError` (nothing stored) when the rules
        refuse it.  Returns the state after the command.  ``key`` is the submitting form's
        idempotency key: when this workshop already stored a command under it (a retry
        after a time-out), nothing new is stored and the current state is returned.
        """
        with self.store.session() as s:
            repository.lock_workshop(s, workshop_id)
            state = self._fold(s, workshop_id)
            # Looked up under the workshop's lock, so a retry racing its original waits
            # for it and then finds it; the unique index is the last line of defence.
            if key is not None and _already_stored(s, workshop_id, actor, key):
                return state
            at = utc_now()
            normalised = rules.check(state, actor, kind, payload, at)
            row = repository.append_event(s, workshop_id, kind, normalised, actor, at=at)
            row.command_key = key
            state = rules.apply(state, as_event(row))
        self._remember(workshop_id, state)
        self.broker.notify(workshop_id)
        return state

    def join(self, workshop_id: int, token_id: int, name: str) -> str:
        """Seat the holder of link ``token_id`` under ``name``; returns their participant id.

        The participant row and its ``participant_joined`` event are written in one
        transaction under the workshop's lock, so a refused join (closed workshop, a name
        the rules refuse) or a failed event leaves nothing behind and the link stays usable.
        Someone already seated keeps their first name: names are fixed after joining.
        """
        with self.store.session() as s:
            repository.lock_workshop(s, workshop_id)
            seated = s.scalar(
                sa.select(WorkshopParticipant.id).where(
                    WorkshopParticipant.workshop_id == workshop_id,
                    WorkshopParticipant.token_id == token_id,
                )
            )
            if seated is not None:
                return f"p{seated}"
            state = self._fold(s, workshop_id)
            checked = rules.participant_name(name, [_facilitator_name(s, workshop_id)])
            joined = repository.join_workshop(s, workshop_id, token_id, checked)
            participant = f"p{joined.id}"
            payload = {"participant": participant, "name": joined.display_name}
            at = utc_now()
            normalised = rules.check(state, rules.SERVER, "participant_joined", payload, at)
            row = repository.append_event(
                s, workshop_id, "participant_joined", normalised, rules.SERVER, at=at
            )
            state = rules.apply(state, as_event(row))
        self._remember(workshop_id, state)
        self.broker.notify(workshop_id)
        return participant

    def current(self, workshop_id: int) -> rules.WorkshopState:
        """The state with every committed event (reads the log past the cache)."""
        with self.store.session() as s:
            state = self._fold(s, workshop_id)
        self._remember(workshop_id, state)
        return state

    async def state(self, workshop_id: int) -> rules.WorkshopState:
        """The cached state, refreshed when the broker saw a new event or it is old."""
        generation = self.broker.generation(workshop_id)
        cached = self._cache.get(workshop_id)
        if cached and cached.generation >= generation and _young(cached):
            return cached.state
        return await run_in_threadpool(self._refresh, workshop_id, generation)

    def _refresh(self, workshop_id: int, generation: int) -> rules.WorkshopState:
        # One refresh per wake-up however many streams ask; a threading lock, because the
        # app may serve from more than one event loop (tests do) and waiters sit in threads.
        with self._lock:
            lock = self._refreshing.setdefault(workshop_id, threading.Lock())
        with lock:
            cached = self._cache.get(workshop_id)
            if cached and cached.generation >= generation and _young(cached):
                return cached.state
            state = self.current(workshop_id)
            with self._lock:
                self._cache[workshop_id] = _Cached(state, generation, time.monotonic())
            return state

    def _fold(self, s: Session, workshop_id: int) -> rules.WorkshopState:
        cached = self._cache.get(workshop_id)
        if cached is None:
            workshop = s.get(Workshop, workshop_id)
            if workshop is None:
                raise NotFoundError(f"there is no workshop {workshop_id}")
            state = rules.new_state(workshop.title)
        else:
            state = cached.state
        while True:
            rows = repository.events_after(s, workshop_id, state.last_seq)
            if not rows:
                return state
            for row in rows:
                state = rules.apply(state, as_event(row))

    def _remember(self, workshop_id: int, state: rules.WorkshopState) -> None:
        with self._lock:
            cached = self._cache.get(workshop_id)
            if cached is None or cached.state.last_seq <= state.last_seq:
                generation = cached.generation if cached else 0
                self._cache[workshop_id] = _Cached(state, generation, time.monotonic())


def _already_stored(s: Session, workshop_id: int, actor: str, key: str) -> bool:
    stored_by = s.scalar(
        sa.select(WorkshopEvent.actor).where(
            WorkshopEvent.workshop_id == workshop_id, WorkshopEvent.command_key == key
        )
    )
    if stored_by is None:
        return False
    if stored_by != actor:
        # Keys are random per submission; someone else's key is a forgery or a bug.
        raise rules.WorkshopRuleError("command_key: this key was already used by someone else")
    return True


def _facilitator_name(s: Session, workshop_id: int) -> str:
    name = s.scalar(
        sa.select(Facilitator.display_name)
        .join(CaseRecord, CaseRecord.owner_id == Facilitator.id)
        .join(Workshop, Workshop.case_id == CaseRecord.id)
        .where(Workshop.id == workshop_id)
    )
    if name is None:
        raise NotFoundError(f"there is no workshop {workshop_id}")
    return name


def _young(cached: _Cached) -> bool:
    return time.monotonic() - cached.read_at < REFRESH_SECONDS
