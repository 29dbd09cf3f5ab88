"""Wake-ups for live workshop streams: in-process, plus Redis pub/sub across processes.

The database's event log is the truth; a wake-up only tells a stream "look again".  A
command handler calls :meth:`Broker.notify` after its transaction commits; every stream of
that workshop in this process wakes, and with Redis configured a hint is published so
streams served by other workers or machines wake too.  Redis pub/sub is at-most-once, so
a lost hint costs at most one keep-alive interval: streams re-read the log on every
time-out anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections import defaultdict
from typing import Any

CHANNEL_PREFIX = "accord:workshop:"

log = logging.getLogger("accord.web.realtime")


class Broker:
    """Per-workshop wake-ups for the streams served by this process."""

    def __init__(self, redis_url: str | None = None, channel_prefix: str = CHANNEL_PREFIX):
        # Each waiter with its own loop: a wake-up from another thread must be handed to the
        # loop that owns the event (one loop per process under uvicorn, several in tests).
        self._waiters: dict[int, set[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = (
            defaultdict(set)
        )
        self._generations: dict[int, int] = defaultdict(int)
        self._lock = threading.Lock()
        self._redis_url = redis_url
        self._prefix = channel_prefix
        self._publisher: Any = None
        self._listener: asyncio.Task[None] | None = None
        self.subscribed = asyncio.Event()  # set once the Redis subscription is live

    async def start(self) -> None:
        """With Redis, start listening for other processes' hints."""
        if self._redis_url:
            import redis

            self._publisher = redis.Redis.from_url(self._redis_url)
            self._listener = asyncio.create_task(self._listen())

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        if self._publisher is not None:
            self._publisher.close()

    def notify(self, workshop_id: int) -> None:
        """Wake this workshop's streams everywhere; safe to call from any thread."""
        self._wake_here(workshop_id)
        if self._publisher is not None:
            try:
                self._publisher.publish(f"{self._prefix}{workshop_id}", "1")
            except Exception as error:  # a lost hint only delays streams to their time-out
                log.warning("redis publish failed: %s", error)

    async def wait(self, workshop_id: int, timeout: float, since: int | None = None) -> bool:
        """Wait for a wake-up of ``workshop_id``; False on time-out.

        With ``since`` (a :meth:`generation` read before the caller looked at the log), a
        wake-up that came in between returns at once instead of being lost.
        """
        event = asyncio.Event()
        waiter = (asyncio.get_running_loop(), event)
        with self._lock:
            self._waiters[workshop_id].add(waiter)
            if since is not None and self._generations.get(workshop_id, 0) != since:
                event.set()
        try:
            await asyncio.wait_for(event.wait(), timeout)
            return True
        except TimeoutError:
            return False
        finally:
            with self._lock:
                self._waiters[workshop_id].discard(waiter)
                if not self._waiters[workshop_id]:
                    del self._waiters[workshop_id]

    def generation(self, workshop_id: int) -> int:
        """How many wake-ups this workshop has had in this process (a change counter)."""
        return self._generations.get(workshop_id, 0)

    def _wake_here(self, workshop_id: int) -> None:
        with self._lock:
            self._generations[workshop_id] += 1
            waiters = list(self._waiters.get(workshop_id, ()))
        for loop, event in waiters:
            loop.call_soon_threadsafe(event.set)

    async def _listen(self) -> None:
        import redis.asyncio as aioredis

        while True:
            client = aioredis.Redis.from_url(self._redis_url or "")
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.psubscribe(f"{self._prefix}*")
                    self.subscribed.set()
                    async for message in pubsub.listen():
                        if message.get("type") != "pmessage":
                            continue
                        channel = message["channel"].decode()
                        suffix = channel.removeprefix(self._prefix)
                        if suffix.isdigit():
                            self._wake_here(int(suffix))
            except asyncio.CancelledError:
                raise
            except Exception as error:  # reconnect: streams still re-read on time-outs
                log.warning("redis listener reconnecting after: %s", error)
                await asyncio.sleep(1.0)
            finally:
                await client.aclose()
