"""Ballots for group decision rules: a :class:`Profile` of weak orders with multiplicities.

A ballot is a tuple of *tiers*, best first; each tier is a tuple of candidate indices, and a
tier with more than one candidate is a tie.  Candidates a ballot does not mention are
*unranked* (a truncated ballot); how they compare is a choice made when votes are counted
(``unranked="below"`` or ``"uncompared"`` in :func:`accord.analysis.voting.vote`), never here.

This mirrors PrefLib's data model (Mattei and Walsh, "PrefLib: A Library of Preference Data",
ADT 2013): unique orders with a count each.  Plain Python only (model layer: no numpy).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import MISSING, dataclass, fields
from functools import partial

from accord.errors import InputError, Location, Problem, did_you_mean

Tier = tuple[int, ...]
Ballot = tuple[Tier, ...]

_Reporter = Callable[[str, str], None]
# (where, value): ``where`` names the field only when a problem is reported (it runs per
# ranked entry, so the text is not built on the happy path).
_Lookup = Callable[[Callable[[], str], object], "int | None"]

RATING_MIN = 0.0
RATING_MAX = 10.0

MAX_CANDIDATES = 1000
"""Most candidates an election file may declare or name (PrefLib, ballot CSV).  Pairwise
rules keep ``m x m`` tables and Schulze's strongest paths take ``O(m^3)``: 1,000 candidates
count in seconds, 3,000 took about a minute and 1.2 GB.  See docs/limits.md."""

MAX_VOTERS = 10**12
"""Most voters a profile may count (the sum of its counts).  Borda scores reach
``voters x (m - 1)``, which stays below 2**53 (exact in float64) for ``m <= MAX_CANDIDATES``;
10**30 overflowed numpy's int64."""


def voters_message(total: int) -> str:
    """Why ``total`` voters are refused (one wording for every reader and the API)."""
    shown = f"{total:,}" if total < 10**21 else f"about 10^{len(str(total)) - 1}"
    return f"{shown} voters is more than the {MAX_VOTERS:,} a profile may count"


def candidates_message(m: int) -> str:
    """Why ``m`` candidates are refused."""
    shown = f"{m:,}" if m < 10**21 else f"about 10^{len(str(m)) - 1}"
    return f"{shown} candidates is more than the {MAX_CANDIDATES:,} an election file may hold"


