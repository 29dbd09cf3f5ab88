"""The webhooks pages: subscribe, refuse unsafe receivers, reveal and rotate the secret,
send a test event that a real local receiver verifies, and keep other people out."""

from __future__ import annotations

import dataclasses
import re
import time
from pathlib import Path

from tests.integrations.receiver import Receiver
from tests.web.conftest import Web, make_web, running_web

from accord.store import webhooks as outbox
from accord.web.settings import Settings

BASE = "http://127.0.0.1"


def _add(web: Web, url: str, events: list[str], description: str = "") -> tuple[int, str]:
    response = web.client.post(
        "/webhooks",
        data={
            "csrf": web.csrf("/webhooks"),
            "url": url,
            "events": events,
            "description": description,
        },
        follow_redirects=False,
    )
    return response.status_code, response.headers.get("location", response.text)


def _secret(web: Web, hook: str) -> str:
    page = web.client.post(f"{hook}/secret", data={"csrf": web.csrf(hook)})
    found = re.search(r"(whsec_[0-9a-f]{64})", page.text)
    assert found, page.text
    return found.group(1)


def test_a_public_receiver_is_added_and_listed(web: Web) -> None:
    web.sign_in()
    status, where = _add(web, "https://hooks.example.com/accord", ["decision.recorded"], "Slack")
    assert status == 303 and re.fullmatch(r"/webhooks/\d+", where)
    listing = web.client.get("/webhooks").text
    assert "Slack" in listing and "decision.recorded" in listing
    assert "https://hooks.example.com/accord" in web.client.get(where).text


def test_unsafe_or_unknown_subscriptions_are_refused_next_to_the_form(web: Web) -> None:
    web.sign_in()
    for url, events, message in [
        ("http://127.0.0.1:9/x", ["review.due"], "private, loopback or link-local"),
        ("http://127.0.0.1/x", ["review.due"], "this accord server itself"),
        ("javascript:alert(1)", ["review.due"], "use an http:// or https:// address"),
        ("https://hooks.example.com/x", [], "choose at least one event"),
        ("https://hooks.example.com/x", ["everything"], "everything not known"),
    ]:
        status, body = _add(web, url, events)
        assert status == 400, (url, body)
        assert message in body, (url, body)
    assert "No webhooks yet" in web.client.get("/webhooks").text


def test_other_facilitators_and_forged_forms_cannot_touch_a_webhook(web: Web) -> None:
    web.sign_in()
    _, hook = _add(web, "https://hooks.example.com/a", ["review.due"])
    web.client.post("/logout", data={"csrf": web.csrf("/")})
    web.sign_in("other@example.org")
    assert web.client.get(hook).status_code == 404
    for action in ("secret", "rotate", "test", "delete"):
        answer = web.client.post(f"{hook}/{action}", data={"csrf": web.csrf("/")})
        assert answer.status_code == 404, action
    web.client.post("/logout", data={"csrf": web.csrf("/")})
    web.sign_in()
    assert web.client.post(f"{hook}/delete", data={"csrf": "forged"}).status_code == 400
    assert web.client.get(hook).status_code == 200


def test_rotating_keeps_the_old_secret_signing_during_the_grace(web: Web) -> None:
    web.sign_in()
    _, hook = _add(web, "https://hooks.example.com/a", ["review.due"])
    before = _secret(web, hook)
    rotated = web.client.post(f"{hook}/rotate", data={"csrf": web.csrf(hook)}).text
    after = re.search(r"(whsec_[0-9a-f]{64})", rotated)
    assert after and after.group(1) != before
    assert "previous one keeps signing" in rotated
    with web.store.session() as s:
        found = outbox.own_subscription(s, 1, int(hook.rsplit("/", 1)[1]))
        keys = outbox.live_secrets(
            web.settings.secret_key, found.salt, found.previous_salt, found.previous_until
        )
    assert keys == [after.group(1), before]


def test_a_test_event_reaches_a_local_receiver_signed(tmp_path: Path) -> None:
    settings = dataclasses.replace(
        Settings(secret_key="k" * 48),
        webhook_allow_private=True,
        webhook_poll_seconds=0.05,
        public_url="https://accord.example.com",
    )
    receiver = Receiver(secret="")
    receiver.start()
    try:
        with running_web(tmp_path, settings=settings) as web:
            web.sign_in()
            _, hook = _add(web, receiver.url, ["review.due"])
            receiver.secret = _secret(web, hook)
            web.client.post(f"{hook}/test", data={"csrf": web.csrf(hook)})
            # Wait (bounded) for the dispatcher to deliver and then to record the delivery:
            # the receiver has the body a moment before the log says "delivered".
            for _ in range(400):
                log = web.client.get(hook).text
                if receiver.accepted and "delivered" in log:
                    break
                time.sleep(0.025)
    finally:
        receiver.stop()
    assert receiver.bad_signatures == 0
    (body,) = receiver.accepted.values()
    assert body["event"] == "ping" and body["data"]["message"] == "a test delivery"
    assert "delivered" in log and body["id"] in log


def test_the_app_can_be_started_by_one_event_loop_after_another(tmp_path: Path) -> None:
    # A test client, then schemathesis or a second client, each run the lifespan in their
    # own event loop; the webhook dispatcher must deliver (and wake) in each of them.
    from fastapi.testclient import TestClient

    settings = dataclasses.replace(
        Settings(secret_key="k" * 48), webhook_allow_private=True, webhook_poll_seconds=0.05
    )
    receiver = Receiver(secret="")
    receiver.start()
    web = make_web(tmp_path, settings=settings)
    try:
        for round_ in range(2):
            client = web.client if round_ == 0 else TestClient(web.client.app, base_url=BASE)
            with client:  # a lifespan in this client's own event loop
                web.client = client
                web.sign_in()
                if round_ == 0:
                    _, hook = _add(web, receiver.url, ["review.due"])
                    receiver.secret = _secret(web, hook)
                for _ in range(2):  # the second needs the dispatcher alive after a wait
                    before = receiver.requests
                    client.post(f"{hook}/test", data={"csrf": web.csrf(hook)})
                    for _ in range(400):  # bounded wait for the delivery
                        if receiver.requests > before:
                            break
                        time.sleep(0.025)
                    assert receiver.requests > before, f"client {round_}: nothing delivered"
    finally:
        receiver.stop()
        web.store.dispose()
    assert receiver.bad_signatures == 0 and len(receiver.accepted) == 4
