"""accord: stakeholder alignment, case files as code.

The public API is imported lazily so that ``accord --help`` and ``accord validate``
start fast (numpy and scipy load only when analysis runs).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # real types for mypy and editors; at run time each loads on first use
    from accord.analysis.analyze import analyze as analyze
    from accord.analysis.opinion import opinion_map as opinion_map
    from accord.analysis.sections import Analysis as Analysis
    from accord.analysis.settings import AnalysisSettings as AnalysisSettings
    from accord.analysis.voting import vote as vote
    from accord.errors import AccordError as AccordError
    from accord.errors import InputError as InputError
    from accord.io.case_file import load_case as load_case
    from accord.io.case_file import save_case as save_case
    from accord.io.polis import read_polis as read_polis
    from accord.io.preflib import read_preflib as read_preflib
    from accord.model.ballots import Profile as Profile
    from accord.model.case import Case as Case
    from accord.model.statements import StatementVotes as StatementVotes
    from accord.report import render as render_report  # noqa: F401  (in __all__)

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
    "Analysis": "accord.analysis.sections",
    "AnalysisSettings": "accord.analysis.settings",
    "Case": "accord.model.case",
    "Profile": "accord.model.ballots",
    "StatementVotes": "accord.model.statements",
    "render_report": "accord.report",
}
# Public names whose attribute in their module is spelled differently.
_RENAMED = {"render_report": "render"}

__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'accord' has no attribute {name!r}")
    return getattr(import_module(module), _RENAMED.get(name, name))
