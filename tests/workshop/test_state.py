"""The workshop's rules, command by command (allowed and refused), and a full workshop run."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.workshop import QUESTIONS, START, Room, ready_room, voting_room

from accord.errors import ConflictError
from accord.workshop import Event, WorkshopRuleError, apply, check, new_state, replay

# --- who may act -----------------------------------------------------------------------------


def test_check_unknown_command_suggests_the_closest():
    room = ready_room()
    assert room.refused("p1", "idea_add", text="x") == (
        "unknown command 'idea_add' (did you mean 'idea_added'?)"
    )


def test_check_participant_who_has_not_joined_is_refused():
    room = ready_room()
    assert room.refused("p9", "parked", text="Budget", owner="facilitator") == (
        "p9 has not joined this workshop; open your invitation link"
    )


def test_check_unknown_actor_is_refused():
    room = ready_room()
    assert room.refused("admin", "workshop_closed") == (
        "unknown actor 'admin' (expected 'facilitator' or a participant id such as 'p3')"
    )


def test_check_server_may_only_register_participants():
    room = ready_room()
    assert room.refused("server", "workshop_closed") == (
        "the server may only register participants and end timers, not workshop_closed"
    )


def test_check_naive_timestamp_is_a_programming_error():
    with pytest.raises(ValueError, match="timezone-aware"):
        check(new_state("T"), "facilitator", "workshop_closed", {}, dt.datetime(2025, 1, 1))


def test_check_unexpected_field_names_the_allowed_ones():
    room = ready_room()
    assert room.refused("facilitator", "agenda_set", itms=QUESTIONS) == (
        "unexpected field 'itms' (did you mean 'items'?) (expected 'items')"
    )


@pytest.mark.parametrize(
    ("kind", "payload", "message"),
    [
        ("ideas_grouped", {"label": "L", "ideas": [["i6"]]}, "['i6'] is not an idea of item 0"),
        ("dots_cast", {"allocation": {("g9",): 1}}, "('g9',) is not a vote target of item 0"),
        (
            "decision_recorded",
            {
                "decision": "D",
                "owner": "p1",
                "rationale": "R",
                "dissent": [{"participant": ["p2"], "reason": "r"}],
            },
            "dissent[0].participant must be a participant who has joined, got ['p2']",
        ),
    ],
)
def test_check_unhashable_ids_are_refused_not_crashed(kind, payload, message):
    room = ready_room()
    room.do("facilitator", "item_started", item=0)
    room.do("p1", "idea_added", text="Mid-market first")  # i6
    room.to_phase("reveal", "group")
    if kind != "ideas_grouped":
        room.do("facilitator", "ideas_grouped", label="Mid-market", ideas=["i6"])  # g9
        room.to_phase("vote" if kind == "dots_cast" else "decide")
    actor = "p1" if kind == "dots_cast" else "facilitator"
    assert room.refused(actor, kind, **payload) == message


def test_workshop_rule_error_is_a_conflict_in_the_error_hierarchy():
    error = WorkshopRuleError("no timer is running")
    assert isinstance(error, ConflictError)
    assert error.to_dict()["error"] == "workshop_rule"
    assert error.http_status == 409


# --- participant_joined ----------------------------------------------------------------------


def test_participant_joined_by_server_or_facilitator():
    room = Room()
    room.do("server", "participant_joined", participant="p1", name="  Ana ")
    room.do("facilitator", "participant_joined", participant="p2", name="Ben")
    assert dict(room.state.participants) == {"p1": "Ana", "p2": "Ben"}


def test_participant_joined_again_is_refused_names_are_fixed():
    room = ready_room()
    before = room.state.participants["p1"]
    message = room.refused("server", "participant_joined", participant="p1", name="Ana María")
    assert message == f"p1 has already joined as {before}"
    assert room.state.participants["p1"] == before


@pytest.mark.parametrize("name", ["Facilitator", " facilitator ", "FACILITATOR"])
def test_participant_named_facilitator_is_refused(name: str) -> None:
    message = Room().refused("server", "participant_joined", participant="p9", name=name)
    assert message == f"name: {name.strip()!r} is the facilitator's; join under your own name"


def test_participant_joined_by_a_participant_is_refused():
    room = ready_room()
    assert room.refused("p1", "participant_joined", participant="p7", name="Eve") == (
        "only the facilitator or the server can register participants"
    )


def test_participant_joined_with_a_bad_id_is_refused():
    room = Room()
    assert room.refused("server", "participant_joined", participant="bob", name="Bob") == (
        "participant must be an id such as 'p3' ('p' and a number), got 'bob'"
    )


# --- agenda_set and item_started -------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 6])
def test_agenda_set_outside_three_to_five_decisions_is_refused(count):
    room = ready_room()
    message = room.refused("facilitator", "agenda_set", items=[f"Q{i}?" for i in range(count)])
    assert message == (
        f"the agenda needs 3 to 5 decisions, got {count}; "
        "a workshop produces concrete decisions, not status updates"
    )


def test_agenda_set_blank_or_long_question_is_refused():
    room = ready_room()
    assert room.refused("facilitator", "agenda_set", items=["A?", "  ", "C?"]) == (
        "items[1] must be 1 to 200 characters (got 0)"
    )
    assert room.refused("facilitator", "agenda_set", items=["A?", "B?", "x" * 201]) == (
        "items[2] must be 1 to 200 characters (got 201)"
    )


def test_agenda_set_by_participant_is_refused():
    room = ready_room()
    assert room.refused("p1", "agenda_set", items=QUESTIONS) == (
        "only the facilitator can set the agenda"
    )


def test_agenda_set_can_be_replaced_until_an_item_starts():
    room = ready_room()
    room.do("facilitator", "agenda_set", items=[*QUESTIONS, "Who owns the renewal?"])
    assert len(room.state.agenda) == 4
    room.do("facilitator", "item_started", item=0)
    assert room.refused("facilitator", "agenda_set", items=QUESTIONS) == (
        "the agenda is fixed once the first item has started"
    )


def test_item_started_before_agenda_is_refused():
    room = Room()
    assert room.refused("facilitator", "item_started", item=0) == "set the agenda first"


def test_item_started_out_of_range_is_refused():
    room = ready_room()
    assert room.refused("facilitator", "item_started", item=3) == (
        "item must be between 0 and 2, got 3"
    )


def test_item_started_opens_brainstorm_and_pauses_the_previous_item():
    room = ready_room()
    room.do("facilitator", "item_started", item=0)
    assert (room.state.phase, room.state.agenda[0].status) == ("brainstorm", "active")
    assert room.refused("facilitator", "item_started", item=0) == "item 0 is already running"
    room.to_phase("reveal")
    room.do("facilitator", "item_started", item=1)
    assert room.state.agenda[0].status == "paused"
    room.do("facilitator", "item_started", item=0)
    assert (room.state.phase, room.state.agenda[0].status) == ("reveal", "active")


def test_item_started_on_a_decided_item_is_refused():
    room = voting_room()
    room.to_phase("decide")
    room.do("facilitator", "decision_recorded", decision="Go", owner="p1", rationale="Fit")
    room.do("facilitator", "item_started", item=1)
    assert room.refused("facilitator", "item_started", item=0) == (
        "item 0 is decided; a decided item is not run again"
    )


# --- phase_changed ---------------------------------------------------------------------------


def test_phase_changed_without_a_running_item_is_refused():
    room = ready_room()
    assert room.refused("facilitator", "phase_changed", phase="reveal") == (
        "no agenda item is running; the facilitator starts one first"
    )


def test_phase_changed_skipping_a_step_is_refused():
    room = ready_room()
    room.do("facilitator", "item_started", item=0)
    assert room.refused("facilitator", "phase_changed", phase="group") == (
        "cannot go from brainstorm to group; next is reveal "
        "(phases only move forward, except a re-vote)"
    )


def test_phase_changed_backwards_is_refused():
    room = voting_room()
    assert room.refused("facilitator", "phase_changed", phase="group") == (
        "cannot go from vote to group; next is decide or vote "
        "(phases only move forward, except a re-vote)"
    )


def test_phase_changed_to_brainstorm_is_never_allowed():
    room = ready_room()
    room.do("facilitator", "item_started", item=0)
    room.to_phase("reveal")
    assert "cannot go from reveal to brainstorm" in room.refused(
        "facilitator", "phase_changed", phase="brainstorm"
    )


def test_phase_changed_unknown_phase_suggests_the_closest():
    room = ready_room()
    room.do("facilitator", "item_started", item=0)
    assert room.refused("facilitator", "phase_changed", phase="revael") == (
        "unknown phase 'revael' (did you mean 'reveal'?) "
        "(expected one of brainstorm, reveal, group, vote, decide)"
    )


@pytest.mark.parametrize("path", [["reveal", "decide"], ["reveal", "group", "decide"]])
def test_phase_changed_to_decide_early_when_the_room_agrees(path):
    room = ready_room()
    room.do("facilitator", "item_started", item=0)
    room.to_phase(*path)
    assert room.state.phase == "decide"


def test_phase_changed_by_participant_is_refused():
    room = ready_room()
    room.do("facilitator", "item_started", item=0)
    assert room.refused("p1", "phase_changed", phase="reveal") == (
        "only the facilitator can change the phase"
    )


def test_phase_changed_revote_clears_the_items_dots():
    room = voting_room()
    room.do("p1", "dots_cast", allocation={"g11": 3})
    room.to_phase("decide")
    room.to_phase("vote")
    assert room.state.allocation(0, "p1") == {}
    assert [e.dots for e in room.state.tally(0)] == [0, 0]


def test_phase_changed_revote_after_a_decision_is_refused():
    room = voting_room()
    room.to_phase("decide")
    room.do("facilitator", "decision_recorded", decision="Go", owner="p1", rationale="Fit")
    assert room.refused("facilitator", "phase_changed", phase="vote") == (
        "item 0 already has a decision recorded; a re-vote is closed"
    )


# --- timers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("seconds", "shown"), [(29, "29"), (3601, "3601"), (True, "True")])
def test_timer_started_outside_bounds_is_refused(seconds, shown):
    room = ready_room()
    room.do("facilitator", "item_started", item=0)
    message = room.refused("facilitator", "timer_started", seconds=seconds)
    if seconds is True:
        assert message == "seconds must be a whole number, got True"
    else:
        assert message == f"seconds must be between 30 and 3600, got {shown}"


def test_timer_started_without_a_running_item_is_refused():
    room = ready_room()
    assert room.refused("facilitator", "timer_started", seconds=300) == (
        "no agenda item is running; the facilitator starts one first"
    )


def test_timer_stopped_clears_and_phase_change_clears():
    room = ready_room()
    room.do("facilitator", "item_started", item=0)
    room.do("facilitator", "timer_started", seconds=300)
    assert room.state.timer is not None and room.state.timer.phase == "brainstorm"
    room.do("facilitator", "timer_stopped")
    assert room.state.timer is None
    assert room.refused("facilitator", "timer_stopped") == "no timer is running"
    room.do("facilitator", "timer_started", seconds=300)
    room.to_phase("reveal")
    assert room.state.timer is None


# --- settings --------------------------------------------------------------------------------


def test_hiding_authors_from_the_facilitator_cannot_be_undone_once_ideas_exist():
    room = ready_room()
    room.do("facilitator", "settings_changed", anonymous_to_facilitator=True)
    room.do("facilitator", "item_started", item=0)
    room.do("p1", "idea_added", text="An idea")
    message = room.refused("facilitator", "settings_changed", anonymous_to_facilitator=False)
    assert message == (
        "authors cannot be shown to the facilitator once ideas were written hidden from them"
    )


def test_settings_changed_before_voting_sets_budget_and_anonymity():
    room = ready_room()
    event = room.do("facilitator", "settings_changed", dots_per_item=5)
    assert event.payload == {
        "dots_per_item": 5,
        "anonymous": True,
        "anonymous_to_facilitator": False,
    }
    room.do("facilitator", "settings_changed", anonymous=False)
    assert (room.state.settings.dots_per_item, room.state.settings.anonymous) == (5, False)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({}, "give dots_per_item, anonymous or anonymous_to_facilitator"),
        (
            {"anonymous_to_facilitator": 1},
            "anonymous_to_facilitator must be true or false, got 1",
        ),
        ({"dots_per_item": 0}, "dots_per_item must be between 1 and 10, got 0"),
        ({"dots_per_item": 11}, "dots_per_item must be between 1 and 10, got 11"),
        ({"anonymous": "yes"}, "anonymous must be true or false, got 'yes'"),
    ],
)
def test_settings_changed_with_bad_values_is_refused(payload, message):
    room = ready_room()
    assert room.refused("facilitator", "settings_changed", **payload) == message


def test_settings_changed_once_voting_started_is_refused():
    room = voting_room()
    assert room.refused("facilitator", "settings_changed", dots_per_item=5) == (
        "settings are fixed once voting has started"
    )


def test_settings_changed_cannot_drop_anonymity_after_ideas_are_written():
    room = ready_room()
    room.do("facilitator", "item_started", item=0)
    room.do("p1", "idea_added", text="Mid-market first")
    assert room.refused("facilitator", "settings_changed", anonymous=False) == (
        "anonymity cannot be turned off once ideas have been written"
    )
    room.do("facilitator", "settings_changed", anonymous=True, dots_per_item=4)


# --- ideas -----------------------------------------------------------------------------------


def test_idea_added_during_brainstorm_gets_an_id_from_seq():
    room = ready_room()
    room.do("facilitator", "item_started", item=0)
    event = room.do("p1", "idea_added", text="  Mid-market first  ")
    assert event.payload == {"item": 0, "text": "Mid-market first"}
    idea = room.state.ideas[f"i{event.seq}"]
    assert (idea.author, idea.item, idea.text) == ("p1", 0, "Mid-market first")
    room.do("facilitator", "idea_added", text="Keep the freemium tier")


def test_idea_added_outside_brainstorm_is_refused():
    room = voting_room()
    assert room.refused("p1", "idea_added", text="Late idea") == (
        "ideas can be added only during brainstorm; the phase is vote"
    )


@pytest.mark.parametrize(("text", "length"), [("   ", 0), ("x" * 501, 501)])
def test_idea_added_with_blank_or_long_text_is_refused(text, length):
    room = ready_room()
    room.do("facilitator", "item_started", item=0)
    assert room.refused("p1", "idea_added", text=text) == (
        f"text must be 1 to 500 characters (got {length})"
    )


def test_idea_added_from_a_stale_client_is_refused():
    room = ready_room()
    room.do("facilitator", "item_started", item=1)
    assert room.refused("p1", "idea_added", text="For item 0", item=0) == (
        "item 0 is not the current item; item 1 is"
    )


def test_idea_withdrawn_by_its_author_during_brainstorm():
    room = ready_room()
    room.do("facilitator", "item_started", item=0)
    event = room.do("p1", "idea_added", text="Mid-market first")
    idea_id = f"i{event.seq}"
    assert room.refused("p2", "idea_withdrawn", idea=idea_id) == (
        f"you have no idea '{idea_id}' to withdraw"
    )
    room.do("p1", "idea_withdrawn", idea=idea_id)
    assert idea_id not in room.state.ideas


def test_idea_withdrawn_after_reveal_is_refused():
    room = voting_room()
    assert room.refused("p1", "idea_withdrawn", idea="i6") == (
        "ideas can be withdrawn only during their item's brainstorm"
    )


def test_ideas_grouped_moves_an_idea_and_drops_emptied_groups():
    room = voting_room()
    room.do("facilitator", "item_started", item=1)
    room.do("p1", "idea_added", text="Cut list price")  # i14
    room.do("p2", "idea_added", text="Bundle support")  # i15
    room.to_phase("reveal", "group")
    room.do("facilitator", "ideas_grouped", label="Price", ideas=["i14"])  # g18
    room.do("facilitator", "ideas_grouped", label="Everything", ideas=["i14", "i15"])  # g19
    groups = room.state.item_groups(1)
    assert [(g.id, g.ideas) for g in groups] == [("g19", ("i14", "i15"))]
    assert room.state.item_groups(0)[0].ideas == ("i6", "i7")  # other items untouched


def test_ideas_grouped_with_another_items_idea_is_refused():
    room = voting_room()
    room.do("facilitator", "item_started", item=1)
    room.to_phase("reveal", "group")
    assert room.refused("facilitator", "ideas_grouped", label="Old", ideas=["i8"]) == (
        "'i8' is not an idea of item 1"
    )


def test_ideas_grouped_outside_group_phase_or_by_participant_is_refused():
    room = voting_room()
    assert room.refused("facilitator", "ideas_grouped", label="L", ideas=["i8"]) == (
        "ideas can be grouped only during group; the phase is vote"
    )
    assert room.refused("p1", "ideas_grouped", label="L", ideas=["i8"]) == (
        "only the facilitator can group ideas"
    )


def test_ideas_grouped_empty_or_repeated_is_refused():
    room = ready_room()
    room.do("facilitator", "item_started", item=0)
    room.do("p1", "idea_added", text="A")
    room.to_phase("reveal", "group")
    assert room.refused("facilitator", "ideas_grouped", label="L", ideas=[]) == (
        "ideas must be a non-empty list of idea ids"
    )
    assert room.refused("facilitator", "ideas_grouped", label="L", ideas=["i6", "i6"]) == (
        "ideas lists the same idea twice"
    )


# --- dots ------------------------------------------------------------------------------------


def test_dots_cast_replaces_the_earlier_allocation():
    room = voting_room()
    room.do("p1", "dots_cast", allocation={"g11": 3})
    event = room.do("p1", "dots_cast", allocation={"i8": 2, "g11": 1})
    assert event.payload == {"item": 0, "allocation": {"g11": 1, "i8": 2}}
    assert dict(room.state.allocation(0, "p1")) == {"g11": 1, "i8": 2}


def test_dots_cast_with_zero_dots_withdraws_the_ballot():
    room = voting_room()
    room.do("p1", "dots_cast", allocation={"g11": 3})
    room.do("p1", "dots_cast", allocation={"g11": 0})
    assert (0, "p1") not in room.state.dots


def test_dots_cast_over_budget_is_refused():
    room = voting_room()
    assert room.refused("p1", "dots_cast", allocation={"g11": 2, "i8": 2}) == (
        "you placed 4 dots but have 3 for this item"
    )


def test_dots_cast_budget_follows_settings():
    room = ready_room()
    room.do("facilitator", "settings_changed", dots_per_item=1)
    room.do("facilitator", "item_started", item=0)
    idea = room.do("p1", "idea_added", text="A")
    room.to_phase("reveal", "group", "vote")
    assert room.refused("p1", "dots_cast", allocation={f"i{idea.seq}": 2}) == (
        f"dots on i{idea.seq} must be between 0 and 1, got 2"
    )


@pytest.mark.parametrize(
    ("allocation", "message"),
    [
        ({"g11": -1}, "dots on g11 must be between 0 and 3, got -1"),
        ({"g11": 1.5}, "dots on g11 must be a whole number, got 1.5"),
        ({"i6": 1}, "i6 is in group g11; put dots on the group"),
        ({"g1": 1}, "'g1' is not a vote target of item 0 (did you mean 'g11'?)"),
    ],
)
def test_dots_cast_with_bad_targets_or_counts_is_refused(allocation, message):
    room = voting_room()
    assert room.refused("p1", "dots_cast", allocation=allocation) == message


def test_dots_cast_by_facilitator_or_outside_vote_is_refused():
    room = voting_room()
    assert room.refused("facilitator", "dots_cast", allocation={"g11": 1}) == (
        "the facilitator does not vote; dots are for participants"
    )
    room.to_phase("decide")
    assert room.refused("p1", "dots_cast", allocation={"g11": 1}) == (
        "dots can be cast only during vote; the phase is decide"
    )


# --- parking lot -----------------------------------------------------------------------------


def test_parked_by_anyone_and_resolved_by_the_facilitator():
    room = ready_room()
    event = room.do("p2", "parked", text="Agency contract renewal", owner="p3")
    parked_id = f"pk{event.seq}"
    assert room.refused("p2", "parking_resolved", parked_id=parked_id, outcome="x") == (
        "only the facilitator can resolve parked issues"
    )
    room.do("facilitator", "parking_resolved", parked_id=parked_id, outcome="CFO call Friday")
    assert room.state.parking_lot[parked_id].outcome == "CFO call Friday"
    assert room.refused("facilitator", "parking_resolved", parked_id=parked_id, outcome="y") == (
        f"{parked_id} is already resolved: CFO call Friday"
    )


def test_parked_with_unknown_owner_or_long_text_is_refused():
    room = ready_room()
    assert room.refused("p1", "parked", text="Budget", owner="p4") == (
        "owner must be 'facilitator' or a participant who has joined, got 'p4'"
    )
    assert room.refused("p1", "parked", text="x" * 301, owner="p1") == (
        "text must be 1 to 300 characters (got 301)"
    )


def test_parking_resolved_unknown_id_is_refused():
    room = ready_room()
    assert room.refused("facilitator", "parking_resolved", parked_id="pk9", outcome="x") == (
        "no parked issue 'pk9'"
    )


# --- decisions -------------------------------------------------------------------------------


def test_decision_recorded_keeps_dissent_verbatim_and_the_tally():
    room = voting_room()
    room.do("p1", "dots_cast", allocation={"g11": 3})
    room.do("p2", "dots_cast", allocation={"i8": 2, "g11": 1})
    room.to_phase("decide")
    reason = "  Enterprise margins fund the roadmap.\nMid-market churns. "
    room.do(
        "facilitator",
        "decision_recorded",
        decision="Enter mid-market first",
        owner="p1",
        rationale="Most dots; partners lower the cost of sale",
        dissent=[{"participant": "p2", "reason": reason}],
        deprioritised=["Enterprise pilots this quarter"],
    )
    record = room.state.decisions[0]
    assert record.dissent[0].reason == reason
    assert [(e.target, e.label, e.dots) for e in record.tally] == [
        ("g11", "Mid-market", 4),
        ("i8", "Enterprise pilots", 2),
    ]
    assert record.deprioritised == ("Enterprise pilots this quarter",)
    assert room.state.agenda[0].status == "decided"
    assert room.refused(
        "facilitator", "decision_recorded", decision="x", owner="p1", rationale="y"
    ) == ("item 0 already has a decision recorded")


def test_decision_recorded_outside_decide_is_refused():
    room = voting_room()
    assert room.refused(
        "facilitator", "decision_recorded", decision="x", owner="p1", rationale="y"
    ) == ("decisions are recorded only during decide; the phase is vote")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"owner": ["p1", "p2"]},
            "owner must be 'facilitator' or a participant who has joined, got ['p1', 'p2']",
        ),
        ({"rationale": ""}, "rationale must be 1 to 2000 characters (got 0)"),
        (
            {"dissent": [{"participant": "p7", "reason": "No"}]},
            "dissent[0].participant must be a participant who has joined, got 'p7'",
        ),
        (
            {"dissent": [{"participant": "p2", "reason": " "}]},
            "dissent[0].reason must be 1 to 2000 characters (got 1)",
        ),
        (
            {
                "dissent": [
                    {"participant": "p2", "reason": "a"},
                    {"participant": "p2", "reason": "b"},
                ]
            },
            "dissent lists p2 twice; give one reason each",
        ),
        (
            {"tally": []},
            "unexpected field 'tally' (expected 'decision', 'owner', 'rationale', "
            "'dissent', 'deprioritised', 'item')",
        ),
    ],
)
def test_decision_recorded_with_bad_fields_is_refused(extra, message):
    room = voting_room()
    room.to_phase("decide")
    payload = {"decision": "Go", "owner": "p1", "rationale": "Fit"} | extra
    assert room.refused("facilitator", "decision_recorded", **payload) == message


# --- actions and closing ---------------------------------------------------------------------


def test_action_added_needs_owner_due_and_metric():
    room = ready_room()
    assert room.refused(
        "facilitator", "action_added", what="Price test", owner="p1", due="2025-04-01"
    ) == ("missing field 'metric'")


def test_action_added_due_in_the_past_or_malformed_is_refused():
    room = ready_room()
    base = {"what": "Price test", "owner": "p1", "metric": "Win rate >= 25%"}
    assert room.refused("facilitator", "action_added", due="2025-03-02", **base) == (
        "due date 2025-03-02 is in the past (today is 2025-03-03)"
    )
    assert room.refused("facilitator", "action_added", due="next week", **base) == (
        "due must be an ISO date such as 2025-06-30, got 'next week'"
    )


def test_action_added_today_and_done_by_its_owner_only():
    room = ready_room()
    event = room.do(
        "facilitator",
        "action_added",
        what="Price test",
        owner="p1",
        due="2025-03-03",
        metric="Win rate >= 25%",
        item=1,
    )
    assert event.payload["item"] == 1
    action_id = f"a{event.seq}"
    assert room.refused("p2", "action_done", action=action_id) == (
        "only p1 (the owner) or the facilitator can do that"
    )
    room.do("p1", "action_done", action=action_id)
    assert room.state.actions[action_id].done
    assert room.refused("facilitator", "action_done", action=action_id) == (
        f"action {action_id} is already done"
    )
    assert room.refused("p1", "action_done", action="a99") == "no action 'a99'"


def test_workshop_closed_sets_review_date_and_accepts_only_action_done():
    room = ready_room()
    event = room.do(
        "facilitator", "action_added", what="W", owner="p2", due="2025-04-01", metric="M"
    )
    room.do("facilitator", "item_started", item=0)
    room.do("facilitator", "workshop_closed")
    assert room.state.review_date == dt.date(2025, 4, 2)  # closed 2025-03-03 + 30 days
    assert room.state.agenda[0].status == "unresolved"
    assert room.state.current_item is None
    assert room.refused("p1", "parked", text="x", owner="p1") == (
        "the workshop is closed; only marking actions done is accepted"
    )
    assert room.refused("facilitator", "workshop_closed") == (
        "the workshop is closed; only marking actions done is accepted"
    )
    room.do("p2", "action_done", action=f"a{event.seq}")


# --- apply and replay ------------------------------------------------------------------------


def test_apply_refuses_out_of_order_and_unknown_events():
    state = ready_room().state
    with pytest.raises(ValueError, match="seq 2 is not after the last applied seq 4"):
        apply(state, Event(2, "timer_stopped", "facilitator", {}, START))
    with pytest.raises(ValueError, match="unknown workshop event kind 'vote_cast'"):
        apply(state, Event(9, "vote_cast", "p1", {}, START))


def test_apply_never_mutates_the_previous_state():
    room = voting_room()
    before = room.state
    snapshot = (dict(before.dots), dict(before.ideas), before.agenda)
    room.do("p1", "dots_cast", allocation={"g11": 2})
    assert (dict(before.dots), dict(before.ideas), before.agenda) == snapshot


# --- a whole workshop ------------------------------------------------------------------------


def test_full_workshop_three_items_to_review_date():
    room = ready_room()
    outcomes = ["Enter mid-market first", "Bundle support", "Pause the APAC launch"]
    for item, outcome in enumerate(outcomes):
        room.do("facilitator", "item_started", item=item)
        room.do("facilitator", "timer_started", seconds=600)
        a = room.do("p1", "idea_added", text=f"{outcome} (Ana)")
        b = room.do("p2", "idea_added", text=f"{outcome} (Ben)")
        c = room.do("p3", "idea_added", text=f"Alternative to {outcome}")
        room.to_phase("reveal", "group")
        group = room.do(
            "facilitator", "ideas_grouped", label=outcome, ideas=[f"i{a.seq}", f"i{b.seq}"]
        )
        room.to_phase("vote")
        room.do("p1", "dots_cast", allocation={f"g{group.seq}": 3})
        room.do("p2", "dots_cast", allocation={f"g{group.seq}": 2, f"i{c.seq}": 1})
        room.do("p3", "dots_cast", allocation={f"i{c.seq}": 3})
        room.to_phase("decide")
        room.do(
            "facilitator",
            "decision_recorded",
            decision=outcome,
            owner="p1",
            rationale="Five of nine dots",
            dissent=[{"participant": "p3", "reason": "The alternative is cheaper"}],
            deprioritised=[f"Alternative to {outcome}"],
        )
        room.do(
            "facilitator",
            "action_added",
            what=f"Plan: {outcome}",
            owner="p2",
            due="2025-03-31",
            metric="Plan approved by the CFO",
            item=item,
        )
    room.do("p3", "parked", text="Agency renewal", owner="facilitator")
    close = room.do("facilitator", "workshop_closed")

    state = room.state
    assert [i.status for i in state.agenda] == ["decided"] * 3
    assert [state.decisions[i].tally[0].dots for i in range(3)] == [5, 5, 5]
    assert state.review_date == close.at.date() + dt.timedelta(days=30)
    assert replay(room.title, room.events) == state
    view = room.view("p3", later=dt.timedelta(days=40))
    assert [d["decision"] for d in view["decisions"]] == outcomes
    assert view["decisions"][0]["dissent"] == [
        {"participant": "p3", "name": "Chloé", "reason": "The alternative is cheaper"}
    ]
    assert [a["overdue"] for a in view["actions"]] == [True] * 3
    assert view["review_date"] == "2025-04-02"
    assert view["closed"] is True
