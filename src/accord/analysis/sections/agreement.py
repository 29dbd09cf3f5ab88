"""How aligned the stakeholders are, and where their weights and facts differ."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Alignment:
    """The alignment index (0-100) and its components (each 0-1, None when not measurable).

    ``index`` is None ("n/a") when no component can be measured, e.g. a case without inputs.
    ``rankings`` is taken over every option, excluded ones included: ``ranked_options`` of
    them, ``ranked_excluded`` excluded.  ``parts`` says each component in plain words.
    """

    index: float | None
    label: Literal["high", "partial", "low", "n/a"]
    rankings: float | None
    weights: float | None
    facts: float | None
    components: list[str]
    sentence: str
    ranked_options: int
    ranked_excluded: int
    parts: list[str]


@dataclass(frozen=True)
class Dispersion:
    """How far apart the stakeholders' weights on one criterion are."""

    criterion: str
    mean: float
    std: float
    range: float
    lowest: str  # stakeholder with the smallest weight
    highest: str
    low: float
    high: float


@dataclass(frozen=True)
class DisputedFact:
    """A fact of the shared fact base that someone disputes."""

    fact: str
    statement: str
    disputed_by: list[str]
    accepted_by: list[str]


@dataclass(frozen=True)
class RankCorrelations:
    """Kendall's tau of every two stakeholders' utilities (rows, columns: ``stakeholders``)."""

    stakeholders: list[str]
    tau: list[list[float]]


@dataclass(frozen=True)
class Agreement:
    """Agreement of rankings and weights, the alignment index, and the shared fact base."""

    alignment: Alignment
    kendall_w: float | None
    kendall_p: float | None
    krippendorff_alpha: float | None
    correlations: RankCorrelations
    dispersion: list[Dispersion]  # most dispersed criterion first
    facts_accepted_by_all: list[str]
    disputed_facts: list[DisputedFact]
    sentences: list[str]
