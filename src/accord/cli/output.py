"""Output helpers shared by CLI commands: JSON printing and error rendering."""

from __future__ import annotations

import json
import sys
from typing import Any

from accord.errors import AccordError


def emit_json(payload: Any) -> None:
    """Print ``payload`` as stable, human-diffable JSON on stdout."""
    sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=False) + "\n")


def print_error(error: AccordError, *, as_json: bool = False) -> None:
    """Render an accord error: the JSON error shape on stdout, or located lines on stderr."""
    if as_json:
        emit_json(error.to_dict())
        return
    if error.problems:
        for problem in error.problems:
            print(str(problem), file=sys.stderr)
        if len(error.problems) > 1 or error.message not in str(error.problems[0]):
            print(f"accord: {error.message}", file=sys.stderr)
    else:
        print(f"accord: {error.message}", file=sys.stderr)
