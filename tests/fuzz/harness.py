"""Mutated inputs of every kind, run through the CLI in-process, with one verdict each.

Shared by ``tests/fuzz`` (bounded, seeded, in ``make test``) and ``benchmarks/fuzz.py``
(the long run).  A verdict is ``"ok"`` or the name of the failure class it shows.

Every command run is timed and its peak memory measured (Linux: the resident high-water
mark is reset before the run through ``/proc/self/clear_refs`` and read after it), and a
case that ``accord validate`` accepts is also analysed: ``analyze`` must then exit 0 or 1.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import math
import re
import resource
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml
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
MAX_PEAK_MB = 1024.0
RUNS = [0]  # command runs so far (benchmarks/fuzz.py reports it)
PEAK_MB = [0.0]  # the largest peak memory of one run so far


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
    if kind in CASE_KINDS:
        return ["validate", str(path)]
    if kind == "plan":
        return ["plan", "check", str(path)]
    if kind in ("preflib", "ballots_csv", "preflib_header"):
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
    peak_mb: float = 0.0
    argv: tuple[str, ...] = ()


def _status_mb(field: str) -> float | None:
    found = re.search(rf"{field}:\s+(\d+) kB", Path("/proc/self/status").read_text())
    return int(found.group(1)) / 1024 if found else None


def _reset_peak() -> float | None:
    """Reset this process's resident high-water mark (Linux >= 4.0) and return the resident
    memory it starts from; None if unsupported."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return None
    return _status_mb("VmRSS")


def _peak_mb(baseline: float | None) -> float:
    """What one run added to the process's resident memory at its peak, in MB.

    Runs are in-process, and the process may already hold a lot (a whole test session holds
    over a gigabyte), so the run's own peak is the high-water mark above where it started.
    """
    if baseline is not None:
        peak = _status_mb("VmHWM")
        if peak is not None:
            return max(peak - baseline, 0.0)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(argv: list[str]) -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    RUNS[0] += 1
    reset = _reset_peak()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    seconds = time.perf_counter() - start
    peak = _peak_mb(reset)
    PEAK_MB[0] = max(PEAK_MB[0], peak)
    return Outcome(code, out.getvalue(), err.getvalue(), seconds, peak, tuple(argv))


LAST_FAILURE: list[Outcome] = []  # the latest run judged a failure (for the long run's report)


def verdict(outcome: Outcome, path: Path | None) -> str:
    """``"ok"`` or the failure class: the properties every answer must have."""
    found = _verdict(outcome, path)
    if found != "ok":
        LAST_FAILURE[:] = [outcome]
    return found


def _verdict(outcome: Outcome, path: Path | None) -> str:
    text = outcome.stdout + outcome.stderr
    if "Traceback" in text or "internal error" in text:
        return "traceback"
    if outcome.code not in (0, 1, 2):
        return f"exit-{outcome.code}"
    if outcome.seconds > MAX_SECONDS:
        return "slow"
    if outcome.peak_mb > MAX_PEAK_MB:
        return "memory"
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
    path = folder / SUFFIX.get(kind, "case.yaml")
    path.write_bytes(data)
    first = verdict(run(argv_for(kind, path)), path)
    if first != "ok" or kind not in CASE_KINDS:
        return first
    return check_case_follow_ups(kind, path)


# Inputs that are case files: when validate accepts one, the commands that read it run too.
CASE_KINDS = {"case", "case_structural", "decision_log", "cadence"}
# Few draws: these runs check which inputs are refused, not the Monte Carlo.
ANALYZE_ARGS = ["--draws", "20", "--json"]


def check_case_follow_ups(kind: str, path: Path) -> str:
    """After ``validate`` passed: ``analyze`` must not refuse it (exit 2) or crash, and the
    commands that read the decision log or the cadence must answer cleanly."""
    checked = run(["validate", str(path)])
    if checked.code != 0:
        return "ok"  # refused (its message was judged by the first run)
    analysed = run(["analyze", str(path), *ANALYZE_ARGS])
    if analysed.code == 2:
        return "disagree"
    found = verdict(analysed, path)
    if found != "ok":
        return found
    follow_ups: list[list[str]] = []
    if kind == "decision_log":
        follow_ups = [["actions", str(path), "--json"], _decide_argv(path)]
    elif kind == "cadence":
        follow_ups = [["cadence", str(path), "--ics", str(path.with_suffix(".ics"))]]
    for argv in follow_ups:
        found = verdict(run(argv), path)
        if found != "ok":
            return found
    return "ok"


