"""Long fuzz run: >= 5,000 mutated inputs through the CLI; prints JSON counts.

    .venv/bin/python benchmarks/fuzz.py --inputs 5000 --seed 19

Counts are per input kind and per verdict (``ok`` or a failure class from
tests/fuzz/harness.py); exit 1 when any input failed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fuzz.harness import CLI_ARGS, SEEDS, check_args, check_input, mutated  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--inputs", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=19)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    kinds = [*sorted(SEEDS), "cli_args"]
    counts: dict[str, dict[str, int]] = {kind: {} for kind in kinds}
    examples: list[dict[str, str]] = []
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        for i in range(options.inputs):
            kind = kinds[i % len(kinds)]
            # hypothesis strategies drawn outside a test: example() is random; seed it.
            random.seed(rng.randrange(2**32))
            if kind == "cli_args":
                args = CLI_ARGS.example()
                command = rng.choice(["analyze", "vote", "cadence", "validate", "map"])
                verdict = check_args(command, args)
                sample = repr([command, *args])
            else:
                data = mutated(kind).example()
                verdict = check_input(kind, data, Path(folder))
                sample = repr(data[:120])
            counts[kind][verdict] = counts[kind].get(verdict, 0) + 1
            if verdict != "ok" and len(examples) < 20:
                examples.append({"kind": kind, "verdict": verdict, "input": sample})
    failed = sum(n for per in counts.values() for v, n in per.items() if v != "ok")
    print(
        json.dumps(
            {
                "inputs": options.inputs,
                "seed": options.seed,
                "seconds": round(time.perf_counter() - start, 1),
                "failed": failed,
                "counts": counts,
                "examples": examples,
            },
            indent=2,
        )
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
