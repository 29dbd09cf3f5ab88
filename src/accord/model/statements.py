"""Statements and the votes participants cast on them (the input of the opinion map).

Votes are kept as three parallel ``array.array`` columns (participant index, statement
index, value) so that a five-million-vote conversation costs about 30 MB rather than the
gigabytes a list of objects would; the model layer stays free of numpy.

Vote encoding (the same as the Polis open-data export): agree = +1, disagree = -1,
pass = 0.  There is at most one vote per (participant, statement): readers resolve
repeated votes before building a :class:`StatementVotes` (the latest vote wins).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from accord.errors import InputError, Location, Problem, did_you_mean

AGREE = 1
DISAGREE = -1
PASS = 0

#: Words accepted for a vote, and the value each one stands for.
VOTE_WORDS: dict[str, int] = {
    "agree": AGREE,
    "disagree": DISAGREE,
    "pass": PASS,
    "1": AGREE,
    "+1": AGREE,
    "-1": DISAGREE,
    "0": PASS,
}


@dataclass(frozen=True)
class Statement:
    """One statement participants vote on.

    ``moderated_out`` statements (Polis ``moderated = -1``) stay in the table so their
    votes can still count towards a participant's activity, exactly as Polis does, but
    they never shape the map and are never reported as representative or consensus.
    """

    id: str
    text: str = ""
    moderated_out: bool = False
    author: str | None = None


@dataclass(frozen=True, eq=False)
class StatementVotes:
    """Statements, participants and one vote per (participant, statement).

    ``voter[k]`` indexes ``participants``, ``statement[k]`` indexes ``statements`` and
    ``value[k]`` is +1 / -1 / 0.  ``timestamp[k]`` (Unix milliseconds, 0 when unknown)
    is the time of that latest vote.  ``notes`` records every treatment applied while
    reading (for example how many repeated votes were resolved).
    """

    statements: tuple[Statement, ...]
    participants: tuple[str, ...]
    voter: array[int]
    statement: array[int]
    value: array[int]
    timestamp: array[int] = field(default_factory=lambda: array("q"))
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        n = len(self.voter)
        if len(self.statement) != n or len(self.value) != n:
            raise ValueError("voter, statement and value columns must have the same length")
        if self.timestamp and len(self.timestamp) != n:
            raise ValueError("timestamp column must be empty or as long as the votes")

    @property
    def n_votes(self) -> int:
        return len(self.value)

    def statement_index(self) -> dict[str, int]:
        return {s.id: i for i, s in enumerate(self.statements)}

    def participant_index(self) -> dict[str, int]:
        return {p: i for i, p in enumerate(self.participants)}

    @classmethod
    def from_mapping(
        cls,
        statements: Iterable[Statement],
        votes: Mapping[str, Mapping[str, str | int]],
        *,
        field_path: str = "inputs",
    ) -> StatementVotes:
        """Build from ``{participant: {statement id: vote}}`` (a case file's ``statement_votes``).

        Votes are ``agree`` / ``disagree`` / ``pass`` or 1 / -1 / 0.  Unknown statement ids
        and unknown vote values are reported together, each with its field path.

        >>> sv = StatementVotes.from_mapping(
        ...     [Statement("s1", "Protect margin")], {"cfo": {"s1": "agree"}, "cmo": {"s1": -1}}
        ... )
        >>> list(sv.value), sv.participants
        ([1, -1], ('cfo', 'cmo'))
        """
        table = tuple(statements)
        index = {s.id: i for i, s in enumerate(table)}
        participants: list[str] = []
        voter, statement, value = array("i"), array("i"), array("b")
        problems: list[Problem] = []
        for pid, ballot in votes.items():
            p = len(participants)
            participants.append(pid)
            for sid, raw in ballot.items():
                where = Location(field=f"{field_path}.{pid}.statement_votes.{sid}")
                if sid not in index:
                    problems.append(
                        Problem(f"'{sid}' is not a statement id{did_you_mean(sid, index)}", where)
                    )
                    continue
                code = VOTE_WORDS.get(str(raw).strip().lower())
                if code is None:
                    problems.append(
                        Problem(f"vote {raw!r} is not one of agree, disagree, pass", where)
                    )
                    continue
                voter.append(p)
                statement.append(index[sid])
                value.append(code)
        if problems:
            raise InputError.from_problems(problems)
        return cls(table, tuple(participants), voter, statement, value)
