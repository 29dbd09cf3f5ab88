"""Reading an input file with a size bound, with the one error wording every reader uses.

Every reader goes through :func:`read_bounded`: it reads at most ``limit + 1`` bytes from
the stream rather than trusting the size the file system reports, so ``/dev/zero``, a
named pipe or a file that grows while it is read is refused instead of exhausting memory.
"""

from __future__ import annotations

from pathlib import Path

from accord.errors import CaseFileError, Location, Problem

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


_BOM = b"\xef\xbb\xbf"


def decode_located(data: bytes, where: str, what: str, *, encoding: str = "utf-8") -> str:
    """The text of ``data``, or a ``CaseFileError`` at ``file:line:col`` of the first bad byte.

    ``utf-8-sig`` drops a leading byte-order mark; positions still count from the file's
    first byte (the codec's own offsets start after the mark).
    """
    skip = len(_BOM) if encoding.lower() == "utf-8-sig" and data.startswith(_BOM) else 0
    codec = "utf-8" if encoding.lower() == "utf-8-sig" else encoding
    try:
        return data[skip:].decode(codec)
    except UnicodeDecodeError as error:
        start = error.start + skip
        before = data[:start]
        line = before.count(b"\n") + 1
        # Columns count characters, as every other message does; the line so far is valid.
        head = before[before.rfind(b"\n") + 1 :]
        column = len(head.decode(codec, "replace")) + 1 - (1 if line == 1 and skip else 0)
        message = (
            f"not valid {codec.upper()} in {what} (byte 0x{data[start]:02x}; save the file as "
            f"{codec.upper()})"
        )
        problem = Problem(message, Location(where, line, column))
        raise CaseFileError(f"{where}: {message}", problems=[problem]) from None


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