@dataclass(frozen=True)
class Profile:
    """Unique ballots over a fixed list of candidates, each with a multiplicity.

    ``candidates`` are ids (str), ``names`` their display names, ``numbers`` the original
    PrefLib alternative numbers when the profile came from a PrefLib file.  ``ballots[i]``
    was cast ``counts[i]`` times.  Optional per-ballot inputs for the non-ranking rules:
    ``approvals[i]`` (candidate indices approved), ``ratings[i]`` (one 0..10 rating or
    ``None`` per candidate), ``dots[i]`` (dots per candidate, capped by ``dots_budget``).
    ``voters[i]`` names the voter behind ballot ``i`` when ballots are per person.

    >>> p = Profile.from_rankings(["a", "b", "c"], {"dana": ["a", ["b", "c"]], "sam": ["c"]})
    >>> p.ballots
    (((0,), (1, 2)), ((2,),))
    >>> p.num_voters
    2
    """

    candidates: tuple[str, ...]
    ballots: tuple[Ballot, ...]
    counts: tuple[int, ...]
    names: tuple[str, ...] = ()
    numbers: tuple[int, ...] | None = None
    voters: tuple[str, ...] | None = None
    approvals: tuple[tuple[int, ...], ...] | None = None
    ratings: tuple[tuple[float | None, ...], ...] | None = None
    dots: tuple[tuple[int, ...], ...] | None = None
    dots_budget: int | None = None
    title: str = ""

    def __post_init__(self) -> None:
        if not self.names:
            object.__setattr__(self, "names", self.candidates)
        problems = self._problems()
        if problems:
            raise InputError.from_problems(problems, "the ballot profile is not valid")

    @classmethod
    def _checked_elsewhere(cls, **values: object) -> Profile:
        """A profile whose every field the caller has already checked: the PrefLib reader
        validates each order as it parses it, and checking 10,000 orders again would add a
        third to the load time.  Unknown or missing fields are a programming error."""
        profile = object.__new__(cls)
        for spec in fields(cls):
            if spec.name in values:
                object.__setattr__(profile, spec.name, values.pop(spec.name))
            elif spec.default is MISSING:
                raise TypeError(f"Profile field '{spec.name}' is required")
            else:
                object.__setattr__(profile, spec.name, spec.default)
        if values:
            raise TypeError(f"not Profile fields: {', '.join(sorted(values))}")
        return profile

    @property
    def num_candidates(self) -> int:
        return len(self.candidates)

    @property
    def num_voters(self) -> int:
        return sum(self.counts)

    def index(self, candidate: str) -> int:
        """Index of a candidate id; an unknown id is an :class:`InputError` with a suggestion."""
        try:
            return self.candidates.index(candidate)
        except ValueError:
            hint = did_you_mean(candidate, self.candidates)
            raise InputError(f"'{candidate}' is not a candidate{hint}") from None

    def label(self, index: int) -> str:
        """How a candidate is shown to people: its display name."""
        return self.names[index]

    def _problems(self) -> list[Problem]:
        m = len(self.candidates)
        found: list[Problem] = []

        def bad(field: str, message: str) -> None:
            found.append(Problem(message, Location(field=field)))

        if m == 0:
            # Every rule would divide by or index into the candidates; refuse here, once.
            bad("candidates", "no candidates (an election needs at least one alternative)")
        if len(set(self.candidates)) != m:
            bad("candidates", "candidate ids repeat (each id must be unique)")
        if len(self.names) != m:
            bad("names", f"{len(self.names)} names for {m} candidates (one name each)")
        if self.numbers is not None and len(self.numbers) != m:
            bad("numbers", f"{len(self.numbers)} numbers for {m} candidates (one each)")
        n = len(self.ballots)
        if len(self.counts) != n:
            bad("counts", f"{len(self.counts)} counts for {n} ballots (one count each)")
        for i, count in enumerate(self.counts):
            if not isinstance(count, int) or isinstance(count, bool) or count < 1:
                bad(f"counts[{i}]", f"{count!r} is not a positive whole number of voters")
        if not found and sum(self.counts) > MAX_VOTERS:
            bad("counts", voters_message(sum(self.counts)))
        for i, ballot in enumerate(self.ballots if not _ballots_valid(self.ballots, m) else ()):
            seen: set[int] = set()
            for t, tier in enumerate(ballot):
                if not tier:
                    bad(f"ballots[{i}][{t}]", "empty tier (a tier names at least one candidate)")
                for c in tier:
                    if not isinstance(c, int) or not 0 <= c < m:
                        bad(f"ballots[{i}][{t}]", f"{c!r} is not a candidate index (0..{m - 1})")
                    elif c in seen:
                        bad(f"ballots[{i}]", f"'{self.candidates[c]}' is ranked twice")
                    seen.add(c)
        if self.voters is not None and len(self.voters) != n:
            bad("voters", f"{len(self.voters)} voter names for {n} ballots (one each)")
        self._check_extras(bad, n, m)
        return found

    def _check_extras(self, bad: _Reporter, n: int, m: int) -> None:
        if self.approvals is not None:
            if len(self.approvals) != n:
                bad("approvals", f"{len(self.approvals)} approval sets for {n} ballots")
            for i, approved in enumerate(self.approvals):
                if any(not 0 <= c < m for c in approved) or len(set(approved)) != len(approved):
                    bad(f"approvals[{i}]", "approvals name each candidate index at most once")
        if self.ratings is not None:
            if len(self.ratings) != n:
                bad("ratings", f"{len(self.ratings)} rating rows for {n} ballots")
            for i, row in enumerate(self.ratings):
                if len(row) != m:
                    bad(f"ratings[{i}]", f"{len(row)} ratings for {m} candidates (None = unrated)")
                for c, value in enumerate(row):
                    if value is not None and not RATING_MIN <= value <= RATING_MAX:
                        bad(f"ratings[{i}][{c}]", f"{value!r} is outside 0..10")
        if self.dots is not None:
            if len(self.dots) != n:
                bad("dots", f"{len(self.dots)} dot rows for {n} ballots")
            for i, row in enumerate(self.dots):
                if len(row) != m or any(d < 0 for d in row):
                    bad(f"dots[{i}]", f"dots must be {m} non-negative whole numbers")
                elif self.dots_budget is not None and sum(row) > self.dots_budget:
                    bad(f"dots[{i}]", f"{sum(row)} dots exceed the budget of {self.dots_budget}")

    @classmethod
    def from_rankings(
        cls,
        candidates: Sequence[str] | Mapping[str, str],
        rankings: Mapping[str, Sequence[str | Sequence[str]]],
        *,
        approvals: Mapping[str, Sequence[str]] | None = None,
        ratings: Mapping[str, Mapping[str, float]] | None = None,
        dots: Mapping[str, Mapping[str, int]] | None = None,
        dots_budget: int | None = None,
        title: str = "",
    ) -> Profile:
        """One ballot per named voter, from rankings given as lists of tiers of candidate ids.

        ``candidates`` is a list of ids or a mapping id -> display name.  A tier is an id or a
        list of ids (a tie), best first.  Voters named only in ``approvals``/``ratings``/``dots``
        get an empty ranking.  Unknown ids and repeated ids are :class:`InputError` problems
        located by field path (``rankings.dana[1]``).

        >>> p = Profile.from_rankings({"x": "Option X", "y": "Option Y"}, {"v1": ["y", "x"]})
        >>> p.names, p.ballots
        (('Option X', 'Option Y'), (((1,), (0,)),))
        """
        ids = tuple(candidates)
        names = tuple(candidates[c] for c in ids) if isinstance(candidates, Mapping) else ids
        index = {c: i for i, c in enumerate(ids)}
        voters = list(rankings)
        for extra in (approvals, ratings, dots):
            voters.extend(v for v in (extra or {}) if v not in voters)
        problems: list[Problem] = []

        def lookup(where: Callable[[], str], value: object) -> int | None:
            if isinstance(value, str) and value in index:
                return index[value]
            hint = did_you_mean(value, ids) if isinstance(value, str) else ""
            problems.append(
                Problem(f"{value!r} is not a candidate id{hint}", Location(field=where()))
            )
            return None

        ballots: list[Ballot] = []
        for voter in voters:
            ballots.append(_ballot(voter, rankings.get(voter, ()), lookup, problems))
        approval_rows = ratings_rows = dots_rows = None
        if approvals is not None:
            approval_rows = tuple(
                _approval_row(voter, approvals.get(voter, ()), lookup, problems) for voter in voters
            )
        if ratings is not None:
            ratings_rows = tuple(
                _value_row(f"ratings.{v}", ratings.get(v, {}), len(ids), lookup) for v in voters
            )
        if dots is not None:
            dots_rows = tuple(
                tuple(0 if d is None else int(d) for d in row)
                for row in (
                    _value_row(f"dots.{v}", dots.get(v, {}), len(ids), lookup) for v in voters
                )
            )
        if problems:
            raise InputError.from_problems(problems, "the rankings name unknown or repeated ids")
        return cls(
            candidates=ids,
            names=names,
            ballots=tuple(ballots),
            counts=(1,) * len(voters),
            voters=tuple(voters),
            approvals=approval_rows,
            ratings=ratings_rows,
            dots=dots_rows,
            dots_budget=dots_budget,
            title=title,
        )


