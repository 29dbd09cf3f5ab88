"""Analysis, reports, decisions and actions through /api/v1: the dashboard's own analysis,
with ETags that hold while nothing changes and move when an input does."""

from __future__ import annotations

from typing import Any

import jsonschema
from tests.api.conftest import CASE, Api

from accord.analysis.analyze import analyze
from accord.analysis.sections import analysis_schema
from accord.io.case_file import parse_case
from accord.io.case_meaning import meaning_options
from accord.model.inputs import StakeholderInputs

REVERSED = ["discount-push", "usage-pricing", "packaging-tiers", "hold-and-hire", "segment-split"]


def expected(ceo_ranking: list[Any] | None = None) -> dict[str, Any]:
    case = parse_case(CASE.read_text(encoding="utf-8"), path=CASE.name)
    if ceo_ranking is not None:
        inputs = dict(case.inputs)
        inputs["ceo"] = StakeholderInputs.model_validate({"ranking": ceo_ranking})
        case = case.model_copy(update={"inputs": inputs})
    # `accord analyze` compares texts by meaning when the extra is installed; so does the API.
    result: dict[str, Any] = analyze(case, **meaning_options(case)).to_dict()
    return result


def test_analysis_is_the_cli_analysis_and_matches_the_published_schema(api: Api) -> None:
    case_id = api.create_case()
    response = api.client.get(f"/api/v1/cases/{case_id}/analysis", headers=api.full)
    assert response.status_code == 200
    body = response.json()
    jsonschema.validate(body, analysis_schema())
    want = expected()
    # The provenance names the source file; everything analysed is identical.
    assert {k: v for k, v in body.items() if k != "provenance"} == {
        k: v for k, v in want.items() if k != "provenance"
    }


def test_etag_answers_304_until_an_input_changes(api: Api) -> None:
    case_id = api.create_case()
    path = f"/api/v1/cases/{case_id}/analysis"
    first = api.client.get(path, headers=api.full)
    etag = first.headers["etag"]
    again = api.client.get(path, headers={**api.full, "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    stored = api.client.put(
        f"/api/v1/cases/{case_id}/inputs/ceo", json={"ranking": REVERSED}, headers=api.full
    )
    assert stored.status_code == 200, stored.text
    changed = api.client.get(path, headers={**api.full, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    ceo = next(s for s in changed.json()["stakeholders"] if s["id"] == "ceo")
    want = next(s for s in expected(REVERSED)["stakeholders"] if s["id"] == "ceo")
    assert ceo == want
    assert ceo != next(s for s in first.json()["stakeholders"] if s["id"] == "ceo")


def test_reports_in_each_format_carry_etags(api: Api) -> None:
    case_id = api.create_case()
    types = {"md": "text/markdown", "html": "text/html", "pdf": "application/pdf"}
    for kind, media in types.items():
        path = f"/api/v1/cases/{case_id}/report?format={kind}"
        response = api.client.get(path, headers=api.full)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(media)
        cached = api.client.get(
            path, headers={**api.full, "If-None-Match": response.headers["etag"]}
        )
        assert cached.status_code == 304
    markdown = api.client.get(f"/api/v1/cases/{case_id}/report?format=md", headers=api.full)
    assert markdown.text.startswith("# FY27 pricing and go-to-market plan")
    pdf = api.client.get(f"/api/v1/cases/{case_id}/report?format=pdf", headers=api.full)
    assert pdf.content.startswith(b"%PDF")


def test_unknown_report_format_answers_422(api: Api) -> None:
    case_id = api.create_case()
    response = api.client.get(f"/api/v1/cases/{case_id}/report?format=docx", headers=api.full)
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "format"


def test_decisions_and_actions_are_the_analysis_sections(api: Api) -> None:
    case_id = api.create_case()
    want = expected()
    decisions = api.client.get(f"/api/v1/cases/{case_id}/decisions", headers=api.full)
    actions = api.client.get(f"/api/v1/cases/{case_id}/actions", headers=api.full)
    assert decisions.json() == want["decisions"]
    assert actions.json() == want["actions"]
    assert actions.json() and {"overdue", "days_overdue"} <= set(actions.json()[0])
