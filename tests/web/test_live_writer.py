"""The workshop writer: group commit, back-pressure, failed batches, revoked cached seats."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError
from tests.web.conftest import Web
from tests.web.test_live_security import revoke
from tests.web.test_workshops import run, start

from accord import workshop as rules
from accord.store.tables import WorkshopEvent
from accord.web import live as live_module
from accord.web.live import LiveWorkshops
from accord.web.writer import Command, CommandQueue, Overloaded


def live_of(web: Web) -> LiveWorkshops:
    live: LiveWorkshops = web.client.app.state.live  # type: ignore[attr-defined]
    return live


def ideas(web: Web) -> list[tuple[str | None, str]]:
    with web.store.session() as session:
        rows = session.execute(
            sa.select(WorkshopEvent.actor, WorkshopEvent.payload)
            .where(WorkshopEvent.kind == "idea_added")
            .order_by(WorkshopEvent.seq)
        )
        return [(actor, payload["text"]) for actor, payload in rows]


def brainstorming(web: Web) -> tuple[int, list[str]]:
    """A workshop in brainstorm; its id and its participants' ids."""
    console, _, _ = start(web)
    run(web, console, "agenda_set", items="A?\nB?\nC?")
    run(web, console, "item_started", item=0)
    workshop_id = int(console.rsplit("/", 1)[1])
    return workshop_id, list(live_of(web).current(workshop_id).participants)


@contextmanager
def writer_held(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], None]]:
    """The next batch stops at the workshop lock until the yielded ``release`` is called,
    so commands submitted meanwhile queue up behind it."""
    gate, entered = threading.Event(), threading.Event()
    real = live_module.repository.lock_workshop_seq

    def held(session: object, workshop_id: int) -> int:
        entered.set()
        assert gate.wait(30), "the test never released the writer"
        return real(session, workshop_id)  # type: ignore[arg-type]

    monkeypatch.setattr(live_module.repository, "lock_workshop_seq", held)
    yield gate.set
    gate.set()


def taken(queue: CommandQueue, workshop_id: int) -> None:
    """Wait until the writer took what was queued (a condition, not a time)."""
    for _ in range(3000):
        if not queue.waiting(workshop_id):
            return
        threading.Event().wait(0.01)
    raise AssertionError("the writer never took the queued command")


def idea(actor: str, text: str, key: str | None = None) -> Command:
    return Command(actor, "idea_added", {"text": text}, key)


def settle(futures: list[Future[rules.WorkshopState]]) -> list[BaseException | None]:
    return [f.exception(timeout=30) for f in futures]


