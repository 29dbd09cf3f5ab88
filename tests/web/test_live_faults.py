"""Live workshops under faults, on real `accord serve` processes, PostgreSQL and Redis.

A worker killed mid-burst, Redis stalled and stopped, the database connection cut: every
acknowledged idea is stored, none twice, and every stream converges to the stored log.
Redis and PostgreSQL are reached through a :class:`~tests.web.faults.Proxy` (the shared
services are never touched).  Each test is bounded: a few participants, a few dozen ideas.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import sqlalchemy as sa
from tests.conftest import PostgresSchema, RedisNamespace
from tests.web.conftest import EXAMPLES
from tests.web.faults import Ledger, Proxy, csrf_of, serving, submit_idea

from accord.store import Store, repository
from accord.store.tables import Workshop, WorkshopEvent

pytestmark = pytest.mark.services

PASSWORD = "fault test password"
CASE = EXAMPLES / "growth-vs-margin.yaml"


@contextmanager
def proxied(url: str, default_port: int) -> Iterator[tuple[Proxy, str]]:
    """A proxy to the service in ``url`` and the same URL pointing at the proxy."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or default_port
    proxy = Proxy(host, port)
    try:
        yield proxy, url.replace(f"{parts.hostname}:{port}", f"127.0.0.1:{proxy.port}", 1)
    finally:
        proxy.close()


class Room:
    """A workshop in brainstorm on a served app, with ``n`` joined participants."""

    def __init__(self, base: str, database_url: str, n: int) -> None:
        self.base, self.database_url = base, database_url
        with httpx.Client(base_url=base, timeout=30) as fac:
            login = fac.get("/login")
            fac.post(
                "/login",
                data={
                    "email": "demo@accord.local",
                    "password": PASSWORD,
                    "csrf": csrf_of(login.text),
                },
            )
            case = re.search(r'href="(/cases/\d+)"', fac.get("/").text)
            assert case
            made = fac.post(
                f"{case.group(1)}/workshops",
                data={"csrf": csrf_of(fac.get(case.group(1)).text), "title": "Faults"},
            )
            console = made.headers["location"]
            self.workshop_id = int(console.rsplit("/", 1)[1])
            csrf = csrf_of(fac.get(console).text)
            self.links = self._links(n)
            self.csrfs = []
            for i, link in enumerate(self.links):
                form = fac.get(link)
                joined = fac.post(
                    f"{link}/join", data={"csrf": csrf_of(form.text), "name": f"P{i}"}
                )
                assert joined.status_code == 303, joined.text[:300]
                self.csrfs.append(csrf_of(fac.get(link).text))
            for kind, fields in (
                ("agenda_set", {"items": "A?\nB?\nC?"}),
                ("item_started", {"item": "0"}),
            ):
                done = fac.post(
                    f"{console}/commands",
                    data={"csrf": csrf, "kind": kind, **fields},
                    headers={"HX-Request": "1"},
                )
                assert done.status_code == 204, done.text

    def _links(self, n: int) -> list[str]:
        store = Store.from_url(self.database_url, migrate=False)
        try:
            with store.session() as session:
                workshop = session.get(Workshop, self.workshop_id)
                assert workshop is not None
                return [
                    "/w/"
                    + repository.issue_token(
                        session, workshop.case_id, "participant", workshop_id=self.workshop_id
                    )[1]
                    for _ in range(n)
                ]
        finally:
            store.dispose()

    async def ideas(self, each: int, ledger: Ledger, tag: str) -> None:
        async with httpx.AsyncClient(base_url=self.base, timeout=10) as client:
            await asyncio.gather(
                *(
                    submit_idea(client, link, csrf, f"{tag} {i}.{k}", ledger)
                    for k in range(each)
                    for i, (link, csrf) in enumerate(zip(self.links, self.csrfs, strict=True))
                )
            )

    def stored(self) -> tuple[list[str], int]:
        """The stored ideas' keys (with repeats, if any) and the log's last number."""
        engine = sa.create_engine(self.database_url)
        try:
            with engine.connect() as connection:
                keys = connection.scalars(
                    sa.select(WorkshopEvent.command_key).where(
                        WorkshopEvent.workshop_id == self.workshop_id,
                        WorkshopEvent.kind == "idea_added",
                    )
                ).all()
                last = connection.scalar(
                    sa.select(Workshop.last_seq).where(Workshop.id == self.workshop_id)
                )
        finally:
            engine.dispose()
        assert last is not None
        return [k for k in keys if k is not None], last

    def converged(self, seq: int, deadline_seconds: float = 60) -> list[int]:
        """Each participant's stream's first board number once it reaches ``seq`` (bounded)."""

        async def first_at_least(client: httpx.AsyncClient, link: str) -> int:
            deadline = time.monotonic() + deadline_seconds
            latest = -1
            while time.monotonic() < deadline and latest < seq:
                try:
                    async with client.stream("GET", f"{link}/events") as stream:
                        async for line in stream.aiter_lines():
                            if line.startswith("id: "):
                                latest = int(line[4:])
                                if latest >= seq or time.monotonic() > deadline:
                                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.25)
            return latest

        async def all_streams() -> list[int]:
            timeout = httpx.Timeout(10, read=deadline_seconds)
            async with httpx.AsyncClient(base_url=self.base, timeout=timeout) as client:
                return list(
                    await asyncio.gather(*(first_at_least(client, link) for link in self.links))
                )

        return asyncio.run(all_streams())


