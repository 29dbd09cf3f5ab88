"""What needs to be true: cruxes, weight stability, what would make an option acceptable,
and whether two stakeholders' goals really conflict."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Evidence:
    """How a fact of the shared fact base bears on a crux."""

    fact: str
    stance: Literal["backs", "contradicts", "informs"]
    accepted: bool  # by the stakeholder concerned (by everyone, for the group)
    value: float | None


@dataclass(frozen=True)
class Crux:
    """One "what needs to be true": the smallest change that flips a preference.

    ``form == "preference"``: ``stakeholder`` (None: the group) would prefer
    ``challenger`` over ``prefers`` if the value were ``direction`` ``threshold``.
    ``form == "acceptance"``: they would put ``challenger`` (the recommendation) first
    among the feasible options, ahead of ``prefers`` (their first choice today); for a
    weight, the condition holds up to ``until`` (None: all the way to 0 or 1).

    ``kind == "estimate"``: the value is ``varied_option``'s estimate on ``criterion``
    (the stakeholder's own score when stakeholders score that criterion); ``"weight"``:
    the stakeholder's weight on ``criterion``, the other weights scaled to match.
    ``threshold`` is exact (the two options tie there); ``shown`` is the rounded number
    the sentence states, on the side of the threshold where the claim holds.
    """

    form: Literal["preference", "acceptance"]
    kind: Literal["estimate", "weight"]
    stakeholder: str | None
    prefers: str
    challenger: str
    rivals: list[str]  # stakeholders whose first feasible choice is the challenger
    varied_option: str | None
    criterion: str
    own_score: bool  # the value is the stakeholder's own score, not a shared estimate
    direction: Literal["above", "below"]
    current: float
    threshold: float
    shown: float
    until: float | None
    range_low: float | None
    range_high: float | None
    inside_range: bool | None
    relative_change: float
    tier: int  # 0 backed by an accepted fact, 1 inside the range, 2 point or weight, 3 unlikely
    evidence: list[Evidence]
    next_step: Literal["gather data", "run an experiment", "add a guardrail"]
    headline: bool  # the one crux the summary shows for this stakeholder
    sentence: str
    if_otherwise: str  # the seeds' phrasing: "A is better than B if X; otherwise B"


@dataclass(frozen=True)
class Change:
    """One bound an excluded option must meet to become feasible."""

    constraint: str  # guardrail id, "budget" or "capacity"
    kind: Literal["guardrail", "budget", "capacity"]
    criterion: str | None
    current: float
    bound: float
    direction: Literal["at most", "at least"]


@dataclass(frozen=True)
class Acceptability:
    """What would make an excluded option that someone puts first acceptable."""

    option: str
    favoured_by: list[str]
    changes: list[Change]
    sentence: str


@dataclass(frozen=True)
class NoSingleChange:
    """A stakeholder whom no single change of one weight or one estimate brings to the
    recommendation."""

    stakeholder: str
    recommendation: str
    sentence: str


@dataclass(frozen=True)
class WeightInterval:
    """How far one weight can move before that stakeholder's first feasible choice changes.

    Between ``low`` and ``high`` (the other weights scaled to match) ``top`` stays first;
    ``takeover_below`` / ``takeover_above`` is the option first just outside each end
    (None where the end is 0 or 1).
    """

    stakeholder: str
    criterion: str
    weight: float
    low: float
    high: float
    top: str
    takeover_below: str | None
    takeover_above: str | None


@dataclass(frozen=True)
class ConflictView:
    """Rank correlation of two stakeholders' utilities in one scope.

    ``scope`` ``all``, ``criterion`` (``key`` a criterion id), ``segment`` or ``horizon``
    (``key`` the tag); only scopes where the two can differ are listed.
    """

    scope: Literal["all", "criterion", "segment", "horizon"]
    key: str
    label: str
    correlation: float | None
    verdict: Literal["conflict", "agree", "mixed", "undefined"]


@dataclass(frozen=True)
class SharedPreference:
    """A pairwise comparison two stakeholders agree on: both prefer ``better``."""

    better: str
    worse: str


@dataclass(frozen=True)
class GoalConflict:
    """Are two stakeholders' goals truly inversely correlated, and where do they agree?"""

    first: str
    second: str
    correlation: float | None  # Spearman's rho of their utilities over the options
    verdict: Literal["conflict", "agree", "mixed", "undefined"]
    views: list[ConflictView]
    conflicts_on: list[str]
    agrees_on: list[str]
    shared_preferences: list[SharedPreference]  # strongest first, at most a few
    shared_count: int  # how many option pairs both order the same way
    comparisons: int  # option pairs compared
    sentence: str


@dataclass(frozen=True)
class Cruxes:
    """Everything "what needs to be true", among the feasible options."""

    items: list[Crux]
    acceptability: list[Acceptability]
    no_single_change: list[NoSingleChange]
    weight_intervals: list[WeightInterval]
    goal_conflicts: list[GoalConflict]
    considered: int  # candidate flips solved
