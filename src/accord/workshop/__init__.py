"""The live alignment workshop's rules: commands, state and per-viewer views (pure, no I/O).

The web layer stores each command :func:`check` accepts as an :class:`Event`, folds the log
with :func:`apply` / :func:`replay`, and sends each viewer only :func:`view_for`'s answer.
"""

from accord.workshop.events import Event, WorkshopRuleError, check, participant_name
from accord.workshop.state import (
    FACILITATOR,
    KINDS,
    PHASES,
    REVIEW_AFTER_DAYS,
    SERVER,
    Action,
    AgendaItem,
    DecisionRecord,
    Dissent,
    Idea,
    IdeaGroup,
    ParkedIssue,
    Phase,
    Settings,
    TallyEntry,
    Timer,
    WorkshopState,
    apply,
    new_state,
    replay,
)
from accord.workshop.views import view_for

__all__ = [
    "FACILITATOR",
    "KINDS",
    "PHASES",
    "REVIEW_AFTER_DAYS",
    "SERVER",
    "Action",
    "AgendaItem",
    "DecisionRecord",
    "Dissent",
    "Event",
    "Idea",
    "IdeaGroup",
    "ParkedIssue",
    "Phase",
    "Settings",
    "TallyEntry",
    "Timer",
    "WorkshopRuleError",
    "WorkshopState",
    "apply",
    "check",
    "participant_name",
    "new_state",
    "replay",
    "view_for",
]
