"""Sign-in under attack: 16 parallel clients x 3 sign-ins against one ``accord serve --demo``.

Reports the server's peak resident memory (sampled every 20 ms from /proc), the sign-in
status counts and latencies, and the dashboard's latency while the sign-ins run, e.g.

    .venv/bin/python benchmarks/signin.py                        # this checkout
    PYTHONPATH=/other/checkout/src .venv/bin/python benchmarks/signin.py   # a baseline
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

PASSWORD = "benchmark demo password"


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _rss_mb(pid: int) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"VmRSS:\s+(\d+) kB", text)
    return int(found.group(1)) / 1024 if found else 0.0


def _sign_in(base: str, email: str, password: str) -> tuple[int, float, httpx.Client]:
    client = httpx.Client(base_url=base, timeout=120)
    form = client.get("/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    began = time.perf_counter()
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf": csrf.group(1) if csrf else ""}
    )
    return response.status_code, time.perf_counter() - began, client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="accord-signin-"))
    port = _port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, ACCORD_DATABASE_URL=f"sqlite:///{folder / 'accord.db'}")
    env.update(ACCORD_DEMO_PASSWORD=PASSWORD)
    env.pop("ACCORD_REDIS_URL", None)
    log = (folder / "server.log").open("w")
    examples = sorted(Path(__file__).resolve().parents[1].glob("examples/*.yaml"))
    server = subprocess.Popen(
        [sys.executable, "-m", "accord.cli", "serve", "--demo", "--port", str(port)]
        + [str(e) for e in examples],
        cwd=folder,
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + 60
        while "Application startup complete" not in (folder / "server.log").read_text():
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit((folder / "server.log").read_text())
            time.sleep(0.05)
        status, _, owner = _sign_in(base, "demo@accord.local", PASSWORD)
        assert status in (200, 303), status
        dashboard_before = [_timed(owner, "/") for _ in range(5)]
        idle_mb = _rss_mb(server.pid)
        peak = [idle_mb]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak.append(_rss_mb(server.pid))
                time.sleep(0.02)

        results: list[tuple[int, float]] = []
        dashboard_during: list[float] = []

        def attacker(n: int) -> None:
            for r in range(options.rounds):
                # Every other attempt is the right password: the lock-out must refuse it too.
                password = PASSWORD if (n + r) % 2 else f"wrong {n} {r}"
                status, seconds, client = _sign_in(base, "demo@accord.local", password)
                client.close()
                results.append((status, seconds))

        def viewer() -> None:
            while not done.is_set():
                dashboard_during.append(_timed(owner, "/"))

        sampler = threading.Thread(target=sample)
        watcher = threading.Thread(target=viewer)
        sampler.start()
        watcher.start()
        began = time.perf_counter()
        threads = [threading.Thread(target=attacker, args=(n,)) for n in range(options.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
        done.set()
        sampler.join()
        watcher.join()
        latencies = sorted(seconds for _, seconds in results)
        statuses = dict(Counter(status for status, _ in results))
        print(f"sign-ins: {len(results)} in {elapsed:.1f} s; statuses {statuses}")
        p50, slowest = statistics.median(latencies) * 1000, latencies[-1] * 1000
        print(f"sign-in latency p50 {p50:.0f} ms, max {slowest:.0f} ms")
        print(f"server RSS: idle {idle_mb:.0f} MB, peak {max(peak):.0f} MB")
        print(
            f"dashboard p50: before {statistics.median(dashboard_before) * 1000:.0f} ms, "
            f"during {statistics.median(dashboard_during or [0.0]) * 1000:.0f} ms"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)


def _timed(client: httpx.Client, path: str) -> float:
    began = time.perf_counter()
    client.get(path)
    return time.perf_counter() - began


if __name__ == "__main__":
    main()
