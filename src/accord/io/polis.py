"""Read and write the Polis open-data export, and generic long vote CSVs.

The export layout (``comments.csv``, ``votes.csv``, ``participants-votes.csv``) is
described in the openData README of compdemocracy; its vote sign is agree = 1,
disagree = -1, pass = 0, which is also accord's encoding.

Treatments, each reported in ``StatementVotes.notes``:

* a participant who voted more than once on a statement keeps the latest vote
  (greatest timestamp; on equal timestamps the later row);
* ``moderated = -1`` statements are kept but flagged ``moderated_out`` (the map
  ignores them, as Polis does);
* without ``votes.csv`` the latest votes are rebuilt from ``participants-votes.csv``
  (which holds exactly the latest vote per cell; no timestamps).

Errors are located (``path:line:col: field: message``): unknown statements, vote values
other than agree / disagree / pass, missing files and missing columns.
"""

from __future__ import annotations

import csv
import io
import math
import os
from array import array
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

import numpy as np
import numpy.typing as npt

from accord.errors import InputError, Location, NotFoundError, Problem, did_you_mean
from accord.io.text_file import read_text
from accord.model.statements import VOTE_WORDS, Statement, StatementVotes

COMMENTS_HEADER = (
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
)
VOTES_HEADER = ("timestamp", "datetime", "comment-id", "voter-id", "vote")
PARTICIPANT_COLUMNS = (
    "participant",
    "xid",
    "group-id",
    "n-comments",
    "n-votes",
    "n-agree",
    "n-disagree",
)
LONG_HEADER = ("participant", "statement", "vote", "timestamp")

# Stop collecting problems after this many: the first screenful is what a user reads.
MAX_PROBLEMS = 20
MAX_TIMESTAMP_MS = 253_402_300_799_999
"""Largest timestamp magnitude: 9999-12-31T23:59:59.999Z in Unix milliseconds."""
_OUT_OF_RANGE = f"is out of range (expected Unix milliseconds within +-{MAX_TIMESTAMP_MS})"


def read_polis(directory: str | os.PathLike[str]) -> StatementVotes:
    """Read a Polis export folder into :class:`StatementVotes` (latest vote per cell)."""
    folder = Path(directory)
    if not folder.is_dir():
        raise NotFoundError(
            f"{folder}: not a folder (expected a Polis export with comments.csv and votes.csv)"
        )
    comments_path = folder / "comments.csv"
    if not comments_path.is_file():
        raise InputError(
            f"{comments_path}: file not found (a Polis export needs comments.csv)",
            problems=[Problem("file not found (expected comments.csv)", _at(comments_path))],
        )
    statements = _read_comments(comments_path)
    votes_path = folder / "votes.csv"
    if votes_path.is_file():
        return _read_votes(votes_path, statements)
    matrix_path = folder / "participants-votes.csv"
    if matrix_path.is_file():
        votes = _read_participants_votes(matrix_path, statements)
        note = "votes.csv is absent: latest votes rebuilt from participants-votes.csv"
        return _with_notes(votes, (note,))
    raise InputError(
        f"{folder}: neither votes.csv nor participants-votes.csv found",
        problems=[Problem("file not found (expected votes.csv)", _at(votes_path))],
    )


