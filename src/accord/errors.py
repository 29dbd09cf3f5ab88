"""One error hierarchy for accord, turned into output in exactly two places.

The CLI (``accord.cli``) and the web app each have one handler that renders an
:class:`AccordError`; the domain layers raise these and never call ``sys.exit`` or
raise HTTP exceptions.  Every error can carry located :class:`Problem` items so a
user sees ``path:line:col: field.path: what is wrong (what was expected)``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, a 1-based line and column, and a field path."""

    path: str | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.path is not None:
            where = self.path
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            parts.append(where)
        if self.field:
            parts.append(self.field)
        return ": ".join(parts)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, with its location."""

    message: str
    location: Location = Location()

    def __str__(self) -> str:
        where = str(self.location)
        return f"{where}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.location.path,
            "line": self.location.line,
            "column": self.location.column,
            "field": self.location.field,
            "message": self.message,
        }


class AccordError(Exception):
    """Base of every error accord raises on purpose.

    ``exit_code`` is what the CLI exits with; ``http_status`` what the web app answers;
    ``kind`` is the stable machine-readable name used in the JSON error shape.
    """

    exit_code: ClassVar[int] = 2
    http_status: ClassVar[int] = 400
    kind: ClassVar[str] = "error"

    def __init__(self, message: str, *, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems: tuple[Problem, ...] = tuple(problems)

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return "\n".join(str(p) for p in self.problems)

    def to_dict(self) -> dict[str, Any]:
        """The one JSON error shape used by the CLI's ``--json`` and the web API."""
        return {
            "error": self.kind,
            "message": self.message,
            "problems": [p.to_dict() for p in self.problems],
        }


class InputError(AccordError):
    """Bad input: a file that does not parse or validate, or a bad argument."""

    kind = "invalid_input"

    @classmethod
    def from_problems(cls, problems: Sequence[Problem], summary: str = "") -> InputError:
        n = len(problems)
        message = summary or (f"{n} problem" + ("s" if n != 1 else "") + " found")
        return cls(message, problems=problems)


class CaseFileError(InputError):
    """A case, plan or ballot file that cannot be read or is not valid."""

    kind = "invalid_file"


class NotFoundError(AccordError):
    """A named thing (file, case, option, rule) does not exist."""

    http_status = 404
    kind = "not_found"


class ConflictError(AccordError):
    """The request conflicts with the current state (e.g. a closed workshop phase)."""

    http_status = 409
    kind = "conflict"


class ForbiddenError(AccordError):
    """The principal may not do this (revoked token, wrong role, wrong workshop)."""

    http_status = 403
    kind = "forbidden"


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest choice, or ``""``.

    >>> did_you_mean("stakholders", ["stakeholders", "criteria"])
    " (did you mean 'stakeholders'?)"
    """
    matches = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""
