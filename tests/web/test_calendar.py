"""The calendar feed: a tokenised URL calendar apps poll, always the current revision's
dates, shown once, revocable, and never listed as a stakeholder link."""

from __future__ import annotations

import re

import icalendar
from tests.web.conftest import EXAMPLES, Web

CASE = (EXAMPLES / "budget-workshop.yaml").read_text(encoding="utf-8")


def _case(web: Web, text: str = CASE) -> str:
    answer = web.client.post(
        "/cases", data={"csrf": web.csrf("/"), "source": text}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"])


def _new_feed(web: Web, case: str) -> str:
    page = web.client.post(f"{case}/calendar", data={"csrf": web.csrf(f"{case}/calendar")})
    found = re.search(r"(http://127\.0\.0\.1/cal/[A-Za-z0-9_-]+\.ics)", page.text)
    assert found, page.text
    return found.group(1)


def _uids(body: bytes) -> set[str]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(e["uid"]) for e in calendar.walk("VEVENT")}


def test_the_feed_serves_the_current_revisions_dates(web: Web) -> None:
    web.sign_in()
    case = _case(web)
    url = _new_feed(web, case)
    # Shown once: the page after a reload no longer holds it.
    assert url.removeprefix("http://127.0.0.1") not in web.client.get(f"{case}/calendar").text
    first = web.client.get(url)
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("text/calendar")
    uids = _uids(first.content)
    assert any(".action.act-trial-derisk@" in u for u in uids)
    # A revision that adds an open action with a deadline shows up at the same address.
    added = CASE.replace(
        "actions:\n",
        "actions:\n  - {id: act-new-one, title: Brief the board, owner: cmo, deadline: 2027-01-20,"
        " metric: Board briefed}\n",
        1,
    )
    assert added != CASE
    _case(web, added)
    assert any(".action.act-new-one@" in u for u in _uids(web.client.get(url).content))


def test_a_revoked_feed_is_gone_and_feeds_are_not_stakeholder_links(web: Web) -> None:
    web.sign_in()
    case = _case(web)
    url = _new_feed(web, case)
    page = web.client.get(f"{case}/calendar").text
    feed_id = re.search(r"/calendar/(\d+)/revoke", page)
    assert feed_id
    dashboard = web.client.get(case).text
    assert f"/tokens/{feed_id.group(1)}/revoke" not in dashboard  # not in the links table
    web.client.post(
        f"{case}/calendar/{feed_id.group(1)}/revoke", data={"csrf": web.csrf(f"{case}/calendar")}
    )
    assert web.client.get(url).status_code == 404
    assert "revoked" in web.client.get(f"{case}/calendar").text
    # A stakeholder link is not a feed, whatever its token.
    stakeholder = web.client.post(
        f"{case}/tokens", data={"csrf": web.csrf(case), "stakeholder_id": "cmo"}
    )
    link = re.search(r"/i/([A-Za-z0-9_-]+)", stakeholder.text)
    assert link
    assert web.client.get(f"/cal/{link.group(1)}.ics").status_code == 404
