"""Benchmark analyze(case) at the sizes issue 5 names; prints one JSON document.

Each size runs in a fresh subprocess so its peak RSS is its own. The peer figure is
pymcdm scoring the same per-stakeholder matrices (weighted sum + TOPSIS) in the same
run: analyze() does that and much more, so the ratio shows what the rest costs.

    .venv/bin/python benchmarks/analyze.py [--quick]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SIZES = [(15, 20, 12), (200, 500, 30)]
QUICK_SIZES = [(5, 6, 4)]


def _child(stakeholders: int, options: int, criteria: int, repeats: int) -> dict[str, object]:
    sys.path.insert(0, str(HERE))
    import numpy as np

    from accord.analysis.analyze import AnalysisSettings, analyze
    from accord.analysis.case_arrays import case_arrays
    from accord.analysis.uncertainty import rank_first_probability
    from synthetic import synthetic_case

    case = synthetic_case(stakeholders, options, criteria)
    settings = AnalysisSettings()
    analyze(case, settings=settings)  # warm imports and caches
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        analyze(case, settings=settings)
        times.append(time.perf_counter() - start)
    sections = _section_times(case, settings)
    start = time.perf_counter()
    analyze(case, settings=settings).to_dict()
    with_json = time.perf_counter() - start
    arrays = case_arrays(case)
    mc = None
    if options <= 20:
        start = time.perf_counter()
        rank_first_probability(
            arrays.low,
            arrays.likely,
            arrays.high,
            arrays.maximise,
            arrays.weights,
            draws=10_000,
            seed=0,
        )
        mc = time.perf_counter() - start
    peer = None
    try:
        from pymcdm.methods import TOPSIS
        from pymcdm.normalizations import minmax_normalization

        types = np.where(arrays.maximise, 1, -1)
        start = time.perf_counter()
        topsis = TOPSIS()
        for s in range(stakeholders):
            topsis(arrays.likely, arrays.weights[s], types)
            normalized = np.column_stack(
                [
                    minmax_normalization(arrays.likely[:, j], cost=not arrays.maximise[j])
                    for j in range(criteria)
                ]
            )
            normalized @ arrays.weights[s]
        peer = time.perf_counter() - start
    except ImportError:
        pass
    with open("/proc/self/status") as status:
        hwm = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
    return {
        "size": f"{stakeholders}x{options}x{criteria}",
        "analyze_median_s": sorted(times)[len(times) // 2],
        "analyze_min_s": min(times),
        "analyze_and_to_dict_s": with_json,
        "sections_s": sections,
        "analyze_without_voting_s": sum(v for k, v in sections.items() if k != "voting_section"),
        "monte_carlo_10000_draws_s": mc,
        "peer_pymcdm_scoring_only_s": peer,
        "peak_rss_mb": round(hwm / 1024, 1),
    }


# analyze()'s top-level steps, timed one by one in a separate run (voting is owned and
# tuned elsewhere, so its share is reported apart).
SECTIONS = (
    "compromise_result",
    "choice_section",
    "option_duplicates",
    "search_cruxes",  # runs while the Monte Carlo thread draws P(first)
    "stakeholder_views",
    "portfolio_section",
    "crux_section",
    "group_view",
    "voting_section",
    "agreement_section",
    "common_ground_section",
    "camps_section",
    "scenarios_section",
    "risk_register",
    "check_governance",
    "opinion_section",
    "duplicates_section",
)


def _section_times(case: Any, settings: Any) -> dict[str, float]:
    import accord.analysis.analyze as orchestration

    spent: dict[str, float] = dict.fromkeys(SECTIONS, 0.0)
    originals = {name: getattr(orchestration, name) for name in SECTIONS}

    def timed(name: str) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return originals[name](*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start

        return run

    for name in SECTIONS:
        setattr(orchestration, name, timed(name))
    try:
        orchestration.analyze(case, settings=settings)
    finally:
        for name, function in originals.items():
            setattr(orchestration, name, function)
    return {name: round(seconds, 4) for name, seconds in spent.items()}


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        s, o, c, r = (int(v) for v in sys.argv[2:6])
        print(json.dumps(_child(s, o, c, r)))
        return
    quick = "--quick" in sys.argv
    rows = []
    for s, o, c in QUICK_SIZES if quick else SIZES:
        repeats = 3 if s * o * c > 100_000 else 15
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(s), str(o), str(c), str(repeats)],
            capture_output=True,
            text=True,
            check=True,
        )
        rows.append(json.loads(done.stdout))
    print(
        json.dumps(
            {
                "benchmark": "analyze",
                "load_average_1min": os.getloadavg()[0],
                "cpus": os.cpu_count(),
                "targets": {
                    "15x20x12": "< 0.05 s",
                    "200x500x30": "< 2 s, < 1 GB",
                    "monte_carlo_20x12": "< 0.5 s",
                },
                "results": rows,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
