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
