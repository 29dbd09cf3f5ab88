"""Smoke run of benchmarks/analyze.py at toy size: it runs and prints one JSON document."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "analyze.py"


def test_analyze_benchmark_quick_run_prints_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = importlib.util.spec_from_file_location("accord_benchmark_analyze", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(sys, "argv", ["analyze.py", "--quick"])
    module.main()
    report = json.loads(capsys.readouterr().out)
    (row,) = report["results"]
    assert row["size"] == "5x6x4"
    assert set(row["sections_s"]) == set(module.SECTIONS)
    assert row["analyze_median_s"] > 0 and row["peak_rss_mb"] > 0
