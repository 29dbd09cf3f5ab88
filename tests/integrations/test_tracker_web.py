"""The Connectors page: connect a case to a tracker (the local GitHub stand-in of
tests/integrations/tracker_servers.py, https://docs.github.com/en/rest/issues/issues), test
the connection, see each action's issue; bad settings refused next to the form; the token
never shown back; other facilitators kept out; a workshop decision makes the record due."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integrations.tracker_servers import FakeGitHub, open_actions
from tests.web.conftest import EXAMPLES, IN_TEST_ANALYSES, Web, running_web

from accord.integrations.trackers.sync import SyncSettings, sync_all
from accord.store import repository, trackers
from accord.store import webhooks as outbox
from accord.store.revisions import list_revisions
from accord.store.tables import TrackerLink
from accord.web.settings import Settings

BUDGET = (EXAMPLES / "budget-workshop.yaml").read_text(encoding="utf-8")
TOKEN = "ghp_visible_nowhere_42"


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    fake = FakeGitHub(token=TOKEN).start()
    yield fake
    fake.stop()


@pytest.fixture
def web(tmp_path: Path) -> Iterator[Web]:
    with running_web(tmp_path) as made:
        yield made


@pytest.fixture
def private_web(tmp_path: Path) -> Iterator[Web]:
    # Trackers on 127.0.0.1 only with the explicit setting, as webhook receivers.
    settings = dataclasses.replace(
        Settings(secret_key="k" * 48, **IN_TEST_ANALYSES), webhook_allow_private=True
    )
    with running_web(tmp_path, settings=settings) as made:
        yield made


def _case(web: Web) -> int:
    with web.store.session() as s:
        owner = repository.authenticate(s, web.email, "correct horse battery")
        assert owner is not None
        return repository.save_case(s, owner.id, BUDGET, "budget.yaml").id


def _links(web: Web, case_id: int) -> list[TrackerLink]:
    with web.store.session() as s:
        rows = trackers.links(s, trackers.own_connector(s, case_id).id)
        s.expunge_all()
    return rows


def _wait_for_issues(web: Web, case_id: int) -> None:
    """Until every link has its issue (the app's runner may hold some in flight)."""
    for _ in range(2400):  # bounded wait for the runner's round, on a loaded machine
        rows = _links(web, case_id)
        if rows and all(link.state == "open" for link in rows):
            return
        time.sleep(0.05)


def _save(web: Web, case_id: int, **form: str) -> tuple[int, str]:
    page = f"/cases/{case_id}/connectors"
    answer = web.client.post(page, data={"csrf": web.csrf(page), **form}, follow_redirects=False)
    return answer.status_code, answer.text


def test_connecting_testing_and_syncing_from_the_page(private_web: Web, github: FakeGitHub) -> None:
    web = private_web
    web.sign_in()
    case_id = _case(web)
    page = f"/cases/{case_id}/connectors"
    assert "Connect a tracker" in web.client.get(page).text
    status, _ = _save(
        web, case_id, kind="github", repo=github.repo, token=TOKEN, base_url=github.url
    )
    assert status == 303
    web.client.post(f"{page}/test", data={"csrf": web.csrf(page)})
    # The app's runner syncs once the connector is saved (woken by the save); a sync run by
    # hand at the same time must not make a second issue for any action.
    sync_all(web.store, SyncSettings(server_key=web.settings.secret_key, allow_private=True))
    _wait_for_issues(web, case_id)
    shown = web.client.get(page).text
    assert len(github.issues) == len(open_actions())
    assert "ok: GitHub repository acme/roadmap found" in shown
    assert shown.count("github:acme/roadmap#") == len(open_actions())
    assert "done before connecting" in shown  # the example's one done action
    assert TOKEN not in shown
    # Saved again without a token: the stored one is kept and still works.
    status, _ = _save(web, case_id, kind="github", repo=github.repo, base_url=github.url)
    assert status == 303
    with web.store.session() as s:
        connector = trackers.own_connector(s, case_id)
        assert trackers.token_of(web.settings.secret_key, connector) == TOKEN


def test_bad_settings_are_refused_next_to_the_form_without_the_token(web: Web) -> None:
    web.sign_in()
    case_id = _case(web)
    for form, message in [
        ({"kind": "trello"}, "kind: &#39;trello&#39; is not one of github, jira, linear"),
        ({"kind": "github", "repo": "no-slash"}, "repo: &#39;no-slash&#39; is not owner/name"),
        ({"kind": "github", "repo": "a/b", "base_url": "http://127.0.0.1:9"}, "private, loopback"),
        ({"kind": "github", "repo": "a/b", "base_url": "ftp://x"}, "use an http:// or https://"),
        ({"kind": "github", "repo": "a/b"}, "token: give the tracker&#39;s API token"),
        (
            {"kind": "github", "repo": "a/b", "record_target": "../x.md"},
            "is not a repository path to a .md file",
        ),
        ({"kind": "linear", "team": "ENG"}, "team: &#39;ENG&#39; is not a Linear team id"),
    ]:
        status, body = _save(web, case_id, token=TOKEN if "token:" not in message else "", **form)
        assert status == 400, (form, body[:300])
        assert message in body, (form, message)
        assert TOKEN not in body
    with web.store.session() as s:
        assert trackers.connector_of(s, case_id) is None


def test_another_facilitator_cannot_see_or_change_the_connector(web: Web) -> None:
    web.sign_in()
    case_id = _case(web)
    _save(web, case_id, kind="github", repo="acme/roadmap", token=TOKEN)
    web.client.post("/logout", data={"csrf": web.csrf("/")})
    web.sign_in("other@example.org")
    page = f"/cases/{case_id}/connectors"
    assert web.client.get(page).status_code == 404
    for action in ("", "/test", "/sync", "/delete"):
        answer = web.client.post(page + action, data={"csrf": web.csrf("/"), "kind": "github"})
        assert answer.status_code == 404, action
    with web.store.session() as s:
        assert trackers.connector_of(s, case_id) is not None


def test_a_decision_recorded_makes_the_record_due_in_the_same_transaction(web: Web) -> None:
    web.sign_in()
    case_id = _case(web)
    _save(web, case_id, kind="github", repo="acme/roadmap", token=TOKEN, record_target="d/r.md")
    with web.store.session() as s:
        workshop = repository.create_workshop(s, case_id, "Q3 call")
        outbox.emit_workshop_event(s, workshop.id, "decision_recorded", {"decision": "Fund A"})
    with web.store.session() as s:
        due = trackers.own_connector(s, case_id).record_due
    assert due == {
        "workshop": {"id": 1, "title": "Q3 call", "path": "/workshops/1"},
        "decision": {"decision": "Fund A"},
    }
    assert "one is waiting to be published" in web.client.get(f"/cases/{case_id}/connectors").text


def _hook_call(web: Web, url: str, secret: str, payload: dict[str, object]) -> int:
    body = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    answer = web.client.post(
        url,
        content=body,
        headers={
            "Content-Type": "application/json",
            "X-GitHub-Event": "issues",
            "X-Hub-Signature-256": signature,
        },
    )
    return answer.status_code


def test_githubs_signed_webhook_marks_a_closed_issue_done_and_unsigned_ones_are_refused(
    private_web: Web, github: FakeGitHub
) -> None:
    # The payload as https://docs.github.com/en/webhooks/webhook-events-and-payloads#issues
    # gives it; the signature as .../using-webhooks/validating-webhook-deliveries describes.
    web = private_web
    web.sign_in()
    case_id = _case(web)
    page = f"/cases/{case_id}/connectors"
    _save(web, case_id, kind="github", repo=github.repo, token=TOKEN, base_url=github.url)
    sync_all(web.store, SyncSettings(server_key=web.settings.secret_key, allow_private=True))
    _wait_for_issues(web, case_id)
    shown = web.client.post(f"{page}/github-secret", data={"csrf": web.csrf(page)}).text
    found = re.search(r"(ghwh_[0-9a-f]{64})", shown)
    url = re.search(
        r"Payload URL: <code class=\"wrap\">http://127\.0\.0\.1(/hooks/github/\d+)", shown
    )
    assert found and url, shown
    secret, hook = found.group(1), url.group(1)
    first = next(link for link in _links(web, case_id) if link.issue_key == "1")

    def closed(
        number: int, reason: str = "completed", repo: str = github.repo
    ) -> dict[str, object]:
        issue = {"number": number, "state": "closed", "state_reason": reason}
        return {"action": "closed", "issue": issue, "repository": {"full_name": repo}}

    assert _hook_call(web, hook, "ghwh_" + "0" * 64, closed(1)) == 401
    assert _hook_call(web, "/hooks/github/999", secret, closed(1)) == 401
    assert _hook_call(web, hook, secret, closed(1, repo="evil/other")) == 204
    assert _hook_call(web, hook, secret, closed(2, reason="not_planned")) == 204
    with web.store.session() as s:
        assert len(list_revisions(s, case_id)) == 1  # nothing marked done so far
    assert _hook_call(web, hook, secret, closed(1)) == 204
    assert _hook_call(web, hook, secret, closed(1)) == 204  # GitHub redelivers: no change
    with web.store.session() as s:
        revisions = list_revisions(s, case_id)
    assert [r.author for r in revisions] == ["github:acme/roadmap#1", revisions[1].author]
    assert revisions[0].summary == f"action '{first.action_id}' done in github:acme/roadmap#1"


def test_saving_a_corrected_token_tries_the_refused_actions_again(
    private_web: Web, github: FakeGitHub
) -> None:
    web = private_web
    web.sign_in()
    case_id = _case(web)
    settings = SyncSettings(server_key=web.settings.secret_key, allow_private=True)
    _save(web, case_id, kind="github", repo=github.repo, token="ghp_typo", base_url=github.url)
    for _ in range(2400):  # bounded wait: the runner and this sync both give up on 401
        sync_all(web.store, settings)
        rows = _links(web, case_id)
        if rows and all(link.state == "failed" for link in rows):
            break
        time.sleep(0.05)
    assert not github.issues
    assert "401" in web.client.get(f"/cases/{case_id}/connectors").text
    _save(web, case_id, kind="github", repo=github.repo, token=TOKEN, base_url=github.url)
    sync_all(web.store, settings)
    _wait_for_issues(web, case_id)
    assert len(github.issues) == len(open_actions())
