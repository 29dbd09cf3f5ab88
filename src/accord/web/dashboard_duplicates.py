"""The dashboard's duplicates card: pairs of options and ideas with their kind, confidence,
evidence and whose judgement set it, read from the analysis every output reads (issue 16)."""

from __future__ import annotations

from dataclasses import dataclass

from accord.analysis.duplicates_judgements import judged_phrase
from accord.analysis.sections import Analysis
from accord.analysis.text import DuplicatePair

# Pairs shown on the dashboard; the report and analysis.json list them all.
SHOWN = 12
_KIND = {
    "duplicate": "duplicate",
    "possible duplicate": "possible duplicate: confirm",
    "related": "related work: coordinate",
}
_ORDER = {"duplicate": 0, "possible duplicate": 1, "related": 2}


@dataclass(frozen=True)
class DuplicateRow:
    """One pair as the dashboard shows it."""

    first: str
    second: str
    kind: str  # "duplicate", "possible duplicate: confirm", "related work: coordinate"
    confidence: str  # "high", "to confirm", "judged", "—" (related)
    found_by: str  # "words", "meaning", "words and meaning", "the facilitator"
    shared: str
    only_first: str
    only_second: str
    judged_by: str  # whose judgement set the kind, or that accord computed it


@dataclass(frozen=True)
class DuplicatesCard:
    method: str  # "Compared by words and meaning (model: ...)" / "... words only ..."
    rows: list[DuplicateRow]
    more: int  # pairs not shown here
    redundant: str | None  # "30,000 EUR counted as redundant"
    possible: str | None  # "12,000 EUR in possible duplicates: confirm"


def duplicates_card(a: Analysis, currency: str) -> DuplicatesCard | None:
    """The card, or None when the case has fewer than two options and two ideas."""
    found = a.duplicates
    if found is None:
        return None
    lists = [d for d in (found.options, found.ideas) if d is not None]
    if not lists:
        return None
    if all(d.vector_threshold is None for d in lists):
        method = (
            "Compared by words only (install accord[semantic] on the server to compare "
            "meaning too)."
        )
    else:
        method = f"Compared by words and meaning (model: {a.provenance.embeddings_model})."
    pairs = [p for d in lists for p in (*d.pairs, *d.dismissed)]
    pairs.sort(key=lambda p: (p.judgement is None, _ORDER[p.kind], -p.similarity))
    names = {s.id: s.name for s in a.stakeholders}
    # Options by their names (the texts compared add the description), ideas by their text.
    shown = {**found.texts, **{f"option:{o.id}": o.name for o in a.options}}
    rows = [_row(p, shown, names) for p in pairs[:SHOWN]]
    more = len(pairs) - len(rows) + sum(d.pairs_left_out for d in lists)
    options = found.options
    redundant = possible = None
    if options is not None and options.redundant_cost > 0:
        redundant = f"{options.redundant_cost:,.0f}{currency} counted as redundant"
    if options is not None and options.possible_cost > 0:
        possible = f"{options.possible_cost:,.0f}{currency} in possible duplicates: confirm"
    return DuplicatesCard(method, rows, more, redundant, possible)


def _row(p: DuplicatePair, texts: dict[str, str], names: dict[str, str]) -> DuplicateRow:
    if p.judgement is not None:
        confidence = "judged"
        judged = judged_phrase(p.judgement, names.get(p.judgement.by, p.judgement.by))
    else:
        confidence = {"duplicate": "high", "possible duplicate": "to confirm"}.get(p.kind, "—")
        judged = "computed by accord; not yet judged"
    kind = "not related" if p.judgement and p.judgement.verdict == "not_related" else p.kind
    return DuplicateRow(
        first=texts.get(p.a, p.a),
        second=texts.get(p.b, p.b),
        kind=_KIND.get(kind, kind),
        confidence=confidence,
        found_by=" and ".join(p.found_by) if p.found_by else "the facilitator",
        shared=", ".join(p.shared) or "—",
        only_first=", ".join(p.only_a) or "—",
        only_second=", ".join(p.only_b) or "—",
        judged_by=judged,
    )
