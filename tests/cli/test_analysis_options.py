"""The CLI's analysis options and AnalysisSettings agree on their defaults."""

from __future__ import annotations

import pytest

from accord.analysis.settings import AnalysisSettings
from accord.cli import analysis_options as options
from accord.errors import InputError


def test_cli_defaults_match_analysis_settings() -> None:
    settings = AnalysisSettings()
    assert options.SEED.default == settings.seed
    assert options.DRAWS.default == settings.draws
    assert options.NORMALIZATION.default == settings.normalization
    assert options.TODAY.default is None and settings.today is None


def test_unknown_normalization_option_is_an_input_error() -> None:
    with pytest.raises(InputError, match="did you mean 'minmax'"):
        options.settings_from_options(seed=0, draws=0, normalization="minmaxx", today=None)
