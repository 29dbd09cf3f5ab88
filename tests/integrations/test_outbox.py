"""The webhook outbox: events queued with the change that caused them, delivered at least
once (exactly once to a deduplicating receiver) through failures and a receiver restart."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from tests.integrations.receiver import Receiver

from accord.integrations.delivery import Dispatcher, DispatchSettings
from accord.io.case_file import parse_case
from accord.store import Store, repository
from accord.store import webhooks as outbox
from accord.store.tables import WebhookDelivery, utc_now

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SERVER_KEY = "k" * 48
CASE = EXAMPLES / "growth-vs-margin.yaml"


def _store(url: str) -> Store:
    return Store.from_url(url, migrate=True)


def _owner(store: Store, tag: str = "") -> int:
    with store.session() as s:
        return repository.create_facilitator(s, f"hooks{tag}@example.org", "pw-long-enough", "H").id


def _subscribe(store: Store, owner: int, url: str, events: list[str]) -> tuple[int, str]:
    with store.session() as s:
        hook = outbox.create_subscription(s, owner, url, events)
        return hook.id, outbox.signing_secret(SERVER_KEY, hook.salt)


def _rows(store: Store) -> list[WebhookDelivery]:
    with store.session() as s:
        rows = list(s.scalars(sa.select(WebhookDelivery).order_by(WebhookDelivery.id)))
        s.expunge_all()
        return rows


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return _store(f"sqlite:///{tmp_path / 'hooks.db'}")


def test_inputs_revisions_and_workshop_decisions_queue_their_events(store: Store) -> None:
    owner = _owner(store)
    other = _owner(store, "-other")
    _subscribe(
        store,
        owner,
        "https://hooks.example.com/a",
        ["inputs.given", "decision.recorded", "workshop.closed"],
    )
    _subscribe(store, owner, "https://hooks.example.com/b", ["analysis.changed"])
    _subscribe(store, other, "https://hooks.example.com/c", list(outbox.EVENTS))
    text = CASE.read_text()
    with store.session() as s:
        record = repository.save_case(s, owner, text, CASE.name)
        case_id = record.id
    assert _rows(store) == []  # a new case is no change to an analysis anyone had
    stakeholder, given = next(iter(parse_case(text, path=CASE.name).inputs.items()))
    with store.session() as s:
        repository.save_inputs(s, case_id, stakeholder, given)
    with store.session() as s:
        repository.save_case(s, owner, text.replace("title:", "title: Revised", 1), CASE.name)
    with store.session() as s:
        workshop = repository.create_workshop(s, case_id, "Decide")
        repository.append_event(s, workshop.id, "decision_recorded", {"decision": "x"}, "f")
        repository.append_event(s, workshop.id, "idea_added", {"text": "not an event"}, "f")
    with store.session() as s:  # the live writer's group commit path
        seq = repository.lock_workshop_seq(s, workshop.id)
        batch = [
            {"seq": seq + 1, "kind": "idea_added", "actor": "p", "payload": {"text": "no"}},
            {
                "seq": seq + 2,
                "kind": "workshop_closed",
                "actor": "f",
                "payload": {"review_date": "2027-01-02"},
            },
        ]
        now = utc_now()
        repository.append_events(
            s, workshop.id, [{**e, "created_at": now, "command_key": None} for e in batch]
        )
    events = [(r.webhook_id, r.event) for r in _rows(store)]
    assert [e for _, e in events] == [
        "inputs.given",
        "analysis.changed",
        "analysis.changed",
        "decision.recorded",
        "workshop.closed",
    ]
    rows = _rows(store)
    assert rows[0].data["stakeholder"] == stakeholder
    assert rows[0].data["case"]["path"] == f"/cases/{case_id}"
    assert rows[2].data["because"] == "revision" and rows[2].data["revision"]["number"] == 2
    assert rows[3].data["decision"] == {"decision": "x"}
    assert rows[3].data["workshop"]["path"] == f"/workshops/{workshop.id}"
    assert rows[4].data["closed"] == {"review_date": "2027-01-02"}


def test_an_event_rolls_back_with_the_change_that_caused_it(store: Store) -> None:
    owner = _owner(store)
    _subscribe(store, owner, "https://hooks.example.com/a", ["inputs.given"])
    text = CASE.read_text()
    with store.session() as s:
        case_id = repository.save_case(s, owner, text, CASE.name).id
    stakeholder, given = next(iter(parse_case(text, path=CASE.name).inputs.items()))
    with pytest.raises(RuntimeError), store.session() as s:
        repository.save_inputs(s, case_id, stakeholder, given)
        raise RuntimeError("the request failed after the write")
    assert _rows(store) == []


def test_a_dedupe_key_queues_a_periodic_event_once(store: Store) -> None:
    owner = _owner(store)
    _subscribe(store, owner, "https://hooks.example.com/a", ["action.overdue"])
    for _ in range(3):
        with store.session() as s:
            outbox.emit(s, owner, "action.overdue", {"action": "a1"}, dedupe_key="a1:2026-12-01")
    assert len(_rows(store)) == 1


def test_a_lease_that_expires_makes_the_delivery_due_again(store: Store) -> None:
    owner = _owner(store)
    _subscribe(store, owner, "https://hooks.example.com/a", ["review.due"])
    with store.session() as s:
        outbox.emit(s, owner, "review.due", {})
    with store.session() as s:
        assert len(outbox.lease_due(s, 10)) == 1
    with store.session() as s:  # leased: another dispatcher does not take it
        assert outbox.lease_due(s, 10) == []
    later = utc_now() + outbox.LEASE + dt.timedelta(seconds=1)
    with store.session() as s:  # its dispatcher died: the lease ran out
        assert len(outbox.lease_due(s, 10, now=later)) == 1


def test_a_receiver_that_never_answers_2xx_gets_max_attempts_then_failed(store: Store) -> None:
    owner = _owner(store)
    _subscribe(store, owner, "http://127.0.0.1:9/hook", ["review.due"])
    with store.session() as s:
        outbox.emit(s, owner, "review.due", {})
    row_id = _rows(store)[0].id
    for n in range(outbox.MAX_ATTEMPTS):
        with store.session() as s:
            row = outbox.record_attempt(s, row_id, status=503, error="answered 503")
            assert row is not None
            assert row.status == ("failed" if n == outbox.MAX_ATTEMPTS - 1 else "pending")
    with store.session() as s:
        row = s.get(WebhookDelivery, row_id)
        assert row is not None
        outbox.redeliver(s, row)
    assert _rows(store)[0].status == "pending"


async def _drain(dispatcher: Dispatcher, store: Store, *, restart: Receiver | None = None) -> int:
    """Run the dispatcher until nothing is pending; restart ``restart`` once on the way."""
    rounds = 0
    async with httpx.AsyncClient(timeout=5) as client:
        while any(r.status == "pending" for r in _rows(store)):
            rounds += 1
            assert rounds < 5_000, "the outbox did not drain"
            if restart is not None and rounds == 3:
                restart.stop()  # the receiver goes down for a few rounds ...
            if restart is not None and rounds == 8:
                restart.start()  # ... and comes back on the same port
            if not await dispatcher.drain_once(client):
                await asyncio.sleep(0.005)  # retries are due after retry_base seconds
    return rounds


def _delivery_run(store: Store, n: int) -> tuple[Receiver, list[WebhookDelivery]]:
    owner = _owner(store)
    receiver = Receiver(secret="", fail_share=0.3, seed=7)
    receiver.start()
    try:
        _, secret = _subscribe(store, owner, receiver.url, ["decision.recorded"])
        receiver.secret = secret
        with store.session() as s:
            for k in range(n):
                outbox.emit(s, owner, "decision.recorded", {"decision": f"d{k}"})
        dispatcher = Dispatcher(
            store,
            DispatchSettings(server_key=SERVER_KEY, allow_private=True, retry_base=0.001, batch=20),
        )
        asyncio.run(_drain(dispatcher, store, restart=receiver))
    finally:
        receiver.stop()
    return receiver, _rows(store)


def _check_exactly_once(receiver: Receiver, rows: list[WebhookDelivery], n: int) -> None:
    assert {r.status for r in rows} == {"delivered"}
    assert set(receiver.accepted) == {r.delivery_id for r in rows}
    assert len(receiver.accepted) == n
    assert receiver.bad_signatures == 0
    assert receiver.failed_on_purpose > 0  # the failures happened ...
    assert sum(r.attempts for r in rows) > n  # ... and were retried
    decisions = sorted(body["data"]["decision"] for body in receiver.accepted.values())
    assert decisions == sorted(f"d{k}" for k in range(n))


def test_every_event_reaches_a_failing_restarting_receiver_exactly_once(store: Store) -> None:
    receiver, rows = _delivery_run(store, 100)
    _check_exactly_once(receiver, rows, 100)


@pytest.mark.services
def test_every_event_reaches_the_receiver_exactly_once_on_postgresql(postgres: object) -> None:
    store = _store(postgres.url)  # type: ignore[attr-defined]
    try:
        with store.session() as s:
            s.execute(sa.delete(WebhookDelivery))
        receiver, rows = _delivery_run(store, 60)
        _check_exactly_once(receiver, rows, 60)
    finally:
        store.dispose()


def test_a_private_address_is_refused_at_delivery_time_unless_allowed(store: Store) -> None:
    owner = _owner(store)
    receiver = Receiver(secret="")
    receiver.start()
    try:
        _, receiver.secret = _subscribe(store, owner, receiver.url, ["review.due"])
        with store.session() as s:
            outbox.emit(s, owner, "review.due", {})
        dispatcher = Dispatcher(store, DispatchSettings(server_key=SERVER_KEY))

        async def once() -> None:
            async with httpx.AsyncClient() as client:
                await dispatcher.drain_once(client)

        asyncio.run(once())
    finally:
        receiver.stop()
    row = _rows(store)[0]
    assert receiver.requests == 0
    assert row.status == "pending" and row.attempts == 1
    assert "private, loopback or link-local" in (row.last_error or "")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://hooks.example.com/x", "use an http:// or https:// address"),
        ("https://user:pw@hooks.example.com/x", "leave user names and passwords out"),
        ("https:///x", "has no host name"),
        ("http://127.0.0.1:8000/x", "private, loopback or link-local"),
        ("http://10.1.2.3/x", "private, loopback or link-local"),
        ("http://[::1]/x", "private, loopback or link-local"),
        ("http://169.254.169.254/latest", "private, loopback or link-local"),
        ("https://hooks.example.com:99999/x", "port is not a number"),
    ],
)
def test_bad_webhook_addresses_are_refused_with_the_reason(url: str, message: str) -> None:
    from accord.errors import InputError

    with pytest.raises(InputError, match=message):
        outbox.check_url(url)


def test_the_app_itself_is_refused_even_when_private_addresses_are_allowed() -> None:
    from accord.errors import InputError

    with pytest.raises(InputError, match="this accord server itself"):
        outbox.check_url(
            "http://127.0.0.1:8000/x", own_origins=["127.0.0.1:8000"], allow_private=True
        )
    assert outbox.check_url(
        "http://127.0.0.1:9000/x", own_origins=["127.0.0.1:8000"], allow_private=True
    )
    assert outbox.check_url("https://93.184.216.34/hook") == "https://93.184.216.34/hook"
