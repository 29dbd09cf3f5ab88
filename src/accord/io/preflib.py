"""Read PrefLib ordinal election files (.soc, .soi, .toc, .toi) into a ballot Profile.

Format (PrefLib, post-2022; https://www.preflib.org/format): header lines ``# KEY: value``
(``NUMBER ALTERNATIVES``, ``NUMBER VOTERS``, ``NUMBER UNIQUE ORDERS``, ``ALTERNATIVE NAME k``),
then one line per unique order, ``count: ranking``, where ``,`` means "strictly preferred" and
``{a,b}`` is a group of tied alternatives.  Alternatives are numbered from 1.

Every count in the header is checked against the data; a mismatch, an alternative outside
``1..NUMBER ALTERNATIVES``, an alternative ranked twice or a repeated order is a located
:class:`~accord.errors.CaseFileError` (``file:line:col: what is wrong (what was expected)``).
Cite: Mattei and Walsh, "PrefLib: A Library of Preference Data", ADT 2013.
"""

from __future__ import annotations

import re
from pathlib import Path

from accord.errors import CaseFileError, Location, Problem
from accord.io.text_file import read_text
from accord.model.ballots import (
    MAX_CANDIDATES,
    MAX_VOTERS,
    Ballot,
    Profile,
    candidates_message,
    voters_message,
)

PREFLIB_SUFFIXES = (".soc", ".soi", ".toc", ".toi")

_HEADER = re.compile(r"#\s*([^:]+?)\s*:\s?(.*)")
_NAME_KEY = re.compile(r"ALTERNATIVE NAME (\d+)")


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, line: int, message: str, column: int | None = None) -> None:
        self.problems.append(Problem(message, Location(path=self.path, line=line, column=column)))


def read_preflib(path: str | Path) -> Profile:
    """Read a PrefLib ``.soc/.soi/.toc/.toi`` file; candidates are named by their numbers.

    Candidate ids are the alternative numbers as strings (``"1"``, ``"2"``, ...), ``names``
    come from ``ALTERNATIVE NAME`` lines and ``numbers`` keeps the integers.
    """
    where = str(path)
    text = read_text(path, "PrefLib")
    return parse_preflib(text, where)


