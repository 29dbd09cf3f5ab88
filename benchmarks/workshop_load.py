"""Live-workshop load with a fixed interface: N participants on real `accord serve` processes.

    python benchmarks/workshop_load.py --participants N --seconds S [--burst] [--workers W]
        [--database-url URL] [--redis-url URL] --json

Starts its own server(s) on a free 127.0.0.1 port (a fresh SQLite file, or a fresh schema
in the PostgreSQL database given), stops them, and prints one JSON object.  It plays the
facilitator and every participant:

1. N participants join through their own links and each opens the live stream (SSE).
2. Brainstorm: every participant adds 3 ideas, spread at random over the first half of S
   seconds (``--burst``: all at the same instant, each person's next idea right after
   the answer to the previous one).
3. Vote: every participant casts 5 dots, one ``dots_cast`` per dot (each re-sends the
   growing allocation), spread over the second half (``--burst``: at once again).
4. While they do, the facilitator parks a probe issue every S/10 seconds: fan-out is the
   time from a probe's acknowledgement until each stream delivers a board showing it.

Every submission carries its own idempotency key; a 503 is retried after Retry-After, a
time-out with the same key.  Submit latency runs from the first send to the 204 (so it
includes retries).  Afterwards the database is read: ``stored`` counts submissions found
by key, ``lost`` acknowledged ones missing, ``duplicates`` events stored twice for one
submission (same key, or an idea's unique text twice).  Server CPU is summed over the
server's processes from /proc during the submissions.

There is no peer for live workshops in Python; the comparison in the same run is the same
server with 1 participant (``baseline``).  ``--server-path`` runs the server from another
source tree (e.g. an older commit, for before/after figures on one machine).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

REPO = Path(__file__).resolve().parent.parent
CASE = REPO / "examples" / "growth-vs-margin.yaml"
PASSWORD = "benchmark password"
IDEAS_EACH = 3
DOTS_EACH = 5
PROBES = 10
GROUPS = 10


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


def at(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)


# --- the server and its processes ---------------------------------------------------------


def process_tree(root: int) -> list[int]:
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                todo.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                pass
    return pids


def cpu_seconds(root: int) -> float:
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in process_tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    return total


def rss_mb(root: int) -> float:
    total = 0
    for pid in process_tree(root):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str
    database_url: str
    peak_rss_mb: float = 0.0


def start_server(
    folder: Path, database_url: str, redis_url: str | None, workers: int, code: Path | None
) -> Server:
    port = free_port()
    env = dict(os.environ, ACCORD_DEMO_PASSWORD=PASSWORD, ACCORD_DATABASE_URL=database_url)
    env.pop("ACCORD_REDIS_URL", None)
    if redis_url:
        env["ACCORD_REDIS_URL"] = redis_url
    if code is not None:
        env["PYTHONPATH"] = str(code)
    log = folder / "server.log"
    command = [sys.executable, "-m", "accord.cli", "serve", "--demo", "--port", str(port)]
    command += ["--workers", str(workers), str(CASE)]
    with log.open("w") as sink:  # a file, not a pipe: a full pipe would stall the server
        process = subprocess.Popen(command, cwd=folder, env=env, stdout=sink, stderr=sink)
    deadline = time.monotonic() + 120
    while log.read_text().count("Application startup complete") < workers:
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the server did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.1)
    return Server(process, f"http://127.0.0.1:{port}", database_url)


# --- participants -------------------------------------------------------------------------


@dataclass
class Person:
    link: str
    csrf: str = ""
    actor: str = ""
    seen: dict[str, float] = field(default_factory=dict)  # probe text -> when its board came
    boards: int = 0
    received: int = 0  # bytes of stream messages
    # Each person's own client, as each browser has its own connections: one client shared
    # by 500 people made httpx scan its whole pool on every request, and the benchmark
    # measured its own client (O(connections) per request) more than the server.
    http: httpx.AsyncClient | None = None


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    acknowledged: dict[str, str] = field(default_factory=dict)  # key -> kind
    errors: dict[str, int] = field(default_factory=dict)
    retries_503: int = 0
    retries_timeout: int = 0
    transport_retries: int = 0


async def submit(
    client: httpx.AsyncClient, path: str, data: dict[str, str], tally: Tally, kind: str
) -> None:
    """Send one submission until it is judged; retries keep its key."""
    key = uuid.uuid4().hex
    start = time.perf_counter()
    for _ in range(60):
        try:
            response = await client.post(
                path, data={**data, "kind": kind, "command_key": key}, headers={"HX-Request": "1"}
            )
        except httpx.TimeoutException:
            tally.retries_timeout += 1
            continue
        except httpx.TransportError:
            # A dropped or closed connection: the server may or may not have it; the same
            # key makes the retry safe either way.
            tally.transport_retries += 1
            await asyncio.sleep(0.5)
            continue
        if response.status_code == 503:
            tally.retries_503 += 1
            await asyncio.sleep(float(response.headers.get("retry-after", "1")))
            continue
        if response.status_code == 204:
            tally.latencies.append(time.perf_counter() - start)
            tally.by_kind.setdefault(kind, []).append(time.perf_counter() - start)
            tally.acknowledged[key] = kind
        else:
            label = f"{response.status_code}: {response.text[:80]}"
            tally.errors[label] = tally.errors.get(label, 0) + 1
        return
    tally.errors["gave up"] = tally.errors.get("gave up", 0) + 1


async def submit_many(
    client: httpx.AsyncClient,
    path: str,
    data: dict[str, str],
    name: str,
    values: list[str],
    tally: Tally,
) -> None:
    """A command with a repeated field (``ideas=i1&ideas=i2...``)."""
    key = uuid.uuid4().hex
    body = [*data.items(), ("kind", "ideas_grouped"), ("command_key", key)]
    body += [(name, value) for value in values]
    response = await client.post(
        path,
        content=httpx.QueryParams(body).__str__().encode(),
        headers={"HX-Request": "1", "Content-Type": "application/x-www-form-urlencoded"},
    )
    if response.status_code != 204:
        label = f"{response.status_code}: {response.text[:80]}"
        tally.errors[label] = tally.errors.get(label, 0) + 1


async def listen(base: str, person: Person, probes: list[str], opened: asyncio.Event) -> None:
    """Read the person's SSE stream with raw sockets (the client must stay cheaper than the
    server): one chunk per board; note when each probe first shows."""
    host, port = base.removeprefix("http://").split(":")
    while True:
        try:
            reader, writer = await asyncio.open_connection(host, int(port))
            writer.write(
                f"GET {person.link}/events HTTP/1.1\r\nHost: {host}\r\n"
                "Accept: text/event-stream\r\n\r\n".encode()
            )
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            if b" 200 " not in head.split(b"\r\n", 1)[0]:
                raise RuntimeError(head[:200])
            opened.set()
            while True:
                size = int((await reader.readuntil(b"\r\n")).strip(), 16)
                chunk = await reader.readexactly(size + 2)
                if size == 0:
                    break
                person.received += size
                if b"event: board" in chunk:
                    person.boards += 1
                    now = time.perf_counter()
                    for probe in probes:
                        if probe not in person.seen and probe.encode() in chunk:
                            person.seen[probe] = now
            writer.close()
        except asyncio.CancelledError:
            raise
        except (OSError, asyncio.IncompleteReadError, ValueError, RuntimeError):
            await asyncio.sleep(0.5)  # a worker died or the stream ended: reconnect


async def scenario(server: Server, n: int, seconds: float, burst: bool) -> dict[str, Any]:
    base = server.base
    limits = httpx.Limits(max_connections=8, max_keepalive_connections=8)
    timeout = httpx.Timeout(30.0)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as http:
        page = await http.get("/login")
        await http.post(
            "/login",
            data={"email": "demo@accord.local", "password": PASSWORD, "csrf": csrf_of(page.text)},
        )
        listing = await http.get("/")
        case_path = re.search(r'href="(/cases/\d+)"', listing.text)
        assert case_path, listing.text[:500]
        case_page = await http.get(case_path.group(1))
        made = await http.post(
            f"{case_path.group(1)}/workshops",
            data={"csrf": csrf_of(case_page.text), "title": "Load test"},
        )
        console = made.headers["location"]
        workshop_id = int(console.rsplit("/", 1)[1])
        fac_csrf = csrf_of((await http.get(console)).text)
        links = make_links(server.database_url, workshop_id, n)
        note(f"{n} links made")

        own = httpx.Limits(max_connections=2, max_keepalive_connections=2)
        people = [
            Person(link, http=httpx.AsyncClient(base_url=base, limits=own, timeout=timeout))
            for link in links
        ]
        join_errors: dict[str, int] = {}
        gate = asyncio.Semaphore(32)

        async def join(person: Person, i: int) -> None:
            async with gate:
                for _ in range(20):
                    try:
                        assert person.http is not None
                        form = await person.http.get(person.link)
                        joined = await person.http.post(
                            f"{person.link}/join",
                            data={"csrf": csrf_of(form.text), "name": f"P {i}"},
                        )
                        if joined.status_code == 303:
                            person.csrf = csrf_of((await person.http.get(person.link)).text)
                            return
                        join_errors[str(joined.status_code)] = (
                            join_errors.get(str(joined.status_code), 0) + 1
                        )
                    except httpx.TransportError:  # a pooled connection the server closed
                        pass
                    except AssertionError:  # an error page instead of the form
                        join_errors["error page"] = join_errors.get("error page", 0) + 1
                    await asyncio.sleep(0.5)
                raise RuntimeError(f"participant {i} could not join: {join_errors}")

        await asyncio.gather(*(join(p, i) for i, p in enumerate(people)))
        note("joined")

        probes = [f"probe-{k}-{secrets.token_hex(3)}" for k in range(PROBES)]
        opened = [asyncio.Event() for _ in people]
        listeners = [
            asyncio.create_task(listen(base, p, probes, e))
            for p, e in zip(people, opened, strict=True)
        ]
        await asyncio.wait_for(asyncio.gather(*(e.wait() for e in opened)), 120)
        note("streams open")

        fac = Tally()

        async def facilitator(kind: str, **fields: str) -> None:
            await submit(http, f"{console}/commands", {"csrf": fac_csrf, **fields}, fac, kind)

        await facilitator("agenda_set", items="Where to grow?\nWhat to cut?\nWho owns it?")
        await facilitator("item_started", item="0")
        await facilitator("settings_changed", dots_per_item=str(DOTS_EACH), anonymous="on")

        tally = Tally()
        cpu_before = cpu_seconds(server.process.pid)
        probe_acks: dict[str, float] = {}

        async def probe_loop(stop: asyncio.Event) -> None:
            for probe in probes:
                if stop.is_set():
                    return
                await facilitator("parked", text=probe, owner="facilitator")
                probe_acks[probe] = time.perf_counter()
                try:
                    await asyncio.wait_for(stop.wait(), max(seconds / PROBES, 1.0))
                except TimeoutError:
                    pass

        def schedule(count: int) -> list[float]:
            """When one person sends each of ``count`` submissions, from the phase start:
            at random over half the run, or all at 0 (each right after the last answer)."""
            if burst:
                return [0.0] * count
            return sorted(random.uniform(0, seconds / 2) for _ in range(count))

        async def person_ideas(person: Person, phase_start: float) -> None:
            for k, when in enumerate(schedule(IDEAS_EACH)):
                await asyncio.sleep(max(0.0, phase_start + when - time.perf_counter()))
                text = f"{person.link[-8:]} idea {k} {secrets.token_hex(4)}"
                assert person.http is not None
                await submit(
                    person.http,
                    f"{person.link}/commands",
                    {"csrf": person.csrf, "text": text},
                    tally,
                    "idea_added",
                )

        stop = asyncio.Event()
        prober = asyncio.create_task(probe_loop(stop))
        started = time.perf_counter()
        sampler = asyncio.create_task(sample_rss(server))
        lags: list[float] = []
        lag_watch = asyncio.create_task(watch_lag(lags))
        client_cpu_before = time.process_time()
        await asyncio.gather(*(person_ideas(p, started) for p in people))
        note("ideas added")
        await facilitator("phase_changed", phase="reveal")
        await facilitator("phase_changed", phase="group")
        # As a facilitator would before a vote: the ideas in GROUPS clusters (the vote
        # then has GROUPS targets, not one per idea).
        ideas = list(
            dict.fromkeys(
                re.findall(
                    r'name="ideas" value="(i\d+)"', (await http.get(console, timeout=300)).text
                )
            )
        )
        for g in range(GROUPS):
            chosen = ideas[g::GROUPS]
            if chosen:
                form = {"csrf": fac_csrf, "label": f"Theme {g}"}
                await submit_many(http, f"{console}/commands", form, "ideas", chosen, fac)
        await facilitator("phase_changed", phase="vote")
        targets = await vote_targets(http, people[0])

        async def person_dots(person: Person, phase_start: float) -> None:
            allocation: dict[str, int] = {}
            for when in schedule(DOTS_EACH):
                await asyncio.sleep(max(0.0, phase_start + when - time.perf_counter()))
                target = random.choice(targets)
                allocation[target] = allocation.get(target, 0) + 1
                fields = {f"dots.{t}": str(c) for t, c in allocation.items()}
                assert person.http is not None
                await submit(
                    person.http,
                    f"{person.link}/commands",
                    {"csrf": person.csrf, **fields},
                    tally,
                    "dots_cast",
                )

        voting = time.perf_counter()
        await asyncio.gather(*(person_dots(p, voting) for p in people))
        elapsed = time.perf_counter() - started
        cpu = cpu_seconds(server.process.pid) - cpu_before
        note("dots cast")
        stop.set()
        await prober
        # Let the last boards arrive (bounded), then stop listening.
        deadline = time.perf_counter() + 30
        while time.perf_counter() < deadline and not all(
            all(p in person.seen for p in probe_acks) for person in people
        ):
            await asyncio.sleep(0.05)
        sampler.cancel()
        lag_watch.cancel()
        client_cpu = time.process_time() - client_cpu_before
        for task in listeners:
            task.cancel()
        await asyncio.gather(*listeners, sampler, lag_watch, return_exceptions=True)
        for person in people:
            if person.http is not None:
                await person.http.aclose()

    fanout = [
        person.seen[probe] - acked
        for probe, acked in probe_acks.items()
        for person in people
        if probe in person.seen
    ]
    missing = sum(1 for probe in probe_acks for person in people if probe not in person.seen)
    check = verify(server.database_url, workshop_id, tally.acknowledged)
    commands = len(tally.acknowledged)
    return {
        "participants": n,
        "mode": "burst" if burst else "spread",
        "seconds_planned": seconds,
        "seconds_taken": round(elapsed, 1),
        "submissions": n * (IDEAS_EACH + DOTS_EACH),
        "acknowledged": commands,
        **check,
        "errors": sum(tally.errors.values()),
        "error_kinds": tally.errors,
        "transport_retries": tally.transport_retries,
        "join_errors": join_errors,
        "retried_after_503": tally.retries_503,
        "retried_after_timeout": tally.retries_timeout,
        "submit_p50_ms": at(tally.latencies, 0.50),
        "submit_p95_ms": at(tally.latencies, 0.95),
        "submit_p99_ms": at(tally.latencies, 0.99),
        "submit_max_ms": at(tally.latencies, 1.0),
        "submit_p50_p99_ms_by_kind": {
            kind: [at(values, 0.50), at(values, 0.99)] for kind, values in tally.by_kind.items()
        },
        "fanout_p50_ms": at(fanout, 0.50),
        "fanout_p95_ms": at(fanout, 0.95),
        "fanout_missing": missing,
        "boards_per_stream": round(sum(p.boards for p in people) / max(1, n), 1),
        "stream_kb_per_participant": round(sum(p.received for p in people) / 1024 / max(1, n), 1),
        "server_cpu_ms_per_command": round(cpu * 1000 / max(1, commands), 2),
        "peak_rss_mb": round(server.peak_rss_mb, 1),
        # The load generator shares the machine: its own loop lag bounds how much of a
        # submit time is the client's (not the server's) doing.
        "client_loop_lag_p50_p99_ms": [at(lags, 0.50), at(lags, 0.99)],
        "client_cpu_s": round(client_cpu, 1),
    }


async def watch_lag(lags: list[float]) -> None:
    """How late this client's own event loop wakes (a 10 ms sleep, measured): a submit
    time includes that lag, so a busy client shows up here rather than as server time."""
    while True:
        start = time.perf_counter()
        await asyncio.sleep(0.01)
        lags.append(time.perf_counter() - start - 0.01)


async def sample_rss(server: Server) -> None:
    while True:
        server.peak_rss_mb = max(server.peak_rss_mb, rss_mb(server.process.pid))
        await asyncio.sleep(0.5)


async def vote_targets(http: httpx.AsyncClient, person: Person) -> list[str]:
    page = (await http.get(person.link, timeout=300)).text
    targets = re.findall(r'name="dots\.([A-Za-z0-9_-]+)"', page)
    assert targets, "no vote targets on the board"
    return targets


def make_links(database_url: str, workshop_id: int, n: int) -> list[str]:
    """N participant links, issued straight in the database (the console would render its
    growing links table N times, which is not what this benchmark measures)."""
    from accord.store import Store, repository
    from accord.store.tables import Workshop

    store = Store.from_url(database_url, migrate=False)
    try:
        with store.session() as session:
            workshop = session.get(Workshop, workshop_id)
            assert workshop is not None
            raws = [
                repository.issue_token(
                    session, workshop.case_id, "participant", workshop_id=workshop_id
                )[1]
                for _ in range(n)
            ]
    finally:
        store.dispose()
    return [f"/w/{raw}" for raw in raws]


def verify(database_url: str, workshop_id: int, acknowledged: dict[str, str]) -> dict[str, int]:
    """What the database holds of the submissions (read after the run)."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT command_key, kind, payload FROM workshop_event "
                    "WHERE workshop_id = :w AND kind IN ('idea_added', 'dots_cast')"
                ),
                {"w": workshop_id},
            ).all()
    finally:
        engine.dispose()
    keys = [row[0] for row in rows if row[0] is not None]
    texts = []
    for row in rows:
        if row[1] == "idea_added":
            payload = row[2] if isinstance(row[2], dict) else json.loads(row[2])
            texts.append(payload["text"])
    by_key = set(keys)
    return {
        "stored": len(rows),
        "lost": sum(1 for key in acknowledged if key not in by_key),
        "stored_unacknowledged": sum(1 for key in by_key if key not in acknowledged),
        "duplicates": (len(keys) - len(by_key)) + (len(texts) - len(set(texts))),
    }


