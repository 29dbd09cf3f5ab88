"""What the web layer asks of the database; every function takes the open ``Session`` first.

Bad user input raises :class:`~accord.errors.InputError` before anything is written;
"not found" and "not yours" look the same to the caller (``None`` / ``False``), so one
facilitator cannot probe for another's ids.  The caller's session commits.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import secrets
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any, TypeVar

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from accord.errors import (
    ForbiddenError,
    InputError,
    Location,
    NotFoundError,
    Problem,
)
from accord.io.case_file import parse_case
from accord.io.loader import to_plain, validate_data
from accord.model.base import unknown_id
from accord.model.case import Case
from accord.model.inputs import StakeholderInputs
from accord.store import webhooks
from accord.store.revisions import record_revision
from accord.store.sessions import end_all_sessions
from accord.store.tables import (
    TOKEN_ROLES,
    CaseRecord,
    Facilitator,
    LinkToken,
    StakeholderInputRecord,
    Workshop,
    WorkshopEvent,
    WorkshopParticipant,
    utc_now,
)

MIN_PASSWORD = 8
# Argon2 hashes anything, but a megabyte "password" is only a way to burn server CPU.
MAX_PASSWORD = 1024
MAX_NAME = 100
MAX_TITLE = 200
MAX_EVENTS = 500
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")

# argon2-cffi's defaults are argon2id with the RFC 9106 low-memory profile.
_hasher = PasswordHasher()


# --- facilitators -----------------------------------------------------------------------


def create_facilitator(s: Session, email: str, password: str, display_name: str) -> Facilitator:
    """A new account; the password is stored only as an argon2id hash."""
    address = _normal_email(email)
    if not _EMAIL.match(address) or len(address) > 254:
        raise InputError(f"email: {email!r} is not an email address (expected name@domain)")
    _check_password(password)
    name = _required_text(display_name, "display_name", MAX_NAME)
    taken = InputError(f"email: an account for {address} already exists (sign in instead)")
    if s.scalar(sa.select(Facilitator.id).where(Facilitator.email == address)) is not None:
        raise taken
    facilitator = Facilitator(
        email=address, password_hash=_hasher.hash(password), display_name=name
    )
    s.add(facilitator)
    try:
        s.flush()
    except IntegrityError:
        # Another request registered the same address between our check and insert.
        raise taken from None
    return facilitator


def is_email(address: str) -> bool:
    """Whether ``address`` (already normalised) has the shape of a sign-in email."""
    return bool(_EMAIL.match(address)) and len(address) <= 254


def authenticate(s: Session, email: str, password: str) -> Facilitator | None:
    """The facilitator whose email and password match, else ``None``."""
    found = s.scalar(sa.select(Facilitator).where(Facilitator.email == _normal_email(email)))
    if found is None or len(password) > MAX_PASSWORD:
        # Spend the same work as a real check, so timing does not reveal which emails exist.
        _verify(_dummy_hash(), password[:MAX_PASSWORD])
        return None
    if not _verify(found.password_hash, password):
        return None
    if _hasher.check_needs_rehash(found.password_hash):
        found.password_hash = _hasher.hash(password)
    return found


def set_password(s: Session, facilitator: Facilitator, password: str) -> None:
    """Give ``facilitator`` a new password (stored as a fresh argon2id hash); every session
    of theirs ends."""
    _check_password(password)
    facilitator.password_hash = _hasher.hash(password)
    # Whoever knew the old password may hold a session: a new password ends them all.
    end_all_sessions(s, facilitator.id)
    s.flush()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InputError(
            f"password: too short ({len(password)} characters, at least {MIN_PASSWORD})"
        )
    if len(password) > MAX_PASSWORD:
        raise InputError(f"password: too long (at most {MAX_PASSWORD} characters)")


def _normal_email(email: str) -> str:
    return email.strip().lower()


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


# --- cases ------------------------------------------------------------------------------


def save_case(
    s: Session,
    owner_id: int,
    source_text: str,
    source_name: str,
    *,
    author: str | None = None,
    summary: str | None = None,
) -> CaseRecord:
    """Store a case file for its owner; the same case id again updates that record.

    Either way the text becomes the case's next revision, by ``author`` (default: the
    owner's name) with ``summary`` (default: what changed).
    """
    name = _file_name(source_name)
    case = parse_case(source_text, path=name)
    owner = s.get(Facilitator, owner_id)
    if owner is None:
        raise NotFoundError(f"no facilitator {owner_id}")
    record = s.scalar(
        sa.select(CaseRecord).where(
            CaseRecord.owner_id == owner_id, CaseRecord.case_slug == case.id
        )
    )
    previous: str | None = None
    if record is None:
        record = CaseRecord(
            owner_id=owner_id,
            case_slug=case.id,
            title=case.title,
            source_text=source_text,
            source_name=name,
        )
        s.add(record)
    else:
        check_inputs_fit(s, record, case)
        previous = record.source_text
        record.title = case.title
        record.source_text = source_text
        record.source_name = name
        record.updated_at = utc_now()
    who = author or owner.display_name or owner.email
    record_revision(s, record, who, summary, previous_text=previous)
    return record


def check_inputs_fit(s: Session, record: CaseRecord, case: Case) -> None:
    """Raise ``InputError`` unless ``case`` (new text for ``record``) still accepts the
    inputs stakeholders already gave through the web."""
    _with_inputs(case, stored_inputs(s, record.id), record.case_slug)


def list_cases(s: Session, owner_id: int) -> list[CaseRecord]:
    """The owner's cases, most recently updated first."""
    query = (
        sa.select(CaseRecord)
        .where(CaseRecord.owner_id == owner_id)
        .order_by(CaseRecord.updated_at.desc(), CaseRecord.id.desc())
    )
    return list(s.scalars(query))


