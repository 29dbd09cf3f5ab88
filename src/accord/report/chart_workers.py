"""Draw a report's charts in worker processes that start while the analysis runs.

Matplotlib takes about 0.4 s to import and 50-70 ms per chart on the machines we measure,
which is most of a cold ``accord report``.  :class:`ChartWorkers` starts one worker process
the moment the command starts: it imports matplotlib (through :mod:`accord.report.charts`)
while the parent loads and analyses the case; when the charts are asked for, it forks once
and the two copies draw half the charts each.

Every fork here is of a single-threaded process without a BLAS thread pool (the parent before
it imports numpy; the worker, whose BLAS is held to one thread): a fork then copies no lock
held by another thread, which is what makes forking unsafe in general.  (A *forkserver*
would avoid forking the parent, but the parent then waits for the server to finish
importing matplotlib: no overlap.)  Where forking
is not possible (no ``fork`` on the platform, other threads running, no semaphores in a
sandbox) or the report needs fewer than two charts, charts are drawn in this process: the
output is the same bytes either way (``tests/report/test_chart_workers.py``).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from types import TracebackType
from typing import Any

#: A chart to draw: the name of a function in :mod:`accord.report.charts` and its arguments.
ChartJob = tuple[str, tuple[Any, ...]]
Draw = Callable[[Mapping[str, ChartJob]], dict[str, str]]

# One worker imports matplotlib; when the charts are asked for it forks once and the two
# copies draw half each (the machines this must be fast on have two cores).  Importing
# matplotlib once instead of twice leaves the parent, whose loading and analysis is the
# critical path, a core of its own while the worker warms up.
DRAWERS = 2


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
    # Charts need no BLAS threads, and without them the worker may fork safely later.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"
    import accord.report.charts  # noqa: F401  (the import is the point: it warms the worker)


def _draw_split(jobs: list[ChartJob]) -> list[str]:
    """Draw ``jobs`` in this worker and in one fork of it, every other job each.

    The worker is single-threaded with matplotlib already imported, so the fork starts
    drawing at once.  It returns its charts (or its error) pickled through a pipe.
    """
    if len(jobs) < DRAWERS or not hasattr(os, "fork"):
        return [_draw_one(job) for job in jobs]
    theirs = jobs[1::DRAWERS]
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the fork: draw, send, and leave without running the worker's exit code
        status = 0
        try:
            os.close(read)
            try:
                payload: tuple[str, Any] = ("ok", [_draw_one(job) for job in theirs])
            except BaseException as error:  # handed to the worker, which raises it
                payload = ("error", f"{type(error).__name__}: {error}")
            with os.fdopen(write, "wb") as out:
                pickle.dump(payload, out)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write)
    mine = [_draw_one(job) for job in jobs[0::DRAWERS]]
    with os.fdopen(read, "rb") as inp:
        data = inp.read()
    os.waitpid(pid, 0)
    if not data:
        raise RuntimeError("the chart drawing fork ended without sending its charts")
    kind, value = pickle.loads(data)
    if kind != "ok":
        raise RuntimeError(f"a chart failed to draw in the fork: {value}")
    drawn: list[str] = []
    for k in range(len(jobs)):
        drawn.append(mine[k // DRAWERS] if k % DRAWERS == 0 else value[k // DRAWERS])
    return drawn


def _ready() -> None:
    """A no-op task: submitting it starts the workers."""


class ChartWorkers:
    """A worker process that draws charts; a context manager that always shuts it down.

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
                max_workers=1, mp_context=context, initializer=_import_charts
            )
            # The first submission forks the worker now, before this process starts a thread.
            self._warming = [self._pool.submit(_ready)]
        except (OSError, ImportError, NotImplementedError):  # e.g. no semaphores here
            self._close()

    def draw(self, jobs: Mapping[str, ChartJob]) -> dict[str, str]:
        """Draw ``jobs`` (key -> chart), in the worker when there are two or more."""
        if self._pool is None or len(jobs) < 2:
            return draw_here(jobs)
        keys = list(jobs)
        drawn = self._pool.submit(_draw_split, [jobs[k] for k in keys]).result()
        return dict(zip(keys, drawn, strict=True))

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
