"""The live alignment workshop's rules: commands, state and per-viewer views (pure, no I/O).

The web layer stores each command :func:`check` accepts as an :class:`Event`, folds the log
with :func:`apply` / :func:`replay`, and sends each viewer only :func:`view_for`'s answer.
"""

from accord.workshop.events import (
    Event,
    WorkshopRuleError,
    check,
    next_phases,
    participant_name,
    timer_due,
)
from accord.workshop.state import (
    FACILITATOR,
    KINDS,
    PHASES,
    REVIEW_AFTER_DAYS,
    SERVER,
    STANCES,
    Action,
    AgendaItem,
    DecisionRecord,
    Dissent,
    Idea,
    IdeaGroup,
    ParkedIssue,
    Phase,
    Position,
    Settings,
    TallyEntry,
    Timer,
    WorkshopState,
    apply,
    new_state,
    replay,
)
from accord.workshop.suggest import SuggestedGroup, suggested_groups
from accord.workshop.views import view_for

__all__ = [
    "FACILITATOR",
    "KINDS",
    "PHASES",
    "REVIEW_AFTER_DAYS",
    "SERVER",
    "STANCES",
    "Action",
    "AgendaItem",
    "DecisionRecord",
    "Dissent",
    "Event",
    "Idea",
    "IdeaGroup",
    "ParkedIssue",
    "Phase",
    "Position",
    "Settings",
    "SuggestedGroup",
    "TallyEntry",
    "Timer",
    "WorkshopRuleError",
    "WorkshopState",
    "apply",
    "check",
    "next_phases",
    "participant_name",
    "new_state",
    "replay",
    "suggested_groups",
    "timer_due",
    "view_for",
]