def page_cases(s: Session, owner_id: int, after: int, limit: int) -> list[CaseRecord]:
    """At most ``limit`` of the owner's cases with ids above ``after``, by id (the API's
    pages: an id cursor stays stable while cases are added or updated)."""
    query = (
        sa.select(CaseRecord)
        .where(CaseRecord.owner_id == owner_id, CaseRecord.id > after)
        .order_by(CaseRecord.id)
        .limit(limit)
    )
    return list(s.scalars(query))


def case_by_slug(s: Session, owner_id: int, slug: str) -> CaseRecord | None:
    """The owner's case whose file has id ``slug``."""
    return s.scalar(
        sa.select(CaseRecord).where(CaseRecord.owner_id == owner_id, CaseRecord.case_slug == slug)
    )


def get_case(s: Session, owner_id: int, case_id: int) -> CaseRecord | None:
    """The case if it exists and belongs to ``owner_id``."""
    record = s.get(CaseRecord, case_id)
    return record if record is not None and record.owner_id == owner_id else None


def case_with_inputs(s: Session, record: CaseRecord) -> Case:
    """The stored case with stored inputs replacing the file's inputs of those stakeholders."""
    case = parse_case(record.source_text, path=record.source_name)
    return _with_inputs(case, stored_inputs(s, record.id), record.case_slug)


def _with_inputs(case: Case, inputs: Mapping[str, StakeholderInputs], slug: str) -> Case:
    if not inputs:
        return case
    data = to_plain(case)
    data["inputs"] = {**data.get("inputs", {}), **{k: to_plain(v) for k, v in inputs.items()}}
    try:
        # Through the model again, so cross-references (ids) are checked on the merged case.
        return validate_data(data, Case)
    except InputError as error:
        # No file or line to point at: keep the field path and the message.
        problems = [Problem(p.message, Location(field=p.location.field)) for p in error.problems]
        who = ", ".join(f"'{k}'" for k in inputs)
        raise InputError.from_problems(
            problems,
            f"inputs of {who} do not fit case '{slug}': fix the values named below",
        ) from None


