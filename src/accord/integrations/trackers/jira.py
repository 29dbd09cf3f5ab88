"""Jira Cloud over the REST API v3
(https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/).

* ``POST /rest/api/3/issue`` with ``fields`` (``project.key``, ``summary``, ``issuetype``,
  ``description`` in Atlassian Document Format, ``duedate``, ``labels``) makes the issue
  (201, ``id``, ``key``, ``self``);
* ``GET /rest/api/3/issue/{key}?fields=status``: status category ``done`` is done;
* ``GET /rest/api/3/search/jql`` with ``labels = "<marker>"`` finds an issue a lost answer
  made (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/);
* ``POST /rest/api/3/issue/{key}/comment`` posts the decision record
  (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/).

Requests sign in with basic auth, the account's email and an API token
(https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import httpx

from accord.integrations.trackers.base import Issue, IssueDraft, TrackerError, client, send

ISSUE_KEY = re.compile(r"^[A-Z][A-Z0-9_]{1,9}-[0-9]{1,9}$")
ISSUE_TYPE = "Task"


def adf(lines: list[str]) -> dict[str, Any]:
    """Plain lines as an Atlassian Document Format document: one paragraph per line
    (https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/)."""
    return {
        "type": "doc",
        "version": 1,
        "content": [
            {"type": "paragraph", "content": [{"type": "text", "text": line}]}
            for line in lines
            if line.strip()
        ],
    }


class Jira:
    kind = "jira"

    def __init__(
        self,
        base_url: str,
        project: str,
        email: str,
        token: str,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.project = project
        self.api = f"{base_url.rstrip('/')}/rest/api/3"
        self.site = base_url.rstrip("/")
        self.http = client({"Accept": "application/json"}, transport)
        self.http.auth = httpx.BasicAuth(email, token)

    def check(self) -> str:
        me = send(self.http, "GET", f"{self.api}/myself", "GET myself").json()
        project = send(
            self.http, "GET", f"{self.api}/project/{self.project}", f"GET project {self.project}"
        ).json()
        return (
            f"Signed in to Jira as {me.get('displayName') or me.get('emailAddress') or '?'}; "
            f"project {project.get('key', self.project)} ({project.get('name', '')}) found."
        )

    def _issue(self, key: str) -> Issue:
        return Issue(key, f"jira:{key}", f"{self.site}/browse/{key}")

    def create(self, draft: IssueDraft) -> Issue:
        fields: dict[str, Any] = {
            "project": {"key": self.project},
            "summary": draft.title[:255],
            "issuetype": {"name": ISSUE_TYPE},
            "description": adf(draft.lines()),
            "labels": ["accord", draft.marker],
        }
        if draft.deadline:
            fields["duedate"] = draft.deadline.isoformat()
        answer = send(
            self.http,
            "POST",
            f"{self.api}/issue",
            f"POST issue for action {draft.action_id}",
            json={"fields": fields},
        ).json()
        key = answer.get("key")
        if not isinstance(key, str):
            raise TrackerError(f"Jira answered an issue without a key: {answer!r}"[:300])
        return self._issue(key)

    def find(self, draft: IssueDraft, since: dt.datetime) -> Issue | None:
        jql = f'project = "{self.project}" AND labels = "{draft.marker}"'
        found = send(
            self.http,
            "GET",
            f"{self.api}/search/jql",
            "search issues",
            params={"jql": jql, "fields": "status", "maxResults": "1"},
        ).json()
        issues = found.get("issues") or []
        return self._issue(str(issues[0]["key"])) if issues else None

    def is_done(self, key: str) -> bool:
        answer = send(
            self.http, "GET", f"{self.api}/issue/{key}", f"GET {key}", params={"fields": "status"}
        ).json()
        status = (answer.get("fields") or {}).get("status") or {}
        return (status.get("statusCategory") or {}).get("key") == "done"

    def publish(self, target: str, markdown: str, summary: str) -> str:
        if not ISSUE_KEY.match(target):
            raise TrackerError(f"record target {target!r} is not a Jira issue key", retry=False)
        body = adf([summary, *markdown.splitlines()])
        send(
            self.http,
            "POST",
            f"{self.api}/issue/{target}/comment",
            f"comment on {target}",
            json={"body": body},
        )
        return f"{self.site}/browse/{target}"
