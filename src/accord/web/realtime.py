"""Wake-ups for live workshop streams: in-process, plus Redis pub/sub across processes.

The database's event log is the truth; a wake-up only tells a stream "look again".  A
command handler calls :meth:`Broker.notify` after its transaction commits; every stream of
that workshop in this process wakes, and with Redis configured a hint is published so
streams served by other workers or machines wake too.  Redis pub/sub is at-most-once, so
a lost hint costs at most one keep-alive interval: streams re-read the log on every
time-out anyway.

The hint is published by a background thread, never on the caller's path: a command's
acknowledgement must not wait for a slow or stalled Redis.  Pending hints are a set of
workshop ids (a burst of commands to one workshop is one hint), bounded by
:data:`MAX_PENDING_HINTS`; each publish has a socket time-out of :data:`PUBLISH_TIMEOUT`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections import defaultdict
from collections.abc import Callable
from typing import Any

CHANNEL_PREFIX = "accord:workshop:"
#: Seconds a publish may take before it is given up (a lost hint only delays streams).
PUBLISH_TIMEOUT = 1.0
#: Workshops with a hint waiting to be published; more are dropped (and logged), not queued.
MAX_PENDING_HINTS = 10_000
#: Seconds of silence from Redis (a ping unanswered) after which the listener reconnects and
#: streams poll the log meanwhile.
LIVENESS = 4.0

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
        self._hints: dict[int, None] = {}  # workshop ids waiting to be published, in order
        self._hints_ready = threading.Condition(self._lock)
        self._hint_thread: threading.Thread | None = None
        self._stopping = False
        self.hints_dropped = 0  # hints given up (queue full, Redis slow or down)

    async def start(self) -> None:
        """With Redis, start listening for other processes' hints."""
        if self._redis_url:
            import redis
            from redis.backoff import NoBackoff
            from redis.retry import Retry

            # One try per hint: a retried hint would only hold up the hints behind it.
            self._publisher = redis.Redis.from_url(
                self._redis_url,
                socket_timeout=PUBLISH_TIMEOUT,
                socket_connect_timeout=PUBLISH_TIMEOUT,
                retry=Retry(NoBackoff(), 0),
                retry_on_timeout=False,
            )
            self._stopping = False
            self._hint_thread = threading.Thread(
                target=self._publish_hints, name="accord-redis-hints", daemon=True
            )
            self._hint_thread.start()
            self._listener = asyncio.create_task(self._listen())

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        if self._hint_thread is not None:
            with self._lock:
                self._stopping = True
                self._hints_ready.notify()
            # A publish in flight ends within its socket time-out.
            await asyncio.to_thread(self._hint_thread.join, PUBLISH_TIMEOUT * 3)
            self._hint_thread = None
        if self._publisher is not None:
            self._publisher.close()

    def notify(self, workshop_id: int, before_wake: Callable[[int], None] | None = None) -> int:
        """Wake this workshop's streams everywhere; safe to call from any thread.

        ``before_wake`` is called with the new generation before any stream here wakes (to
        cache what they will read).  Never blocks on Redis: the hint is handed to the
        publishing thread.  Returns the new generation.
        """
        generation = self._wake_here(workshop_id, before_wake)
        if self._publisher is None:
            return generation
        with self._lock:
            if workshop_id not in self._hints and len(self._hints) >= MAX_PENDING_HINTS:
                self.hints_dropped += 1
                return generation
            self._hints[workshop_id] = None
            self._hints_ready.notify()
        return generation

    def _publish_hints(self) -> None:
        while True:
            with self._lock:
                while not self._hints and not self._stopping:
                    self._hints_ready.wait()
                if self._stopping:
                    return
                workshop_id = next(iter(self._hints))
                del self._hints[workshop_id]
            try:
                self._publisher.publish(f"{self._prefix}{workshop_id}", "1")
            except Exception as error:  # a lost hint only delays streams to their time-out
                with self._lock:
                    self.hints_dropped += 1
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

    @property
    def degraded(self) -> bool:
        """Redis is configured but the subscription is down: other workers' changes arrive
        only when a stream looks at the log itself, so streams should poll."""
        return self._redis_url is not None and not self.subscribed.is_set()

    def _wake_all_here(self) -> None:
        with self._lock:
            workshops = list(self._waiters)
        for workshop_id in workshops:
            self._wake_here(workshop_id)

    def _wake_here(self, workshop_id: int, before_wake: Callable[[int], None] | None = None) -> int:
        with self._lock:
            self._generations[workshop_id] += 1
            generation = self._generations[workshop_id]
            waiters = list(self._waiters.get(workshop_id, ()))
        if before_wake is not None:
            before_wake(generation)
        for loop, event in waiters:
            # A loop already closed (a test's, or at shutdown) has nobody left to wake.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(event.set)
        return generation

    async def _listen(self) -> None:
        import redis.asyncio as aioredis

        while True:
            # The socket time-out bounds every reply we wait for (a paused Redis sends none);
            # reading messages passes its own shorter time-out and just finds none.
            client = aioredis.Redis.from_url(
                self._redis_url or "",
                socket_connect_timeout=PUBLISH_TIMEOUT,
                socket_timeout=LIVENESS,
            )
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.psubscribe(f"{self._prefix}*")
                    self.subscribed.set()
                    # Hints sent while we were away are lost: wake every stream here once,
                    # so each re-reads the log instead of waiting for its keep-alive.
                    self._wake_all_here()
                    await self._relay(pubsub)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # reconnect: streams poll the log meanwhile
                task = asyncio.current_task()
                if task is not None and task.cancelling():
                    # redis-py turns a cancelled read into its TimeoutError: stop anyway.
                    raise asyncio.CancelledError from error
                self.subscribed.clear()
                log.warning("redis listener reconnecting after: %r", error)
                await asyncio.sleep(1.0)
            finally:
                self.subscribed.clear()
                with contextlib.suppress(Exception):
                    await client.aclose()

    async def _relay(self, pubsub: Any) -> None:
        # A paused Redis keeps the socket open and says nothing, so silence is not proof of
        # health: ping when quiet, and give up (degrade to polling) when even that goes
        # unanswered for LIVENESS seconds.
        loop_time = asyncio.get_running_loop().time
        last_heard = loop_time()
        pinged = False
        while True:
            message = await pubsub.get_message(timeout=0.5)
            now = loop_time()
            if message is not None:
                last_heard, pinged = now, False
                if message.get("type") == "pmessage":
                    suffix = message["channel"].decode().removeprefix(self._prefix)
                    if suffix.isdigit():
                        self._wake_here(int(suffix))
                continue
            if now - last_heard > LIVENESS:
                raise TimeoutError(f"redis said nothing for {LIVENESS:.0f} s, not even a pong")
            if not pinged and now - last_heard > LIVENESS / 2:
                await pubsub.ping()
                pinged = True
