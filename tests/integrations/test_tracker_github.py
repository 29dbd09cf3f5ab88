"""The GitHub Issues connector against a local server speaking GitHub's REST API as its docs
give it: https://docs.github.com/en/rest/issues/issues (create, get, list issues) and
https://docs.github.com/en/rest/repos/contents#create-or-update-file-contents (the record)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integrations.tracker_servers import (
    SERVER_KEY,
    Connected,
    FakeGitHub,
    connect,
    open_actions,
)

from accord.integrations.trackers.github import GitHub
from accord.integrations.trackers.sync import check_connection, sync_all
from accord.store import trackers
from accord.store.tables import TrackerConnector


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    fake = FakeGitHub().start()
    yield fake
    fake.stop()


def _connect(
    tmp_path: Path, fake: FakeGitHub, token: str = "ghp_test", record: str = ""
) -> Connected:
    form = trackers.ConnectorForm(
        kind="github", repo=fake.repo, token=token, base_url=fake.url, record_target=record
    )
    return connect(tmp_path, form, fake.url)


def test_each_open_action_becomes_one_issue_and_a_second_sync_makes_none(
    tmp_path: Path, github: FakeGitHub
) -> None:
    world = _connect(tmp_path, github)
    first = world.sync()
    assert first.created == len(open_actions()) == len(github.issues) and first.errors == 0
    world.sync()
    assert len(github.issues) == len(open_actions())
    issue = github.issues[1]
    action = world.case().actions[0]
    assert issue["title"] == action.title
    assert f"Owner: {action.owner}" in issue["body"] and "Due: 2026-12-04" in issue["body"]
    assert f"Success metric: {action.metric}" in issue["body"]
    links = world.links()
    assert [link.issue_ref for link in links][:2] == [
        "github:acme/roadmap#1",
        "github:acme/roadmap#2",
    ]
    assert {link.state for link in links} == {"open"}
    assert not github.refused


def test_an_issue_whose_answer_was_lost_is_found_again_not_made_twice(
    tmp_path: Path, github: FakeGitHub
) -> None:
    github.drop_after_create = 1  # the first issue is made, its answer never arrives
    world = _connect(tmp_path, github)
    first = world.sync()
    assert first.errors == 1 and first.created == len(open_actions()) - 1
    lost = world.links()[0]
    assert lost.state == "creating" and "RemoteProtocolError" in (lost.last_error or "")
    second = world.sync()
    assert second.found_again == 1 and second.created == 0
    assert len(github.issues) == len(open_actions())
    assert world.links()[0].issue_ref == "github:acme/roadmap#1"


def test_a_closed_issue_marks_its_action_done_in_a_revision_by_the_issue(
    tmp_path: Path, github: FakeGitHub
) -> None:
    world = _connect(tmp_path, github)
    world.sync()
    github.close(1)
    github.close(2, reason="not_planned")  # closed as not planned: not done
    outcome = world.sync()
    assert outcome.marked_done == 1
    done = {a.id: a.done for a in world.case().actions}
    first, second = world.links()[0].action_id, world.links()[1].action_id
    assert done[first] is True and done[second] is False
    author, summary = world.revisions()[0]  # newest first
    assert author == "github:acme/roadmap#1"
    assert summary == f"action '{first}' done in github:acme/roadmap#1"
    world.sync()  # polled again: no second revision
    assert len(world.revisions()) == 2


def test_a_refused_token_is_recorded_and_given_up_not_retried_for_ever(
    tmp_path: Path, github: FakeGitHub
) -> None:
    world = _connect(tmp_path, github, token="ghp_wrong")
    outcome = world.sync()
    assert outcome.errors == len(open_actions()) and not github.issues
    assert {link.state for link in world.links()} == {"failed"}
    assert "401" in (world.links()[0].last_error or "") and "Bad credentials" in (
        world.links()[0].last_error or ""
    )
    with world.store.session() as s:
        connector = trackers.own_connector(s, world.case_id)
        assert connector.last_error and "401" in connector.last_error


def test_a_tracker_failing_with_500_is_retried_until_it_answers(
    tmp_path: Path, github: FakeGitHub
) -> None:
    github.fail_next = 3
    world = _connect(tmp_path, github)
    world.sync()
    assert [link.state for link in world.links()].count("creating") == 3
    world.sync()
    assert {link.state for link in world.links()} == {"open"}
    assert len(github.issues) == len(open_actions())


def test_the_decision_record_is_written_to_a_file_then_updated_with_its_sha(
    tmp_path: Path, github: FakeGitHub
) -> None:
    world = _connect(tmp_path, github, record="docs/decisions/budget.md")
    with world.store.session() as s:
        trackers.record_due(
            s,
            world.case_id,
            "decision.recorded",
            {"workshop": {"id": 1, "title": "Q3 call"}, "decision": {"decision": "Fund A"}},
        )
    assert world.sync().published
    (path,) = github.files
    text = github.files[path]["text"]
    assert path == "docs/decisions/budget.md"
    assert text.startswith("# Decision record: FY27 growth budget alignment workshop")
    assert "Decision recorded in Q3 call" in text and "## Action register" in text
    with world.store.session() as s:
        trackers.record_due(s, world.case_id, "decision.recorded", {"decision": {}})
    first_sha = github.files[path]["sha"]
    assert world.sync().published  # the second PUT sends the file's sha (or is refused)
    assert github.files[path]["sha"] != first_sha
    # Only the first look for the file's sha found none: the file did not exist yet.
    assert github.refused == [(404, f"GET /repos/acme/roadmap/contents/{path}")]
    assert not world.sync().published  # nothing due any more


def test_test_connection_says_what_github_answered(tmp_path: Path, github: FakeGitHub) -> None:
    world = _connect(tmp_path, github)
    said = check_connection(world.store, world.case_id, world.settings())
    assert said == "ok: GitHub repository acme/roadmap found; the token may write to it."
    github.token = "rotated"
    assert check_connection(world.store, world.case_id, world.settings()).startswith(
        "failed: GET repository acme/roadmap: answered 401"
    )


def test_a_private_address_is_refused_without_the_explicit_setting(
    tmp_path: Path, github: FakeGitHub
) -> None:
    world = _connect(tmp_path, github)
    outcome = sync_all(world.store, world.settings(allow_private=False))
    assert outcome.errors == 1 and not github.requests
    with world.store.session() as s:
        connector = s.get(TrackerConnector, 1)
        assert connector is not None and "private, loopback" in (connector.last_error or "")


def test_the_token_is_stored_encrypted(tmp_path: Path, github: FakeGitHub) -> None:
    world = _connect(tmp_path, github, token="ghp_secret_value")
    with world.store.session() as s:
        connector = trackers.own_connector(s, world.case_id)
        assert "ghp_secret_value" not in connector.token_cipher
        assert trackers.token_of(SERVER_KEY, connector) == "ghp_secret_value"
        with pytest.raises(Exception, match="cannot be read"):
            trackers.token_of("x" * 48, connector)


def test_the_fake_refuses_fields_the_docs_do_not_list(github: FakeGitHub) -> None:
    client = GitHub(github.url, github.repo, "ghp_test")
    answer = client.http.post(f"{client.api}/issues", json={"title": "x", "due_on": "2026"})
    assert answer.status_code == 422
