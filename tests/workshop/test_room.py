"""The live room's rules: valid next steps, presence, own positions and dissent, timers that
end phases, and suggested idea groups."""

from __future__ import annotations

import datetime as dt
import importlib.util

import pytest
from tests.workshop import Room, ready_room, voting_room

from accord.workshop import next_phases, replay, suggested_groups, timer_due

# --- only the valid next steps -----------------------------------------------------------------


def test_next_phases_follow_the_item_and_close_the_revote_once_decided():
    room = ready_room()
    assert next_phases(room.state) == ()  # no item running
    room.do("facilitator", "item_started", item=0)
    assert next_phases(room.state) == ("reveal",)
    room.to_phase("reveal")
    assert next_phases(room.state) == ("group", "decide")
    room.to_phase("group")
    assert next_phases(room.state) == ("vote", "decide")
    room.to_phase("vote")
    assert next_phases(room.state) == ("vote", "decide")
    room.to_phase("decide")
    assert next_phases(room.state) == ("vote",)
    room.do("facilitator", "decision_recorded", decision="Go", owner="p1", rationale="R")
    assert next_phases(room.state) == ()  # decided: no re-vote is offered
    assert "re-vote is closed" in room.refused("facilitator", "phase_changed", phase="vote")


def test_the_view_offers_next_phases_to_the_facilitator_only():
    room = voting_room()
    assert room.view("facilitator")["next_phases"] == ["vote", "decide"]
    assert room.view("p1")["next_phases"] == []


# --- presence ----------------------------------------------------------------------------------


def test_presence_marks_who_wrote_voted_or_stated_a_position_in_this_phase():
    room = voting_room()  # p1 and p2 wrote ideas; now vote
    assert [p["contributed"] for p in room.view("p3")["presence"]] == [False, False, False]
    room.do("p2", "dots_cast", allocation={"g11": 2})
    presence = room.view("p3")["presence"]
    assert presence == [
        {"id": "p1", "name": "Ana", "contributed": False},
        {"id": "p2", "name": "Ben", "contributed": True},
        {"id": "p3", "name": "Chloé", "contributed": False},
    ]
    room.do("p2", "dots_cast", allocation={})  # took the dots back: no longer counted
    assert room.view("p3")["presence"][1]["contributed"] is False
    room.to_phase("decide")
    assert [p["contributed"] for p in room.view("p1")["presence"]] == [False, False, False]


def test_presence_in_a_phase_without_contributions_lists_people_only():
    room = voting_room()
    room.to_phase("decide")
    room.do("facilitator", "decision_recorded", decision="Go", owner="p1", rationale="R")
    room.do("facilitator", "item_started", item=1)
    room.to_phase("reveal")
    assert [p["contributed"] for p in room.view("p1")["presence"]] == [None, None, None]


# --- positions and dissent -----------------------------------------------------------------------


def decide_room() -> Room:
    room = voting_room()
    room.to_phase("decide")
    room.do("facilitator", "proposal_made", text="Enter mid-market first, via partners")
    return room


def test_positions_need_a_proposal_and_a_reason_to_disagree():
    room = voting_room()
    room.to_phase("decide")
    assert "no proposal yet" in room.refused("p1", "position_stated", stance="agree")
    room.do("facilitator", "proposal_made", text="Mid-market first")
    assert room.refused("p1", "position_stated", stance="disagree") == (
        "reason must be 1 to 2000 characters (got 0)"
    )
    assert room.refused("p1", "position_stated", stance="block") == (
        "stance must be one of agree, abstain, disagree, got 'block'"
    )
    assert "facilitator does not take a position" in room.refused(
        "facilitator", "position_stated", stance="agree"
    )


