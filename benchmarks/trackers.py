"""Tracker sync: N actions made into GitHub issues against the local GitHub stand-in, with a
share of the creates' answers lost, then polled for their done state.

    .venv/bin/python benchmarks/trackers.py [--actions 200] [--lost 0.1]

Prints JSON: actions, issues made in the fake (must equal actions: none twice), rounds until
every action had its issue, wall time of the create rounds and of one poll round, and the
baseline of the same run: the same number of issue POSTs and GETs sent straight to the
fake with httpx, without accord's bookkeeping (link rows, leases, revisions), plus the load
average.  SQLite in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.integrations.tracker_servers import SERVER_KEY, FakeGitHub  # noqa: E402

from accord.integrations.trackers.github import GitHub  # noqa: E402
from accord.integrations.trackers.sync import SyncSettings, sync_all  # noqa: E402
from accord.io.case_file import parse_case  # noqa: E402
from accord.io.loader import to_plain, to_yaml_text, validate_data  # noqa: E402
from accord.model.case import Case  # noqa: E402
from accord.store import Store, repository, trackers  # noqa: E402


def case_text(actions: int) -> str:
    """The budget workshop example with ``actions`` open actions instead of its own."""
    path = REPO / "examples" / "budget-workshop.yaml"
    data = to_plain(parse_case(path.read_text(), path=path.name))
    data["actions"] = [
        {"id": f"act-{i}", "title": f"Action {i}", "owner": "vp-cs", "metric": f"Metric {i}"}
        for i in range(actions)
    ]
    return to_yaml_text(validate_data(data, Case))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actions", type=int, default=200)
    parser.add_argument("--lost", type=float, default=0.1, help="share of create answers lost")
    args = parser.parse_args()
    fake = FakeGitHub().start()
    fake.drop_after_create = int(args.actions * args.lost)
    settings = SyncSettings(server_key=SERVER_KEY, allow_private=True, retry_base=0.0, batch=50)
    with tempfile.TemporaryDirectory() as folder:
        store = Store.from_url(f"sqlite:///{Path(folder) / 'bench.db'}", migrate=True)
        with store.session() as s:
            owner = repository.create_facilitator(s, "b@example.org", "pw-long-enough", "B").id
            case_id = repository.save_case(s, owner, case_text(args.actions), "bench.yaml").id
            form = trackers.ConnectorForm(kind="github", repo=fake.repo, token=fake.token)
            trackers.save_connector(s, SERVER_KEY, case_id, form, fake.url)
        started, rounds = time.perf_counter(), 0
        while True:
            rounds += 1
            sync_all(store, settings, poll=False)
            with store.session() as s:
                connector = trackers.own_connector(s, case_id)
                states = {link.state for link in trackers.links(s, connector.id)}
            if states == {"open"} or rounds > 100:
                break
        create_seconds = time.perf_counter() - started
        started = time.perf_counter()
        sync_all(store, settings, poll=True)
        poll_seconds = time.perf_counter() - started
        store.dispose()
    made = len(fake.issues)
    # Baseline: the same requests straight to the fake.
    client = GitHub(fake.url, fake.repo, fake.token)
    started = time.perf_counter()
    for i in range(args.actions):
        client.http.post(f"{client.api}/issues", json={"title": f"b{i}", "body": "x"})
    raw_create = time.perf_counter() - started
    started = time.perf_counter()
    for number in range(1, args.actions + 1):
        client.http.get(f"{client.api}/issues/{number}")
    raw_poll = time.perf_counter() - started
    fake.stop()
    print(
        json.dumps(
            {
                "actions": args.actions,
                "answers_lost": int(args.actions * args.lost),
                "issues_made": made,
                "rounds": rounds,
                "create_seconds": round(create_seconds, 3),
                "poll_seconds": round(poll_seconds, 3),
                "baseline_raw_create_seconds": round(raw_create, 3),
                "baseline_raw_poll_seconds": round(raw_poll, 3),
                "load_average_1m": round(os.getloadavg()[0], 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
