"""Wake-ups for live streams: across threads in one process, and across processes via Redis."""

from __future__ import annotations

import asyncio
import threading

import pytest

from accord.web.realtime import Broker


def test_notify_from_another_thread_wakes_the_waiter() -> None:
    async def scenario() -> tuple[bool, bool]:
        broker = Broker()
        await broker.start()
        waiting = asyncio.create_task(broker.wait(7, timeout=5))
        await asyncio.sleep(0)  # let the waiter register
        threading.Thread(target=broker.notify, args=(7,)).start()
        woke = await waiting
        other = await broker.wait(8, timeout=0.05)  # nobody notified workshop 8
        await broker.stop()
        return woke, other

    woke, other = asyncio.run(scenario())
    assert woke is True and other is False


@pytest.mark.services
def test_redis_hint_wakes_a_waiter_in_another_broker(redis_service) -> None:  # type: ignore[no-untyped-def]
    redis_url = redis_service.url
    prefix = redis_service.prefix + "workshop:"

    async def scenario() -> bool:
        here, there = Broker(redis_url, prefix), Broker(redis_url, prefix)
        await here.start()
        await there.start()
        try:
            await asyncio.wait_for(there.subscribed.wait(), 5)
            waiting = asyncio.create_task(there.wait(3, timeout=5))
            await asyncio.sleep(0)  # let the waiter register
            here.notify(3)
            return await waiting
        finally:
            await here.stop()
            await there.stop()

    assert asyncio.run(scenario()) is True


def test_notify_returns_at_once_while_redis_answers_nothing() -> None:
    """A stalled Redis (it accepts connections and never replies) delays no wake-up and no
    caller: the hint waits in the publishing thread, one per workshop however many."""
    import socket

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    url = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"

    async def scenario() -> tuple[int, bool, int]:
        broker = Broker(url)
        await broker.start()
        try:
            waiting = asyncio.create_task(broker.wait(5, timeout=5))
            await asyncio.sleep(0)
            for _ in range(1000):  # synchronous publishes would take 1000 socket time-outs
                broker.notify(5)
            woke = await waiting
            return broker.generation(5), woke, len(broker._hints)
        finally:
            await broker.stop()

    try:
        generation, woke, pending = asyncio.run(scenario())
    finally:
        silent.close()
    assert generation == 1000 and woke is True
    assert pending <= 1  # a burst to one workshop is one pending hint
    # While Redis is silent the broker says so: streams poll the log instead.
    assert Broker(url).degraded is True and Broker().degraded is False
