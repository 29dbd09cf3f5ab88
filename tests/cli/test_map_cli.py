"""``accord map``: JSON shape, SVG, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.cli import main

SEATTLE = Path(__file__).resolve().parent.parent / "data" / "polis" / "15-per-hour-seattle"


def test_map_json_has_exact_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["map", str(SEATTLE), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert list(payload) == ["groups", "participants", "consensus", "divisive"]
    group = payload["groups"][0]
    assert list(group) == ["id", "size", "representative"]
    assert list(group["representative"][0]) == ["statement", "text", "direction", "repness", "p"]
    assert sum(g["size"] for g in payload["groups"]) == len(payload["participants"]) == 138


def test_map_writes_svg(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "map.svg"
    assert main(["map", str(SEATTLE), "--svg", str(out)]) == 0
    assert out.read_text().lstrip().startswith("<?xml")
    assert "opinion groups" in capsys.readouterr().out


def test_map_reads_long_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "votes.csv"
    rows = [
        f"p{i},s{j},{'agree' if (i < 5) == (j < 2) else 'disagree'}"
        for i in range(10)
        for j in range(4)
    ]
    path.write_text("participant,statement,vote\n" + "\n".join(rows) + "\n")
    assert main(["map", str(path), "--json"]) == 0
    sizes = sorted(g["size"] for g in json.loads(capsys.readouterr().out)["groups"])
    assert sizes == [5, 5]


def test_map_missing_path_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["map", str(tmp_path / "nope"), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"] == "not_found"


def test_map_bad_vote_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "votes.csv"
    path.write_text("participant,statement,vote\nann,s1,yes\n")
    assert main(["map", str(path)]) == 2
    assert f"{path}:2:8: vote: vote 'yes' is not one of agree" in capsys.readouterr().err
