"""`accord cadence CASE --ics OUT.ics`: writes a calendar that parses back."""

from __future__ import annotations

import json
from pathlib import Path

import icalendar
import pytest

from accord.cli import main

REPO = Path(__file__).resolve().parents[2]
CASE = REPO / "examples" / "growth-vs-margin.yaml"


def test_cadence_writes_ics_that_parses_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cadence.ics"
    assert main(["cadence", str(CASE), "--ics", str(out)]) == 0
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert f"Wrote {len(events)} events to {out}." in capsys.readouterr().out
    rules = {str(e["UID"]): e.get("RRULE") for e in events}
    assert rules["growth-vs-margin.review.series@accord"]["INTERVAL"] == [14]
    first = out.read_bytes()
    assert main(["cadence", str(CASE), "--ics", str(out)]) == 0
    assert out.read_bytes() == first


def test_cadence_json_lists_entries(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cadence", str(CASE), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["case"] == "growth-vs-margin" and payload["ics"] is None
    kinds = {e["kind"] for e in payload["entries"]}
    assert {"review", "standup", "checkpoint", "action"} <= kinds


def test_cadence_ics_into_directory_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cadence", str(CASE), "--ics", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err
