"""Cases through /api/v1: create from YAML or JSON, list by pages, read, replace, export,
links and inputs; every call scoped to the caller's own cases."""

from __future__ import annotations

import json

import yaml
from tests.api.conftest import CASE, Api
from tests.web.conftest import EXAMPLES

from accord.io.case_file import parse_case
from accord.store.tables import CaseRecord, LinkToken, StakeholderInputRecord

JSON = {"Content-Type": "application/json"}
YAML = {"Content-Type": "application/yaml"}


def test_create_from_yaml_reads_back_the_case(api: Api) -> None:
    case_id = api.create_case()
    detail = api.client.get(f"/api/v1/cases/{case_id}", headers=api.full).json()
    case = parse_case(CASE.read_text(encoding="utf-8"))
    assert detail["slug"] == case.id
    assert detail["stakeholders"] == case.stakeholder_ids
    assert detail["options"] == [o.id for o in case.options]


def test_create_from_json_gives_the_same_case_as_yaml(api: Api) -> None:
    data = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    response = api.client.post(
        "/api/v1/cases", content=json.dumps(data, default=str), headers={**api.full, **JSON}
    )
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/api/v1/cases/{response.json()['id']}"
    assert response.json()["slug"] == "growth-vs-margin"
    assert response.json()["source_name"] == "case.json"


def test_creating_the_same_case_twice_answers_409_and_keeps_one(api: Api) -> None:
    case_id = api.create_case()
    again = api.client.post(
        "/api/v1/cases", content=CASE.read_bytes(), headers={**api.full, **YAML}
    )
    assert again.status_code == 409
    assert f"PUT /api/v1/cases/{case_id}" in again.json()["message"]
    with api.store.session() as session:
        assert session.query(CaseRecord).count() == 1


def test_invalid_case_stores_nothing_and_names_the_line(api: Api) -> None:
    text = CASE.read_text(encoding="utf-8").replace("decision_owner: ceo", "decision_owner: coo")
    response = api.client.post("/api/v1/cases", content=text, headers={**api.full, **YAML})
    assert response.status_code == 400
    problem = response.json()["problems"][0]
    assert problem["field"] == "decision_owner" and problem["line"] == 19
    assert "coo" in problem["message"]
    with api.store.session() as session:
        assert session.query(CaseRecord).count() == 0


def test_list_pages_by_id_until_next_after_is_null(api: Api) -> None:
    made = [api.create_case(path) for path in sorted(EXAMPLES.glob("*.yaml"))]
    seen: list[int] = []
    after = 0
    pages = 0
    while True:
        page = api.client.get(f"/api/v1/cases?limit=3&after={after}", headers=api.full).json()
        seen += [item["id"] for item in page["items"]]
        pages += 1
        if page["next_after"] is None:
            break
        after = page["next_after"]
    assert seen == sorted(made)
    assert pages == 2  # 4 cases, 3 a page


def test_a_full_last_page_says_no_next_page(api: Api) -> None:
    for path in sorted(EXAMPLES.glob("*.yaml"))[:2]:
        api.create_case(path)
    page = api.client.get("/api/v1/cases?limit=2", headers=api.full).json()
    assert len(page["items"]) == 2 and page["next_after"] is None


def test_another_facilitators_case_is_404_everywhere(api: Api) -> None:
    case_id = api.create_case()
    theirs = api.headers("read", "write", "workshop", owner=api.other_id)
    for path in ("", "/analysis", "/report", "/links", "/inputs", "/case.yaml", "/workshops"):
        response = api.client.get(f"/api/v1/cases/{case_id}{path}", headers=theirs)
        assert response.status_code == 404, path
        assert "growth" not in response.text
    put = api.client.put(
        f"/api/v1/cases/{case_id}", content=CASE.read_bytes(), headers={**theirs, **YAML}
    )
    assert put.status_code == 404
    assert api.client.get("/api/v1/cases", headers=theirs).json()["items"] == []


def test_put_replaces_the_file_and_keeps_the_id(api: Api) -> None:
    case_id = api.create_case()
    text = CASE.read_text(encoding="utf-8").replace(
        "title: FY27 pricing and go-to-market plan", "title: FY27 pricing plan (v2)"
    )
    response = api.client.put(
        f"/api/v1/cases/{case_id}", content=text, headers={**api.full, **YAML}
    )
    assert response.status_code == 200, response.text
    assert response.json()["title"] == "FY27 pricing plan (v2)"


def test_put_saves_a_revision_by_the_api_caller(api: Api) -> None:
    case_id = api.create_case()
    text = CASE.read_text(encoding="utf-8").replace("dots_budget: 5", "dots_budget: 6")
    response = api.client.put(
        f"/api/v1/cases/{case_id}", content=text, headers={**api.full, **YAML}
    )
    assert response.status_code == 200, response.text
    listed = api.client.get(f"/api/v1/cases/{case_id}/revisions", headers=api.full).json()
    assert [r["number"] for r in listed] == [2, 1]
    assert listed[0]["author"] == "Fran Facilitator (API)"
    assert "dots_budget" in listed[0]["summary"]