def _decide_argv(path: Path) -> list[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    options = [o["id"] for o in data.get("options") or [] if isinstance(o, dict) and "id" in o]
    chosen = options[0] if options else "none"
    return ["decide", str(path), "--option", chosen, "--rationale", "fuzz", "--json"]


# A real input per command, so option values reach the code that uses them (without one,
# almost every run stops at "Missing argument").
ARG_INPUTS = {
    "analyze": REPO / "examples" / "growth-vs-margin.yaml",
    "cadence": REPO / "examples" / "growth-vs-margin.yaml",
    "map": REPO / "tests" / "data" / "polis" / "15-per-hour-seattle",
}


def check_args(command: str, args: list[str]) -> str:
    given = ARG_INPUTS.get(command)
    if command == "decide":
        # decide writes to its case: give it a copy.
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / "case.yaml"
            shutil.copyfile(ARG_INPUTS["analyze"], copy)
            return verdict(run(["decide", str(copy), *args]), None)
    return verdict(run([command, *([str(given)] if given else []), *args]), None)


# --- generated inputs: decision logs, cadences, PrefLib headers ---------------------------

_EXAMPLE_CASES = sorted((REPO / "examples").glob("*.yaml"))
_DATES = [
    dt.date(2026, 11, 20),
    dt.date(1, 1, 1),
    dt.date(9899, 12, 31),
    "9999-12-31",
    "10000-01-01",
    "2026-02-30",
    "yesterday",
    20261120,
    None,
]
_IDS = st.one_of(
    st.sampled_from(["d1", "d2", "nope", "", "Bad Id", "a" * 120]),
    st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True),
)
_TEXT = st.one_of(st.sampled_from(["", "ok", "\x00", "\u2028", "a" * 2000]), st.text(max_size=12))


def _example(draw: st.DrawFn) -> dict[str, object]:
    data: dict[str, object] = yaml.safe_load(draw(st.sampled_from(_EXAMPLE_CASES)).read_text())
    return data


def _ids_of(data: dict[str, object], key: str) -> list[str]:
    items = data.get(key) or []
    assert isinstance(items, list)
    return [str(i["id"]) for i in items if isinstance(i, dict) and "id" in i] or ["none"]


@st.composite
def decision_log(draw: st.DrawFn) -> bytes:
    """An example case whose ``decisions`` (and actions naming them) are generated."""
    data = _example(draw)
    options, people = _ids_of(data, "options"), _ids_of(data, "stakeholders")
    known = st.one_of(st.sampled_from(options), _IDS)
    who = st.one_of(st.sampled_from(people), _IDS)
    decisions = []
    for _ in range(draw(st.integers(0, 4))):
        decision: dict[str, object] = {
            "id": draw(_IDS),
            "option": draw(st.one_of(known, st.lists(known, max_size=3))),
            "date": draw(st.sampled_from(_DATES)),
        }
        for key, value in (
            ("accountable", who),
            ("rationale", _TEXT),
            ("review_date", st.sampled_from(_DATES)),
            ("dissent", st.lists(st.fixed_dictionaries({"by": who, "reason": _TEXT}), max_size=2)),
            (
                "assumptions",
                st.lists(
                    st.fixed_dictionaries(
                        {"id": _IDS, "statement": _TEXT, "check_date": st.sampled_from(_DATES)}
                    ),
                    max_size=2,
                ),
            ),
        ):
            if draw(st.booleans()):
                decision[key] = draw(value)
        decisions.append(decision)
    data["decisions"] = decisions
    ids = [d["id"] for d in decisions] or ["none"]
    data["actions"] = [
        {
            "id": f"act-{i}",
            "title": "Do it",
            "owner": draw(who),
            "decision": draw(st.sampled_from(ids)),
        }
        for i in range(draw(st.integers(0, 3)))
    ]
    return _dump(data)


