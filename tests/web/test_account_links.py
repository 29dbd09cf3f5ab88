"""Sign-up by invitation and password reset by a one-time link, with mail through a real
SMTP server on 127.0.0.1 (aiosmtpd), and the CLI commands that print the links."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from tests.web.conftest import IN_TEST_ANALYSES, PASSWORD, Web, csrf_of, free_port, running_web
from tests.web.test_matrix import snapshot

from accord.errors import InputError
from accord.store import account_links, repository
from accord.store.tables import AccountLink, Facilitator, FacilitatorSession
from accord.web.settings import Settings, SmtpSettings

NEW_PASSWORD = "a brand new password"
LINK = re.compile(r"http://127\.0\.0\.1/(invite|reset)/[A-Za-z0-9_-]+")


@dataclass
class Inbox:
    """What the local SMTP server received."""

    port: int
    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.original_content))
        return "250 OK"

    def link(self) -> str:
        found = LINK.search(self.messages[-1].get_payload(decode=True).decode())  # type: ignore[union-attr]
        assert found, self.messages[-1]
        return found.group(0)


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    from aiosmtpd.controller import Controller

    box = Inbox(free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def mailing(tmp_path: Path, inbox: Inbox) -> Iterator[Web]:
    smtp = SmtpSettings(host="127.0.0.1", port=inbox.port, sender="accord@corp.example", tls="none")
    settings = Settings(secret_key="k" * 48, smtp=smtp, **IN_TEST_ANALYSES)
    with running_web(tmp_path, settings=settings) as made:
        yield made


def path_of(link: str) -> str:
    return link.removeprefix("http://127.0.0.1")


def invite(web: Web, email: str) -> str:
    """The facilitator invites ``email``; returns the link shown once on the page."""
    web.sign_in()
    page = web.client.get("/settings/invitations")
    response = web.client.post(
        "/settings/invitations",
        data={"email": email, "csrf": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    shown = web.client.get("/settings/invitations").text
    found = LINK.search(shown)
    assert found, shown
    assert not LINK.search(web.client.get("/settings/invitations").text)  # shown once
    web.client.cookies.clear()
    return found.group(0)


def accept(web: Web, link: str, password: str = NEW_PASSWORD, confirm: str | None = None) -> Any:
    form = web.client.get(path_of(link))
    assert form.status_code == 200, form.text
    return web.client.post(
        path_of(link),
        data={
            "name": "Ivy Invitee",
            "password": password,
            "confirm": password if confirm is None else confirm,
            "csrf": csrf_of(form.text),
        },
        follow_redirects=False,
    )


def refused(response: Any, status: int, words: str) -> None:
    assert response.status_code == status, response.text
    assert words in response.text


def test_an_invitation_makes_an_account_once(web: Web) -> None:
    link = invite(web, "Ivy@Corp.example")
    assert "ivy@corp.example" in web.client.get(path_of(link)).text
    response = accept(web, link)
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert "Your cases" in web.client.get("/").text  # signed in as the new account
    with web.store.session() as s:
        ivy = s.scalars(sa.select(Facilitator).where(Facilitator.email == "ivy@corp.example"))
        assert ivy.one().display_name == "Ivy Invitee"
    web.client.cookies.clear()
    web.sign_in("ivy@corp.example", NEW_PASSWORD)
    web.client.cookies.clear()
    before = snapshot(web)
    refused(web.client.get(path_of(link)), 400, "this invitation was used already")
    assert snapshot(web) == before


def test_an_invitation_is_stored_only_as_a_hash(web: Web) -> None:
    raw = invite(web, "hash@corp.example").rsplit("/", 1)[1]
    with web.store.session() as s:
        rows = [tuple(r) for r in s.execute(sa.select(AccountLink.__table__))]
    assert rows and not any(raw in str(value) for row in rows for value in row)


def test_an_expired_invitation_is_refused(web: Web) -> None:
    link = invite(web, "late@corp.example")
    with web.store.session() as s:
        s.execute(sa.update(AccountLink).values(expires_at=dt.datetime.now(dt.UTC)))
    refused(web.client.get(path_of(link)), 400, "this invitation expired at")


def test_a_bad_password_keeps_the_invitation(web: Web) -> None:
    link = invite(web, "keep@corp.example")
    refused(accept(web, link, "short"), 400, "password: too short (5 characters, at least 8)")
    refused(accept(web, link, NEW_PASSWORD, "another one"), 400, "the passwords differ")
    assert accept(web, link).status_code == 303


def test_an_invitation_for_an_existing_account_is_refused(web: Web) -> None:
    web.sign_in()
    page = web.client.get("/settings/invitations")
    response = web.client.post(
        "/settings/invitations", data={"email": "other@example.org", "csrf": csrf_of(page.text)}
    )
    refused(response, 400, "an account for other@example.org already exists")


def test_a_newer_invitation_ends_the_older_one(web: Web) -> None:
    first = invite(web, "twice@corp.example")
    second = invite(web, "twice@corp.example")
    refused(web.client.get(path_of(first)), 404, "this invitation is not valid")
    assert accept(web, second).status_code == 303


def test_an_invitation_is_mailed_when_smtp_is_set(mailing: Web, inbox: Inbox) -> None:
    shown = invite(mailing, "mail@corp.example")
    (message,) = inbox.messages
    assert message["To"] == "mail@corp.example" and message["From"] == "accord@corp.example"
    assert "Fran Facilitator invited you" in str(message.get_payload(decode=True))
    assert inbox.link() == shown


def test_a_reset_link_is_mailed_and_ends_every_other_session(mailing: Web, inbox: Inbox) -> None:
    web = mailing
    other_device = web.client
    web.sign_in()
    assert other_device.get("/", follow_redirects=False).status_code == 200
    from fastapi.testclient import TestClient

    web.client = TestClient(web.client.app, base_url="http://127.0.0.1")
    form = web.client.get("/reset")
    response = web.client.post(
        "/reset", data={"email": "FAC@example.org", "csrf": csrf_of(form.text)}
    )
    assert response.status_code == 200 and "If there is an account for" in response.text
    link = inbox.link()
    assert LINK.search(response.text) is None  # only by mail, never on the page
    page = web.client.get(path_of(link))
    assert page.status_code == 200 and "fac@example.org" in page.text
    done = web.client.post(
        path_of(link),
        data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/login?reset=done"
    assert "Your new password is set" in web.client.get("/login?reset=done").text
    assert other_device.get("/", follow_redirects=False).status_code == 303  # ended
    with web.store.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(FacilitatorSession)) == 0
    web.sign_in(password=NEW_PASSWORD)
    refused(web.client.get(path_of(link)), 400, "this password reset link was used already")


def test_a_reset_for_an_unknown_email_answers_the_same_and_sends_nothing(
    mailing: Web, inbox: Inbox
) -> None:
    form = mailing.client.get("/reset")
    response = mailing.client.post(
        "/reset", data={"email": "nobody@corp.example", "csrf": csrf_of(form.text)}
    )
    assert response.status_code == 200 and "If there is an account for" in response.text
    assert inbox.messages == []


def test_without_smtp_a_reset_request_makes_nothing_and_says_who_helps(web: Web) -> None:
    form = web.client.get("/reset")
    before = snapshot(web)
    response = web.client.post("/reset", data={"email": web.email, "csrf": csrf_of(form.text)})
    assert response.status_code == 200
    assert "accord facilitator reset fac@example.org" in response.text
    assert snapshot(web) == before


def test_reset_requests_are_throttled_per_account(mailing: Web, inbox: Inbox) -> None:
    form = mailing.client.get("/reset")
    statuses = [
        mailing.client.post(
            "/reset", data={"email": mailing.email, "csrf": csrf_of(form.text)}
        ).status_code
        for _ in range(mailing.settings.signin_account_failures + 1)
    ]
    assert statuses[:-1] == [200] * mailing.settings.signin_account_failures
    assert statuses[-1] == 429
    assert len(inbox.messages) == mailing.settings.signin_account_failures


def test_guessing_links_is_throttled_per_address(web: Web) -> None:
    link = invite(web, "real@corp.example")
    for attempt in range(web.settings.signin_address_failures):
        assert web.client.get(f"/invite/guess{attempt}").status_code == 404
    # Locked: even the real link waits now.
    refused(web.client.get(path_of(link)), 429, "too many tries with links that do not work")


def test_a_link_spent_by_one_request_is_refused_to_the_next(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two requests racing with one link both find it live; the conditional update that
    spends it lets only the first through."""
    with web.store.session() as s:
        made = account_links.request_reset(s, web.email, dt.timedelta(minutes=5))
        assert made is not None
    monkeypatch.setattr(account_links, "_live", lambda row, kind: row)  # both saw it live
    with web.store.session() as s:
        account_links.reset_password(s, made[1], NEW_PASSWORD)
    with pytest.raises(InputError, match="this password reset link was used already"):
        with web.store.session() as s:
            account_links.reset_password(s, made[1], "yet another password")
    with web.store.session() as s:
        assert repository.authenticate(s, web.email, NEW_PASSWORD) is not None


