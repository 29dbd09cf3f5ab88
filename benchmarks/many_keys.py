"""CPU time to refuse a case or plan with 250,000 unknown keys; prints JSON.

    .venv/bin/python benchmarks/many_keys.py [--keys 250000] [--repeat 3]

Baseline in the same run: composing the same text with PyYAML's C composer, the least
any reader that parses the file pays (accord refuses past ``MAX_KEYS`` before composing).
CPU time (``time.process_time``), best of ``--repeat``; the ``uptime`` load is printed too.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from accord.errors import CaseFileError
from accord.io.case_file import parse_case
from accord.io.plan_file import parse_plan

REPO = Path(__file__).resolve().parents[1]
SOURCES = {
    "case": (REPO / "examples" / "growth-vs-margin.yaml", parse_case),
    "plan": (REPO / "examples" / "plans" / "q1-2027-launch-charter.yaml", parse_plan),
}


def _cpu(work: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return round(best, 3)


def _refuse(parse: Callable[..., object], data: bytes) -> str:
    try:
        parse(data, path="many.yaml")
    except CaseFileError as error:
        return str(error.problems[0])[:120] if error.problems else error.message
    return "accepted"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keys", type=int, default=250_000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    extra = "".join(f"u{i}: 0\n" for i in range(options.keys)).encode("ascii")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    results: dict[str, object] = {"keys": options.keys, "load": os.getloadavg()}
    for kind, (source, parse) in SOURCES.items():
        data = source.read_bytes() + extra
        text = data.decode("utf-8")
        results[kind] = {
            "megabytes": round(len(data) / 2**20, 2),
            "accord_cpu_s": _cpu(lambda: _refuse(parse, data), options.repeat),  # noqa: B023
            "compose_only_cpu_s": _cpu(
                lambda: yaml.compose(text, Loader=loader),  # noqa: B023
                options.repeat,
            ),
            "first_problem": _refuse(parse, data),
        }
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