def workers_of(server_log: Path) -> list[int]:
    return [int(p) for p in re.findall(r"Started server process \[(\d+)\]", server_log.read_text())]


def test_a_worker_killed_mid_burst_loses_and_doubles_nothing(
    tmp_path: Path,
    postgres: PostgresSchema,
    redis_service: RedisNamespace,
) -> None:
    environ = {"ACCORD_DATABASE_URL": postgres.url, "ACCORD_REDIS_URL": redis_service.url}
    with serving(tmp_path, PASSWORD, CASE, environ, workers=2) as (base, log, _):
        room = Room(base, postgres.url, 8)
        victim = workers_of(log)[0]
        ledger = Ledger()

        async def burst_with_a_kill() -> None:
            load = asyncio.create_task(room.ideas(6, ledger, "kill"))
            while len(ledger.acknowledged) < 10 and not load.done():
                await asyncio.sleep(0.01)
            os.kill(victim, signal.SIGKILL)  # mid-burst: some requests were in flight
            await load

        asyncio.run(burst_with_a_kill())
        keys, last = room.stored()
        assert len(keys) == len(set(keys)), "an idea was stored twice"
        assert ledger.acknowledged <= set(keys), "an acknowledged idea was lost"
        assert len(ledger.acknowledged) == 48
        assert room.converged(last) == [last] * 8


def test_a_stalled_then_stopped_redis_delays_no_acknowledgement_and_streams_converge(
    tmp_path: Path,
    postgres: PostgresSchema,
    redis_service: RedisNamespace,
) -> None:
    with proxied(redis_service.url, 6379) as (redis_proxy, redis_url):
        environ = {"ACCORD_DATABASE_URL": postgres.url, "ACCORD_REDIS_URL": redis_url}
        with serving(tmp_path, PASSWORD, CASE, environ, workers=2) as (base, _, _):
            room = Room(base, postgres.url, 6)
            for fault in (redis_proxy.pause, redis_proxy.cut):
                fault()
                ledger = Ledger()
                asyncio.run(room.ideas(3, ledger, fault.__name__))
                # Answered at once, never with an error: the hint waits in its own thread.
                assert ledger.statuses == {204: 18} and ledger.transport_errors == 0
                keys, last = room.stored()
                assert ledger.acknowledged <= set(keys) and len(keys) == len(set(keys))
                # Streams in the other worker hear nothing from Redis: they poll the log.
                assert room.converged(last) == [last] * 6
                redis_proxy.resume()


def test_a_cut_database_connection_answers_503_and_a_retry_stores_once(
    tmp_path: Path,
    postgres: PostgresSchema,
) -> None:
    with proxied(postgres.url, 5432) as (db_proxy, db_url):
        environ = {"ACCORD_DATABASE_URL": db_url}
        with serving(tmp_path, PASSWORD, CASE, environ) as (base, _, _):
            room = Room(base, postgres.url, 4)
            warm = Ledger()
            asyncio.run(room.ideas(1, warm, "before"))  # every seat cached, pool warm
            db_proxy.cut()
            with httpx.Client(base_url=base, timeout=30) as client:
                refused = [
                    client.post(
                        f"{link}/commands",
                        data={
                            "csrf": csrf,
                            "kind": "idea_added",
                            "text": f"cut {i}",
                            "command_key": f"cut-{i}",
                        },
                        headers={"HX-Request": "1"},
                    )
                    for i, (link, csrf) in enumerate(zip(room.links, room.csrfs, strict=True))
                ]
                assert [r.status_code for r in refused] == [503] * 4
                assert all(r.headers.get("retry-after") for r in refused)
                db_proxy.resume()
                for _ in range(2):  # the retry, and a retry of the retry
                    retried = [
                        client.post(
                            f"{link}/commands",
                            data={
                                "csrf": csrf,
                                "kind": "idea_added",
                                "text": f"cut {i}",
                                "command_key": f"cut-{i}",
                            },
                            headers={"HX-Request": "1"},
                        )
                        for i, (link, csrf) in enumerate(zip(room.links, room.csrfs, strict=True))
                    ]
                    assert [r.status_code for r in retried] == [204] * 4
            keys, _ = room.stored()
            assert sorted(keys) == sorted([*warm.acknowledged, *(f"cut-{i}" for i in range(4))])
