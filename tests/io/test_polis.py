"""Reading and writing Polis exports and long vote CSVs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from accord.errors import AccordError, InputError
from accord.io.polis import polis_groups, read_polis, read_vote_csv, write_polis

SEATTLE = Path(__file__).resolve().parent.parent / "data" / "polis" / "15-per-hour-seattle"


def test_read_polis_keeps_latest_vote_per_cell() -> None:
    votes = read_polis(SEATTLE)
    # Counts from the shared README: 2,995 raw rows, 2,872 after keeping the latest.
    assert votes.n_votes == 2872
    assert len(votes.participants) == 339
    assert sum(s.moderated_out for s in votes.statements) == 23
    assert any("123 repeated votes" in note for note in votes.notes)


def test_read_polis_sign_matches_comment_counts() -> None:
    votes = read_polis(SEATTLE)
    j = votes.statement_index()["48"]
    mine = [v for s, v in zip(votes.statement, votes.value, strict=True) if s == j]
    # votes.csv has 38 agree / 18 disagree events on comment 48 (README check); one
    # agree was later changed, so the latest votes hold 37 agrees and 18 disagrees.
    assert (mine.count(1), mine.count(-1), mine.count(0)) == (37, 18, 4)


def test_read_polis_rebuilds_from_participants_votes_when_votes_absent(tmp_path: Path) -> None:
    for name in ("comments.csv", "participants-votes.csv"):
        shutil.copy(SEATTLE / name, tmp_path / name)
    votes = read_polis(tmp_path)
    assert votes.n_votes == 2872
    assert any("rebuilt from participants-votes.csv" in n for n in votes.notes)


def test_read_polis_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(AccordError, match="not a folder"):
        read_polis(tmp_path / "nope")


def test_read_polis_missing_comments_is_located(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_polis(tmp_path)
    assert str(caught.value).endswith("comments.csv: file not found (expected comments.csv)")


def test_read_polis_bad_vote_value_is_located(tmp_path: Path) -> None:
    shutil.copy(SEATTLE / "comments.csv", tmp_path / "comments.csv")
    (tmp_path / "votes.csv").write_text(
        "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,5,1\n2,x,0,6,7\n"
    )
    with pytest.raises(InputError) as caught:
        read_polis(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path / 'votes.csv'}:3:9: vote: "
        "vote '7' is not one of 1 (agree), -1 (disagree), 0 (pass)"
    )


def test_read_polis_unknown_comment_is_located(tmp_path: Path) -> None:
    shutil.copy(SEATTLE / "comments.csv", tmp_path / "comments.csv")
    (tmp_path / "votes.csv").write_text(
        "timestamp,datetime,comment-id,voter-id,vote\n1,x,999,5,1\n"
    )
    with pytest.raises(InputError, match=r"votes.csv:2:5: comment-id: comment-id '999' is not"):
        read_polis(tmp_path)


def test_read_vote_csv_last_vote_wins_and_words(tmp_path: Path) -> None:
    path = tmp_path / "votes.csv"
    path.write_text(
        "participant,statement,vote,timestamp\n"
        "ann,s1,agree,1\nann,s1,disagree,3\nbob,s1,pass,2\nann,s2,-1,2\n"
    )
    votes = read_vote_csv(path)
    cells = {
        (votes.participants[p], votes.statements[s].id): v
        for p, s, v in zip(votes.voter, votes.statement, votes.value, strict=True)
    }
    assert cells == {("ann", "s1"): -1, ("bob", "s1"): 0, ("ann", "s2"): -1}
    assert votes.notes == ("1 repeated votes on the same statement: the latest vote was kept",)


def test_read_vote_csv_rejects_unknown_values(tmp_path: Path) -> None:
    path = tmp_path / "votes.csv"
    path.write_text("ann,s1,maybe\n")
    with pytest.raises(InputError) as caught:
        read_vote_csv(path)
    assert str(caught.value) == (
        f"{path}:1:8: vote: vote 'maybe' is not one of agree, disagree, pass (or 1, -1, 0)"
    )


def test_write_polis_round_trips(tmp_path: Path) -> None:
    votes = read_polis(SEATTLE)
    write_polis(votes, tmp_path)
    again = read_polis(tmp_path)
    before = {
        (votes.participants[p], votes.statements[s].id, v)
        for p, s, v in zip(votes.voter, votes.statement, votes.value, strict=True)
    }
    after = {
        (again.participants[p], again.statements[s].id, v)
        for p, s, v in zip(again.voter, again.statement, again.value, strict=True)
    }
    assert before == after
    assert [s.moderated_out for s in again.statements] == [
        s.moderated_out for s in votes.statements
    ]


def test_polis_groups_reads_group_ids() -> None:
    groups = polis_groups(SEATTLE)
    assert len(groups) == 138
    assert sorted(set(groups.values())) == [0, 1]


@pytest.mark.parametrize("stamp", ["1" * 40, "9" * 31, "-" + "9" * 31])
def test_read_polis_out_of_range_timestamp_is_located(tmp_path: Path, stamp: str) -> None:
    shutil.copy(SEATTLE / "comments.csv", tmp_path / "comments.csv")
    (tmp_path / "votes.csv").write_text(
        f"timestamp,datetime,comment-id,voter-id,vote\n1,x,0,5,1\n{stamp},x,0,6,1\n"
    )
    with pytest.raises(InputError, match=r"votes.csv:3:1: timestamp: timestamp .* out of range"):
        read_polis(tmp_path)


@pytest.mark.parametrize("stamp", ["1e400", "1" * 40, "-1e300", "nan"])
def test_read_vote_csv_out_of_range_timestamp_is_located(tmp_path: Path, stamp: str) -> None:
    path = tmp_path / "votes.csv"
    path.write_text(f"participant,statement,vote,timestamp\nann,s1,agree,1\nbob,s1,1,{stamp}\n")
    with pytest.raises(InputError, match=r"votes.csv:3:10: timestamp: timestamp "):
        read_vote_csv(path)


def test_read_vote_csv_non_utf8_is_located_by_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "votes.csv"
    path.write_bytes(b"participant,statement,vote\nann,s\xff1,agree\n")
    with pytest.raises(InputError, match=r"votes.csv:2:6: not valid UTF-8"):
        read_vote_csv(path)


def test_read_polis_non_utf8_votes_is_located(tmp_path: Path) -> None:
    shutil.copy(SEATTLE / "comments.csv", tmp_path / "comments.csv")
    (tmp_path / "votes.csv").write_bytes(b"\xff\xfetimestamp,datetime,comment-id,voter-id,vote\n")
    with pytest.raises(InputError, match=r"votes.csv:1:1: not valid UTF-8"):
        read_polis(tmp_path)


def test_read_polis_header_names_with_spaces_are_tolerated(tmp_path: Path) -> None:
    comments = (SEATTLE / "comments.csv").read_text(encoding="utf-8").split("\n", 1)
    header = ",".join(f"{name} " for name in comments[0].split(","))
    (tmp_path / "comments.csv").write_text(header + "\n" + comments[1], encoding="utf-8")
    shutil.copy(SEATTLE / "votes.csv", tmp_path / "votes.csv")
    assert read_polis(tmp_path).n_votes == 2872
