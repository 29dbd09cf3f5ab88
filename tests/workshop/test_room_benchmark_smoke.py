"""Smoke run of benchmarks/room.py at toy size: it runs and prints one JSON document."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest


def test_room_benchmark_quick_run_prints_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], benchmark_module: Any
) -> None:
    module = benchmark_module("room")
    monkeypatch.setattr(sys, "argv", ["room.py", "--ideas", "12", "--repeat", "2"])
    module.main()
    report = json.loads(capsys.readouterr().out)
    assert report["ideas"] == 12
    # Six subjects, two variants each: every subject is one suggested group of two.
    assert (report["suggested_groups"], report["largest_group"]) == (6, 2)
    assert report["group_view_first_ms"] > 0 and report["first_over_baseline"] > 0
