"""Live workshops under attack: a revoked link's open stream."""

from __future__ import annotations

from tests.web.conftest import Web
from tests.web.test_workshops import run, start

from accord.store import repository
from accord.store.tables import CaseRecord


def revoke(web: Web, link: str) -> None:
    """Revoke the link ``/w/<raw>`` as its case's owner would."""
    with web.store.session() as session:
        token = repository.resolve_token(session, link.removeprefix("/w/"))
        assert token is not None
        owner = session.get(CaseRecord, token.case_id)
        assert owner is not None
        assert repository.revoke_token(session, owner.owner_id, token.id)


def test_a_revoked_participants_open_stream_stops_and_receives_nothing_more(web: Web) -> None:
    console, grace, marcus = start(web)
    run(web, console, "agenda_set", items="A?\nB?\nC?")
    run(web, console, "item_started", item=0)
    with grace.client.stream("GET", f"{grace.link}/events") as stream:
        lines = stream.iter_lines()
        first: list[str] = []
        while not (first and first[-1] == "" and any(x.startswith("data:") for x in first)):
            first.append(next(lines))  # the first board, sent when the stream opens
        revoke(web, grace.link)
        marcus.do("idea_added", text="Marcus after the revoke")
        assert run(web, console, "phase_changed", phase="reveal")[0] == 204
        after = []
        for line in lines:  # before the fix, the next board arrives and the loop breaks
            after.append(line)
            if line == "" and any(x.startswith("data:") for x in after):
                break
    assert not any("Marcus after the revoke" in line for line in after)
    assert not any(line.startswith("id:") for line in after), after


def test_revoking_from_the_dashboard_ends_the_open_stream_at_once(web: Web) -> None:
    """The revoke route wakes the workshop's streams: no wait for the next keep-alive."""
    import re
    import time

    from tests.web.conftest import csrf_of

    from accord.web.routes.workshops import KEEPALIVE_SECONDS

    console, grace, _ = start(web)
    with web.store.session() as session:
        token = repository.resolve_token(session, grace.link.removeprefix("/w/"))
        assert token is not None
        token_id, case_id = token.id, token.case_id
    with grace.client.stream("GET", f"{grace.link}/events") as stream:
        lines = stream.iter_lines()
        first: list[str] = []
        while not (first and first[-1] == "" and any(x.startswith("data:") for x in first)):
            first.append(next(lines))
        page = web.client.get(f"/cases/{case_id}")
        revoked = web.client.post(
            f"/cases/{case_id}/tokens/{token_id}/revoke",
            data={"csrf": csrf_of(page.text)},
            follow_redirects=False,
        )
        assert revoked.status_code == 303
        started = time.monotonic()
        rest = list(lines)  # ends when the server closes the stream
        waited = time.monotonic() - started
    assert not any(re.match(r"data:.*", line) for line in rest)
    assert waited < KEEPALIVE_SECONDS / 3, f"the stream closed only after {waited:.1f} s"