def read_vote_csv(
    path: str | os.PathLike[str], *, statements: Sequence[Statement] | None = None
) -> StatementVotes:
    """Read a long CSV ``participant,statement,vote[,timestamp]`` (header line optional).

    Votes are agree / disagree / pass or 1 / -1 / 0; the last vote per (participant,
    statement) wins (latest timestamp when the column is present, else the later row).
    With ``statements`` given, votes on other statement ids are errors; otherwise the
    statements are the ids met in the file, in order of first appearance.
    """
    file = Path(path)
    known = {s.id: i for i, s in enumerate(statements)} if statements is not None else None
    table: list[Statement] = list(statements) if statements is not None else []
    index: dict[str, int] = dict(known) if known is not None else {}
    participants: dict[str, int] = {}
    voter, statement, value, stamp = array("i"), array("i"), array("b"), array("q")
    problems: list[Problem] = []
    with _open(file) as handle:
        reader = csv.reader(handle)
        for row in reader:
            line = reader.line_num
            if line == 1 and row and row[0].strip().lower() == "participant":
                _check_header(file, row, LONG_HEADER[:3])
                continue
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) < 3:
                problems.append(
                    Problem(
                        f"{len(row)} fields (expected participant,statement,vote[,timestamp])",
                        _at(file, line, 1),
                    )
                )
                continue
            pid, sid, raw = row[0].strip(), row[1].strip(), row[2].strip()
            code = VOTE_WORDS.get(raw.lower())
            if code is None:
                problems.append(
                    Problem(
                        f"vote {raw!r} is not one of agree, disagree, pass (or 1, -1, 0)",
                        _at(file, line, _column(row, 2), "vote"),
                    )
                )
                continue
            if sid not in index:
                if known is not None:
                    problems.append(
                        Problem(
                            f"'{sid}' is not a statement id{did_you_mean(sid, known)}",
                            _at(file, line, _column(row, 1), "statement"),
                        )
                    )
                    continue
                index[sid] = len(table)
                table.append(Statement(sid))
            when = 0
            if len(row) > 3 and row[3].strip():
                try:
                    when = _timestamp(row[3], decimals=True)
                except ValueError as error:
                    problems.append(
                        Problem(
                            f"timestamp {row[3][:40]!r} {error}",
                            _at(file, line, _column(row, 3), "timestamp"),
                        )
                    )
                    continue
            voter.append(participants.setdefault(pid, len(participants)))
            statement.append(index[sid])
            value.append(code)
            stamp.append(when)
            if len(problems) >= MAX_PROBLEMS:
                break
    if problems:
        raise InputError.from_problems(problems, f"{file}: {_count(problems)} in the votes")
    return _latest_votes(tuple(table), tuple(participants), voter, statement, value, stamp)


def write_polis(votes: StatementVotes, directory: str | os.PathLike[str]) -> None:
    """Write ``votes`` in the Polis export layout (comments, votes, participants-votes).

    Statements are written with ``moderated`` 1 (or -1 when moderated out); the
    ``agrees`` / ``disagrees`` counts and ``participants-votes.csv`` are recomputed.
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    n_statements = len(votes.statements)
    value = np.frombuffer(votes.value, dtype=np.int8).astype(np.int64)
    column = np.frombuffer(votes.statement, dtype=np.int32)
    agrees = np.bincount(column[value == 1], minlength=n_statements)
    disagrees = np.bincount(column[value == -1], minlength=n_statements)
    with (folder / "comments.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(COMMENTS_HEADER)
        for j, s in enumerate(votes.statements):
            moderated = -1 if s.moderated_out else 1
            row = ("", "", s.id, s.author or "", agrees[j], disagrees[j], moderated, s.text)
            out.writerow(row)
    stamps = votes.timestamp if votes.timestamp else array("q", bytes(8 * votes.n_votes))
    with (folder / "votes.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(VOTES_HEADER)
        for k in range(votes.n_votes):
            sid = votes.statements[votes.statement[k]].id
            out.writerow((stamps[k], "", sid, votes.participants[votes.voter[k]], votes.value[k]))
    _write_participants_votes(votes, folder / "participants-votes.csv")


def polis_groups(directory: str | os.PathLike[str]) -> dict[str, int]:
    """Polis's own ``group-id`` per participant (participants it did not cluster are left out)."""
    path = Path(directory) / "participants-votes.csv"
    if not path.is_file():
        raise InputError(
            f"{path}: file not found",
            problems=[Problem("file not found (expected participants-votes.csv)", _at(path))],
        )
    groups: dict[str, int] = {}
    with _open(path) as handle:
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader, [])]
        _check_header(path, header, ("participant", "group-id"))
        p, g = header.index("participant"), header.index("group-id")
        for row in reader:
            if len(row) > g and row[g].strip():
                groups[row[p].strip()] = int(float(row[g]))
    return groups


