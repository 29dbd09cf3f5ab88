"""Analyses off the request path: bounded, shared per key, cancelled when nobody waits,
and a slow one does not hold up other cases' pages.

Waiting here is for events (a job started, a job ended), never for a time: slow analyses
are computes that block until the test releases them, and the clock that decides when a
job is abandoned or over its limit is the test's own.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.web.conftest import EXAMPLES, IN_TEST_ANALYSES, Web, running_web
from tests.web.test_cases import upload

from accord.analysis.analyze import analyze
from accord.io.case_file import load_case
from accord.io.case_meaning import meaning_options
from accord.model.case import Case
from accord.web.analysis_cache import AnalysisCache
from accord.web.analysis_jobs import (
    CHILD_NICENESS,
    AnalysisBusy,
    AnalysisJobs,
    AnalysisStopped,
    Progress,
    analysis_task,
)
from accord.web.settings import Settings

GROWTH = load_case(EXAMPLES / "growth-vs-margin.yaml")
BUDGET = load_case(EXAMPLES / "budget-workshop.yaml")
CAMPAIGN = load_case(EXAMPLES / "campaign-charter.yaml")


class Gate:
    """A compute that, for the case ids in ``held``, blocks until released; it counts calls."""

    def __init__(self, *held: str) -> None:
        self.held = set(held)
        self.started = threading.Event()
        self.release = threading.Event()
        self.calls: list[str] = []

    def __call__(self, case: Case) -> Any:
        self.calls.append(case.id)
        if case.id in self.held:
            self.started.set()
            assert self.release.wait(120), "the test never released the analysis"
        return analysis_task(case)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def until(condition: Callable[[], bool], what: str) -> None:
    """Wait for ``condition`` (a background thread or process to act), failing after long."""
    for _ in range(2400):
        if condition():
            return
        time.sleep(0.05)  # yielding to the worker, not measuring anything
    raise AssertionError(f"gave up waiting for {what}")


def jobs_with(gate: Callable[[Case], Any], **options: Any) -> AnalysisJobs:
    options.setdefault("processes", False)
    return AnalysisJobs(AnalysisCache(8, analysis_task), analyze=gate, **options)


# --- the worker --------------------------------------------------------------------------


@pytest.mark.parametrize(("queue", "third_waits"), [(1, False), (2, True)])
def test_the_queue_bound_answers_busy_beyond_it(queue: int, third_waits: bool) -> None:
    gate = Gate(GROWTH.id)
    jobs = jobs_with(gate, workers=1, queue=queue)
    try:
        assert isinstance(jobs.analysis("a", GROWTH, wait=0), Progress)
        assert gate.started.wait(60)
        waiting = jobs.analysis("b", BUDGET, wait=0)
        assert isinstance(waiting, Progress) and waiting.state == "queued"
        assert waiting.ahead == 1  # the running job
        if third_waits:
            assert isinstance(jobs.analysis("c", CAMPAIGN, wait=0), Progress)
        else:
            with pytest.raises(AnalysisBusy, match="try again") as busy:
                jobs.analysis("c", CAMPAIGN, wait=0)
            assert busy.value.http_status == 503 and busy.value.retry_after >= 1
    finally:
        gate.release.set()
        jobs.stop()


def test_one_key_is_one_job_and_its_result_is_cached() -> None:
    gate = Gate(GROWTH.id)
    jobs = jobs_with(gate)
    try:
        first = jobs.analysis("a", GROWTH, wait=0)
        second = jobs.analysis("a", GROWTH, wait=0)
        assert isinstance(first, Progress) and isinstance(second, Progress)
        gate.release.set()
        done = jobs.analysis("a", GROWTH, wait=120)
        assert not isinstance(done, Progress)
        assert done.to_dict() == analyze(GROWTH, **meaning_options(GROWTH)).to_dict()
        assert jobs.analysis("a", GROWTH, wait=0) is done  # from the cache now
        assert gate.calls == [GROWTH.id]
    finally:
        jobs.stop()


def test_a_queued_job_nobody_asks_about_is_dropped_without_computing() -> None:
    gate, clock = Gate(GROWTH.id), Clock()
    jobs = jobs_with(gate, workers=1, queue=2, abandon_seconds=15, clock=clock)
    try:
        jobs.analysis("a", GROWTH, wait=0)
        assert gate.started.wait(60)
        jobs.analysis("b", BUDGET, wait=0)  # queued, then its page is closed
        clock.now += 16
        jobs.analysis("a", GROWTH, wait=0)  # "a" is still being watched
        gate.release.set()
        until(lambda: jobs.cancelled == 1, "the abandoned job to be dropped")
        assert gate.calls == [GROWTH.id]
        # Someone asking again later starts it afresh.
        again = jobs.analysis("b", BUDGET, wait=120)
        assert not isinstance(again, Progress) and gate.calls == [GROWTH.id, BUDGET.id]
    finally:
        jobs.stop()


def test_a_job_asked_about_within_the_abandon_time_is_kept() -> None:
    gate, clock = Gate(GROWTH.id), Clock()
    jobs = jobs_with(gate, workers=1, queue=2, abandon_seconds=15, clock=clock)
    try:
        jobs.analysis("a", GROWTH, wait=0)
        assert gate.started.wait(60)
        jobs.analysis("b", BUDGET, wait=0)
        clock.now += 14  # asked 14 s ago: still somebody's page
        gate.release.set()
        assert not isinstance(jobs.analysis("b", BUDGET, wait=120), Progress)
        assert jobs.cancelled == 0 and gate.calls == [GROWTH.id, BUDGET.id]
    finally:
        jobs.stop()


@pytest.fixture
def child_imports_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    """A spawned child unpickles :func:`nap` by importing this module: let it find it."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2]))


