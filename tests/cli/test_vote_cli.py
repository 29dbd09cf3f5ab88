"""``accord vote``: JSON contract, table output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.cli import main

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "preflib"
BURLINGTON = str(SAMPLE / "00005-00000002.toi")


def test_json_keys_and_preflib_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["vote", BURLINGTON, "--rule", "irv", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data)[:5] == ["rule", "unranked", "winners", "ranking", "condorcet_winner"]
    assert data["rule"] == "irv" and data["unranked"] == "below"
    assert data["winners"] == [1]
    assert data["condorcet_winner"] == 2
    assert data["ranking"][0] == [1]
    assert all(isinstance(c, int) for tier in data["ranking"] for c in tier)


def test_uncompared_reading_is_echoed(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["vote", BURLINGTON, "--rule", "schulze", "--unranked", "uncompared", "--json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["unranked"] == "uncompared" and data["winners"] == [2]


def test_cycle_file_reports_no_condorcet_winner(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["vote", str(SAMPLE / "00052-00000029.soc"), "--rule", "copeland", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["winners"] == [9, 11] and data["condorcet_winner"] is None


def test_table_shows_winner_and_robustness(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["vote", BURLINGTON, "--rule", "schulze"]) == 0
    out = capsys.readouterr().out
    assert "Andy Montroll (2)" in out
    assert "Rule robustness" in out
    assert "the choice of rule matters" in out


def test_unknown_rule_exits_2_with_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["vote", BURLINGTON, "--rule", "borad"]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'borda'?" in err and "ranked-pairs" in err
    assert "Traceback" not in err


def test_csv_ballots(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ballots.csv"
    path.write_text("voter,ranking\nana,x>y\nbo,y>x\ncy,x\n", encoding="utf-8")
    assert main(["vote", str(path), "--rule", "borda", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["winners"] == ["x"] and data["condorcet_winner"] == "x"


def test_bad_header_exits_2_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.soc"
    path.write_text("# NUMBER ALTERNATIVES: 2\n# NUMBER VOTERS: 9\n1: 1,2\n", encoding="utf-8")
    assert main(["vote", str(path), "--rule", "borda"]) == 2
    assert f"{path}:2: NUMBER VOTERS: 9 but the orders count 1 voters" in capsys.readouterr().err
