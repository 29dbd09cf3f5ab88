"""The workshop event log: gap-free sequence numbers under concurrent writers, and replay."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from tests.store import BACKENDS, add_case, add_owner, open_store

from accord.errors import InputError, NotFoundError
from accord.store import Store, repository
from accord.store.tables import Workshop, WorkshopEvent

THREADS = 8
EVENTS_PER_THREAD = 25


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    yield from open_store(request, tmp_path)


@pytest.fixture
def workshop_id(store: Store) -> int:
    case_id = add_case(store, add_owner(store, "fran@example.org"))
    with store.session() as s:
        return repository.create_workshop(s, case_id, "Kick-off").id


def test_concurrent_writers_get_seqs_one_to_n_without_gaps(store: Store, workshop_id: int) -> None:
    start = threading.Barrier(THREADS)
    given: dict[int, list[int]] = {}
    failures: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            start.wait()
            mine = given.setdefault(writer, [])
            for n in range(EVENTS_PER_THREAD):
                with store.session() as s:
                    event = repository.append_event(
                        s, workshop_id, "vote", {"writer": writer, "n": n}, f"w{writer}"
                    )
                    mine.append(event.seq)
        except BaseException as error:  # reported in the main thread below
            failures.append(error)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    total = THREADS * EVENTS_PER_THREAD
    with store.session() as s:
        stored = s.scalars(
            sa.select(WorkshopEvent.seq).where(WorkshopEvent.workshop_id == workshop_id)
        ).all()
        workshop = s.get(Workshop, workshop_id)
        assert workshop is not None and workshop.last_seq == total
    assert sorted(stored) == list(range(1, total + 1))
    assert sorted(seq for seqs in given.values() for seq in seqs) == list(range(1, total + 1))
    # Each writer's own events are numbered in the order it wrote them.
    assert all(seqs == sorted(seqs) for seqs in given.values())


def test_events_after_returns_the_rest_in_order(store: Store, workshop_id: int) -> None:
    with store.session() as s:
        for n in range(1, 8):
            repository.append_event(s, workshop_id, "idea", {"n": n, "text": "é"}, None)
    with store.session() as s:
        rest = repository.events_after(s, workshop_id, 4)
        page = repository.events_after(s, workshop_id, 0, limit=3)
        none = repository.events_after(s, workshop_id, 7)
    assert [(e.seq, e.payload) for e in rest] == [
        (5, {"n": 5, "text": "é"}),
        (6, {"n": 6, "text": "é"}),
        (7, {"n": 7, "text": "é"}),
    ]
    assert [e.seq for e in page] == [1, 2, 3]
    assert none == []
    assert rest[0].kind == "idea" and rest[0].actor is None
    assert rest[0].created_at.utcoffset() is not None


def test_events_of_one_workshop_do_not_show_in_another(store: Store, workshop_id: int) -> None:
    with store.session() as s:
        first = s.get(Workshop, workshop_id)
        assert first is not None
        other = repository.create_workshop(s, first.case_id, "Second session")
        repository.append_event(s, workshop_id, "phase", {"to": "vote"}, "facilitator")
        first_in_other = repository.append_event(s, other.id, "phase", {"to": "ideas"}, None)
    assert first_in_other.seq == 1
    with store.session() as s:
        assert [e.payload for e in repository.events_after(s, other.id, 0)] == [{"to": "ideas"}]


def test_rolled_back_event_leaves_no_gap(store: Store, workshop_id: int) -> None:
    with pytest.raises(RuntimeError), store.session() as s:
        repository.append_event(s, workshop_id, "vote", {"lost": True}, None)
        raise RuntimeError("the request failed after the event was written")
    with store.session() as s:
        kept = repository.append_event(s, workshop_id, "vote", {"lost": False}, None)
    assert kept.seq == 1


def test_append_event_keeps_loaded_workshop_counter_current(store: Store, workshop_id: int) -> None:
    with store.session() as s:
        loaded = s.get(Workshop, workshop_id)
        assert loaded is not None and loaded.last_seq == 0
        repository.append_event(s, workshop_id, "vote", {}, None)
        repository.append_event(s, workshop_id, "vote", {}, None)
        assert loaded.last_seq == 2


def test_append_event_to_unknown_workshop_raises_and_stores_nothing(store: Store) -> None:
    with pytest.raises(NotFoundError, match="no workshop 999"), store.session() as s:
        repository.append_event(s, 999, "vote", {}, None)
    with store.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(WorkshopEvent)) == 0


def test_events_after_with_limit_below_one_raises(store: Store, workshop_id: int) -> None:
    with pytest.raises(InputError, match="limit: must be at least 1, got 0"), store.session() as s:
        repository.events_after(s, workshop_id, 0, limit=0)


def test_lock_workshop_makes_read_check_append_see_every_earlier_event(
    store: Store, workshop_id: int
) -> None:
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def command(writer: int) -> None:
        try:
            start.wait()
            for _ in range(5):
                with store.session() as s:
                    repository.lock_workshop(s, workshop_id)
                    seen = len(repository.events_after(s, workshop_id, 0))
                    repository.append_event(s, workshop_id, "tick", {"seen": seen}, None)
        except BaseException as error:  # reported in the main thread below
            failures.append(error)

    threads = [threading.Thread(target=command, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with store.session() as s:
        events = repository.events_after(s, workshop_id, 0)
    # Under the lock every command saw exactly the events before its own.
    assert [e.payload["seen"] for e in events] == list(range(THREADS * 5))


def test_lock_workshop_that_does_not_exist_raises(store: Store) -> None:
    with pytest.raises(NotFoundError, match="no workshop 999"), store.session() as s:
        repository.lock_workshop(s, 999)


def test_append_event_at_given_time_stores_that_time(store: Store, workshop_id: int) -> None:
    moment = dt.datetime(2027, 1, 15, 14, 0, tzinfo=dt.UTC)
    with store.session() as s:
        repository.append_event(s, workshop_id, "phase", {"to": "reveal"}, "fac", at=moment)
    with store.session() as s:
        assert repository.events_after(s, workshop_id, 0)[0].created_at == moment
