"""`matchready costs`: the itemised cost of the road ahead, as text or JSON."""

from __future__ import annotations

import json
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
from matchready.domain.costs import CostEstimate, CostStatus
from matchready.services.costs import cost_estimate


def parse_specialty_programs(value: str | None) -> dict[str, int] | None:
    """Parse 'IM=40,FM=20'; a malformed value is a usage error (exit 2)."""
    if value is None:
        return None
    counts: dict[str, int] = {}
    for part in value.split(","):
        code, sep, number = part.partition("=")
        code = code.strip().upper()
        if not sep or not code.isalpha() or not number.strip().isdigit():
            raise typer.BadParameter(f"'{part}' is not of the form CODE=NUMBER (e.g. IM=40)")
        if code in counts:
            raise typer.BadParameter(f"specialty {code} is given twice")
        counts[code] = int(number)
    return counts


def render_costs(result: CostEstimate) -> None:
    out = console()
    out.rule(f"matchready costs — {result.match_year} Match")
    table = Table(expand=True)
    table.add_column("item", overflow="fold", ratio=3)
    table.add_column("amount", no_wrap=True)
    table.add_column("basis and source", overflow="fold", ratio=4)
    for line in result.lines:
        amount = line.label
        if line.status is CostStatus.UNKNOWN:
            amount = "[yellow]unknown[/]"
        source = "; ".join(str(c) for c in line.citations)
        table.add_row(line.title, amount, line.basis + (f" — {source}" if source else ""))
    out.print(table)
    out.print(f"Total: {result.total_text}")
    for note in result.notes:
        out.print(f"Note: {note}")
    out.print(
        f"As of {result.as_of}. Unverified figures are shown as such; check them before use."
    )


def costs(
    profile_path: ProfileArg = None,
    programs: Annotated[
        int | None,
        typer.Option("--programs", min=0, help="Programs to apply to in each target specialty."),
    ] = None,
    specialty_programs: Annotated[
        str | None,
        typer.Option(
            "--specialty-programs",
            metavar="CODE=N,...",
            help="Programs per specialty: IM=40,FM=20.",
        ),
    ] = None,
    ranks: Annotated[
        int | None, typer.Option("--ranks", min=0, help="Programs you expect to rank (NRMP).")
    ] = None,
    travel: Annotated[
        int | None, typer.Option("--travel", min=0, metavar="USD", help="Interview travel, USD.")
    ] = None,
    as_of: AsOfOption = None,
    output: FormatOption = OutputFormat.TEXT,
) -> None:
    """Itemise the fees still ahead: exams, ERAS, NRMP and travel, each with its source."""
    on = today(as_of)
    per_specialty = parse_specialty_programs(specialty_programs)
    result = cost_estimate(
        profile_of(profile_path),
        facts(),
        on,
        programs=programs,
        per_specialty=per_specialty,
        ranks=ranks,
        travel_usd=travel,
    )
    if output is OutputFormat.JSON:
        data = result.model_dump(mode="json")
        data["total_text"] = result.total_text
        typer.echo(json.dumps(data, indent=2))
    else:
        render_costs(result)
