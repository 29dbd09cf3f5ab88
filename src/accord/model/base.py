"""The strict base model and shared field types of every accord file format."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import (
    AfterValidator,
    AllowInfNan,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    model_validator,
)

from accord.errors import did_you_mean

SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=100)]
"""An id: lowercase letters, digits, ``-`` and ``_``, starting with a letter or digit."""

Number = Annotated[float, AllowInfNan(False)]
"""A finite number; YAML integers are accepted and stored as floats."""


def _number_only(value: Any) -> Any:
    # Pydantic would read `true` as 1.0 and "14" as 14.0; in a case file both are mistakes.
    if isinstance(value, bool | str):
        raise ValueError(f"expected a number, got {value!r}")
    return value


def _text_or_date(value: Any) -> Any:
    # "horizon: 2027-12-31" arrives from YAML as a date; "horizon: 2027" as an int.
    if isinstance(value, dt.date | int | float) and not isinstance(value, bool):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return value


MAX_REVIEW_EVERY_DAYS = 3660
"""Longest review interval (about ten years).  RFC 5545 leaves ``INTERVAL`` unbounded, but
calendar clients store it in 32 bits; ten years is far beyond any real cadence."""

LATEST_DATE = dt.date(9899, 12, 31)
"""Latest date accepted anywhere (files and command line).  Dates derived from it (next
review = date + review_every_days, the review series) then stay below ``date.max``
(9999-12-31), a century later."""


def check_day(value: dt.date) -> dt.date:
    """``value`` if it is on or before :data:`LATEST_DATE`, else a ValueError saying so."""
    if value > LATEST_DATE:
        raise ValueError(
            f"{value.isoformat()} is too late (expected a date up to {LATEST_DATE.isoformat()})"
        )
    return value


Day = Annotated[dt.date, AfterValidator(check_day)]
"""A calendar date no later than :data:`LATEST_DATE`."""

StrictNumber = Annotated[Number, BeforeValidator(_number_only)]
Probability = Annotated[StrictNumber, Field(ge=0, le=1)]
Horizon = Annotated[str, BeforeValidator(_text_or_date)]
Level = Literal["low", "medium", "high"]


class ReferenceProblem(NamedTuple):
    """A whole-document problem: the field path where it is and the message.

    ``on_key`` places it on the mapping key (an unknown id used as a key) instead of the value.
    """

    field: tuple[str | int, ...]
    message: str
    on_key: bool = False


class AccordModel(BaseModel):
    """Strict base: unknown keys are errors and models are immutable."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        validate_default=False,
        use_attribute_docstrings=False,
        ser_json_inf_nan="strings",
    )

    def reference_problems(self) -> list[ReferenceProblem]:
        """Problems that need the whole document (ids that must exist); none by default."""
        return []

    @model_validator(mode="after")
    def _check_references(self, info: ValidationInfo) -> AccordModel:
        check_references(self, info)
        return self


def check_references(model: AccordModel, info: ValidationInfo) -> None:
    """Raise the model's reference problems as one ``ValueError`` unless the loader defers them.

    The located loader asks to defer so it can place every problem on its line; code that
    builds a model directly gets them all in one error.  Every
    :class:`AccordModel` calls it after validation.
    """
    context = info.context if isinstance(info.context, dict) else {}
    if context.get("defer_references"):
        return
    problems = model.reference_problems()
    if problems:
        raise ValueError("; ".join(f"{_dotted(p.field)}: {p.message}" for p in problems))


def _dotted(field: Sequence[str | int]) -> str:
    text = ""
    for part in field:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def unknown_id(value: str, what: str, known: Sequence[str]) -> str:
    """``'cfoo' is not a stakeholder id (did you mean 'cfo'?)``."""
    return f"'{value}' is not {what}{did_you_mean(value, known)}"


def duplicate_ids(
    items: Sequence[Any], list_name: str, *, attr: str = "id"
) -> list[ReferenceProblem]:
    """One problem per repeated id in ``items`` (placed on the repeat, naming the first)."""
    first: dict[str, int] = {}
    problems: list[ReferenceProblem] = []
    for index, item in enumerate(items):
        value = getattr(item, attr, None)
        if value is None:
            continue
        if value in first:
            problems.append(
                ReferenceProblem(
                    (list_name, index, attr),
                    f"duplicate id '{value}' (also {list_name}[{first[value]}])",
                )
            )
        else:
            first[value] = index
    return problems
