"""Opinion-map benchmark: fidelity to Polis and speed, accord against red-dwarf.

Run ``.venv/bin/python benchmarks/opinion.py [--quick]``; prints one JSON document.

* Per shared Polis conversation (``../shared/data/polis``): each side runs in a fresh
  process from files to groups + representative statements (process start included),
  ``--repeat`` times, alternating sides; the best wall time and the best CPU time
  (user + system of the child) are reported, because other jobs on a shared machine
  only ever add time.  Also the child's peak RSS, ARI against Polis's own ``group-id``
  (participants Polis grouped; a participant an implementation left out counts as its
  own label), and the overlap of top-3 representative statements per group matched
  by members.
* Synthetic scale: planted opinion groups, 100,000 participants × 2,000 statements ×
  5,000,000 votes (``--quick``: 2,000 × 100 × 40,000).  The map's peak RSS is measured
  after generating the data (``VmHWM`` reset through ``/proc/self/clear_refs``);
  the generator's own peak (numpy's sampling without replacement) is reported apart.
* Incremental: 100 new votes on a 5,000-participant live map (wall and CPU per update).

``--replay [NAME ...]`` prints instead the history replay's ARI, coverage and time per
conversation (``replay.py``).  ``--london`` prints instead the diagnostics behind the
London expected failure (docs/opinion-map.md): whether Polis's partition is a k-means
optimum of the final map, the silhouettes per k, the greedy-rule check, and replays of the
vote log.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
POLIS = REPO.parent / "shared" / "data" / "polis"
PYTHON = sys.executable

ACCORD_CHILD = """
import json, sys
from accord import read_polis, opinion_map
m = opinion_map(read_polis(sys.argv[1]))
reps = {str(g.id): [r.statement for r in g.representative[:3]] for g in m.groups}
print(json.dumps({"groups": m.participants, "reps": reps,
                  "rss_kb": PEAK()}))
"""

RED_DWARF_CHILD = """
import json, sys, warnings
warnings.simplefilter("ignore")
import pandas as pd
from reddwarf.implementations.polis import run_pipeline
d = sys.argv[1]
v = pd.read_csv(f"{d}/votes.csv").sort_values("timestamp", kind="stable")
v = v.drop_duplicates(["voter-id", "comment-id"], keep="last")
c = pd.read_csv(f"{d}/comments.csv")
hidden = c.loc[c.moderated == -1, "comment-id"].tolist()
votes = [dict(participant_id=int(p), statement_id=int(s), vote=int(x), modified=int(t))
         for p, s, x, t in zip(v["voter-id"], v["comment-id"], v["vote"], v["timestamp"])]
r = run_pipeline(votes=votes, mod_out_statement_ids=hidden, random_state=0)
lab = r.participants_df["cluster_id"].dropna()
reps = {str(g): [int(s["tid"]) if isinstance(s, dict) else int(s) for s in stmts][:3]
        for g, stmts in (r.repness or {}).items()}
print(json.dumps({"groups": {str(p): int(g) for p, g in lab.items()}, "reps": reps,
                  "rss_kb": PEAK()}))
"""

SCALE_CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[5])
from opinion import planted_votes
from accord.analysis.opinion import opinion_map
n_p, n_s, n_v, k = (int(a) for a in sys.argv[1:5])
votes, planted = planted_votes(n_p, n_s, n_v, k, seed=0)
generation_kb = PEAK()
RESET_PEAK()
start, cpu = time.perf_counter(), time.process_time()
m = opinion_map(votes)
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
found = [m.participants.get(str(i), -1) for i in range(n_p)]
print(json.dumps({"map_seconds": seconds, "map_cpu_seconds": cpu, "found": found,
                  "planted": planted.tolist(), "rss_kb": PEAK(),
                  "generation_rss_kb": generation_kb, "notes": m.notes}))
"""


