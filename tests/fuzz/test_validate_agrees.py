"""``accord validate`` passes => ``accord analyze`` exits 0 or 1; refusals are located.

The invariant the issue asks for: validate runs every check analyze needs, so a case that
validates never makes analyze exit 2 (or crash), and a case that does not validate is
refused with ``file:line:col``.  Checked on the examples and on structural mutations of
them (:mod:`tests.fuzz.case_mutations`).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings

from .case_mutations import EXAMPLES, mutated_case
from .harness import REPO, run

# Few draws: the invariant is about which inputs are refused, not about the Monte Carlo.
ANALYZE = ["--draws", "20", "--json"]


def agreement_verdict(path: Path) -> str:
    """``"ok"``, or how validate and analyze disagree on the case at ``path``."""
    checked = run(["validate", str(path)])
    if checked.code == 2:
        located = re.search(
            rf"^{re.escape(str(path))}:\d+:\d+: ", checked.stdout + checked.stderr, re.M
        )
        return "ok" if located else "unlocated-refusal"
    if checked.code != 0:
        return f"validate-exit-{checked.code}"
    analysed = run(["analyze", str(path), *ANALYZE])
    if analysed.code in (0, 1):
        return "ok"
    return "validated-but-analyze-exit-" + str(analysed.code)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_examples_validate_and_analyse(name: str) -> None:
    assert agreement_verdict(REPO / "examples" / name) == "ok"


def test_agreement_verdict_flags_disagreement(tmp_path: Path) -> None:
    # Weights on a case without criteria: before validate checked them, validate passed
    # and analyze exited 2 with no location; now validate refuses them on their line.
    path = tmp_path / "case.yaml"
    path.write_text(
        "accord: 1\nid: c\ntitle: T\nquestion: Q?\nstakeholders: [{id: a, name: A}]\n"
        "inputs:\n  a:\n    weights: {method: ahp, judgements: []}\n",
        encoding="utf-8",
    )
    refused = run(["validate", str(path)])
    assert refused.code == 2
    assert f"{path}:8:14: inputs.a.weights: AHP weights need at least one criterion" in (
        refused.stdout + refused.stderr
    )
    assert agreement_verdict(path) == "ok"


@seed(19)
@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutation=mutated_case())
def test_validated_mutated_case_analyses(mutation: tuple[str, str]) -> None:
    description, text = mutation
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "case.yaml"
        path.write_text(text, encoding="utf-8")
        assert agreement_verdict(path) == "ok", description


HEADER = "accord: 1\nid: c\ntitle: T\nquestion: Q?\n"
ONE_WEIGHTED = (
    "stakeholders: [{id: a, name: A}]\ncriteria: [{id: k, name: K}]\n"
    "inputs:\n  a:\n    weights: {method: direct, values: {k: 1}}\n"
)


@pytest.mark.parametrize(
    "body",
    [
        "",  # the header only: no options, no stakeholders (was exit 70 in normalisation)
        "stakeholders: [{id: a, name: A}]\n",
        ONE_WEIGHTED,  # weights but no options (was exit 70 ranking the stakeholder's view)
        ONE_WEIGHTED
        + "options: [{id: o, name: O, estimates: {k: {low: 1, likely: 2, high: 3}}}]\n",
    ],
)
def test_smallest_cases_validate_and_analyse(tmp_path: Path, body: str) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(HEADER + body, encoding="utf-8")
    assert run(["validate", str(path)]).code == 0
    assert run(["analyze", str(path), *ANALYZE]).code in (0, 1)
