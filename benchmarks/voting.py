"""Benchmark: accord's voting rules against pref-voting on PrefLib files, in one run.

For every PrefLib file in ``../shared/data/preflib/`` and every rule pref-voting shares with
accord, time "load the file + count the rule" in both libraries under the ``below`` reading
(pref-voting's ``use_extended_strict_preference()``), check the winners are identical, and
report the speed-up ratio per rule (median over files).  Then time accord alone on two
synthetic profiles shaped like the holdout files (379 candidates / 36,655 truncated ballots;
25 candidates / 194,530 ballots with ties), generated from a fixed seed, on 11 candidates /
~2,300 distinct truncated orders (issue 17's Borda shape: every rule, Borda included, should
take about the same), and on 200 complete
rankings of 500 candidates (the shape ``analyze()`` counts for a 200 x 500 case).

Run: ``.venv/bin/python benchmarks/voting.py`` (prints one JSON document on stdout).
``--smoke`` runs at toy size; ``--peer-synthetic`` also times pref-voting on the synthetic
profiles (minutes).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from accord.analysis.voting import Outcome, rule_robustness, vote
from accord.io.preflib import read_preflib
from accord.model.ballots import Profile

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "preflib"
RULES = ("plurality", "borda", "copeland", "schulze", "ranked-pairs", "irv", "minimax")


def _peer_rules() -> dict[str, Callable[[Any], list[int]]]:
    from pref_voting.c1_methods import copeland
    from pref_voting.iterative_methods import instant_runoff
    from pref_voting.margin_based_methods import (
        beat_path,
        minimax,
        ranked_pairs_tb,
        ranked_pairs_with_test,
    )
    from pref_voting.scoring_methods import borda

    def plurality(profile: Any) -> list[int]:
        scores = profile.tops_scores(score_type="split")
        best = max(scores.values())
        return sorted(c for c, v in scores.items() if abs(v - best) < 1e-9)

    def ranked_pairs(profile: Any) -> list[int]:
        # The exhaustive version runs for minutes on tied profiles; fall back to the
        # fixed tie-breaker variant, as the issue allows.
        winners = ranked_pairs_with_test(profile)
        return list(ranked_pairs_tb(profile)) if winners is None else list(winners)

    return {
        "plurality": plurality,
        "borda": borda,
        "copeland": copeland,
        "schulze": beat_path,
        "ranked-pairs": ranked_pairs,
        "irv": instant_runoff,
        "minimax": minimax,
    }


def _best_of(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def bench_files(files: list[Path], repeat: int) -> dict[str, Any]:
    from pref_voting.io.readers import preflib_to_profile

    peer = _peer_rules()
    rows = []
    for path in files:
        for rule in RULES:

            def ours(path: Path = path, rule: str = rule) -> list[int]:
                outcome = vote(read_preflib(path), rule, unranked="below")
                if rule == "ranked-pairs" and outcome.possible_winners is None:
                    assert outcome.ranking is not None
                    return [int(outcome.ranking[0][0])]
                return [int(c) for c in outcome.winners]

            def theirs(path: Path = path, rule: str = rule) -> list[int]:
                profile = preflib_to_profile(str(path))
                profile.use_extended_strict_preference()
                return sorted(peer[rule](profile))

            t_ours, w_ours = _best_of(repeat, ours)
            t_peer, w_peer = _best_of(1, theirs)
            if rule == "ranked-pairs" and w_ours != w_peer:
                # accord found every possible winner; pref-voting gave its tie-broken one.
                tb = vote(read_preflib(path), rule).ranking
                assert tb is not None
                w_ours = [int(tb[0][0])]
            rows.append(
                {
                    "file": path.name,
                    "rule": rule,
                    "accord_s": round(t_ours, 5),
                    "pref_voting_s": round(t_peer, 5),
                    "ratio": round(t_peer / t_ours, 1),
                    "identical_winners": w_ours == w_peer,
                }
            )
    per_rule = {
        rule: {
            "median_ratio": round(
                statistics.median(r["ratio"] for r in rows if r["rule"] == rule), 1
            ),
            "max_accord_s": max(r["accord_s"] for r in rows if r["rule"] == rule),
        }
        for rule in RULES
        if any(r["rule"] == rule for r in rows)
    }
    return {
        "files": len(files),
        "all_identical": all(r["identical_winners"] for r in rows),
        "per_rule": per_rule,
        "runs": rows,
    }


def synthetic_preflib(
    path: Path, *, candidates: int, voters: int, max_length: int, tie_rate: float, seed: int
) -> None:
    """Write a PrefLib .toi file with popularity-skewed truncated ballots."""
    rng = np.random.default_rng(seed)
    popularity = 1.0 / np.arange(1, candidates + 1) ** 1.1
    popularity /= popularity.sum()
    orders: dict[str, int] = {}
    lengths = np.minimum(rng.geometric(0.45, size=voters), max_length)
    for length in lengths:
        chosen = rng.choice(candidates, size=int(length), replace=False, p=popularity) + 1
        parts: list[str] = []
        k = 0
        while k < len(chosen):
            if k + 1 < len(chosen) and rng.random() < tie_rate:
                parts.append("{" + f"{chosen[k]},{chosen[k + 1]}" + "}")
                k += 2
            else:
                parts.append(str(chosen[k]))
                k += 1
        key = ",".join(parts)
        orders[key] = orders.get(key, 0) + 1
    lines = [
        "# DATA TYPE: toi",
        f"# NUMBER ALTERNATIVES: {candidates}",
        f"# NUMBER VOTERS: {voters}",
        f"# NUMBER UNIQUE ORDERS: {len(orders)}",
    ]
    lines += [f"# ALTERNATIVE NAME {c}: Candidate {c}" for c in range(1, candidates + 1)]
    lines += [f"{count}: {order}" for order, count in orders.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def bench_synthetic(specs: list[dict[str, Any]], repeat: int, with_peer: bool) -> list[Any]:
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for spec in specs:
            path = Path(folder) / f"synthetic-{spec['candidates']}x{spec['voters']}.toi"
            synthetic_preflib(path, **spec)
            load_s, profile = _best_of(repeat, partial(read_preflib, path))
            row: dict[str, Any] = {
                **spec,
                "unique_orders": len(profile.ballots),
                "load_s": round(load_s, 4),
                "rules": {},
            }
            for rule in RULES:
                for reading in ("below", "uncompared"):
                    t, _ = _best_of(repeat, partial(_load_and_vote, path, rule, reading))
                    row["rules"][f"{rule}/{reading}"] = round(t, 4)
            row["max_rule_s_including_load"] = max(row["rules"].values())
            if with_peer:
                from pref_voting.io.readers import preflib_to_profile

                t, _ = _best_of(1, partial(preflib_to_profile, str(path)))
                row["pref_voting_load_s"] = round(t, 2)
            results.append(row)
    return results


def _load_and_vote(path: Path, rule: str, reading: str) -> Outcome:
    return vote(read_preflib(path), rule, unranked=reading)


def complete_profile(candidates: int, ballots: int, seed: int) -> Profile:
    """Complete strict rankings around a common order (the shape ``analyze()`` builds from
    stakeholders ranking every option), one unique ballot each."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(size=(ballots, candidates)) * 3 + np.arange(candidates) / candidates * 4
    orders = np.argsort(noise, axis=1).tolist()
    return Profile(
        candidates=tuple(f"o{k}" for k in range(candidates)),
        ballots=tuple(tuple((c,) for c in order) for order in orders),
        counts=(1,) * ballots,
    )


