"""Linear over its GraphQL API (https://linear.app/developers/graphql).

One endpoint, ``POST /graphql`` with ``{"query", "variables"}``; a personal API key goes in
``Authorization`` as it is (no ``Bearer``).  accord sends four documents:

* ``issueCreate(input: IssueCreateInput!)`` with ``teamId``, ``title``, ``description``
  (Markdown), ``dueDate`` and ``id``: accord chooses the issue's UUID (derived from the
  action's marker), so a retry after a lost answer asks for that id instead of creating
  another issue;
* ``issue(id:)`` with ``state { type }``: ``completed`` is done (``canceled`` is not);
* ``commentCreate(input: {issueId, body})`` posts the decision record;
* ``viewer`` and ``team(id:)`` test the connection.

GraphQL errors come back as ``{"errors": [{"message": ...}]}`` (with HTTP 200 or 400).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx

from accord.integrations.trackers.base import Issue, IssueDraft, TrackerError, answer_error, client

DEFAULT_BASE_URL = "https://api.linear.app"
#: Namespace of the issue ids accord derives from markers (uuid5, RFC 9562 section 5.5).
ID_NAMESPACE = uuid.UUID("5b0f7f36-2f5e-4d8c-9a49-7c1c8e4f6a10")

CREATE = """mutation IssueCreate($input: IssueCreateInput!) {
  issueCreate(input: $input) { success issue { id identifier url } }
}"""
ISSUE = """query Issue($id: String!) {
  issue(id: $id) { id identifier url state { type } }
}"""
COMMENT = """mutation CommentCreate($input: CommentCreateInput!) {
  commentCreate(input: $input) { success comment { url } }
}"""
CHECK = """query Check($team: String!) {
  viewer { name }
  team(id: $team) { key name }
}"""


def issue_id(marker: str) -> str:
    """The issue UUID accord asks Linear to use for an action (the same on every retry)."""
    return str(uuid.uuid5(ID_NAMESPACE, marker))


class Linear:
    kind = "linear"

    def __init__(
        self,
        base_url: str,
        team: str,
        token: str,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.team = team
        self.url = f"{base_url.rstrip('/')}/graphql"
        self.http = client({"Authorization": token, "Content-Type": "application/json"}, transport)

    def _call(self, query: str, variables: dict[str, Any], what: str) -> dict[str, Any]:
        try:
            response = self.http.post(self.url, json={"query": query, "variables": variables})
        except httpx.HTTPError as failed:
            raise TrackerError(f"{what}: {type(failed).__name__}: {failed}") from failed
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if isinstance(answer, dict) and answer.get("errors"):
            messages = "; ".join(str(e.get("message", e)) for e in answer["errors"])
            retry = response.status_code >= 500 or response.status_code == 429
            raise TrackerError(f"{what}: Linear answered: {messages}"[:500], retry=retry)
        if not 200 <= response.status_code < 300 or not isinstance(answer, dict):
            raise answer_error(response, what)
        data = answer.get("data")
        if not isinstance(data, dict):
            raise TrackerError(f"{what}: Linear answered no data: {answer!r}"[:300])
        return data

    def check(self) -> str:
        data = self._call(CHECK, {"team": self.team}, "test the connection")
        team = data.get("team") or {}
        return (
            f"Signed in to Linear as {(data.get('viewer') or {}).get('name', '?')}; "
            f"team {team.get('key', '?')} ({team.get('name', '')}) found."
        )

    @staticmethod
    def _issue(item: dict[str, Any]) -> Issue:
        return Issue(str(item["id"]), f"linear:{item['identifier']}", str(item.get("url", "")))

    def create(self, draft: IssueDraft) -> Issue:
        payload: dict[str, Any] = {
            "id": issue_id(draft.marker),
            "teamId": self.team,
            "title": draft.title,
            "description": "\n\n".join(draft.lines()),
        }
        if draft.deadline:
            payload["dueDate"] = draft.deadline.isoformat()
        data = self._call(CREATE, {"input": payload}, f"create issue for {draft.action_id}")
        made = data.get("issueCreate") or {}
        if not made.get("success") or not isinstance(made.get("issue"), dict):
            raise TrackerError(f"Linear did not create the issue: {made!r}"[:300])
        return self._issue(made["issue"])

    def _get(self, key: str) -> dict[str, Any] | None:
        try:
            item = self._call(ISSUE, {"id": key}, f"read issue {key}").get("issue")
        except TrackerError as error:
            if "not found" in str(error).lower():
                return None
            raise
        return item if isinstance(item, dict) else None

    def find(self, draft: IssueDraft, since: dt.datetime) -> Issue | None:
        item = self._get(issue_id(draft.marker))
        return self._issue(item) if item else None

    def is_done(self, key: str) -> bool:
        item = self._get(key)
        if item is None:
            raise TrackerError(f"Linear has no issue {key} (deleted?)", retry=False)
        return (item.get("state") or {}).get("type") == "completed"

    def publish(self, target: str, markdown: str, summary: str) -> str:
        item = self._get(target)
        if item is None:
            raise TrackerError(f"Linear has no issue {target} for the record", retry=False)
        body = f"**{summary}**\n\n{markdown}"
        data = self._call(
            COMMENT, {"input": {"issueId": item["id"], "body": body}}, f"comment on {target}"
        )
        made = data.get("commentCreate") or {}
        return str((made.get("comment") or {}).get("url") or item.get("url") or target)
