"""Smoke run of benchmarks/mcda.py at toy size: it imports, runs and agrees with its peers."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest


def test_mcda_benchmark_smoke_run_prints_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], benchmark_module: Any
) -> None:
    module = benchmark_module("mcda")
    monkeypatch.setattr(sys, "argv", ["mcda.py", "--smoke"])
    module.main()
    report = json.loads(capsys.readouterr().out)
    for entry in report["scoring"][0].values():
        if isinstance(entry, dict):
            assert entry["max_abs_diff"] < 1e-9
    assert report["ahp"]["complete"]["cr_abs_diff"] < 1e-9
    assert report["krippendorff"]["ordinal"]["max_abs_diff"] < 1e-9
    assert report["monte_carlo"]["draws"] == 100