def test_progress_is_estimated_from_the_jobs_before_it() -> None:
    clock = Clock()

    class Ticking(Gate):
        """Each held job "takes" 10 s of the test's clock."""

        def __call__(self, case: Case) -> Any:
            result = super().__call__(case)
            clock.now += 10
            return result

    gate = Ticking(GROWTH.id)
    jobs = jobs_with(gate, clock=clock)
    try:
        first = jobs.analysis("a", GROWTH, wait=0)
        assert isinstance(first, Progress) and first.expected is None  # nothing to go by
        gate.release.set()
        assert not isinstance(jobs.analysis("a", GROWTH, wait=120), Progress)
        gate.release.clear()
        gate.started.clear()
        jobs.analysis("b", GROWTH, wait=0)  # the same size, so 10 s expected
        assert gate.started.wait(60)
        clock.now += 4
        running = jobs.analysis("b", GROWTH, wait=0)
        assert isinstance(running, Progress) and running.state == "running"
        assert running.expected == pytest.approx(10) and running.percent == 40
        clock.now += 20  # late: the estimate never says done before it is
        late = jobs.analysis("b", GROWTH, wait=0)
        assert isinstance(late, Progress) and late.percent == 95
    finally:
        gate.release.set()
        jobs.stop()


def nap(case: Case) -> Any:
    """Run in the child process: "sleeps" for the growth case, analyses any other."""
    if case.id == GROWTH.id:
        time.sleep(3600)
    return analysis_task(case)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.usefixtures("child_imports_tests")
def test_a_running_job_nobody_waits_for_has_its_process_killed() -> None:
    clock = Clock()
    jobs = jobs_with(nap, processes=True, abandon_seconds=15, max_seconds=600, clock=clock)
    try:
        until(
            lambda: (
                isinstance(p := jobs.analysis("a", GROWTH, wait=0), Progress)
                and p.state == "running"
            ),
            "the job to start",
        )
        (pid,) = jobs.child_pids()
        assert alive(pid)
        # The analysis runs at a lower CPU priority than the server, so requests go first.
        ours = os.getpriority(os.PRIO_PROCESS, 0)
        until(
            lambda: os.getpriority(os.PRIO_PROCESS, pid) == min(19, ours + CHILD_NICENESS),
            "the child process to lower its priority",
        )
        clock.now += 16  # every page that asked was closed
        until(lambda: jobs.cancelled == 1, "the abandoned job to be cancelled")
        until(lambda: not alive(pid), "the child process to end")
        # A fresh process computes the next job, the same analysis as in this process.
        done = jobs.analysis("b", BUDGET, wait=300)
        assert not isinstance(done, Progress)
        assert done.to_dict() == analyze(BUDGET, **meaning_options(BUDGET)).to_dict()
        assert jobs.child_pids() != [pid]
    finally:
        jobs.stop()


@pytest.mark.usefixtures("child_imports_tests")
def test_a_job_over_the_time_limit_is_stopped_with_a_message() -> None:
    clock = Clock()
    jobs = jobs_with(nap, processes=True, abandon_seconds=15, max_seconds=60, clock=clock)
    try:
        until(
            lambda: (
                isinstance(p := jobs.analysis("a", GROWTH, wait=0), Progress)
                and p.state == "running"
            ),
            "the job to start",
        )
        (pid,) = jobs.child_pids()
        clock.now += 59
        assert isinstance(jobs.analysis("a", GROWTH, wait=0), Progress)  # within the limit
        clock.now += 2  # 61 s computing, asked about just now
        with pytest.raises(AnalysisStopped, match="ACCORD_ANALYSIS_MAX_SECONDS"):
            until(lambda: not isinstance(jobs.analysis("a", GROWTH, wait=0), Progress), "stop")
        assert jobs.cancelled == 0
        until(lambda: not alive(pid), "the child process to end")
    finally:
        jobs.stop()


# --- the web views ---------------------------------------------------------------------


