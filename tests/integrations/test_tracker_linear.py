"""The Linear connector against a local server speaking Linear's GraphQL API as its docs give
it (https://linear.app/developers/graphql): ``issueCreate`` with an ``IssueCreateInput``,
``issue(id:)`` with its ``state { type }``, ``commentCreate``; the API key in
``Authorization`` as it is."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integrations.tracker_servers import Connected, FakeLinear, connect, open_actions

from accord.integrations.trackers.linear import CREATE, Linear, issue_id
from accord.integrations.trackers.sync import check_connection
from accord.store import trackers


@pytest.fixture
def linear() -> Iterator[FakeLinear]:
    fake = FakeLinear().start()
    yield fake
    fake.stop()


def _connect(
    tmp_path: Path, fake: FakeLinear, key: str = "lin_api_test", record: str = ""
) -> Connected:
    form = trackers.ConnectorForm(
        kind="linear", team=fake.team, token=key, base_url=fake.url, record_target=record
    )
    return connect(tmp_path, form, fake.url)


def test_each_open_action_becomes_one_issue_with_the_id_accord_chose(
    tmp_path: Path, linear: FakeLinear
) -> None:
    world = _connect(tmp_path, linear)
    assert world.sync().created == len(open_actions())
    world.sync()
    assert len(linear.issues) == len(open_actions()) and not linear.refused
    link = world.links()[0]
    assert link.issue_key == issue_id(link.marker) and link.issue_ref == "linear:ENG-1"
    issue = linear.issues[link.issue_key]
    assert issue["dueDate"] == "2026-12-04" and "Owner: vp-cs" in issue["description"]


def test_a_lost_answer_is_found_again_by_its_id(tmp_path: Path, linear: FakeLinear) -> None:
    linear.drop_after_create = 2
    world = _connect(tmp_path, linear)
    assert world.sync().errors == 2
    again = world.sync()
    assert again.found_again == 2 and again.created == 0
    assert len(linear.issues) == len(open_actions())


def test_completed_marks_the_action_done_and_canceled_does_not(
    tmp_path: Path, linear: FakeLinear
) -> None:
    world = _connect(tmp_path, linear)
    world.sync()
    linear.set_state("ENG-1", "completed")
    linear.set_state("ENG-2", "canceled")
    assert world.sync().marked_done == 1
    first = world.links()[0].action_id
    assert world.revisions()[0] == ("linear:ENG-1", f"action '{first}' done in linear:ENG-1")


def test_a_wrong_key_gets_linears_authentication_error(tmp_path: Path, linear: FakeLinear) -> None:
    world = _connect(tmp_path, linear, key="Bearer lin_api_test")  # API keys go without Bearer
    assert world.sync().errors == len(open_actions()) and not linear.issues
    assert "Authentication required" in (world.links()[0].last_error or "")
    assert {link.state for link in world.links()} == {"failed"}


def test_test_connection_names_the_viewer_and_team(tmp_path: Path, linear: FakeLinear) -> None:
    world = _connect(tmp_path, linear)
    said = check_connection(world.store, world.case_id, world.settings())
    assert said == "ok: Signed in to Linear as Fran; team ENG (Eng) found."


def test_the_decision_record_is_a_markdown_comment(tmp_path: Path, linear: FakeLinear) -> None:
    world = _connect(tmp_path, linear, record="ENG-3")
    world.sync()
    with world.store.session() as s:
        trackers.record_due(s, world.case_id, "decision.recorded", {"decision": {"decision": "A"}})
    assert world.sync().published
    (comment,) = linear.comments
    assert comment["issueId"] == world.links()[2].issue_key
    assert "# Decision record: FY27 growth budget alignment workshop" in comment["body"]


def test_the_fake_refuses_an_input_field_the_schema_does_not_define(linear: FakeLinear) -> None:
    client = Linear(linear.url, linear.team, linear.key)
    answer = client.http.post(
        client.url,
        json={
            "query": CREATE,
            "variables": {"input": {"teamId": linear.team, "title": "x", "due": 1}},
        },
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["message"] == (
        'Field "due" is not defined by type "IssueCreateInput".'
    )
