"""`accord actions`: the register as a table, CSV and JSON; overdue filter."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from accord.cli import main

REPO = Path(__file__).resolve().parents[2]
CASE = REPO / "examples" / "growth-vs-margin.yaml"


def test_actions_json_marks_overdue_against_today(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["actions", str(CASE), "--today", "2026-12-10", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["today"] == "2026-12-10"
    overdue = [a["id"] for a in payload["actions"] if a["overdue"]]
    assert overdue == ["act-winrate-recut", "act-churn-cohorts"]
    first = payload["actions"][0]
    assert set(first) == {
        "id",
        "title",
        "owner",
        "deadline",
        "metric",
        "done",
        "decision",
        "overdue",
    }


def test_actions_overdue_csv(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["actions", str(CASE), "--today", "2026-12-10", "--overdue", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["id"] for r in rows] == ["act-winrate-recut", "act-churn-cohorts"]
    assert rows[0]["done"] == "false" and rows[0]["overdue"] == "true"
    assert rows[0]["decision"] == ""


def test_actions_table_highlights_overdue(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["actions", str(CASE), "--today", "2026-12-10"]) == 0
    out = capsys.readouterr().out
    assert "OVERDUE" in out
    assert "7 actions, 2 overdue." in out


def test_actions_bad_today_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["actions", str(CASE), "--today", "10/12/2026"]) == 2
    assert "--today '10/12/2026' is not a date (expected YYYY-MM-DD)" in capsys.readouterr().err
