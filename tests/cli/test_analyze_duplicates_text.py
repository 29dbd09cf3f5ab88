"""``accord analyze`` (text) shows duplicates, possible duplicates and their evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.cli import main

CASE = """\
accord: 1
id: cms
title: CMS work
question: Which web projects do we fund?
options:
  - id: help
    name: Migrate the help centre to the new CMS
    team: support
    cost: 40000
  - id: site
    name: Migrate the marketing site to the new CMS
    team: marketing
    cost: 30000
  - id: referral
    name: Launch a customer referral programme
    cost: 20000
  - id: referral-copy
    name: Customer referral program launch
    cost: 10000
"""


@pytest.fixture(autouse=True)
def _words_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_SEMANTIC", "off")  # the core install's output


def _text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = tmp_path / "case.yaml"
    path.write_text(CASE, encoding="utf-8")
    assert main(["analyze", str(path), "--draws", "0", "--today", "2026-01-05"]) in (0, 1)
    return capsys.readouterr().out


def test_text_output_names_the_kind_and_the_differing_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = " ".join(_text(tmp_path, capsys).split())
    # The same sentence with the site swapped: related work (issue 16), with the evidence.
    assert "related work, not a duplicate: coordinate" in out
    assert "only in one: help, centre; only in the other: marketing, site" in out
    assert "duplicate (high confidence)" in out


def test_text_output_says_it_compared_words_only_without_a_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = " ".join(_text(tmp_path, capsys).split())
    assert "compared by words only" in out
