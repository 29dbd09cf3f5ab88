"""Check every crux claim by editing the case and analysing again; prints one JSON document.

Examples: every crux.  Generated cases (the hypothesis strategy the tests use, drawn with
a fixed seed): every crux of ``--cases`` cases (default 200).

    .venv/bin/python benchmarks/claims.py [--cases 200]
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from hypothesis import HealthCheck, given, seed, settings
    from tests.analysis.claims import crux_problems, quick
    from tests.analysis.generated import cases

    from accord.errors import InputError
    from accord.io.case_file import load_case

    n_cases = int(sys.argv[sys.argv.index("--cases") + 1]) if "--cases" in sys.argv else 200
    start = time.perf_counter()
    examples = {}
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        case = load_case(path)
        analysis = quick(case)
        false = [c.sentence for c in analysis.cruxes.items if crux_problems(case, analysis, c)]
        examples[path.stem] = {"cruxes": len(analysis.cruxes.items), "false": len(false)}
    generated = {"cases": 0, "refused": 0, "cruxes": 0, "false": 0, "examples_false": []}

    @seed(random.Random(20261202).randrange(2**32))
    @settings(
        max_examples=n_cases,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases())
    def check(case):  # type: ignore[no-untyped-def]
        try:
            analysis = quick(case)
        except InputError:
            generated["refused"] += 1
            return
        generated["cases"] += 1
        for crux in analysis.cruxes.items:
            generated["cruxes"] += 1
            if crux_problems(case, analysis, crux):
                generated["false"] += 1
                if len(generated["examples_false"]) < 5:
                    generated["examples_false"].append(crux.sentence)

    check()
    print(
        json.dumps(
            {
                "benchmark": "claims",
                "load_average_1min": os.getloadavg()[0],
                "examples": examples,
                "generated": generated,
                "seconds": round(time.perf_counter() - start, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
