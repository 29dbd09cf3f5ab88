"""The voting benchmark runs end to end at toy size (the real run is `benchmarks/voting.py`)."""

from __future__ import annotations

import json
from typing import Any

import pytest


def test_benchmark_smoke_prints_json(
    capsys: pytest.CaptureFixture[str], benchmark_module: Any
) -> None:
    pytest.importorskip("pref_voting")
    module = benchmark_module("voting")
    module.main(["--smoke"])
    report = json.loads(capsys.readouterr().out)
    assert report["files"]["all_identical"] is True
    assert report["synthetic"][0]["unique_orders"] > 0
    assert report["many_candidates"]["rules"]["ranked-pairs/below"] > 0
