"""Webhook delivery under a failing receiver: N events, 30 % of requests answered 500, the
receiver restarted once, every event delivered exactly once to a deduplicating receiver.

    .venv/bin/python benchmarks/webhooks.py [--events 1000] [--fail 0.3] [--retry-base 1.0]
        [--database sqlite|postgresql]

Runs the real dispatcher loop (as a web worker does) against a store on SQLite (a temporary
file) or PostgreSQL (``ACCORD_TEST_DATABASE_URL``, a fresh schema), with a local receiver
that checks every signature.  Prints JSON: events, requests, failures injected, duplicates
received (answered 200 and dropped by delivery id), signature failures, delivery delay
p50 / p95 / max (queued -> accepted) and the wall time.  The delay is dominated by the
backoff schedule (``retry_base`` x 3^n): it is printed with the figures.  The baseline is
the same events to a receiver that never fails, in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.integrations.receiver import Receiver  # noqa: E402

from accord.integrations.delivery import Dispatcher, DispatchSettings  # noqa: E402
from accord.store import Store, repository  # noqa: E402
from accord.store import webhooks as outbox  # noqa: E402
from accord.store.tables import WebhookDelivery  # noqa: E402

SERVER_KEY = "benchmark-" + "k" * 40


def _store(kind: str, folder: Path) -> tuple[Store, str | None]:
    if kind == "sqlite":
        return Store.from_url(f"sqlite:///{folder / 'hooks.db'}", migrate=True), None
    url = os.environ["ACCORD_TEST_DATABASE_URL"]
    schema = f"accord_bench_{secrets.token_hex(4)}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in url else "?"
    return Store.from_url(f"{url}{sep}options=-csearch_path%3D{schema}", migrate=True), schema


def _drop(schema: str) -> None:
    engine = sa.create_engine(os.environ["ACCORD_TEST_DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def run(events: int, fail: float, retry_base: float, kind: str, restart: bool) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        store, schema = _store(kind, Path(tmp))
        receiver = Receiver(secret="", fail_share=fail, seed=1)
        receiver.start()
        try:
            with store.session() as s:
                owner = repository.create_facilitator(
                    s, f"bench{secrets.token_hex(3)}@example.org", "pw-long-enough", "B"
                ).id
                hook = outbox.create_subscription(s, owner, receiver.url, ["decision.recorded"])
                receiver.secret = outbox.signing_secret(SERVER_KEY, hook.salt)
            queued_at: dict[str, float] = {}
            with store.session() as s:
                for k in range(events):
                    outbox.emit(s, owner, "decision.recorded", {"decision": f"d{k}"})
            with store.session() as s:
                for row in s.scalars(sa.select(WebhookDelivery)):
                    queued_at[row.delivery_id] = row.created_at.timestamp()
            dispatcher = Dispatcher(
                store,
                DispatchSettings(
                    server_key=SERVER_KEY,
                    allow_private=True,
                    poll_seconds=0.05,
                    retry_base=retry_base,
                ),
            )
            start = time.time()
            wall = asyncio.run(_until_delivered(dispatcher, receiver, events, restart))
        finally:
            receiver.stop()
            store.dispose()
            if schema:
                _drop(schema)
    delays = sorted(receiver.received_at[d] - queued_at[d] for d in receiver.accepted)
    return {
        "database": kind,
        "events": events,
        "fail_share": fail,
        "retry_base_seconds": retry_base,
        "receiver_restarted": restart,
        "delivered_unique": len(receiver.accepted),
        "missing": events - len(receiver.accepted),
        "requests": receiver.requests,
        "failures_injected": receiver.failed_on_purpose,
        "duplicates_received": receiver.duplicates,
        "bad_signatures": receiver.bad_signatures,
        "delay_p50_s": round(statistics.median(delays), 3) if delays else None,
        "delay_p95_s": round(delays[int(0.95 * (len(delays) - 1))], 3) if delays else None,
        "delay_max_s": round(delays[-1], 3) if delays else None,
        "wall_s": round(wall, 2),
        "started": start,
    }


async def _until_delivered(
    dispatcher: Dispatcher, receiver: Receiver, events: int, restart: bool
) -> float:
    began = time.monotonic()
    await dispatcher.start()
    restarted = False
    try:
        while len(receiver.accepted) < events:
            await asyncio.sleep(0.02)
            if restart and not restarted and len(receiver.accepted) >= events // 2:
                receiver.stop()  # down for two seconds, then back on the same port
                await asyncio.sleep(2.0)
                receiver.start()
                restarted = True
            if time.monotonic() - began > 1800:
                break
    finally:
        await dispatcher.stop()
    return time.monotonic() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--fail", type=float, default=0.3)
    parser.add_argument("--retry-base", type=float, default=1.0)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    load = os.getloadavg()
    baseline = run(args.events, 0.0, args.retry_base, args.database, restart=False)
    failing = run(args.events, args.fail, args.retry_base, args.database, restart=True)
    for row in (baseline, failing):
        row.pop("started")
    print(
        json.dumps(
            {
                "load_average": [round(x, 2) for x in load],
                "baseline": baseline,
                "failing_receiver": failing,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
