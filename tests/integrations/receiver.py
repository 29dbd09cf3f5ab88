"""A webhook receiver on 127.0.0.1 that fails on purpose and checks every signature.

It answers 500 to a seeded share of requests (before looking at them, as a crashing
receiver would), can be stopped and started again on the same port (a restart), and keeps
the delivery ids it accepted: a duplicate is answered 200 again but counted once, as the
receivers docs/webhooks.md describes deduplicate.
"""

from __future__ import annotations

import http.server
import json
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from accord.integrations.signing import DELIVERY_HEADER, SIGNATURE_HEADER, verify


@dataclass
class Receiver:
    secret: str
    fail_share: float = 0.0
    seed: int = 0
    port: int = 0
    accepted: dict[str, dict[str, Any]] = field(default_factory=dict)
    received_at: dict[str, float] = field(default_factory=dict)
    duplicates: int = 0
    failed_on_purpose: int = 0
    bad_signatures: int = 0
    requests: int = 0
    _server: http.server.ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> None:
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server name
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                code = receiver.handle(dict(self.headers.items()), body)
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def handle(self, headers: dict[str, str], body: bytes) -> int:
        with self._lock:
            self.requests += 1
            if self._random.random() < self.fail_share:
                self.failed_on_purpose += 1
                return 500
            if not verify(self.secret, headers.get(SIGNATURE_HEADER, ""), body):
                self.bad_signatures += 1
                return 401
            delivery = headers.get(DELIVERY_HEADER, "")
            if delivery in self.accepted:
                self.duplicates += 1
                return 200
            self.accepted[delivery] = json.loads(body)
            self.received_at[delivery] = time.time()
            return 200