# --- reading helpers ---------------------------------------------------------------------


def _read_comments(path: Path) -> dict[str, Statement]:
    statements: dict[str, Statement] = {}
    problems: list[Problem] = []
    with _open(path) as handle:
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader, [])]
        _check_header(path, header, ("comment-id", "moderated", "comment-body"))
        cid, mod, body = (header.index(c) for c in ("comment-id", "moderated", "comment-body"))
        author = header.index("author-id") if "author-id" in header else None
        for row in reader:
            if not row:
                continue
            line = reader.line_num
            if len(row) <= max(cid, mod, body):
                problems.append(
                    Problem(f"{len(row)} fields (expected {len(header)})", _at(path, line, 1))
                )
                continue
            moderated = row[mod].strip()
            if moderated not in ("-1", "0", "1"):
                problems.append(
                    Problem(
                        f"moderated {moderated!r} is not one of -1, 0, 1",
                        _at(path, line, _column(row, mod), "moderated"),
                    )
                )
                continue
            sid = row[cid].strip()
            who = row[author].strip() if author is not None and len(row) > author else ""
            statements[sid] = Statement(sid, row[body], moderated == "-1", who or None)
            if len(problems) >= MAX_PROBLEMS:
                break
    if problems:
        raise InputError.from_problems(problems, f"{path}: {_count(problems)} in the comments")
    # Polis numbers comments from 0; sort numerically when every id is a number.
    ordered = sorted(statements.values(), key=lambda s: _numeric_key(s.id))
    return {s.id: s for s in ordered}


def _read_votes(path: Path, statements: Mapping[str, Statement]) -> StatementVotes:
    index = {sid: j for j, sid in enumerate(statements)}
    participants: dict[str, int] = {}
    voter, statement, value, stamp = array("i"), array("i"), array("b"), array("q")
    problems: list[Problem] = []
    with _open(path) as handle:
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader, [])]
        _check_header(path, header, ("timestamp", "comment-id", "voter-id", "vote"))
        t, c, v, x = (header.index(k) for k in ("timestamp", "comment-id", "voter-id", "vote"))
        width = max(t, c, v, x)
        for row in reader:
            if len(row) <= width:
                if row:
                    problems.append(
                        Problem(
                            f"{len(row)} fields (expected {len(header)})",
                            _at(path, reader.line_num, 1),
                        )
                    )
                continue
            raw = row[x]
            code = _POLIS_VOTE.get(raw)
            if code is None:
                code = _POLIS_VOTE.get(raw.strip())
                if code is None:
                    problems.append(
                        Problem(
                            f"vote {raw!r} is not one of 1 (agree), -1 (disagree), 0 (pass)",
                            _at(path, reader.line_num, _column(row, x), "vote"),
                        )
                    )
                    continue
            j = index.get(row[c])
            if j is None:
                j = index.get(row[c].strip())
                if j is None:
                    problems.append(
                        Problem(
                            f"comment-id '{row[c]}' is not in comments.csv"
                            f"{did_you_mean(row[c], index)}",
                            _at(path, reader.line_num, _column(row, c), "comment-id"),
                        )
                    )
                    continue
            try:
                when = _timestamp(row[t], decimals=False)
            except ValueError as error:
                problems.append(
                    Problem(
                        f"timestamp {row[t][:40]!r} {error}",
                        _at(path, reader.line_num, _column(row, t), "timestamp"),
                    )
                )
                continue
            voter.append(participants.setdefault(row[v], len(participants)))
            statement.append(j)
            value.append(code)
            stamp.append(when)
            if len(problems) >= MAX_PROBLEMS:
                break
    if problems:
        raise InputError.from_problems(problems, f"{path}: {_count(problems)} in the votes")
    names = tuple(p.strip() for p in participants)
    return _latest_votes(tuple(statements.values()), names, voter, statement, value, stamp)


