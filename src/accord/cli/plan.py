"""``accord plan check PLAN``: check an OKR / V2MOM / charter plan and explain each finding."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

plan_app = typer.Typer(
    name="plan",
    help="Plans (OKR, V2MOM, project charter): check them before you commit.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    app.add_typer(plan_app, name="plan")


@plan_app.command("check")
def check_command(
    plan_path: Annotated[
        Path, typer.Argument(metavar="PLAN", help="The plan file (YAML or JSON).")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
) -> None:
    """Check a plan: numbered priorities, measurable and consistent key results, initiatives
    linked to objectives, capacity vs demand, charter completeness.  Exit 1 on any error."""
    from accord.analysis.jsonable import to_jsonable
    from accord.analysis.plan_check import check_plan
    from accord.cli.output import emit_json
    from accord.io.plan_file import load_plan_located

    plan, locate = load_plan_located(plan_path)
    result = check_plan(plan)
    if as_json:
        payload = to_jsonable(result)
        for finding in payload["findings"]:
            at = locate(finding["field"])
            finding["path"] = str(plan_path)
            finding["line"], finding["column"] = at if at is not None else (None, None)
        emit_json(payload)
    else:
        # Printed in file order, like `accord validate`; the JSON keeps the check order.
        for finding in sorted(result.findings, key=lambda f: locate(f.field) or (0, 0)):
            at = locate(finding.field)
            where = f"{plan_path}:{at[0]}:{at[1]}" if at is not None else str(plan_path)
            typer.echo(
                f"{where}: {finding.field}: {finding.severity} [{finding.code}] {finding.message}"
            )
            typer.echo(f"    fix: {finding.hint}")
        verdict = "passes" if result.passed else "fails"
        typer.echo(
            f"{plan.framework} plan '{plan.title}' {verdict}: "
            f"{result.errors} error{'s' if result.errors != 1 else ''}, "
            f"{result.warnings} warning{'s' if result.warnings != 1 else ''}."
        )
    if not result.passed:
        raise typer.Exit(1)