def planted_votes(
    n_participants: int, n_statements: int, n_votes: int, groups: int, seed: int
) -> tuple[Any, Any]:
    """A conversation with planted opinion groups, and each participant's group.

    Each group leans agree or disagree on every statement with a strength drawn from
    U(0.3, 0.9); ``n_votes`` distinct (participant, statement) cells are drawn at
    random; 10 % of votes are passes, the rest agree with probability (1 + lean) / 2.
    """
    from array import array

    import numpy as np

    from accord.model.statements import Statement, StatementVotes

    rng = np.random.default_rng(seed)
    planted = rng.integers(0, groups, n_participants)
    leaning = rng.choice([-1.0, 1.0], size=(groups, n_statements)) * rng.uniform(
        0.3, 0.9, size=(groups, n_statements)
    )
    cells = rng.choice(n_participants * n_statements, size=n_votes, replace=False)
    rows, cols = cells // n_statements, cells % n_statements
    del cells
    p_agree = (1 + leaning[planted[rows], cols]) / 2
    draw = rng.random(n_votes)
    value = np.where(draw < p_agree * 0.9, 1, np.where(draw < 0.9, -1, 0)).astype(np.int8)
    del p_agree, draw
    votes = StatementVotes(
        tuple(Statement(str(j)) for j in range(n_statements)),
        tuple(str(i) for i in range(n_participants)),
        array("i", rows.astype(np.int32).tobytes()),
        array("i", cols.astype(np.int32).tobytes()),
        array("b", value.tobytes()),
    )
    return votes, planted


INCREMENTAL_CHILD = """
import json, sys, time
from array import array
import numpy as np
from accord.analysis.opinion import LiveOpinionMap
from accord.model.statements import Statement, StatementVotes
n_p, n_s, per = 5000, 100, 30
rng = np.random.default_rng(1)
planted = rng.integers(0, 3, n_p)
lean = rng.choice([-1, 1], size=(3, n_s))
rows = np.repeat(np.arange(n_p), per)
cols = np.concatenate([rng.choice(n_s, per, replace=False) for _ in range(n_p)])
flip = rng.random(len(rows)) < 0.2
value = np.where(flip, -lean[planted[rows], cols], lean[planted[rows], cols]).astype(np.int8)
votes = StatementVotes(
    tuple(Statement(str(j)) for j in range(n_s)), tuple(str(i) for i in range(n_p)),
    array("i", rows.astype(np.int32).tobytes()), array("i", cols.astype(np.int32).tobytes()),
    array("b", value.tobytes()))
t0 = time.perf_counter()
live = LiveOpinionMap(votes)
first = time.perf_counter() - t0
times, cpus = [], []
for batch in range(10):
    new = [(str(int(rng.integers(0, n_p + 50))), str(int(rng.integers(0, n_s))),
            int(rng.choice([-1, 0, 1]))) for _ in range(100)]
    t0, c0 = time.perf_counter(), time.process_time()
    live.add_votes(new)
    times.append(time.perf_counter() - t0)
    cpus.append(time.process_time() - c0)
print(json.dumps({"initial_seconds": first, "update_seconds": times, "update_cpu": cpus}))
"""


# ru_maxrss of a child can report the parent's high-water mark from before exec on
# Linux; VmHWM belongs to the child's own address space.
PEAK_SOURCE = """
def PEAK():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0
def RESET_PEAK():
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
"""


def run_child(
    code: str, *args: str, src: Path | None = None
) -> tuple[dict[str, Any], float, float]:
    """Run ``code`` in a fresh interpreter: its JSON, wall seconds and CPU seconds.

    ``src`` is the ``src`` folder of the accord to import (default: this checkout's).
    """
    src = (REPO / "src") if src is None else src
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", PYTHONPATH=str(src.resolve()))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [PYTHON, "-c", PEAK_SOURCE + code, *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1]), seconds, cpu


