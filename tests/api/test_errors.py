"""Every error of /api/v1 is the one JSON envelope, whatever raised it."""

from __future__ import annotations

from typing import Any

import pytest
from tests.api.conftest import Api

from accord.web.settings import MAX_REQUEST_BYTES

ENVELOPE_KEYS = {"error", "message", "problems"}


def envelope(response: Any, status: int, kind: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) == ENVELOPE_KEYS
    assert body["error"] == kind
    assert body["message"]
    return body


def test_unknown_address_answers_404_envelope(api: Api) -> None:
    envelope(api.client.get("/api/v1/nothing-here", headers=api.full), 404, "not_found")


def test_wrong_method_answers_405_envelope(api: Api) -> None:
    envelope(api.client.patch("/api/v1/cases", headers=api.full), 405, "http_error")


def test_id_outside_integer_range_answers_404_envelope(api: Api) -> None:
    for path in ("/api/v1/cases/0", f"/api/v1/cases/{2**63}", "/api/v1/cases/abc"):
        envelope(api.client.get(path, headers=api.full), 404, "not_found")


def test_malformed_json_answers_400_with_line_and_column(api: Api) -> None:
    response = api.client.post(
        "/api/v1/cases",
        content=b'{"accord": 1,\n "id": }',
        headers={**api.full, "Content-Type": "application/json"},
    )
    body = envelope(response, 400, "invalid_file")
    assert body["problems"][0]["line"] == 2
    assert body["problems"][0]["path"] == "case.json"


def test_malformed_json_to_a_model_body_answers_400(api: Api) -> None:
    case_id = api.create_case()
    response = api.client.post(
        f"/api/v1/cases/{case_id}/links",
        content=b"{not json",
        headers={**api.full, "Content-Type": "application/json"},
    )
    assert (
        envelope(response, 400, "invalid_input")["message"] == "the request body is not valid JSON"
    )


def test_wrong_types_answer_422_naming_the_field(api: Api) -> None:
    case_id = api.create_case()
    response = api.client.post(
        f"/api/v1/cases/{case_id}/links", json={"stakeholder_id": 7}, headers=api.full
    )
    body = envelope(response, 422, "http_error")
    assert [p["field"] for p in body["problems"]] == ["stakeholder_id"]


def test_unknown_body_field_answers_422(api: Api) -> None:
    case_id = api.create_case()
    response = api.client.post(
        f"/api/v1/cases/{case_id}/workshops", json={"title": "x", "tilte": "y"}, headers=api.full
    )
    assert envelope(response, 422, "http_error")["problems"][0]["field"] == "tilte"


def test_bad_query_parameter_answers_422(api: Api) -> None:
    response = api.client.get("/api/v1/cases?limit=0", headers=api.full)
    assert envelope(response, 422, "http_error")["problems"][0]["field"] == "limit"


def test_oversized_body_answers_413_and_stores_nothing(api: Api) -> None:
    response = api.client.post(
        "/api/v1/cases",
        content=b"x" * (MAX_REQUEST_BYTES + 1),
        headers={**api.full, "Content-Type": "application/yaml"},
    )
    envelope(response, 413, "http_error")
    assert api.client.get("/api/v1/cases", headers=api.full).json()["items"] == []


def test_wrong_media_type_answers_415(api: Api) -> None:
    response = api.client.post(
        "/api/v1/cases", content=b"id: x", headers={**api.full, "Content-Type": "text/csv"}
    )
    assert "application/json" in envelope(response, 415, "unsupported_media_type")["message"]


def test_refused_workshop_command_answers_409(api: Api) -> None:
    case_id = api.create_case()
    made = api.client.post(
        f"/api/v1/cases/{case_id}/workshops", json={"title": "Pricing"}, headers=api.full
    )
    response = api.client.post(
        f"/api/v1/workshops/{made.json()['id']}/commands",
        json={"kind": "item_started", "payload": {"item": 3}},
        headers=api.full,
    )
    envelope(response, 409, "workshop_rule")


@pytest.mark.parametrize("header", ["", "Basic dXNlcjpwYXNz", "Bearer", "Bearer nope"])
def test_missing_or_malformed_credentials_answer_401_with_challenge(api: Api, header: str) -> None:
    headers = {"Authorization": header} if header else {}
    response = api.client.get("/api/v1/cases", headers=headers)
    envelope(response, 401, "unauthorized")
    assert response.headers["www-authenticate"] == 'Bearer realm="accord"'


def test_repeated_bad_tokens_answer_429_with_retry_after(api: Api) -> None:
    bad = {"Authorization": "Bearer accord_not-a-real-token"}
    for _ in range(20):
        envelope(api.client.get("/api/v1/cases", headers=bad), 401, "unauthorized")
    response = api.client.get("/api/v1/cases", headers=bad)
    envelope(response, 429, "too_many_requests")
    assert int(response.headers["retry-after"]) > 0


def test_api_errors_carry_the_security_headers(api: Api) -> None:
    response = api.client.get("/api/v1/cases")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
