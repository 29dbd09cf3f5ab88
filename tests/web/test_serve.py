"""`accord serve --demo` (what `make run` starts) answers on 127.0.0.1 with the demo cases."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
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
