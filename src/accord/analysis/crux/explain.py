"""Cruxes in words: the one place their sentences are written, from the numbers alone.

Every sentence states the number it was given (``Finding.shown``: the threshold rounded
away from today, so the claim holds at the number read) and says which way the value has
to move; a weight condition that ends before 0 or 1, or an estimate that a guardrail
caps, says where the claim stops holding.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from accord.analysis.crux.search import Evidence, Finding


@dataclass(frozen=True)
class Labels:
    """Display names by index; ``units[c]`` is criterion ``c``'s unit (or None)."""

    stakeholders: Sequence[str]
    options: Sequence[str]
    criteria: Sequence[str]
    units: Sequence[str | None]

    def stakeholder(self, i: int | None) -> str:
        return "the group" if i is None else self.stakeholders[i]

    def option(self, i: int) -> str:
        return self.options[i]

    def criterion(self, i: int) -> str:
        """A criterion's name mid-sentence: "Gross margin" -> "gross margin", "ARR" stays."""
        name = self.criteria[i]
        if len(name) > 1 and name[0].isupper() and name[1].islower():
            name = name[0].lower() + name[1:]
        return name

    def value(self, v: float, c: int, digits: int = 15) -> str:
        return with_unit(number(v, digits), self.units[c])


def number(v: float, digits: int = 3) -> str:
    """A number to ``digits`` significant digits, thousands separated; never "-0".

    >>> number(52.8), number(1234567.0, 15), number(-0.0), number(0.0004213, 2), number(1150)
    ('52.8', '1,234,567', '0', '0.00042', '1,150')
    """
    if abs(v) >= 1000 and abs(v) < 1e15:
        # Whole thousands read better than "1.15e+03": round to the digits, keep zeros.
        places = max(0, digits - 1 - int(math.floor(math.log10(abs(v)))))
        rounded = round(v, -int(math.floor(math.log10(abs(v)))) + digits - 1)
        text = f"{rounded:,.{places}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    else:
        text = f"{v:.{digits}g}"
    return "0" if text in ("-0", "0") else text


def with_unit(text: str, unit: str | None) -> str:
    """A number with its unit: "12%", "3 USD m", and a scale as "4 (scale 1-5)"."""
    if not unit:
        return text
    if unit == "%":
        return f"{text}%"
    if unit[:1].isdigit():
        return f"{text} (scale {unit})"
    return f"{text} {unit}"


def digits_to_tell_apart(a: float, b: float) -> int:
    """The fewest significant digits (3 or more) at which ``a`` and ``b`` read differently."""
    for digits in range(3, 16):
        if number(a, digits) != number(b, digits):
            return digits
    return 15


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def condition(f: Finding, labels: Labels, *, mood: str = "were") -> str:
    """What must be true, e.g. "Hold's margin were below 52.8% (today 60%, range 50–70)"."""
    crit = labels.criterion(f.criterion)
    word = "above" if f.above else "below"
    shown = labels.value(f.shown, f.criterion) if f.kind == "estimate" else number(f.shown, 15)
    today_digits = digits_to_tell_apart(f.shown, f.current)
    if f.kind == "weight":
        whose = "the mean" if f.row is None else "their"
        bound = ""
        if f.until is not None:
            bound = f" and {'below' if f.above else 'above'} {number(f.until, 3)}"
        return (
            f"{whose} weight on {crit} {mood} {word} {shown}{bound} "
            f"(today {number(f.current, today_digits)}, other weights scaled to match)"
        )
    assert f.varied is not None  # internal: estimate findings name the varied option
    option = labels.option(f.varied)
    subject = (
        f"their own score of {option} on {crit}" if f.own_score else f"{possessive(option)} {crit}"
    )
    today = f"today {labels.value(f.current, f.criterion, today_digits)}"
    if f.range_low is not None and f.range_high is not None:
        today += f", range {number(f.range_low)}–{number(f.range_high)}"
    bound = ""
    if f.until is not None:
        bound = (
            f" and {'at most' if f.above else 'at least'} "
            f"{labels.value(f.until, f.criterion)} (the guardrail's limit)"
        )
    return f"{subject} {mood} {word} {shown}{bound} ({today})"


def crux_sentence(f: Finding, labels: Labels) -> str:
    """The whole claim, with what would settle it."""
    who = labels.stakeholder(f.row)
    who = who[:1].upper() + who[1:]
    if f.form == "acceptance":
        head = (
            f"{who} would put {labels.option(f.challenger)} (the recommendation) first, "
            f"ahead of {labels.option(f.prefers)}, if "
        )
    else:
        head = (
            f"{who} would prefer {labels.option(f.challenger)} over {labels.option(f.prefers)} if "
        )
    return f"{head}{condition(f, labels)} — {_settles(f, labels)}."


def if_otherwise(f: Finding, labels: Labels) -> str:
    """The seeds' phrasing: "A is better than B for X if ...; otherwise B"."""
    who = labels.stakeholder(f.row)
    challenger, prefers = labels.option(f.challenger), labels.option(f.prefers)
    if f.form == "acceptance":
        head = f"{challenger} is the best option for {who} if"
    else:
        head = f"{challenger} is better than {prefers} for {who} if"
    return f"{head} {condition(f, labels, mood='is')}; otherwise {prefers}."


def _settles(f: Finding, labels: Labels) -> str:
    if f.kind == "weight":
        return (
            "a guardrail on it would settle the trade-off"
            if f.next_step == "add a guardrail"
            else "the existing guardrail on it is the place to settle this"
        )
    if f.own_score:
        return "a shared estimate both sides accept would settle it"
    who = "everyone" if f.row is None else labels.stakeholder(f.row)
    phrases = (
        ("informs", "{} decides this"),
        ("backs", "{} supports this"),
        ("contradicts", "but {} says otherwise"),
    )
    ordered = phrases[::-1] if _accepted_contradiction(f.evidence) else phrases
    for stance, phrase in ordered:
        found = sorted((e for e in f.evidence if e.stance == stance), key=lambda e: not e.accepted)
        if found:
            e = found[0]
            doubt = ""
            if not e.accepted:
                doubt = (
                    " (not accepted by everyone)" if f.row is None else f" (not accepted by {who})"
                )
            return phrase.format(e.fact) + doubt
    if f.range_low is not None and not f.inside:
        return "outside the stated range, so unlikely without new evidence"
    if f.inside:
        return "a pilot or experiment would settle it"
    return "no range was given; data would show how likely that is"


def _accepted_contradiction(evidence: Sequence[Evidence]) -> bool:
    return any(e.accepted and e.stance == "contradicts" for e in evidence)


def no_single_change(stakeholder: str, recommendation: str, first: str) -> str:
    """For a stakeholder no acceptance crux reaches (weights and the recommendation's own
    estimates were searched)."""
    return (
        f"No change of a single weight, nor of one of {possessive(recommendation)} "
        f"estimates, makes {stakeholder} put {recommendation} (the recommendation) ahead "
        f"of {first}."
    )
