"""``accord report CASE -o OUT``: format by extension, --json, clear errors, same bytes twice."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from accord.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "growth-vs-margin.yaml"


def test_report_html_json_names_output_format_and_size(tmp_path: Path, capsys) -> None:
    out = tmp_path / "report.html"
    assert main(["report", str(EXAMPLE), "-o", str(out), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == {"output": str(out), "format": "html", "bytes": out.stat().st_size}
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not list(tmp_path.glob(".*.partial"))


def test_report_markdown_by_extension(tmp_path: Path, capsys) -> None:
    out = tmp_path / "report.md"
    assert main(["report", str(EXAMPLE), "--output", str(out)]) == 0
    assert f"wrote {out} (md," in capsys.readouterr().out
    assert out.read_text(encoding="utf-8").startswith("# FY27 pricing and go-to-market plan")


def test_report_unknown_extension_exits_2_before_analysis(tmp_path: Path, capsys) -> None:
    assert main(["report", str(EXAMPLE), "-o", str(tmp_path / "report.docx"), "--json"]) == 2
    error = json.loads(capsys.readouterr().out)
    assert error["error"] == "invalid_input"
    assert error["message"] == (
        "cannot tell the report format from 'report.docx' "
        "(expected a file ending in .html, .md or .pdf)"
    )


def test_report_missing_folder_exits_2(tmp_path: Path, capsys) -> None:
    out = tmp_path / "nowhere" / "report.html"
    assert main(["report", str(EXAMPLE), "-o", str(out)]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_report_missing_case_exits_2_without_traceback(tmp_path: Path, capsys) -> None:
    code = main(["report", str(tmp_path / "absent.yaml"), "-o", str(tmp_path / "r.html")])
    assert code == 2
    assert "Traceback" not in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()


def test_report_cold_cli_is_byte_identical_twice(tmp_path: Path) -> None:
    outputs = []
    for name in ("a.html", "b.html"):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "accord.cli",
                "report",
                str(EXAMPLE),
                "-o",
                str(tmp_path / name),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]


def test_report_pdf_writes_pdf(tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    out = tmp_path / "report.pdf"
    assert main(["report", str(EXAMPLE), "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-")
