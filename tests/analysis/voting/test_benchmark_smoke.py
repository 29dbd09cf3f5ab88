"""The voting benchmark runs end to end at toy size (the real run is `benchmarks/voting.py`)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "benchmarks" / "voting.py"


def test_benchmark_smoke_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pref_voting")
    spec = importlib.util.spec_from_file_location("voting_benchmark", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(["--smoke"])
    report = json.loads(capsys.readouterr().out)
    assert report["files"]["all_identical"] is True
    assert report["synthetic"][0]["unique_orders"] > 0
    assert report["many_candidates"]["rules"]["ranked-pairs/below"] > 0
