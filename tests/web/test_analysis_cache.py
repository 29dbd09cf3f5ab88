"""The analysis is computed once per case revision, inputs and settings, and shared."""

from __future__ import annotations

from typing import Any

import pytest
from tests.web.conftest import EXAMPLES, Web
from tests.web.test_cases import upload

import accord.analysis.analyze as analyze_module
from accord.web.analysis_cache import AnalysisCache


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = analyze_module.analyze

    def counting(case: Any, **options: Any) -> Any:
        seen.append(case.id)
        return real(case, **options)

    monkeypatch.setattr(analyze_module, "analyze", counting)
    return seen


def test_dashboard_report_and_json_share_one_computation(web: Web, calls: list[str]) -> None:
    web.sign_in()
    case_id = upload(web)
    assert web.client.get(f"/cases/{case_id}").status_code == 200
    assert len(calls) == 1
    assert web.client.get(f"/cases/{case_id}").status_code == 200
    assert web.client.get(f"/cases/{case_id}/analysis.json").status_code == 200
    assert web.client.get(f"/cases/{case_id}/report").status_code == 200
    assert len(calls) == 1


def test_a_changed_case_is_computed_again(web: Web, calls: list[str]) -> None:
    web.sign_in()
    case_id = upload(web)
    web.client.get(f"/cases/{case_id}")
    source = (EXAMPLES / "growth-vs-margin.yaml").read_text(encoding="utf-8")
    changed = source.replace("title:", "title: Revised", 1)
    assert changed != source
    response = web.client.post(
        "/cases",
        data={"csrf": web.csrf()},
        files={"file": ("growth-vs-margin.yaml", changed.encode(), "application/x-yaml")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    web.client.get(f"/cases/{case_id}")
    assert len(calls) == 2


def test_the_cache_is_bounded_least_recently_used_first() -> None:
    computed: list[str] = []

    def compute(case: Any) -> str:
        computed.append(case)
        return f"analysis of {case}"

    cache = AnalysisCache(size=2, compute=compute)
    for key in ("a", "b", "a", "c", "a", "b"):
        cache.get(key, key)
    # "b" was the least recently used when "c" came, so it is computed again at the end.
    assert computed == ["a", "b", "c", "b"]
    assert len(cache) == 2


def test_a_stored_case_is_parsed_once_until_its_file_or_inputs_change(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.store import repository

    parsed: list[int] = []
    real = repository.case_with_inputs

    def counting(session: Any, record: Any) -> Any:
        parsed.append(record.id)
        return real(session, record)

    monkeypatch.setattr(repository, "case_with_inputs", counting)
    web.sign_in()
    case_id = upload(web)
    for path in ("", "", "/analysis.json", "/report"):
        assert web.client.get(f"/cases/{case_id}{path}").status_code == 200
    assert parsed == [case_id]
    # New inputs through a link are a new key: parsed (and analysed) again, once.
    with web.store.session() as session:
        from accord.model.inputs import StakeholderInputs

        repository.save_inputs(
            session, case_id, "cfo", StakeholderInputs(approvals=["discount-push"])
        )
    for _ in range(2):
        assert web.client.get(f"/cases/{case_id}").status_code == 200
    assert parsed == [case_id, case_id]
