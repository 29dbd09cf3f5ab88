"""Smoke run of benchmarks/mcda.py at toy size: it imports, runs and agrees with its peers."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "mcda.py"


def test_mcda_benchmark_smoke_run_prints_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = importlib.util.spec_from_file_location("accord_benchmark_mcda", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(sys, "argv", ["mcda.py", "--smoke"])
    module.main()
    report = json.loads(capsys.readouterr().out)
    for entry in report["scoring"][0].values():
        if isinstance(entry, dict):
            assert entry["max_abs_diff"] < 1e-9
    assert report["ahp"]["complete"]["cr_abs_diff"] < 1e-9
    assert report["krippendorff"]["ordinal"]["max_abs_diff"] < 1e-9
    assert report["monte_carlo"]["draws"] == 100