def _file_name(source_name: str) -> str:
    # Only the last part of an uploaded path: the name is shown back and used in messages.
    name = PurePosixPath(source_name.replace("\\", "/")).name.strip()
    if len(name) > 255:
        raise InputError(f"source_name: file name too long ({len(name)} characters, at most 255)")
    return name or "case.yaml"


# --- link tokens ------------------------------------------------------------------------


def issue_token(
    s: Session,
    case_id: int,
    role: str,
    *,
    stakeholder_id: str | None = None,
    workshop_id: int | None = None,
    label: str = "",
) -> tuple[LinkToken, str]:
    """A new link token; returns the row and the raw token (shown once, never stored)."""
    if role not in TOKEN_ROLES:
        allowed = ", ".join(TOKEN_ROLES)
        raise InputError(f"role: {role!r} is not a link role (expected one of {allowed})")
    record = _case(s, case_id)
    if role == "stakeholder" and not stakeholder_id:
        raise InputError(
            "stakeholder_id: a stakeholder link needs the stakeholder it is for "
            f"(one of {', '.join(_stakeholders(record))})"
        )
    if stakeholder_id is not None:
        known = _stakeholders(record)
        if stakeholder_id not in known:
            raise InputError(
                f"stakeholder_id: {unknown_id(stakeholder_id, 'a stakeholder id', known)} "
                f"in case '{record.case_slug}'"
            )
    if workshop_id is not None:
        workshop = s.get(Workshop, workshop_id)
        if workshop is None or workshop.case_id != case_id:
            raise InputError(
                f"workshop_id: {workshop_id} is not a workshop of case '{record.case_slug}'"
            )
    raw = secrets.token_urlsafe(32)
    token = LinkToken(
        token_hash=_token_hash(raw),
        case_id=case_id,
        workshop_id=workshop_id,
        role=role,
        stakeholder_id=stakeholder_id,
        label=_optional_text(label, "label", MAX_TITLE),
    )
    s.add(token)
    s.flush()
    return token, raw


def resolve_token(s: Session, raw: str) -> LinkToken | None:
    """The live token for ``raw``; ``None`` when it is unknown or revoked."""
    if not raw or len(raw) > 200:
        return None
    return s.scalar(
        sa.select(LinkToken).where(
            LinkToken.token_hash == _token_hash(raw), LinkToken.revoked_at.is_(None)
        )
    )


def revoke_token(s: Session, owner_id: int, token_id: int) -> bool:
    """Revoke one of the owner's tokens; ``False`` when there is no such token of theirs."""
    token = s.scalar(
        sa.select(LinkToken)
        .join(CaseRecord, LinkToken.case_id == CaseRecord.id)
        .where(LinkToken.id == token_id, CaseRecord.owner_id == owner_id)
    )
    if token is None:
        return False
    if token.revoked_at is None:
        token.revoked_at = utc_now()
        s.flush()
    return True


def list_tokens(s: Session, owner_id: int, case_id: int) -> list[LinkToken]:
    """Every token (revoked too) of the owner's case, oldest first."""
    query = (
        sa.select(LinkToken)
        .join(CaseRecord, LinkToken.case_id == CaseRecord.id)
        .where(LinkToken.case_id == case_id, CaseRecord.owner_id == owner_id)
        .order_by(LinkToken.created_at, LinkToken.id)
    )
    return list(s.scalars(query))


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


# --- stakeholder inputs -----------------------------------------------------------------


