"""Dates are range-checked where they are parsed, so derived dates never overflow."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from accord.cli import main
from accord.errors import InputError
from accord.io.case_file import parse_case
from accord.model.base import LATEST_DATE, MAX_REVIEW_EVERY_DAYS

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "growth-vs-margin.yaml"


def _case_with(old: str, new: str) -> bytes:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1).encode("utf-8")


def test_review_every_days_beyond_limit_is_located() -> None:
    text = _case_with("review_every_days: 14", f"review_every_days: {MAX_REVIEW_EVERY_DAYS + 1}")
    with pytest.raises(InputError, match=r"case.yaml:\d+:\d+: cadence.review_every_days: "):
        parse_case(text, path="case.yaml")


def test_review_every_days_at_limit_is_accepted() -> None:
    text = _case_with("review_every_days: 14", f"review_every_days: {MAX_REVIEW_EVERY_DAYS}")
    parse_case(text, path="case.yaml")


def test_case_date_after_latest_is_located() -> None:
    text = _case_with("start: 2026-11-23", "start: 9999-12-31")
    with pytest.raises(InputError) as caught:
        parse_case(text, path="case.yaml")
    message = str(caught.value)
    assert "cadence.start: " in message
    assert f"expected a date up to {LATEST_DATE.isoformat()}" in message


@pytest.mark.parametrize(
    ("argv_tail"),
    [
        ["--date", "9999-12-31"],
        ["--date", "2026-12-18", "--review-date", "9999-12-31"],
    ],
)
def test_decide_far_date_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv_tail: list[str]
) -> None:
    path = tmp_path / "case.yaml"
    shutil.copy(EXAMPLE, path)
    before = path.read_bytes()
    code = main(["decide", str(path), "--option", "segment-split", "--rationale", "r", *argv_tail])
    err = capsys.readouterr().err
    assert code == 2
    assert "9999-12-31" in err and LATEST_DATE.isoformat() in err
    assert "Traceback" not in err
    assert path.read_bytes() == before


def test_report_far_today_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["report", str(EXAMPLE), "--today", "9999-12-31", "-o", str(tmp_path / "r.md")])
    err = capsys.readouterr().err
    assert code == 2
    assert f"--today: '9999-12-31' is after {LATEST_DATE.isoformat()}" in err