def cli(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(
        os.environ,
        ACCORD_DATABASE_URL=f"sqlite:///{folder / 'accord.db'}",
        ACCORD_PUBLIC_URL="https://accord.corp.example",
    )
    return subprocess.run(
        [sys.executable, "-m", "accord.cli", "facilitator", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_the_cli_prints_invitation_and_reset_links_that_work(tmp_path: Path) -> None:
    invited = cli(tmp_path, "invite", "cli@corp.example")
    assert invited.returncode == 0, invited.stderr
    assert re.fullmatch(r"https://accord\.corp\.example/invite/\S+\n", invited.stdout)
    assert "works once, for 72 hours" in invited.stderr
    unknown = cli(tmp_path, "reset", "nobody@corp.example")
    assert unknown.returncode != 0 and "there is no facilitator" in unknown.stderr
    settings = Settings(secret_key="k" * 48, **IN_TEST_ANALYSES)
    with running_web(tmp_path, settings=settings) as web:
        raw = invited.stdout.strip().rsplit("/", 1)[1]
        assert accept(web, f"http://127.0.0.1/invite/{raw}").status_code == 303
        web.client.cookies.clear()
        reset = cli(tmp_path, "reset", "fac@example.org", "--url", "http://127.0.0.1:9")
        assert reset.returncode == 0, reset.stderr
        raw = reset.stdout.strip().rsplit("/", 1)[1]
        page = web.client.get(f"/reset/{raw}")
        assert page.status_code == 200
        done = web.client.post(
            f"/reset/{raw}",
            data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf": csrf_of(page.text)},
            follow_redirects=False,
        )
        assert done.status_code == 303
        web.sign_in(password=NEW_PASSWORD)
        web.client.cookies.clear()
        form = web.client.get("/login")
        wrong = web.client.post(
            "/login", data={"email": web.email, "password": PASSWORD, "csrf": csrf_of(form.text)}
        )
        assert wrong.status_code == 401
