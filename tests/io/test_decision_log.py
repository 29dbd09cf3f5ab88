"""`append_decision`: append-only, byte-preserving, refuses invalid entries (file unchanged)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import CaseFileError, InputError
from accord.io.case_file import load_case
from accord.io.decision_log import DecisionEntry, append_decision, parse_dissent

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 1)

HEAD = """\
# A small case; comments and odd spacing must survive.
accord: 1
id: pricing
title: Pricing   # trailing comment
question: Which pricing?
decision_owner: ceo
stakeholders:
  - {id: ceo, name: Elena}
  - {id: cfo, name: Priya}   # the CFO
options:
  - {id: usage, name: Usage pricing}
  - {id: hold, name: Hold prices}
"""

EXISTING = """\
decisions:
  # the first decision, taken in the workshop
  - id: first
    option: hold
    date: 2026-10-01
    accountable: ceo
    rationale: |
      Wait for data.
      Two lines.

# actions follow
actions:
  - {id: act-1, title: Pilot, owner: cfo}
"""

ENTRY = DecisionEntry(
    options=["usage"],
    rationale="Protects margin: pilot data is strong",
    dissent=[("cfo", "Too early")],
    date=dt.date(2026, 11, 20),
)


def _write(tmp_path: Path, text: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_append_to_existing_block_list_keeps_every_other_byte(tmp_path: Path) -> None:
    original = HEAD + EXISTING
    path = _write(tmp_path, original)
    decision = append_decision(path, ENTRY, today=TODAY)
    updated = path.read_text(encoding="utf-8")
    insert_at = original.index("\n# actions follow")
    # Everything before the insertion point and everything after it is unchanged.
    assert updated.startswith(original[:insert_at])
    assert updated.endswith(original[insert_at:])
    added = updated[len(original[:insert_at]) : len(updated) - len(original[insert_at:])]
    assert added.startswith("  - id: usage-2026-11-20\n")
    case = load_case(path)
    assert [d.id for d in case.decisions] == ["first", "usage-2026-11-20"]
    assert decision.review_date == dt.date(2026, 12, 20)  # default 30-day review
    assert decision.accountable == "ceo"
    assert [(d.by, d.reason) for d in decision.dissent] == [("cfo", "Too early")]
    assert case.decisions[0].rationale == "Wait for data.\nTwo lines.\n"


def test_append_without_decisions_key_appends_block_at_end(tmp_path: Path) -> None:
    path = _write(tmp_path, HEAD)
    append_decision(path, ENTRY, today=TODAY)
    updated = path.read_text(encoding="utf-8")
    assert updated.startswith(HEAD)
    assert updated[len(HEAD) :].startswith("decisions:\n  - id: usage-2026-11-20\n")
    assert load_case(path).decisions[0].option == "usage"


def test_append_to_file_without_final_newline(tmp_path: Path) -> None:
    path = _write(tmp_path, HEAD.rstrip("\n"))
    append_decision(path, ENTRY, today=TODAY)
    assert len(load_case(path).decisions) == 1


def test_append_to_flow_list_keeps_comment_after_it(tmp_path: Path) -> None:
    path = _write(tmp_path, HEAD + "decisions: []   # none yet\ncadence: {standup: weekly}\n")
    append_decision(path, ENTRY, today=TODAY)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(HEAD + "decisions: [{")
    assert text.endswith("]   # none yet\ncadence: {standup: weekly}\n")
    append_decision(path, ENTRY, today=TODAY)
    assert [d.id for d in load_case(path).decisions] == [
        "usage-2026-11-20",
        "usage-2026-11-20-2",
    ]


def test_append_twice_keeps_first_entry_identical(tmp_path: Path) -> None:
    path = _write(tmp_path, HEAD + EXISTING)
    append_decision(path, ENTRY, today=TODAY)
    after_first = path.read_text(encoding="utf-8")
    second = DecisionEntry(options=["hold"], rationale="Changed our mind", date=TODAY)
    append_decision(path, second, today=TODAY)
    after_second = path.read_text(encoding="utf-8")
    cut = after_first.index("\n# actions follow")
    assert after_second.startswith(after_first[:cut])
    assert [d.id for d in load_case(path).decisions] == [
        "first",
        "usage-2026-11-20",
        "hold-2026-12-01",
    ]


def test_append_to_json_case_keeps_it_json(tmp_path: Path) -> None:
    data = {
        "accord": 1,
        "id": "p",
        "title": "T",
        "question": "Q?",
        "decision_owner": "ceo",
        "stakeholders": [{"id": "ceo", "name": "E"}, {"id": "cfo", "name": "P"}],
        "options": [{"id": "usage", "name": "U"}],
    }
    path = _write(tmp_path, json.dumps(data, indent=2) + "\n", "case.json")
    append_decision(path, ENTRY, today=TODAY)
    loaded = json.loads(path.read_text(encoding="utf-8"))
    assert loaded["decisions"][0]["date"] == "2026-11-20"
    append_decision(path, ENTRY, today=TODAY)
    assert len(json.loads(path.read_text(encoding="utf-8"))["decisions"]) == 2


def test_append_keeps_crlf_line_endings(tmp_path: Path) -> None:
    path = _write(tmp_path, (HEAD + EXISTING).replace("\n", "\r\n"))
    append_decision(path, ENTRY, today=TODAY)
    raw = path.read_bytes()
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert len(load_case(path).decisions) == 2


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            DecisionEntry(options=["usag"], rationale="r", date=TODAY),
            "'usag' is not an option id (did you mean 'usage'?)",
        ),
        (
            DecisionEntry(options=["usage"], rationale="r", dissent=[("cmo", "no")], date=TODAY),
            "'cmo' is not a stakeholder id",
        ),
        (
            DecisionEntry(options=["usage"], rationale="r", accountable="nobody", date=TODAY),
            "'nobody' is not a stakeholder id",
        ),
        (DecisionEntry(options=["usage"], rationale="  ", date=TODAY), "--rationale is empty"),
        (
            DecisionEntry(
                options=["usage"], rationale="r", date=TODAY, review_date=dt.date(2026, 1, 1)
            ),
            "is before the decision date",
        ),
        (
            DecisionEntry(options=["usage"], rationale="r", decision_id="first"),
            "decision id 'first' is already in the log",
        ),
        (DecisionEntry(options=["usage"], rationale="r", decision_id="Bad Id"), "expected an id"),
    ],
)
def test_append_refuses_bad_entry_and_leaves_file_unchanged(
    tmp_path: Path, entry: DecisionEntry, message: str
) -> None:
    original = (HEAD + EXISTING).encode("utf-8")
    path = tmp_path / "case.yaml"
    path.write_bytes(original)
    with pytest.raises(InputError) as caught:
        append_decision(path, entry, today=TODAY)
    assert message in str(caught.value) + caught.value.message
    assert path.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["case.yaml"]  # no temporary left over


def test_append_refuses_case_that_does_not_load(tmp_path: Path) -> None:
    original = b"accord: 1\nid: x\n"
    path = tmp_path / "case.yaml"
    path.write_bytes(original)
    with pytest.raises(CaseFileError, match="missing required key 'title'"):
        append_decision(path, ENTRY, today=TODAY)
    assert path.read_bytes() == original


def test_append_without_decision_owner_needs_accountable(tmp_path: Path) -> None:
    path = _write(tmp_path, HEAD.replace("decision_owner: ceo\n", ""))
    with pytest.raises(InputError, match="--accountable"):
        append_decision(path, ENTRY, today=TODAY)
    entry = DecisionEntry(options=["usage"], rationale="r", accountable="cfo", date=TODAY)
    assert append_decision(path, entry, today=TODAY).accountable == "cfo"


def test_append_portfolio_records_list_of_options(tmp_path: Path) -> None:
    path = _write(tmp_path, HEAD)
    entry = DecisionEntry(options=["usage", "hold"], rationale="Both", date=TODAY)
    assert append_decision(path, entry, today=TODAY).option == ["usage", "hold"]


def test_append_to_example_case_validates(tmp_path: Path) -> None:
    source = REPO / "examples" / "growth-vs-margin.yaml"
    original = source.read_bytes()
    path = tmp_path / source.name
    path.write_bytes(original)
    entry = DecisionEntry(
        options=["segment-split"],
        rationale="Meets both goals",
        dissent=[("cro", "Slower than a discount")],
        date=TODAY,
    )
    append_decision(path, entry, today=TODAY)
    assert path.read_bytes().startswith(original)
    assert load_case(path).decisions[-1].review_date == TODAY + dt.timedelta(days=14)


def test_parse_dissent_requires_who_and_why() -> None:
    assert parse_dissent("cfo:Margin: below floor") == ("cfo", "Margin: below floor")
    for bad in ("cfo", ":why", "cfo:  "):
        with pytest.raises(InputError, match="is not 'who:why'"):
            parse_dissent(bad)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rationale=st.text(min_size=1, max_size=60).filter(lambda t: t.strip() != ""),
    reason=st.text(min_size=1, max_size=40).filter(lambda t: t.strip() != ""),
)
def test_append_any_text_round_trips_and_keeps_prefix(
    tmp_path: Path, rationale: str, reason: str
) -> None:
    path = tmp_path / "case.yaml"
    original = HEAD + EXISTING
    path.write_bytes(original.encode("utf-8"))
    entry = DecisionEntry(
        options=["usage"], rationale=rationale, dissent=[("cfo", reason)], date=TODAY
    )
    try:
        decision = append_decision(path, entry, today=TODAY)
    except InputError:
        # Refusal is allowed (e.g. control characters the loader rejects) if nothing changed.
        assert path.read_bytes() == original.encode("utf-8")
        return
    assert path.read_text(encoding="utf-8").startswith(original[: original.index("\n# actions")])
    assert decision.rationale == rationale.strip()
    assert decision.dissent[0].reason == reason.strip()


def test_refused_entry_names_the_options_not_lines_of_a_file_never_written(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, HEAD + EXISTING)
    entry = DecisionEntry(
        options=["usagee"], rationale="r", dissent=[("cmo", "no")], accountable="bob", date=TODAY
    )
    with pytest.raises(InputError) as caught:
        append_decision(path, entry, today=TODAY)
    assert [str(p) for p in caught.value.problems] == [
        "--option: 'usagee' is not an option id (did you mean 'usage'?)",
        "--accountable: 'bob' is not a stakeholder id",
        "--dissent: 'cmo' is not a stakeholder id (did you mean 'cfo'?)",
    ]


def test_problem_below_the_new_entry_keeps_its_line_in_the_file_as_it_is() -> None:
    from accord.errors import Location, Problem
    from accord.io.decision_log import _as_given

    before = "a: 1\ndecisions:\n  - x\nactions: 2\n"
    after = "a: 1\ndecisions:\n  - x\n  - id: new\n    option: o\nactions: 2\n"
    below = Problem("bad", Location("c.yaml", 6, 10, "actions"))
    assert str(_as_given(below, before, after)) == "c.yaml:4:10: actions: bad"
    above = Problem("bad", Location("c.yaml", 1, 4, "a"))
    assert _as_given(above, before, after) == above
    inside = Problem("no such option", Location("c.yaml", 5, 13, "decisions[1].option"))
    assert str(_as_given(inside, before, after)) == "--option: no such option"