def save_inputs(
    s: Session, case_id: int, stakeholder_id: str, inputs: StakeholderInputs
) -> StakeholderInputRecord:
    """Store (or replace) a stakeholder's inputs, after checking them against the case."""
    record = _case(s, case_id)
    case = parse_case(record.source_text, path=record.source_name)
    merged = {**stored_inputs(s, case_id), stakeholder_id: inputs}
    _with_inputs(case, merged, record.case_slug)
    values = {
        "case_id": case_id,
        "stakeholder_id": stakeholder_id,
        "payload": inputs.model_dump(mode="json", exclude_defaults=True),
        "submitted_at": utc_now(),
    }
    saved = _upsert(s, StakeholderInputRecord, values, ("case_id", "stakeholder_id"))
    webhooks.inputs_given(s, case_id, stakeholder_id)
    return saved


def stored_inputs(s: Session, case_id: int) -> dict[str, StakeholderInputs]:
    """Stakeholder id -> their stored inputs, in the order they first submitted."""
    rows = s.scalars(
        sa.select(StakeholderInputRecord)
        .where(StakeholderInputRecord.case_id == case_id)
        .order_by(StakeholderInputRecord.id)
    )
    return {row.stakeholder_id: StakeholderInputs.model_validate(row.payload) for row in rows}


def input_times(s: Session, case_id: int) -> dict[str, dt.datetime]:
    """Stakeholder id -> when they last saved their inputs through a link."""
    rows = s.execute(
        sa.select(StakeholderInputRecord.stakeholder_id, StakeholderInputRecord.submitted_at).where(
            StakeholderInputRecord.case_id == case_id
        )
    )
    return {stakeholder: at for stakeholder, at in rows}


# --- workshops --------------------------------------------------------------------------


def create_workshop(s: Session, case_id: int, title: str) -> Workshop:
    """A new workshop on a case, with an empty event log."""
    _case(s, case_id)
    workshop = Workshop(case_id=case_id, title=_required_text(title, "title", MAX_TITLE))
    s.add(workshop)
    s.flush()
    return workshop


def get_workshop(s: Session, owner_id: int, workshop_id: int) -> Workshop | None:
    """The workshop if its case belongs to ``owner_id``."""
    return s.scalar(
        sa.select(Workshop)
        .join(CaseRecord, Workshop.case_id == CaseRecord.id)
        .where(Workshop.id == workshop_id, CaseRecord.owner_id == owner_id)
    )


def join_workshop(
    s: Session, workshop_id: int, token_id: int, display_name: str
) -> WorkshopParticipant:
    """The participant for this token in this workshop, seated under ``display_name``.

    Joining again returns the participant already seated, under their first name: names
    are fixed after joining (others have seen it on the board, and dissent and ideas point
    at the seat), so a second join cannot rename anyone, to "Facilitator" or otherwise.
    """
    name = _required_text(display_name, "display_name", MAX_NAME)
    workshop = s.get(Workshop, workshop_id)
    if workshop is None:
        raise NotFoundError(f"no workshop {workshop_id}")
    token = s.get(LinkToken, token_id)
    if (
        token is None
        or token.revoked_at is not None
        or token.case_id != workshop.case_id
        or token.workshop_id not in (None, workshop_id)
    ):
        raise ForbiddenError(f"this link does not give access to workshop {workshop_id}")
    values = {"workshop_id": workshop_id, "token_id": token_id, "display_name": name}
    # Insert-or-keep in one statement, so two tabs joining at once with one link still make
    # one participant, and the one that loses the race gets the winner's row unchanged.
    return _upsert(
        s,
        WorkshopParticipant,
        {**values, "joined_at": utc_now()},
        ("workshop_id", "token_id"),
        update=(),
    )


def lock_workshop(s: Session, workshop_id: int) -> None:
    """Hold the workshop's write lock until this transaction ends.

    Call it first when a change depends on what the log says (read, check, then append):
    other writers to this workshop wait, so the check sees every committed event.  A no-op
    ``UPDATE`` takes the row lock on PostgreSQL and the database write lock on SQLite.
    """
    lock = (
        sa.update(Workshop)
        .where(Workshop.id == workshop_id)
        .values(last_seq=Workshop.last_seq)
        .returning(Workshop.id)
        .execution_options(synchronize_session=False)
    )
    if s.execute(lock).scalar_one_or_none() is None:
        raise NotFoundError(f"no workshop {workshop_id}")


