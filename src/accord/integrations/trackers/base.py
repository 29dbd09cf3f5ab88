"""What every tracker client offers, and the issue accord makes for an action."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

import httpx

USER_AGENT = "accord-trackers/1"
TIMEOUT_SECONDS = 10.0


class TrackerError(Exception):
    """A tracker refused a request or could not be reached; ``retry`` says whether trying
    again later may work (a 5xx, a time-out, a rate limit) or needs the settings fixed."""

    def __init__(self, message: str, *, retry: bool = True) -> None:
        super().__init__(message)
        self.retry = retry


@dataclass(frozen=True)
class IssueDraft:
    """An action as an issue: ``marker`` is written into the issue so a retry can find it."""

    action_id: str
    title: str
    owner: str
    deadline: dt.date | None
    metric: str | None
    decision: str | None
    case_title: str
    case_url: str | None
    marker: str

    def lines(self) -> list[str]:
        """The issue's description as plain lines (each tracker adds its own markup)."""
        facts = [f"Owner: {self.owner}"]
        if self.deadline:
            facts.append(f"Due: {self.deadline.isoformat()}")
        if self.metric:
            facts.append(f"Success metric: {self.metric}")
        if self.decision:
            facts.append(f"Implements decision: {self.decision}")
        where = f'Action "{self.action_id}" of the accord case "{self.case_title}"'
        return [
            *facts,
            where + (f": {self.case_url}" if self.case_url else "."),
            f"accord-action: {self.marker}",
        ]


@dataclass(frozen=True)
class Issue:
    """An issue as accord keeps it: the tracker's key, a readable reference, its page."""

    key: str
    ref: str
    url: str


class Tracker(Protocol):
    kind: str

    def check(self) -> str:
        """A sentence saying whom the token signs in as and that the target exists."""
        ...

    def create(self, draft: IssueDraft) -> Issue: ...

    def find(self, draft: IssueDraft, since: dt.datetime) -> Issue | None:
        """The issue an earlier attempt made for ``draft`` (by its marker), if any."""
        ...

    def is_done(self, key: str) -> bool: ...

    def publish(self, target: str, markdown: str, summary: str) -> str:
        """Post the decision record to ``target``; where it went (a URL or key)."""
        ...


def answer_error(response: httpx.Response, what: str) -> TrackerError:
    """A :class:`TrackerError` for a non-2xx answer, retried unless the settings are wrong."""
    status = response.status_code
    detail = response.text[:300].strip()
    if status in (401, 403):
        hint = "the token was refused: check it and the scopes docs/connectors lists"
        return TrackerError(f"{what}: answered {status} ({hint}): {detail}", retry=False)
    if status == 404:
        return TrackerError(f"{what}: answered 404 (check the names): {detail}", retry=False)
    # 4xx other than a rate limit means the request itself was wrong: retrying cannot help.
    retry = status >= 500 or status == 429
    return TrackerError(f"{what}: answered {status}: {detail}", retry=retry)


def client(headers: dict[str, str], transport: httpx.BaseTransport | None = None) -> httpx.Client:
    return httpx.Client(
        headers={"User-Agent": USER_AGENT, **headers},
        timeout=TIMEOUT_SECONDS,
        follow_redirects=False,  # a redirect could lead the token to another host
        transport=transport,
    )


def send(http: httpx.Client, method: str, url: str, what: str, **kwargs: object) -> httpx.Response:
    """One request; a transport failure becomes a retryable :class:`TrackerError`."""
    try:
        response = http.request(method, url, **kwargs)  # type: ignore[arg-type]
    except httpx.HTTPError as failed:
        raise TrackerError(f"{what}: {type(failed).__name__}: {failed}") from failed
    if not 200 <= response.status_code < 300:
        raise answer_error(response, what)
    return response
