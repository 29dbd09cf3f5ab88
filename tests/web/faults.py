"""Tools for the fault tests: a loopback TCP proxy to cut or stall a service, and a small
load of participants that retries with idempotency keys the way workshop.js does.

The machine's PostgreSQL and Redis are shared with other runs, so they are never stopped:
the app under test reaches them through a :class:`Proxy` this test starts, pauses (bytes
held, connections open: a stalled service) and stops (connections cut, new ones refused).
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx


class Proxy:
    """Forwards 127.0.0.1:``port`` to ``target``; :meth:`pause`, :meth:`resume`, :meth:`cut`."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(128)
        self.port: int = self._listener.getsockname()[1]
        self._flowing = threading.Event()
        self._flowing.set()
        self._accepting = True
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def pause(self) -> None:
        """Stop forwarding: connections stay open and silent (like a SIGSTOPped server)."""
        self._flowing.clear()

    def resume(self) -> None:
        self._accepting = True
        self._flowing.set()

    def cut(self) -> None:
        """Close every open connection and refuse new ones until :meth:`resume`."""
        self._accepting = False
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            _close(sock)

    def close(self) -> None:
        self._closed = True
        self.cut()
        self._flowing.set()
        _close(self._listener)

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if not self._accepting:
                _close(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _close(client)
                continue
            upstream.settimeout(None)
            with self._lock:
                self._sockets.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                self._flowing.wait()
                sink.sendall(data)
        except OSError:
            pass
        finally:
            _close(source)
            _close(sink)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:300]
    return found.group(1)


@dataclass
class Ledger:
    """What the clients were told: acknowledged keys, answers that were not 204."""

    acknowledged: set[str] = field(default_factory=set)
    statuses: dict[int, int] = field(default_factory=dict)
    transport_errors: int = 0


async def submit_idea(
    client: httpx.AsyncClient, link: str, csrf: str, text: str, ledger: Ledger
) -> None:
    """Post one idea until the server judges it, retrying with the same key after a 503,
    a time-out or a dropped connection (bounded: 120 tries)."""
    key = uuid.uuid4().hex
    for _ in range(120):
        try:
            response = await client.post(
                f"{link}/commands",
                data={"csrf": csrf, "kind": "idea_added", "text": text, "command_key": key},
                headers={"HX-Request": "1"},
            )
        except httpx.TransportError:
            ledger.transport_errors += 1
            await asyncio.sleep(0.25)
            continue
        ledger.statuses[response.status_code] = ledger.statuses.get(response.status_code, 0) + 1
        if response.status_code == 204:
            ledger.acknowledged.add(key)
            return
        if response.status_code in (500, 502, 503):
            await asyncio.sleep(float(response.headers.get("retry-after", "0.25")))
            continue
        raise AssertionError(f"{response.status_code}: {response.text[:200]}")
    raise AssertionError(f"idea {text!r} was never acknowledged")


@contextmanager
def serving(
    folder: Path, password: str, case: Path, environ: dict[str, str], workers: int = 1
) -> Iterator[tuple[str, Path, subprocess.Popen[bytes]]]:
    """``accord serve --demo`` on a free loopback port with ``environ``; yields the base URL,
    the log and the process.  Stopping is bounded: 30 s to shut down, then SIGKILL (a
    loaded 2-core machine can take longer than the shared helper's 10 s with two workers)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, ACCORD_DEMO_PASSWORD=password)
    env.pop("ACCORD_REDIS_URL", None)
    env.update(environ)
    log = folder / "server.log"
    command = [sys.executable, "-m", "accord.cli", "serve", "--demo", "--port", str(port)]
    command += ["--workers", str(workers), str(case)]
    with log.open("w") as sink:
        server = subprocess.Popen(command, cwd=folder, env=env, stdout=sink, stderr=sink)
    try:
        deadline = time.monotonic() + 120
        while log.read_text().count("Application startup complete") < workers:
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the server did not start in 120 s"
            time.sleep(0.05)  # waiting for a child process to listen, not for timing
        yield f"http://127.0.0.1:{port}", log, server
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
