"""Who besides its owner may work on a case: co-facilitators as editors or viewers.

A case has exactly one owner (``CaseRecord.owner_id``); every other facilitator with access
has one :class:`~accord.store.tables.CaseMember` row naming their role.  What each role may
do is decided in one place, :mod:`accord.web.access`; this module only stores who holds
which role, and keeps the owner one (ownership moves only by :func:`transfer_ownership`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from accord.errors import ConflictError, InputError, NotFoundError
from accord.store.tables import MEMBER_ROLES, CaseMember, CaseRecord, Facilitator


class Role(enum.StrEnum):
    """A facilitator's role on one case."""

    OWNER = "owner"
    EDITOR = "editor"
    VIEWER = "viewer"


#: The roles the owner can give (the owner's own role moves only by a transfer).
MEMBER_ROLE_CHOICES = tuple(Role(name) for name in MEMBER_ROLES)


@dataclass(frozen=True)
class Person:
    """Someone with access to a case, as the People page lists them."""

    facilitator_id: int
    email: str
    display_name: str
    role: Role
    member_id: int | None  # the membership row; None for the owner


def member_role(value: str) -> Role:
    """``value`` as a role the owner may give, or a message naming the allowed ones."""
    if value not in MEMBER_ROLES:
        allowed = " or ".join(MEMBER_ROLES)
        raise InputError(f"role: expected {allowed}, got {value[:40]!r}")
    return Role(value)


def role_of(s: Session, facilitator_id: int, record: CaseRecord) -> Role | None:
    """``facilitator_id``'s role on the case; ``None`` when they have no access."""
    if record.owner_id == facilitator_id:
        return Role.OWNER
    found = s.scalar(
        sa.select(CaseMember.role).where(
            CaseMember.case_id == record.id, CaseMember.facilitator_id == facilitator_id
        )
    )
    return Role(found) if found is not None else None


def people(s: Session, record: CaseRecord) -> list[Person]:
    """The owner first, then the members in the order they were added."""
    owner = s.get(Facilitator, record.owner_id)
    if owner is None:  # the foreign key cascades: a case without an owner is gone
        raise NotFoundError(f"case {record.id} has no owner")
    found = [Person(owner.id, owner.email, owner.display_name, Role.OWNER, None)]
    rows = s.execute(
        sa.select(CaseMember, Facilitator)
        .join(Facilitator, CaseMember.facilitator_id == Facilitator.id)
        .where(CaseMember.case_id == record.id)
        .order_by(CaseMember.added_at, CaseMember.id)
    ).all()
    found += [Person(f.id, f.email, f.display_name, Role(m.role), m.id) for m, f in rows]
    return found


def add_member(s: Session, record: CaseRecord, email: str, role: Role) -> CaseMember:
    """Give the facilitator with ``email`` (an existing account) ``role`` on the case."""
    role = member_role(role)
    address = email.strip().lower()
    if not address:
        raise InputError("email: enter the email of the facilitator to add")
    facilitator = s.scalar(sa.select(Facilitator).where(Facilitator.email == address))
    if facilitator is None:
        raise InputError(
            f"email: there is no facilitator with the email {address[:254]!r} (they need an "
            "account first: accord facilitator add, or an invitation)"
        )
    if facilitator.id == record.owner_id:
        raise ConflictError(f"email: {address} owns this case already")
    if role_of(s, facilitator.id, record) is not None:
        raise ConflictError(
            f"email: {address} has access to this case already (change their role instead)"
        )
    member = CaseMember(case_id=record.id, facilitator_id=facilitator.id, role=role.value)
    s.add(member)
    s.flush()
    return member


def _member(s: Session, record: CaseRecord, member_id: int) -> CaseMember:
    member = s.get(CaseMember, member_id)
    if member is None or member.case_id != record.id:
        raise NotFoundError(f"there is no member {member_id} of case {record.id}")
    return member


def set_role(s: Session, record: CaseRecord, member_id: int, role: Role) -> CaseMember:
    """Change a member's role (to editor or viewer)."""
    member = _member(s, record, member_id)
    member.role = member_role(role).value
    s.flush()
    return member


def remove_member(s: Session, record: CaseRecord, member_id: int) -> None:
    """Take a member's access away; their next request is refused."""
    s.delete(_member(s, record, member_id))
    s.flush()


def transfer_ownership(s: Session, record: CaseRecord, member_id: int) -> None:
    """Make member ``member_id`` the case's owner; the previous owner stays as an editor.

    A facilitator's case ids are unique among their own cases, so a new owner who already
    owns a case with this one's id is refused until one of the two is renamed.
    """
    member = _member(s, record, member_id)
    clash = s.scalar(
        sa.select(CaseRecord.id).where(
            CaseRecord.owner_id == member.facilitator_id,
            CaseRecord.case_slug == record.case_slug,
        )
    )
    if clash is not None:
        raise ConflictError(
            f"member: they already own a case with the id '{record.case_slug}' (case "
            f"{clash}): change the id of one of the two cases first"
        )
    previous = record.owner_id
    record.owner_id = member.facilitator_id
    s.delete(member)
    s.flush()
    s.add(CaseMember(case_id=record.id, facilitator_id=previous, role=Role.EDITOR.value))
    s.flush()


def shared_cases(s: Session, facilitator_id: int) -> list[tuple[CaseRecord, Role]]:
    """The cases others own that ``facilitator_id`` is a member of, most recently updated
    first, with their role on each."""
    rows = s.execute(
        sa.select(CaseRecord, CaseMember.role)
        .join(CaseMember, CaseMember.case_id == CaseRecord.id)
        .where(CaseMember.facilitator_id == facilitator_id)
        .order_by(CaseRecord.updated_at.desc(), CaseRecord.id.desc())
    ).all()
    return [(record, Role(role)) for record, role in rows]


def page_visible_cases(
    s: Session, facilitator_id: int, after: int, limit: int
) -> list[tuple[CaseRecord, Role]]:
    """At most ``limit`` cases ``facilitator_id`` owns or is a member of, with ids above
    ``after``, by id (the API's pages), each with their role."""
    role = sa.case(
        (CaseRecord.owner_id == facilitator_id, sa.literal(Role.OWNER.value)),
        else_=CaseMember.role,
    )
    rows = s.execute(
        sa.select(CaseRecord, role)
        .outerjoin(
            CaseMember,
            sa.and_(
                CaseMember.case_id == CaseRecord.id,
                CaseMember.facilitator_id == facilitator_id,
            ),
        )
        .where(
            sa.or_(CaseRecord.owner_id == facilitator_id, CaseMember.id.is_not(None)),
            CaseRecord.id > after,
        )
        .order_by(CaseRecord.id)
        .limit(limit)
    ).all()
    return [(record, Role(found)) for record, found in rows]


__all__ = [
    "MEMBER_ROLE_CHOICES",
    "Person",
    "Role",
    "add_member",
    "member_role",
    "page_visible_cases",
    "people",
    "remove_member",
    "role_of",
    "set_role",
    "shared_cases",
    "transfer_ownership",
]