def _read_participants_votes(path: Path, statements: Mapping[str, Statement]) -> StatementVotes:
    index = {sid: j for j, sid in enumerate(statements)}
    voter, statement, value = array("i"), array("i"), array("b")
    participants: list[str] = []
    problems: list[Problem] = []
    with _open(path) as handle:
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader, [])]
        _check_header(path, header, ("participant",))
        columns: list[tuple[int, int]] = []  # (csv column, statement index)
        for k, name in enumerate(header):
            if name in PARTICIPANT_COLUMNS:
                continue
            j = index.get(name)
            if j is None:
                problems.append(
                    Problem(
                        f"column '{name}' is not a comment-id in comments.csv",
                        _at(path, 1, _column(header, k), name),
                    )
                )
                continue
            columns.append((k, j))
        p_col = header.index("participant")
        for row in reader:
            if not row:
                continue
            p = len(participants)
            participants.append(row[p_col].strip())
            for k, j in columns:
                cell = row[k].strip() if k < len(row) else ""
                if not cell:
                    continue
                code = _POLIS_VOTE.get(cell.removesuffix(".0"))
                if code is None:
                    problems.append(
                        Problem(
                            f"vote {cell!r} is not one of 1, -1, 0 (or empty)",
                            _at(path, reader.line_num, _column(row, k), header[k]),
                        )
                    )
                    continue
                voter.append(p)
                statement.append(j)
                value.append(code)
            if len(problems) >= MAX_PROBLEMS:
                break
    if problems:
        raise InputError.from_problems(problems, f"{path}: {_count(problems)} found")
    return StatementVotes(tuple(statements.values()), tuple(participants), voter, statement, value)


_POLIS_VOTE = {"1": 1, "-1": -1, "0": 0}


def _latest_votes(
    statements: tuple[Statement, ...],
    participants: tuple[str, ...],
    voter: array[int],
    statement: array[int],
    value: array[int],
    stamp: array[int],
) -> StatementVotes:
    """Keep the latest vote per (participant, statement); order participants by first vote.

    Participants are numbered in the order of their first vote (Polis's row order), so
    the deterministic base-cluster start (first distinct points) matches Polis's.
    """
    n = len(voter)
    rows = np.frombuffer(voter, dtype=np.int32).astype(np.int64)
    cols = np.frombuffer(statement, dtype=np.int32).astype(np.int64)
    times = np.frombuffer(stamp, dtype=np.int64)
    values = np.frombuffer(value, dtype=np.int8)
    # Renumber participants by their first vote in time (ties: file order).
    by_time = np.lexsort((np.arange(n), times))
    first_seen = np.full(len(participants), n, dtype=np.int64)
    np.minimum.at(first_seen, rows[by_time], np.arange(n))
    order = np.argsort(first_seen, kind="stable")
    renumber = np.empty_like(order)
    renumber[order] = np.arange(len(order))
    rows = renumber[rows]
    key = rows * max(len(statements), 1) + cols
    latest = np.lexsort((np.arange(n), times, key))
    key_sorted = key[latest]
    last_of_key = np.ones(n, dtype=bool)
    last_of_key[:-1] = key_sorted[1:] != key_sorted[:-1]
    keep = latest[last_of_key]
    notes: tuple[str, ...] = ()
    repeats = n - len(keep)
    if repeats:
        notes = (f"{repeats} repeated votes on the same statement: the latest vote was kept",)
    return StatementVotes(
        statements,
        tuple(participants[i] for i in order),
        array("i", rows[keep].astype(np.int32).tobytes()),
        array("i", cols[keep].astype(np.int32).tobytes()),
        array("b", values[keep].tobytes()),
        array("q", times[keep].tobytes()),
        notes,
    )


