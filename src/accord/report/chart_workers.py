"""Draw a report's charts in worker processes that start while the analysis runs.

Matplotlib takes about 0.4 s to import and 50-70 ms per chart on the machines we measure,
which is most of a cold ``accord report``.  :class:`ChartWorkers` starts two worker
processes the moment the command starts: they import matplotlib (through
:mod:`accord.report.charts`) while the parent loads and analyses the case, then draw the
charts side by side.

The workers are *forked*, and only from a process with a single thread, before numpy is
imported: a fork copies no lock held by another thread and no BLAS thread pool, which is what
makes forking unsafe in general.  (A *forkserver* would avoid forking the parent, but the
parent then waits for the server to finish importing matplotlib: no overlap.)  Where forking
is not possible (no ``fork`` on the platform, other threads running, no semaphores in a
sandbox) or the report needs fewer than two charts, charts are drawn in this process: the
output is the same bytes either way (``tests/report/test_chart_workers.py``).
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from types import TracebackType
from typing import Any

#: A chart to draw: the name of a function in :mod:`accord.report.charts` and its arguments.
ChartJob = tuple[str, tuple[Any, ...]]
Draw = Callable[[Mapping[str, ChartJob]], dict[str, str]]

WORKERS = 2  # the machines this must be fast on have two cores


def draw_here(jobs: Mapping[str, ChartJob]) -> dict[str, str]:
    """Draw every chart in this process."""
    from accord.report import charts

    return {key: getattr(charts, name)(*args) for key, (name, args) in jobs.items()}


def _draw_one(job: ChartJob) -> str:
    from accord.report import charts

    name, args = job
    svg: str = getattr(charts, name)(*args)
    return svg


def _import_charts() -> None:
    import accord.report.charts  # noqa: F401  (the import is the point: it warms the worker)


def _ready() -> None:
    """A no-op task: submitting it starts the workers."""


class ChartWorkers:
    """Worker processes that draw charts; a context manager that always shuts them down.

    >>> with ChartWorkers(start=False) as workers:
    ...     workers.draw({}) == {}
    True
    """

    def __init__(self, *, start: bool = True) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._warming: list[Future[None]] = []
        if start:
            self._start()

    def _start(self) -> None:
        if "fork" not in multiprocessing.get_all_start_methods():
            return
        if threading.active_count() > 1 or "numpy" in sys.modules:
            return  # see the module docstring: fork only a single-threaded, BLAS-free process
        try:
            context = multiprocessing.get_context("fork")
            self._pool = ProcessPoolExecutor(
                max_workers=WORKERS, mp_context=context, initializer=_import_charts
            )
            # The first submission forks every worker now, before this process starts a thread.
            self._warming = [self._pool.submit(_ready)]
        except (OSError, ImportError, NotImplementedError):  # e.g. no semaphores here
            self._close()

    def draw(self, jobs: Mapping[str, ChartJob]) -> dict[str, str]:
        """Draw ``jobs`` (key -> chart), in the workers when there are two or more."""
        if self._pool is None or len(jobs) < 2:
            return draw_here(jobs)
        keys = list(jobs)
        return dict(zip(keys, self._pool.map(_draw_one, [jobs[k] for k in keys]), strict=True))

    def _close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> ChartWorkers:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._close()
