"""The JSON API under load: at least 10,000 schemathesis-generated requests (fitting the
OpenAPI document and not) to every operation, each answer checked against the document;
then the API's analysis read against the page route's ``analysis.json`` (the peer in this
run) and an ETag hit (304) against a full answer.  Prints JSON, e.g.

    .venv/bin/python benchmarks/api.py                 # >= 10,000 requests
    .venv/bin/python benchmarks/api.py --requests 500  # a smoke run
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.api.conformance: the driver the bounded test uses

from fastapi.testclient import TestClient  # noqa: E402
from tests.api.conformance import run_operations  # noqa: E402

from accord.store import Store, repository, sessions, tokens  # noqa: E402
from accord.web.app import create_app  # noqa: E402
from accord.web.settings import Settings  # noqa: E402
from accord.web.throttle import Limit  # noqa: E402

CASE = ROOT / "examples" / "growth-vs-margin.yaml"


def _world(folder: Path) -> tuple[TestClient, dict[str, str], dict[str, Any], str]:
    settings = Settings(secret_key="b" * 48, database_url=f"sqlite:///{folder / 'accord.db'}")
    store = Store.from_url(settings.database_url, migrate=True)
    with store.session() as s:
        owner = repository.create_facilitator(s, "bench@example.org", "bench password", "Bench")
        _, raw = tokens.create_api_token(s, owner.id, "bench", ["read", "write", "workshop"])
        case_id = repository.save_case(s, owner.id, CASE.read_text(encoding="utf-8"), CASE.name).id
        workshop_id = repository.create_workshop(s, case_id, "Bench workshop").id
        cookie = sessions.open_session(
            s, owner.id, settings.session_idle, settings.session_lifetime
        )
    app = create_app(settings, store)
    # schemathesis's ignored_auth check sends bad tokens on purpose, all from one address:
    # without this the bad-token lock would turn the rest of the run into 429s.
    app.state.api_bad_token_limit = Limit(failures=10**9)
    client = TestClient(app, base_url="http://127.0.0.1")
    real = {"case_id": case_id, "workshop_id": workshop_id, "stakeholder_id": "cfo"}
    return client, {"Authorization": f"Bearer {raw}"}, real, cookie


def _timed(client: TestClient, path: str, n: int, **options: Any) -> tuple[float, Counter[int]]:
    statuses: Counter[int] = Counter()
    start = time.perf_counter()
    for _ in range(n):
        statuses[client.get(path, **options).status_code] += 1
    return (time.perf_counter() - start) / n * 1000, statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000, help="at least this many")
    parser.add_argument("--examples", type=int, default=150, help="per operation, mode, round")
    parser.add_argument("--reads", type=int, default=300, help="timed reads per route")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        client, headers, real, cookie = _world(Path(folder))
        with client:
            statuses: Counter[int] = Counter()
            failures: list[str] = []
            rounds = 0
            start = time.perf_counter()
            while sum(statuses.values()) < args.requests:
                tally = run_operations(client.app, headers, real, args.examples, seed=rounds)
                statuses.update(tally.statuses)
                failures += tally.failures
                rounds += 1
            fuzz_seconds = time.perf_counter() - start
            analysis = f"/api/v1/cases/{real['case_id']}/analysis"
            api_ms, api_statuses = _timed(client, analysis, args.reads, headers=headers)
            first = client.get(analysis, headers=headers)
            if "etag" not in first.headers:
                sys.exit(f"{analysis}: {first.status_code} {first.text[:300]}")
            etag = first.headers["etag"]
            hit_ms, hit_statuses = _timed(
                client, analysis, args.reads, headers={**headers, "If-None-Match": etag}
            )
            client.cookies.set("accord_session", cookie)
            page_ms, page_statuses = _timed(
                client, f"/cases/{real['case_id']}/analysis.json", args.reads
            )
    total = sum(statuses.values())
    print(
        json.dumps(
            {
                "generated_requests": total,
                "rounds": rounds,
                "seconds": round(fuzz_seconds, 1),
                "requests_per_second": round(total / fuzz_seconds, 1),
                "statuses": dict(sorted(statuses.items())),
                "server_errors": sum(n for s, n in statuses.items() if s >= 500),
                "check_failures": len(failures),
                "first_failures": failures[:3],
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
