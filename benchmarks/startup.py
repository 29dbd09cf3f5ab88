"""Start-up time of `accord --help` and `accord validate <template>` (wall clock, median).

Run: .venv/bin/python benchmarks/startup.py [--repeat N]
Prints one JSON document. The target is < 0.4 s for each command.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = REPO / "src" / "accord" / "templates" / "exec-conflict.yaml"
TARGET_SECONDS = 0.4


def _time(argv: list[str], repeat: int) -> dict[str, float]:
    # Wall time is what a user feels; CPU time (user + sys of the child) is what stays
    # comparable when other work loads the machine.
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, check=False, capture_output=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return {
        "median_s": round(statistics.median(walls), 4),
        "min_s": round(min(walls), 4),
        "max_s": round(max(walls), 4),
        "median_cpu_s": round(statistics.median(cpus), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    accord = [sys.executable, "-m", "accord.cli"]
    python_only = _time([sys.executable, "-c", "pass"], args.repeat)
    commands = {
        "python -c pass (baseline)": python_only,
        "accord --help": _time([*accord, "--help"], args.repeat),
        "accord validate exec-conflict.yaml": _time(
            [*accord, "validate", str(TEMPLATE)], args.repeat
        ),
    }
    report = {
        "repeat": args.repeat,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "target_s": TARGET_SECONDS,
        "commands": commands,
        "within_target": all(
            v["median_s"] < TARGET_SECONDS for k, v in commands.items() if k.startswith("accord")
        ),
    }
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