def _ballots_valid(ballots: tuple[Ballot, ...], m: int) -> bool:
    """Fast check that every tier is non-empty and every ballot names distinct candidate
    indices in ``0..m-1`` (set operations, no per-entry Python work).  When it fails, the
    detailed loop in :meth:`Profile._problems` finds and locates each problem."""
    valid = set(range(m))
    seen: set[object] = set()
    for ballot in ballots:
        if not all(ballot):
            return False
        members = set().union(*ballot)
        if len(members) != sum(map(len, ballot)):
            return False
        seen |= members
    # 1.0 or True would pass the set test (they hash like 1): require exact ints.
    return seen <= valid and all(type(c) is int for c in seen)


def _ballot(
    voter: str,
    ranking: Sequence[str | Sequence[str]],
    lookup: _Lookup,
    problems: list[Problem],
) -> Ballot:
    tiers: list[Tier] = []
    seen: set[int] = set()
    for t, entry in enumerate(ranking):
        members = [entry] if isinstance(entry, str) else list(entry)
        tier: list[int] = []
        for k, member in enumerate(members):
            where = (
                partial("rankings.{}[{}]".format, voter, t)
                if isinstance(entry, str)
                else partial("rankings.{}[{}][{}]".format, voter, t, k)
            )

            c = lookup(where, member)
            if c is None:
                continue
            if c in seen:
                problems.append(
                    Problem(
                        f"'{member}' is ranked twice (rank each id once)", Location(field=where())
                    )
                )
                continue
            seen.add(c)
            tier.append(c)
        if tier:
            tiers.append(tuple(tier))
    return tuple(tiers)


def _approval_row(
    voter: str, approved: Sequence[str], lookup: _Lookup, problems: list[Problem]
) -> tuple[int, ...]:
    row: list[int] = []
    for k, candidate in enumerate(approved):
        c = lookup(partial("approvals.{}[{}]".format, voter, k), candidate)
        if c is not None and c not in row:
            row.append(c)
    return tuple(sorted(row))


def _value_row(
    field: str, values: Mapping[str, float], m: int, lookup: _Lookup
) -> tuple[float | None, ...]:
    row: list[float | None] = [None] * m
    for candidate, value in values.items():
        c = lookup(partial("{}.{}".format, field, candidate), candidate)
        if c is not None:
            row[c] = value
    return tuple(row)