def parse_preflib(text: str, path: str = "<preflib>") -> Profile:
    """Parse the text of a PrefLib ordinal file (see :func:`read_preflib`).

    >>> p = parse_preflib("# NUMBER ALTERNATIVES: 3\\n# NUMBER VOTERS: 5\\n"
    ...                   "# ALTERNATIVE NAME 1: Ann\\n3: 1,{2,3}\\n2: 3\\n")
    >>> p.candidates, p.names[0], p.ballots, p.counts
    (('1', '2', '3'), 'Ann', (((0,), (1, 2)), ((2,),)), (3, 2))
    """
    reader = _Reader(path)
    header: dict[str, tuple[str, int]] = {}
    names: dict[int, str] = {}
    ballots: list[Ballot] = []
    counts: list[int] = []
    order_lines: list[int] = []
    lines = text.splitlines()
    data_start = len(lines)
    for number, raw in enumerate(lines, start=1):
        if not raw.startswith("#"):
            if raw.strip():
                data_start = number - 1
                break
            continue
        match = _HEADER.match(raw)
        if match is None:
            continue
        key, value = match.group(1).strip().upper(), match.group(2).strip()
        name_key = _NAME_KEY.fullmatch(key)
        if name_key:
            names[int(name_key.group(1))] = _unquote(value)
        else:
            header[key] = (value, number)
    m = _header_int(reader, header, "NUMBER ALTERNATIVES")
    if m is None:
        raise CaseFileError.from_problems(reader.problems, f"{path}: not a PrefLib file")
    if m > MAX_CANDIDATES or m < 1:
        # Refused before anything is built per alternative (the lookups below are O(m)); an
        # election of no candidates has no winner to report.
        value, line = header["NUMBER ALTERNATIVES"]
        column = lines[line - 1].find(value) + 1
        why = (
            candidates_message(m)
            if m > MAX_CANDIDATES
            else "an election needs at least one candidate, got 0"
        )
        reader.problem(line, f"NUMBER ALTERNATIVES: {why}", column or None)
        raise CaseFileError.from_problems(reader.problems, f"{path}: not a valid PrefLib file")
    for alternative in names:
        if not 1 <= alternative <= m:
            line = _name_line(lines, alternative)
            reader.problem(
                line, f"ALTERNATIVE NAME {alternative}: not in 1..{m} (NUMBER ALTERNATIVES: {m})"
            )
    seen_orders: dict[Ballot, int] = {}
    voters_so_far = 0
    tier_of = {str(k): (k - 1,) for k in range(1, m + 1)}
    index_of = {str(k): k - 1 for k in range(1, m + 1)}
    for number in range(data_start + 1, len(lines) + 1):
        raw = lines[number - 1]
        if not raw.strip() or raw.startswith("#"):
            continue
        parsed = _fast_order(raw, tier_of, index_of) or _parse_order(reader, raw, number, m)
        if parsed is None:
            continue
        count, ballot = parsed
        if voters_so_far + count > MAX_VOTERS:
            reader.problem(number, voters_message(voters_so_far + count), 1)
            continue
        voters_so_far += count
        if ballot in seen_orders:
            reader.problem(
                number,
                f"this order repeats line {seen_orders[ballot]} (each order once, with its count)",
            )
            continue
        seen_orders[ballot] = number
        ballots.append(ballot)
        counts.append(count)
        order_lines.append(number)
    data_ok = not reader.problems  # counts are only meaningful when every order parsed
    voters = _header_int(reader, header, "NUMBER VOTERS")
    if data_ok and voters is not None and voters != sum(counts):
        reader.problem(
            header["NUMBER VOTERS"][1],
            f"NUMBER VOTERS: {voters} but the orders count {sum(counts)} voters",
        )
    if "NUMBER UNIQUE ORDERS" in header:
        unique = _header_int(reader, header, "NUMBER UNIQUE ORDERS")
        if data_ok and unique is not None and unique != len(ballots):
            reader.problem(
                header["NUMBER UNIQUE ORDERS"][1],
                f"NUMBER UNIQUE ORDERS: {unique} but the file has {len(ballots)} orders",
            )
    if reader.problems:
        raise CaseFileError.from_problems(reader.problems, f"{path}: not a valid PrefLib file")
    ids = tuple(str(k) for k in range(1, m + 1))
    # Every order was checked above (range, repeats, counts), so skip the second pass.
    return Profile._checked_elsewhere(
        candidates=ids,
        names=tuple(names.get(k, str(k)) for k in range(1, m + 1)),
        numbers=tuple(range(1, m + 1)),
        ballots=tuple(ballots),
        counts=tuple(counts),
        title=header.get("TITLE", ("", 0))[0],
    )


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def _name_line(lines: list[str], alternative: int) -> int:
    for number, raw in enumerate(lines, start=1):
        if raw.upper().startswith(f"# ALTERNATIVE NAME {alternative}:"):
            return number
    return 1


def _header_int(reader: _Reader, header: dict[str, tuple[str, int]], key: str) -> int | None:
    if key not in header:
        reader.problem(1, f"missing header line '# {key}: <number>'")
        return None
    value, line = header[key]
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        reader.problem(line, f"{key}: '{value}' is not a whole number")
        return None
    return number


def _fast_order(
    raw: str, tier_of: dict[str, tuple[int]], index_of: dict[str, int]
) -> tuple[int, Ballot] | None:
    """A well-formed ``count: ranking`` line in canonical spelling (no spaces, numbers in
    range, nothing repeated), parsed with dictionary lookups; ``None`` sends anything else to
    :func:`_parse_order`, which locates the problem."""
    head, _, body = raw.partition(": ")
    if not head.isdigit() or not body or body != body.strip():
        return None
    count = int(head)
    if count < 1:
        return None
    ballot: Ballot
    if "{" not in body:
        try:
            ballot = tuple(map(tier_of.__getitem__, body.split(",")))
        except KeyError:
            return None
        return (count, ballot) if len(set(ballot)) == len(ballot) else None
    if ",," in body or "{," in body or ",}" in body or body[0] == "," or body[-1] == ",":
        return None
    tiers: list[tuple[int, ...]] = []
    group: list[int] | None = None
    for token in body.replace("{", ",{,").replace("}", ",},").split(","):
        if not token:
            continue
        if token == "{":
            if group is not None:
                return None
            group = []
        elif token == "}":
            if not group:
                return None
            tiers.append(tuple(group))
            group = None
        else:
            c = index_of.get(token)
            if c is None:
                return None
            if group is None:
                tiers.append((c,))
            else:
                group.append(c)
    if group is not None:
        return None
    size = sum(map(len, tiers))
    if len(set().union(*tiers)) != size:
        return None
    return count, tuple(tiers)


