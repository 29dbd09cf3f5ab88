"""Case revisions: every save of a case is numbered, attributed and summarised.

``save_revision`` is the one way to change an existing case's text (the builder, the API and a
closing workshop call it); :func:`accord.store.repository.save_case` (upload, paste) records
its revision through :func:`record_revision`.  The case record always holds the newest
revision's text, so the dashboard and the analysis read the current revision without a join.

Functions take the open ``Session`` first and do not check ownership: the caller resolves the
case through the signed-in principal first (as for the other repository functions).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa
import yaml
from sqlalchemy.orm import Session

from accord.errors import AccordError, InputError, Location, NotFoundError, Problem
from accord.io.case_file import parse_case
from accord.model.case import Case
from accord.store import webhooks
from accord.store.tables import CaseRecord, CaseRevision, utc_now

MAX_AUTHOR = 200
MAX_SUMMARY = 2000
MAX_LISTED_CHANGES = 12
"""Changes named in an automatic summary; more are counted ("and 3 more changes")."""

ChangeKind = Literal["added", "removed", "changed", "reordered"]

# Singular names for the change summary ("added option 'pilot'").
_ITEM_NAMES = {
    "company_goals": "company goal",
    "stakeholders": "stakeholder",
    "facts": "fact",
    "criteria": "criterion",
    "options": "option",
    "guardrails": "guardrail",
    "scenarios": "scenario",
    "statements": "statement",
    "ideas": "idea",
    "decisions": "decision",
    "actions": "action",
    "inputs": "inputs of",
}


@dataclass(frozen=True)
class Change:
    """One difference between two versions of a case.

    ``section`` is a top-level key of the case (``options``, ``title``); ``item`` the id of
    the entry that changed inside a list or mapping section; ``fields`` the entry's keys that
    differ (for ``changed``).
    """

    kind: ChangeKind
    section: str
    item: str | None = None
    fields: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.item is None:
            text = f"{self.kind} {self.section}"
            return f"{text} ({', '.join(self.fields)})" if self.fields else text
        what = _ITEM_NAMES.get(self.section, self.section)
        text = f"{self.kind} {what} '{self.item}'"
        return f"{text} ({', '.join(self.fields)})" if self.fields else text


@dataclass(frozen=True)
class Revision:
    """One saved version of a case."""

    case_id: int
    number: int
    author: str
    summary: str
    created_at: dt.datetime
    source_name: str
    source_text: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields, without the text (fetch one revision for that)."""
        return {
            "case_id": self.case_id,
            "number": self.number,
            "author": self.author,
            "summary": self.summary,
            "created_at": self.created_at.isoformat(),
            "source_name": self.source_name,
        }


@dataclass(frozen=True)
class DiffLine:
    """One line of a unified diff: ``kind`` is ``+``, ``-``, `` `` (context) or ``@`` (hunk)."""

    kind: str
    text: str


@dataclass(frozen=True)
class RevisionDiff:
    """What changed from revision ``old`` to ``new``: in case terms and line by line."""

    old: Revision
    new: Revision
    changes: tuple[Change, ...]
    lines: tuple[DiffLine, ...]


# --- writing ----------------------------------------------------------------------------


def save_revision(
    s: Session,
    case_id: int,
    yaml_text: str,
    author: str,
    summary: str | None = None,
    *,
    source_name: str | None = None,
) -> Revision:
    """Make ``yaml_text`` the case's new current revision; returns that revision.

    The text is validated by the case loader (the CLI's), must still accept the inputs
    stakeholders already gave, and may rename the case only to an id its owner does not use
    yet.  Bad text raises a located :class:`~accord.errors.InputError` before anything is
    written.  ``summary`` defaults to the list of changes from the previous revision.
    """
    # repository imports this module (save_case records its revision here): import late.
    from accord.store import repository

    record = s.get(CaseRecord, case_id)
    if record is None:
        raise NotFoundError(f"no case {case_id}")
    name = source_name or record.source_name
    case = parse_case(yaml_text, path=name)
    repository.check_inputs_fit(s, record, case)
    if case.id != record.case_slug:
        taken = s.scalar(
            sa.select(CaseRecord.id).where(
                CaseRecord.owner_id == record.owner_id,
                CaseRecord.case_slug == case.id,
                CaseRecord.id != record.id,
            )
        )
        if taken is not None:
            raise InputError.from_problems(
                [
                    Problem(
                        f"you already have a case with id '{case.id}' (choose another id)",
                        Location(field="id"),
                    )
                ]
            )
    previous = record.source_text
    record.case_slug = case.id
    record.title = case.title
    record.source_text = yaml_text
    record.source_name = name
    record.updated_at = utc_now()
    return record_revision(s, record, author, summary, previous_text=previous)


