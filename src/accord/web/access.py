"""May facilitator P do action A on case C?  The one place that decides.

Every page and API route that touches a case or a workshop asks :func:`case_for` or
:func:`workshop_for` with the :class:`Action` it performs; the answer comes from the
facilitator's :class:`Role` on the case (:mod:`accord.store.members`) and
:data:`PERMISSIONS`.  A workshop belongs to its case, so it has the case's people.  An API
token acts as its facilitator, so it has their role (and, on top, only its scopes).

Someone with no role on a case is told it does not exist (404), so case ids reveal
nothing; a member whose role does not allow the action is refused (403) with what they
may do instead, before anything is written.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from accord.errors import ForbiddenError, NotFoundError
from accord.store import members
from accord.store.members import Role
from accord.store.tables import CaseRecord, Facilitator, Workshop


class Action(enum.StrEnum):
    """What a route does to a case (or one of its workshops)."""

    READ = "read"  # dashboard, report, analysis, history, exports, who has access
    EDIT = "edit"  # the case's text, stakeholder links, inputs, calendar feeds, connectors
    RUN_WORKSHOP = "run_workshop"  # create workshops, the console, commands, invitations
    MANAGE_PEOPLE = "manage_people"  # add, re-role or remove editors and viewers
    TRANSFER = "transfer"  # make a member the owner


#: What each action is, in the words of a refusal ("may not ...").
DOING: Mapping[Action, str] = {
    Action.READ: "read it",
    Action.EDIT: "change its file, stakeholder links, inputs, calendar feeds or connectors",
    Action.RUN_WORKSHOP: "run its workshops",
    Action.MANAGE_PEOPLE: "change who has access to it",
    Action.TRANSFER: "transfer its ownership",
}

#: The permission table (docs/web.md, "Co-facilitators", shows it to users).
PERMISSIONS: Mapping[Role, frozenset[Action]] = {
    Role.OWNER: frozenset(Action),
    Role.EDITOR: frozenset({Action.READ, Action.EDIT, Action.RUN_WORKSHOP}),
    Role.VIEWER: frozenset({Action.READ}),
}


def allows(role: Role, action: Action) -> bool:
    return action in PERMISSIONS[role]


def abilities(role: Role) -> dict[str, bool]:
    """For templates: ``can.edit``, ``can.run_workshop`` ... for the viewer's role."""
    return {action.value: allows(role, action) for action in Action}


@dataclass(frozen=True)
class CaseAccess:
    """A case and the caller's role on it (pages show or hide forms by it)."""

    record: CaseRecord
    role: Role

    @property
    def can(self) -> dict[str, bool]:
        return abilities(self.role)


def role_on(session: Session, who: Facilitator, record: CaseRecord) -> Role | None:
    """``who``'s role on the case, read anew on every request (a removed member's next
    request is refused); ``None`` when they have no access."""
    return members.role_of(session, who.id, record)


def _refusal(record: CaseRecord, role: Role, action: Action) -> ForbiddenError:
    doing = DOING[action]
    if allows(Role.EDITOR, action):
        return ForbiddenError(
            f"you are a {role} of case {record.id}: a {role} may not {doing}; nothing "
            "changed (ask its owner to make you an editor)"
        )
    return ForbiddenError(
        f"only the owner of case {record.id} may {doing}; you are its {role}: nothing changed"
    )


def _not_found(case_id: int) -> NotFoundError:
    return NotFoundError(f"there is no case {case_id} among your cases")


def case_access(session: Session, who: Facilitator, case_id: int, action: Action) -> CaseAccess:
    """Case ``case_id`` with ``who``'s role, if that role allows ``action``."""
    record = session.get(CaseRecord, case_id)
    role = role_on(session, who, record) if record is not None else None
    if record is None or role is None:
        raise _not_found(case_id)
    if not allows(role, action):
        raise _refusal(record, role, action)
    return CaseAccess(record, role)


def case_for(session: Session, who: Facilitator, case_id: int, action: Action) -> CaseRecord:
    """Case ``case_id``, if ``who``'s role on it allows ``action`` (else 404 or 403)."""
    return case_access(session, who, case_id, action).record


def workshop_for(session: Session, who: Facilitator, workshop_id: int, action: Action) -> Workshop:
    """Workshop ``workshop_id``, if ``who``'s role on its case allows ``action``."""
    workshop = session.get(Workshop, workshop_id)
    record = session.get(CaseRecord, workshop.case_id) if workshop is not None else None
    role = role_on(session, who, record) if record is not None else None
    if workshop is None or record is None or role is None:
        raise NotFoundError(f"there is no workshop {workshop_id} among your workshops")
    if not allows(role, action):
        raise _refusal(record, role, action)
    return workshop


__all__ = [
    "DOING",
    "PERMISSIONS",
    "Action",
    "CaseAccess",
    "Role",
    "abilities",
    "allows",
    "case_access",
    "case_for",
    "role_on",
    "workshop_for",
]
