"""The webhook dispatcher: drains the outbox, posting signed deliveries with retries.

One dispatcher runs in each web worker (started by the app's lifespan).  It wakes when
this process queued an event (:meth:`Dispatcher.wake`) or every ``poll_seconds`` (events
queued by another worker or a CLI), leases due rows, posts up to ``concurrency`` at once
and records each outcome.  Posting happens outside any request and any database
transaction, so a slow receiver never delays a page.  A delivery counts as delivered only
on a 2xx answer; anything else (refused, time-out, 4xx, 5xx) is retried with backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from dataclasses import dataclass

import httpx

from accord.integrations.chat import CHAT_FORMATS, chat_body
from accord.integrations.due import queue_due_events
from accord.integrations.events import delivery_body
from accord.integrations.runner import LoopRunner
from accord.integrations.signing import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    sign,
)
from accord.store import Store
from accord.store import webhooks as outbox

log = logging.getLogger(__name__)

USER_AGENT = "accord-webhooks/1"


@dataclass(frozen=True)
class DispatchSettings:
    server_key: str
    public_url: str | None = None
    allow_private: bool = False
    poll_seconds: float = 5.0
    timeout_seconds: float = 10.0
    batch: int = 50
    concurrency: int = 8
    retry_base: float = outbox.RETRY_BASE
    #: How often overdue actions and due reviews are looked for (seconds).
    scan_seconds: float = 3600.0


class Dispatcher(LoopRunner):
    task_name = "accord-webhooks"

    def __init__(
        self,
        store: Store,
        settings: DispatchSettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self._transport = transport

    async def _run(self, wake: asyncio.Event) -> None:
        next_scan = 0.0
        async with self._client() as client:
            while True:
                try:
                    if time.monotonic() >= next_scan:
                        next_scan = time.monotonic() + self.settings.scan_seconds
                        await asyncio.to_thread(self.scan_due_dates)
                    sent = await self.drain_once(client)
                except Exception:  # a database hiccup must not end the dispatcher
                    log.exception("webhook dispatcher: one round failed; retrying")
                    sent = 0
                if sent:
                    continue  # more may be due: go on without waiting
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), self.settings.poll_seconds)
                wake.clear()

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=self._transport,
            timeout=self.settings.timeout_seconds,
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT},
        )

    async def drain_once(self, client: httpx.AsyncClient) -> int:
        """Lease the due deliveries, post them, record the outcomes; how many were tried."""
        due = await asyncio.to_thread(self._lease)
        if not due:
            return 0
        gate = asyncio.Semaphore(self.settings.concurrency)

        async def one(item: outbox.Due) -> tuple[int, int | None, str | None]:
            async with gate:
                status, error = await self._post(client, item)
            return item.id, status, error

        outcomes = await asyncio.gather(*(one(item) for item in due))
        # One transaction for the round's outcomes: the lease keeps them ours meanwhile.
        await asyncio.to_thread(self._record, outcomes)
        return len(due)

    def scan_due_dates(self, today: dt.date | None = None) -> int:
        """Queue the date-driven events (overdue actions, due reviews) once each."""
        with self.store.session() as s:
            return queue_due_events(s, today or dt.datetime.now(dt.UTC).date())

    def _lease(self) -> list[outbox.Due]:
        with self.store.session() as s:
            return outbox.lease_due(s, self.settings.batch)

    def _record(self, outcomes: list[tuple[int, int | None, str | None]]) -> None:
        with self.store.session() as s:
            for row_id, status, error in outcomes:
                outbox.record_attempt(
                    s, row_id, status=status, error=error, retry_base=self.settings.retry_base
                )

    async def _post(
        self, client: httpx.AsyncClient, item: outbox.Due
    ) -> tuple[int | None, str | None]:
        try:
            # Checked again at send time: the name may resolve elsewhere than when saved.
            await asyncio.to_thread(
                outbox.check_url, item.url, allow_private=self.settings.allow_private
            )
        except Exception as refused:
            return None, str(refused)
        chat = CHAT_FORMATS.get(item.format)
        if chat is not None:
            body = chat_body(chat, item.event, item.data, self.settings.public_url)
        else:
            body = delivery_body(
                item.delivery_id, item.event, item.created_at, item.data, self.settings.public_url
            )
        salt, previous = item.salts
        keys = outbox.live_secrets(self.settings.server_key, salt, previous, item.previous_until)
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(keys, body),
            DELIVERY_HEADER: item.delivery_id,
            EVENT_HEADER: item.event,
        }
        try:
            response = await client.post(item.url, content=body, headers=headers)
        except httpx.HTTPError as failed:
            return None, f"{type(failed).__name__}: {failed}" or type(failed).__name__
        if 200 <= response.status_code < 300:
            return response.status_code, None
        return response.status_code, f"answered {response.status_code}"