def test_own_dissent_is_recorded_verbatim_per_participant_id():
    room = decide_room()
    room.do("p1", "position_stated", stance="agree", reason="")
    room.do("p2", "position_stated", stance="disagree", reason="  Partners slow us down.\n")
    room.do("p3", "position_stated", stance="disagree", reason="First a pilot")
    room.do("p3", "position_stated", stance="abstain", reason="")  # changed their mind
    facilitator = room.view("facilitator")
    assert facilitator["stances"] == {"agree": 1, "abstain": 1, "disagree": 1}
    assert facilitator["dissent"] == [
        {"participant": "p2", "name": "Ben", "reason": "  Partners slow us down.\n"}
    ]
    mine = room.view("p2")
    assert mine["my_position"] == {"stance": "disagree", "reason": "  Partners slow us down.\n"}
    assert mine["stances"] is None and mine["dissent"] == []  # others' stances stay private
    room.do("facilitator", "decision_recorded", decision="Mid-market", owner="p1", rationale="R")
    record = room.state.decisions[0]
    assert [(d.participant, d.reason) for d in record.dissent] == [
        ("p2", "  Partners slow us down.\n")
    ]
    shown = room.view("p3")["decisions"][0]
    assert shown["dissent"][0]["reason"] == "  Partners slow us down.\n"
    assert shown["stances"] == {"agree": 1, "abstain": 1, "disagree": 1}
    assert "positions are closed" in room.refused("p1", "position_stated", stance="agree")


def test_a_participants_own_words_win_over_dissent_typed_for_them():
    room = decide_room()
    room.do("p2", "position_stated", stance="disagree", reason="My own words")
    room.do(
        "facilitator",
        "decision_recorded",
        decision="Go",
        owner="p1",
        rationale="R",
        dissent=[
            {"participant": "p2", "reason": "Typed for Ben"},
            {"participant": "p3", "reason": "Said aloud, no device"},
        ],
    )
    assert [(d.participant, d.reason) for d in room.state.decisions[0].dissent] == [
        ("p2", "My own words"),
        ("p3", "Said aloud, no device"),
    ]


def test_a_new_proposal_asks_everyone_again():
    room = decide_room()
    room.do("p2", "position_stated", stance="disagree", reason="No")
    room.do("facilitator", "proposal_made", text="Enterprise pilots first")
    assert room.view("facilitator")["stances"] == {"agree": 0, "abstain": 0, "disagree": 0}
    assert room.view("p2")["my_position"] is None


# --- timers ------------------------------------------------------------------------------------


def test_a_timer_running_out_ends_the_phase_and_survives_a_replay():
    room = ready_room()
    room.do("facilitator", "item_started", item=0)
    room.do("p1", "idea_added", text="Mid-market first")
    room.do("facilitator", "timer_started", seconds=300)
    ends = room.state.timer.ends_at if room.state.timer else None
    assert ends == room.now + dt.timedelta(seconds=300)
    # A restart: the state rebuilt from the stored log keeps the same deadline.
    rebuilt = replay(room.title, room.events)
    assert rebuilt.timer == room.state.timer
    assert not timer_due(rebuilt, ends - dt.timedelta(seconds=1))
    assert timer_due(rebuilt, ends)
    room.now = ends - dt.timedelta(minutes=1, seconds=1)  # do() adds a minute
    assert "1 s left" in room.refused("server", "timer_expired")
    room.now = ends - dt.timedelta(minutes=1)
    room.do("server", "timer_expired")
    assert room.state.phase == "reveal" and room.state.timer is None
    assert room.state.time_up == "brainstorm"
    assert room.view("p2")["ideas"][0]["text"] == "Mid-market first"  # revealed
    assert "no timer is running" in room.refused("server", "timer_expired")
    room.to_phase("group")
    assert room.state.time_up is None


def test_a_decide_timer_only_says_time_is_up():
    room = decide_room()
    room.do("facilitator", "timer_started", seconds=60)
    room.do("server", "timer_expired")  # a minute later: exactly at the deadline
    assert room.state.phase == "decide" and room.state.time_up == "decide"


