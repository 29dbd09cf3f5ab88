"""iCalendar output of a case's cadence: parsed back with icalendar, byte-identical."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import icalendar

from accord.io.case_file import load_case
from accord.model.case import Case
from accord.report.calendar import cadence_entries, case_stamp, to_ics

REPO = Path(__file__).resolve().parents[2]

CASE: dict[str, Any] = {
    "accord": 1,
    "id": "pricing",
    "title": "Pricing",
    "question": "Which pricing?",
    "decision_owner": "ceo",
    "stakeholders": [{"id": "ceo", "name": "Elena"}, {"id": "cfo", "name": "Priya"}],
    "options": [{"id": "usage", "name": "Usage pricing"}],
    "decisions": [
        {
            "id": "fy27",
            "option": "usage",
            "date": "2026-11-20",
            "accountable": "ceo",
            "review_date": "2026-12-20",
            "assumptions": [
                {
                    "id": "a1",
                    "statement": "Margin holds",
                    "owner": "cfo",
                    "metric": "gross-margin",
                    "threshold": ">= 60",
                    "check_date": "2027-01-15",
                }
            ],
        }
    ],
    "actions": [
        {"id": "act-1", "title": "Pilot", "owner": "cfo", "deadline": "2026-12-15"},
        {
            "id": "act-2",
            "title": "Done already",
            "owner": "cfo",
            "deadline": "2026-12-01",
            "done": True,
        },
    ],
    "cadence": {
        "review_every_days": 30,
        "standup": "monthly",
        "start": "2026-11-23",
        "checkpoints": [{"name": "Alignment check before budget approval", "date": "2027-01-10"}],
    },
}


def _case(**changes: Any) -> Case:
    data = copy.deepcopy(CASE)
    data.update(changes)
    return Case.model_validate(data)


def _events(data: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_to_ics_round_trips_reviews_standups_checkpoints_and_dates() -> None:
    events = _events(to_ics(_case()))
    assert set(events) == {
        "pricing.review.series@accord",
        "pricing.standup.series@accord",
        "pricing.checkpoint.2027-01-10-alignment-check-before-budget-approval@accord",
        "pricing.decision-review.fy27@accord",
        "pricing.assumption-check.fy27.a1@accord",
        "pricing.action.act-1@accord",
    }
    review = events["pricing.review.series@accord"]
    assert review["RRULE"]["FREQ"] == ["DAILY"] and review["RRULE"]["INTERVAL"] == [30]
    assert review.decoded("DTSTART") == dt.date(2026, 11, 23)
    standup = events["pricing.standup.series@accord"]
    assert standup["RRULE"]["FREQ"] == ["MONTHLY"]
    checkpoint = events[
        "pricing.checkpoint.2027-01-10-alignment-check-before-budget-approval@accord"
    ]
    assert checkpoint.decoded("DTSTART") == dt.date(2027, 1, 10)
    assert "RRULE" not in checkpoint
    assert events["pricing.decision-review.fy27@accord"].decoded("DTSTART") == dt.date(2026, 12, 20)
    check = events["pricing.assumption-check.fy27.a1@accord"]
    assert check.decoded("DTSTART") == dt.date(2027, 1, 15)
    assert "gross-margin >= 60" in str(check["DESCRIPTION"])


def test_to_ics_is_byte_identical_and_stamped_from_the_case() -> None:
    first, second = to_ics(_case()), to_ics(_case())
    assert first == second
    stamps = {e.decoded("DTSTAMP") for e in _events(first).values()}
    assert stamps == {dt.datetime(2026, 11, 23, tzinfo=dt.UTC)}
    calendar = icalendar.Calendar.from_ical(first)
    assert str(calendar["VERSION"]) == "2.0" and "accord" in str(calendar["PRODID"])


def test_to_ics_biweekly_standup_and_no_standup() -> None:
    cadence = {**CASE["cadence"], "standup": "biweekly"}
    standup = _events(to_ics(_case(cadence=cadence)))["pricing.standup.series@accord"]
    assert standup["RRULE"]["FREQ"] == ["WEEKLY"] and standup["RRULE"]["INTERVAL"] == [2]
    cadence = {**CASE["cadence"], "standup": "none"}
    assert "pricing.standup.series@accord" not in _events(to_ics(_case(cadence=cadence)))


def test_cadence_without_start_begins_one_interval_after_first_decision() -> None:
    case = _case(cadence={"review_every_days": 14})
    review = next(e for e in cadence_entries(case) if e.kind == "review")
    assert review.date.isoformat() == "2026-12-04"
    assert review.rrule == "FREQ=DAILY;INTERVAL=14"


def test_case_without_cadence_or_decisions_has_no_series() -> None:
    case = _case(cadence=None, decisions=[], actions=[])
    assert cadence_entries(case) == []
    assert case_stamp(case) == dt.date(2000, 1, 1)
    calendar = icalendar.Calendar.from_ical(to_ics(case))
    assert list(calendar.walk("VEVENT")) == []


def test_one_off_entries_are_in_date_order() -> None:
    dated = [e.date for e in cadence_entries(_case()) if e.rrule is None]
    assert dated == sorted(dated)


def test_example_case_calendar_parses_back() -> None:
    for path in sorted((REPO / "examples").glob("*.yaml")):
        case = load_case(path)
        events = _events(to_ics(case))
        assert len(events) == len(cadence_entries(case))
