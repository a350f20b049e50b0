"""`matchready list build`: the tiered program list for one specialty, priced."""

from __future__ import annotations

import json
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from matchready.cli.common import ProfileArg, console, facts, profile_of, store, today
from matchready.io.files import write_atomic
from matchready.services.listbuilder import (
    ProgramList,
    build_program_list,
    list_csv,
    list_rows,
)
from matchready.services.screening import load_program_table

app = typer.Typer(help="Build your program list.", rich_markup_mode=None)


class ListFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    CSV = "csv"


def _json(result: ProgramList) -> str:
    data = asdict(result)
    data["price"] = result.price.model_dump(mode="json")
    data["latest_price"] = (
        result.latest_price.model_dump(mode="json") if result.latest_price else None
    )
    for entry in data["entries"]:
        entry["tier_name"] = (
            type(result.entries[0].tier)(entry["tier"]).label if result.entries else ""
        )
    return json.dumps(data, indent=2, default=str)


@app.command("build")
def build(
    specialty: Annotated[str, typer.Option("--specialty", help="Specialty code, e.g. IM.")],
    profile_path: ProfileArg = None,
    budget: Annotated[
        int | None, typer.Option("--budget", min=0, metavar="USD", help="ERAS budget for it.")
    ] = None,
    output: Annotated[
        ListFormat, typer.Option("--format", help="text, json or csv.")
    ] = ListFormat.TEXT,
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="DATE", help="YYYY-MM-DD.")
    ] = None,
) -> None:
    """Order the eligible and 'verify first' programs into tiers by fit, and price the list."""
    profile = profile_of(profile_path)
    with store() as uow:
        table = load_program_table(uow)
    result = build_program_list(profile, facts(), table, today(as_of), specialty, budget)
    if output is not ListFormat.TEXT:
        text = list_csv(result) if output is ListFormat.CSV else _json(result)
        if out is None:
            typer.echo(text, nl=False)
        else:
            write_atomic(out, text)
            console().print(f"Wrote {len(result.entries)} programs to {out}")
        return
    screen = console()
    grid = Table(title=f"{result.specialty} list, {result.match_year} Match", expand=True)
    for name in ("tier", "program", "state", "fit", "IMG share", "to verify"):
        grid.add_column(name, justify="right" if name in ("fit", "IMG share") else "left")
    for row in list_rows(result):
        grid.add_row(row[1], f"{row[3]}\n{row[2]}", row[4], row[5], row[6] or "—", row[7])
    screen.print(grid)
    screen.print(
        f"{len(result.entries)} programs; {result.left_out} ineligible left out. "
        f"ERAS fees: {result.price.label}"
        + (
            f" (at the latest published schedule: {result.latest_price.label})"
            if result.latest_price
            else ""
        )
    )
    if result.budget_usd is not None:
        screen.print(f"Budget ${result.budget_usd:,} pays for {result.affordable} programs.")
    for note in result.notes:
        screen.print(f"• {note}")
