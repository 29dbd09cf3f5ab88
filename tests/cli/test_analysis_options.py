"""The CLI's analysis options and AnalysisSettings agree on their defaults."""

from __future__ import annotations

from accord.analysis.analyze import AnalysisSettings
from accord.cli import analysis_options as options


def test_cli_defaults_match_analysis_settings() -> None:
    settings = AnalysisSettings()
    assert options.SEED.default == settings.seed
    assert options.DRAWS.default == settings.draws
    assert options.NORMALIZATION.default == settings.normalization
    assert options.TODAY.default is None and settings.today is None
