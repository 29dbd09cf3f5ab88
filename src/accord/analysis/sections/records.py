"""The decision log, the action register and the review cadence, judged on one day."""

from __future__ import annotations

from dataclasses import dataclass

from accord.analysis.records import CadenceKind


@dataclass(frozen=True)
class DissentRecord:
    """A stakeholder's recorded disagreement, verbatim."""

    by: str
    reason: str


@dataclass(frozen=True)
class AssumptionRecord:
    """A crux a decision rests on, and when it is checked."""

    id: str
    statement: str
    owner: str | None
    metric: str | None
    threshold: str | None
    check_date: str | None


@dataclass(frozen=True)
class DecisionRecord:
    """A decision taken: the option(s), by whom, why, and who disagreed."""

    id: str
    options: list[str]
    date: str
    accountable: str | None
    rationale: str | None
    dissent: list[DissentRecord]
    review_date: str | None
    assumptions: list[AssumptionRecord]


@dataclass(frozen=True)
class ActionItem:
    """An action of the register; ``overdue``: not done and past its deadline."""

    id: str
    title: str
    owner: str
    deadline: str | None
    metric: str | None
    done: bool
    decision: str | None
    overdue: bool
    days_overdue: int


@dataclass(frozen=True)
class CadenceEntry:
    """One event of the cadence: a one-off date or a recurring series (RFC 5545 RRULE)."""

    uid: str
    kind: CadenceKind
    summary: str
    date: str
    rrule: str | None
    description: str


@dataclass(frozen=True)
class Review:
    """The next review still ahead on the analysis date, and what it is."""

    date: str
    kind: CadenceKind  # review, checkpoint, decision-review or assumption-check
    sentence: str