def ari(truth: dict[str, int], found: dict[str, int]) -> float:
    from sklearn.metrics import adjusted_rand_score

    keys = list(truth)
    return float(adjusted_rand_score([truth[k] for k in keys], [found.get(k, -1) for k in keys]))


def rep_overlap(a: dict[str, Any], b: dict[str, Any]) -> list[float]:
    """Top-3 overlap per accord group, matched to the red-dwarf group sharing most members."""
    overlaps = []
    for g, reps in a["reps"].items():
        members = {p for p, x in a["groups"].items() if str(x) == g}
        counts: dict[str, int] = {}
        for p, x in b["groups"].items():
            if p in members:
                counts[str(x)] = counts.get(str(x), 0) + 1
        if not counts:
            continue
        match = max(counts, key=lambda x: counts[x])
        theirs = {str(s) for s in b["reps"].get(match, [])}
        overlaps.append(len(set(reps) & theirs) / 3)
    return overlaps


def conversations(repeat: int) -> list[dict[str, Any]]:
    from accord.io.polis import polis_groups

    rows = []
    for folder in sorted(p for p in POLIS.iterdir() if p.is_dir()):
        truth = polis_groups(folder)
        our_s = our_cpu = their_s = their_cpu = float("inf")
        for _ in range(repeat):
            ours, wall, cpu = run_child(ACCORD_CHILD, str(folder))
            our_s, our_cpu = min(our_s, wall), min(our_cpu, cpu)
            theirs, wall, cpu = run_child(RED_DWARF_CHILD, str(folder))
            their_s, their_cpu = min(their_s, wall), min(their_cpu, cpu)
        rows.append(
            {
                "conversation": folder.name,
                "ari_accord": round(ari(truth, ours["groups"]), 3),
                "ari_red_dwarf": round(ari(truth, theirs["groups"]), 3),
                "groups_accord": len(set(ours["groups"].values())),
                "groups_red_dwarf": len(set(theirs["groups"].values())),
                "groups_polis": len(set(truth.values())),
                "top3_rep_overlap": [round(x, 2) for x in rep_overlap(ours, theirs)],
                "seconds_accord": round(our_s, 3),
                "seconds_red_dwarf": round(their_s, 3),
                "speedup": round(their_s / our_s, 2),
                "cpu_seconds_accord": round(our_cpu, 3),
                "cpu_seconds_red_dwarf": round(their_cpu, 3),
                "speedup_cpu": round(their_cpu / our_cpu, 2),
                "peak_rss_mb_accord": round(ours["rss_kb"] / 1024, 1),
                "peak_rss_mb_red_dwarf": round(theirs["rss_kb"] / 1024, 1),
            }
        )
    return rows


def scale(quick: bool) -> dict[str, Any]:
    sizes = (2000, 100, 40000, 3) if quick else (100_000, 2000, 5_000_000, 3)
    out, seconds, _ = run_child(SCALE_CHILD, *(str(s) for s in sizes), str(REPO / "benchmarks"))
    from sklearn.metrics import adjusted_rand_score

    found, planted = out["found"], out["planted"]
    return {
        "participants": sizes[0],
        "statements": sizes[1],
        "votes": sizes[2],
        "planted_groups": sizes[3],
        "map_seconds": round(out["map_seconds"], 2),
        "map_cpu_seconds": round(out["map_cpu_seconds"], 2),
        "process_seconds_incl_generation": round(seconds, 2),
        "peak_rss_mb": round(out["rss_kb"] / 1024, 1),
        "generation_peak_rss_mb": round(out["generation_rss_kb"] / 1024, 1),
        "ari_vs_planted": round(float(adjusted_rand_score(planted, found)), 3),
        "notes": out["notes"],
    }


