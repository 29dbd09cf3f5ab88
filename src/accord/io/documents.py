"""Which loader reads which kind of file: a document's ``kind`` key picks it.

A case file has no ``kind`` (or ``kind: case``); a plan file says ``kind: plan``.  Loaders are
imported only when a file of that kind is met, so ``accord validate`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Any

import yaml

from accord.errors import CaseFileError, Location, Problem, did_you_mean

# kind -> "module:function" taking a path and returning a validated model.
LOADERS: dict[str, str] = {
    "case": "accord.io.case_file:load_case",
    "plan": "accord.io.plan_file:load_plan",
}

_KIND_LINE_LIMIT = 200
_KIND_HEAD_BYTES = 64 * 1024


def sniff_kind(path: Path) -> str:
    """The ``kind`` a file declares at its top level (``case`` when it declares none).

    Only the first lines are scanned, so huge or broken files reach the full loader, which
    reports them properly.
    """
    return sniff_kind_at(path)[0]


def sniff_kind_at(path: Path) -> tuple[str, tuple[int, int] | None]:
    """The declared ``kind`` and the 1-based line and column of its value (None: no key)."""
    try:
        with path.open("rb") as handle:
            # A bounded read: readline() on /dev/zero or a newline-free file never returns.
            head = handle.read(_KIND_HEAD_BYTES).splitlines()[:_KIND_LINE_LIMIT]
    except OSError:
        return "case", None
    for number, raw in enumerate(head, 1):
        line = raw.decode("utf-8", "replace").rstrip()
        if line.startswith("kind:"):
            rest = line[len("kind:") :]
            try:
                value = yaml.safe_load(rest)
            except yaml.YAMLError:
                return "case", None
            return str(value), (number, len(line) - len(rest.lstrip()) + 1)
        stripped = line.lstrip()
        if stripped.startswith(('"kind"', "'kind'")) and path.suffix.lower() == ".json":
            rest = stripped.split(":", 1)[-1]
            value = rest.strip().rstrip(",").strip('"')
            return value, (number, len(line) - len(rest.lstrip()) + 1)
    return "case", None


def loader_for(kind: str, path: str, at: tuple[int, int] | None = None) -> Callable[[Path], Any]:
    """The load function for ``kind``; a located ``CaseFileError`` when there is none.

    ``at`` is where the file declares the kind (line, column), for the message.
    """
    target = LOADERS.get(kind)
    if target is None:
        message = f"unknown document kind '{kind}'{did_you_mean(kind, LOADERS)}"
        message += f" (expected one of {', '.join(LOADERS)})"
        line, column = at if at is not None else (None, None)
        where = Location(path, line, column, field="kind")
        raise CaseFileError(f"{path}: 1 problem found", problems=[Problem(message, where)])
    module_name, _, function = target.partition(":")
    try:
        module = import_module(module_name)
    except ModuleNotFoundError as missing:
        if missing.name != module_name:
            raise
        message = f"this accord cannot read '{kind}' files yet ({module_name} is not installed)"
        raise CaseFileError(message, problems=[Problem(message, Location(path))]) from None
    loader: Callable[[Path], Any] = getattr(module, function)
    return loader


def load_document(path: Path) -> tuple[str, Any]:
    """Load any accord document; returns its kind and the validated model."""
    kind, at = sniff_kind_at(path)
    return kind, loader_for(kind, str(path), at)(path)
