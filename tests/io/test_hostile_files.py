"""Hostile files refused at ``file:line:col`` with the limit named (issue 19, item 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.errors import CaseFileError
from accord.io.ballots_csv import parse_ballots_csv, read_ballots_csv
from accord.io.documents import load_document
from accord.io.loader import MAX_DEPTH, read_data
from accord.io.preflib import parse_preflib
from accord.model.ballots import MAX_CANDIDATES, MAX_VOTERS


def _only(error: pytest.ExceptionInfo[CaseFileError]) -> str:
    assert len(error.value.problems) == 1, [str(p) for p in error.value.problems]
    return str(error.value.problems[0])


JSON_CASE = '{\n  "accord": 1,\n  "id": "c",\n  "title": "T",\n  "question": "Q?"\n}\n'


def test_json_duplicate_key_located_on_the_repeat() -> None:
    text = JSON_CASE.replace('  "title": "T",\n', '  "title": "T",\n  "title": "U",\n')
    with pytest.raises(CaseFileError) as caught:
        read_data(text, path="c.json")
    assert _only(caught) == "c.json:5:3: title: duplicate key 'title' (first given on line 4)"
    assert read_data(JSON_CASE, path="c.json")["title"] == "T"


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_and_infinity_located(constant: str) -> None:
    text = JSON_CASE.replace('"accord": 1', f'"accord": {constant}')
    with pytest.raises(CaseFileError) as caught:
        read_data(text, path="c.json")
    assert _only(caught) == f"c.json:2:13: accord: expected a finite number, got {constant}"


def _nested(levels: int) -> str:
    return JSON_CASE.replace('"question": "Q?"', '"question": ' + "[" * levels + "1" + "]" * levels)


def test_json_nesting_beyond_the_limit_located_and_the_limit_itself_read() -> None:
    # The innermost value of `question` sits MAX_DEPTH + 1 keys and indexes deep.
    with pytest.raises(CaseFileError) as caught:
        read_data(_nested(MAX_DEPTH), path="c.json")
    assert _only(caught).startswith(f"c.json:5:{15 + MAX_DEPTH}: question[0]: nested deeper ")
    assert read_data(_nested(MAX_DEPTH - 1), path="c.json")["id"] == "c"


def test_json_positions_kept_for_other_problems() -> None:
    from accord.io.case_file import parse_case

    text = JSON_CASE.replace('"title": "T"', '"title": 5')
    with pytest.raises(CaseFileError) as caught:
        parse_case(text, path="c.json")
    assert _only(caught) == "c.json:4:12: title: expected text, got 5"


@pytest.mark.parametrize(
    ("name", "text", "at"),
    [
        ("plan.yaml", "accord: 1\nkind: pln\n", "2:7"),
        ("plan.json", '{\n  "kind": "pln"\n}\n', "2:11"),
    ],
)
def test_unknown_kind_located(tmp_path: Path, name: str, text: str, at: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaseFileError) as caught:
        load_document(path)
    assert _only(caught).startswith(f"{path}:{at}: kind: unknown document kind 'pln' (did you")


def test_empty_and_header_only_ballot_csv_located() -> None:
    with pytest.raises(CaseFileError) as caught:
        parse_ballots_csv("", "b.csv")
    assert _only(caught).startswith("b.csv:1:1: no header row")
    with pytest.raises(CaseFileError) as caught:
        parse_ballots_csv("# a comment\nvoter,ranking\n", "b.csv")
    assert _only(caught) == "b.csv:2:1: no ballots after the header (expected one row per voter)"
    assert parse_ballots_csv("voter,ranking\nana,a>b\n", "b.csv").num_voters == 1


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_non_utf8_ballot_csv_located_by_line_and_column(tmp_path: Path, bom: bytes) -> None:
    path = tmp_path / "b.csv"
    path.write_bytes(bom + b"voter,ranking\nana,a>b\nbo,b>\xff\n")
    with pytest.raises(CaseFileError) as caught:
        read_ballots_csv(path)
    assert _only(caught) == (
        f"{path}:3:6: not valid UTF-8 in ballot CSV file (byte 0xff; save the file as UTF-8)"
    )


def test_ballot_count_bounded_at_the_voter_limit() -> None:
    assert (
        parse_ballots_csv(f"voter,count,ranking\nana,{MAX_VOTERS},a>b\n").num_voters == MAX_VOTERS
    )
    for text in (
        f"voter,count,ranking\nana,{10**30},a>b\n",
        f"voter,count,ranking\nana,{MAX_VOTERS},a>b\nbo,1,b>a\n",
    ):
        with pytest.raises(CaseFileError) as caught:
            parse_ballots_csv(text, "b.csv")
        assert "voters is more than the 1,000,000,000,000 a profile may count" in _only(caught)
    with pytest.raises(CaseFileError) as caught:
        parse_preflib(f"# NUMBER ALTERNATIVES: 2\n# NUMBER VOTERS: 1\n{10**30}: 1,2\n", "e.soc")
    assert _only(caught) == (
        "e.soc:3:1: about 10^30 voters is more than the 1,000,000,000,000 a profile may count"
    )


def _ranking_csv(m: int) -> str:
    return "voter,ranking\nana," + ">".join(f"c{i}" for i in range(m)) + "\n"


def test_ballot_csv_candidates_bounded() -> None:
    assert parse_ballots_csv(_ranking_csv(MAX_CANDIDATES)).num_candidates == MAX_CANDIDATES
    with pytest.raises(CaseFileError) as caught:
        parse_ballots_csv(_ranking_csv(MAX_CANDIDATES + 1), "b.csv")
    assert _only(caught) == (
        f"b.csv:2:5: ranking: 'c{MAX_CANDIDATES}' is candidate 1,001, more than the 1,000 an "
        "election file may hold"
    )


def test_preflib_alternatives_bounded_before_reading_orders() -> None:
    head = "# NUMBER ALTERNATIVES: {m}\n# NUMBER VOTERS: 1\n1: 1,2\n"
    assert parse_preflib(head.format(m=MAX_CANDIDATES)).num_candidates == MAX_CANDIDATES
    with pytest.raises(CaseFileError) as caught:
        parse_preflib(head.format(m=3_000_000), "big.soi")
    assert _only(caught) == (
        "big.soi:1:24: NUMBER ALTERNATIVES: 3,000,000 candidates is more than the 1,000 an "
        "election file may hold"
    )


def test_preflib_without_alternatives_is_refused_not_won_by_nobody() -> None:
    # It was read as an election of no candidates: `accord vote` printed "Winner: " and exit 0.
    assert parse_preflib("# NUMBER ALTERNATIVES: 1\n# NUMBER VOTERS: 0\n").num_candidates == 1
    with pytest.raises(CaseFileError) as caught:
        parse_preflib("# NUMBER ALTERNATIVES: 0\n# NUMBER VOTERS: 0\n", "none.soc")
    assert _only(caught) == (
        "none.soc:1:24: NUMBER ALTERNATIVES: an election needs at least one candidate, got 0"
    )
