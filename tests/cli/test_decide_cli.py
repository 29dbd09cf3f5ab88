"""`accord decide`: appends a decision, refuses bad input with the file unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.cli import main
from accord.io.case_file import load_case

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "growth-vs-margin.yaml"


@pytest.fixture
def case_path(tmp_path: Path) -> Path:
    path = tmp_path / "case.yaml"
    path.write_bytes(EXAMPLE.read_bytes())
    return path


def test_decide_appends_entry_and_reports_it(
    case_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "decide",
            str(case_path),
            "--option",
            "segment-split",
            "--rationale",
            "Meets both goals",
            "--dissent",
            "cro:Slower than a discount",
            "--date",
            "2026-12-18",
            "--review-date",
            "2027-01-18",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "Recorded decision 'segment-split-2026-12-18'" in out
    assert "dissent: cro: Slower than a discount" in out
    assert case_path.read_bytes().startswith(EXAMPLE.read_bytes())
    decision = load_case(case_path).decisions[-1]
    assert str(decision.review_date) == "2027-01-18" and decision.accountable == "ceo"


def test_decide_json_output(case_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "decide",
        str(case_path),
        "--option",
        "usage-pricing",
        "--rationale",
        "r",
        "--date",
        "2026-12-18",
        "--id",
        "fy27-gtm",
        "--json",
    ]
    assert main(args) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["decision"]["id"] == "fy27-gtm"
    assert payload["decision"]["review_date"] == "2027-01-01"  # 14-day cadence


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--option", "segmnt-split"], "'segmnt-split' is not an option id"),
        (["--option", "usage-pricing", "--dissent", "nobody"], "is not 'who:why'"),
        (
            ["--option", "usage-pricing", "--date", "2026-13-01"],
            "--date '2026-13-01' is not a date",
        ),
    ],
)
def test_decide_bad_input_exit_2_file_unchanged(
    case_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    before = case_path.read_bytes()
    assert main(["decide", str(case_path), "--rationale", "r", *extra]) == 2
    assert message in capsys.readouterr().err
    assert case_path.read_bytes() == before


def test_decide_requires_option(case_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["decide", str(case_path), "--rationale", "r"]) == 2
    assert "--option" in capsys.readouterr().err
