"""``accord validate`` refuses weights ``accord analyze`` could not use, on their line."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.analysis import weights as weighting
from accord.errors import CaseFileError, InputError
from accord.io.case_file import load_case
from accord.model.weight_checks import MAX_AHP_CRITERIA, first_unlinked, judgement_problems

CASE = """\
accord: 1
id: weights
title: Weights
question: Which?
stakeholders:
  - {id: cfo, name: CFO}
criteria:
  - {id: margin, name: Margin}
  - {id: growth, name: Growth}
  - {id: churn, name: Churn}
options:
  - {id: a, name: A, estimates: {margin: 1, growth: 2, churn: 3}}
  - {id: b, name: B, estimates: {margin: 3, growth: 2, churn: 1}}
inputs:
  cfo:
    weights:
WEIGHTS
"""

AHP = """\
      method: ahp
      judgements:
        - {more: margin, less: growth, ratio: 2}
        - {more: growth, less: churn, ratio: 3}
"""


def _write(tmp_path: Path, weights: str, *, criteria: bool = True) -> Path:
    text = CASE.replace("WEIGHTS\n", weights)
    if not criteria:
        text = text.replace(
            "criteria:\n  - {id: margin, name: Margin}\n  - {id: growth, name: Growth}\n"
            "  - {id: churn, name: Churn}\n",
            "criteria: []\n",
        ).replace("estimates: {margin: 1, growth: 2, churn: 3}", "estimates: {}")
        text = text.replace("estimates: {margin: 3, growth: 2, churn: 1}", "estimates: {}")
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _problem(path: Path) -> str:
    with pytest.raises(CaseFileError) as caught:
        load_case(path)
    assert len(caught.value.problems) == 1, [str(p) for p in caught.value.problems]
    return str(caught.value.problems[0])


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_ahp_base_case_loads(tmp_path: Path) -> None:
    assert load_case(_write(tmp_path, AHP)).inputs["cfo"].weights is not None


def test_self_comparison_located_on_its_judgement(tmp_path: Path) -> None:
    path = _write(tmp_path, AHP.replace("{more: growth, less: churn", "{more: churn, less: churn"))
    line = _line_of(path, "more: churn, less: churn")
    assert _problem(path) == (
        f"{path}:{line}:11: inputs.cfo.weights.judgements[1]: 'churn' is compared with itself "
        "(expected two different criteria)"
    )


@pytest.mark.parametrize(
    "repeat", ["{more: margin, less: growth, ratio: 3}", "{more: growth, less: margin, ratio: 2}"]
)
def test_repeated_pair_located_on_the_repeat(tmp_path: Path, repeat: str) -> None:
    path = _write(tmp_path, AHP + f"        - {repeat}\n")
    message = _problem(path)
    assert message.startswith(f"{path}:{_line_of(path, repeat)}:11: ")
    assert "inputs.cfo.weights.judgements[2]: " in message
    assert "compared more than once (first in judgements[0]" in message


def test_unlinked_criterion_located_at_the_judgements(tmp_path: Path) -> None:
    unlinked = AHP.replace("        - {more: growth, less: churn, ratio: 3}\n", "")
    path = _write(tmp_path, unlinked)
    assert _problem(path) == (
        f"{path}:{_line_of(path, 'more: margin')}:9: inputs.cfo.weights.judgements: "
        "the AHP judgements never link 'churn' to 'margin' "
        "(expected every criterion compared, directly or through others)"
    )
    # One judgement linking churn to growth makes it valid again.
    linked = unlinked + "        - {more: churn, less: margin, ratio: 1}\n"
    assert load_case(_write(tmp_path, linked)).inputs["cfo"].weights is not None


@pytest.mark.parametrize("method", ["direct", "swing"])
def test_no_positive_weight_refused(tmp_path: Path, method: str) -> None:
    path = _write(tmp_path, f"      method: {method}\n      values: {{}}\n")
    message = _problem(path)
    assert message.startswith(f"{path}:{_line_of(path, 'values:')}:15: inputs.cfo.weights.values: ")
    assert "no criterion of the case has a" in message
    value = "100" if method == "swing" else "1"
    assert load_case(
        _write(tmp_path, f"      method: {method}\n      values: {{churn: {value}}}\n")
    )


@pytest.mark.parametrize(
    "weights",
    [
        AHP.replace("judgements:\n", "judgements: []\n").split("        -")[0],
        "      method: rank\n      order: []\n",
        "      method: direct\n      values: {}\n",
        "      method: swing\n      values: {}\n",
    ],
)
def test_weights_without_criteria_refused(tmp_path: Path, weights: str) -> None:
    path = _write(tmp_path, weights, criteria=False)
    message = _problem(path)
    assert message.startswith(f"{path}:{_line_of(path, 'method:')}:7: inputs.cfo.weights: ")
    assert "weights need at least one criterion, got n=0" in message


def test_ahp_criteria_bound_matches_the_random_index_table() -> None:
    assert max(weighting.DONEGAN_DODD_RI) == MAX_AHP_CRITERIA
    weighting.random_index_for(MAX_AHP_CRITERIA)
    with pytest.raises(InputError, match="up to 100 criteria, got 101"):
        weighting.random_index_for(MAX_AHP_CRITERIA + 1)


def test_analysis_raises_the_checks_messages() -> None:
    # The index-based API says what the case checker says (one wording, one computation).
    labels = ["margin", "growth", "churn"]
    (k, message), *_ = judgement_problems([(0, 1), (1, 0)], labels)
    with pytest.raises(InputError) as caught:
        weighting.judgement_matrix(3, [(0, 1, 2.0), (1, 0, 2.0)], labels=labels)
    assert str(caught.value) == f"judgements[{k}]: {message}"
    assert first_unlinked(3, [(0, 1)]) == 2
    assert first_unlinked(3, [(0, 1), (2, 1)]) is None
