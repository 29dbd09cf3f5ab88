"""One writer per live workshop: commands queue, and are committed in groups.

A room of 500 people submitting at once used to be 500 transactions fighting for one
lock: each waited in the thread pool, then in SQLite's busy handler, while the lock sat
idle between holders.  Here each workshop has a queue; whichever thread finds it idle
drains it in batches of up to :data:`MAX_BATCH` commands, each batch one transaction (one
lock, one insert, one commit, one fsync), then answers every command of the batch.  A
full queue refuses new commands at once (:class:`Overloaded`, answered 503 with
Retry-After) instead of letting requests pile up.

On SQLite the whole database has one write lock, so this process's writers (and joins)
also take :func:`sqlite_write_lock` first: they queue in memory, never in SQLite's busy
handler.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from accord import workshop as rules
from accord.store import Store

#: Commands judged and committed in one transaction, at most.
MAX_BATCH = 200
#: Threads committing batches (one workshop is drained by one thread at a time).
WRITER_THREADS = 4
#: What a refused client is told to wait before retrying, in seconds.
RETRY_AFTER_SECONDS = 1

_sqlite_lock = threading.Lock()


class Overloaded(Exception):
    """The workshop's command queue is full: try again after ``retry_after`` seconds."""

    def __init__(self, waiting: int, retry_after: int = RETRY_AFTER_SECONDS) -> None:
        super().__init__(
            f"this workshop is busy ({waiting} commands waiting): send it again in {retry_after} s"
        )
        self.retry_after = retry_after


@dataclass
class Command:
    """One submitted command, answered through ``future`` once its batch committed."""

    actor: str
    kind: str
    payload: Mapping[str, Any]
    key: str | None = None
    token_id: int | None = None  # the participant's link: checked live in the batch
    future: Future[rules.WorkshopState] = field(default_factory=Future)


Committer = Callable[[int, list[Command]], None]


class CommandQueue:
    """Per-workshop queues of commands, each drained by one thread at a time."""

    def __init__(self, commit: Committer, limit: int, max_batch: int = MAX_BATCH) -> None:
        if limit < 1 or max_batch < 1:
            raise ValueError("limit and max_batch must be at least 1")
        self._commit = commit
        self.limit = limit
        self.max_batch = max_batch
        self._queues: dict[int, deque[Command]] = {}
        self._draining: set[int] = set()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(WRITER_THREADS, thread_name_prefix="accord-writer")
        self.batches = 0  # transactions committed or failed (tests and benchmarks count)
        self.refused = 0  # commands refused with Overloaded

    def submit(self, workshop_id: int, command: Command) -> Future[rules.WorkshopState]:
        """Queue ``command``; raises :class:`Overloaded` (nothing queued) when full."""
        with self._lock:
            queue = self._queues.setdefault(workshop_id, deque())
            if len(queue) >= self.limit:
                self.refused += 1
                raise Overloaded(len(queue))
            queue.append(command)
            start = workshop_id not in self._draining
            if start:
                self._draining.add(workshop_id)
        if start:
            self._pool.submit(self._drain, workshop_id)
        return command.future

    def waiting(self, workshop_id: int) -> int:
        with self._lock:
            return len(self._queues.get(workshop_id, ()))

    def _drain(self, workshop_id: int) -> None:
        while True:
            with self._lock:
                queue = self._queues.get(workshop_id)
                if not queue:
                    self._draining.discard(workshop_id)
                    self._queues.pop(workshop_id, None)
                    return
                batch = [queue.popleft() for _ in range(min(self.max_batch, len(queue)))]
            try:
                self._commit(workshop_id, batch)
            except BaseException as error:  # nothing of the batch was stored: tell each
                for command in batch:
                    if not command.future.done():
                        command.future.set_exception(error)
            finally:
                with self._lock:
                    self.batches += 1

    def close(self) -> None:
        self._pool.shutdown(wait=True)


@contextlib.contextmanager
def sqlite_write_lock(store: Store) -> Iterator[None]:
    """On SQLite, this process's one write lock (held around a writing transaction)."""
    if store.engine.dialect.name != "sqlite":
        yield
        return
    with _sqlite_lock:
        yield
