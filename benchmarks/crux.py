"""Benchmark: cruxes and portfolios at the sizes issue 6 pins; prints one JSON document.

    .venv/bin/python benchmarks/crux.py            # full sizes
    .venv/bin/python benchmarks/crux.py --smoke    # toy sizes (used by the test suite)

There is no peer library for cruxes, so the baseline is a brute-force scanning
oracle run in the same process: for each estimate threshold it evaluates the
preference on a grid of values (one vectorised normalisation per estimate) and
takes the first crossing.  On the large case the oracle runs on a random sample of
estimates and its time is extrapolated (reported as such).  Both are checked to
agree within one grid step.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from accord.analysis.crux import Lenses, find_cruxes
from accord.analysis.crux.thresholds import estimate_threshold
from accord.analysis.normalization import normalize
from accord.analysis.portfolio import choose_portfolio

GRID = 2000


def _timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _case(stakeholders: int, options: int, criteria: int, seed: int = 0) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(1.0, 100.0, (options, criteria))
    return {
        "estimates": x,
        "low": x * 0.9,
        "high": x * 1.1,
        "maximise": rng.random(criteria) < 0.5,
        "weights": rng.uniform(0.0, 1.0, (stakeholders, criteria)),
    }


def _scan_threshold(
    x: np.ndarray, up: np.ndarray, w: np.ndarray, prefers: int, challenger: int, varied: int, c: int
) -> float | None:
    """Oracle: first grid value (nearest today's) where the challenger's advantage turns >= 0."""
    grid = np.linspace(0.0, 3.0 * float(x[:, c].max()), GRID)
    col = np.repeat(x[:, c : c + 1], GRID, axis=1)
    col[varied] = grid
    n = normalize(col, np.full(GRID, up[c]))
    r = normalize(x, up)
    others = np.delete(np.arange(x.shape[1]), c)
    ws = w / w.sum()
    rest = float(np.sum(ws[others] * (r[challenger, others] - r[prefers, others])))
    wins = ws[c] * (n[challenger] - n[prefers]) + rest > 0.0
    change = np.flatnonzero(wins[1:] != wins[:-1])
    if change.size == 0:
        return None
    today = x[varied, c]
    best = change[np.argmin(np.abs(grid[change] - today))]
    return float(grid[best])


def _oracle_cells(case: dict[str, Any], cells: list[tuple[int, int, int, int, int]]) -> list[Any]:
    x, up, w = case["estimates"], case["maximise"], case["weights"]
    wg = np.vstack([w / w.sum(axis=1, keepdims=True), (w / w.sum(axis=1, keepdims=True)).mean(0)])
    return [_scan_threshold(x, up, wg[row], a, b, v, c) for row, a, b, v, c in cells]


def _cells(case: dict[str, Any], report: Any) -> list[tuple[int, int, int, int, int]]:
    """Every (row, prefers, challenger, varied, criterion) the rivals mode examines."""
    tops = report.tops + [report.group_top]
    n_options, n_criteria = case["estimates"].shape
    contested = sorted(set(report.tops) | {report.group_top})
    out = []
    for row, top in enumerate(tops):
        pool = range(n_options) if row == len(tops) - 1 else contested
        for b in pool:
            if b == top:
                continue
            for c in range(n_criteria):
                out.extend([(row, top, b, b, c), (row, top, b, top, c)])
    return out


def lenses(case: dict[str, Any]) -> Lenses:
    """Everyone shares the estimates here (no criterion scored by the stakeholders)."""
    w = case["weights"]
    return Lenses.build(
        case["estimates"],
        w / w.sum(axis=1, keepdims=True),
        case["maximise"],
        method="vector",
        low=case["low"],
        high=case["high"],
    )


def bench_cruxes(size: tuple[int, int, int], repeat: int, sample: int | None) -> dict[str, Any]:
    s, o, c = size
    case = _case(s, o, c)
    out: dict[str, Any] = {"stakeholders": s, "options": o, "criteria": c}
    for mode in ("rivals", "all"):
        secs, report = _timed(lambda m=mode: find_cruxes(lenses(case), challengers=m), repeat)
        out[f"accord_seconds_{mode}"] = round(secs, 4)
        out[f"thresholds_solved_{mode}"] = report.considered
    report = find_cruxes(lenses(case))
    cells = _cells(case, report)
    rng = np.random.default_rng(1)
    chosen = cells
    if sample is not None and sample < len(cells):
        chosen = [cells[i] for i in rng.choice(len(cells), sample, replace=False)]
    start = time.perf_counter()
    scanned = _oracle_cells(case, chosen)
    oracle = (time.perf_counter() - start) * len(cells) / max(1, len(chosen))
    # Agreement: the solved threshold and the scanned crossing within one grid step.
    x, up, w = case["estimates"], case["maximise"], case["weights"]
    wn = w / w.sum(axis=1, keepdims=True)
    wg = np.vstack([wn, wn.mean(axis=0)])
    agree = compared = 0
    for (row, a, b, v, cc), seen in zip(chosen, scanned, strict=True):
        solved = estimate_threshold(x, up, wg[row], a, b, v, cc)
        step = 3.0 * float(x[:, cc].max()) / (GRID - 1)
        in_grid = solved is not None and 0.0 < solved[0] < 3.0 * float(x[:, cc].max())
        if seen is None and not in_grid:
            agree += 1
        elif seen is not None and solved is not None and abs(seen - solved[0]) <= 1.01 * step:
            agree += 1
        compared += 1
    out.update(
        {
            "oracle": "grid scan, 2000 values per estimate (rivals mode)",
            "oracle_cells": len(cells),
            "oracle_cells_timed": len(chosen),
            "oracle_seconds" + ("_extrapolated" if len(chosen) < len(cells) else ""): round(
                oracle, 3
            ),
            "speedup_vs_oracle_rivals": round(oracle / out["accord_seconds_rivals"], 1),
            "oracle_agreement": f"{agree}/{compared}",
        }
    )
    return out


def bench_portfolio(n: int, stakeholders: int, time_limit: float) -> dict[str, Any]:
    rng = np.random.default_rng(2)
    u = rng.uniform(0.0, 1.0, (stakeholders, n))
    cost = np.round(rng.uniform(10.0, 100.0, n), 1)
    budget = float(cost.sum() * 0.2)
    floors = np.full(stakeholders, 0.15 * n * 0.5)
    out: dict[str, Any] = {"initiatives": n, "stakeholders": stakeholders, "budget": budget}
    secs, p = _timed(
        lambda: choose_portfolio(
            u, cost, budget, objective="total", floors=floors, time_limit=time_limit
        ),
        1,
    )
    out["total_with_floors"] = {
        "seconds": round(secs, 3),
        "status": p.status,
        "mip_gap": p.mip_gap,
        "chosen": len(p.chosen),
    }
    secs, p = _timed(
        lambda: choose_portfolio(u, cost, budget, objective="maximin", time_limit=time_limit), 1
    )
    out["maximin"] = {
        "seconds": round(secs, 3),
        "status": p.status,
        "mip_gap": p.mip_gap,
        "chosen": len(p.chosen),
        "time_limit": time_limit,
    }
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="toy sizes, for the test suite")
    args = parser.parse_args(argv)
    if args.smoke:
        small, large, port, repeat = (3, 5, 4), (6, 12, 5), (12, 3), 1
    else:
        small, large, port, repeat = (15, 20, 12), (200, 500, 30), (500, 10), 3
    result = {
        "benchmark": "crux",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "small": bench_cruxes(small, repeat * 5, None),
        "large": bench_cruxes(large, repeat, None if args.smoke else 400),
        "portfolio": bench_portfolio(*port, time_limit=5.0),
        "targets": {
            "small_seconds": 0.1,
            "large_seconds": 5.0,
            "portfolio_seconds": 5.0,
        },
    }
    return result


if __name__ == "__main__":
    json.dump(main(sys.argv[1:]), sys.stdout, indent=2)
    sys.stdout.write("\n")
