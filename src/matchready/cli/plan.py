"""`matchready plan`: the applicant's plan as text (Rich) or JSON."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from matchready.cli.common import OutputFormat, console, facts, parse_date
from matchready.cli.render_plan import render_plan
from matchready.io.profile import load_profile
from matchready.services.plan import build_plan

ProfileArg = Annotated[Path, typer.Argument(metavar="PROFILE", help="The applicant's profile.")]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of", metavar="DATE", help="Plan as on this date (YYYY-MM-DD); default today."
    ),
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", help="text or json.")]


def plan(
    profile_path: ProfileArg, as_of: AsOfOption = None, output: FormatOption = OutputFormat.TEXT
) -> None:
    """Show the ECFMG checklist, year of graduation, red flags, visa advice and next actions."""
    on = parse_date(as_of) or date.today()
    result = build_plan(load_profile(profile_path), facts(), on)
    if output is OutputFormat.JSON:
        typer.echo(result.model_dump_json(indent=2))
    else:
        render_plan(result, console())
