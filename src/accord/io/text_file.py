"""Reading an input file with a size bound, with the one error wording every reader uses.

Every reader goes through :func:`read_bounded`: it reads at most ``limit + 1`` bytes from
the stream rather than trusting the size the file system reports, so ``/dev/zero``, a
named pipe or a file that grows while it is read is refused instead of exhausting memory.
"""

from __future__ import annotations

from pathlib import Path

from accord.errors import CaseFileError

MAX_INPUT_BYTES = 64 * 1024 * 1024
"""Largest input file any reader accepts (64 MB, 1 MB = 2**20 bytes); see docs/limits.md."""


def read_bounded(path: str | Path, what: str, *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The file's bytes, refused with the limit in the message once more than ``limit`` arrive.

    >>> try:
    ...     read_bounded("/dev/zero", "case", limit=10)
    ... except CaseFileError as error:
    ...     print(error)
    /dev/zero: file too large: more than 10 bytes (a case file may be at most 10 bytes)
    """
    if not isinstance(path, str | Path):
        # The API is typed str | Path; anything else is the caller's mistake, said plainly.
        raise CaseFileError(f"{path!r}: not a usable file name (expected a str or Path)")
    where = str(path)
    if "\0" in where:
        # open() would raise a bare ValueError; shown escaped so the terminal sees no NUL.
        shown = where.replace("\0", "\\x00")
        raise CaseFileError(f"{shown}: not a usable file name (embedded null byte)")
    try:
        with Path(path).open("rb") as stream:
            data = stream.read(limit + 1)
    except FileNotFoundError:
        raise CaseFileError(f"{where}: no such {what} file") from None
    except IsADirectoryError:
        raise CaseFileError(f"{where}: is a directory, not a {what} file") from None
    except OSError as error:
        raise CaseFileError(
            f"{where}: cannot read {what} file: {error.strerror or error}"
        ) from None
    if len(data) > limit:
        raise CaseFileError(
            f"{where}: file too large: more than {_size(limit)} "
            f"(a {what} file may be at most {_size(limit)})"
        )
    return data


def decode_located(data: bytes, where: str, what: str, *, encoding: str = "utf-8") -> str:
    """The text of ``data``, or a ``CaseFileError`` at ``file:line:col`` of the first bad byte."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        raise CaseFileError(
            f"{where}:{line}:{column}: not valid {encoding.upper()} in {what} "
            f"(byte 0x{data[error.start]:02x}; save the file as UTF-8)"
        ) from None


def read_text(
    path: str | Path, what: str, *, encoding: str = "utf-8", limit: int = MAX_INPUT_BYTES
) -> str:
    """The file's text, or a ``CaseFileError`` naming the file and what was expected.

    >>> read_text("no/such/file.toi", "PrefLib")
    Traceback (most recent call last):
    accord.errors.CaseFileError: no/such/file.toi: no such PrefLib file
    """
    data = read_bounded(path, what, limit=limit)
    return decode_located(data, str(path), f"{what} file", encoding=encoding)


def _size(limit: int) -> str:
    if limit >= 1024 * 1024 and limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MB"
    return f"{limit} bytes"
