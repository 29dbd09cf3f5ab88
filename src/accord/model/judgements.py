"""The facilitator's judgement on a pair of initiatives that the analysis may call duplicates.

Text similarity proposes; a person who knows the work decides.  A judgement overrides the
computed kind of the pair (``accord.analysis.text.near_duplicates``) and the report says
whose judgement it was.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from accord.model.base import AccordModel, Day, Slug

Verdict = Literal["duplicate", "related", "not_related"]


class PairJudgement(AccordModel):
    """Two options (or two ideas) judged the same work, related work, or not related."""

    pair: list[Slug] = Field(
        min_length=2, max_length=2, description="The two option ids (or idea ids, with of: ideas)."
    )
    of: Literal["options", "ideas"] = Field(
        default="options", description="Whether the pair names options or ideas."
    )
    verdict: Verdict = Field(
        description=(
            "duplicate (confirmed: the same work, its cost counts as redundant), related "
            "(related work, not a duplicate: coordinate) or not_related."
        )
    )
    by: str = Field(
        min_length=1, description="Who judged: a stakeholder id or the facilitator's name."
    )
    date: Day = Field(description="When it was judged.")
    note: str | None = Field(default=None, description="Why, free text.")

    @field_validator("pair")
    @classmethod
    def _two_different(cls, pair: list[str]) -> list[str]:
        if pair[0] == pair[1]:
            raise ValueError(f"pair names '{pair[0]}' twice (expected two different ids)")
        return pair
