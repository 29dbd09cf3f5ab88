"""Read a simple CSV of ranked ballots into a ballot Profile.

Two layouts, told apart by the header row (documented in ``docs/voting.md``):

* **one ranking per row**: columns ``voter`` (optional), ``count`` (optional, default 1) and
  ``ranking``, where a ranking is written ``a>b=c>d`` (``>`` strictly preferred, ``=`` tied);
* **one column per rank**: columns ``voter``/``count`` (optional) and then rank columns
  (``1,2,3`` or ``rank1,rank2,...``); each cell holds a candidate, ``b=c`` for a tie, or is
  empty (a truncated ballot).

A comment line ``# candidates: a, b, c`` before the header declares the candidates (then any
other name is an error with a suggestion); without it the candidates are the names that
appear, in order of first appearance.  Lines starting with ``#`` are otherwise ignored.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from accord.errors import CaseFileError, Location, Problem, did_you_mean
from accord.io.text_file import read_text
from accord.model.ballots import (
    MAX_CANDIDATES,
    MAX_VOTERS,
    Ballot,
    Profile,
    candidates_message,
    voters_message,
)

_META_FIELDS = ("voter", "count")


def read_ballots_csv(path: str | Path) -> Profile:
    """Read a CSV ballot file (see the module docstring for the layouts)."""
    where = str(path)
    text = read_text(path, "ballot CSV", encoding="utf-8-sig")
    return parse_ballots_csv(text, where)


def parse_ballots_csv(text: str, path: str = "<csv>") -> Profile:
    """Parse CSV ballots.

    >>> p = parse_ballots_csv("voter,ranking\\nana,a>b=c\\nbo,c>a\\n")
    >>> p.candidates, p.ballots, p.voters
    (('a', 'b', 'c'), (((0,), (1, 2)), ((2,), (0,))), ('ana', 'bo'))
    >>> parse_ballots_csv("voter,1,2\\nana,b,a\\nbo,a,\\n").ballots
    (((0,), (1,)), ((1,),))
    """
    problems: list[Problem] = []
    declared: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    lines = text.splitlines()
    for number, raw in enumerate(lines, start=1):
        stripped = raw.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            key, _, value = stripped[1:].partition(":")
            if key.strip().lower() == "candidates" and not rows:
                declared = [c.strip() for c in value.split(",") if c.strip()]
                if len(declared) > MAX_CANDIDATES:
                    _refuse(path, number, 1, candidates_message(len(declared)), "candidates")
            continue
        rows.append((number, next(csv.reader(io.StringIO(raw)))))
    if not rows:
        _refuse(path, 1, 1, "no header row (expected 'voter,ranking' or rank columns)")
    header_line, header = rows[0]
    columns = [h.strip().lower() for h in header]
    ranking_column = columns.index("ranking") if "ranking" in columns else None
    rank_columns = [i for i, h in enumerate(columns) if h not in _META_FIELDS and h != "ranking"]
    if ranking_column is None and not rank_columns:
        problem = Problem(
            "header has no 'ranking' column and no rank columns "
            "(expected 'voter,ranking' or 'voter,1,2,3')",
            Location(path=path, line=header_line),
        )
        raise CaseFileError(str(problem), problems=[problem])
    candidates: list[str] = list(declared or [])
    index = {c: i for i, c in enumerate(candidates)}
    raw_ballots: list[list[list[int]]] = []
    voters: list[str] = []
    counts: list[int] = []
    voters_so_far = 0
    for number, cells in rows[1:]:
        line_text = lines[number - 1]

        def locate(
            cell: int, message: str, field: str, *, _n: int = number, _text: str = line_text
        ) -> None:
            problems.append(
                Problem(
                    message, Location(path=path, line=_n, column=_column(_text, cell), field=field)
                )
            )

        record = {columns[i]: cells[i].strip() for i in range(min(len(cells), len(columns)))}
        voter = record.get("voter") or f"row {number}"
        count = 1
        if record.get("count"):
            try:
                count = int(record["count"])
            except ValueError:
                count = 0
            if count < 1:
                locate(
                    columns.index("count"),
                    f"count '{record['count'][:40]}' is not a positive whole number",
                    "count",
                )
                continue
            if voters_so_far + count > MAX_VOTERS:
                locate(columns.index("count"), voters_message(voters_so_far + count), "count")
                continue
        voters_so_far += count
        if ranking_column is not None:
            places = [(ranking_column, p) for p in record.get("ranking", "").split(">")]
            if places == [(ranking_column, "")]:
                places = []
        else:
            places = [(i, cells[i].strip()) for i in rank_columns if i < len(cells)]
            while places and not places[-1][1]:
                places.pop()
        tiers: list[list[int]] = []
        seen: set[str] = set()
        for cell, place in places:
            members = [name.strip() for name in place.split("=")]
            tier: list[int] = []
            for name in members:
                if not name:
                    locate(cell, f"empty place in the ranking of {voter}", "ranking")
                    continue
                if name in seen:
                    locate(cell, f"'{name}' is ranked twice by {voter} (rank each once)", "ranking")
                    continue
                seen.add(name)
                if name not in index:
                    if declared is not None:
                        hint = did_you_mean(name, declared)
                        locate(cell, f"'{name}' is not a declared candidate{hint}", "ranking")
                        continue
                    if len(candidates) == MAX_CANDIDATES:
                        # Stop here: counting a huge election is what the bound prevents.
                        where = _column(line_text, cell) or 1
                        message = (
                            f"'{name[:40]}' is candidate {MAX_CANDIDATES + 1:,}, more than the "
                            f"{MAX_CANDIDATES:,} an election file may hold"
                        )
                        _refuse(path, number, where, message, "ranking")
                    index[name] = len(candidates)
                    candidates.append(name)
                tier.append(index[name])
            if tier:
                tiers.append(tier)
        raw_ballots.append(tiers)
        voters.append(voter)
        counts.append(count)
    if not raw_ballots and not problems:
        problems.append(
            Problem(
                "no ballots after the header (expected one row per voter)",
                Location(path=path, line=header_line, column=1),
            )
        )
    if problems:
        raise CaseFileError.from_problems(problems, f"{path}: the ballots are not valid")
    ballots: tuple[Ballot, ...] = tuple(tuple(tuple(t) for t in b) for b in raw_ballots)
    return Profile(
        candidates=tuple(candidates),
        ballots=ballots,
        counts=tuple(counts),
        voters=tuple(voters),
    )


def _refuse(path: str, line: int, column: int, message: str, field: str | None = None) -> None:
    problem = Problem(message, Location(path=path, line=line, column=column, field=field))
    raise CaseFileError(f"{path}: {message}", problems=[problem])


def _column(line: str, cell: int) -> int | None:
    """1-based column where CSV cell ``cell`` starts (None when quoting makes it unclear)."""
    if '"' in line:
        return None
    parts = line.split(",")
    if cell >= len(parts):
        return None
    return sum(len(p) + 1 for p in parts[:cell]) + 1
