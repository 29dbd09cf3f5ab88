"""Analyses and reports computed off the request path, by a bounded background worker.

A view whose analysis (or report) is not cached asks for a *job* and waits for it a short
while (``Settings.analysis_wait_seconds``): a small case is done by then and the page shows
it at once; a large one gets a "computing…" page that polls the job's progress.  At most
``workers`` jobs compute at once per process and at most ``queue`` more wait; a request
that would queue beyond that answers 503 with ``Retry-After`` (:class:`AnalysisBusy`).

Jobs run in a child process by default, so a long analysis holds neither the server's GIL
(other requests keep their speed) nor the CPU after its audience left: a job no request
asked about for ``abandon_seconds`` is cancelled (queued: dropped; running: its process is
killed and a fresh one serves the next job), and one computing longer than ``max_seconds``
is stopped with an error that says so (:class:`AnalysisStopped`).  With
``processes=False`` jobs run on the worker threads instead (tests, and hosts that cannot
start processes); a running job can then only finish.  Two requests for one key share one
job, and a finished result goes into the :class:`~accord.web.analysis_cache.AnalysisCache`.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any, ClassVar

from accord.errors import AccordError
from accord.web.analysis_cache import AnalysisCache

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from accord.analysis.sections import Analysis
    from accord.model.case import Case

log = logging.getLogger(__name__)

# Weight of the newest job in the running estimate of seconds per unit of case size.
RATE_SMOOTHING = 0.5
# How often a worker looks at a running job (abandoned? over time? a result?).
CHECK_SECONDS = 0.25
# How much nicer than the server an analysis process runs (0 = same priority, 19 = least).
CHILD_NICENESS = 10


class AnalysisBusy(AccordError):
    """Every worker is busy and the queue is full: come back in ``retry_after`` seconds."""

    http_status: ClassVar[int] = 503
    kind: ClassVar[str] = "busy"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AnalysisStopped(AccordError):
    """A job ran past the time limit (or its process died) and was stopped."""

    http_status: ClassVar[int] = 503
    kind: ClassVar[str] = "analysis_stopped"


@dataclass(frozen=True)
class Progress:
    """Where a job stands, for the "computing…" page and ``analysis.json``."""

    state: str  # "queued" or "running"
    ahead: int  # jobs that start before this one (queued only)
    elapsed: float  # seconds computing so far
    expected: float | None  # seconds the whole job should take, from this process's past

    @property
    def percent(self) -> int | None:
        """Estimated share done, never 100 before the job is (None: no estimate yet)."""
        if self.state != "running" or not self.expected:
            return None
        return min(95, round(100 * self.elapsed / self.expected))

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": "computing",
            "state": self.state,
            "ahead": self.ahead,
            "elapsed_s": round(self.elapsed, 1),
            "expected_s": None if self.expected is None else round(self.expected, 1),
            "percent": self.percent,
        }


def case_size(case: Case) -> int:
    """Units of work the estimate scales with: options × stakeholders × criteria."""
    return max(1, len(case.options)) * max(1, len(case.stakeholders)) * max(1, len(case.criteria))


def analysis_task(case: Case) -> Analysis:
    """What an analysis job computes (a module-level function, so a child can run it):
    with the ``accord[semantic]`` model when installed, as ``accord analyze`` does."""
    from accord.analysis.analyze import analyze
    from accord.io.case_meaning import meaning_options

    return analyze(case, **meaning_options(case))


def report_task(analysis: Analysis) -> str:
    """What a report job computes: the HTML report of an analysis."""
    from accord.report import render

    return str(render(analysis, "html"))


@dataclass(eq=False)
class _Job:
    key: str
    task: Callable[[Any], Any]
    argument: Any
    size: int
    asked_at: float  # the last time a request asked about it
    state: str = "queued"
    started_at: float = 0.0
    result: Any = None
    error: AccordError | None = None
    done: threading.Event = field(default_factory=threading.Event)


class AnalysisJobs:
    """The process's analysis worker; see the module docstring."""

    def __init__(
        self,
        cache: AnalysisCache[Any, Any],
        *,
        workers: int = 1,
        queue: int = 4,
        abandon_seconds: float = 15.0,
        max_seconds: float = 600.0,
        processes: bool = True,
        analyze: Callable[[Case], Analysis] = analysis_task,
        report: Callable[[Analysis], str] = report_task,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if workers < 1 or queue < 0:
            raise ValueError("the analysis worker needs at least one worker and a queue >= 0")
        self.cache = cache
        self.workers = workers
        self.queue_size = queue
        self.abandon_seconds = abandon_seconds
        self.max_seconds = max_seconds
        self.processes = processes
        self._analyze = analyze
        self._report = report
        self._clock = clock
        self._jobs: dict[str, _Job] = {}
        self._queue: deque[_Job] = deque()
        self._lock = threading.Condition()
        self._threads: list[threading.Thread] = []
        self._children: list[_Child] = []
        # Seconds per unit of case size, per kind of job ("analysis", "report").
        self._rates: dict[str, float] = {}
        self._stopping = False
        #: Jobs cancelled because nobody asked about them (tests and operators read it).
        self.cancelled = 0

    # --- what views call ---------------------------------------------------------------

    def analysis(self, key: str, case: Case, wait: float) -> Analysis | Progress:
        """The analysis for cache key ``key``, or the progress of the job computing it."""
        found: Analysis | Progress = self._ask(
            "analysis:" + key, self._analyze, case, case_size(case), wait
        )
        return found

    def report(self, key: str, analysis: Analysis, size: int, wait: float) -> str | Progress:
        """The HTML report for ``key``, or the progress of the job rendering it."""
        found: str | Progress = self._ask("report:" + key, self._report, analysis, size, wait)
        return found

    def child_pids(self) -> list[int]:
        """The ids of the live child processes (for operators and tests)."""
        with self._lock:
            return [pid for child in self._children if (pid := child.pid) is not None]

    def start(self) -> None:
        """Start the workers now (else at the first job), so a child process is ready."""
        with self._lock:
            self._start_workers()

    def stop(self) -> None:
        """End the workers and their child processes (the app's shutdown)."""
        with self._lock:
            self._stopping = True
            self._lock.notify_all()
        for thread in self._threads:
            thread.join(timeout=5)
        for child in self._children:
            child.kill()

    # --- the queue ---------------------------------------------------------------------

    def _ask(
        self, key: str, task: Callable[[Any], Any], argument: Any, size: int, wait: float
    ) -> Any:
        hit = self.cache.peek(key)
        if hit is not None:
            return hit
        with self._lock:
            job = self._jobs.get(key)
            if job is None:
                if len(self._queue) >= self.queue_size + self._idle_workers():
                    raise AnalysisBusy(
                        f"the server is computing {self.workers} analyses and "
                        f"{len(self._queue)} more are waiting: try again in a moment",
                        retry_after=self._retry_after(),
                    )
                job = _Job(key, task, argument, size, self._clock())
                self._jobs[key] = job
                self._queue.append(job)
                self._start_workers()
                self._lock.notify()
            job.asked_at = self._clock()
        if wait > 0:
            job.done.wait(wait)
        with self._lock:
            job.asked_at = self._clock()
            if not job.done.is_set():
                return self._progress(job)
            if self._jobs.get(key) is job:
                self._jobs.pop(key)  # a failure is reported once; the next ask tries again
        if job.error is not None:
            raise job.error
        return job.result

    def _idle_workers(self) -> int:
        running = sum(1 for job in self._jobs.values() if job.state == "running")
        return max(0, self.workers - running)

    def _expected(self, job: _Job) -> float | None:
        """Seconds ``job`` should take, from this process's earlier jobs of its kind."""
        rate = self._rates.get(_kind(job))
        return None if rate is None else rate * job.size

    def _retry_after(self) -> int:
        """Seconds until the first running job should end (5 with no estimate yet)."""
        now = self._clock()
        left = [
            expected - (now - job.started_at)
            for job in self._jobs.values()
            if job.state == "running" and (expected := self._expected(job)) is not None
        ]
        return max(1, min(60, round(min(left)))) if left else 5

    def _progress(self, job: _Job) -> Progress:
        expected = self._expected(job)
        if job.state == "queued":
            ahead = next((i for i, queued in enumerate(self._queue) if queued is job), 0)
            running = self.workers - self._idle_workers()
            return Progress("queued", ahead + running, 0.0, expected)
        return Progress("running", 0, self._clock() - job.started_at, expected)

    def _start_workers(self) -> None:
        while len(self._threads) < self.workers and not self._stopping:
            child = _Child() if self.processes else None
            if child is not None:
                self._children.append(child)
            thread = threading.Thread(
                target=self._work, args=(child,), name="accord-analysis", daemon=True
            )
            self._threads.append(thread)
            thread.start()

    def _abandoned(self, job: _Job) -> bool:
        return self._clock() - job.asked_at > self.abandon_seconds

    def _work(self, child: _Child | None) -> None:
        if child is not None:
            try:
                child.ensure()  # start the process before the first job needs it
            except Exception:  # each job tries again, and fails with a message if it must
                log.exception("could not start an analysis process")
        while True:
            with self._lock:
                while not self._queue and not self._stopping:
                    self._lock.wait()
                if self._stopping:
                    return
                job = self._queue.popleft()
                if self._abandoned(job):
                    self._cancel(job)
                    continue
                job.state, job.started_at = "running", self._clock()
            try:
                job.result = self._run(child, job)
            except _Cancelled:
                with self._lock:
                    self._cancel(job)
                continue
            except AccordError as error:
                job.error = error
            except Exception:  # a bug in the analysis: logged, and a 500 for the viewer
                log.exception("analysis job %s failed", job.key)
                job.error = AnalysisStopped("the analysis failed on the server; it was logged")
            self._finish(job)

    def _run(self, child: _Child | None, job: _Job) -> Any:
        if child is None:
            return job.task(job.argument)
        child.send(job.task, job.argument)
        while True:
            answer = child.poll(CHECK_SECONDS)
            if answer is not None:
                ok, value = answer
                if ok:
                    return value
                log.error("analysis job %s failed in its process:\n%s", job.key, value)
                raise AnalysisStopped("the analysis failed on the server; it was logged")
            with self._lock:
                abandoned, stopping = self._abandoned(job), self._stopping
            elapsed = self._clock() - job.started_at
            if abandoned or stopping:
                child.kill()  # the next job gets a fresh process
                raise _Cancelled
            if elapsed > self.max_seconds:
                child.kill()
                raise AnalysisStopped(
                    f"the analysis of this case took over {self.max_seconds:.0f} s, the "
                    "server's limit (ACCORD_ANALYSIS_MAX_SECONDS), and was stopped: run "
                    "`accord analyze` on the file, or split the case into smaller decisions"
                )

    def _finish(self, job: _Job) -> None:
        elapsed = self._clock() - job.started_at
        with self._lock:
            if job.error is None:
                self.cache.put(job.key, job.result)
                rate, before = elapsed / job.size, self._rates.get(_kind(job))
                self._rates[_kind(job)] = (
                    rate
                    if before is None
                    else RATE_SMOOTHING * rate + (1 - RATE_SMOOTHING) * before
                )
                self._jobs.pop(job.key, None)
            job.done.set()

    def _cancel(self, job: _Job) -> None:
        """Drop ``job`` (the lock is held): nobody is waiting for it."""
        self.cancelled += 1
        if self._jobs.get(job.key) is job:
            self._jobs.pop(job.key)
        job.error = AnalysisStopped("the analysis was stopped: nobody was waiting for it")
        job.done.set()


def _kind(job: _Job) -> str:
    return job.key.partition(":")[0]


class _Cancelled(Exception):
    pass


class _Child:
    """One long-lived child process that runs jobs sent to it over a pipe."""

    def __init__(self) -> None:
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None

    def ensure(self) -> Connection:
        if self._process is None or not self._process.is_alive() or self._conn is None:
            # "spawn": a fresh interpreter, never a fork of a server that runs threads.
            context = multiprocessing.get_context("spawn")
            ours, theirs = context.Pipe()
            process = context.Process(
                target=_serve, args=(theirs,), name="accord-analysis", daemon=True
            )
            process.start()
            theirs.close()
            self._process, self._conn = process, ours
        return self._conn

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def send(self, task: Callable[[Any], Any], argument: Any) -> None:
        self.ensure().send((task, argument))

    def poll(self, timeout: float) -> tuple[bool, Any] | None:
        assert self._conn is not None and self._process is not None
        try:
            if self._conn.poll(timeout):
                answer: tuple[bool, Any] = self._conn.recv()
                return answer
        except (EOFError, OSError):
            pass
        else:
            if self._process.is_alive():
                return None
        code = self._process.exitcode
        self.kill()
        raise AnalysisStopped(f"the analysis process ended unexpectedly (exit code {code})")

    def kill(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join(timeout=5)
        if self._conn is not None:
            self._conn.close()
        self._process, self._conn = None, None


def _serve(conn: Connection) -> None:
    """The child's loop: run each (task, argument) received and send back the outcome."""
    # A lower CPU priority than the server's: when cores are short, requests go first and
    # the analysis takes what is left (POSIX nice; a no-op where it is not supported).
    with contextlib.suppress(AttributeError, OSError):
        os.nice(CHILD_NICENESS)
    import accord.analysis.analyze  # noqa: F401  (loaded once, before the first job)
    from accord.io.semantic import meaning_unless_off

    meaning_unless_off()  # the meaning model too (once per process; words only without it)

    while True:
        try:
            task, argument = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        try:
            answer: tuple[bool, Any] = (True, task(argument))
        except Exception:
            answer = (False, traceback.format_exc())
        try:
            conn.send(answer)
        except (BrokenPipeError, OSError):
            return
