"""The wheel installs into a fresh virtual environment and gives a working ``accord``:
``--version``, ``python -m accord``, ``analyze`` on an example, ``serve --demo`` answering
/healthz and the sign-in page.

Offline: the wheel is built from the machine's local package index (the one ``make dev``
reads), and installed with ``--no-index --no-deps``; its dependencies come from this test's
own environment through a ``.pth`` line (their own ``.pth`` files, such as the editable
install of accord, are not read from there), so the ``accord`` that runs is the wheel's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import time
import venv
from pathlib import Path

import httpx
import pytest
from tests.web.conftest import EXAMPLES, free_port

ROOT = Path(__file__).resolve().parents[1]
LOCAL_INDEX = Path("/opt/pypi/simple")

pytestmark = pytest.mark.slow


def _run(*args: str | Path, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (LOCAL_INDEX / "setuptools").is_dir():
        pytest.skip(f"no local package index at {LOCAL_INDEX} to build the wheel offline")
    folder = tmp_path_factory.mktemp("install")
    built = _run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", folder / "dist",
        "--index-url", LOCAL_INDEX.as_uri(), ROOT, cwd=folder,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    wheel = next((folder / "dist").glob("accord-*.whl"))
    env_dir = folder / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    done = _run(python, "-m", "pip", "install", "-q", "--no-index", "--no-deps", wheel, cwd=folder)
    assert done.returncode == 0, done.stderr
    site = _run(
        python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=folder
    )
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(site.stdout.strip()) / "accord-test-dependencies.pth").write_text("\n".join(ours) + "\n")
    return env_dir


def test_installed_accord_runs_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    accord = installed / "bin" / "accord"
    version = _run(accord, "--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.strip() == "accord 0.1.0", version
    module = _run(installed / "bin" / "python", "-m", "accord", "--version", cwd=tmp_path)
    assert module.stdout.strip() == "accord 0.1.0", module
    where = _run(
        installed / "bin" / "python", "-c", "import accord; print(accord.__file__)", cwd=tmp_path
    )
    assert where.stdout.strip().startswith(str(installed)), where.stdout


def test_installed_accord_analyzes_an_example(installed: Path, tmp_path: Path) -> None:
    case = EXAMPLES / "growth-vs-margin.yaml"
    analysed = _run(installed / "bin" / "accord", "analyze", case, "--json", cwd=tmp_path)
    assert analysed.returncode == 0, analysed.stderr
    assert json.loads(analysed.stdout)["case"]["id"] == "growth-vs-margin"


def test_installed_accord_serves_the_demo(installed: Path, tmp_path: Path) -> None:
    port = free_port()
    env = dict(os.environ, ACCORD_DATABASE_URL=f"sqlite:///{tmp_path / 'accord.db'}")
    env.pop("ACCORD_REDIS_URL", None)
    log = tmp_path / "server.log"
    with log.open("w") as sink:
        server = subprocess.Popen(
            [str(installed / "bin" / "accord"), "serve", "--demo", "--port", str(port),
             str(EXAMPLES / "growth-vs-margin.yaml")],
            cwd=tmp_path, env=env, stdout=sink, stderr=sink,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while "Application startup complete" not in log.read_text():
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the server did not start in 90 s"
            time.sleep(0.05)  # waiting for a child process to listen, not for timing
        base = f"http://127.0.0.1:{port}"
        health = httpx.get(f"{base}/healthz")
        assert health.status_code == 200 and health.json()["status"] == "ok"
        assert "Sign in" in httpx.get(f"{base}/login").text
        assert "1 case(s) loaded for demo@accord.local" in log.read_text()
    finally:
        server.terminate()
        server.wait(timeout=10)