def run(args: argparse.Namespace, n: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        schema = None
        database_url = args.database_url or f"sqlite:///{folder}/accord.db"
        if args.database_url and not args.database_url.startswith("sqlite"):
            schema = f"accord_bench_{secrets.token_hex(4)}"
            admin = sa.create_engine(args.database_url)
            with admin.begin() as connection:
                connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
            sep = "&" if "?" in args.database_url else "?"
            database_url = f"{args.database_url}{sep}options=-csearch_path%3D{schema}"
        try:
            server = start_server(
                Path(folder), database_url, args.redis_url, args.workers, args.server_path
            )
            try:
                result = asyncio.run(scenario(server, n, args.seconds, args.burst))
            finally:
                server.process.terminate()
                try:
                    server.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.process.kill()
        finally:
            if schema is not None:
                with admin.begin() as connection:
                    connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                admin.dispose()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--burst", action="store_true", help="everyone at the same instant")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--redis-url", default=None, help="needed for --workers > 1")
    parser.add_argument("--server-path", type=Path, default=None, help="PYTHONPATH for the server")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--json", action="store_true", help="print JSON (the only output)")
    args = parser.parse_args()
    load_before = os.getloadavg()
    out: dict[str, Any] = {
        "backend": "sqlite" if not args.database_url else args.database_url.split(":")[0],
        "workers": args.workers,
        "server_code": str(args.server_path or REPO / "src"),
        "load_average": [round(x, 2) for x in load_before],
        "cores": os.cpu_count(),
    }
    if not args.no_baseline:
        out["baseline"] = run(args, 1)
    out.update(run(args, args.participants))
    out["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
