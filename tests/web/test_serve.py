"""`accord serve --demo` (what `make run` starts) answers on 127.0.0.1 with the demo cases."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import httpx
from tests.web.conftest import EXAMPLES


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_serve_demo_starts_the_app_with_the_example_case(tmp_path: Path) -> None:
    port = free_port()
    env = dict(
        os.environ,
        ACCORD_DATABASE_URL=f"sqlite:///{tmp_path / 'accord.db'}",
        ACCORD_DEMO_PASSWORD="demo password for the test",
    )
    env.pop("ACCORD_REDIS_URL", None)
    command = [sys.executable, "-m", "accord.cli", "serve", "--demo", "--port", str(port)]
    server = subprocess.Popen(
        [*command, str(EXAMPLES / "growth-vs-margin.yaml")],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert server.stdout is not None
        seen = []
        for line in server.stdout:  # until uvicorn says it is listening
            seen.append(line)
            if "Uvicorn running" in line or "startup complete" in line:
                break
        output = "".join(seen)
        assert "1 case(s) loaded for demo@accord.local" in output, output
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", follow_redirects=True) as client:
            form = client.get("/login")
            assert form.status_code == 200
            csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
            assert csrf
            signed = client.post(
                "/login",
                data={
                    "email": "demo@accord.local",
                    "password": "demo password for the test",
                    "csrf": csrf.group(1),
                },
            )
            assert signed.status_code == 200
            assert "FY27 pricing and go-to-market plan" in signed.text
        assert (tmp_path / "accord.db").exists()
        assert (tmp_path / "accord-secret.key").stat().st_mode & 0o077 == 0
    finally:
        server.terminate()
        server.communicate(timeout=10)  # also closes the pipe
