"""The JSON shapes of ``/api/v1`` that are not the analysis itself (that one is the typed
:class:`accord.analysis.sections.Analysis` contract, served as it is)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from accord.store.members import Role
from accord.store.revisions import Revision
from accord.store.tables import ApiToken, CaseRecord, LinkToken, Workshop
from accord.store.tokens import SCOPES

Scope = Literal["read", "write", "workshop"]
assert set(SCOPES) == {"read", "write", "workshop"}  # the Literal above mirrors SCOPES


class Strict(BaseModel):
    """A request body: unknown fields are refused, so a typo is not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class ProblemOut(BaseModel):
    path: str | None
    line: int | None
    column: int | None
    field: str | None
    message: str


class ErrorEnvelope(BaseModel):
    """Every error of the API, whatever its status (the shape of ``AccordError.to_dict``)."""

    error: str = Field(description="Stable machine-readable kind, e.g. not_found.")
    message: str = Field(description="What went wrong and what to do, for a person.")
    problems: list[ProblemOut] = Field(description="Located problems (file, line, field).")


class CaseSummary(BaseModel):
    id: int
    slug: str = Field(description="The case file's own id.")
    title: str
    source_name: str
    created_at: dt.datetime
    updated_at: dt.datetime
    role: Role = Field(
        description="Your role on the case: owner, editor (may change it and run its "
        "workshops) or viewer (may read it)."
    )

    @classmethod
    def of(cls, record: CaseRecord, role: Role) -> CaseSummary:
        return cls(
            id=record.id,
            role=role,
            slug=record.case_slug,
            title=record.title,
            source_name=record.source_name,
            created_at=record.created_at,
            updated_at=record.updated_at,
        )


class CasePage(BaseModel):
    items: list[CaseSummary]
    next_after: int | None = Field(
        description="Pass as ?after= for the next page; null on the last page."
    )


class CaseDetail(CaseSummary):
    stakeholders: list[str] = Field(description="Stakeholder ids of the case.")
    options: list[str] = Field(description="Option ids of the case.")
    inputs_given: list[str] = Field(description="Stakeholders whose inputs the app stores.")


class RevisionOut(BaseModel):
    number: int
    author: str
    summary: str = Field(description="What changed from the revision before.")
    created_at: dt.datetime
    source_name: str

    @classmethod
    def of(cls, revision: Revision) -> RevisionOut:
        return cls(
            number=revision.number,
            author=revision.author,
            summary=revision.summary,
            created_at=revision.created_at,
            source_name=revision.source_name,
        )


class LinkOut(BaseModel):
    id: int
    role: Literal["stakeholder", "participant", "observer"]
    stakeholder_id: str | None
    workshop_id: int | None
    label: str
    created_at: dt.datetime
    revoked: bool

    @classmethod
    def of(cls, token: LinkToken) -> LinkOut:
        return cls(
            id=token.id,
            role=token.role,  # the table's CHECK keeps it one of the three
            stakeholder_id=token.stakeholder_id,
            workshop_id=token.workshop_id,
            label=token.label,
            created_at=token.created_at,
            revoked=token.revoked_at is not None,
        )


class LinkCreated(LinkOut):
    url: str = Field(description="The link itself: shown this once, only its hash is kept.")


class NewStakeholderLink(Strict):
    stakeholder_id: str = Field(min_length=1, max_length=100)
    label: str = Field("", max_length=200)


class NewParticipantLink(Strict):
    label: str = Field("", max_length=200)


class NewWorkshop(Strict):
    title: str = Field(min_length=1, max_length=200)


class WorkshopOut(BaseModel):
    id: int
    case_id: int
    title: str
    created_at: dt.datetime
    last_seq: int

    @classmethod
    def of(cls, workshop: Workshop, last_seq: int | None = None) -> WorkshopOut:
        return cls(
            id=workshop.id,
            case_id=workshop.case_id,
            title=workshop.title,
            created_at=workshop.created_at,
            last_seq=workshop.last_seq if last_seq is None else last_seq,
        )


class WorkshopStateOut(WorkshopOut):
    view: dict[str, Any] = Field(
        description="The board as the facilitator may see it (what the console shows): "
        "agenda, phase, timer, ideas (none of the participants' during silent "
        "brainstorming but counts), groups, tally, parking lot, decisions, actions."
    )


class Command(Strict):
    kind: str = Field(min_length=1, max_length=50, description="A workshop command kind.")
    payload: dict[str, Any] = Field(
        default_factory=dict, description="The command's fields, as the workshop rules take them."
    )
    command_key: str | None = Field(
        None,
        pattern=r"^[A-Za-z0-9_-]{1,64}$",
        description="Idempotency key: a retry with the same key is answered, not stored twice.",
    )


class ApiTokenOut(BaseModel):
    id: int
    name: str
    scopes: list[str]
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked: bool

    @classmethod
    def of(cls, token: ApiToken) -> ApiTokenOut:
        return cls(
            id=token.id,
            name=token.name,
            scopes=token.scopes.split(),
            created_at=token.created_at,
            expires_at=token.expires_at,
            last_used_at=token.last_used_at,
            revoked=token.revoked_at is not None,
        )
