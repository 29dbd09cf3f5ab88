"""Reading a text input file, with the one error wording every reader uses."""

from __future__ import annotations

from pathlib import Path

from accord.errors import CaseFileError


def read_text(path: str | Path, what: str, *, encoding: str = "utf-8") -> str:
    """The file's text, or a ``CaseFileError`` naming the file and what was expected.

    >>> read_text("no/such/file.toi", "PrefLib file")
    Traceback (most recent call last):
    accord.errors.CaseFileError: no/such/file.toi: no such file
    """
    where = str(path)
    try:
        return Path(path).read_text(encoding=encoding)
    except FileNotFoundError:
        raise CaseFileError(f"{where}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CaseFileError(f"{where}: cannot read {what} ({error})") from None