@st.composite
def cadence(draw: st.DrawFn) -> bytes:
    """An example case with a generated review cadence."""
    data = _example(draw)
    every = st.sampled_from([1, 0, -1, 7, 3660, 3661, 3_000_000, 2**31, 1.5, "7", None])
    block: dict[str, object] = {}
    for key, value in (
        ("review_every_days", every),
        ("standup", st.sampled_from(["weekly", "biweekly", "monthly", "none", "daily", 1])),
        ("start", st.sampled_from(_DATES)),
        (
            "checkpoints",
            st.lists(
                st.fixed_dictionaries({"name": _TEXT, "date": st.sampled_from(_DATES)}),
                max_size=4,
            ),
        ),
    ):
        if draw(st.booleans()):
            block[key] = draw(value)
    data["cadence"] = block if draw(st.integers(0, 9)) else draw(st.sampled_from([None, [], "x"]))
    return _dump(data)


def _dump(data: dict[str, object]) -> bytes:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode("utf-8")


_HEADER_NUMBERS = st.sampled_from(
    ["0", "1", "2", "3", "-1", "1000", "1001", "3000000", "1" + "0" * 30, "x", "", "2.5", "1e3"]
)


@st.composite
def preflib_header(draw: st.DrawFn) -> bytes:
    """A PrefLib file whose header counts and names are generated, with a few orders."""
    lines = []
    for key in ("NUMBER ALTERNATIVES", "NUMBER VOTERS", "NUMBER UNIQUE ORDERS"):
        if draw(st.integers(0, 5)):
            lines.append(f"# {key}: {draw(_HEADER_NUMBERS)}")
    for _ in range(draw(st.integers(0, 3))):
        lines.append(f"# ALTERNATIVE NAME {draw(_HEADER_NUMBERS)}: {draw(_TEXT)}")
    if draw(st.booleans()):
        lines.append(f"# TITLE: {draw(_TEXT)}")
    ranking = st.lists(st.sampled_from(["1", "2", "3", "{1,2}", "{2,3}", "4", "0"]), max_size=4)
    for _ in range(draw(st.integers(0, 4))):
        lines.append(f"{draw(_HEADER_NUMBERS)}: {','.join(draw(ranking))}")
    if draw(st.integers(0, 4)) == 0:
        lines = draw(st.permutations(lines))  # headers after orders, names before counts
    return ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")


DECIDE_ARGS = st.lists(
    st.one_of(
        st.sampled_from(
            ["--option", "--rationale", "--date", "--review-date", "--dissent", "--accountable"]
        ),
        st.sampled_from(
            [
                "segment-split",
                "nope",
                "cfo:too costly",
                "nobody:no",
                ":",
                "9999-12-31",
                "9899-12-31",
                "2026-11-20",
                "0001-01-01",
                "-1",
            ]
        ),
        st.text(max_size=6),
    ),
    max_size=8,
)


def generated(kind: str) -> st.SearchStrategy[bytes]:
    """The strategy of inputs of ``kind`` (byte mutations of a seed, or generated text)."""
    if kind in GENERATED:
        return GENERATED[kind]()
    return mutated(kind)


def _structural() -> st.SearchStrategy[bytes]:
    from .case_mutations import mutated_case

    return mutated_case().map(lambda pair: pair[1].encode("utf-8"))


GENERATED = {
    "case_structural": _structural,
    "decision_log": decision_log,
    "cadence": cadence,
    "preflib_header": preflib_header,
}
SUFFIX.update({"preflib_header": "header.soi"})
KINDS = sorted([*SEEDS, *GENERATED])


__all__ = [
    "ARG_INPUTS",
    "CLI_ARGS",
    "DECIDE_ARGS",
    "KINDS",
    "PEAK_MB",
    "RUNS",
    "SEEDS",
    "check_args",
    "check_input",
    "generated",
    "math",
    "mutated",
]
