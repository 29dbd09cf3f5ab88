"""Live-workshop load: N participants on one `accord serve` process (SQLite by default).

Run ``.venv/bin/python benchmarks/workshop.py [--participants 300]``; prints one JSON
document.  The server runs in its own process on 127.0.0.1; this script plays the
facilitator and every participant:

1. N participants join through their own links and each opens the live stream (SSE).
2. Every participant adds an idea at once (silent brainstorming): the latency of each
   command (POST until the server's 204, i.e. committed) is recorded.
3. The facilitator reveals the ideas: the fan-out latency is the time from that command's
   204 until each participant's stream has delivered a board at or after its sequence
   number.

There is no peer library for live workshops in Python; the comparison in the same run is
the same server's own single-stream fan-out (1 participant) against N.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
CASE = REPO / "examples" / "growth-vs-margin.yaml"
PASSWORD = "benchmark password"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def note(what: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {what}", file=sys.stderr, flush=True)


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)

    return {"p50_ms": at(0.5), "p95_ms": at(0.95), "max_ms": round(ordered[-1] * 1000, 1)}


async def scenario(base: str, n: int) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=n + 20, max_keepalive_connections=n + 20)
    timeout = httpx.Timeout(60.0)
    async with httpx.AsyncClient(
        base_url=base, limits=limits, timeout=timeout, follow_redirects=True
    ) as fac:
        page = await fac.get("/login")
        await fac.post(
            "/login",
            data={"email": "demo@accord.local", "password": PASSWORD, "csrf": csrf_of(page.text)},
        )
        listing = await fac.get("/")
        case_path = re.search(r'href="(/cases/\d+)"', listing.text)
        assert case_path
        case_page = await fac.get(case_path.group(1))
        made = await fac.post(
            f"{case_path.group(1)}/workshops",
            data={"csrf": csrf_of(case_page.text), "title": "Load test"},
        )
        console = str(made.url.path)
        csrf = csrf_of(made.text)
        links = []
        for i in range(n):
            invited = await fac.post(f"{console}/links", data={"csrf": csrf, "label": f"p{i}"})
            found = re.search(r'<code class="copy">https?://[^/]+(/w/[^<]+)</code>', invited.text)
            assert found
            links.append(found.group(1))

        note(f"{n} links made")
        people = [
            httpx.AsyncClient(base_url=base, timeout=timeout, follow_redirects=True)
            for _ in range(n)
        ]

        async def join(client: httpx.AsyncClient, link: str, i: int) -> None:
            form = await client.get(link)
            await client.post(
                f"{link}/join", data={"csrf": csrf_of(form.text), "name": f"Person {i}"}
            )

        pairs = list(zip(people, links, strict=True))
        await asyncio.gather(*(join(c, link, i) for i, (c, link) in enumerate(pairs)))
        person_csrf = [csrf_of((await c.get(link)).text) for c, link in pairs]

        note("joined")
        seen: list[dict[int, float]] = [{} for _ in range(n)]
        ready = asyncio.Event()
        opened = 0

        async def listen(i: int) -> None:
            nonlocal opened
            async with people[i].stream("GET", f"{links[i]}/events") as stream:
                opened += 1
                if opened == n:
                    ready.set()
                async for line in stream.aiter_lines():
                    if line.startswith("id: "):
                        seen[i][int(line[4:])] = time.perf_counter()

        listeners = [asyncio.create_task(listen(i)) for i in range(n)]
        await asyncio.wait_for(ready.wait(), 60)
        note("streams open")

        async def command(client: httpx.AsyncClient, path: str, data: dict[str, str]) -> float:
            start = time.perf_counter()
            response = await client.post(path, data=data, headers={"HX-Request": "1"})
            assert response.status_code == 204, response.text
            return time.perf_counter() - start

        await command(
            fac, f"{console}/commands", {"csrf": csrf, "kind": "agenda_set", "items": "A?\nB?\nC?"}
        )
        await command(
            fac, f"{console}/commands", {"csrf": csrf, "kind": "item_started", "item": "0"}
        )
        started = time.perf_counter()
        idea_latency = await asyncio.gather(
            *(
                command(
                    people[i],
                    f"{links[i]}/commands",
                    {"csrf": person_csrf[i], "kind": "idea_added", "text": f"idea {i}"},
                )
                for i in range(n)
            )
        )
        burst = time.perf_counter() - started
        note("ideas added")
        await command(
            fac, f"{console}/commands", {"csrf": csrf, "kind": "phase_changed", "phase": "reveal"}
        )
        revealed = time.perf_counter()
        state = (await fac.get(console)).text
        seq = int(re.search(r'data-seq="(\d+)"', state).group(1))  # type: ignore[union-attr]
        deadline = time.perf_counter() + 60
        while time.perf_counter() < deadline and not all(
            any(s >= seq for s in got) for got in seen
        ):
            await asyncio.sleep(0.01)
        fanout = [
            min(t for s, t in got.items() if s >= seq) - revealed
            for got in seen
            if any(s >= seq for s in got)
        ]
        for task in listeners:
            task.cancel()
        await asyncio.gather(*listeners, return_exceptions=True)
        for c in people:
            await c.aclose()
    return {
        "participants": n,
        "ideas_burst_seconds": round(burst, 3),
        "idea_command": percentiles(list(idea_latency)),
        "reveal_fanout": percentiles(fanout),
        "streams_updated": len(fanout),
    }


def run(
    n: int, database_url: str | None, redis_url: str | None = None, workers: int = 1
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        env = dict(
            os.environ,
            ACCORD_DEMO_PASSWORD=PASSWORD,
            ACCORD_DATABASE_URL=database_url or f"sqlite:///{folder}/accord.db",
            **({"ACCORD_REDIS_URL": redis_url} if redis_url else {}),
        )
        log = Path(folder) / "server.log"
        with log.open("w") as sink:  # a file, not a pipe: a full pipe would stall the server
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "accord.cli",
                    "serve",
                    "--demo",
                    "--port",
                    str(port),
                    "--workers",
                    str(workers),
                    str(CASE),
                ],
                cwd=folder,
                env=env,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while "Application startup complete" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        try:
            result = asyncio.run(scenario(f"http://127.0.0.1:{port}", n))
        finally:
            server.terminate()
            server.wait(timeout=20)
    result["database"] = "sqlite" if database_url is None else database_url.split(":")[0]
    result["workers"] = workers
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--redis-url", default=None, help="needed for --workers > 1")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    out = {
        "load_average": os.getloadavg(),
        "baseline_one_participant": run(1, args.database_url, args.redis_url, args.workers),
        "many": run(args.participants, args.database_url, args.redis_url, args.workers),
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
