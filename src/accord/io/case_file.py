"""Case files: load, parse and save a :class:`~accord.model.case.Case` (YAML or JSON)."""

from __future__ import annotations

from pathlib import Path

from accord.io.loader import dump_model, load_model, parse_model
from accord.model.case import Case


def load_case(path: Path | str) -> Case:
    """Read and validate a case file; a located ``CaseFileError`` lists every problem."""
    return load_model(path, Case, kind="case")


def parse_case(text: str | bytes, path: str = "<string>") -> Case:
    """Validate case text; ``path`` names it in messages (``.json`` selects JSON)."""
    return parse_model(text, Case, path=path)


def save_case(case: Case, path: Path | str) -> None:
    """Write ``case`` as YAML, or JSON when ``path`` ends in ``.json``."""
    dump_model(case, path)
