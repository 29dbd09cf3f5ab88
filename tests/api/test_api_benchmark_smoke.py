"""Smoke run of benchmarks/api.py at toy size: it starts the app on loopback in a child
process, sends generated requests to every operation and prints one JSON document."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_api_benchmark_quick_run_over_loopback_prints_json() -> None:
    run = subprocess.run(
        [sys.executable, "benchmarks/api.py", "--requests", "1", "--examples", "1"]
        + ["--reads", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout)
    assert report["server"].startswith("uvicorn on 127.0.0.1")
    # One example per operation and mode: at least one request to each of ~20 operations.
    assert report["requests"] >= 20, report["statuses"]
    assert (report["server_errors"], report["schema_violations"]) == (0, 0)
    assert 0 < report["latency_ms"]["p50"] <= report["latency_ms"]["p95"]
    assert len(report["load_average"]["before"]) == 3
    assert report["analysis_read_ms"]["statuses"]["api_etag_304"] == {"304": 2}
