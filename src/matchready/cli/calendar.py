"""`matchready calendar`: the cycle's official dates and the applicant's tasks; ICS export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from matchready.cli.common import (
    OutputFormat,
    ProfileArg,
    console,
    facts,
    profile_of,
    today,
)
from matchready.cli.plan import AsOfOption, FormatOption
from matchready.domain.calendar import CycleCalendar
from matchready.io.ics import write_ics
from matchready.services.calendar import cycle_calendar


def render_calendar(result: CycleCalendar) -> None:
    out = console()
    out.rule(f"matchready calendar — {result.match_year} Match")
    table = Table(expand=True)
    table.add_column("date", no_wrap=True)
    table.add_column("what", overflow="fold", ratio=3)
    table.add_column("source", overflow="fold", ratio=3)
    for entry in result.entries:
        when = entry.label
        if entry.on is not None and not entry.verified:
            when += "\n[yellow](unverified)[/]"
        what = entry.title
        source = "; ".join(str(c) for c in entry.citations)
        if entry.kind == "task":
            what = f"[bold]{entry.title}[/]"
            source = f"your task, by: {entry.basis}" if entry.basis else "your task"
        elif entry.on is None:
            source = entry.detail
        table.add_row(when, what, source)
    out.print(table)
    out.print(
        f"As of {result.as_of}. Your tasks are in bold (details with --format json); "
        "unverified dates are marked."
    )


def calendar(
    profile_path: ProfileArg = None,
    ics: Annotated[
        Path | None,
        typer.Option("--ics", metavar="FILE", help="Also write the dated entries to an ICS file."),
    ] = None,
    as_of: AsOfOption = None,
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Show the target Match's official dates and your own tasks, each with its source."""
    on = today(as_of)
    result = cycle_calendar(profile_of(profile_path), facts(), on)
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
