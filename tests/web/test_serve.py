"""`accord serve --demo` (what `make run` starts) answers on 127.0.0.1 with the demo cases."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.web.conftest import EXAMPLES, served_demo


def test_serve_demo_starts_the_app_with_the_example_case(tmp_path: Path) -> None:
    password = "demo password for the test"
    with served_demo(tmp_path, password, EXAMPLES / "growth-vs-margin.yaml") as (base, log):
        assert "1 case(s) loaded for demo@accord.local" in log.read_text()
        with httpx.Client(base_url=base, follow_redirects=True) as client:
            form = client.get("/login")
            assert form.status_code == 200
            csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
            assert csrf
            signed = client.post(
                "/login",
                data={"email": "demo@accord.local", "password": password, "csrf": csrf.group(1)},
            )
            assert signed.status_code == 200
            assert "FY27 pricing and go-to-market plan" in signed.text
    assert (tmp_path / "accord.db").exists()
    assert (tmp_path / "accord-secret.key").stat().st_mode & 0o077 == 0


@pytest.mark.services
def test_two_workers_on_postgres_wake_each_others_streams_through_redis(
    tmp_path: Path, postgres: Any, redis_service: Any
) -> None:
    """A command handled by one process reaches streams served by the other within
    seconds (without the Redis hint they would wait for the 15 s keep-alive)."""
    password = "two worker password"
    environ = {"ACCORD_DATABASE_URL": postgres.url, "ACCORD_REDIS_URL": redis_service.url}
    case = EXAMPLES / "growth-vs-margin.yaml"
    with served_demo(tmp_path, password, case, options=("--workers", "2"), environ=environ) as (
        base,
        _,
    ):
        asyncio.run(_streams_across_workers(base, password))


async def _streams_across_workers(base: str, password: str) -> None:
    async with contextlib.AsyncExitStack() as held:
        fac = await held.enter_async_context(
            httpx.AsyncClient(base_url=base, follow_redirects=True, timeout=30)
        )
        form = await fac.get("/login")
        login = {"email": "demo@accord.local", "password": password, "csrf": _csrf(form.text)}
        cases = await fac.post("/login", data=login)
        case_path = re.search(r'href="(/cases/\d+)"', cases.text)
        assert case_path
        page = await fac.get(case_path.group(1))
        made = await fac.post(
            f"{case_path.group(1)}/workshops", data={"csrf": _csrf(page.text), "title": "Two"}
        )
        console, csrf = made.url.path, _csrf(made.text)
        workers: dict[str, int] = {}
        streams: list[httpx.Response] = []
        # Open streams until both processes serve some (the kernel spreads connections).
        for i in range(20):
            invited = await fac.post(f"{console}/links", data={"csrf": csrf, "label": f"p{i}"})
            link = re.search(r'<code class="copy">https?://[^/]+(/w/[^<]+)</code>', invited.text)
            assert link
            person = await held.enter_async_context(
                httpx.AsyncClient(base_url=base, follow_redirects=True, timeout=30)
            )
            join = await person.get(link.group(1))
            await person.post(
                f"{link.group(1)}/join", data={"csrf": _csrf(join.text), "name": f"P{i}"}
            )
            stream = await held.enter_async_context(person.stream("GET", f"{link.group(1)}/events"))
            streams.append(stream)
            worker = stream.headers["x-accord-worker"]
            workers[worker] = workers.get(worker, 0) + 1
            if len(workers) == 2 and i >= 3:
                break
        assert len(workers) == 2, f"every stream landed on one worker: {workers}"

        async def agenda_arrives(stream: httpx.Response) -> float:
            async for line in stream.aiter_lines():
                if "Which plan?" in line:
                    return time.perf_counter()
            raise AssertionError("the stream ended")

        waiting = [asyncio.ensure_future(agenda_arrives(stream)) for stream in streams]
        start = time.perf_counter()
        done = await fac.post(
            f"{console}/commands",
            data={"csrf": csrf, "kind": "agenda_set", "items": "Which plan?\nB?\nC?"},
            headers={"HX-Request": "1"},
        )
        assert done.status_code == 204, done.text
        arrived = await asyncio.wait_for(asyncio.gather(*waiting), timeout=10)
        assert max(arrived) - start < 5.0  # far below the 15 s keep-alive


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)
