"""Plan files (``kind: plan``): load them with the shared located loader.

:func:`load_plan` is what ``accord validate`` calls; :func:`load_plan_located` also
returns a function that maps a finding's field path (``objectives[0].key_results[1]``)
to its line and column, so ``accord plan check`` can say where each finding is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from accord.io import loader
from accord.io.text_file import read_bounded
from accord.model.plan import Plan

Locator = Callable[[str], tuple[int, int] | None]


def load_plan(path: Path | str) -> Plan:
    """Read and validate a plan file; a located ``CaseFileError`` lists every problem."""
    return loader.load_model(path, Plan, kind="plan")


def parse_plan(text: str | bytes, path: str = "<string>") -> Plan:
    """Validate plan text; ``path`` names it in messages (``.json`` selects JSON)."""
    return loader.parse_model(text, Plan, path=path)


def load_plan_located(path: Path | str) -> tuple[Plan, Locator]:
    """The plan and a locator: field path -> (line, column) of the closest known value."""
    where = str(path)
    data = read_bounded(path, "plan", limit=loader.MAX_FILE_BYTES)
    # The loader's position map is not public yet; validate_data with its document keeps
    # one read of the file and one set of located error messages.
    raw, doc = loader._read(data, path=where, json_format=None)
    loader._raise_if(doc)
    plan = loader.validate_data(raw, Plan, doc)

    def locate(field: str) -> tuple[int, int] | None:
        return doc.position(_field_path(field))

    return plan, locate


def _field_path(field: str) -> tuple[str | int, ...]:
    """``"objectives[0].key_results"`` -> ``("objectives", 0, "key_results")``."""
    parts: list[str | int] = []
    for name, index in re.findall(r"([A-Za-z_][\w-]*)|\[(\d+)\]", field):
        parts.append(int(index) if index else name)
    return tuple(parts)
