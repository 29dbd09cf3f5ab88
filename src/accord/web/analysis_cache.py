"""One analysis per case revision, shared by the dashboard, the report and the JSON view.

The key is the SHA-256 of the case as analysed: its file text parsed, with the inputs
stakeholders gave through links merged in, and its analysis settings (part of the case), so
a new upload, a new submission or a settings change is a new key and nothing needs to be
invalidated by hand.  It also keeps rendered reports (keys prefixed ``report:``, as
:mod:`accord.web.analysis_jobs` stores them).  The cache is bounded (``DEFAULT_SIZE``
entries, least recently used dropped first) and per process.  Analyses are not modified
after they are made, so one object can serve several requests at once.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from accord.analysis.sections import Analysis
    from accord.model.case import Case

DEFAULT_SIZE = 32

In = TypeVar("In")
Out = TypeVar("Out")


def revision_key(case: Case) -> str:
    """The cache key of ``case`` as it will be analysed."""
    return hashlib.sha256(case.model_dump_json().encode("utf-8")).hexdigest()


def analyze_case(case: Case) -> Analysis:
    # Imported at call time: the analysis modules load only when first needed.
    from accord.analysis.analyze import analyze

    return analyze(case)


class AnalysisCache(Generic[In, Out]):
    """``get(key, case)`` computes ``compute(case)`` the first time ``key`` is asked for."""

    def __init__(self, size: int, compute: Callable[[In], Out]) -> None:
        if size < 1:
            raise ValueError("the analysis cache needs room for at least one entry")
        self._size = size
        self._compute = compute
        self._entries: OrderedDict[str, Out] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, case: In) -> Out:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        # Computed outside the lock: one slow analysis must not hold up cached views.  Two
        # requests for the same new key may both compute it; the results are equal.  (The
        # web views go through accord.web.analysis_jobs, which computes each key once.)
        result = self._compute(case)
        self.put(key, result)
        return result

    def peek(self, key: str) -> Out | None:
        """The entry for ``key`` (now the most recently used), or None: nothing computed."""
        with self._lock:
            if key not in self._entries:
                return None
            self._entries.move_to_end(key)
            return self._entries[key]

    def put(self, key: str, value: Out) -> None:
        """Keep ``value`` under ``key``, dropping the least recently used beyond the size."""
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
