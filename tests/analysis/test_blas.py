"""analyze() runs BLAS on one thread and gives the thread pool back afterwards."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from accord.analysis.blas import one_blas_thread


def _blas_threads() -> list[int]:
    return [int(pool["num_threads"]) for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_one_blas_thread_limits_inside_and_restores_after() -> None:
    np.ones((2, 2)) @ np.ones((2, 2))  # make sure numpy's BLAS is loaded
    before = _blas_threads()
    assert before, "numpy's BLAS should be visible to threadpoolctl"
    with one_blas_thread():
        assert _blas_threads() == [1] * len(before)
    assert _blas_threads() == before


EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "growth-vs-margin.yaml"


def test_analyze_runs_inside_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    import accord.analysis.analyze as orchestration
    from accord.io.case_file import load_case

    seen: list[list[int]] = []
    original = orchestration._analyze

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(_blas_threads())
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(orchestration, "_analyze", spy)
    orchestration.analyze(load_case(EXAMPLE))
    assert seen and all(n == 1 for n in seen[0])
