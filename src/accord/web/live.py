"""Live workshops in the web app: commands in, per-viewer views out.

Commands to a workshop go through its writer (:mod:`accord.web.writer`): one transaction
per batch locks the workshop's row, so the rules are judged against exactly the events
before them, whatever other workers or machines are doing; the broker is told only after
the commit.  Streams read a per-process cache of each workshop's state, refreshed from the
event log when the broker reports a new event (or after :data:`REFRESH_SECONDS` without
one, which also covers a lost Redis hint).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from accord import workshop as rules
from accord.errors import ForbiddenError, NotFoundError
from accord.store import Store, repository
from accord.store.tables import (
    CaseRecord,
    Facilitator,
    Workshop,
    WorkshopEvent,
    WorkshopParticipant,
)
from accord.web.realtime import Broker
from accord.web.writer import Command, CommandQueue, sqlite_write_lock

REFRESH_SECONDS = 15.0
_T = TypeVar("_T")
#: Commands waiting for one workshop's writer before new ones are refused with 503: about
#: two seconds of work at group-commit speed, so a refused client retries rather than
#: waits longer than that (DESIGN.md: back-pressure instead of an unbounded queue).
QUEUE_LIMIT = 1000
#: Joined links whose seat is remembered (about 100 bytes each).
SEAT_CACHE_SIZE = 20_000


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def as_event(row: WorkshopEvent) -> rules.Event:
    at = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=dt.UTC)
    return rules.Event(row.seq, row.kind, row.actor or rules.SERVER, row.payload, at)


class SeatCache:
    """Link token -> (workshop, link id, participant id) for links that have joined.

    A seat never changes once taken (names are fixed after joining), so the only thing a
    cached seat can miss is a revoke: the writer checks every command's link in its batch
    transaction, and streams check theirs once per wake-up, so the cache saves the two
    reads per command without letting a revoked link act.
    """

    def __init__(self, size: int = SEAT_CACHE_SIZE) -> None:
        self.size = size
        self._seats: OrderedDict[str, tuple[int, int, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, raw_token: str) -> tuple[int, int, str] | None:
        with self._lock:
            found = self._seats.get(raw_token)
            if found is not None:
                self._seats.move_to_end(raw_token)
            return found

    def put(self, raw_token: str, workshop_id: int, token_id: int, actor: str) -> None:
        with self._lock:
            self._seats[raw_token] = (workshop_id, token_id, actor)
            self._seats.move_to_end(raw_token)
            while len(self._seats) > self.size:
                self._seats.popitem(last=False)

    def forget_token(self, token_id: int) -> None:
        with self._lock:
            for raw, (_, cached_id, _) in list(self._seats.items()):
                if cached_id == token_id:
                    del self._seats[raw]


@dataclass(frozen=True)
class _Cached:
    state: rules.WorkshopState
    generation: int
    read_at: float


class LiveWorkshops:
    """Workshop states for this process, and the one way commands are applied."""

    def __init__(self, store: Store, broker: Broker, queue_limit: int = QUEUE_LIMIT) -> None:
        self.store = store
        self.broker = broker
        self._cache: dict[int, _Cached] = {}
        self._lock = threading.Lock()
        self._refreshing: dict[int, threading.Lock] = {}
        # workshop -> (generation read at, when, revoked link ids)
        self._revoked: dict[int, tuple[int, float, frozenset[int]]] = {}
        self._reading_revoked: dict[int, threading.Lock] = {}
        # (event loop, what, workshop) -> the read in flight and the generation it serves
        self._reads: dict[tuple[int, str, int], tuple[int, asyncio.Task[Any]]] = {}
        self.queue = CommandQueue(self._commit_batch, limit=queue_limit)
        self.seats = SeatCache()

    def command(
        self,
        workshop_id: int,
        actor: str,
        kind: str,
        payload: Mapping[str, Any],
        key: str | None = None,
        token_id: int | None = None,
    ) -> rules.WorkshopState:
        """Check ``kind``/``payload`` from ``actor`` against the rules and store it.

        Raises :class:`accord.workshop.WorkshopRuleError` (nothing stored) when the rules
        refuse it, :class:`accord.web.writer.Overloaded` when the workshop's queue is full.
        Returns the state after the command.  ``key`` is the submitting form's idempotency
        key: when this workshop already stored a command under it (a retry after a
        time-out), nothing new is stored and the current state is returned.  ``token_id``
        is the participant's link, checked to be live in the same transaction.
        """
        return self.queue.submit(workshop_id, Command(actor, kind, payload, key, token_id)).result()

    async def submit(
        self,
        workshop_id: int,
        actor: str,
        kind: str,
        payload: Mapping[str, Any],
        key: str | None = None,
        token_id: int | None = None,
    ) -> rules.WorkshopState:
        """:meth:`command` without holding a thread while the batch commits."""
        future = self.queue.submit(workshop_id, Command(actor, kind, payload, key, token_id))
        return await asyncio.wrap_future(future)

    def _commit_batch(self, workshop_id: int, batch: list[Command]) -> None:
        """Judge and store ``batch`` in one transaction; then answer each command.

        The workshop's lock is taken once, the commands are judged one after another
        against the state in memory, their events inserted together and committed once.
        A refused command is answered with its error and stores nothing; a database error
        fails the whole batch (nothing of it is stored, nothing acknowledged).
        """
        at = utc_now()
        with sqlite_write_lock(self.store), self.store.session() as s:
            last_seq = repository.lock_workshop_seq(s, workshop_id)
            state = self._fold(s, workshop_id)
            if state.last_seq != last_seq:
                raise RuntimeError(
                    f"workshop {workshop_id}: log at {state.last_seq}, not {last_seq}"
                )
            keys = [c.key for c in batch if c.key is not None]
            stored_by = repository.stored_command_keys(s, workshop_id, keys)
            tokens = {c.token_id for c in batch if c.token_id is not None}
            live_tokens = repository.live_token_ids(s, tokens)
            answers: list[BaseException | None] = []
            rows: list[dict[str, Any]] = []
            for command in batch:
                try:
                    if command.token_id is not None and command.token_id not in live_tokens:
                        self.seats.forget_token(command.token_id)
                        raise ForbiddenError(
                            "this link is not valid any more: ask the facilitator for a new one"
                        )
                    if command.key is not None and command.key in stored_by:
                        # Answered, not stored again (a retry; or twice in this batch).
                        _same_author(stored_by[command.key], command.actor)
                        answers.append(None)
                        continue
                    normalised = rules.check(
                        state, command.actor, command.kind, command.payload, at
                    )
                    event = rules.Event(
                        state.last_seq + 1, command.kind, command.actor, normalised, at
                    )
                    state = rules.apply(state, event)
                    rows.append(
                        {
                            "seq": event.seq,
                            "kind": event.kind,
                            "actor": event.actor,
                            "payload": dict(normalised),
                            "created_at": at,
                            "command_key": command.key,
                        }
                    )
                    if command.key is not None:
                        stored_by[command.key] = command.actor
                    answers.append(None)
                except (rules.WorkshopRuleError, ForbiddenError) as refused:
                    answers.append(refused)
            repository.append_events(s, workshop_id, rows)
            revoked = repository.revoked_token_ids(s, workshop_id) if rows else frozenset()
        if rows:
            self._remember_and_notify(workshop_id, state, revoked)
        for command, answer in zip(batch, answers, strict=True):
            if answer is None:
                command.future.set_result(state)
            else:
                command.future.set_exception(answer)

    def join(self, workshop_id: int, token_id: int, name: str) -> str:
        """Seat the holder of link ``token_id`` under ``name``; returns their participant id.

        The participant row and its ``participant_joined`` event are written in one
        transaction under the workshop's lock, so a refused join (closed workshop, a name
        the rules refuse) or a failed event leaves nothing behind and the link stays usable.
        Someone already seated keeps their first name: names are fixed after joining.
        """
        with sqlite_write_lock(self.store), self.store.session() as s:
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
            revoked = repository.revoked_token_ids(s, workshop_id)
        self._remember_and_notify(workshop_id, state, revoked)
        return participant

    def current(self, workshop_id: int) -> rules.WorkshopState:
        """The state with every committed event (reads the log past the cache)."""
        with self.store.session() as s:
            state = self._fold(s, workshop_id)
        self._remember(workshop_id, state)
        return state

    async def state(
        self, workshop_id: int, max_age: float = REFRESH_SECONDS
    ) -> rules.WorkshopState:
        """The cached state, refreshed when the broker saw a new event or it was read more
        than ``max_age`` seconds ago (a stream polling while Redis is away asks for 1 s)."""
        generation = self.broker.generation(workshop_id)
        cached = self._cache.get(workshop_id)
        if cached and cached.generation >= generation and _young(cached.read_at, max_age):
            return cached.state
        return await self._once(
            ("state", workshop_id), generation, self._refresh, workshop_id, generation, max_age
        )

    async def _once(
        self, key: tuple[str, int], generation: int, read: Callable[..., _T], *args: Any
    ) -> _T:
        """``read(*args)`` on a thread, shared by every caller on this event loop that needs
        a read at least as new as ``generation``: a wake-up of 500 streams is one thread
        hop and one database read, not 500 hops queueing for the pool.

        A read started after a caller saw ``generation`` reflects everything committed
        before that wake-up, so it serves that caller too.
        """
        loop = asyncio.get_running_loop()
        slot = (id(loop), *key)
        pending = self._reads.get(slot)
        if pending is None or pending[0] < generation or pending[1].done():
            task = loop.create_task(run_in_threadpool(read, *args))
            self._reads[slot] = pending = (generation, task)
            task.add_done_callback(lambda done: self._forget_read(slot, done))
        return await asyncio.shield(pending[1])

    def _forget_read(self, slot: tuple[int, str, int], done: asyncio.Task[Any]) -> None:
        if slot in self._reads and self._reads[slot][1] is done:
            del self._reads[slot]
        if not done.cancelled():
            done.exception()  # retrieved: each waiter gets it through its own await

    async def revoked(self, workshop_id: int, max_age: float = REFRESH_SECONDS) -> frozenset[int]:
        """Ids of this workshop's revoked links as of the latest wake-up, for every stream.

        The writer reads them in each batch's transaction and caches them with the state
        before the streams wake (:meth:`_remember_and_notify`), and a refresh reads them
        with the log (:meth:`_refresh`), so a wake-up normally finds them here: a revoke
        committed before an event is seen by every stream before that event's board.
        """
        generation = self.broker.generation(workshop_id)
        found = self._revoked.get(workshop_id)
        if found and found[0] >= generation and _young(found[1], max_age):
            return found[2]

        def read() -> frozenset[int]:
            # One read per wake-up however many streams ask (as in _refresh).
            with self._lock:
                lock = self._reading_revoked.setdefault(workshop_id, threading.Lock())
            with lock:
                found = self._revoked.get(workshop_id)
                if found and found[0] >= generation and _young(found[1], max_age):
                    return found[2]
                with self.store.session() as s:
                    ids = repository.revoked_token_ids(s, workshop_id)
                with self._lock:
                    self._revoked[workshop_id] = (generation, time.monotonic(), ids)
                return ids

        return await self._once(("revoked", workshop_id), generation, read)

    def links_revoked(self, workshop_id: int) -> None:
        """A link of ``workshop_id`` was revoked (after the commit): forget this process's
        revoked set and wake the streams everywhere, so the revoked participant's open
        stream ends now rather than at the next event."""
        with self._lock:
            self._revoked.pop(workshop_id, None)
        self.broker.notify(workshop_id)

    def _remember_and_notify(
        self, workshop_id: int, state: rules.WorkshopState, revoked: frozenset[int]
    ) -> None:
        # The new state and the revoked links read in its transaction are cached under the
        # wake-up's generation before any stream wakes, so the streams read both from
        # memory instead of each going to the database.
        def before_wake(generation: int) -> None:
            self._remember(workshop_id, state, generation)
            with self._lock:
                self._revoked[workshop_id] = (generation, time.monotonic(), revoked)

        self.broker.notify(workshop_id, before_wake=before_wake)

    def _refresh(
        self, workshop_id: int, generation: int, max_age: float = REFRESH_SECONDS
    ) -> rules.WorkshopState:
        # One refresh per wake-up however many streams ask; a threading lock, because the
        # app may serve from more than one event loop (tests do) and waiters sit in threads.
        with self._lock:
            lock = self._refreshing.setdefault(workshop_id, threading.Lock())
        with lock:
            cached = self._cache.get(workshop_id)
            if cached and cached.generation >= generation and _young(cached.read_at, max_age):
                return cached.state
            with self.store.session() as s:
                state = self._fold(s, workshop_id)
                revoked = repository.revoked_token_ids(s, workshop_id)
            now = time.monotonic()
            with self._lock:
                self._cache[workshop_id] = _Cached(state, generation, now)
                self._revoked[workshop_id] = (generation, now, revoked)
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

    def _remember(
        self, workshop_id: int, state: rules.WorkshopState, generation: int | None = None
    ) -> None:
        with self._lock:
            cached = self._cache.get(workshop_id)
            if cached is None or cached.state.last_seq <= state.last_seq:
                kept = cached.generation if cached else 0
                new = kept if generation is None else max(kept, generation)
                self._cache[workshop_id] = _Cached(state, new, time.monotonic())


def _same_author(stored_by: str | None, actor: str) -> None:
    if stored_by != actor:
        # Keys are random per submission; someone else's key is a forgery or a bug.
        raise rules.WorkshopRuleError("command_key: this key was already used by someone else")


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


def _young(read_at: float, max_age: float) -> bool:
    return time.monotonic() - read_at < max_age
