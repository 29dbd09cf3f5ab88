"""``accord vote FILE --rule RULE``: count a PrefLib file or a CSV of rankings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

RULE_NAMES = (
    "plurality, borda, copeland, schulze, ranked-pairs, irv, minimax, approval, score, dots"
)


def register(app: typer.Typer) -> None:
    app.command("vote")(vote_command)


def vote_command(
    file: Annotated[
        Path,
        typer.Argument(help="Ballots: a PrefLib .soc/.soi/.toc/.toi file, or a CSV of rankings."),
    ],
    rule: str = typer.Option(..., "--rule", "-r", help=f"Voting rule: {RULE_NAMES}."),
    unranked: str = typer.Option(
        "below",
        "--unranked",
        help="Reading of truncated ballots: 'below' (ranked beats unranked) or 'uncompared'.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print machine-readable JSON."),
) -> None:
    """Count ballots under one voting rule and show whether the choice of rule matters."""
    from accord.analysis.voting import check_rule, rule_robustness, vote
    from accord.analysis.voting.profile_arrays import check_reading
    from accord.cli.output import emit_json
    from accord.io.ballots_csv import read_ballots_csv
    from accord.io.preflib import PREFLIB_SUFFIXES, read_preflib

    check_rule(rule)
    check_reading(unranked)
    is_preflib = file.suffix.lower() in PREFLIB_SUFFIXES
    profile = read_preflib(file) if is_preflib else read_ballots_csv(file)
    outcome = vote(profile, rule, unranked=unranked)
    robustness = rule_robustness(profile, unranked=unranked)

    def out(candidate: str) -> Any:
        # PrefLib files answer in alternative numbers, as PrefLib and pref-voting do.
        return int(candidate) if is_preflib else candidate

    if as_json:
        emit_json(
            {
                "rule": outcome.rule,
                "unranked": outcome.unranked,
                "winners": [out(c) for c in outcome.winners],
                "ranking": None
                if outcome.ranking is None
                else [[out(c) for c in tier] for tier in outcome.ranking],
                "condorcet_winner": None
                if outcome.condorcet_winner is None
                else out(outcome.condorcet_winner),
                "weak_condorcet_winners": [out(c) for c in outcome.weak_condorcet_winners],
                "majority_cycle": outcome.majority_cycle,
                "smith_set": [out(c) for c in outcome.smith_set],
                "tie_broken_by": outcome.tie_broken_by,
                "possible_winners": None
                if outcome.possible_winners is None
                else [out(c) for c in outcome.possible_winners],
                "scores": None
                if outcome.scores is None
                else {c: v for c, v in outcome.scores.items()},
                "notes": outcome.notes,
                "voters": profile.num_voters,
                "candidates": profile.num_candidates,
                "rule_robustness": {
                    "agree": robustness.agree,
                    "summary": robustness.summary,
                    "winners": {
                        name: [out(c) for c in won] for name, won in robustness.winners.items()
                    },
                    "skipped": robustness.skipped,
                },
            }
        )
        return
    _print_table(profile, outcome, robustness)


def _print_table(profile: Any, outcome: Any, robustness: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()

    def label(candidate: str) -> str:
        name = profile.names[profile.candidates.index(candidate)]
        return candidate if name == candidate else f"{name} ({candidate})"

    title = profile.title or "ballots"
    console.print(
        f"[bold]{title}[/bold]: {profile.num_voters} voters, {profile.num_candidates} candidates; "
        f"rule [bold]{outcome.rule}[/bold], unranked candidates read as '{outcome.unranked}'"
    )
    table = Table(title="Ranking" if outcome.ranking else "Winners")
    table.add_column("place", justify="right")
    table.add_column("candidate")
    if outcome.scores is not None:
        table.add_column("score", justify="right")
    tiers = outcome.ranking if outcome.ranking is not None else [outcome.winners]
    place = 1
    for tier in tiers[:20]:
        for candidate in tier:
            row = [str(place) + ("=" if len(tier) > 1 else ""), label(candidate)]
            if outcome.scores is not None:
                row.append(f"{outcome.scores.get(candidate, 0.0):g}")
            table.add_row(*row)
        place += len(tier)
    console.print(table)
    winners = ", ".join(label(c) for c in outcome.winners)
    console.print(f"Winner{'s (tie)' if len(outcome.winners) > 1 else ''}: {winners}")
    cw = outcome.condorcet_winner
    if cw is not None:
        console.print(f"Condorcet winner: {label(cw)}")
    elif outcome.majority_cycle:
        console.print(
            "No Condorcet winner: the majority preferences form a cycle "
            f"(Smith set: {', '.join(label(c) for c in outcome.smith_set)})"
        )
    else:
        console.print("No Condorcet winner (majority ties at the top)")
    if outcome.tie_broken_by:
        console.print(f"Tie-breaking: {outcome.tie_broken_by}")
    for note in outcome.notes:
        console.print(f"Note: {note}")
    rules = Table(title="Rule robustness")
    rules.add_column("rule")
    rules.add_column("winners")
    for name, won in robustness.winners.items():
        rules.add_row(name, ", ".join(label(c) for c in won))
    for name, why in robustness.skipped.items():
        rules.add_row(name, f"(not counted: {why})")
    console.print(rules)
    console.print(robustness.summary)
