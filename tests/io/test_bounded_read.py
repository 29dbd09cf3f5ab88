"""Input files are read with a size bound, never trusting the size the file system reports."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from accord.errors import CaseFileError
from accord.io.loader import MAX_FILE_BYTES, load_model
from accord.io.plan_file import load_plan
from accord.io.preflib import read_preflib
from accord.io.text_file import read_bounded, read_text
from accord.model.case import Case


def test_dev_zero_refused_with_the_limit() -> None:
    # /dev/zero reports size 0; an unbounded read never returns.
    with pytest.raises(CaseFileError, match=r"/dev/zero: file too large: more than 5 MB"):
        load_model("/dev/zero", Case)


def test_dev_zero_refused_as_plan_and_preflib() -> None:
    with pytest.raises(CaseFileError, match="file too large"):
        load_plan("/dev/zero")
    with pytest.raises(CaseFileError, match="may be at most 64 MB"):
        read_preflib("/dev/zero")


def test_pipe_larger_than_limit_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)

    def feed() -> None:
        with fifo.open("wb") as stream:
            try:
                stream.write(b"#" * (MAX_FILE_BYTES + 10))
            except BrokenPipeError:
                pass

    writer = threading.Thread(target=feed)
    writer.start()
    with pytest.raises(CaseFileError, match="file too large"):
        load_model(fifo, Case)
    writer.join(timeout=10)


def test_file_at_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "f.toi"
    path.write_bytes(b"x" * 100)
    assert len(read_bounded(path, "PrefLib", limit=100)) == 100
    with pytest.raises(CaseFileError, match="more than 99 bytes"):
        read_bounded(path, "PrefLib", limit=99)


def test_non_utf8_located_at_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "votes.toi"
    path.write_bytes(b"# FILE: x\nab\xffc\n")
    with pytest.raises(CaseFileError, match=r"votes.toi:2:3: not valid UTF-8 .*0xff"):
        read_text(path, "PrefLib")


def test_validate_dev_zero_answers_with_the_limit(capsys: pytest.CaptureFixture[str]) -> None:
    from accord.cli import main

    # sniffing the document kind used readline(), which never returns on /dev/zero
    assert main(["validate", "/dev/zero"]) == 2
    assert "/dev/zero: file too large" in capsys.readouterr().err
