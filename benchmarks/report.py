"""`accord report` end to end, cold CLI (a fresh process each run), on every example case.

Run: .venv/bin/python benchmarks/report.py [--repeat N] [--stakeholders N] [--pdf]
Prints one JSON document.  Targets: < 1.5 s per example, < 6 s on a generated case with
200 stakeholders.  There is no peer library for reports, so the baseline timed in the same
run is `accord analyze --json` on the same case: the ratio is what the report adds.
Wall time is what a user feels; CPU time (user + sys of the child) stays comparable when
other work loads the machine, so both are reported.

accord's own modules are byte-compiled first, as ``pip install`` does for an installed
package: an editable checkout run with PYTHONDONTWRITEBYTECODE set (as on our CI machines)
would otherwise compile every module from source on every run (~0.1-0.3 s).
"""

from __future__ import annotations

import argparse
import compileall
import copy
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
EXAMPLE_TARGET_S = 1.5
LARGE_TARGET_S = 6.0


def _time(argv: list[str], repeat: int) -> dict[str, float]:
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(argv, check=False, capture_output=True, text=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode not in (0, 1):  # 1 = governance finding, the report is written
            raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr[:2000]}")
    return {
        "median_s": round(statistics.median(walls), 3),
        "min_s": round(min(walls), 3),
        "median_cpu_s": round(statistics.median(cpus), 3),
    }


def _accord(*args: str) -> list[str]:
    return [sys.executable, "-m", "accord.cli", *args]


def large_case(base: Path, stakeholders: int, seed: int = 7) -> dict[str, Any]:
    """The growth-vs-margin case with ``stakeholders`` people, each weighing the criteria."""
    data = yaml.safe_load(base.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    criteria = [c["id"] for c in data["criteria"]]
    options = [o["id"] for o in data["options"]]
    template = data["stakeholders"][0]
    for n in range(len(data["stakeholders"]), stakeholders):
        sid = f"member-{n:03d}"
        data["stakeholders"].append(
            {
                "id": sid,
                "name": f"Member {n:03d}",
                "role": "Regional lead",
                "raci": "consulted",
                "influence": rng.choice(["low", "medium", "high"]),
                "interest": rng.choice(["low", "medium", "high"]),
                "goals": copy.deepcopy(template.get("goals", [])[:1]),
            }
        )
        order = options[:]
        rng.shuffle(order)
        data.setdefault("inputs", {})[sid] = {
            "weights": {
                "method": "direct",
                "values": {c: round(rng.uniform(0.05, 1.0), 3) for c in criteria},
            },
            "ranking": order,
        }
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--stakeholders", type=int, default=200)
    parser.add_argument("--pdf", action="store_true", help="also time PDF output")
    args = parser.parse_args()
    compileall.compile_dir(REPO / "src" / "accord", quiet=1)
    results: dict[str, Any] = {
        "load_average_1min": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
        "examples": {},
        "targets_s": {"example": EXAMPLE_TARGET_S},
    }
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        for case in sorted(EXAMPLES.glob("*.yaml")):
            row: dict[str, Any] = {}
            for fmt in ("html", "md", *(("pdf",) if args.pdf else ())):
                row[fmt] = _time(
                    _accord("report", str(case), "-o", str(out / f"r.{fmt}")), args.repeat
                )
            row["analyze_json"] = _time(_accord("analyze", str(case), "--json"), args.repeat)
            row["html_over_analyze"] = round(
                row["html"]["median_s"] / row["analyze_json"]["median_s"], 2
            )
            row["html_bytes"] = (out / "r.html").stat().st_size
            row["meets_target"] = row["html"]["median_s"] < EXAMPLE_TARGET_S
            results["examples"][case.stem] = row
        big = out / "large.yaml"
        big.write_text(
            yaml.safe_dump(large_case(EXAMPLES / "growth-vs-margin.yaml", args.stakeholders)),
            encoding="utf-8",
        )
        large = {
            "stakeholders": args.stakeholders,
            "html": _time(_accord("report", str(big), "-o", str(out / "large.html")), 1),
            "analyze_json": _time(_accord("analyze", str(big), "--json"), 1),
            "target_s": LARGE_TARGET_S,
        }
        large["meets_target"] = large["html"]["median_s"] < LARGE_TARGET_S
        results["large_case"] = large
    results["load_average_1min_after"] = round(os.getloadavg()[0], 2)
    json.dump(results, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