def _parse_order(reader: _Reader, raw: str, line: int, m: int) -> tuple[int, Ballot] | None:
    """``count: ranking`` -> (count, tiers of 0-based candidate indices)."""
    head, colon, body = raw.partition(":")
    if not colon:
        reader.problem(line, f"'{raw.strip()}' is not 'count: ranking'", 1)
        return None
    try:
        count = int(head)
    except ValueError:
        count = 0
    if count < 1:
        reader.problem(line, f"count '{head.strip()}' is not a positive whole number", 1)
        return None
    offset = len(head) + 1
    if "{" not in body:
        try:  # the common case, kept fast: a valid strict order
            numbers = [int(x) for x in body.split(",")] if body.strip() else []
        except ValueError:
            numbers = None
        if numbers is not None and all(1 <= n <= m for n in numbers):
            if len(set(numbers)) == len(numbers):
                return count, tuple((n - 1,) for n in numbers)
    if "{" not in body:
        tiers: list[tuple[int, ...]] = []
        column = offset + 1
        for token in body.split(","):
            tiers.append((_alternative(reader, token, line, column, m),))
            column += len(token) + 1
        if len(tiers) == 1 and not body.strip():
            tiers = []
    else:
        parsed = _parse_tied(reader, body, line, offset, m)
        if parsed is None:
            return None
        tiers = parsed
    flat = [c for tier in tiers for c in tier]
    if -1 in flat:
        return None
    if len(set(flat)) != len(flat):
        repeated = next(c for c in flat if flat.count(c) > 1)
        reader.problem(line, f"alternative {repeated + 1} is ranked twice (rank each once)")
        return None
    return count, tuple(tiers)


def _parse_tied(
    reader: _Reader, body: str, line: int, offset: int, m: int
) -> list[tuple[int, ...]] | None:
    tiers: list[tuple[int, ...]] = []
    group: list[int] | None = None
    token_start = 0
    token = ""
    for i, char in enumerate(body + ","):
        if char in ",}" or (char == "{" and not token.strip()):
            if char == "{":
                if group is not None:
                    reader.problem(line, "nested '{' (ties are one level deep)", offset + i + 1)
                    return None
                group = []
                token, token_start = "", i + 1
                continue
            if token.strip():
                c = _alternative(reader, token, line, offset + token_start + 1, m)
                if group is not None:
                    group.append(c)
                else:
                    tiers.append((c,))
            elif group is None and char == "," and tiers and body[i - 1 : i] != "}":
                reader.problem(line, "empty place in the ranking", offset + i + 1)
                return None
            if char == "}":
                if group is None or not group:
                    reader.problem(line, "'}' without a group of alternatives", offset + i + 1)
                    return None
                tiers.append(tuple(group))
                group = None
            token, token_start = "", i + 1
        else:
            token += char
    if group is not None:
        reader.problem(line, "'{' is never closed", offset + len(body))
        return None
    return tiers


def _alternative(reader: _Reader, token: str, line: int, column: int, m: int) -> int:
    text = token.strip()
    try:
        number = int(text)
    except ValueError:
        reader.problem(line, f"'{text}' is not an alternative number (1..{m})", column)
        return -1
    if not 1 <= number <= m:
        reader.problem(
            line, f"alternative {number} is not in 1..{m} (NUMBER ALTERNATIVES: {m})", column
        )
        return -1
    return number - 1
