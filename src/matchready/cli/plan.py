"""`matchready plan`: the applicant's plan as text (Rich) or JSON."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from matchready.cli.common import (
    OutputFormat,
    ProfileArg,
    console,
    facts,
    parse_date,
    profile_of,
)
from matchready.cli.render_plan import render_now, render_plan
from matchready.domain.applicant import Profile
from matchready.domain.cycle import check_as_of
from matchready.services.plan import applicant_today, build_plan

AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Plan as on this date (YYYY-MM-DD); default today in your time zone.",
    ),
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", help="text or json.")]


SummaryOption = Annotated[
    bool, typer.Option("--summary", help="Print only the first screen (Now).")
]


def as_of_for(profile: Profile, value: str | None) -> date:
    """The --as-of date, or today in the applicant's zone; out of range is exit 1."""
    today = applicant_today(profile)
    return check_as_of(parse_date(value) or today, today)


def plan(
    profile_path: ProfileArg = None,
    as_of: AsOfOption = None,
    output: FormatOption = OutputFormat.TEXT,
    summary: SummaryOption = False,
) -> None:
    """Where you stand now, then the ECFMG checklist, year of graduation, red flags, visa
    advice and every next action."""
    profile = profile_of(profile_path)
    result = build_plan(profile, facts(), as_of_for(profile, as_of))
    if output is OutputFormat.JSON:
        typer.echo(
            result.now.model_dump_json(indent=2) if summary else result.model_dump_json(indent=2)
        )
    elif summary:
        render_now(result, console())
    else:
        render_plan(result, console())
