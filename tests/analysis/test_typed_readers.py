"""The typed contract is what keeps readers honest: mypy --strict refuses a misread field.

The last round's report guessed keys of an untyped dict and every test passed; with the
frozen section objects a reader that names a field the analysis does not have fails type
checking.  This runs mypy on two small readers: the right one passes, the wrong one fails
with the field named.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

READER = """
from accord.analysis.sections import Analysis


def headline(analysis: Analysis) -> str:
    rec = analysis.choice.recommendation if analysis.choice else None
    return rec.{field} if rec else ""
"""


def _mypy(tmp_path: Path, field: str) -> tuple[str, int]:
    api = pytest.importorskip("mypy.api")
    module = tmp_path / "reader.py"
    module.write_text(textwrap.dedent(READER.format(field=field)), encoding="utf-8")
    out, err, status = api.run(
        ["--strict", "--no-incremental", "--config-file", str(ROOT / "pyproject.toml"), str(module)]
    )
    return out + err, status


def test_a_misread_field_fails_type_checking(tmp_path: Path) -> None:
    out, status = _mypy(tmp_path, "explanation")  # the pre-contract name of the sentence
    assert status != 0
    assert '"Recommendation" has no attribute "explanation"' in out


def test_the_right_field_passes(tmp_path: Path) -> None:
    out, status = _mypy(tmp_path, "sentence")
    assert status == 0, out


def test_the_public_api_carries_real_types(tmp_path: Path) -> None:
    api = pytest.importorskip("mypy.api")
    module = tmp_path / "user.py"
    module.write_text(
        "import accord\n\n\n"
        "def owner(analysis: accord.Analysis) -> str:\n"
        "    return analysis.case.decision_owner.nam if analysis.case.decision_owner else ''\n",
        encoding="utf-8",
    )
    out, err, status = api.run(["--strict", "--no-incremental", str(module)])
    assert status != 0 and '"Person" has no attribute "nam"' in out + err
    import accord

    for name in ("Analysis", "AnalysisSettings", "Case", "Profile", "StatementVotes"):
        assert getattr(accord, name).__name__ == name
    assert callable(accord.render_report)
