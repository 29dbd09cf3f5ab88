"""The JSON API under load: at least 10,000 schemathesis-generated requests (fitting the
OpenAPI document and not) to every operation of a server this script starts on loopback
(uvicorn in a child process), each answer checked against the document; then the API's
analysis read against the page route's ``analysis.json`` (the peer in this run) and an ETag
hit (304) against a full answer.  Prints JSON: requests, 5xx count, schema violations,
p50/p95 latency, the load average, e.g.

    .venv/bin/python benchmarks/api.py                 # >= 10,000 requests
    .venv/bin/python benchmarks/api.py --requests 500  # a smoke run
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.api.conformance: the driver the bounded test uses

import httpx  # noqa: E402
from tests.api.conformance import run_operations  # noqa: E402

from accord.store import Store, repository, sessions, tokens  # noqa: E402
from accord.web.settings import Settings  # noqa: E402

CASE = ROOT / "examples" / "growth-vs-margin.yaml"
SECRET = "b" * 48


def _world(database_url: str) -> tuple[dict[str, str], dict[str, Any], str]:
    """A facilitator with a full-scope token, the example case and a workshop on it."""
    settings = Settings(secret_key=SECRET, database_url=database_url)
    store = Store.from_url(database_url, migrate=True)
    try:
        with store.session() as s:
            owner = repository.create_facilitator(s, "bench@example.org", "bench password", "B")
            _, raw = tokens.create_api_token(s, owner.id, "bench", ["read", "write", "workshop"])
            case_id = repository.save_case(s, owner.id, CASE.read_text("utf-8"), CASE.name).id
            workshop_id = repository.create_workshop(s, case_id, "Bench workshop").id
            cookie = sessions.open_session(
                s, owner.id, settings.session_idle, settings.session_lifetime
            )
    finally:
        store.dispose()
    real = {"case_id": case_id, "workshop_id": workshop_id, "stakeholder_id": "cfo"}
    return {"Authorization": f"Bearer {raw}"}, real, cookie


def serve(database_url: str, port: int) -> None:
    """The child process: the app on 127.0.0.1:``port`` (uvicorn, one worker)."""
    import uvicorn

    from accord.web.app import create_app
    from accord.web.throttle import Limit

    settings = Settings(secret_key=SECRET, database_url=database_url)
    app = create_app(settings, Store.from_url(database_url, migrate=False))
    # schemathesis's ignored_auth check sends bad tokens on purpose, all from one address:
    # without this the bad-token lock would turn the rest of the run into 429s.
    app.state.api_bad_token_limit = Limit(failures=10**9)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running_server(database_url: str) -> Iterator[str]:
    """This script's ``--serve`` in a child process; yields its base URL."""
    port = _free_port()
    command = [sys.executable, __file__, "--serve", database_url, "--port", str(port)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    child = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # a loaded machine may take long to import it all
        while True:
            if child.poll() is not None:
                sys.exit(f"the server exited {child.returncode} before it answered")
            try:
                if httpx.get(base + "/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                sys.exit(f"{base}/healthz did not answer 200 within 300 s")
            time.sleep(0.2)
        yield base
    finally:
        child.terminate()
        child.wait(timeout=30)


def _timed(client: httpx.Client, path: str, n: int, **options: Any) -> tuple[float, Counter[int]]:
    statuses: Counter[int] = Counter()
    start = time.perf_counter()
    for _ in range(n):
        statuses[client.get(path, **options).status_code] += 1
    return (time.perf_counter() - start) / n * 1000, statuses


def _percentile(seconds: list[float], fraction: float) -> float:
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return round(cuts[round(fraction * 100) - 1] * 1000, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000, help="at least this many")
    parser.add_argument("--examples", type=int, default=150, help="per operation, mode, round")
    parser.add_argument("--reads", type=int, default=300, help="timed reads per route")
    parser.add_argument("--serve", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        database_url = f"sqlite:///{Path(folder) / 'accord.db'}"
        headers, real, cookie = _world(database_url)
        with running_server(database_url) as base:
            statuses: Counter[int] = Counter()
            failures: list[str] = []
            seconds: list[float] = []
            rounds = 0
            start = time.perf_counter()
            while sum(statuses.values()) < args.requests:
                tally = run_operations(base, headers, real, args.examples, seed=rounds)
                statuses.update(tally.statuses)
                failures += tally.failures
                seconds += tally.seconds
                rounds += 1
            fuzz_seconds = time.perf_counter() - start
            load_during = os.getloadavg()
            with httpx.Client(base_url=base, timeout=600) as client:
                analysis = f"/api/v1/cases/{real['case_id']}/analysis"
                first = client.get(analysis, headers=headers)
                if "etag" not in first.headers:
                    sys.exit(f"{analysis}: {first.status_code} {first.text[:300]}")
                api_ms, api_statuses = _timed(client, analysis, args.reads, headers=headers)
                etag = {**headers, "If-None-Match": first.headers["etag"]}
                hit_ms, hit_statuses = _timed(client, analysis, args.reads, headers=etag)
                client.cookies.set("accord_session", cookie)
                page_ms, page_statuses = _timed(
                    client, f"/cases/{real['case_id']}/analysis.json", args.reads
                )
    total = sum(statuses.values())
    print(
        json.dumps(
            {
                "server": f"uvicorn on 127.0.0.1, SQLite, one process ({base})",
                "requests": total,
                "rounds": rounds,
                "seconds": round(fuzz_seconds, 1),
                "requests_per_second": round(total / fuzz_seconds, 1),
                "latency_ms": {
                    "p50": _percentile(seconds, 0.50),
                    "p95": _percentile(seconds, 0.95),
                    "max": round(max(seconds) * 1000, 2),
                },
                "statuses": dict(sorted(statuses.items())),
                "server_errors": sum(n for s, n in statuses.items() if s >= 500),
                "schema_violations": len(failures),
                "first_violations": failures[:3],
                "load_average": {
                    "before": [round(x, 2) for x in load_before],
                    "after_generated_requests": [round(x, 2) for x in load_during],
                },
                "analysis_read_ms": {
                    "api": round(api_ms, 2),
                    "api_etag_304": round(hit_ms, 2),
                    "page_analysis_json (peer)": round(page_ms, 2),
                    "api_over_page": round(api_ms / page_ms, 2),
                    "statuses": {
                        "api": dict(api_statuses),
                        "api_etag_304": dict(hit_statuses),
                        "page": dict(page_statuses),
                    },
                },
            },
            indent=2,
        )
    )
    if failures or any(s >= 500 for s in statuses):
        sys.exit(1)


if __name__ == "__main__":
    main()
