"""The events accord sends to webhooks, and the body of one delivery.

A delivery body is JSON (UTF-8, keys sorted so the bytes are stable)::

    {"id": "<delivery id>", "event": "decision.recorded", "created_at": "<ISO 8601 UTC>",
     "data": {... the event's fields, with "path" / "url" links back to accord ...}}

``url`` fields are absolute when the app knows its public address (``ACCORD_PUBLIC_URL``),
otherwise only the ``path`` is given.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

#: Event name -> what it means (the subscription form and docs/webhooks.md list these).
EVENTS: dict[str, str] = {
    "inputs.given": "a stakeholder gave or changed their inputs",
    "analysis.changed": "the case or its inputs changed, so its analysis did",
    "decision.recorded": "a workshop recorded a decision",
    "workshop.closed": "a workshop was closed",
    "action.overdue": "an action in a case's register passed its due date undone",
    "review.due": "a decision's review date arrived",
}
#: Sent only on request from the webhooks page, to any subscription.
TEST_EVENT = "ping"


def delivery_body(
    delivery_id: str,
    event: str,
    created_at: dt.datetime,
    data: Mapping[str, Any],
    public_url: str | None,
) -> bytes:
    """The exact bytes sent (and signed) for one delivery."""
    document = {
        "id": delivery_id,
        "event": event,
        "created_at": created_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "data": with_urls(data, public_url),
    }
    return json.dumps(document, sort_keys=True, ensure_ascii=False).encode()


def with_urls(data: Mapping[str, Any], public_url: str | None) -> dict[str, Any]:
    """``data`` with a ``url`` beside every ``path`` when the public address is known.

    >>> with_urls({"case": {"path": "/cases/3"}}, "https://accord.example.com/")
    {'case': {'path': '/cases/3', 'url': 'https://accord.example.com/cases/3'}}
    """
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, Mapping):
            out[key] = with_urls(value, public_url)
        else:
            out[key] = value
    path = out.get("path")
    if public_url and isinstance(path, str) and path.startswith("/"):
        out["url"] = public_url.rstrip("/") + path
    return out
