"""Sign-in throttling and a bound on concurrent password hashes (one per process).

Failed sign-ins are counted per account (the normalised email) and per client address.
Once a key reaches its limit it is locked, and every further failure doubles the lock
(exponential back-off, capped), so 200 guesses cost hours instead of seconds.  While a key
is locked every sign-in for it is refused *before* the password is checked, the right
password too (otherwise the lock-out would still tell a guesser when they were right).
A success clears the account's count.  The table of keys is bounded (least recently used
keys are forgotten), so a flood of new addresses cannot grow memory without end.

argon2id costs tens of MB and tens of ms per hash; ``HashSlots`` lets only a few run at once
and answers the rest at once (503) instead of queueing them behind the thread pool.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class _Record:
    failures: int = 0
    locked_until: float = 0.0
    last: float = 0.0


@dataclass(frozen=True)
class Limit:
    """``failures`` in a row lock a key for ``lock_seconds``, doubled on each further failure
    up to ``max_lock_seconds``; a key unused for ``forget_seconds`` starts afresh."""

    failures: int
    lock_seconds: float = 60.0
    max_lock_seconds: float = 3600.0
    forget_seconds: float = 24 * 3600.0


class SignInThrottle:
    """Failure counts per key with exponential lock-out (thread-safe, in memory)."""

    def __init__(
        self,
        max_keys: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._records: OrderedDict[str, _Record] = OrderedDict()
        self._max_keys = max_keys
        self._clock = clock
        self._lock = threading.Lock()

    def retry_after(self, keys: dict[str, Limit]) -> int:
        """Seconds until every key in ``keys`` may try again (0: now)."""
        now = self._clock()
        with self._lock:
            wait = 0.0
            for key, limit in keys.items():
                record = self._fresh(key, limit, now)
                if record is not None:
                    wait = max(wait, record.locked_until - now)
        return math.ceil(wait) if wait > 0 else 0

    def failed(self, keys: dict[str, Limit]) -> None:
        now = self._clock()
        with self._lock:
            for key, limit in keys.items():
                record = self._fresh(key, limit, now) or _Record()
                record.failures += 1
                record.last = now
                over = record.failures - limit.failures
                if over >= 0:
                    lock = min(limit.lock_seconds * 2**over, limit.max_lock_seconds)
                    record.locked_until = now + lock
                self._records[key] = record
                self._records.move_to_end(key)
            while len(self._records) > self._max_keys:
                self._records.popitem(last=False)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._records.pop(key, None)

    def __len__(self) -> int:
        return len(self._records)

    def _fresh(self, key: str, limit: Limit, now: float) -> _Record | None:
        record = self._records.get(key)
        if record is None:
            return None
        if now - record.last > limit.forget_seconds and now >= record.locked_until:
            del self._records[key]
            return None
        return record


class HashSlots:
    """At most ``size`` password checks at once; :meth:`take` yields ``False`` when full."""

    def __init__(self, size: int) -> None:
        self._slots = threading.BoundedSemaphore(size)

    @contextmanager
    def take(self) -> Iterator[bool]:
        got = self._slots.acquire(blocking=False)
        try:
            yield got
        finally:
            if got:
                self._slots.release()