def london_evidence() -> dict[str, Any]:
    """Why London's Polis groups cannot be recomputed from its votes (see the docs)."""
    import csv
    from array import array

    import numpy as np

    from accord.analysis.opinion import LiveOpinionMap, opinion_map
    from accord.analysis.opinion import clusters as cl
    from accord.analysis.opinion.mapping import clustered_participants, participant_ranks
    from accord.analysis.opinion.matrix import vote_matrix
    from accord.analysis.opinion.pca import fit_components, project_participants
    from accord.io.polis import polis_groups, read_polis
    from accord.model.statements import StatementVotes

    folder = POLIS / "london.youth.policing"
    truth = polis_groups(folder)
    votes = read_polis(folder)
    matrix = vote_matrix(votes)
    inside, _ = clustered_participants(matrix, 7)
    # The fresh map's row order (Polis's full recompute), so starts match opinion_map's.
    rows = matrix.recompute_row_order(participant_ranks(votes.participants))
    members = rows[inside[rows]]
    points = project_participants(matrix, fit_components(matrix))[members]
    ids = [votes.participants[i] for i in members]
    polis = np.array([truth.get(p, -1) for p in ids])
    means = np.array([points[polis == g].mean(axis=0) for g in range(polis.max() + 1)])
    nearest = cl._nearest(points, means)
    onward = cl.kmeans(points, means, max_iters=20)

    def within(labels: Any) -> float:
        return float(
            sum(
                ((points[labels == g] - points[labels == g].mean(0)) ** 2).sum()
                for g in set(labels)
            )
        )

    fresh = opinion_map(votes)
    base, _ = cl.base_clusters(points)
    sizes = np.bincount(base.labels).astype(float)
    three = cl.kmeans(base.centres, cl.first_distinct(base.centres, 3), weights=sizes, max_iters=20)
    rows = sorted(csv.DictReader(open(folder / "votes.csv")), key=lambda r: int(r["timestamp"]))
    known = {s.id for s in votes.statements}
    events = [
        (r["voter-id"], r["comment-id"], int(r["vote"]), int(r["timestamp"]))
        for r in rows
        if r["comment-id"] in known
    ]
    replays: dict[str, Any] = {}
    for label, size in (("1 s polling", 0), ("1 vote", 1), ("20 votes", 20), ("100 votes", 100)):
        batches: list[list[tuple[str, str, int, int]]] = []
        for e in events:
            if batches and (
                (size == 0 and e[3] // 1000 == batches[-1][-1][3] // 1000)
                or (size > 0 and len(batches[-1]) < size)
            ):
                batches[-1].append(e)
            else:
                batches.append([e])
        # Polis reads each polled batch ordered by (tid, pid, created) (postgres.clj conv-poll).
        batches = [sorted(b, key=lambda e: (int(e[1]), int(e[0]), e[3])) for b in batches]
        empty = StatementVotes(votes.statements, (), array("i"), array("i"), array("b"))
        live = LiveOpinionMap(empty)
        for b in batches:
            result = live.add_votes([(p, sid, v) for p, sid, v, _ in b])
        replays[label] = {
            "updates": len(batches),
            "ari": round(ari(truth, result.participants), 3),
            "k": len(result.groups),
        }
    return {
        "clustered": len(ids),
        "polis_group_sizes": np.bincount(polis).tolist(),
        "moved_by_one_lloyd_step_from_polis_means": int((nearest != polis).sum()),
        "ari_after_kmeans_from_polis_means": round(
            ari(truth, dict(zip(ids, onward.labels.tolist(), strict=True))), 3
        ),
        "within_group_sum_of_squares_polis": round(within(polis), 1),
        "within_group_sum_of_squares_accord_k3": round(within(three.labels[base.labels]), 1),
        "silhouette_polis_partition": round(cl.silhouette(points, polis), 3),
        "silhouettes_by_k_final_map": {k: round(v, 3) for k, v in fresh.silhouettes.items()},
        "ari_fresh_map": round(ari(truth, fresh.participants), 3),
        "participants_with_votes_but_no_polis_group": sorted(
            set(fresh.coordinates) - set(truth), key=int
        ),
        "replays": replays,
    }


REPLAY_CHILD = """
import json, sys, time
from accord import read_polis
from accord.analysis.opinion.replay import replay_map
votes = read_polis(sys.argv[1])
start = time.perf_counter()
r = replay_map(votes)
print(json.dumps({"groups": r.map.participants, "mode": r.mode, "updates": r.updates,
                  "coords": r.map.coordinates,
                  "seconds": time.perf_counter() - start, "rss_kb": PEAK()}))
"""


def replays(names: list[str], baseline: Path | None = None) -> list[dict[str, Any]]:
    """History replay per conversation: ARI and coverage of Polis's grouped participants.

    With ``baseline`` (the ``src`` folder of another accord checkout, e.g. an earlier
    commit's worktree) the same replay also runs from it, in the same run, alternating,
    and the row says whether both gave the same groups and coordinates.
    """
    from accord.io.polis import polis_groups

    rows = []
    for folder in sorted(p for p in POLIS.iterdir() if p.is_dir()):
        if names and folder.name not in names:
            continue
        truth = polis_groups(folder)
        ours, wall, cpu = run_child(REPLAY_CHILD, str(folder))
        row: dict[str, Any] = {
            "conversation": folder.name,
            "mode": ours["mode"],
            "updates": ours["updates"],
            "ari_replay": round(ari(truth, ours["groups"]), 3),
            "coverage": round(sum(p in ours["groups"] for p in truth) / len(truth), 3),
            "replay_seconds": round(ours["seconds"], 2),
            "process_seconds": round(wall, 2),
            "process_cpu_seconds": round(cpu, 2),
        }
        if baseline is not None:
            theirs, b_wall, b_cpu = run_child(REPLAY_CHILD, str(folder), src=baseline)
            row["baseline_process_seconds"] = round(b_wall, 2)
            row["baseline_process_cpu_seconds"] = round(b_cpu, 2)
            row["cpu_speedup_vs_baseline"] = round(b_cpu / cpu, 2)
            row["same_groups_as_baseline"] = theirs["groups"] == ours["groups"]
            row["same_coordinates_as_baseline"] = theirs["coords"] == ours["coords"]
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smoke-sized run")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per side and conversation (best kept)"
    )
    parser.add_argument("--london", action="store_true", help="London diagnostics only")
    parser.add_argument(
        "--replay",
        nargs="*",
        metavar="CONVERSATION",
        help="history replay only (all conversations, or those named); minutes on the large",
    )
    parser.add_argument(
        "--replay-baseline",
        type=Path,
        metavar="SRC",
        help="with --replay: also replay from this accord src folder (same-run baseline)",
    )
    args = parser.parse_args()
    if args.replay is not None:
        load = list(os.getloadavg())
        rows = replays(args.replay, args.replay_baseline)
        report = {"load_average": load, "replays": rows}
        report["load_average_after"] = list(os.getloadavg())
        print(json.dumps(report, indent=2))
        return
    if args.london:
        print(json.dumps(london_evidence(), indent=2))
        return
    report: dict[str, Any] = {"quick": args.quick, "load_average": list(os.getloadavg())}
    if POLIS.is_dir() and not args.quick:
        report["conversations"] = conversations(max(args.repeat, 1))
    report["scale"] = scale(args.quick)
    inc, _, _ = run_child(INCREMENTAL_CHILD)
    report["incremental"] = {
        "participants": 5000,
        "new_votes_per_update": 100,
        "initial_seconds": round(inc["initial_seconds"], 3),
        "update_ms": [round(1000 * t, 1) for t in inc["update_seconds"]],
        "update_cpu_ms": [round(1000 * t, 1) for t in inc["update_cpu"]],
        "max_update_ms": round(1000 * max(inc["update_seconds"]), 1),
    }
    report["load_average_after"] = list(os.getloadavg())
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
