"""AnalysisSettings refuses values the engine cannot use, at construction."""

from __future__ import annotations

import pytest

from accord.analysis.settings import MAX_DRAWS, MAX_SEED, AnalysisSettings
from accord.cli import analysis_options
from accord.errors import InputError


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"draws": -1}, r"draws: -1 is out of range \(expected 0\.\.1000000"),
        ({"draws": MAX_DRAWS + 1}, "draws: 1000001 is out of range"),
        ({"seed": -1}, r"seed: -1 is out of range \(expected 0\.\.4294967295\)"),
        ({"seed": 2**64}, "seed: .* is out of range"),
        ({"draws": 1.5}, "draws: must be an integer"),
        ({"seed": True}, "seed: must be an integer"),
        ({"distribution": "normal"}, "distribution: 'normal' is not known"),
    ],
)
def test_out_of_range_settings_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        AnalysisSettings(**kwargs)  # type: ignore[arg-type]


def test_bounds_accepted() -> None:
    AnalysisSettings(seed=0, draws=0)
    AnalysisSettings(seed=MAX_SEED, draws=MAX_DRAWS)


def test_cli_bounds_match_settings() -> None:
    assert analysis_options.MAX_SEED == MAX_SEED
    assert analysis_options.MAX_DRAWS == MAX_DRAWS


def test_election_with_no_alternatives_refused() -> None:
    from accord.model.ballots import Profile

    with pytest.raises(InputError, match="no candidates"):
        Profile.from_rankings([], {})
