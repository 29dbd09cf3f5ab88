from __future__ import annotations

import subprocess
import sys

from accord import __version__
from accord.cli import main


def test_version_prints_package_version(capsys) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"accord {__version__}"


def test_unknown_command_exits_2_without_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "accord.cli", "no-such-command"], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