def test_extending_adds_to_the_deadline_within_the_limit():
    room = ready_room()
    room.do("facilitator", "item_started", item=0)
    assert "no timer is running" in room.refused("facilitator", "timer_extended", seconds=60)
    room.do("facilitator", "timer_started", seconds=120)
    ends = room.state.timer.ends_at if room.state.timer else None
    assert ends is not None
    room.do("facilitator", "timer_extended", seconds=120)  # at +1 min: 1 min was left; 3 now
    assert room.state.timer is not None and room.state.timer.ends_at == ends + dt.timedelta(
        seconds=120
    )
    assert room.refused("facilitator", "timer_extended", seconds=3600) == (
        "seconds: 3600 more would leave 3780 s on the timer (at most 3600 s)"
    )
    assert "only the facilitator" in room.refused("p1", "timer_extended", seconds=60)


def test_an_extension_after_an_unnoticed_deadline_counts_from_now():
    room = ready_room()
    room.do("facilitator", "item_started", item=0)
    room.do("facilitator", "timer_started", seconds=30)
    room.now += dt.timedelta(minutes=5)  # nobody's stream ended it (say, a restart)
    room.do("facilitator", "timer_extended", seconds=60)
    assert room.state.timer is not None
    assert room.state.timer.ends_at == room.now + dt.timedelta(seconds=60)


def test_the_server_cannot_end_a_timer_early_or_run_other_commands():
    room = ready_room()
    assert "not parked" in room.refused("server", "parked", text="x", owner="facilitator")


# --- suggested groups ----------------------------------------------------------------------------


def grouping_room(*texts: str) -> Room:
    room = ready_room()
    room.do("facilitator", "item_started", item=0)
    for n, text in enumerate(texts):
        room.do(f"p{1 + n % 3}", "idea_added", text=text)
    room.to_phase("reveal", "group")
    return room


def test_suggestions_group_ideas_on_one_theme_and_flip_when_the_wording_differs():
    room = grouping_room(
        "Referral programme for customers",
        "Customer referral programme rewards",
        "Cut cloud hosting costs",
    )
    found = suggested_groups(room.state)
    assert [g.ideas for g in found] == [("i6", "i7")]
    # The label keeps the phrase, not its words again ("Programme, referral, referral ...").
    assert found[0].label == "Referral programme"
    assert room.view("facilitator")["suggestions"] == [
        {"label": found[0].label, "ideas": ["i6", "i7"]}
    ]
    assert room.view("p1")["suggestions"] == []
    # The same two ideas with no words in common are not suggested together.
    apart = grouping_room(
        "Referral programme for customers", "Hire two account executives", "Cut hosting costs"
    )
    assert suggested_groups(apart.state) == ()


def test_suggestions_leave_out_grouped_ideas_and_other_phases():
    room = grouping_room(
        "Referral programme for customers",
        "Customer referral programme rewards",
        "Cut cloud hosting costs",
    )
    room.do("facilitator", "ideas_grouped", label="Referrals", ideas=["i6", "i7"])
    assert suggested_groups(room.state) == ()
    room.to_phase("vote")
    assert suggested_groups(room.state) == ()


@pytest.mark.parametrize("phase", ["brainstorm", "reveal"])
def test_no_suggestions_before_grouping(phase: str):
    room = ready_room()
    room.do("facilitator", "item_started", item=0)
    room.do("p1", "idea_added", text="Referral programme for customers")
    room.do("p2", "idea_added", text="Customer referral programme rewards")
    if phase == "reveal":
        room.to_phase("reveal")
    assert suggested_groups(room.state) == ()


@pytest.mark.skipif(
    importlib.util.find_spec("wordllama") is None, reason="accord[semantic] not installed"
)
def test_suggestions_group_ideas_that_share_meaning_but_no_word(
    monkeypatch: pytest.MonkeyPatch,
):
    # Issue 16: the workshop's suggestions come from the same service as the analysis.
    texts = (
        "MFA for every employee account",
        "Enforce two-factor authentication company-wide",
        "Renegotiate the office lease",
        "Cut cloud hosting costs",
    )
    monkeypatch.delenv("ACCORD_SEMANTIC", raising=False)
    assert [g.ideas for g in suggested_groups(grouping_room(*texts).state)] == [("i6", "i7")]
    monkeypatch.setenv("ACCORD_SEMANTIC", "off")
    assert suggested_groups(grouping_room(*texts).state) == ()
