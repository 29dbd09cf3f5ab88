"""How numbers, money and dates read in a report (no locale: the same output everywhere)."""

from __future__ import annotations

import datetime as dt

MONTHS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip


def as_date(value: str | dt.date | None) -> dt.date | None:
    """An ISO date string (or date) as a date; ``None`` when absent or unreadable."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def date_words(value: str | dt.date | None) -> str:
    """``2026-12-04`` -> ``4 Dec 2026``.

    >>> date_words("2026-12-04")
    '4 Dec 2026'
    """
    day = as_date(value)
    if day is None:
        return str(value) if value else ""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def money(amount: float | None, currency: str | None = None) -> str:
    """``1400000, 'USD'`` -> ``USD 1.4m``; amounts under a million keep thousands.

    >>> money(1400000, "USD"), money(450000, "EUR"), money(950, None)
    ('USD 1.4m', 'EUR 450k', '950')
    """
    if amount is None:
        return ""
    prefix = f"{currency} " if currency else ""
    size = abs(float(amount))
    if size >= 1e6:
        return f"{prefix}{amount / 1e6:.3g}m"
    if size >= 1e4:
        return f"{prefix}{amount / 1e3:.3g}k"
    return f"{prefix}{amount:,.0f}"


def number(value: float | int | None, digits: int = 2) -> str:
    """A float shown with ``digits`` decimals; integers stay integers; ``None`` -> dash.

    >>> number(0.12345), number(3), number(None)
    ('0.12', '3', '–')
    """
    if value is None:
        return "–"
    if isinstance(value, int):
        return str(value)
    return f"{value:.{digits}f}"


def percent(value: float | None, digits: int = 0) -> str:
    """A share in 0..1 as a percentage: ``0.355`` -> ``36%``; ``None`` -> dash."""
    if value is None:
        return "–"
    return f"{100 * value:.{digits}f}%"


def ordinal(n: int) -> str:
    """``3`` -> ``3rd``.

    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 22)]
    ['1st', '2nd', '3rd', '4th', '11th', '22nd']
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def capital(text: str) -> str:
    """The sentence with its first letter upper-cased (the analysis writes clauses)."""
    return text[:1].upper() + text[1:]


def group_letter(group: int) -> str:
    """Opinion groups are lettered as Polis letters them: 0 -> A."""
    return chr(ord("A") + group) if 0 <= group < 26 else str(group)
