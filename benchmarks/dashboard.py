"""Dashboard latency with analyses off the request path (issue 14).

Starts ``accord serve --demo`` on a free 127.0.0.1 port with the examples and a synthetic
300-option case, signs in, and measures with one client, requests one after another:

- ``cached``: p50 / p95 of each example's dashboard once its analysis is cached;
- ``others_quiet``: the examples' dashboards, round robin, with nothing else running;
- ``others_during``: the same requests while a newly added 300-option case's analysis and
  report are computed (a second client keeps polling its progress, as its open page would);
- that case's time to ready (analysis, then report) and a 300-option case's cached dashboard.

It does so twice in the same run: with jobs in a child process (the default) and with
``ACCORD_ANALYSIS_PROCESSES=0`` (jobs on a thread of the server, sharing its interpreter lock:
the peer figure, close to computing on the request path as before).  Prints one JSON object.

    python benchmarks/dashboard.py [--requests 40] [--options 300]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples"
PASSWORD = "benchmark password 1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _big_case(folder: Path, options: int, seed: int) -> Path:
    sys.path.insert(0, str(HERE))
    from accord.io.case_file import save_case
    from synthetic import synthetic_case

    case = synthetic_case(40, options, 10, seed=seed)
    path = folder / f"large-{seed}.yaml"
    # A distinct id per seed, so the second large case is a new case, not a new revision.
    save_case(case.model_copy(update={"id": f"{case.id}-{seed}"}), path)
    return path


@contextmanager
def _server(folder: Path, cases: list[Path], processes: bool) -> Iterator[str]:
    port = _free_port()
    env = dict(
        os.environ,
        ACCORD_DATABASE_URL=f"sqlite:///{folder / f'accord-{int(processes)}.db'}",
        ACCORD_DEMO_PASSWORD=PASSWORD,
        ACCORD_ANALYSIS_PROCESSES="1" if processes else "0",
        ACCORD_ANALYSIS_WAIT_SECONDS="0",  # answer at once; the benchmark polls
    )
    env.pop("ACCORD_REDIS_URL", None)
    log = folder / f"server-{int(processes)}.log"
    command = [sys.executable, "-m", "accord.cli", "serve", "--demo", "--port", str(port)]
    with log.open("w") as sink:
        server = subprocess.Popen(
            [*command, *map(str, cases)], cwd=folder, env=env, stdout=sink, stderr=sink
        )
    try:
        deadline = time.monotonic() + 120
        while "Application startup complete" not in log.read_text():
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start:\n{log.read_text()}")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _sign_in(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=300)
    form = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf, "no CSRF field on the sign-in page"
    signed = client.post(
        "/login",
        data={"email": "demo@accord.local", "password": PASSWORD, "csrf": csrf.group(1)},
    )
    assert signed.status_code in (200, 303), signed.text[:200]
    return client


def _case_ids(client: httpx.Client) -> dict[str, int]:
    listing = client.get("/").text
    return {
        title: int(case_id)
        for case_id, title in re.findall(r'<a href="/cases/(\d+)">([^<]+)</a>', listing)
    }


def _ready(client: httpx.Client, path: str) -> float:
    """Seconds until ``path`` answers 200 (polling every 0.25 s)."""
    start = time.perf_counter()
    while client.get(path).status_code != 200:
        time.sleep(0.25)
    return time.perf_counter() - start


def _ms(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "n": len(times),
        "p50_ms": round(1000 * statistics.median(ordered), 1),
        "p95_ms": round(1000 * p95, 1),
    }


def _timed(client: httpx.Client, path: str) -> float:
    start = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, (path, response.status_code)
    return elapsed


def _run(
    folder: Path, cases: list[Path], fresh: Path, processes: bool, requests: int
) -> dict[str, Any]:
    with _server(folder, cases, processes) as base:
        client = _sign_in(base)
        ids = _case_ids(client)
        for case_id in ids.values():  # every case analysed (the list started them all)
            _ready(client, f"/cases/{case_id}")
        big_title = next(t for t in ids if t.startswith("Synthetic"))
        first_big = ids.pop(big_title)
        cached = {
            title: _ms([_timed(client, f"/cases/{case_id}") for _ in range(requests)])
            for title, case_id in ids.items()
        }
        paths = [f"/cases/{case_id}" for case_id in ids.values()]
        quiet = [_timed(client, paths[i % len(paths)]) for i in range(requests)]

        # A new large case: its page asks for the analysis, then the report; a second
        # client keeps polling as the open page would, until both are ready.
        form = client.get("/").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', form)
        assert csrf, "no CSRF field on the case list"
        added = client.post(
            "/cases",
            data={"csrf": csrf.group(1), "source": fresh.read_text(encoding="utf-8")},
            follow_redirects=False,
        )
        assert added.status_code == 303, added.text[:300]
        big = int(added.headers["location"].rsplit("/", 1)[1])
        watcher = _sign_in(base)
        done = threading.Event()
        ready_s: dict[str, float] = {}

        def watch() -> None:
            start = time.perf_counter()
            ready_s["analysis_s"] = _ready(watcher, f"/cases/{big}")
            ready_s["report_s"] = _ready(watcher, f"/cases/{big}/report")
            ready_s["total_s"] = time.perf_counter() - start
            done.set()

        thread = threading.Thread(target=watch)
        thread.start()
        during: list[float] = []
        while not done.is_set():
            during.append(_timed(client, paths[len(during) % len(paths)]))
        thread.join()
        # The last request may have ended after the job; the rest ran while it computed.
        during = during[:-1] or during
        big_cached = _ms(
            [_timed(client, f"/cases/{first_big}") for _ in range(max(5, requests // 4))]
        )
        client.close()
        watcher.close()
    quiet_ms, during_ms = _ms(quiet), _ms(during)
    return {
        "cached_dashboards": cached,
        "others_quiet": quiet_ms,
        "others_during_large_analysis": during_ms,
        "during_over_quiet_p50": round(during_ms["p50_ms"] / quiet_ms["p50_ms"], 2),
        "during_over_quiet_p95": round(during_ms["p95_ms"] / quiet_ms["p95_ms"], 2),
        "large_case_ready": {k: round(v, 2) for k, v in ready_s.items()},
        "large_case_cached_dashboard": big_cached,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40, help="requests per measurement")
    parser.add_argument("--options", type=int, default=300, help="options of the large case")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = [*sorted(EXAMPLES.glob("*.yaml")), _big_case(folder, args.options, 0)]
        fresh = _big_case(folder, args.options, 1)
        result: dict[str, Any] = {
            "large_case": {"stakeholders": 40, "options": args.options, "criteria": 10},
            "load_average_before": [round(x, 2) for x in os.getloadavg()],
        }
        result["child_process"] = _run(folder, cases, fresh, True, args.requests)
        result["thread_peer"] = _run(folder, cases, fresh, False, args.requests)
        result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        result["cpu_count"] = os.cpu_count()
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
