"""Charts drawn in worker processes are the same bytes as charts drawn in this process."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from accord.analysis.sections import Analysis
from accord.report import render
from accord.report.chart_workers import ChartWorkers, draw_here
from accord.report.html import chart_jobs
from accord.report.view import build

ROOT = Path(__file__).resolve().parents[2]


def test_workers_draw_the_same_page_as_this_process(analysis: Analysis) -> None:
    # A fresh interpreter (single thread, no numpy yet) is where the CLI forks its workers;
    # this pytest process has numpy loaded, so it draws in-process and is the reference.
    script = textwrap.dedent(
        """
        import datetime, json, sys
        from accord.report.chart_workers import ChartWorkers
        if __name__ == "__main__":
            with ChartWorkers() as workers:
                forked = workers._pool is not None
                from accord.analysis.analyze import analyze
                from accord.analysis.settings import AnalysisSettings
                from accord.io.case_file import load_case
                from accord.report import render
                case = load_case("examples/personalisation-privacy.yaml")
                today = datetime.date.fromisoformat(sys.stdin.read().strip())
                analysis = analyze(case, settings=AnalysisSettings(today=today))
                page = render(analysis, "html", workers.draw)
            sys.stdout.write(json.dumps({"forked": forked, "page": page}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=analysis.provenance.generated_for,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=120,
    )
    result = json.loads(done.stdout)
    if sys.platform.startswith("linux"):
        assert result["forked"], "the workers should start on Linux"
    assert result["page"] == render(analysis, "html")
    assert result["page"].count("<svg") >= 7


def test_workers_stay_off_in_a_process_that_already_loaded_numpy() -> None:
    import numpy  # noqa: F401  (this process has it; forking it could copy BLAS threads)

    with ChartWorkers() as workers:
        assert workers._pool is None
        assert workers.draw({"gauge": ("alignment_gauge", (72.0,))}) == draw_here(
            {"gauge": ("alignment_gauge", (72.0,))}
        )


def test_chart_jobs_name_functions_that_exist(analysis: Analysis) -> None:
    from accord.report import charts

    jobs = chart_jobs(build(analysis))
    assert set(jobs) == {
        "gauge",
        "weights",
        "utilities",
        "tornado",
        "stability",
        "scenarios",
        "pareto",
        "opinion",
    }
    assert all(callable(getattr(charts, name)) for name, _ in jobs.values())


def test_markdown_needs_no_charts(analysis: Analysis) -> None:
    assert "<svg" not in str(render(analysis, "md"))


def test_a_chart_that_fails_in_the_fork_is_reported_not_lost() -> None:
    # In a fresh interpreter, as the worker would be: the fork draws every second job.
    script = textwrap.dedent(
        """
        from accord.report.chart_workers import _draw_split, _import_charts
        _import_charts()
        try:
            _draw_split([("alignment_gauge", (50.0,)), ("no_such_chart", ())])
        except RuntimeError as error:
            print(error)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert "a chart failed to draw in the fork: AttributeError" in done.stdout
