"""A closed workshop's outcome as entries of its case's decision log (pure).

The workshop speaks of participants (``p12``) and free-text decisions; the case file speaks of
stakeholder ids and option ids.  :func:`case_outcome` translates: a participant is the
stakeholder their link names or whose name (or first name) they joined under; a decision
is the option the facilitator chose for it when closing (by id), else the options whose id
or name its text contains.  What cannot be translated is kept in
words, never dropped: a dissenter who is no stakeholder of the case is quoted in the
decision's rationale, an action owner who is none is named in its title and the action goes
to the decision owner.  Parking-lot items become follow-up actions of their owners.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from accord.io.loader import to_plain
from accord.model.case import Case
from accord.workshop.state import FACILITATOR, WorkshopState


@dataclass(frozen=True)
class Outcome:
    """The case's plain data with the workshop's entries added, and what was added."""

    data: dict[str, Any]
    decisions: tuple[str, ...]
    actions: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def summary(self) -> str:
        parts = [f"{len(self.decisions)} decision(s)", f"{len(self.actions)} action(s)"]
        return "workshop outcome: " + ", ".join(parts)


def match_stakeholder(case: Case, name: str) -> str | None:
    """The stakeholder id a participant's display name stands for, if exactly one fits."""
    wanted = name.strip().lower()
    if not wanted:
        return None
    for person in case.stakeholders:
        if wanted in (person.id, person.name.lower()):
            return person.id
    first = [p.id for p in case.stakeholders if p.name.lower().split()[:1] == [wanted]]
    return first[0] if len(first) == 1 else None


def matched_options(case: Case, text: str) -> list[str]:
    """Option ids whose id or name the decision text contains (whole words, any case)."""
    lowered = text.lower()
    found = []
    for option in case.options:
        for label in (option.id, option.name):
            if re.search(rf"(?<!\w){re.escape(label.lower())}(?!\w)", lowered):
                found.append(option.id)
                break
    return found


def case_outcome(
    case: Case,
    state: WorkshopState,
    workshop_id: int,
    people: Mapping[str, str | None],
    chosen: Mapping[int, Sequence[str]] | None = None,
) -> Outcome:
    """``case`` with the closed workshop's decisions, actions and parked items added.

    ``people`` maps participant ids to stakeholder ids (``None``: not a stakeholder);
    ``chosen`` maps agenda items to the option ids the facilitator picked for their
    decisions (checked by the caller; an item without one is matched by its words).  Entry
    ids start with ``w<workshop_id>-``, so writing the same outcome twice adds nothing.
    """
    data = to_plain(case)
    prefix = f"w{workshop_id}-"
    if any(d.id.startswith(prefix) for d in case.decisions) or any(
        a.id.startswith(prefix) for a in case.actions
    ):
        return Outcome(data, (), (), ("the workshop's outcome is already in the case",))
    names = dict(state.participants)

    def who(participant: str) -> str | None:
        return people.get(participant) if participant != FACILITATOR else case.decision_owner

    def called(participant: str) -> str:
        return "the facilitator" if participant == FACILITATOR else names.get(participant, "?")

    notes: list[str] = []
    decisions: list[dict[str, Any]] = []
    decision_of_item: dict[int, str] = {}
    for item, record in sorted(state.decisions.items()):
        question = state.agenda[item].question if item < len(state.agenda) else ""
        options = list((chosen or {}).get(item, ())) or matched_options(case, record.decision)
        if not options:
            notes.append(
                f"item {item + 1} ({question}): '{record.decision}' names no option of the "
                "case, so it is not in the decision log"
            )
            continue
        rationale = [record.rationale]
        if record.deprioritised:
            rationale.append("De-prioritised: " + "; ".join(record.deprioritised) + ".")
        dissent = []
        for said in record.dissent:
            by = people.get(said.participant)
            if by is not None:
                dissent.append({"by": by, "reason": said.reason})
            else:  # kept word for word, with who said it
                rationale.append(f'Dissent from {called(said.participant)}: "{said.reason}"')
        decision_id = f"{prefix}item{item + 1}"
        entry: dict[str, Any] = {
            "id": decision_id,
            "option": options[0]
            if len(options) == 1 or case.decision_kind == "choose_one"
            else options,
            "date": record.recorded_at.date(),
            "rationale": "\n".join(r for r in rationale if r),
        }
        accountable = who(record.owner)
        if accountable is not None:
            entry["accountable"] = accountable
        if dissent:
            entry["dissent"] = dissent
        if state.review_date is not None:
            entry["review_date"] = state.review_date
        decisions.append(entry)
        decision_of_item[item] = decision_id
    actions: list[dict[str, Any]] = []
    fallback = case.decision_owner or (case.stakeholders[0].id if case.stakeholders else None)
    for action in state.actions.values():
        title, owner = action.what, who(action.owner)
        if owner is None:
            owner, title = fallback, f"{title} (owner in the workshop: {called(action.owner)})"
        if owner is None:
            notes.append(f"action '{action.what}' has no stakeholder to own it")
            continue
        entry = {
            "id": f"{prefix}{action.id}",
            "title": title,
            "owner": owner,
            "deadline": action.due,
            "metric": action.metric,
            "done": action.done,
        }
        if action.item is not None and action.item in decision_of_item:
            entry["decision"] = decision_of_item[action.item]
        actions.append(entry)
    for issue in state.parking_lot.values():
        owner = who(issue.owner)
        title = f"Parked in the workshop: {issue.text}"
        if owner is None:
            owner, title = fallback, f"{title} (owner in the workshop: {called(issue.owner)})"
        if owner is None:
            notes.append(f"parked issue '{issue.text}' has no stakeholder to own it")
            continue
        parked: dict[str, Any] = {"id": f"{prefix}{issue.id}", "title": title, "owner": owner}
        if issue.outcome:
            parked["metric"] = issue.outcome
        actions.append(parked)
    if decisions:
        data["decisions"] = [*data.get("decisions", []), *decisions]
    if actions:
        data["actions"] = [*data.get("actions", []), *actions]
    return Outcome(
        data,
        tuple(d["id"] for d in decisions),
        tuple(a["id"] for a in actions),
        tuple(notes),
    )


__all__ = ["Outcome", "case_outcome", "match_stakeholder", "matched_options"]
