"""The serving process's garbage collector: frozen start-up heap, higher thresholds.

Run in a child process: freezing and re-thresholding the test process would change how
every later test collects garbage."""

from __future__ import annotations

import json
import subprocess
import sys

from accord.web.collector import THRESHOLDS

PROBE = """
import gc, json
{setup}
print(json.dumps([gc.get_freeze_count(), list(gc.get_threshold())]))
"""


def _probe(setup: str) -> tuple[int, tuple[int, ...]]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(setup=setup)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    frozen, thresholds = json.loads(out.stdout.strip().splitlines()[-1])
    return frozen, tuple(thresholds)


def test_a_served_worker_freezes_its_heap_and_raises_the_thresholds() -> None:
    setup = (
        "import os, tempfile\n"
        "os.environ['ACCORD_DATABASE_URL'] = 'sqlite:///' + tempfile.mkdtemp() + '/a.db'\n"
        "from accord.store import Store\n"
        "Store.from_url(os.environ['ACCORD_DATABASE_URL'], migrate=True).dispose()\n"
        "from accord.web.app import create_serving_app\n"
        "create_serving_app()"
    )
    frozen, thresholds = _probe(setup)
    assert thresholds == THRESHOLDS
    assert frozen > 10_000  # the app's modules and templates, never scanned again


def test_one_shot_processes_keep_cpythons_defaults() -> None:
    frozen, thresholds = _probe("import accord.web.app")
    assert frozen == 0
    assert thresholds == _probe("")[1]  # this interpreter's own defaults
