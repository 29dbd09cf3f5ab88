"""Start-up time of `accord --help` and `accord validate <template>` (wall clock, median).

Run: .venv/bin/python benchmarks/startup.py [--repeat N]
Prints one JSON document.  Targets (issue 17, on a quiet machine): `accord --help` < 0.3 s
and `accord validate` on one case < 0.5 s.  The same-run baseline is
`python -c 'import typer, yaml, pydantic'` (the libraries every command needs), so a busy
machine shows as a slow baseline rather than as a slow accord; the heavy libraries (numpy,
scipy, matplotlib, jinja2, sqlalchemy) are imported only inside the commands that need them,
which `heavy_modules_loaded` checks.
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
TARGETS_S = {"accord --help": 0.3, "accord validate exec-conflict.yaml": 0.5}
HEAVY = ("numpy", "scipy", "matplotlib", "jinja2", "sqlalchemy")
HEAVY_CHECK = """
import runpy, sys
sys.argv = ["accord", *sys.argv[1:]]
try:
    runpy.run_module("accord.cli", run_name="__main__")
except SystemExit:
    pass
print(",".join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)
"""


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


def _heavy(argv: list[str]) -> list[str]:
    """The heavy libraries a command imported (should be none for help and validate)."""
    code = HEAVY_CHECK.format(heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True)
    last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    return [m for m in last.split(",") if m]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    accord = [sys.executable, "-m", "accord.cli"]
    commands = {
        "python -c pass": _time([sys.executable, "-c", "pass"], args.repeat),
        "python -c 'import typer, yaml, pydantic' (baseline)": _time(
            [sys.executable, "-c", "import typer, yaml, pydantic"], args.repeat
        ),
        "accord --help": _time([*accord, "--help"], args.repeat),
        "accord validate exec-conflict.yaml": _time(
            [*accord, "validate", str(TEMPLATE)], args.repeat
        ),
    }
    report = {
        "repeat": args.repeat,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "targets_s": TARGETS_S,
        "commands": commands,
        "within_target": {k: commands[k]["median_s"] < t for k, t in TARGETS_S.items()},
        "heavy_modules_loaded": {
            "accord --help": _heavy(["--help"]),
            "accord validate exec-conflict.yaml": _heavy(["validate", str(TEMPLATE)]),
        },
    }
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