def append_event(
    s: Session,
    workshop_id: int,
    kind: str,
    payload: Mapping[str, Any],
    actor: str | None,
    *,
    at: dt.datetime | None = None,
) -> WorkshopEvent:
    """Add the next event to a workshop's log, numbered in this same transaction.

    The counter is bumped with ``UPDATE ... RETURNING``: on PostgreSQL the row lock makes
    concurrent writers wait, on SQLite the database write lock does, so the numbers have no
    gaps or repeats and commit in order.  ``at`` is the event time (default: now).
    """
    if not kind or len(kind) > 50:
        raise InputError(f"kind: {kind!r} is not an event kind (1 to 50 characters)")
    bump = (
        sa.update(Workshop)
        .where(Workshop.id == workshop_id)
        .values(last_seq=Workshop.last_seq + 1)
        .returning(Workshop.last_seq)
        # Synchronising would redo the "+ 1" in Python on a possibly stale loaded row.
        .execution_options(synchronize_session=False)
    )
    seq = s.execute(bump).scalar_one_or_none()
    if seq is None:
        raise NotFoundError(f"no workshop {workshop_id}")
    cached = s.identity_map.get(Session.identity_key(Workshop, workshop_id))
    if cached is not None:
        # The UPDATE was not synchronised: make a loaded Workshop re-read its counter.
        s.expire(cached, ["last_seq"])
    event = WorkshopEvent(
        workshop_id=workshop_id,
        seq=seq,
        kind=kind,
        actor=actor,
        payload=dict(payload),
        created_at=at or utc_now(),
    )
    s.add(event)
    s.flush()
    webhooks.emit_workshop_event(s, workshop_id, kind, payload)
    return event


def lock_workshop_seq(s: Session, workshop_id: int) -> int:
    """:func:`lock_workshop`, returning the workshop's ``last_seq`` as of the lock."""
    lock = (
        sa.update(Workshop)
        .where(Workshop.id == workshop_id)
        .values(last_seq=Workshop.last_seq)
        .returning(Workshop.last_seq)
        .execution_options(synchronize_session=False)
    )
    seq = s.execute(lock).scalar_one_or_none()
    if seq is None:
        raise NotFoundError(f"no workshop {workshop_id}")
    return int(seq)


def append_events(s: Session, workshop_id: int, events: list[dict[str, Any]]) -> None:
    """Insert a batch of already numbered events (``seq``, ``kind``, ``actor``, ``payload``,
    ``created_at``, ``command_key``) and move the counter past them: one ``INSERT`` of many
    rows and one ``UPDATE`` per batch (group commit).

    Call it under :func:`lock_workshop_seq`; the numbers must follow ``last_seq`` without
    gaps (checked here: a wrong number would corrupt the log for every reader).
    """
    if not events:
        return
    first, last = events[0]["seq"], events[-1]["seq"]
    if [e["seq"] for e in events] != list(range(first, last + 1)):
        raise ValueError("append_events: the sequence numbers must run without gaps")
    bump = (
        sa.update(Workshop)
        .where(Workshop.id == workshop_id, Workshop.last_seq == first - 1)
        .values(last_seq=last)
        .returning(Workshop.last_seq)
        .execution_options(synchronize_session=False)
    )
    if s.execute(bump).scalar_one_or_none() is None:
        raise ValueError(f"append_events: workshop {workshop_id} is not at seq {first - 1}")
    s.execute(sa.insert(WorkshopEvent), [{**event, "workshop_id": workshop_id} for event in events])
    for event in events:  # decisions and closes reach webhooks in this same transaction
        webhooks.emit_workshop_event(s, workshop_id, event["kind"], event["payload"])


