"""`accord plan check`: exit 0 / 1 / 2, located findings, JSON shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.cli import main

REPO = Path(__file__).resolve().parents[2]
PLANS = REPO / "tests" / "data" / "plans"
EXAMPLE_PLANS = sorted((REPO / "examples" / "plans").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLE_PLANS, ids=lambda p: p.name)
def test_plan_check_example_passes_exit_0(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "check", str(path)]) == 0
    assert "passes: 0 errors, 0 warnings." in capsys.readouterr().out


@pytest.mark.parametrize(
    "name", sorted(p.stem for p in PLANS.glob("*.yaml") if p.stem != "bad-reference")
)
def test_plan_check_planted_problems_exit_1(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "check", str(PLANS / f"{name}.yaml")]) == 1
    out = capsys.readouterr().out
    assert " fails: " in out
    assert "    fix: " in out


def test_plan_check_prints_located_explained_finding(capsys: pytest.CaptureFixture[str]) -> None:
    path = PLANS / "okr-inconsistent.yaml"
    main(["plan", "check", str(path)])
    out = capsys.readouterr().out
    assert (
        f"{path}:17:69: objectives[0].key_results[1].target: error [guardrail-broken] "
        "'kr-margin' targets Gross margin = 65, which breaks guardrail 'margin-floor' "
        "(guardrails[0], min 70)." in out
    )


def test_plan_check_json_lists_findings_with_lines(capsys: pytest.CaptureFixture[str]) -> None:
    path = PLANS / "okr-overcommitted.yaml"
    assert main(["plan", "check", str(path), "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["passed"] is False and payload["framework"] == "okr"
    unlinked = next(f for f in payload["findings"] if f["code"] == "initiative-unlinked")
    assert unlinked == {
        "severity": "error",
        "code": "initiative-unlinked",
        "field": "initiatives[2].objectives",
        "message": unlinked["message"],
        "hint": unlinked["hint"],
        "path": str(path),
        "line": 20,
        "column": 5,
    }


def test_plan_check_bad_reference_exit_2_located(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "check", str(PLANS / "bad-reference.yaml")]) == 2
    err = capsys.readouterr().err
    assert "16:55: initiatives[0].objectives[0]: 'pipline' is not an objective id" in err
    assert "Traceback" not in err


def test_plan_check_missing_file_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "check", str(tmp_path / "nope.yaml"), "--json"]) == 2
    assert "no such plan file" in json.loads(capsys.readouterr().out)["message"]


def test_validate_accepts_plan_files(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", *map(str, EXAMPLE_PLANS)]) == 0
    assert capsys.readouterr().out.count("(plan") == len(EXAMPLE_PLANS)
