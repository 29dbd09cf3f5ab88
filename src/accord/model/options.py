"""Options under decision: estimates per criterion, cost, effort, risks, pros and cons."""

from __future__ import annotations

from typing import Any

from pydantic import (
    Field,
    GetJsonSchemaHandler,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from accord.model.base import AccordModel, Probability, Slug, StrictNumber


class Estimate(AccordModel):
    """An estimate: a plain number, or a range ``{low, likely, high}`` (triangular/PERT).

    A plain number has ``low == likely == high`` and is written back as a number.

    >>> Estimate.model_validate(14).low
    14.0
    >>> Estimate.model_validate({"low": 55, "likely": 58, "high": 62}).high
    62.0
    """

    low: StrictNumber = Field(description="Pessimistic-side value (defaults to likely).")
    likely: StrictNumber = Field(description="Most likely value.")
    high: StrictNumber = Field(description="Optimistic-side value (defaults to likely).")

    @model_validator(mode="before")
    @classmethod
    def _from_number(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return {"low": value, "likely": value, "high": value}
        if isinstance(value, dict):
            if "likely" in value:
                filled = dict(value)
                filled.setdefault("low", value["likely"])
                filled.setdefault("high", value["likely"])
                return filled
            return value
        if isinstance(value, Estimate):
            return value
        raise ValueError(f"expected a number or a range {{low, likely, high}}, got {value!r}")

    @model_validator(mode="after")
    def _ordered(self) -> Estimate:
        if not self.low <= self.likely <= self.high:
            raise ValueError(
                f"expected low <= likely <= high, got low {self.low:g}, "
                f"likely {self.likely:g}, high {self.high:g}"
            )
        return self

    @property
    def is_range(self) -> bool:
        """True when the estimate is uncertain (low < high)."""
        return self.low < self.high

    @model_serializer(mode="wrap")
    def _as_number_when_exact(self, handler: SerializerFunctionWrapHandler) -> Any:
        if not self.is_range:
            return self.likely
        return handler(self)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        rng = {
            "type": "object",
            "title": "Range",
            "properties": {
                "low": {"type": "number", "description": "Pessimistic-side value."},
                "likely": {"type": "number", "description": "Most likely value."},
                "high": {"type": "number", "description": "Optimistic-side value."},
            },
            "required": ["likely"],
            "additionalProperties": False,
        }
        return {
            "title": "Estimate",
            "description": "A number, or a range {low, likely, high} with low <= likely <= high.",
            "anyOf": [{"type": "number"}, rng],
        }


class Risk(AccordModel):
    """A risk of an option, with likelihood, impact and mitigation."""

    id: Slug = Field(description="Risk id, unique within its option.")
    description: str = Field(description="What could go wrong.")
    likelihood: Probability = Field(description="Probability 0..1.")
    impact: StrictNumber = Field(ge=1, le=5, description="Impact 1..5.")
    mitigation: str | None = Field(default=None, description="What reduces the risk.")
    residual_likelihood: Probability | None = Field(
        default=None, description="Probability 0..1 after mitigation."
    )
    residual_impact: StrictNumber | None = Field(
        default=None, ge=1, le=5, description="Impact 1..5 after mitigation."
    )
    owner: Slug | None = Field(default=None, description="Stakeholder id who owns the risk.")


class ProCon(AccordModel):
    """A pro or con as stated by a stakeholder."""

    by: Slug = Field(description="Stakeholder id who said it.")
    text: str = Field(description="What they said.")


class Option(AccordModel):
    """One of the options under decision."""

    id: Slug = Field(description="Option id, unique in the case.")
    name: str = Field(description="Display name.")
    description: str | None = Field(default=None, description="What the option is.")
    team: str | None = Field(default=None, description="Proposing team or department.")
    estimates: dict[Slug, Estimate] = Field(
        default_factory=dict, description="Criterion id -> number or range."
    )
    cost: StrictNumber | None = Field(default=None, ge=0, description="Cost in budget currency.")
    effort: StrictNumber | None = Field(default=None, ge=0, description="Effort in capacity unit.")
    risks: list[Risk] = Field(default_factory=list, description="Risks of this option.")
    pros: list[ProCon] = Field(default_factory=list, description="Pros stated by stakeholders.")
    cons: list[ProCon] = Field(default_factory=list, description="Cons stated by stakeholders.")
