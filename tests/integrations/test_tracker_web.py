"""The Connectors page: connect a case to a tracker (the local GitHub stand-in of
tests/integrations/tracker_servers.py, https://docs.github.com/en/rest/issues/issues), test
the connection, see each action's issue; bad settings refused next to the form; the token
never shown back; other facilitators kept out; a workshop decision makes the record due."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integrations.tracker_servers import FakeGitHub, open_actions
from tests.web.conftest import EXAMPLES, IN_TEST_ANALYSES, Web, running_web

from accord.integrations.trackers.sync import SyncSettings, sync_all
from accord.store import repository, trackers
from accord.store import webhooks as outbox
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
    for _ in range(2400):  # bounded wait for the runner's round, on a loaded machine
        if len(web.client.app.state.trackers._runs) and all(  # type: ignore[attr-defined]
            link.state == "open" for link in _links(web, case_id)
        ):
            break
        time.sleep(0.05)
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
