"""``accord analyze`` uses meaning out of the box when accord[semantic] is installed, says
which method ran, and falls back to words (saying so) without it or when it is broken."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from accord.cli import main

CASE = """\
accord: 1
id: order-help
title: Order help
question: Which customer-service projects do we fund?
options:
  - id: chatbot
    name: Chatbot that answers order-status questions on the website
    team: digital
    cost: 80000
  - id: tracker
    name: Self-serve order tracking assistant (chat) on web and app
    team: support
    cost: 50000
  - id: lease
    name: Renegotiate the office lease
    cost: 5000
"""
needs_semantic = pytest.mark.skipif(
    importlib.util.find_spec("wordllama") is None, reason="accord[semantic] not installed"
)


@pytest.fixture
def case_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("ACCORD_EMBEDDINGS_MODEL", raising=False)
    monkeypatch.delenv("ACCORD_SEMANTIC", raising=False)
    path = tmp_path / "case.yaml"
    path.write_text(CASE, encoding="utf-8")
    return path


def _run(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[str, str]:
    code = main(["analyze", str(path), "--draws", "0", "--today", "2026-11-05", *extra])
    assert code in (0, 1)  # 1: a failed governance check, not an error
    said = capsys.readouterr()
    return said.out, said.err


def _pairs(result: dict[str, Any]) -> set[tuple[str, str]]:
    return {(p["a"], p["b"]) for p in result["duplicates"]["options"]["pairs"]}


@needs_semantic
def test_the_packaged_model_finds_the_paraphrase_and_the_output_names_it(
    case_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = _run(case_path, capsys, "--json")
    result = json.loads(out)
    assert ("option:chatbot", "option:tracker") in _pairs(result)
    assert result["duplicates"]["options"]["method"] == "words and meaning"
    assert result["provenance"]["embeddings_model"].startswith("wordllama")
    text, _ = _run(case_path, capsys)
    assert "Texts compared by words and meaning (model: wordllama" in " ".join(text.split())


def test_words_only_says_lexical_only_and_misses_the_paraphrase(
    case_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_SEMANTIC", "off")
    out, _ = _run(case_path, capsys, "--json")
    result = json.loads(out)
    assert _pairs(result) == set()
    assert result["duplicates"]["options"]["method"] == "words"
    assert result["provenance"]["embeddings_model"] is None
    text, _ = _run(case_path, capsys)
    assert "lexical only" in " ".join(text.split())


@needs_semantic
@pytest.mark.parametrize(
    ("damage", "said"),
    [
        ("truncated", "is not a safetensors file"),
        ("missing", "l2_supercat_256.safetensors is missing"),
        ("tokenizer", "is not a tokenizer file"),
    ],
)
def test_a_broken_packaged_model_falls_back_to_words_with_a_warning(
    case_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    damage: str,
    said: str,
) -> None:
    from accord.io import semantic

    real = semantic.packaged_folder()
    assert real is not None
    broken = tmp_path / "wordllama"
    (broken / "weights").mkdir(parents=True)
    (broken / "tokenizers").mkdir()
    weights = (real / "weights" / "l2_supercat_256.safetensors").read_bytes()
    tokenizer = (real / "tokenizers" / "l2_supercat_tokenizer_config.json").read_bytes()
    if damage != "missing":
        cut = weights[:1000] if damage == "truncated" else weights
        (broken / "weights" / "l2_supercat_256.safetensors").write_bytes(cut)
    (broken / "tokenizers" / "l2_supercat_tokenizer_config.json").write_bytes(
        b"{not json" if damage == "tokenizer" else tokenizer
    )
    monkeypatch.setattr(semantic, "packaged_folder", lambda: broken)
    out, err = _run(case_path, capsys, "--json")
    assert json.loads(out)["duplicates"]["options"]["method"] == "words"
    assert "could not be loaded" in err and said in err
    assert "Traceback" not in err
