"""Chat connectors against local servers that accept what each service documents.

* Slack: https://api.slack.com/messaging/webhooks — POST JSON with ``text`` (mrkdwn,
  links ``<url|label>``, ``& < >`` escaped: https://api.slack.com/reference/surfaces/formatting);
  the answer is ``200 ok``, ``400 invalid_payload`` otherwise.
* Mattermost: https://developers.mattermost.com/integrate/webhooks/incoming/ — POST JSON with
  ``text`` (Markdown); ``200 ok``.
* Microsoft Teams workflows: https://learn.microsoft.com/en-us/connectors/teams/?tabs=text1#microsoft-teams-webhook
  — a ``message`` whose attachments hold an Adaptive Card
  (https://adaptivecards.io/explorer/AdaptiveCard.html); ``202 Accepted``.
"""

from __future__ import annotations

import asyncio
import http.server
import json
import re
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from accord.integrations.chat import chat_body, headline
from accord.integrations.delivery import Dispatcher, DispatchSettings
from accord.store import Store, repository
from accord.store import webhooks as outbox


def slack_accepts(body: dict[str, Any]) -> bool:
    text = body.get("text")
    if not isinstance(text, str) or not text:
        return False
    # Outside <...> links, a raw & < > must be escaped.
    bare = re.sub(r"<[^<>|]+\|[^<>]*>", "", text)
    return not re.search(r"[<>]|&(?!amp;|lt;|gt;)", bare)


def mattermost_accepts(body: dict[str, Any]) -> bool:
    return isinstance(body.get("text"), str) and bool(body["text"])


def teams_accepts(body: dict[str, Any]) -> bool:
    if body.get("type") != "message" or not isinstance(body.get("attachments"), list):
        return False
    (attachment,) = body["attachments"]
    card = attachment.get("content", {})
    return (
        attachment.get("contentType") == "application/vnd.microsoft.card.adaptive"
        and card.get("type") == "AdaptiveCard"
        and isinstance(card.get("version"), str)
        and all(block.get("type") == "TextBlock" for block in card.get("body", []))
        and all(a.get("type") == "Action.OpenUrl" and a.get("url") for a in card.get("actions", []))
    )


RULES = {
    "slack": (slack_accepts, 200),
    "mattermost": (mattermost_accepts, 200),
    "teams": (teams_accepts, 202),
}


class ChatServer:
    """A local stand-in for the three services: validates, records, answers as they do."""

    def __init__(self) -> None:
        self.received: dict[str, list[dict[str, Any]]] = {k: [] for k in RULES}
        self.refused = 0
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server name
                kind = self.path.strip("/")
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                accepts, code = RULES[kind]
                body = json.loads(raw)
                if self.headers.get("Content-Type") != "application/json" or not accepts(body):
                    server.refused += 1
                    code = 400
                else:
                    server.received[kind].append(body)
                self.send_response(code)
                self.end_headers()
                self.wfile.write(b"ok" if code != 400 else b"invalid_payload")

            def log_message(self, *args: object) -> None:
                pass

        self.http = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def url(self, kind: str) -> str:
        return f"http://127.0.0.1:{self.http.server_address[1]}/{kind}"

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()


DECISION = {
    "case": {"id": 3, "title": "Growth <vs> margin & more", "path": "/cases/3"},
    "workshop": {"id": 7, "title": "Q3 call", "path": "/workshops/7"},
    "decision": {
        "decision": "Fund the pilot",
        "owner": "cfo",
        "dissent": [{"participant": "p2", "reason": "too early"}],
    },
}


def test_each_event_reads_as_one_sentence() -> None:
    assert headline("decision.recorded", DECISION) == (
        "Decision recorded in Q3 call (Growth <vs> margin & more): Fund the pilot; "
        "owner cfo; 1 dissent recorded."
    )
    overdue = {
        "case": {"title": "Budget"},
        "action": {
            "title": "Merge emails",
            "owner": "vp-cs",
            "deadline": "2026-12-04",
            "days_overdue": 3,
        },
    }
    assert headline("action.overdue", overdue) == (
        "Overdue in Budget: Merge emails (owner vp-cs, due 2026-12-04, 3 days ago)."
    )


@pytest.mark.parametrize("kind", list(RULES))
def test_the_message_links_back_only_when_the_public_address_is_known(kind: str) -> None:
    with_link = chat_body(kind, "decision.recorded", DECISION, "https://accord.example.com")  # type: ignore[arg-type]
    without = chat_body(kind, "decision.recorded", DECISION, None)  # type: ignore[arg-type]
    assert "https://accord.example.com/workshops/7" in with_link.decode()
    assert "https://" not in without.decode()
    accepts, _ = RULES[kind]
    assert accepts(json.loads(with_link)) and accepts(json.loads(without))


def test_the_dispatcher_posts_each_chat_format_the_service_accepts(tmp_path: Path) -> None:
    store = Store.from_url(f"sqlite:///{tmp_path / 'chat.db'}", migrate=True)
    server = ChatServer()
    try:
        with store.session() as s:
            owner = repository.create_facilitator(s, "chat@example.org", "pw-long-enough", "C").id
            for kind in RULES:
                outbox.create_subscription(
                    s, owner, server.url(kind), ["decision.recorded"], format=kind
                )
            outbox.emit(s, owner, "decision.recorded", DECISION)
        dispatcher = Dispatcher(
            store,
            DispatchSettings(
                server_key="k" * 48, allow_private=True, public_url="https://accord.example.com"
            ),
        )

        async def once() -> None:
            async with httpx.AsyncClient() as client:
                assert await dispatcher.drain_once(client) == len(RULES)

        asyncio.run(once())
    finally:
        server.close()
        store.dispose()
    assert server.refused == 0
    assert {k: len(v) for k, v in server.received.items()} == {k: 1 for k in RULES}
    slack = server.received["slack"][0]["text"]
    assert "&lt;vs&gt; margin &amp; more" in slack
    assert "<https://accord.example.com/workshops/7|Open the workshop>" in slack
    mattermost = server.received["mattermost"][0]["text"]
    assert "[Open the workshop](https://accord.example.com/workshops/7)" in mattermost
    card = server.received["teams"][0]["attachments"][0]["content"]
    assert card["actions"][0]["url"] == "https://accord.example.com/workshops/7"
