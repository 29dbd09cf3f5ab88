"""Reading PrefLib files: data, header checks and located errors."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from accord.errors import CaseFileError
from accord.io.preflib import parse_preflib, read_preflib

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "preflib"
HEAD = "# DATA TYPE: toi\n# NUMBER ALTERNATIVES: 3\n# NUMBER VOTERS: {voters}\n"


def test_burlington_loads_names_numbers_and_ties() -> None:
    profile = read_preflib(SAMPLE / "00005-00000002.toi")
    assert profile.num_voters == 8980
    assert len(profile.ballots) == 384
    assert profile.names[0] == "Bob Kiss"
    assert profile.numbers == (1, 2, 3, 4, 5, 6)
    assert any(len(tier) > 1 for ballot in profile.ballots for tier in ballot)


def test_ties_and_truncation_parse_as_tiers() -> None:
    profile = parse_preflib(HEAD.format(voters=4) + "3: 2,{1,3}\n1: 3\n")
    assert profile.ballots == (((1,), (0, 2)), ((2,),))
    assert profile.counts == (3, 1)


def test_wrong_voter_count_is_located() -> None:
    with pytest.raises(CaseFileError) as error:
        parse_preflib(HEAD.format(voters=5) + "3: 1,2,3\n", "f.toi")
    assert str(error.value) == "f.toi:3: NUMBER VOTERS: 5 but the orders count 3 voters"


def test_wrong_unique_order_count_is_located() -> None:
    text = HEAD.format(voters=3) + "# NUMBER UNIQUE ORDERS: 2\n3: 1,2,3\n"
    with pytest.raises(CaseFileError) as error:
        parse_preflib(text, "f.toi")
    assert str(error.value) == "f.toi:4: NUMBER UNIQUE ORDERS: 2 but the file has 1 orders"


def test_unknown_alternative_is_located_with_column() -> None:
    with pytest.raises(CaseFileError) as error:
        parse_preflib(HEAD.format(voters=1) + "1: 1,7\n", "f.toi")
    assert str(error.value) == "f.toi:4:6: alternative 7 is not in 1..3 (NUMBER ALTERNATIVES: 3)"


def test_duplicate_alternative_in_ranking_is_located() -> None:
    with pytest.raises(CaseFileError) as error:
        parse_preflib(HEAD.format(voters=1) + "1: 1,{2,1}\n", "f.toi")
    assert str(error.value) == "f.toi:4: alternative 1 is ranked twice (rank each once)"


def test_missing_header_is_an_error() -> None:
    with pytest.raises(CaseFileError, match="missing header line '# NUMBER ALTERNATIVES"):
        parse_preflib("1: 1,2\n", "f.soc")


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CaseFileError, match="no such PrefLib file"):
        read_preflib(tmp_path / "nope.soc")


def test_large_file_loads_fast(shared_data: Path) -> None:
    start = time.perf_counter()
    profile = read_preflib(shared_data / "preflib" / "00001-00000002.soi")
    assert time.perf_counter() - start < 2.0
    assert profile.num_voters == 29988
