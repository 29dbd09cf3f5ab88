"""Smoke run of benchmarks/analyze.py at toy size: it runs and prints one JSON document."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest


def test_analyze_benchmark_quick_run_prints_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], benchmark_module: Any
) -> None:
    module = benchmark_module("analyze")
    monkeypatch.setattr(sys, "argv", ["analyze.py", "--quick"])
    module.main()
    report = json.loads(capsys.readouterr().out)
    (row,) = report["results"]
    assert row["size"] == "5x6x4"
    assert set(row["sections_s"]) == set(module.SECTIONS)
    assert row["analyze_median_s"] > 0 and row["peak_rss_mb"] > 0
