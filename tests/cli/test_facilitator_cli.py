"""`accord facilitator add`: accounts for the web app, password from standard input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def add(folder: Path, email: str, password: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, ACCORD_DATABASE_URL=f"sqlite:///{folder / 'accord.db'}")
    return subprocess.run(
        [sys.executable, "-m", "accord.cli", "facilitator", "add", email, "--name", "Lee"],
        input=password + "\n",
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_facilitator_add_creates_an_account_that_can_sign_in(tmp_path: Path) -> None:
    from accord.store import Store, repository

    done = add(tmp_path, "Lee@Example.org", "a long enough password")
    assert done.returncode == 0, done.stderr
    assert "facilitator lee@example.org created" in done.stdout
    store = Store.from_url(f"sqlite:///{tmp_path / 'accord.db'}")
    try:
        with store.session() as session:
            found = repository.authenticate(session, "lee@example.org", "a long enough password")
            assert found is not None and found.display_name == "Lee"
    finally:
        store.dispose()


def test_facilitator_add_refuses_a_short_password_and_a_taken_email(tmp_path: Path) -> None:
    short = add(tmp_path, "lee@example.org", "short")
    assert short.returncode == 2 and "too short" in short.stderr
    assert add(tmp_path, "lee@example.org", "a long enough password").returncode == 0
    again = add(tmp_path, "lee@example.org", "another long password")
    assert again.returncode == 2 and "already exists" in again.stderr
