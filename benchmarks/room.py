"""What suggested idea groups cost the facilitator's board during group (pure, no server).

Run: .venv/bin/python benchmarks/room.py [--ideas N] [--participants P] [--repeat R]
Prints one JSON document.  Every board the facilitator receives during group carries the
suggested groups (themes of the ungrouped ideas, accord.analysis.text.themes).  The same-run
baseline is the facilitator's view of the same ideas in reveal, which has no suggestions: the
ratios say what the suggestions add, first (themes computed) and then (cached on the ideas).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import time
from typing import Any

from accord.workshop import Event, WorkshopState, apply, check, new_state, view_for
from accord.workshop.suggest import _suggest

START = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
SUBJECTS = [
    "referral programme for customers",
    "cut cloud hosting costs",
    "hire account executives in EMEA",
    "partner channel for mid-market",
    "price increase for the enterprise tier",
    "self-serve onboarding flow",
]


def _room(ideas: int, participants: int) -> tuple[WorkshopState, WorkshopState]:
    """The same ideas, revealed (baseline) and in group (with suggestions)."""
    state, seq = new_state("Benchmark"), 0

    def do(actor: str, kind: str, **payload: Any) -> None:
        nonlocal state, seq
        seq += 1
        at = START + dt.timedelta(seconds=seq)
        state = apply(state, Event(seq, kind, actor, check(state, actor, kind, payload, at), at))

    for p in range(1, participants + 1):
        do("server", "participant_joined", participant=f"p{p}", name=f"Person {p}")
    do("facilitator", "agenda_set", items=["A?", "B?", "C?"])
    do("facilitator", "item_started", item=0)
    for n in range(ideas):
        subject = SUBJECTS[n % len(SUBJECTS)]
        do(f"p{1 + n % participants}", "idea_added", text=f"{subject}, variant {n // 6}")
    do("facilitator", "phase_changed", phase="reveal")
    revealed = state
    do("facilitator", "phase_changed", phase="group")
    return revealed, state


def _median_ms(state: WorkshopState, repeat: int, *, cold: bool) -> float:
    now = START + dt.timedelta(hours=1)
    times = []
    for _ in range(repeat):
        if cold:
            _suggest.cache_clear()
        began = time.perf_counter()
        view_for(state, "facilitator", now)
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=60)
    parser.add_argument("--participants", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    revealed, grouping = _room(args.ideas, args.participants)
    baseline = _median_ms(revealed, args.repeat, cold=False)
    cold = _median_ms(grouping, args.repeat, cold=True)
    warm = _median_ms(grouping, args.repeat, cold=False)
    suggestions = view_for(grouping, "facilitator", START)["suggestions"]
    print(
        json.dumps(
            {
                "ideas": args.ideas,
                "participants": args.participants,
                "load_average_1m": os.getloadavg()[0],
                "baseline_reveal_view_ms": round(baseline, 3),
                "group_view_first_ms": round(cold, 3),
                "group_view_cached_ms": round(warm, 3),
                "first_over_baseline": round(cold / baseline, 2),
                "cached_over_baseline": round(warm / baseline, 2),
                "suggested_groups": len(suggestions),
                "largest_group": max((len(g["ideas"]) for g in suggestions), default=0),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
