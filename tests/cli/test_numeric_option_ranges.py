"""Every numeric command-line option is range-checked before any work, with the range in
``--help``; the Python API refuses the same values."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from accord.analysis.opinion import MAX_BASE_K, MAX_RESTARTS, opinion_map
from accord.cli import main
from accord.errors import InputError
from accord.model.statements import Statement, StatementVotes

SEATTLE = Path(__file__).resolve().parent.parent / "data" / "polis" / "15-per-hour-seattle"


@pytest.mark.parametrize(
    "argv",
    [
        ["--restarts", str(MAX_RESTARTS + 1)],
        ["--restarts", "300000"],
        ["--seed", "-1"],
        ["--seed", str(2**32)],
        ["--min-votes", "0"],
        ["--min-votes", str(10**30)],
    ],
)
def test_map_out_of_range_options_refused(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["map", str(SEATTLE), *argv]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "Invalid value for" in err


def test_map_help_states_ranges(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["map", "--help"]) == 0
    text = re.sub(r"\s+", " ", capsys.readouterr().out)
    assert f"1..{MAX_RESTARTS}" in text
    assert "0..4294967295" in text


def test_serve_port_range_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", "70000"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def _votes() -> StatementVotes:
    statements = [Statement(str(j)) for j in range(3)]
    return StatementVotes.from_mapping(
        statements, {f"p{i}": {"0": 1, "1": -1, "2": 1} for i in range(4)}
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"base_k": 10**6}, rf"base_k: 1000000 is out of range \(expected 2\.\.{MAX_BASE_K}\)"),
        ({"restarts": MAX_RESTARTS + 1}, "restarts: .* is out of range"),
        ({"seed": -1}, r"seed: -1 is out of range \(expected 0\.\.4294967295\)"),
        ({"max_k": 0}, "max_k: 0 is out of range"),
    ],
)
def test_opinion_map_api_refuses_out_of_range(kwargs: dict[str, int], message: str) -> None:
    with pytest.raises(InputError, match=message):
        opinion_map(_votes(), **kwargs)  # type: ignore[arg-type]


def test_cli_limits_match_api() -> None:
    from accord.analysis import opinion, settings
    from accord.cli import opinion as cli_opinion

    assert cli_opinion.MAX_SEED == settings.MAX_SEED
    assert cli_opinion.MAX_RESTARTS == opinion.MAX_RESTARTS
    assert cli_opinion.MAX_MIN_VOTES == opinion.MAX_MIN_VOTES
