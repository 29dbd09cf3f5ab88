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
import hashlib
import hmac
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


#: GitHub signs each webhook delivery with the secret set on the hook: ``X-Hub-Signature-256:
#: sha256=<hex HMAC-SHA256 of the raw body>``
#: (https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries).
HOOK_SIGNATURE_HEADER = "X-Hub-Signature-256"
HOOK_EVENT_HEADER = "X-GitHub-Event"


def hook_secret(server_key: str, salt: str) -> str:
    """The secret to give GitHub for this connector's webhook: derived, never stored, as
    accord's own webhook secrets are (:func:`accord.store.webhooks.signing_secret`)."""
    digest = hmac.new(server_key.encode(), b"github-hook|" + salt.encode(), hashlib.sha256)
    return "ghwh_" + digest.hexdigest()


def hook_signed(secret: str, header: str, body: bytes) -> bool:
    """Whether ``header`` is GitHub's signature of ``body`` with ``secret``.

    >>> body = b'{"action": "closed"}'
    >>> sent = "sha256=" + hmac.new(b"s", body, hashlib.sha256).hexdigest()
    >>> hook_signed("s", sent, body), hook_signed("t", sent, body)
    (True, False)
    """
    scheme, _, given = header.strip().partition("=")
    if scheme != "sha256" or not given:
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given)


def closed_issue(event: str, payload: object, repo: str) -> int | None:
    """The number of the issue an ``issues`` event closed as done in ``repo``, else ``None``
    (https://docs.github.com/en/webhooks/webhook-events-and-payloads#issues)."""
    if event != "issues" or not isinstance(payload, dict) or payload.get("action") != "closed":
        return None
    issue = payload.get("issue")
    where = (payload.get("repository") or {}).get("full_name")
    if not isinstance(issue, dict) or str(where).lower() != repo.lower():
        return None
    number = issue.get("number")
    if not isinstance(number, int) or issue.get("state_reason") == "not_planned":
        return None
    return number