def stored_command_keys(s: Session, workshop_id: int, keys: list[str]) -> dict[str, str | None]:
    """Key -> actor for the keys among ``keys`` this workshop already stored a command under."""
    if not keys:
        return {}
    rows = s.execute(
        sa.select(WorkshopEvent.command_key, WorkshopEvent.actor).where(
            WorkshopEvent.workshop_id == workshop_id, WorkshopEvent.command_key.in_(keys)
        )
    )
    return {key: actor for key, actor in rows if key is not None}


def live_token_ids(s: Session, token_ids: set[int]) -> set[int]:
    """The ids among ``token_ids`` of tokens that exist and are not revoked."""
    if not token_ids:
        return set()
    rows = s.scalars(
        sa.select(LinkToken.id).where(LinkToken.id.in_(token_ids), LinkToken.revoked_at.is_(None))
    )
    return set(rows)


def revoked_token_ids(s: Session, workshop_id: int) -> frozenset[int]:
    """The ids of this workshop's revoked links (streams check theirs against it)."""
    rows = s.scalars(
        sa.select(LinkToken.id).where(
            LinkToken.workshop_id == workshop_id, LinkToken.revoked_at.is_not(None)
        )
    )
    return frozenset(rows)


def events_after(
    s: Session, workshop_id: int, after_seq: int, limit: int = MAX_EVENTS
) -> list[WorkshopEvent]:
    """Events with ``seq > after_seq``, oldest first, at most ``limit`` of them."""
    if limit < 1:
        raise InputError(f"limit: must be at least 1, got {limit}")
    query = (
        sa.select(WorkshopEvent)
        .where(WorkshopEvent.workshop_id == workshop_id, WorkshopEvent.seq > after_seq)
        .order_by(WorkshopEvent.seq)
        .limit(limit)
    )
    return list(s.scalars(query))


# --- shared helpers ---------------------------------------------------------------------


def _case(s: Session, case_id: int) -> CaseRecord:
    record = s.get(CaseRecord, case_id)
    if record is None:
        raise NotFoundError(f"no case {case_id}")
    return record


def _stakeholders(record: CaseRecord) -> list[str]:
    return parse_case(record.source_text, path=record.source_name).stakeholder_ids


def _required_text(value: str, field: str, limit: int) -> str:
    text = value.strip()
    if not text:
        raise InputError(f"{field}: must not be empty")
    if len(text) > limit:
        raise InputError(f"{field}: too long ({len(text)} characters, at most {limit})")
    return text


def _optional_text(value: str, field: str, limit: int) -> str:
    text = value.strip()
    if len(text) > limit:
        raise InputError(f"{field}: too long ({len(text)} characters, at most {limit})")
    return text


Upserted = TypeVar("Upserted", StakeholderInputRecord, WorkshopParticipant)


def _upsert(
    s: Session,
    table: type[Upserted],
    values: dict[str, Any],
    keys: tuple[str, ...],
    *,
    update: tuple[str, ...] | None = None,
) -> Upserted:
    """``INSERT ... ON CONFLICT (keys) DO UPDATE`` (``DO NOTHING`` when ``update`` is empty):
    one atomic statement on both backends; returns the stored row, re-read so an object
    already in the session shows the update."""
    dialect = s.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - accord supports SQLite and PostgreSQL only
        raise NotImplementedError(f"no upsert for the {dialect} database")
    statement = insert(table).values(**values)
    changed = update if update is not None else tuple(k for k in values if k not in keys)
    if changed:
        statement = statement.on_conflict_do_update(
            index_elements=list(keys), set_={k: statement.excluded[k] for k in changed}
        )
    else:  # ``update=()``: an existing row is kept as it is
        statement = statement.on_conflict_do_nothing(index_elements=list(keys))
    s.execute(statement)
    match = [getattr(table, key) == values[key] for key in keys]
    query = sa.select(table).where(*match).execution_options(populate_existing=True)
    return s.execute(query).scalar_one()