def test_a_burst_is_committed_in_two_transactions_in_order(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    workshop_id, (grace, marcus) = brainstorming(web)
    queue = live_of(web).queue
    with writer_held(monkeypatch) as release:
        first = queue.submit(workshop_id, idea(grace, "first"))
        taken(queue, workshop_id)
        before = queue.batches
        burst = [
            queue.submit(workshop_id, idea(grace if n % 2 else marcus, f"idea {n}"))
            for n in range(40)
        ]
        release()
        assert settle([first, *burst]) == [None] * 41
    # The 40 that queued while the first batch held the lock went in one transaction.
    assert queue.batches - before == 2
    assert [text for _, text in ideas(web)] == ["first", *(f"idea {n}" for n in range(40))]


def test_a_refused_command_in_a_batch_stores_nothing_and_the_others_are_kept(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    workshop_id, (grace, marcus) = brainstorming(web)
    queue = live_of(web).queue
    with writer_held(monkeypatch) as release:
        futures = [
            queue.submit(workshop_id, idea(grace, "kept 1")),
            queue.submit(workshop_id, idea(marcus, "   ")),  # the rules refuse an empty idea
            queue.submit(workshop_id, idea("p999", "not a participant")),
            queue.submit(workshop_id, idea(marcus, "kept 2")),
        ]
        release()
        errors = settle(futures)
    assert errors[0] is None and errors[3] is None
    assert isinstance(errors[1], rules.WorkshopRuleError)
    assert isinstance(errors[2], rules.WorkshopRuleError)
    assert ideas(web) == [(grace, "kept 1"), (marcus, "kept 2")]


def test_the_same_key_twice_in_one_batch_is_stored_once(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    workshop_id, (grace, _) = brainstorming(web)
    queue = live_of(web).queue
    with writer_held(monkeypatch) as release:
        futures = [queue.submit(workshop_id, idea(grace, "once", key="same")) for _ in range(3)]
        release()
        assert settle(futures) == [None, None, None]
    assert ideas(web) == [(grace, "once")]


def test_a_full_queue_refuses_at_its_limit_and_accepts_below_it(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    workshop_id, (grace, _) = brainstorming(web)
    queue = live_of(web).queue
    queue.limit = 3
    with writer_held(monkeypatch) as release:
        in_flight = queue.submit(workshop_id, idea(grace, "in flight"))
        taken(queue, workshop_id)
        waiting = [queue.submit(workshop_id, idea(grace, f"queued {n}")) for n in range(3)]
        with pytest.raises(Overloaded, match="busy .3 commands waiting.: send it again in 1 s"):
            queue.submit(workshop_id, idea(grace, "one too many"))
        release()
        assert settle([in_flight, *waiting]) == [None] * 4
    assert "one too many" not in {text for _, text in ideas(web)}
    assert len(ideas(web)) == 4
    assert queue.refused == 1


def test_an_overloaded_workshop_answers_503_with_retry_after(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    console, grace, _ = start(web)
    run(web, console, "agenda_set", items="A?\nB?\nC?")
    run(web, console, "item_started", item=0)
    live = live_of(web)

    def full(workshop_id: int, command: Command) -> Future[rules.WorkshopState]:
        raise Overloaded(1)

    monkeypatch.setattr(live.queue, "submit", full)
    status, text = grace.do("idea_added", text="too busy", command_key="k-busy")
    assert status == 503 and "send it again" in text
    response = grace.client.post(
        f"{grace.link}/commands",
        data={"csrf": grace.csrf, "kind": "idea_added", "text": "too busy"},
        headers={"HX-Request": "1"},
    )
    assert response.headers["retry-after"] == "1"
    monkeypatch.undo()
    assert grace.do("idea_added", text="too busy", command_key="k-busy")[0] == 204
    assert [text for _, text in ideas(web)] == ["too busy"]


def test_a_batch_whose_commit_fails_stores_nothing_and_a_retry_stores_once(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    console, grace, _ = start(web)
    run(web, console, "agenda_set", items="A?\nB?\nC?")
    run(web, console, "item_started", item=0)

    def lost(*args: object, **kwargs: object) -> None:
        raise OperationalError("INSERT", {}, OSError("server closed the connection"))

    monkeypatch.setattr(live_module.repository, "append_events", lost)
    status, text = grace.do("idea_added", text="retried", command_key="k-retry")
    assert status == 503 and "database" in text
    assert ideas(web) == []
    monkeypatch.undo()
    assert grace.do("idea_added", text="retried", command_key="k-retry")[0] == 204
    assert grace.do("idea_added", text="retried", command_key="k-retry")[0] == 204
    assert [text for _, text in ideas(web)] == ["retried"]


def test_a_revoked_link_cannot_command_through_its_cached_seat(web: Web) -> None:
    console, grace, _ = start(web)
    run(web, console, "agenda_set", items="A?\nB?\nC?")
    run(web, console, "item_started", item=0)
    assert grace.do("idea_added", text="before")[0] == 204  # the seat is now cached
    assert live_of(web).seats.get(grace.link.removeprefix("/w/")) is not None
    revoke(web, grace.link)
    status, _ = grace.do("idea_added", text="after the revoke")
    assert status == 403
    assert [text for _, text in ideas(web)] == ["before"]
    assert live_of(web).seats.get(grace.link.removeprefix("/w/")) is None
