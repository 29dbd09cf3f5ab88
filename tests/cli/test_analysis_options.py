"""The CLI's analysis options and AnalysisSettings agree on their defaults."""

from __future__ import annotations

from pathlib import Path

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


def test_analysis_time_input_error_names_the_case(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # validate is meant to catch everything first; an error that slips through still
    # says which file it is about (exit 2 with the path, never a bare sentence).
    import accord.analysis.analyze as analysis

    path = tmp_path / "case.yaml"
    path.write_text("accord: 1\nid: c\ntitle: T\nquestion: Q?\n", encoding="utf-8")

    def refuse(*_: object, **__: object) -> None:
        raise InputError("utilities must be finite numbers")

    monkeypatch.setattr(analysis, "analyze", refuse)
    with pytest.raises(InputError) as caught:
        options.analysis_of(
            path, seed=0, draws=0, normalization="minmax", today=None, embeddings=None
        )
    assert [str(p) for p in caught.value.problems] == [
        f"{path}: cannot analyse: utilities must be finite numbers"
    ]