def record_revision(
    s: Session,
    record: CaseRecord,
    author: str,
    summary: str | None = None,
    *,
    previous_text: str | None = None,
) -> Revision:
    """Number and store the record's current text as its next revision.

    ``previous_text`` (the text before this save; ``None`` for a new case) gives the
    automatic summary.  The counter is bumped with ``UPDATE ... RETURNING``, which holds the
    case row's lock (PostgreSQL) or the write lock (SQLite) to the commit, so two saves at
    once get different numbers and the later commit is the current text.
    """
    if previous_text == record.source_text:
        current = get_revision(s, record.id, record.revision)
        if current is not None:  # saving the same text again is not a new version
            return current
    who = author.strip()[:MAX_AUTHOR] or "unknown"
    if summary is None:
        summary = _automatic_summary(previous_text, record.source_text, record.source_name)
    s.flush()  # the record (new or changed) must exist before its revision row
    bump = (
        sa.update(CaseRecord)
        .where(CaseRecord.id == record.id)
        .values(revision=CaseRecord.revision + 1)
        .returning(CaseRecord.revision)
        .execution_options(synchronize_session=False)
    )
    number = s.execute(bump).scalar_one()
    s.expire(record, ["revision"])
    row = CaseRevision(
        case_id=record.id,
        number=number,
        source_text=record.source_text,
        source_name=record.source_name,
        author=who,
        summary=summary.strip()[:MAX_SUMMARY] or "no change",
        created_at=utc_now(),
    )
    s.add(row)
    s.flush()
    if previous_text is not None:
        webhooks.case_revised(s, record, number, row.author, row.summary)
    return _revision(row)


def _automatic_summary(previous_text: str | None, text: str, name: str) -> str:
    if previous_text is None:
        return f"created from {name}"
    try:
        old = parse_case(previous_text, path=name)
    except AccordError:  # pragma: no cover - a stored text was valid when stored
        return "replaced the case text"
    return summarise(case_changes(old, parse_case(text, path=name)))


# --- reading ----------------------------------------------------------------------------


def list_revisions(s: Session, case_id: int) -> list[Revision]:
    """The case's revisions, newest first."""
    rows = s.scalars(
        sa.select(CaseRevision)
        .where(CaseRevision.case_id == case_id)
        .order_by(CaseRevision.number.desc())
    )
    return [_revision(row) for row in rows]


def get_revision(s: Session, case_id: int, number: int) -> Revision | None:
    """Revision ``number`` of the case, or ``None``."""
    row = s.scalar(
        sa.select(CaseRevision).where(
            CaseRevision.case_id == case_id, CaseRevision.number == number
        )
    )
    return _revision(row) if row is not None else None


def diff(s: Session, case_id: int, old_number: int, new_number: int) -> RevisionDiff:
    """The changes from revision ``old_number`` to ``new_number`` of the case."""
    old = get_revision(s, case_id, old_number)
    new = get_revision(s, case_id, new_number)
    missing = [n for n, found in ((old_number, old), (new_number, new)) if found is None]
    if missing or old is None or new is None:
        raise NotFoundError(f"case {case_id} has no revision {missing[0]}")
    before = parse_case(old.source_text, path=old.source_name)
    after = parse_case(new.source_text, path=new.source_name)
    # Lines of the normalised YAML: a template's comments and flow style, dropped by the first
    # save from a form, would otherwise make every line differ.
    lines = text_diff(_normal_text(before), _normal_text(after))
    return RevisionDiff(old, new, tuple(case_changes(before, after)), tuple(lines))


