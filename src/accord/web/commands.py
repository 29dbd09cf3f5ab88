"""Workshop forms -> command payloads for :func:`accord.workshop.check`.

Forms post a ``kind`` and plain fields; this turns them into the JSON payload the rules
expect (lists from text lines, dot allocations from ``dots.<target>`` fields, dissent from
``dissent.<participant>`` fields).  The rules then judge the payload; this module only
reshapes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from accord.workshop import WorkshopRuleError, WorkshopState

Fields = Mapping[str, str]
Lists = Mapping[str, list[str]]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _integer(fields: Fields, name: str) -> int:
    text = fields.get(name, "").strip()
    try:
        return int(text)
    except ValueError:
        raise WorkshopRuleError(f"{name}: '{text}' is not a whole number") from None


def _dissent(fields: Fields) -> list[dict[str, str]]:
    # One field per seat, ``dissent.<participant id>``: matched by id, never by name, since
    # two participants may share a name.  The reason is kept word for word (the rules keep
    # dissent verbatim); a blank field means that person records no dissent.
    return [
        {"participant": key.removeprefix("dissent."), "reason": value}
        for key, value in fields.items()
        if key.startswith("dissent.") and value.strip()
    ]


def _dots(fields: Fields) -> dict[str, int]:
    allocation = {}
    for key, value in fields.items():
        if key.startswith("dots.") and value.strip():
            allocation[key.removeprefix("dots.")] = _integer(fields, key)
    return allocation


Reader = Callable[[WorkshopState, Fields, Lists], dict[str, Any]]

READERS: dict[str, Reader] = {
    "agenda_set": lambda s, f, m: {"items": _lines(f.get("items", ""))},
    "item_started": lambda s, f, m: {"item": _integer(f, "item")},
    "phase_changed": lambda s, f, m: {"phase": f.get("phase", "")},
    "timer_started": lambda s, f, m: {"seconds": _integer(f, "minutes") * 60},
    "timer_stopped": lambda s, f, m: {},
    "timer_extended": lambda s, f, m: {"seconds": _integer(f, "minutes") * 60},
    "settings_changed": lambda s, f, m: {
        "dots_per_item": _integer(f, "dots_per_item"),
        "anonymous": f.get("anonymous") == "on",
        "anonymous_to_facilitator": f.get("anonymous_to_facilitator") == "on",
    },
    "idea_added": lambda s, f, m: {"text": f.get("text", "")},
    "idea_withdrawn": lambda s, f, m: {"idea": f.get("idea", "")},
    "ideas_grouped": lambda s, f, m: {"label": f.get("label", ""), "ideas": m.get("ideas", [])},
    "dots_cast": lambda s, f, m: {"allocation": _dots(f)},
    "parked": lambda s, f, m: {"text": f.get("text", ""), "owner": f.get("owner", "")},
    "parking_resolved": lambda s, f, m: {
        "parked_id": f.get("parked_id", ""),
        "outcome": f.get("outcome", ""),
    },
    "proposal_made": lambda s, f, m: {"text": f.get("text", "")},
    "position_stated": lambda s, f, m: {
        "stance": f.get("stance", ""),
        "reason": f.get("reason", ""),
    },
    "decision_recorded": lambda s, f, m: {
        "decision": f.get("decision", ""),
        "owner": f.get("owner", ""),
        "rationale": f.get("rationale", ""),
        "dissent": _dissent(f),
        "deprioritised": _lines(f.get("deprioritised", "")),
    },
    "action_added": lambda s, f, m: {
        "what": f.get("what", ""),
        "owner": f.get("owner", ""),
        "due": f.get("due", ""),
        "metric": f.get("metric", ""),
    },
    "action_done": lambda s, f, m: {"action": f.get("action", "")},
    "workshop_closed": lambda s, f, m: {},
}


#: What workshop.js sends (a UUID) and what a retrying script may: 1 to 64 URL-safe characters.
_COMMAND_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")


def command_key(fields: Fields) -> str | None:
    """The form's idempotency key (``command_key``), or ``None`` when it sent none."""
    key = fields.get("command_key", "")
    if not key:
        return None
    if not _COMMAND_KEY.fullmatch(key):
        raise WorkshopRuleError(
            f"command_key: {key[:80]!r} is not a key (1 to 64 letters, digits, '-' or '_')"
        )
    return key


def payload_from_form(
    state: WorkshopState, fields: Fields, lists: Lists
) -> tuple[str, dict[str, Any]]:
    """The command kind and payload a workshop form describes."""
    kind = fields.get("kind", "")
    reader = READERS.get(kind)
    if reader is None:
        raise WorkshopRuleError(f"unknown command {kind!r}")
    return kind, reader(state, fields, lists)
