"""Chat connectors: the same webhook events as messages for Slack, Mattermost and Microsoft
Teams incoming webhooks, each with a link back to accord.

Formats, as their documentation gives them:

* Slack incoming webhooks take ``{"text": ...}`` in Slack's mrkdwn, links written
  ``<url|label>`` (https://api.slack.com/messaging/webhooks,
  https://api.slack.com/reference/surfaces/formatting); they answer ``ok``.
* Mattermost incoming webhooks take ``{"text": ...}`` in Markdown, links ``[label](url)``
  (https://developers.mattermost.com/integrate/webhooks/incoming/).
* Microsoft Teams (Workflows "post to a channel when a webhook request is received") takes a
  message whose attachment is an Adaptive Card: ``{"type": "message", "attachments":
  [{"contentType": "application/vnd.microsoft.card.adaptive", "content": {AdaptiveCard}}]}``,
  with an ``Action.OpenUrl`` for the link
  (https://learn.microsoft.com/en-us/connectors/teams/?tabs=text1#microsoft-teams-webhook,
  https://adaptivecards.io/explorer/AdaptiveCard.html).

Chat webhooks check no signature: their URL is the secret, so keep it private.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

from accord.integrations.events import with_urls

ChatFormat = Literal["slack", "mattermost", "teams"]
CHAT_FORMATS: dict[str, ChatFormat] = {
    "slack": "slack",
    "mattermost": "mattermost",
    "teams": "teams",
}
#: Subscription format -> shown name; "accord" is the signed JSON of docs/webhooks.md.
FORMATS: dict[str, str] = {
    "accord": "accord JSON (signed)",
    "slack": "Slack incoming webhook",
    "mattermost": "Mattermost incoming webhook",
    "teams": "Microsoft Teams workflow webhook",
}


def headline(event: str, data: Mapping[str, Any]) -> str:
    """One plain sentence saying what happened."""
    case = _title(data.get("case"))
    workshop = _title(data.get("workshop"))
    if event == "decision.recorded":
        decision = data.get("decision") or {}
        said = f"Decision recorded in {workshop} ({case}): {decision.get('decision', '')}"
        if decision.get("owner"):
            said += f"; owner {decision['owner']}"
        dissent = decision.get("dissent") or []
        if dissent:
            said += f"; {len(dissent)} dissent{'s' if len(dissent) != 1 else ''} recorded"
        return said + "."
    if event == "workshop.closed":
        review = (data.get("closed") or {}).get("review_date")
        return f"Workshop {workshop} ({case}) closed" + (
            f"; review on {review}." if review else "."
        )
    if event == "inputs.given":
        return f"{data.get('stakeholder', 'A stakeholder')} gave their inputs to {case}."
    if event == "analysis.changed":
        revision = data.get("revision") or {}
        if data.get("because") == "revision":
            return (
                f"{case} changed (revision {revision.get('number')} by "
                f"{revision.get('author')}: {revision.get('summary')})."
            )
        return f"The analysis of {case} changed: {data.get('stakeholder')} gave new inputs."
    if event == "action.overdue":
        action = data.get("action") or {}
        return (
            f"Overdue in {case}: {action.get('title')} (owner {action.get('owner')}, due "
            f"{action.get('deadline')}, {action.get('days_overdue')} days ago)."
        )
    if event == "review.due":
        review = data.get("review") or {}
        return f"Review due in {case} on {review.get('date')}: {review.get('summary')}."
    return str(data.get("message") or f"accord event {event}.")


def _title(item: object) -> str:
    if isinstance(item, Mapping):
        return str(item.get("title") or f"#{item.get('id')}")
    return "a case"


def link_back(data: Mapping[str, Any]) -> tuple[str, str] | None:
    """(label, url) of the most specific page the event is about, when the URL is known."""
    for key, label in (("workshop", "Open the workshop"), ("case", "Open the case")):
        item = data.get(key)
        if isinstance(item, Mapping) and isinstance(item.get("url"), str):
            return label, str(item["url"])
    return None


def chat_body(
    format: ChatFormat, event: str, data: Mapping[str, Any], public_url: str | None
) -> bytes:
    """The request body for a chat incoming webhook."""
    linked = with_urls(data, public_url)
    text = headline(event, linked)
    link = link_back(linked)
    message: dict[str, Any]
    if format == "slack":
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        message = {"text": escaped + (f" <{link[1]}|{link[0]}>" if link else "")}
    elif format == "mattermost":
        message = {"text": text + (f" [{link[0]}]({link[1]})" if link else "")}
    else:
        card: dict[str, Any] = {
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "type": "AdaptiveCard",
            "version": "1.4",
            "body": [
                {"type": "TextBlock", "text": "accord", "weight": "Bolder"},
                {"type": "TextBlock", "text": text, "wrap": True},
            ],
        }
        if link:
            card["actions"] = [{"type": "Action.OpenUrl", "title": link[0], "url": link[1]}]
        message = {
            "type": "message",
            "attachments": [
                {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
            ],
        }
    return json.dumps(message, ensure_ascii=False).encode()
