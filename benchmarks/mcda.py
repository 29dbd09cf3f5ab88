"""accord's MCDA, AHP, agreement and Monte Carlo against their peers, timed in one run.

Run ``.venv/bin/python benchmarks/mcda.py`` (add ``--smoke`` for a toy-size run); prints
one JSON document.  Each entry has accord's and the peer's median time in milliseconds,
``speedup`` = peer / accord, and ``max_abs_diff`` between the two answers.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import time
import warnings
from collections.abc import Callable
from typing import Any

import ahpy
import krippendorff
import numpy as np
from pymcdm import normalizations as pymcdm_norm
from pymcdm.methods import TOPSIS, WSM

from accord.analysis.agreement import krippendorff_alpha
from accord.analysis.mcda import topsis, weighted_sum
from accord.analysis.normalization import normalize
from accord.analysis.uncertainty import rank_first_probability
from accord.analysis.weights import ahp_weights

SAATY = [1 / 9, 1 / 7, 1 / 5, 1 / 3, 1, 3, 5, 7, 9]


def _median_ms(work: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    result = work()  # warm-up (imports, caches) and the answer to compare
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return 1000.0 * statistics.median(times), result


def _median_cpu_ms(work: Callable[[], Any], repeat: int) -> float:
    # CPU time of this process: what the work costs when the machine is not shared.
    times = []
    for _ in range(repeat):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return 1000.0 * statistics.median(times)


def _entry(ours_ms: float, peer_ms: float, diff: float, **extra: Any) -> dict[str, Any]:
    return {
        "accord_ms": round(ours_ms, 3),
        "peer_ms": round(peer_ms, 3),
        "speedup": round(peer_ms / ours_ms, 2) if ours_ms > 0 else None,
        "max_abs_diff": diff,
        **extra,
    }


def bench_scoring(options: int, criteria: int, stakeholders: int, repeat: int) -> dict[str, Any]:
    rng = np.random.default_rng(0)
    x = rng.uniform(1.0, 100.0, (options, criteria))
    up = rng.random(criteria) < 0.5
    w = rng.uniform(0.0, 1.0, (stakeholders, criteria))
    w /= w.sum(axis=1, keepdims=True)
    types = np.where(up, 1, -1)
    out: dict[str, Any] = {}
    for name, norm in (
        ("vector", pymcdm_norm.vector_normalization),
        ("minmax", pymcdm_norm.minmax_normalization),
    ):
        peer_topsis = TOPSIS(norm)
        ours_ms, ours = _median_ms(lambda n=name: topsis(x, w, up, normalization=n), repeat)
        peer_ms, peer = _median_ms(
            lambda m=peer_topsis: np.array([m(x, row, types) for row in w]), repeat
        )
        out[f"topsis_{name}"] = _entry(ours_ms, peer_ms, float(np.abs(ours - peer).max()))
        peer_wsm = WSM(norm)
        ours_ms, ours = _median_ms(
            lambda n=name: weighted_sum(normalize(x, up, method=n), w), repeat
        )
        peer_ms, peer = _median_ms(
            lambda m=peer_wsm: np.array([m(x, row, types) for row in w]), repeat
        )
        out[f"weighted_sum_{name}"] = _entry(ours_ms, peer_ms, float(np.abs(ours - peer).max()))
    return {"options": options, "criteria": criteria, "stakeholders": stakeholders, **out}


def bench_ahp(n: int, repeat: int) -> dict[str, Any]:
    rng = np.random.default_rng(1)
    judgements = [(i, j, float(rng.choice(SAATY))) for i, j in itertools.combinations(range(n), 2)]
    names = [f"c{i}" for i in range(n)]
    comparisons = {(names[i], names[j]): r for i, j, r in judgements}
    ours_ms, ours = _median_ms(
        lambda: ahp_weights(n, judgements, random_index="donegan-dodd"), repeat
    )
    peer_ms, peer = _median_ms(lambda: ahpy.Compare("c", comparisons, precision=12), repeat)
    diff = max(abs(ours.weights[i] - float(peer.target_weights[names[i]])) for i in range(n))
    cr_diff = abs(ours.cr - float(peer.consistency_ratio))
    complete = _entry(ours_ms, peer_ms, diff, cr_abs_diff=cr_diff, criteria=n)
    # Incomplete: drop every third judgement (still connected through the rest).
    partial = [j for k, j in enumerate(judgements) if k % 3 != 2]
    partial_cmp = {(names[i], names[j]): r for i, j, r in partial}
    ours_ms, ours = _median_ms(
        lambda: ahp_weights(n, partial, random_index="donegan-dodd"), max(1, repeat // 5)
    )
    peer_ms, peer = _median_ms(
        lambda: ahpy.Compare("c", partial_cmp, precision=12),
        max(1, repeat // 5),
    )
    diff = max(abs(ours.weights[i] - float(peer.target_weights[names[i]])) for i in range(n))
    incomplete = _entry(
        ours_ms,
        peer_ms,
        diff,
        cr_abs_diff=abs(ours.cr - float(peer.consistency_ratio)),
        criteria=n,
        missing=len(judgements) - len(partial),
    )
    return {"complete": complete, "incomplete": incomplete}


def bench_krippendorff(raters: int, units: int, repeat: int) -> dict[str, Any]:
    rng = np.random.default_rng(2)
    data = rng.integers(1, 8, (raters, units)).astype(float)
    data[rng.random(data.shape) < 0.2] = np.nan
    out: dict[str, Any] = {"raters": raters, "units": units, "missing_share": 0.2}
    for level in ("ordinal", "interval"):
        ours_ms, ours = _median_ms(lambda lv=level: krippendorff_alpha(data, level=lv), repeat)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            peer_ms, peer = _median_ms(
                lambda lv=level: krippendorff.alpha(data, level_of_measurement=lv), repeat
            )
        out[level] = _entry(ours_ms, peer_ms, abs(float(ours) - float(peer)))
    return out


def bench_monte_carlo(
    options: int, criteria: int, stakeholders: int, draws: int, repeat: int
) -> dict[str, Any]:
    rng = np.random.default_rng(3)
    likely = rng.uniform(10.0, 100.0, (options, criteria))
    low = likely * rng.uniform(0.7, 1.0, likely.shape)
    high = likely * rng.uniform(1.0, 1.3, likely.shape)
    up = rng.random(criteria) < 0.5
    w = rng.uniform(0.0, 1.0, (stakeholders, criteria))
    out: dict[str, Any] = {
        "options": options,
        "criteria": criteria,
        "stakeholders": stakeholders,
        "draws": draws,
        "budget_ms": 500.0,
        "peer": None,  # no peer library computes rank-first probabilities
    }
    for distribution in ("pert", "triangular"):
        for scoring in ("weighted_sum", "topsis"):

            def work(d: str = distribution, s: str = scoring) -> Any:
                return rank_first_probability(
                    low,
                    likely,
                    high,
                    up,
                    w,
                    draws=draws,
                    distribution=d,  # type: ignore[arg-type]
                    scoring=s,  # type: ignore[arg-type]
                )

            ms, _ = _median_ms(work, repeat)
            out[f"{distribution}_{scoring}_ms"] = round(ms, 3)
            out[f"{distribution}_{scoring}_cpu_ms"] = round(_median_cpu_ms(work, repeat), 3)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="toy sizes, one repeat")
    args = parser.parse_args()
    repeat = 1 if args.smoke else 7
    if args.smoke:
        report = {
            "scoring": [bench_scoring(5, 3, 2, repeat)],
            "ahp": bench_ahp(4, repeat),
            "krippendorff": bench_krippendorff(3, 10, repeat),
            "monte_carlo": bench_monte_carlo(5, 3, 2, 100, repeat),
        }
    else:
        report = {
            "scoring": [
                bench_scoring(20, 12, 15, repeat),
                bench_scoring(500, 30, 200, 3),
            ],
            "ahp": bench_ahp(8, repeat),
            "krippendorff": bench_krippendorff(15, 500, repeat),
            "monte_carlo": bench_monte_carlo(20, 12, 15, 10_000, 5),
        }
    report["numpy"] = np.__version__
    report["load_average_1min"] = round(os.getloadavg()[0], 2)
    report["cpus"] = os.cpu_count()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
