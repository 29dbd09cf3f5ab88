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
