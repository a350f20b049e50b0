"""`matchready plan`: the applicant's plan as text (Rich) or JSON."""

from __future__ import annotations

from typing import Annotated

import typer

from matchready.cli.common import (
    OutputFormat,
    ProfileArg,
    console,
    facts,
    profile_of,
    today,
)
from matchready.cli.render_plan import render_plan
from matchready.services.plan import build_plan

AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of", metavar="DATE", help="Plan as on this date (YYYY-MM-DD); default today."
    ),
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", help="text or json.")]


def plan(
    profile_path: ProfileArg = None,
    as_of: AsOfOption = None,
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Show the ECFMG checklist, year of graduation, red flags, visa advice and next actions."""
    on = today(as_of)
    result = build_plan(profile_of(profile_path), facts(), on)
    if output is OutputFormat.JSON:
        typer.echo(result.model_dump_json(indent=2))
    else:
        render_plan(result, console())
