"""The Python API raises accord's own errors for unusable paths, never bare ValueError."""

from __future__ import annotations

import pytest

import accord
from accord.errors import CaseFileError


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("a\0b.yaml", r"a\\x00b.yaml: not a usable file name \(embedded null byte\)"),
        (b"case.yaml", r"b'case.yaml': not a usable file name \(expected a str or Path\)"),
        (None, r"None: not a usable file name \(expected a str or Path\)"),
    ],
)
def test_load_case_bad_path_raises_accord_error(path: object, message: str) -> None:
    with pytest.raises(CaseFileError, match=message):
        accord.load_case(path)  # type: ignore[arg-type]
