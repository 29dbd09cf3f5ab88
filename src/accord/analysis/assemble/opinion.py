"""The Polis-style opinion map of the stakeholders' statement votes."""

from __future__ import annotations

from accord.analysis.opinion.result import OpinionMap
from accord.model.case import Case


def opinion_section(case: Case, seed: int) -> OpinionMap | None:
    from accord.analysis.opinion import opinion_map
    from accord.model.statements import Statement, StatementVotes

    votes = {s: dict(i.statement_votes) for s, i in case.inputs.items() if i.statement_votes}
    if not case.statements or not votes:
        return None
    statements = [Statement(s.id, s.text) for s in case.statements]
    return opinion_map(StatementVotes.from_mapping(statements, votes), seed=seed)
