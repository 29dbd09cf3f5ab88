"""Mutated inputs of every kind, run through the CLI in-process, with one verdict each.

Shared by ``tests/fuzz`` (bounded, seeded, in ``make test``) and ``benchmarks/fuzz.py``
(the long run).  A verdict is ``"ok"`` or the name of the failure class it shows.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import time
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from accord.cli import main

REPO = Path(__file__).resolve().parents[2]
SEEDS: dict[str, list[bytes]] = {
    "case": [p.read_bytes() for p in sorted((REPO / "examples").glob("*.yaml"))],
    "plan": [p.read_bytes() for p in sorted((REPO / "examples" / "plans").glob("*.yaml"))],
    "preflib": [p.read_bytes() for p in sorted((REPO / "tests/data/preflib").glob("*.to?"))]
    + [p.read_bytes() for p in sorted((REPO / "tests/data/preflib").glob("*.soc"))],
    "ballots_csv": [b"voter,first,second\ndana,a,b\nsam,b,a\nli,a,\n"],
    "polis_votes": [(REPO / "tests/data/polis/15-per-hour-seattle/votes.csv").read_bytes()[:4000]],
    "vote_csv": [
        b"participant,statement,vote,timestamp\n"
        + b"".join(f"p{i},s{i % 5},{(-1, 0, 1)[i % 3]},{i}\n".encode() for i in range(40))
    ],
}
SUFFIX = {
    "case": "case.yaml",
    "plan": "plan.yaml",
    "preflib": "votes.toi",
    "ballots_csv": "ballots.csv",
    "polis_votes": "votes.csv",
    "vote_csv": "long-votes.csv",
}
HOSTILE = [
    b"\xff\xfe",
    b"\x00",
    b"\x1b[2J",
    b"1e400",
    b"9" * 40,
    b".nan",
    b"-.inf",
    b"[" * 200,
    b"{a: 1, a: 2}",
    b"*alias",
    b"&x [*x]",
    b"\n",
    b"-1",
    b"0",
    b"9999-12-31",
    b"10000-01-01",
]
MAX_SECONDS = 20.0


@st.composite
def mutated(draw: st.DrawFn, kind: str) -> bytes:
    """A seed input of ``kind`` with a few byte-level cuts, insertions and hostile tokens."""
    data = bytearray(draw(st.sampled_from(SEEDS[kind])))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(data)))
        action = draw(st.sampled_from(["insert", "delete", "truncate", "replace"]))
        if action == "insert":
            token = draw(st.one_of(st.sampled_from(HOSTILE), st.binary(max_size=8)))
            data[at:at] = token
        elif action == "delete":
            del data[at : at + draw(st.integers(min_value=1, max_value=40))]
        elif action == "truncate":
            del data[at:]
        else:
            token = draw(st.sampled_from(HOSTILE))
            data[at : at + len(token)] = token
    return bytes(data)


def argv_for(kind: str, path: Path) -> list[str]:
    if kind == "case":
        return ["validate", str(path)]
    if kind == "plan":
        return ["plan", "check", str(path)]
    if kind in ("preflib", "ballots_csv"):
        return ["vote", str(path), "--rule", "borda", "--json"]
    if kind == "vote_csv":
        return ["map", str(path), "--json"]
    return ["map", str(path.parent), "--json"]


CLI_ARGS = st.lists(
    st.one_of(
        st.sampled_from(
            ["--seed", "--draws", "--today", "--restarts", "--min-votes", "--json", "-r", "--help"]
        ),
        st.sampled_from(
            ["-1", "0", "1e400", "9" * 40, "nan", "10000-01-01", "0001-01-01", "9999-12-31", "101"]
        ),
        st.text(max_size=6),
    ),
    max_size=6,
)


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str
    seconds: float


def run(argv: list[str]) -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return Outcome(code, out.getvalue(), err.getvalue(), time.perf_counter() - start)


def verdict(outcome: Outcome, path: Path | None) -> str:
    """``"ok"`` or the failure class: the properties every answer must have."""
    text = outcome.stdout + outcome.stderr
    if "Traceback" in text or "internal error" in text:
        return "traceback"
    if outcome.code not in (0, 1, 2):
        return f"exit-{outcome.code}"
    if outcome.seconds > MAX_SECONDS:
        return "slow"
    if outcome.code == 2 and path is not None and outcome.stderr and path.name not in text:
        # Refused input: the message must name the file it is about.
        if "Usage:" not in text:
            return "unlocated"
    if outcome.stdout.lstrip().startswith(("{", "[")):
        try:
            json.loads(outcome.stdout, parse_constant=_refuse_constant)
        except ValueError:
            return "bad-json"
    return "ok"


def _refuse_constant(name: str) -> float:
    raise ValueError(f"JSON output contains {name}")


def check_input(kind: str, data: bytes, folder: Path) -> str:
    path = folder / SUFFIX[kind]
    path.write_bytes(data)
    return verdict(run(argv_for(kind, path)), path)


# A real input per command, so option values reach the code that uses them (without one,
# almost every run stops at "Missing argument").
ARG_INPUTS = {
    "analyze": REPO / "examples" / "growth-vs-margin.yaml",
    "cadence": REPO / "examples" / "growth-vs-margin.yaml",
    "map": REPO / "tests" / "data" / "polis" / "15-per-hour-seattle",
}


def check_args(command: str, args: list[str]) -> str:
    given = ARG_INPUTS.get(command)
    return verdict(run([command, *([str(given)] if given else []), *args]), None)


__all__ = ["ARG_INPUTS", "CLI_ARGS", "SEEDS", "check_args", "check_input", "math", "mutated"]
