"""GitHub Issues over the REST API (https://docs.github.com/en/rest/issues/issues).

* ``POST /repos/{owner}/{repo}/issues`` with ``title`` and ``body`` makes the issue (201,
  ``number`` and ``html_url`` in the answer);
* ``GET /repos/{owner}/{repo}/issues/{number}``: ``state`` ``closed`` with a
  ``state_reason`` other than ``not_planned`` is done;
* ``GET /repos/{owner}/{repo}/issues?state=all&since=...`` finds an issue a lost answer made;
* ``PUT /repos/{owner}/{repo}/contents/{path}`` writes the decision record
  (https://docs.github.com/en/rest/repos/contents#create-or-update-file-contents), with the
  file's current ``sha`` when it exists.

Every request sends ``Authorization: Bearer <token>``, ``Accept: application/vnd.github+json``
and ``X-GitHub-Api-Version: 2022-11-28``, as the REST docs ask.
"""

from __future__ import annotations

import base64
import datetime as dt
from urllib.parse import quote

import httpx

from accord.integrations.trackers.base import (
    Issue,
    IssueDraft,
    TrackerError,
    client,
    send,
)

DEFAULT_BASE_URL = "https://api.github.com"
API_VERSION = "2022-11-28"


class GitHub:
    kind = "github"

    def __init__(
        self,
        base_url: str,
        repo: str,
        token: str,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.repo = repo
        self.api = f"{base_url.rstrip('/')}/repos/{repo}"
        self.http = client(
            {
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": API_VERSION,
            },
            transport,
        )

    def check(self) -> str:
        answer = send(self.http, "GET", self.api, f"GET repository {self.repo}").json()
        can_push = (answer.get("permissions") or {}).get("push")
        return f"GitHub repository {answer.get('full_name', self.repo)} found" + (
            "; the token may write to it." if can_push else "."
        )

    def _issue(self, answer: dict[str, object]) -> Issue:
        number = answer.get("number")
        if not isinstance(number, int):
            raise TrackerError(f"GitHub answered an issue without a number: {answer!r}"[:300])
        return Issue(str(number), f"github:{self.repo}#{number}", str(answer.get("html_url", "")))

    def create(self, draft: IssueDraft) -> Issue:
        body = "\n\n".join(draft.lines())
        answer = send(
            self.http,
            "POST",
            f"{self.api}/issues",
            f"POST issue for action {draft.action_id}",
            json={"title": draft.title, "body": body},
        )
        return self._issue(answer.json())

    def find(self, draft: IssueDraft, since: dt.datetime) -> Issue | None:
        # ``since`` filters on the update time, which is never before the creation time.
        params = {"state": "all", "since": _iso(since), "per_page": "100"}
        found = send(self.http, "GET", f"{self.api}/issues", "GET issues", params=params)
        for item in found.json():
            if f"accord-action: {draft.marker}" in str(item.get("body") or ""):
                return self._issue(item)
        return None

    def is_done(self, key: str) -> bool:
        answer = send(self.http, "GET", f"{self.api}/issues/{key}", f"GET issue #{key}").json()
        return bool(answer.get("state") == "closed" and answer.get("state_reason") != "not_planned")

    def publish(self, target: str, markdown: str, summary: str) -> str:
        url = f"{self.api}/contents/{quote(target.strip('/'))}"
        sha: str | None = None
        try:
            sha = str(send(self.http, "GET", url, f"GET {target}").json()["sha"])
        except TrackerError as missing:
            if "answered 404" not in str(missing):
                raise
        payload = {
            "message": summary,
            "content": base64.b64encode(markdown.encode()).decode("ascii"),
            **({"sha": sha} if sha else {}),
        }
        answer = send(self.http, "PUT", url, f"PUT {target}", json=payload).json()
        return str((answer.get("content") or {}).get("html_url") or target)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