@pytest.fixture
def slow_web(tmp_path: Path) -> Iterator[tuple[Web, Gate]]:
    """An app whose views wait for no analysis, whose growth-vs-margin analysis blocks
    until released, with one worker and room for one queued job."""
    settings = Settings(
        secret_key="k" * 48,
        **{**IN_TEST_ANALYSES, "analysis_wait_seconds": 0.0, "analysis_queue": 1},
    )
    with running_web(tmp_path, settings=settings) as web:
        gate = Gate(GROWTH.id)
        app: Any = web.client.app
        app.state.analysis_jobs.stop()
        app.state.analysis_jobs = jobs_with(gate, workers=1, queue=1)
        try:
            yield web, gate
        finally:
            gate.release.set()
            app.state.analysis_jobs.stop()


def ready(web: Web, case_id: int) -> bool:
    polled = web.client.get(f"/cases/{case_id}/analysis/progress?view=dashboard")
    return polled.headers.get("HX-Refresh") == "true"


def test_a_case_not_yet_analysed_shows_computing_and_polls_until_ready(
    slow_web: tuple[Web, Gate],
) -> None:
    web, gate = slow_web
    web.sign_in()
    case_id = upload(web)
    page = web.client.get(f"/cases/{case_id}")
    assert page.status_code == 202 and "Computing…" in page.text
    # htmx polls the progress fragment: attributes only, no inline script (CSP-safe).
    assert f'hx-get="/cases/{case_id}/analysis/progress?view=dashboard"' in page.text
    assert 'hx-trigger="every 2s"' in page.text and "<script>" not in page.text
    assert page.headers["Retry-After"] == "2"
    assert gate.started.wait(60)
    fragment = web.client.get(f"/cases/{case_id}/analysis/progress?view=dashboard")
    assert fragment.status_code == 200 and "Computing…" in fragment.text
    assert "HX-Refresh" not in fragment.headers
    as_json = web.client.get(f"/cases/{case_id}/analysis.json")
    assert as_json.status_code == 202
    assert as_json.json()["status"] == "computing" and as_json.json()["state"] == "running"
    report = web.client.get(f"/cases/{case_id}/report")
    assert report.status_code == 202 and "view=report" in report.text
    gate.release.set()
    until(lambda: ready(web, case_id), "the analysis to finish")
    shown = web.client.get(f"/cases/{case_id}")
    assert shown.status_code == 200 and "Segment-targeted compromise" in shown.text
    assert gate.calls == [GROWTH.id]


@pytest.mark.parametrize(("queue", "third"), [(0, 503), (1, 202)])
def test_other_cases_are_answered_while_a_slow_analysis_runs(
    tmp_path: Path, queue: int, third: int
) -> None:
    settings = Settings(
        secret_key="k" * 48,
        **{**IN_TEST_ANALYSES, "analysis_wait_seconds": 0.0, "analysis_queue": queue},
    )
    gate = Gate(GROWTH.id)
    with running_web(tmp_path, settings=settings) as web:
        app: Any = web.client.app
        app.state.analysis_jobs.stop()
        app.state.analysis_jobs = jobs_with(gate, workers=1, queue=queue)
        try:
            web.sign_in()
            budget = upload(web, "budget-workshop.yaml")
            web.client.get(f"/cases/{budget}")
            until(lambda: ready(web, budget), "the budget case's analysis")
            web.client.get(f"/cases/{budget}/report")
            until(
                lambda: web.client.get(f"/cases/{budget}/report").status_code == 200,
                "the budget case's report",
            )
            growth = upload(web)
            assert web.client.get(f"/cases/{growth}").status_code == 202
            assert gate.started.wait(60)  # the slow analysis is running now
            # The analysed case answers in full from the cache, on every view.
            for path in ("", "/analysis.json", "/report"):
                assert web.client.get(f"/cases/{budget}{path}").status_code == 200, path
            # A third case is answered at once too: queued (202), or 503 when the queue is full.
            charter = upload(web, "campaign-charter.yaml")
            answered = web.client.get(f"/cases/{charter}")
            assert answered.status_code == third, answered.text
            if third == 503:
                assert int(answered.headers["Retry-After"]) >= 1
            assert gate.calls == [BUDGET.id, GROWTH.id]
        finally:
            gate.release.set()
            app.state.analysis_jobs.stop()


def test_settings_refuse_a_negative_queue_or_no_worker() -> None:
    base = Settings(secret_key="k" * 48)
    with pytest.raises(ValueError, match="analysis_workers"):
        dataclasses.replace(base, analysis_workers=0)
    with pytest.raises(ValueError, match="analysis_queue"):
        dataclasses.replace(base, analysis_queue=-1)
    environ = {"ACCORD_ANALYSIS_QUEUE": "0", "ACCORD_ANALYSIS_PROCESSES": "0"}
    read = Settings.from_environ({**environ, "ACCORD_SECRET_KEY": "k" * 48})
    assert read.analysis_queue == 0 and read.analysis_processes is False
