"""Persistence: SQLAlchemy 2 tables, repository functions and Alembic migrations.

``Store.from_url(database_url())`` opens (and migrates) the database; each unit of work is
``with store.session() as s:`` and calls the repository functions re-exported here.
"""

from accord.store.db import Store, create_engine_for, database_url, upgrade
from accord.store.repository import (
    append_event,
    authenticate,
    case_with_inputs,
    create_facilitator,
    create_workshop,
    events_after,
    get_case,
    get_workshop,
    issue_token,
    join_workshop,
    list_cases,
    list_tokens,
    lock_workshop,
    resolve_token,
    revoke_token,
    save_case,
    save_inputs,
    set_password,
    stored_inputs,
)
from accord.store.tables import (
    CaseRecord,
    Facilitator,
    LinkToken,
    StakeholderInputRecord,
    Workshop,
    WorkshopEvent,
    WorkshopParticipant,
)

__all__ = [
    "CaseRecord",
    "Facilitator",
    "LinkToken",
    "StakeholderInputRecord",
    "Store",
    "Workshop",
    "WorkshopEvent",
    "WorkshopParticipant",
    "append_event",
    "authenticate",
    "case_with_inputs",
    "create_engine_for",
    "create_facilitator",
    "create_workshop",
    "database_url",
    "events_after",
    "get_case",
    "get_workshop",
    "issue_token",
    "join_workshop",
    "list_cases",
    "list_tokens",
    "lock_workshop",
    "resolve_token",
    "revoke_token",
    "save_case",
    "save_inputs",
    "set_password",
    "stored_inputs",
    "upgrade",
]