def _normal_text(case: Case) -> str:
    """The case as YAML without defaults: writing a default down changes no line."""
    plain = case.model_dump(mode="python", exclude_defaults=True)
    return yaml.safe_dump(plain, sort_keys=False, allow_unicode=True, width=100)


def text_diff(old_text: str, new_text: str) -> list[DiffLine]:
    """A unified diff of two texts (three lines of context)."""
    lines = difflib.unified_diff(old_text.splitlines(), new_text.splitlines(), lineterm="")
    result: list[DiffLine] = []
    for line in lines:
        if line.startswith(("---", "+++")):
            continue
        kind = line[:1] if line[:1] in "+-@" else " "
        result.append(DiffLine(kind, line if kind == "@" else line[1:]))
    return result


def _revision(row: CaseRevision) -> Revision:
    return Revision(
        case_id=row.case_id,
        number=row.number,
        author=row.author,
        summary=row.summary,
        created_at=row.created_at,
        source_name=row.source_name,
        source_text=row.source_text,
    )


# --- what changed (pure) ----------------------------------------------------------------


def case_changes(old: Case, new: Case) -> list[Change]:
    """The differences from ``old`` to ``new``, section by section in the case's key order.

    Lists of entries with ids (options, stakeholders ...) and the ``inputs`` mapping are
    compared entry by entry, so renaming one option reads "changed option 'x' (name)", not
    "changed options".
    """
    # Full dumps, defaults included: writing down a default value is no change.
    before, after = old.model_dump(mode="python"), new.model_dump(mode="python")
    changes: list[Change] = []
    for section in Case.model_fields:
        a, b = before.get(section), after.get(section)
        if a == b:
            continue
        if a in (None, [], {}) or b in (None, [], {}):
            changes.append(Change("added" if a is None else "removed", section))
        elif _entries(section, a) is not None and _entries(section, b) is not None:
            changes.extend(_entry_changes(section, a, b))
        else:
            changes.append(Change("changed", section, None, _changed_fields(a, b)))
    return changes


def summarise(changes: Sequence[Change]) -> str:
    """The changes in one line: ``added option 'pilot'; changed title``."""
    if not changes:
        return "no change"
    named = [str(c) for c in changes[:MAX_LISTED_CHANGES]]
    rest = len(changes) - len(named)
    if rest:
        named.append(f"and {rest} more change{'s' if rest != 1 else ''}")
    return "; ".join(named)


def _entries(section: str, value: Any) -> dict[str, Any] | None:
    """A section as id -> entry: a list of entries with unique ids, or the inputs mapping."""
    if section == "inputs" and isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, list) and all(isinstance(v, Mapping) and "id" in v for v in value):
        ids = [v["id"] for v in value]
        if len(set(ids)) == len(ids):
            return {v["id"]: v for v in value}
    return None


def _entry_changes(section: str, a: Any, b: Any) -> list[Change]:
    old, new = _entries(section, a) or {}, _entries(section, b) or {}
    changes = [Change("added", section, key) for key in new if key not in old]
    changes += [Change("removed", section, key) for key in old if key not in new]
    for key in new:
        if key in old and old[key] != new[key]:
            changes.append(Change("changed", section, key, _changed_fields(old[key], new[key])))
    kept_old = [k for k in old if k in new]
    kept_new = [k for k in new if k in old]
    if not changes and kept_old != kept_new:
        changes.append(Change("reordered", section))
    return changes


def _changed_fields(a: Any, b: Any) -> tuple[str, ...]:
    if not (isinstance(a, Mapping) and isinstance(b, Mapping)):
        return ()
    keys = list(a) + [k for k in b if k not in a]
    return tuple(str(k) for k in keys if a.get(k) != b.get(k))


__all__ = [
    "Change",
    "DiffLine",
    "Revision",
    "RevisionDiff",
    "case_changes",
    "diff",
    "get_revision",
    "list_revisions",
    "record_revision",
    "save_revision",
    "summarise",
    "text_diff",
]
