"""A facilitator's judgement in the case file flips the report's duplicates sentence and the
redundant amount, and names the judge; unknown ids in a judgement are located (issue 16)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord.cli import main

CASE = """\
accord: 1
id: site-work
title: Site work
question: Which site projects do we fund?
stakeholders:
  - id: maria
    name: Maria Chen
options:
  - id: help-cms
    name: Customer onboarding wizard
    team: support
    cost: 60000
  - id: site-cms
    name: Customer onboarding with templates, checklists and videos
    team: marketing
    cost: 40000
  - id: lease
    name: Renegotiate the office lease
    cost: 20000
"""
JUDGED = """\
duplicate_judgements:
  - pair: [site-cms, help-cms]
    verdict: {verdict}
    by: maria
    date: 2026-11-03
"""
COUNTED = "Duplicated initiatives represent 40k of 120k (33%) of the proposed spend."
TO_CONFIRM = "Possible duplicates, to confirm: 40k of 120k (33%) would be redundant"


@pytest.fixture(autouse=True)
def _words_only(monkeypatch: pytest.MonkeyPatch) -> None:
    # The pair's computed kind (a possible duplicate) is the lexical one; the packaged
    # meaning model, when installed, is turned off so these tests read the judgement alone.
    monkeypatch.setenv("ACCORD_SEMANTIC", "off")


def _write(tmp_path: Path, verdict: str | None) -> Path:
    path = tmp_path / "case.yaml"
    extra = "" if verdict is None else JUDGED.format(verdict=verdict)
    path.write_text(CASE + extra, encoding="utf-8")
    return path


def _report(path: Path, tmp_path: Path) -> str:
    out = tmp_path / "report.md"
    args = ["report", str(path), "-o", str(out), "--draws", "0", "--today", "2026-11-05"]
    assert main(args) in (0, 1)  # 1: a failed governance check, not an error
    return out.read_text(encoding="utf-8")


def _analysis(path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert main(["analyze", str(path), "--json", "--draws", "0", "--today", "2026-11-05"]) in (0, 1)
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


def test_unjudged_pair_is_a_possible_duplicate_to_confirm(tmp_path: Path) -> None:
    report = _report(_write(tmp_path, None), tmp_path)
    assert TO_CONFIRM in report and COUNTED not in report


def test_confirming_the_pair_counts_the_money_and_names_the_judge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "duplicate")
    report = _report(path, tmp_path)
    capsys.readouterr()  # the report command's "wrote ..." line
    assert COUNTED in report and TO_CONFIRM not in report
    assert "confirmed as a duplicate by Maria Chen on 2026-11-03" in report
    options = _analysis(path, capsys)["duplicates"]["options"]
    assert options["redundant_cost"] == 40000 and options["possible_cost"] == 0
    assert options["pairs"][0]["judgement"] == {
        "verdict": "duplicate",
        "by": "maria",
        "date": "2026-11-03",
    }


def test_judging_the_pair_related_removes_the_money(tmp_path: Path) -> None:
    report = _report(_write(tmp_path, "related"), tmp_path)
    assert COUNTED not in report and TO_CONFIRM not in report
    assert "judged related work, not a duplicate by Maria Chen on 2026-11-03" in report


def test_judging_the_pair_not_related_dismisses_it_in_the_text_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "not_related")
    assert main(["analyze", str(path), "--draws", "0", "--today", "2026-11-05"]) in (0, 1)
    text = " ".join(capsys.readouterr().out.split())
    assert "judged not related by Maria Chen on 2026-11-03" in text
    assert "possible duplicates: confirm" not in text
    options = _analysis(path, capsys)["duplicates"]["options"]
    assert options["pairs"] == [] and len(options["dismissed"]) == 1


def test_a_judgement_naming_an_unknown_option_is_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(CASE + JUDGED.format(verdict="duplicate").replace("help-cms", "help-cm"))
    assert main(["validate", str(path)]) == 2
    said = capsys.readouterr()
    out = said.out + said.err
    assert f"{path}:21:22: duplicate_judgements[0].pair[1]: " in out
    assert "duplicate_judgements[0].pair[1]" in out
    assert "'help-cm' is not an option id (did you mean 'help-cms'?)" in out


def test_a_pair_judged_twice_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "case.yaml"
    twice = JUDGED.format(verdict="duplicate") + JUDGED.format(verdict="related").split("\n", 1)[1]
    path.write_text(CASE + twice, encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    said = capsys.readouterr()
    assert "is already judged in duplicate_judgements[0]" in said.out + said.err
