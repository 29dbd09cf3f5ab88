"""Bounded, seeded fuzzing of every input kind through the CLI (part of ``make test``)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings

from .harness import CLI_ARGS, SEEDS, check_args, check_input, mutated

BOUNDED = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_mutated_input_answered_cleanly(kind: str) -> None:
    @seed(19)
    @BOUNDED
    @given(data=mutated(kind))
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


def test_verdict_catches_each_failure_class(tmp_path: Path) -> None:
    from .harness import Outcome, verdict

    where = tmp_path / "case.yaml"
    assert verdict(Outcome(70, "", "accord: internal error: KeyError", 0.1), where) == "traceback"
    assert verdict(Outcome(3, "", "", 0.1), where) == "exit-3"
    assert verdict(Outcome(0, "", "", 30.0), where) == "slow"
    assert verdict(Outcome(2, "", "bad value at line 3", 0.1), where) == "unlocated"
    assert verdict(Outcome(0, '{"score": NaN}', "", 0.1), where) == "bad-json"
    assert verdict(Outcome(2, "", f"{where}:3:1: name: missing", 0.1), where) == "ok"