def bench_many_candidates(candidates: int, ballots: int, repeat: int) -> dict[str, Any]:
    """Each rule (profile arrays included) and rule_robustness on complete ballots."""
    profile = complete_profile(candidates, ballots, seed=5)
    row: dict[str, Any] = {"candidates": candidates, "ballots": ballots, "rules": {}}
    for reading in ("below", "uncompared"):
        for rule in RULES:
            t, outcome = _best_of(repeat, partial(vote, profile, rule, unranked=reading))
            row["rules"][f"{rule}/{reading}"] = round(t, 4)
            if rule == "ranked-pairs":
                row[f"ranked_pairs_possible_winners_computed/{reading}"] = (
                    outcome.possible_winners is not None
                )
        t, _ = _best_of(repeat, partial(rule_robustness, profile, unranked=reading))
        row[f"rule_robustness_s/{reading}"] = round(t, 4)
    row["max_rule_s"] = max(row["rules"].values())
    return row


def main(argv: list[str]) -> None:
    smoke = "--smoke" in argv
    files = sorted(SHARED.glob("*.[st]o[ci]")) if SHARED.is_dir() else []
    if smoke:
        files = [Path(__file__).resolve().parents[1] / "tests/data/preflib/00052-00000029.soc"]
        specs = [dict(candidates=12, voters=300, max_length=3, tie_rate=0.05, seed=7)]
    else:
        specs = [
            # Issue 17's Borda shape: 11 candidates, ~2,300 distinct truncated orders.
            dict(candidates=11, voters=11_000, max_length=11, tie_rate=0.05, seed=11),
            dict(candidates=379, voters=36_655, max_length=3, tie_rate=0.0, seed=18),
            dict(candidates=25, voters=194_530, max_length=3, tie_rate=0.01, seed=21),
        ]
    repeat = 1 if smoke else 3
    load_before = os.getloadavg()
    report = {
        "benchmark": "voting",
        "reading": "below",
        "files": bench_files(files, repeat),
        "synthetic": bench_synthetic(specs, repeat, "--peer-synthetic" in argv),
        "many_candidates": bench_many_candidates(
            *((30, 20) if smoke else (500, 200)), repeat=repeat
        ),
        # The machine is shared: the 1/5/15-minute load averages say how busy it was.
        "load_average": {"before": load_before, "after": os.getloadavg()},
    }
    sys.stdout.write(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
