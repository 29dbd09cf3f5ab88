"""Plan checks: every planted problem in tests/data/plans is caught; examples pass."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from accord.analysis.plan_check import check_plan, effective_direction, metric_key
from accord.errors import CaseFileError
from accord.io.plan_file import load_plan
from accord.model.plan import Measure, Objective, Plan, Priority

REPO = Path(__file__).resolve().parents[2]
PLANS = REPO / "tests" / "data" / "plans"
EXAMPLE_PLANS = sorted((REPO / "examples" / "plans").glob("*.yaml"))
TEMPLATE = REPO / "src" / "accord" / "templates" / "charter.yaml"

# fixture -> (error codes, warning codes) that must be reported, and nothing else
PLANTED = {
    "okr-unmeasurable": (
        {
            "priority-unnumbered",
            "priority-rank-tie",
            "kr-not-measurable",
            "objective-without-key-results",
        },
        set(),
    ),
    "okr-inconsistent": (
        {"kr-conflict", "guardrail-broken", "kr-direction-mismatch"},
        {"deadline-after-period"},
    ),
    "okr-overcommitted": (
        {
            "over-capacity-no-deprioritisation",
            "over-budget-no-deprioritisation",
            "initiative-unlinked",
        },
        {"effort-missing"},
    ),
    "okr-still-over": ({"over-capacity"}, {"deprioritised-without-reason"}),
    "charter-incomplete": (
        {
            "no-goals",
            "no-deliverables",
            "milestone-undated",
            "feedback-no-frequency",
            "accountable-count",
        },
        {"no-scope", "risk-unmitigated"},
    ),
    "charter-no-feedback": (
        {"no-feedback-schedule", "no-milestones", "accountable-count", "kr-not-measurable"},
        set(),
    ),
    "v2mom-incomplete": (
        {"no-vision", "no-measures", "priority-rank-order"},
        {"no-obstacles", "section-not-in-framework"},
    ),
}


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_check_plan_catches_every_planted_problem(name: str) -> None:
    result = check_plan(load_plan(PLANS / f"{name}.yaml"))
    errors = {f.code for f in result.findings if f.severity == "error"}
    warnings = {f.code for f in result.findings if f.severity == "warning"}
    assert (errors, warnings) == PLANTED[name]
    assert not result.passed
    assert result.errors == sum(1 for f in result.findings if f.severity == "error")


def test_every_plan_fixture_has_a_planted_expectation() -> None:
    names = {p.stem for p in PLANS.glob("*.yaml")} - {"bad-reference"}
    assert names == set(PLANTED)


@pytest.mark.parametrize("path", [*EXAMPLE_PLANS, TEMPLATE], ids=lambda p: p.name)
def test_check_plan_examples_and_template_pass_without_findings(path: Path) -> None:
    result = check_plan(load_plan(path))
    assert result.findings == []
    assert result.passed


def test_example_plans_cover_all_three_frameworks() -> None:
    assert {load_plan(p).framework for p in EXAMPLE_PLANS} == {"okr", "v2mom", "charter"}


def test_load_plan_dangling_reference_is_located_parse_error() -> None:
    with pytest.raises(CaseFileError) as caught:
        load_plan(PLANS / "bad-reference.yaml")
    lines = [str(p) for p in caught.value.problems]
    assert lines == [
        f"{PLANS / 'bad-reference.yaml'}:14:14: objectives[0].key_results[1].id: "
        "duplicate key result id 'kr-1' (also objectives[0].key_results[0])",
        f"{PLANS / 'bad-reference.yaml'}:16:55: initiatives[0].objectives[0]: "
        "'pipline' is not an objective id (did you mean 'pipeline'?)",
    ]


def test_plan_built_in_code_with_dangling_reference_raises() -> None:
    with pytest.raises(ValidationError, match="'nope' is not an objective id"):
        Plan(
            accord=1,
            kind="plan",
            framework="okr",
            title="T",
            priorities=[Priority(id="p", statement="s", rank=1, objective="nope")],
        )


def test_kr_conflict_message_names_both_key_results() -> None:
    result = check_plan(load_plan(PLANS / "okr-inconsistent.yaml"))
    conflict = next(f for f in result.findings if f.code == "kr-conflict")
    assert "'kr-discount-up'" in conflict.message and "'kr-discount-down'" in conflict.message
    assert conflict.field == "objectives[1].key_results[0].metric"


def test_guardrail_inside_bounds_is_not_flagged() -> None:
    plan = _okr([Measure(id="m", metric="Gross margin", baseline=74, target=72, deadline=None)])
    plan = plan.model_copy(update={"guardrails": []})
    assert "guardrail-broken" not in {f.code for f in check_plan(plan).findings}


def test_metric_key_ignores_case_and_spacing_only() -> None:
    assert metric_key("Gross  margin") == metric_key("gross margin")
    assert metric_key("Gross margin %") != metric_key("gross margin")


def test_effective_direction_from_declared_or_sign() -> None:
    assert effective_direction(Measure(id="a", baseline=5, target=3)) == "decrease"
    assert effective_direction(Measure(id="a", baseline=5, target=5)) == "maintain"
    assert effective_direction(Measure(id="a", target=5)) is None
    assert effective_direction(Measure(id="a", direction="increase")) == "increase"


def _okr(krs: list[Measure], priorities: list[Priority] | None = None) -> Plan:
    return Plan(
        accord=1,
        kind="plan",
        framework="okr",
        title="T",
        priorities=priorities or [Priority(id="p1", statement="s", rank=1)],
        objectives=[Objective(id="o", statement="s", key_results=krs)],
    )


@settings(max_examples=40, deadline=None)
@given(st.permutations(list(range(1, 5))))
def test_priorities_ranked_in_list_order_pass_and_others_fail(ranks: list[int]) -> None:
    priorities = [Priority(id=f"p{i}", statement="s", rank=r) for i, r in enumerate(ranks)]
    kr = Measure(id="k", metric="m", baseline=1, target=2, deadline=None)
    codes = {f.code for f in check_plan(_okr([kr], priorities)).findings}
    assert ("priority-rank-order" in codes) == (ranks != sorted(ranks))


@settings(max_examples=40, deadline=None)
@given(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
)
def test_same_metric_opposite_directions_always_conflict(a: float, b: float) -> None:
    up = Measure(id="up", metric="Churn", baseline=0, target=abs(a) + 1, deadline=None)
    down = Measure(id="down", metric="churn", baseline=0, target=-abs(b) - 1, deadline=None)
    codes = [f.code for f in check_plan(_okr([up, down])).findings]
    assert codes.count("kr-conflict") == 1