def test_put_taking_the_id_of_another_of_my_cases_changes_nothing(api: Api) -> None:
    first = api.create_case()
    api.create_case(EXAMPLES / "budget-workshop.yaml")
    other = (EXAMPLES / "budget-workshop.yaml").read_bytes()
    response = api.client.put(f"/api/v1/cases/{first}", content=other, headers={**api.full, **YAML})
    assert response.status_code == 400
    assert "you already have a case with id 'budget-workshop'" in response.text
    with api.store.session() as session:
        assert session.get(CaseRecord, first).case_slug == "growth-vs-margin"  # type: ignore[union-attr]
    listed = api.client.get(f"/api/v1/cases/{first}/revisions", headers=api.full).json()
    assert len(listed) == 1


def test_yaml_export_round_trips_with_stored_inputs(api: Api) -> None:
    case_id = api.create_case()
    stored = api.client.put(
        f"/api/v1/cases/{case_id}/inputs/ceo",
        json={"ranking": ["discount-push", "segment-split"]},
        headers=api.full,
    )
    assert stored.status_code == 200, stored.text
    exported = api.client.get(f"/api/v1/cases/{case_id}/case.yaml", headers=api.full)
    assert exported.headers["content-type"].startswith("application/yaml")
    case = parse_case(exported.text)
    assert case.inputs["ceo"].ranking == ["discount-push", "segment-split"]
    assert case.inputs["cro"] == parse_case(CASE.read_text(encoding="utf-8")).inputs["cro"]


def test_inputs_for_an_unknown_stakeholder_answer_404_with_a_suggestion(api: Api) -> None:
    case_id = api.create_case()
    response = api.client.put(
        f"/api/v1/cases/{case_id}/inputs/ceoo", json={"ratings": {}}, headers=api.full
    )
    assert response.status_code == 404
    assert "did you mean 'ceo'" in response.json()["message"]


def test_inputs_naming_an_unknown_option_store_nothing(api: Api) -> None:
    case_id = api.create_case()
    response = api.client.put(
        f"/api/v1/cases/{case_id}/inputs/ceo",
        json={"ratings": {"no-such-option": 5}},
        headers=api.full,
    )
    assert response.status_code == 400
    assert "no-such-option" in response.text
    with api.store.session() as session:
        assert session.query(StakeholderInputRecord).count() == 0


def test_inputs_with_a_number_out_of_range_store_nothing(api: Api) -> None:
    case_id = api.create_case()
    response = api.client.put(
        f"/api/v1/cases/{case_id}/inputs/ceo",
        content=b'{"ratings": {"discount-push": 1e400}}',
        headers={**api.full, **JSON},
    )
    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == "ratings.discount-push"
    with api.store.session() as session:
        assert session.query(StakeholderInputRecord).count() == 0


def test_links_are_shown_once_and_revoking_one_stops_it(api: Api) -> None:
    case_id = api.create_case()
    made = api.client.post(
        f"/api/v1/cases/{case_id}/links",
        json={"stakeholder_id": "cfo", "label": "Dana"},
        headers=api.full,
    )
    assert made.status_code == 201, made.text
    url = made.json()["url"]
    assert "/i/" in url
    listed = api.client.get(f"/api/v1/cases/{case_id}/links", headers=api.full).json()
    assert [link["id"] for link in listed] == [made.json()["id"]]
    assert url.rsplit("/", 1)[1] not in json.dumps(listed)
    path = "/i/" + url.rsplit("/i/", 1)[1]
    assert api.client.get(path).status_code == 200
    revoked = api.client.delete(
        f"/api/v1/cases/{case_id}/links/{made.json()['id']}", headers=api.full
    )
    assert revoked.status_code == 200 and revoked.json()["revoked"] is True
    assert api.client.get(path).status_code == 403


def test_link_for_an_unknown_stakeholder_is_refused_and_not_stored(api: Api) -> None:
    case_id = api.create_case()
    response = api.client.post(
        f"/api/v1/cases/{case_id}/links", json={"stakeholder_id": "cf0"}, headers=api.full
    )
    assert response.status_code == 400
    assert "did you mean 'cfo'" in response.json()["message"]
    with api.store.session() as session:
        assert session.query(LinkToken).count() == 0


def test_revoking_a_link_of_another_case_answers_404(api: Api) -> None:
    first = api.create_case()
    second = api.create_case(EXAMPLES / "budget-workshop.yaml")
    made = api.client.post(
        f"/api/v1/cases/{first}/links", json={"stakeholder_id": "cfo"}, headers=api.full
    ).json()
    response = api.client.delete(f"/api/v1/cases/{second}/links/{made['id']}", headers=api.full)
    assert response.status_code == 404
    with api.store.session() as session:
        assert session.get(LinkToken, made["id"]).revoked_at is None  # type: ignore[union-attr]