def _with_notes(votes: StatementVotes, notes: Iterable[str]) -> StatementVotes:
    return StatementVotes(
        votes.statements,
        votes.participants,
        votes.voter,
        votes.statement,
        votes.value,
        votes.timestamp,
        votes.notes + tuple(notes),
    )


def _write_participants_votes(votes: StatementVotes, path: Path) -> None:
    n_p, n_s = len(votes.participants), len(votes.statements)
    cells = np.full((n_p, n_s), 2, dtype=np.int8)  # 2 = no vote
    rows = np.frombuffer(votes.voter, dtype=np.int32)
    cols = np.frombuffer(votes.statement, dtype=np.int32)
    values: npt.NDArray[np.int8] = np.frombuffer(votes.value, dtype=np.int8)
    cells[rows, cols] = values
    authored: dict[str, int] = {}
    for s in votes.statements:
        if s.author:
            authored[s.author] = authored.get(s.author, 0) + 1
    text = {2: "", 1: "1", -1: "-1", 0: "0"}
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        fixed = ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]
        out.writerow(fixed + [s.id for s in votes.statements])
        for i, pid in enumerate(votes.participants):
            row = cells[i]
            voted = row != 2
            out.writerow(
                [
                    pid,
                    "",
                    authored.get(pid, 0),
                    int(voted.sum()),
                    int((row == 1).sum()),
                    int((row == -1).sum()),
                    *(text[int(c)] for c in row),
                ]
            )


def _open(path: Path) -> TextIO:
    """The file as text: read bounded (64 MB) and decoded with bad bytes at line:col."""
    if not path.exists():
        raise InputError(f"{path}: file not found", problems=[Problem("file not found", _at(path))])
    text = read_text(path, "vote CSV", encoding="utf-8-sig")
    return io.StringIO(text, newline="")


def _check_header(path: Path, header: Sequence[str], required: Iterable[str]) -> None:
    names = [h.strip() for h in header]
    missing = [r for r in required if r not in names]
    if missing:
        raise InputError(
            f"{path}: header lacks {', '.join(missing)}",
            problems=[
                Problem(
                    f"header lacks column '{m}'{did_you_mean(m, names)}"
                    f" (found: {', '.join(names)})",
                    _at(path, 1, 1),
                )
                for m in missing
            ],
        )


def _timestamp(text: str, *, decimals: bool) -> int:
    """A Unix-millisecond timestamp within +-:data:`MAX_TIMESTAMP_MS`; ValueError says why not.

    The length is checked before ``int()`` so a 5,000-digit field costs nothing, and the
    range before the value reaches the 64-bit timestamp array.
    """
    field = text.strip()
    if len(field) > 32:
        raise ValueError(_OUT_OF_RANGE)
    try:
        number = float(field) if decimals else int(field)
    except ValueError:
        kind = "a number" if decimals else "an integer"
        raise ValueError(f"is not {kind} (Unix milliseconds)") from None
    if not math.isfinite(number) or abs(number) > MAX_TIMESTAMP_MS:
        raise ValueError(_OUT_OF_RANGE)
    return int(number)


def _at(
    path: Path, line: int | None = None, column: int | None = None, field: str | None = None
) -> Location:
    return Location(str(path), line, column, field)


def _column(row: Sequence[str], k: int) -> int:
    """1-based character column where field ``k`` starts (exact for unquoted fields)."""
    return 1 + sum(len(f) + 1 for f in row[:k])


def _count(problems: Sequence[Problem]) -> str:
    n = len(problems)
    more = "+" if n >= MAX_PROBLEMS else ""
    return f"{n}{more} problem" + ("s" if n != 1 else "")


def _numeric_key(sid: str) -> tuple[int, int | str]:
    return (0, int(sid)) if sid.lstrip("-").isdigit() else (1, sid)
