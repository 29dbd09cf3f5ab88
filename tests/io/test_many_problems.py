"""Files with very many problems: the work per problem is bounded and the list is capped."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.errors import CaseFileError, did_you_mean
from accord.io.case_file import parse_case
from accord.io.loader import MAX_KEYS, MAX_REPORTED_PROBLEMS
from accord.io.plan_file import parse_plan

REPO = Path(__file__).resolve().parents[2]
CASE = REPO / "examples" / "growth-vs-margin.yaml"
PLAN = sorted((REPO / "examples" / "plans").glob("*.yaml"))[0]


def _with_unknown_keys(path: Path, n: int) -> bytes:
    extra = "".join(f"zz_unknown_{i}: {i}\n" for i in range(n))
    return path.read_bytes() + extra.encode("ascii")


def test_unknown_keys_are_capped_with_a_count() -> None:
    with pytest.raises(CaseFileError) as caught:
        parse_case(_with_unknown_keys(CASE, MAX_REPORTED_PROBLEMS + 50), path="case.yaml")
    error = caught.value
    assert len(error.problems) == MAX_REPORTED_PROBLEMS + 1
    assert error.message == f"case.yaml: {MAX_REPORTED_PROBLEMS + 50} problems found"
    assert str(error.problems[-1]) == (
        f"case.yaml: and 50 more problems (only the first {MAX_REPORTED_PROBLEMS} are listed)"
    )
    assert "unknown key 'zz_unknown_0'" in str(error.problems[0])


def test_few_problems_are_all_listed() -> None:
    with pytest.raises(CaseFileError) as caught:
        parse_case(_with_unknown_keys(CASE, 3), path="case.yaml")
    assert len(caught.value.problems) == 3


@pytest.mark.parametrize(("path", "parse"), [(CASE, parse_case), (PLAN, parse_plan)])
def test_many_unknown_keys_cost_no_per_problem_work_beyond_the_cap(
    path: Path, parse: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The slow part of a problem (the "did you mean" search) runs for listed problems only.

    A count, not a clock (timed tests flake on a loaded machine; benchmarks/fuzz.py times it).
    """
    searched: list[str] = []
    real = did_you_mean

    def counting(word: str, choices: object) -> str:
        searched.append(word)
        return real(word, choices)  # type: ignore[arg-type]

    monkeypatch.setattr("accord.io.loader.did_you_mean", counting)
    with pytest.raises(CaseFileError) as caught:
        # Half the key budget: the file is parsed and every unknown key is a problem.
        parse(_with_unknown_keys(path, MAX_KEYS // 2), path=path.name)  # type: ignore[operator]
    assert len(caught.value.problems) == MAX_REPORTED_PROBLEMS + 1
    assert len(searched) <= MAX_REPORTED_PROBLEMS


SMALL = "accord: 1\nid: c\ntitle: T\nquestion: Q?\n"


@pytest.mark.parametrize(("name", "extra"), [("c.yaml", "u{i}: 0\n"), ("c.json", None)])
def test_keys_past_the_budget_refused_before_parsing_at_the_first_extra_key(
    monkeypatch: pytest.MonkeyPatch, name: str, extra: str | None
) -> None:
    import accord.io.loader as loader

    monkeypatch.setattr(loader, "MAX_KEYS", 10)

    def text(keys: int) -> str:
        if extra is None:
            pairs = [("accord", "1"), ("id", '"c"'), ("title", '"T"'), ("question", '"Q?"')]
            pairs += [(f"u{i}", "0") for i in range(keys - 4)]
            return "{\n" + ",\n".join(f'  "{k}": {v}' for k, v in pairs) + "\n}\n"
        return SMALL + "".join(extra.format(i=i) for i in range(keys - 4))

    # At the budget the file is read and its unknown keys listed (6 of them)...
    with pytest.raises(CaseFileError) as caught:
        parse_case(text(10), path=name)
    assert len(caught.value.problems) == 6
    # ...one key more and it is refused unread, at that key.
    with pytest.raises(CaseFileError) as caught:
        parse_case(text(11), path=name)
    (only,) = caught.value.problems
    line, column = (11, 1) if extra is not None else (12, 3)
    assert str(only) == (
        f"{name}:{line}:{column}: more than 10 mapping keys (a case or plan file may hold at "
        "most 10; the first key past the limit is here)"
    )
