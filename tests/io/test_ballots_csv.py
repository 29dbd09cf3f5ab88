"""Reading CSV ballots: both layouts and located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.errors import CaseFileError
from accord.io.ballots_csv import parse_ballots_csv, read_ballots_csv


def test_ranking_column_with_ties_and_counts() -> None:
    profile = parse_ballots_csv("voter,count,ranking\nana,2,a>b=c\nbo,1,c\n")
    assert profile.candidates == ("a", "b", "c")
    assert profile.ballots == (((0,), (1, 2)), ((2,),))
    assert profile.counts == (2, 1)


def test_rank_columns_with_truncation() -> None:
    profile = parse_ballots_csv("voter,1,2,3\nana,b,a=c,\nbo,a,,\n")
    assert profile.ballots == (((0,), (1, 2)), ((1,),))


def test_declared_candidates_reject_unknown_with_suggestion() -> None:
    text = "# candidates: usage-pricing, hold-prices\nvoter,ranking\ncfo,usage-pricng>hold-prices\n"
    with pytest.raises(CaseFileError) as error:
        parse_ballots_csv(text, "b.csv")
    assert str(error.value) == (
        "b.csv:3:5: ranking: 'usage-pricng' is not a declared candidate "
        "(did you mean 'usage-pricing'?)"
    )


def test_duplicate_candidate_is_located() -> None:
    with pytest.raises(CaseFileError) as error:
        parse_ballots_csv("voter,1,2\nana,a,a\n", "b.csv")
    assert str(error.value) == "b.csv:2:7: ranking: 'a' is ranked twice by ana (rank each once)"


def test_bad_count_is_located() -> None:
    with pytest.raises(CaseFileError, match="count 'x' is not a positive whole number"):
        parse_ballots_csv("voter,count,ranking\nana,x,a>b\n")


def test_header_without_ranking_is_an_error() -> None:
    with pytest.raises(CaseFileError, match="no 'ranking' column"):
        parse_ballots_csv("voter,count\nana,1\n")


def test_read_from_file(tmp_path: Path) -> None:
    path = tmp_path / "ballots.csv"
    path.write_text("ranking\na>b\nb>a\n", encoding="utf-8")
    assert read_ballots_csv(path).num_voters == 2
