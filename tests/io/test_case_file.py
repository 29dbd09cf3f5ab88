"""Case files: load, parse, save, and the document-kind registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.errors import CaseFileError
from accord.io.case_file import load_case, parse_case, save_case
from accord.io.documents import load_document, loader_for, sniff_kind
from accord.model import Case

REPO = Path(__file__).resolve().parents[2]
CASE_FILES = sorted((REPO / "src" / "accord" / "templates").glob("*.yaml")) + sorted(
    (REPO / "examples").glob("*.yaml")
)


def _is_case(path: Path) -> bool:
    return sniff_kind(path) == "case"


CASES = [p for p in CASE_FILES if _is_case(p)]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_save_case_round_trips(path: Path, suffix: str, tmp_path: Path) -> None:
    case = load_case(path)
    target = tmp_path / f"copy{suffix}"
    save_case(case, target)
    again = load_case(target)
    assert again == case
    save_case(again, tmp_path / f"again{suffix}")
    assert (tmp_path / f"again{suffix}").read_text(encoding="utf-8") == target.read_text(
        encoding="utf-8"
    )


def test_parse_case_default_path_in_messages() -> None:
    with pytest.raises(CaseFileError) as error:
        parse_case("accord: 2\n")
    lines = [str(p) for p in error.value.problems]
    assert "<string>:1:9: accord: expected 1, got 2" in lines


def test_parse_case_collects_every_reference_problem() -> None:
    text = (REPO / "src" / "accord" / "templates" / "exec-conflict.yaml").read_text("utf-8")
    text = (
        text.replace("owner: cfo}", "owner: cfoo}")
        .replace("owner: cfo,", "owner: cfoo,")
        .replace("decision_owner: ceo", "decision_owner: boss")
    )
    with pytest.raises(CaseFileError) as error:
        parse_case(text, path="x.yaml")
    messages = [p.message for p in error.value.problems]
    assert "'boss' is not a stakeholder id" in messages
    assert messages.count("'cfoo' is not a stakeholder id (did you mean 'cfo'?)") == 2


def test_sniff_kind_reads_top_level_kind(tmp_path: Path) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text("accord: 1\nkind: plan\n", encoding="utf-8")
    assert sniff_kind(plan) == "plan"
    assert sniff_kind(CASES[0]) == "case"
    as_json = tmp_path / "p.json"
    as_json.write_text('{\n  "accord": 1,\n  "kind": "plan"\n}\n', encoding="utf-8")
    assert sniff_kind(as_json) == "plan"


def test_load_document_returns_kind_and_case() -> None:
    kind, document = load_document(CASES[0])
    assert kind == "case"
    assert isinstance(document, Case)


def test_loader_for_unknown_kind_suggests() -> None:
    with pytest.raises(CaseFileError, match=r"unknown document kind 'csae' \(did you mean 'case'"):
        loader_for("csae", "x.yaml")


def test_loader_for_missing_module_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.io import documents

    monkeypatch.setitem(documents.LOADERS, "memo", "accord.io.no_such_module:load_memo")
    with pytest.raises(CaseFileError, match=r"cannot read 'memo' files yet"):
        loader_for("memo", "m.yaml")
