"""CPython's cyclic garbage collector set for a long-running server (``accord serve``).

With CPython's default thresholds (700, 10, 10) a server holding a live workshop of 500
participants ran a full collection every 1-3 s, each 200-320 ms on its heap (the modules,
templates and start-up objects it keeps for its whole life, and the rooms' boards); every
request in flight waited for it, which was the p99 of a submission
(``benchmarks/workshop_load.py``, measured with ``gc.callbacks``).  Each found a few hundred to
about a thousand objects in cycles (Jinja macro contexts, closed sockets), not the heap it
scanned.

Two settings, both from CPython's ``gc`` documentation:

- :func:`gc.freeze` once the app is built: what import and start-up created lives as long
  as the process, so it moves to the permanent generation and no collection scans it again.
- :data:`THRESHOLDS`: a young collection every 5,000 allocations instead of 700 (objects that
  live for one request are then mostly gone when it runs, so fewer are promoted to the older
  generations whose growth sets off full collections) and a full one after 100 middle
  collections instead of 10.  Cycles are still collected; the 25 % rule (a full collection
  also waits until a quarter of the old objects are new) still applies.

Only the serving process is changed: tests and the CLI's one-shot commands keep the defaults.
"""

from __future__ import annotations

import gc

#: (young, middle, full) collection thresholds for a serving process (``gc.set_threshold``).
THRESHOLDS = (5_000, 20, 100)


def tune_for_serving() -> None:
    """Freeze what exists now and raise the thresholds; call once, after the app is built."""
    gc.collect()  # garbage from start-up is freed, not frozen
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
