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
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from pydantic import BaseModel

    from accord.analysis.sections import Analysis
    from accord.model.case import Case

DEFAULT_SIZE = 32

In = TypeVar("In")
Out = TypeVar("Out")


def revision_key(case: Case) -> str:
    """The cache key of ``case`` as it will be analysed."""
    return hashlib.sha256(case.model_dump_json().encode("utf-8")).hexdigest()


def source_key(source_name: str, source_text: str, inputs: Mapping[str, BaseModel]) -> str:
    """The key of a stored case as parsed: its file and the inputs given through links.

    Parsing and validating a large case file costs more than rendering its dashboard (1.2 s
    for 300 options × 40 stakeholders), so views keep parsed cases under this key too.
    """
    digest = hashlib.sha256()
    for part in (
        source_name,
        source_text,
        *(f"{k}={v.model_dump_json()}" for k, v in inputs.items()),
    ):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def analyze_case(case: Case) -> Analysis:
    # Imported at call time: the analysis modules load only when first needed.
    from accord.analysis.analyze import analyze
    from accord.io.case_meaning import meaning_options

    # Texts compared by meaning as `accord analyze` compares them (the model loads once).
    return analyze(case, **meaning_options(case))


class AnalysisCache(Generic[In, Out]):
    """``get(key, case)`` computes ``compute(case)`` the first time ``key`` is asked for."""

    def __init__(self, size: int, compute: Callable[[In], Out] | None = None) -> None:
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
        if self._compute is None:
            raise TypeError("this cache has no compute function: use peek() and put()")
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
