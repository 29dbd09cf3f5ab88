"""Bounded, seeded fuzzing of every input kind through the CLI (part of ``make test``)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings

from .harness import CLI_ARGS, DECIDE_ARGS, GENERATED, SEEDS, check_args, check_input, generated

BOUNDED = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# Generated kinds run more commands per input (validate, analyze, actions, decide, cadence).
FEWER = settings(BOUNDED, max_examples=10)


@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_mutated_input_answered_cleanly(kind: str) -> None:
    @seed(19)
    @BOUNDED
    @given(data=generated(kind))
    def one(data: bytes) -> None:
        with tempfile.TemporaryDirectory() as folder:
            assert check_input(kind, data, Path(folder)) == "ok", data[:200]

    one()


@pytest.mark.parametrize("kind", sorted(GENERATED))
def test_generated_input_answered_cleanly(kind: str) -> None:
    @seed(19)
    @FEWER
    @given(data=generated(kind))
    def one(data: bytes) -> None:
        with tempfile.TemporaryDirectory() as folder:
            assert check_input(kind, data, Path(folder)) == "ok", data[:200]

    one()


@pytest.mark.parametrize("command", ["analyze", "vote", "cadence", "validate", "map"])
def test_hostile_cli_args_answered_cleanly(command: str) -> None:
    @seed(19)
    @BOUNDED
    @given(args=CLI_ARGS)
    def one(args: list[str]) -> None:
        assert check_args(command, args) == "ok", args

    one()


def test_hostile_decide_args_answered_cleanly() -> None:
    @seed(19)
    @FEWER
    @given(args=DECIDE_ARGS)
    def one(args: list[str]) -> None:
        assert check_args("decide", args) == "ok", args

    one()


def test_verdict_catches_each_failure_class(tmp_path: Path) -> None:
    from .harness import Outcome, verdict

    where = tmp_path / "case.yaml"
    assert verdict(Outcome(70, "", "accord: internal error: KeyError", 0.1), where) == "traceback"
    assert verdict(Outcome(3, "", "", 0.1), where) == "exit-3"
    assert verdict(Outcome(0, "", "", 30.0), where) == "slow"
    assert verdict(Outcome(2, "", "bad value at line 3", 0.1), where) == "unlocated"
    assert verdict(Outcome(0, '{"score": NaN}', "", 0.1), where) == "bad-json"
    assert verdict(Outcome(0, "", "", 0.1, peak_mb=1500.0), where) == "memory"
    assert verdict(Outcome(0, "", "", 0.1, peak_mb=900.0), where) == "ok"
    assert verdict(Outcome(2, "", f"{where}:3:1: name: missing", 0.1), where) == "ok"


def test_peak_memory_of_a_run_is_measured(monkeypatch: pytest.MonkeyPatch) -> None:
    from . import harness

    # A run that holds 300 MB for a moment: its peak is seen though it is freed at once.
    light = harness.run(["--version"])
    real = harness.main

    def hungry(argv: list[str] | None = None) -> int:
        block = bytearray(300 * 1024 * 1024)
        block[::4096] = b"x" * len(block[::4096])  # touch every page so it is resident
        del block
        return real(argv)

    monkeypatch.setattr(harness, "main", hungry)
    heavy = harness.run(["--version"])
    assert heavy.peak_mb - light.peak_mb > 250


def test_memory_the_process_already_holds_is_not_charged_to_a_run() -> None:
    # The runs are in-process; a whole test session holds over a gigabyte before the fuzz
    # tests start, which must not make every light run a "memory" failure.
    from . import harness

    held = bytearray(400 * 1024 * 1024)
    held[::4096] = b"x" * len(held[::4096])
    try:
        assert harness.run(["--version"]).peak_mb < 200
    finally:
        del held


def test_validated_case_that_analyze_refuses_is_a_disagreement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from . import harness

    real = harness.run

    def refusing_analyze(argv: list[str]) -> harness.Outcome:
        if argv[0] == "analyze":
            return harness.Outcome(2, "", f"{argv[1]}: cannot analyse", 0.1)
        return real(argv)

    monkeypatch.setattr(harness, "run", refusing_analyze)
    data = (harness.REPO / "examples" / "growth-vs-margin.yaml").read_bytes()
    assert check_input("case", data, tmp_path) == "disagree"
