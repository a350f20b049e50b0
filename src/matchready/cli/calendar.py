"""`matchready calendar`: the cycle's official dates and the applicant's tasks; ICS export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from matchready.cli.common import (
    OutputFormat,
    ProfileArg,
    console,
    facts,
    profile_of,
    tracked_interviews,
)
from matchready.cli.plan import AsOfOption, FormatOption, as_of_for
from matchready.domain.calendar import CycleCalendar
from matchready.io.ics import write_ics
from matchready.services.calendar import cycle_calendar


def render_calendar(result: CycleCalendar) -> None:
    out = console()
    out.rule(f"matchready calendar — {result.match_year} Match")
    table = Table(expand=True)
    table.add_column("date", ratio=2)
    table.add_column("what", overflow="fold", ratio=3)
    table.add_column("source", overflow="fold", ratio=3)
    for entry in result.entries:
        when = escape(entry.short_label)
        if entry.estimated:
            when += "\n[cyan](estimated)[/]"
        elif entry.on is not None and not entry.verified and entry.kind != "mine":
            when += "\n[yellow](unverified)[/]"
        if entry.overdue:
            when += "\n[bold red]OVERDUE[/]"
        elif entry.past:
            when += "\n[dim]past[/]"
        what = escape(entry.display_title)
        source = "; ".join(escape(str(c)) for c in entry.citations)
        if entry.kind == "task":
            what = f"[bold]{what}[/]"
            source = f"your task, by: {escape(entry.basis)}" if entry.basis else "your task"
        elif entry.kind == "mine" or entry.on is None:
            source = escape(entry.detail)
        elif entry.estimated:
            source = f"{escape(entry.detail)} {source}"
        table.add_row(when, what, source)
    out.print(table)
    out.print(
        f"As of {result.as_of} in {result.time_zone}. Your tasks are in bold (details with "
        "--format json); estimated dates name their pattern; unverified and past dates are "
        "marked."
    )


def calendar(
    profile_path: ProfileArg = None,
    ics: Annotated[
        Path | None,
        typer.Option("--ics", metavar="FILE", help="Also write the dated entries to an ICS file."),
    ] = None,
    from_tracker: Annotated[
        bool, typer.Option("--from-tracker", help="Add the interviews in your tracker.")
    ] = False,
    as_of: AsOfOption = None,
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Show the target Match's dates (official, or estimated from a named pattern), your own
    dated items and tasks, each with its source."""
    profile = profile_of(profile_path)
    interviews = tracked_interviews() if from_tracker else ()
    result = cycle_calendar(profile, facts(), as_of_for(profile, as_of), interviews=interviews)
    if output is OutputFormat.JSON:
        typer.echo(result.model_dump_json(indent=2))
    else:
        render_calendar(result)
    if ics is not None:
        written = write_ics(result, ics)
        skipped = result.not_exportable
        message = f"Wrote {written} events to {ics}."
        if skipped:
            message += (
                f" Not exported as a day ({len(skipped)} with an unknown or month-only date): "
                + ", ".join(f"{e.title} [{e.label}]" for e in skipped)
                + "."
            )
        typer.echo(message, err=output is OutputFormat.JSON)
