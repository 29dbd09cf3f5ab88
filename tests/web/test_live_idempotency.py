"""A command retried with the same idempotency key is stored once and answered alike."""

from __future__ import annotations

import sqlalchemy as sa
from tests.web.conftest import Web
from tests.web.test_workshops import run, start

from accord.store.tables import WorkshopEvent


def ideas_stored(web: Web) -> int:
    with web.store.session() as session:
        count = session.scalar(
            sa.select(sa.func.count())
            .select_from(WorkshopEvent)
            .where(WorkshopEvent.kind == "idea_added")
        )
    assert count is not None
    return count


def test_a_retry_with_the_same_key_stores_nothing_new_and_answers_the_same(web: Web) -> None:
    console, grace, marcus = start(web)
    run(web, console, "agenda_set", items="A?\nB?\nC?")
    run(web, console, "item_started", item=0)
    first = grace.do("idea_added", text="Once only", command_key="k-1")
    again = grace.do("idea_added", text="Once only", command_key="k-1")
    assert first == again == (204, "")
    assert ideas_stored(web) == 1
    # Another key is another submission; a key is not shared across authors.
    assert grace.do("idea_added", text="Once only", command_key="k-2")[0] == 204
    assert ideas_stored(web) == 2
    status, message = marcus.do("idea_added", text="Mine", command_key="k-1")
    assert status == 409 and "command_key" in message
    assert ideas_stored(web) == 2


def test_a_malformed_key_is_refused_in_plain_words(web: Web) -> None:
    console, grace, _ = start(web)
    run(web, console, "agenda_set", items="A?\nB?\nC?")
    run(web, console, "item_started", item=0)
    status, message = grace.do("idea_added", text="x", command_key="bad key!" * 10)
    assert status == 409 and message.startswith("command_key: ")
    assert ideas_stored(web) == 0
