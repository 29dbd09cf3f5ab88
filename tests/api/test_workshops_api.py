"""Workshops through /api/v1: the facilitator's view, commands under the workshop rules."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from tests.api.conftest import Api
from tests.web.conftest import csrf_of

from accord.store import revisions
from accord.store.tables import Workshop, WorkshopEvent


def _workshop(api: Api) -> int:
    case_id = api.create_case()
    made = api.client.post(
        f"/api/v1/cases/{case_id}/workshops", json={"title": "Pricing offsite"}, headers=api.full
    )
    assert made.status_code == 201, made.text
    assert made.headers["location"] == f"/api/v1/workshops/{made.json()['id']}"
    workshop_id: int = made.json()["id"]
    return workshop_id


def _command(api: Api, workshop_id: int, kind: str, **payload: object) -> dict[str, object]:
    response = api.client.post(
        f"/api/v1/workshops/{workshop_id}/commands",
        json={"kind": kind, "payload": payload},
        headers=api.full,
    )
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def _join(api: Api, url: str, name: str) -> TestClient:
    person = TestClient(api.client.app, base_url="http://127.0.0.1")
    path = "/w/" + url.rsplit("/w/", 1)[1]
    joined = person.post(
        f"{path}/join", data={"csrf": csrf_of(person.get(path).text), "name": name}
    )
    assert joined.status_code == 200, joined.text
    page = person.get(path).text
    added = person.post(
        f"{path}/commands",
        data={"csrf": csrf_of(page), "kind": "idea_added", "text": f"{name}'s secret idea"},
        headers={"HX-Request": "1"},
    )
    assert added.status_code == 204, added.text
    return person


def test_state_hides_ideas_during_silent_brainstorming(api: Api) -> None:
    workshop_id = _workshop(api)
    _command(api, workshop_id, "agenda_set", items=["Price?", "Segments?", "Hiring?"])
    _command(api, workshop_id, "item_started", item=0)
    invite = api.client.post(
        f"/api/v1/workshops/{workshop_id}/links", json={"label": "Grace"}, headers=api.full
    )
    assert invite.status_code == 201 and invite.json()["role"] == "participant"
    _join(api, invite.json()["url"], "Grace")
    state = api.client.get(f"/api/v1/workshops/{workshop_id}", headers=api.full).json()
    assert state["view"]["phase"] == "brainstorm"
    assert state["view"]["ideas"] == [] and state["view"]["idea_count"] == 1
    assert "Grace's secret idea" not in str(state)
    revealed = _command(api, workshop_id, "phase_changed", phase="reveal")
    assert "Grace's secret idea" in str(revealed["view"])


def test_retried_command_with_the_same_key_is_stored_once(api: Api) -> None:
    workshop_id = _workshop(api)
    body = {"kind": "agenda_set", "payload": {"items": ["A?", "B?", "C?"]}, "command_key": "k-1"}
    path = f"/api/v1/workshops/{workshop_id}/commands"
    for _ in range(3):
        assert api.client.post(path, json=body, headers=api.full).status_code == 200
    with api.store.session() as session:
        kinds = [e.kind for e in session.query(WorkshopEvent).filter_by(workshop_id=workshop_id)]
    assert kinds == ["agenda_set"]


def test_refused_command_stores_nothing(api: Api) -> None:
    workshop_id = _workshop(api)
    path = f"/api/v1/workshops/{workshop_id}/commands"
    for body in (
        {"kind": "no_such_command", "payload": {}},
        {"kind": "item_started", "payload": {"item": "zero"}},
        {"kind": "agenda_set", "payload": {"items": "not a list"}},
        {"kind": "dots_cast", "payload": {"allocation": {"x": 1}}},
    ):
        response = api.client.post(path, json=body, headers=api.full)
        assert response.status_code == 409, (body, response.text)
        assert response.json()["error"] == "workshop_rule"
    with api.store.session() as session:
        assert session.query(WorkshopEvent).filter_by(workshop_id=workshop_id).count() == 0


def test_another_facilitators_workshop_is_404(api: Api) -> None:
    workshop_id = _workshop(api)
    theirs = api.headers("read", "workshop", owner=api.other_id)
    assert api.client.get(f"/api/v1/workshops/{workshop_id}", headers=theirs).status_code == 404
    response = api.client.post(
        f"/api/v1/workshops/{workshop_id}/commands",
        json={"kind": "workshop_closed", "payload": {}},
        headers=theirs,
    )
    assert response.status_code == 404
    with api.store.session() as session:
        assert session.query(WorkshopEvent).count() == 0


def test_workshops_are_listed_per_case(api: Api) -> None:
    workshop_id = _workshop(api)
    case_id = api.client.get(f"/api/v1/workshops/{workshop_id}", headers=api.full).json()["case_id"]
    listed = api.client.get(f"/api/v1/cases/{case_id}/workshops", headers=api.full).json()
    assert [w["id"] for w in listed] == [workshop_id]


def test_a_close_through_the_api_writes_the_outcome_into_the_case(api: Api) -> None:
    workshop_id = _workshop(api)
    _command(api, workshop_id, "agenda_set", items=["Price?", "Segments?", "Hiring?"])
    due = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    _command(
        api,
        workshop_id,
        "action_added",
        what="Draft the price page",
        owner="facilitator",
        due=due,
        metric="Page reviewed",
    )
    assert _command(api, workshop_id, "workshop_closed")["view"]["closed"] is True
    with api.store.session() as session:
        workshop = session.get(Workshop, workshop_id)
        assert workshop is not None
        latest = revisions.list_revisions(session, workshop.case_id)[0]
    assert latest.author == f"workshop {workshop_id}"
    assert latest.summary.startswith("workshop outcome: 0 decision(s), 1 action(s)")
