"""Sign-in throttling per account and per address, and a bound on concurrent hashes."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import PASSWORD, Web, csrf_of, make_web, running_web

from accord.store import repository
from accord.web.settings import Settings
from accord.web.throttle import HashSlots, Limit, SignInThrottle


def _try(client: TestClient, email: str, password: str) -> Any:
    form = client.get("/login")
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf": csrf_of(form.text)},
        follow_redirects=False,
    )


def test_wrong_passwords_are_refused_after_the_limit_and_so_is_the_right_one(web: Web) -> None:
    statuses = [_try(web.client, web.email, f"wrong password {n}").status_code for n in range(200)]
    limit = web.settings.signin_account_failures
    assert statuses[:limit] == [401] * limit
    assert set(statuses[limit:]) == {429}
    locked = _try(web.client, web.email, PASSWORD)
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0
    assert "Too many failed sign-ins" in locked.text
    assert "accord_session" not in locked.cookies


def test_many_accounts_from_one_address_are_throttled(tmp_path: Path) -> None:
    # A low address limit keeps the test fast (each refused guess is a real argon2id check).
    settings = Settings(secret_key="k" * 48, signin_address_failures=4)
    with running_web(tmp_path, settings=settings) as web:
        for n in range(4):
            assert _try(web.client, f"nobody{n}@example.org", "wrong password").status_code == 401
        assert _try(web.client, "other@example.org", PASSWORD).status_code == 429


def test_a_success_clears_the_account_count(web: Web) -> None:
    limit = web.settings.signin_account_failures
    for _ in range(limit - 1):
        assert _try(web.client, web.email, "wrong password").status_code == 401
    assert _try(web.client, web.email, PASSWORD).status_code == 303
    for _ in range(limit - 1):
        assert _try(web.client, web.email, "wrong password").status_code == 401


def test_parallel_sign_ins_hash_at_most_the_slot_count_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = make_web(tmp_path)
    slots = made.settings.max_concurrent_hashes
    running = 0
    peak = 0
    guard = threading.Lock()
    real = repository.authenticate

    def slow_authenticate(*args: Any) -> Any:
        nonlocal running, peak
        with guard:
            running += 1
            peak = max(peak, running)
        try:
            time.sleep(0.3)  # a slow hash, so requests overlap for sure
            return real(*args)
        finally:
            with guard:
                running -= 1

    monkeypatch.setattr(repository, "authenticate", slow_authenticate)
    results: list[tuple[int, float, str]] = []
    start = threading.Barrier(16)

    def client_thread(n: int) -> None:
        client = TestClient(made.client.app, base_url="http://127.0.0.1")
        form = client.get("/login")
        start.wait()
        began = time.monotonic()
        response = client.post(
            "/login",
            data={"email": f"x{n}@example.org", "password": "wrong", "csrf": csrf_of(form.text)},
            follow_redirects=False,
        )
        results.append(
            (
                response.status_code,
                time.monotonic() - began,
                response.headers.get("Retry-After", ""),
            )
        )

    threads = [threading.Thread(target=client_thread, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    made.store.dispose()
    assert peak <= slots
    busy = [r for r in results if r[0] == 503]
    assert len(busy) >= 16 - 2 * slots  # the thread pool may let a few start after others end
    assert all(seconds < 0.25 and retry for _, seconds, retry in busy)  # refused, not queued
    assert {status for status, _, _ in results} <= {401, 503}


def test_lock_doubles_with_each_further_failure_and_ends() -> None:
    now = [0.0]
    throttle = SignInThrottle(clock=lambda: now[0])
    key = {"account:a": Limit(failures=3, lock_seconds=10, max_lock_seconds=25)}
    for _ in range(2):
        throttle.failed(key)
    assert throttle.retry_after(key) == 0
    throttle.failed(key)
    assert throttle.retry_after(key) == 10
    throttle.failed(key)
    assert throttle.retry_after(key) == 20
    throttle.failed(key)
    assert throttle.retry_after(key) == 25  # capped
    now[0] = 26
    assert throttle.retry_after(key) == 0


def test_the_key_table_is_bounded() -> None:
    throttle = SignInThrottle(max_keys=100)
    for n in range(10_000):
        throttle.failed({f"address:10.0.{n // 256}.{n % 256}": Limit(failures=5)})
    assert len(throttle) == 100


def test_hash_slots_refuse_when_full() -> None:
    slots = HashSlots(1)
    with slots.take() as first:
        with slots.take() as second:
            assert first and not second
    with slots.take() as again:
        assert again
