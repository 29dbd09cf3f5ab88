"""What each viewer may see: silent brainstorming, anonymity, secret ballots, and the record."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from tests.workshop import Room, ready_room, voting_room

from accord.workshop import WorkshopRuleError, view_for

VIEW_KEYS = {
    "title", "viewer", "closed", "review_date", "settings", "participants", "agenda",
    "current_item", "phase", "timer", "idea_count", "idea_counts", "ideas", "groups", "targets",
    "my_dots", "ballots", "tally", "parking_lot", "decisions", "actions", "time_up",
    "next_phases", "presence", "proposal", "my_position", "stances", "dissent", "suggestions",
}  # fmt: skip


def brainstorming_room() -> Room:
    """Item 0 in brainstorm with two ideas from p1, one from p2 and one from the facilitator."""
    room = ready_room()
    room.do("facilitator", "item_started", item=0)
    room.do("p1", "idea_added", text="Ana secret one")  # i6
    room.do("p1", "idea_added", text="Ana secret two")  # i7
    room.do("p2", "idea_added", text="Ben secret")  # i8
    room.do("facilitator", "idea_added", text="Facilitator secret")  # i9
    return room


def dumped(view: dict[str, object]) -> str:
    return json.dumps(view, ensure_ascii=False)


def test_view_has_the_same_keys_for_every_viewer_and_is_json():
    room = brainstorming_room()
    for viewer in ("facilitator", "p1", "p3"):
        view = room.view(viewer)
        assert set(view) == VIEW_KEYS
        assert json.loads(dumped(view)) == view


def test_view_for_someone_who_has_not_joined_is_refused():
    room = ready_room()
    with pytest.raises(WorkshopRuleError, match="^p7 has not joined this workshop"):
        room.view("p7")


def test_view_needs_an_aware_now():
    with pytest.raises(ValueError, match="now must be a timezone-aware UTC datetime"):
        view_for(ready_room().state, "p1", dt.datetime(2025, 3, 3))


def test_brainstorm_participant_sees_only_own_ideas_and_a_count():
    view = brainstorming_room().view("p1")
    assert view["ideas"] == [
        {"id": "i6", "text": "Ana secret one", "mine": True, "author": None, "group": None},
        {"id": "i7", "text": "Ana secret two", "mine": True, "author": None, "group": None},
    ]
    assert view["idea_count"] == 4
    assert view["idea_counts"] is None
    text = dumped(view)
    for hidden in ("Ben secret", "Facilitator secret", '"i8"', '"i9"'):
        assert hidden not in text


def test_brainstorm_participant_with_no_ideas_sees_nothing_but_the_count():
    view = brainstorming_room().view("p3")
    assert (view["ideas"], view["idea_count"]) == ([], 4)
    assert "secret" not in dumped(view)


def test_brainstorm_facilitator_sees_counts_per_participant_not_texts():
    view = brainstorming_room().view("facilitator")
    assert view["idea_counts"] == {"p1": 2, "p2": 1, "facilitator": 1}
    assert [idea["text"] for idea in view["ideas"]] == ["Facilitator secret"]
    text = dumped(view)
    for hidden in ("Ana secret", "Ben secret", '"i6"', '"i8"'):
        assert hidden not in text


def test_reveal_shows_all_ideas_with_authors_hidden_from_participants():
    room = brainstorming_room()
    room.to_phase("reveal")
    view = room.view("p2")
    assert [(i["id"], i["mine"], i["author"]) for i in view["ideas"]] == [
        ("i6", False, None),
        ("i7", False, None),
        ("i8", True, None),
        ("i9", False, None),
    ]
    assert view["idea_counts"] is None
    facilitator = room.view("facilitator")
    assert [i["author"] for i in facilitator["ideas"]] == ["p1", "p1", "p2", "facilitator"]


def test_reveal_hides_authors_from_the_facilitator_when_they_chose_so():
    room = ready_room()
    room.do("facilitator", "settings_changed", anonymous_to_facilitator=True)
    room.do("facilitator", "item_started", item=0)
    room.do("p1", "idea_added", text="Unsigned idea")
    room.to_phase("reveal")
    assert [i["author"] for i in room.view("facilitator")["ideas"]] == [None]
    assert [i["author"] for i in room.view("p2")["ideas"]] == [None]


def test_reveal_shows_authors_when_the_workshop_is_not_anonymous():
    room = ready_room()
    room.do("facilitator", "settings_changed", anonymous=False)
    room.do("facilitator", "item_started", item=0)
    room.do("p1", "idea_added", text="Named idea")
    assert room.view("p2")["ideas"] == []  # still silent before the reveal
    room.to_phase("reveal")
    assert [i["author"] for i in room.view("p2")["ideas"]] == ["p1"]


def test_item_left_during_brainstorm_stays_sealed():
    room = brainstorming_room()
    room.do("facilitator", "item_started", item=1)
    room.do("p3", "idea_added", text="Item one idea")
    room.to_phase("reveal")
    for viewer in ("p1", "p2", "p3", "facilitator"):
        text = dumped(room.view(viewer))
        assert "secret" not in text
    assert room.view("p1")["agenda"][0] | {"question": ""} == {
        "item": 0,
        "question": "",
        "phase": "brainstorm",
        "status": "paused",
        "current": False,
    }


def test_group_phase_shows_groups_and_each_ideas_group():
    room = voting_room()
    view = room.view("p3")
    assert view["groups"] == [{"id": "g11", "label": "Mid-market", "ideas": ["i6", "i7"]}]
    assert [i["group"] for i in view["ideas"]] == ["g11", "g11", None]
    assert view["targets"] == [
        {"target": "g11", "label": "Mid-market"},
        {"target": "i8", "label": "Enterprise pilots"},
    ]


def test_vote_participant_sees_own_dots_and_no_totals():
    room = voting_room()
    room.do("p1", "dots_cast", allocation={"g11": 2})
    room.do("p2", "dots_cast", allocation={"i8": 3})
    p1 = room.view("p1")
    assert p1["my_dots"] == {"allocation": {"g11": 2}, "budget": 3, "remaining": 1}
    assert p1["tally"] is None
    assert p1["ballots"] == 2
    assert '"i8": 3' not in dumped(p1)
    p3 = room.view("p3")
    assert p3["my_dots"] == {"allocation": {}, "budget": 3, "remaining": 3}


def test_vote_facilitator_sees_no_totals_until_vote_ends():
    room = voting_room()
    room.do("p1", "dots_cast", allocation={"g11": 2})
    view = room.view("facilitator")
    assert (view["tally"], view["my_dots"]) == (None, None)
    room.to_phase("decide")
    expected = [
        {"target": "g11", "label": "Mid-market", "dots": 2},
        {"target": "i8", "label": "Enterprise pilots", "dots": 0},
    ]
    assert room.view("facilitator")["tally"] == expected
    assert room.view("p2")["tally"] == expected


def test_timer_remaining_counts_down_from_its_start():
    room = voting_room()
    room.do("facilitator", "timer_started", seconds=300)
    assert room.view("p1")["timer"] == {
        "phase": "vote",
        "seconds": 300,
        "remaining": 300,
        "expired": False,
        "ends_at": (room.now + dt.timedelta(seconds=300)).isoformat(),
    }
    assert room.view("p1", later=dt.timedelta(seconds=120.5))["timer"]["remaining"] == 180
    late = room.view("p1", later=dt.timedelta(minutes=6))["timer"]
    assert (late["remaining"], late["expired"]) == (0, True)


def test_parking_lot_hides_who_raised_an_issue_when_anonymous():
    room = ready_room()
    room.do("p2", "parked", text="Agency renewal", owner="p3")
    entry = room.view("p1")["parking_lot"][0]
    assert entry | {"id": ""} == {
        "id": "",
        "text": "Agency renewal",
        "owner": "p3",
        "raised_by": None,
        "resolved": False,
        "outcome": None,
    }
    assert room.view("facilitator")["parking_lot"][0]["raised_by"] == "p2"


def test_actions_are_overdue_only_after_their_due_date_and_while_open():
    room = ready_room()
    open_one = room.do(
        "facilitator", "action_added", what="A", owner="p1", due="2025-03-10", metric="M"
    )
    room.do("facilitator", "action_added", what="B", owner="p2", due="2025-03-10", metric="M")
    room.do("p2", "action_done", action=f"a{open_one.seq + 1}")
    on_due_day = room.view("p1", later=dt.timedelta(days=7))["actions"]
    assert [a["overdue"] for a in on_due_day] == [False, False]
    after = room.view("p1", later=dt.timedelta(days=8))["actions"]
    assert [(a["owner"], a["done"], a["overdue"]) for a in after] == [
        ("p1", False, True),
        ("p2", True, False),
    ]


def test_agenda_and_participants_are_listed_for_everyone():
    room = ready_room()
    room.do("facilitator", "item_started", item=1)
    view = room.view("p3")
    assert view["participants"] == [
        {"id": "p1", "name": "Ana"},
        {"id": "p2", "name": "Ben"},
        {"id": "p3", "name": "Chloé"},
    ]
    assert [(a["status"], a["phase"], a["current"]) for a in view["agenda"]] == [
        ("pending", None, False),
        ("active", "brainstorm", True),
        ("pending", None, False),
    ]
    assert (view["current_item"], view["phase"]) == (1, "brainstorm")
    assert view["viewer"] == {"id": "p3", "role": "participant", "name": "Chloé"}
