"""accord: stakeholder alignment, case files as code.

The public API is imported lazily so that ``accord --help`` and ``accord validate``
start fast (numpy and scipy load only when analysis runs).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# name -> module that defines it
_PUBLIC = {
    "load_case": "accord.io.case_file",
    "save_case": "accord.io.case_file",
    "analyze": "accord.analysis.analyze",
    "read_preflib": "accord.io.preflib",
    "vote": "accord.analysis.voting",
    "read_polis": "accord.io.polis",
    "opinion_map": "accord.analysis.opinion",
    "AccordError": "accord.errors",
    "InputError": "accord.errors",
}

__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'accord' has no attribute {name!r}")
    return getattr(import_module(module), name)
