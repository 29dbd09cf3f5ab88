"""``--embeddings DIR`` on ``accord analyze`` and ``accord report``: paraphrases are found by
meaning with a local model, and only with it; nothing is downloaded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord.cli import main

CASE = """\
accord: 1
id: account-programmes
title: Account programmes
question: Which account programmes do we fund?
options:
  - id: qbr
    name: Quarterly business reviews
    team: sales
    cost: 40000
  - id: top-accounts
    name: QBRs with largest customers
    team: success
    cost: 25000
  - id: lease
    name: Renegotiate office lease
    cost: 5000
"""
# Word vectors of a tiny model: the two programme phrasings point the same way.
ACCOUNTS, PREMISES = [1.0, 0.1, 0.0], [0.0, 0.1, 1.0]
WORD_VECTORS = {
    "quarterly": ACCOUNTS,
    "business": ACCOUNTS,
    "reviews": ACCOUNTS,
    "qbrs": ACCOUNTS,
    "largest": ACCOUNTS,
    "customers": ACCOUNTS,
    "renegotiate": PREMISES,
    "office": PREMISES,
    "lease": PREMISES,
}


@pytest.fixture
def case_path(tmp_path: Path) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(CASE, encoding="utf-8")
    return path


@pytest.fixture
def model_dir(tmp_path: Path, word_model: Any) -> Path:
    return Path(word_model(tmp_path / "tiny-model", WORD_VECTORS))


def _analysis(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    # Exit 1 is a failed governance check (this small case has no stakeholders), not an error.
    assert main(["analyze", *args, "--json", "--draws", "0", "--today", "2026-01-05"]) in (0, 1)
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


def test_analyze_with_embeddings_reports_the_paraphrase_found_by_meaning(
    case_path: Path, model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = _analysis([str(case_path), "--embeddings", str(model_dir)], capsys)
    duplicates = result["duplicates"]["options"]
    pairs = {(p["a"], p["b"]): p for p in duplicates["pairs"]}
    assert list(pairs) == [("option:qbr", "option:top-accounts")]
    pair = pairs[("option:qbr", "option:top-accounts")]
    assert pair["found_by"] == ["meaning"]
    assert pair["vector_similarity"] == pytest.approx(1.0)
    assert pair["similarity"] < duplicates["threshold"]
    assert duplicates["vector_threshold"] == 0.75
    assert duplicates["clusters"][0]["redundant"] == ["option:top-accounts"]
    # Meaning alone, with no shared words: a possible duplicate to confirm (issue 16).
    assert duplicates["clusters"][0]["confidence"] == "confirm"
    assert duplicates["redundant_cost"] == 0 and duplicates["possible_cost"] == 25000
    assert result["provenance"]["embeddings_model"] == str(model_dir)


def test_analyze_without_embeddings_does_not_report_the_paraphrase(
    case_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ACCORD_EMBEDDINGS_MODEL", raising=False)
    monkeypatch.setenv("ACCORD_SEMANTIC", "off")  # no packaged model either: words only
    result = _analysis([str(case_path)], capsys)
    assert result["duplicates"]["options"]["pairs"] == []
    assert result["duplicates"]["options"]["vector_threshold"] is None
    assert result["provenance"]["embeddings_model"] is None


def test_analyze_reads_the_model_folder_from_the_environment(
    case_path: Path,
    model_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ACCORD_EMBEDDINGS_MODEL", str(model_dir))
    result = _analysis([str(case_path)], capsys)
    assert [p["found_by"] for p in result["duplicates"]["options"]["pairs"]] == [["meaning"]]
    assert result["provenance"]["embeddings_model"] == str(model_dir)


def test_analyze_with_a_missing_model_folder_exits_2_with_the_reason(
    case_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    absent = tmp_path / "no-model"
    code = main(["analyze", str(case_path), "--embeddings", str(absent), "--json"])
    assert code == 2
    error = json.loads(capsys.readouterr().out)
    assert error["error"] == "invalid_input"
    assert error["message"] == (
        f"embeddings model '{absent}' does not exist (expected a local model2vec model folder; "
        "accord never downloads models)"
    )


def test_report_with_embeddings_lists_the_duplicated_programmes(
    case_path: Path, model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_SEMANTIC", "off")  # without --embeddings: words only
    out = tmp_path / "report.md"
    args = ["report", str(case_path), "-o", str(out), "--draws", "0", "--today", "2026-01-05"]
    assert main([*args, "--embeddings", str(model_dir)]) in (0, 1)
    with_model = out.read_text(encoding="utf-8")
    assert main(args) in (0, 1)
    without = out.read_text(encoding="utf-8")
    spend = "Possible duplicates, to confirm: 25k of 70k (36%) would be redundant"
    assert spend in with_model
    assert spend not in without and "No near-duplicates found." in without
