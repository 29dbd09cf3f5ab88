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
    assert list(payload) == ["groups", "participants", "consensus", "divisive", "mode"]
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


def test_map_reads_a_case_file_statement_votes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two camps of five stakeholders on four statements; the case's own votes, not CSV rows.
    statements = "\n".join(f"  - {{id: s{j}, text: statement {j}}}" for j in range(4))
    inputs = "\n".join(
        f"  p{i}:\n    statement_votes: {{"
        + ", ".join(f"s{j}: {'agree' if (i < 5) == (j < 2) else 'disagree'}" for j in range(4))
        + "}"
        for i in range(10)
    )
    case = tmp_path / "case.yaml"
    case.write_text(_minimal_case(statements, inputs))
    assert main(["map", str(case), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert sorted(g["size"] for g in payload["groups"]) == [5, 5]
    assert set(payload["participants"]) == {f"p{i}" for i in range(10)}


def test_map_of_a_case_without_statement_votes_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(_minimal_case("  - {id: s0, text: statement 0}", "  p0: {}"))
    assert main(["map", str(case)]) == 2
    err = capsys.readouterr().err
    assert f"{case}: statement_votes: no stakeholder has voted on a statement" in err


def _minimal_case(statements: str, inputs: str) -> str:
    names = [line.strip().rstrip(":").split(":")[0] for line in inputs.splitlines()]
    people = [n for n in names if n.startswith("p") and not n.startswith("statement")]
    stakeholders = "\n".join(f"  - {{id: {p}, name: {p}}}" for p in people)
    return (
        "accord: 1\nid: tiny\ntitle: Tiny\nquestion: Which option?\n"
        f"stakeholders:\n{stakeholders}\n"
        "criteria:\n  - {id: margin, name: Gross margin}\n"
        "options:\n  - {id: hold, name: Hold, estimates: {margin: 1}}\n"
        f"statements:\n{statements}\ninputs:\n{inputs}\n"
    )


def test_map_of_an_example_case(capsys: pytest.CaptureFixture[str]) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "budget-workshop.yaml"
    assert main(["map", str(example)]) == 0
    out = capsys.readouterr().out
    assert "opinion groups" in out
    assert "error" not in out.lower()


def test_cli_consensus_table_lists_only_statements_every_group_shares(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["map", str(SEATTLE), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    shared = {c["statement"] for c in payload["consensus"] if c["every_group"]}
    not_shared = {c["statement"] for c in payload["consensus"] if not c["every_group"]}
    assert not_shared, "the fixture should have a consensus statement not every group shares"
    assert main(["map", str(SEATTLE)]) == 0
    out = capsys.readouterr().out
    table = out.split("Consensus", 1)[1].split("Divisive", 1)[0] if "Consensus" in out else ""
    rows = {line.split("│")[1].strip() for line in table.splitlines() if line.count("│") > 2}
    assert rows == shared


def test_map_says_which_mode_produced_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "votes.csv"
    rows = [
        f"p{i},s{j},{'agree' if (i < 5) == (j < 2) else 'disagree'},{1_400_000_000_000 + 3000 * k}"
        for k, (i, j) in enumerate((i, j) for i in range(10) for j in range(4))
    ]
    path.write_text("participant,statement,vote,timestamp\n" + "\n".join(rows) + "\n")
    assert main(["map", str(path)]) == 0
    assert "mode: fresh map (replay not asked for" in capsys.readouterr().out
    assert main(["map", str(path), "--replay"]) == 0
    assert "mode: replayed history (the votes are timestamped: 40 updates" in (
        capsys.readouterr().out
    )
    plain = tmp_path / "plain.csv"
    plain.write_text("\n".join(r.rsplit(",", 1)[0] for r in rows) + "\n")
    assert main(["map", str(plain), "--replay", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["mode"] == {"mode": "fresh", "reason": "the votes have no timestamps"}


def test_map_without_votes_says_so_and_warns_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A header-only export: no contradictory "0 groups ... one group", no matplotlib warning."""
    import warnings

    (tmp_path / "votes.csv").write_text("timestamp,datetime,comment-id,voter-id,vote\n")
    (tmp_path / "comments.csv").write_text(
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any library warning fails the test
        assert main(["map", str(tmp_path), "--svg", str(tmp_path / "map.svg")]) == 0
    captured = capsys.readouterr()
    assert "0 opinion groups" in captured.out
    assert "one group" not in captured.out and "no opinion groups" in captured.out
    assert "Warning" not in captured.err
