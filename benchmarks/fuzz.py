"""Long fuzz run: >= 5,000 mutated inputs through the CLI; prints JSON counts.

    .venv/bin/python benchmarks/fuzz.py --inputs 5000 --seed 19

Counts are per input kind and per verdict (``ok`` or a failure class from
tests/fuzz/harness.py: traceback, exit-N, slow, memory, unlocated, bad-json, disagree);
``runs`` counts command runs (a case that validates is also analysed, its decision log
and cadence read), ``peak_mb`` is the largest resident memory seen during one run.
A progress line (the same JSON so far) goes to stderr every ``--progress`` inputs.
Exit 1 when any input failed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fuzz import harness  # noqa: E402

ARGS_KINDS = ("cli_args", "decide_args")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--inputs", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--progress", type=int, default=250)
    parser.add_argument("--keep", type=Path, help="Folder to save each failing input in.")
    options = parser.parse_args()
    warnings.simplefilter("ignore")  # hypothesis warns that example() is for exploration
    rng = random.Random(options.seed)
    kinds = [*harness.KINDS, "cli_args", "decide_args"]
    counts: dict[str, dict[str, int]] = {kind: {} for kind in kinds}
    examples: list[dict[str, str]] = []
    start = time.perf_counter()

    def report(done: int) -> dict[str, Any]:
        failed = sum(n for per in counts.values() for v, n in per.items() if v != "ok")
        return {
            "inputs": done,
            "runs": harness.RUNS[0],
            "seed": options.seed,
            "seconds": round(time.perf_counter() - start, 1),
            "peak_mb": round(harness.PEAK_MB[0], 1),
            "failed": failed,
            "counts": counts,
            "examples": examples,
        }

    with tempfile.TemporaryDirectory() as folder:
        for i in range(options.inputs):
            kind = kinds[i % len(kinds)]
            # hypothesis strategies drawn outside a test: example() is random; seed it.
            random.seed(rng.randrange(2**32))
            if kind == "cli_args":
                args = harness.CLI_ARGS.example()
                command = rng.choice(["analyze", "vote", "cadence", "validate", "map"])
                verdict = harness.check_args(command, args)
                sample = repr([command, *args])
            elif kind == "decide_args":
                args = harness.DECIDE_ARGS.example()
                verdict = harness.check_args("decide", args)
                sample = repr(["decide", *args])
            else:
                data = harness.generated(kind).example()
                verdict = harness.check_input(kind, data, Path(folder))
                sample = repr(data[:120])
            counts[kind][verdict] = counts[kind].get(verdict, 0) + 1
            if verdict != "ok" and len(examples) < 20:
                last = harness.LAST_FAILURE[0] if harness.LAST_FAILURE else None
                examples.append(
                    {
                        "kind": kind,
                        "verdict": verdict,
                        "input": sample,
                        "command": " ".join(last.argv) if last else "",
                        "output": (last.stdout + last.stderr)[-400:] if last else "",
                    }
                )
            if verdict != "ok" and options.keep is not None and kind not in ARGS_KINDS:
                options.keep.mkdir(parents=True, exist_ok=True)
                (options.keep / f"{i}-{kind}-{verdict}").write_bytes(data)
            if options.progress and (i + 1) % options.progress == 0:
                print(json.dumps(report(i + 1)), file=sys.stderr, flush=True)
    final = report(options.inputs)
    print(json.dumps(final, indent=2))
    return 1 if final["failed"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
