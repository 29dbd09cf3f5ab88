"""The Jira Cloud connector against a local server speaking the REST API v3 as its docs give
it: https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/ (create
with an ADF description, get the status category), .../api-group-issue-search/ (JQL) and
.../api-group-issue-comments/ (the decision record as a comment)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integrations.tracker_servers import Connected, FakeJira, connect, open_actions

from accord.errors import InputError
from accord.integrations.trackers.jira import Jira, adf
from accord.integrations.trackers.sync import check_connection
from accord.store import trackers


@pytest.fixture
def jira() -> Iterator[FakeJira]:
    fake = FakeJira().start()
    yield fake
    fake.stop()


def _connect(
    tmp_path: Path, fake: FakeJira, token: str = "jira-token", record: str = ""
) -> Connected:
    form = trackers.ConnectorForm(
        kind="jira",
        site=fake.url,
        project=fake.project,
        email=fake.email,
        token=token,
        record_target=record,
    )
    return connect(tmp_path, form, fake.url)


def test_each_open_action_becomes_one_task_with_an_adf_description_and_due_date(
    tmp_path: Path, jira: FakeJira
) -> None:
    world = _connect(tmp_path, jira)
    assert world.sync().created == len(open_actions())
    world.sync()
    assert len(jira.issues) == len(open_actions()) and not jira.refused
    fields = jira.issues["OPS-1"]["fields"]
    action = world.case().actions[0]
    assert fields["summary"] == action.title and fields["duedate"] == "2026-12-04"
    texts = [p["content"][0]["text"] for p in fields["description"]["content"]]
    assert f"Owner: {action.owner}" in texts and f"Success metric: {action.metric}" in texts
    assert world.links()[0].issue_ref == "jira:OPS-1"
    assert world.links()[0].url == f"{jira.url}/browse/OPS-1"


def test_a_lost_answer_is_found_again_by_its_label(tmp_path: Path, jira: FakeJira) -> None:
    jira.drop_after_create = 1
    world = _connect(tmp_path, jira)
    assert world.sync().errors == 1
    again = world.sync()
    assert again.found_again == 1 and again.created == 0
    assert len(jira.issues) == len(open_actions())


def test_only_the_done_status_category_marks_the_action_done(
    tmp_path: Path, jira: FakeJira
) -> None:
    world = _connect(tmp_path, jira)
    world.sync()
    jira.finish("OPS-1", "done")
    jira.finish("OPS-2", "indeterminate")
    assert world.sync().marked_done == 1
    first = world.links()[0].action_id
    assert [a.id for a in world.case().actions if a.done and a.id != "act-email-calendar"] == [
        first
    ]
    assert world.revisions()[0] == ("jira:OPS-1", f"action '{first}' done in jira:OPS-1")


def test_a_wrong_api_token_is_refused_and_no_issue_is_made(tmp_path: Path, jira: FakeJira) -> None:
    world = _connect(tmp_path, jira, token="wrong")
    assert world.sync().errors == len(open_actions())
    assert not jira.issues and {link.state for link in world.links()} == {"failed"}
    said = check_connection(world.store, world.case_id, world.settings())
    assert said.startswith("failed: GET myself: answered 401")


def test_test_connection_names_the_account_and_project(tmp_path: Path, jira: FakeJira) -> None:
    world = _connect(tmp_path, jira)
    said = check_connection(world.store, world.case_id, world.settings())
    assert said == "ok: Signed in to Jira as Fran; project OPS (Operations) found."


def test_the_decision_record_is_a_comment_in_adf(tmp_path: Path, jira: FakeJira) -> None:
    world = _connect(tmp_path, jira, record="OPS-1")
    world.sync()  # OPS-1 exists now
    with world.store.session() as s:
        trackers.record_due(s, world.case_id, "decision.recorded", {"decision": {"decision": "A"}})
    assert world.sync().published
    (comment,) = jira.comments["OPS-1"]
    texts = [p["content"][0]["text"] for p in comment["content"]]
    assert texts[0] == "accord: decision record of FY27 growth budget alignment workshop"
    assert "# Decision record: FY27 growth budget alignment workshop" in texts


def test_jira_settings_are_checked_field_by_field() -> None:
    for form, message in [
        (trackers.ConnectorForm(kind="jira", site="", project="OPS", email="a@b"), "site:"),
        (
            trackers.ConnectorForm(kind="jira", site="https://x", project="ops", email="a@b"),
            "project: 'ops' is not a Jira project key",
        ),
        (
            trackers.ConnectorForm(kind="jira", site="https://x", project="OPS", email="nobody"),
            "email: 'nobody' is not the email address",
        ),
    ]:
        with pytest.raises(InputError, match=message):
            trackers.checked_settings(form)


def test_adf_drops_empty_lines_that_jira_would_refuse() -> None:
    assert adf(["a", "", "b"])["content"] == [
        {"type": "paragraph", "content": [{"type": "text", "text": "a"}]},
        {"type": "paragraph", "content": [{"type": "text", "text": "b"}]},
    ]


def test_the_fake_refuses_fields_the_create_screen_does_not_have(jira: FakeJira) -> None:
    client = Jira(jira.url, jira.project, jira.email, jira.token)
    fields = {"project": {"key": "OPS"}, "summary": "x", "issuetype": {"name": "Task"}, "owner": 1}
    answer = client.http.post(f"{client.api}/issue", json={"fields": fields})
    assert answer.status_code == 400 and "owner" in answer.json()["errors"]
