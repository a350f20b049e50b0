"""`matchready facts`: list the facts (with source and date) and check the fact files."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table
from typer.core import TyperGroup

from matchready.cli.common import console
from matchready.data import load_facts
from matchready.data.loader import release
from matchready.services.facts import check_fact_files, search_facts


class _DefaultToSearch(TyperGroup):
    """`matchready facts TEXT` means `matchready facts search TEXT`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["search", *args]
        return list(super().parse_args(ctx, args))


app = typer.Typer(
    cls=_DefaultToSearch,
    help="List the facts matchready uses (filtered by TEXT), each with its source and date.",
    invoke_without_command=True,
    subcommand_metavar="[TEXT | COMMAND [ARGS]...]",
    rich_markup_mode=None,
)


def _release_line() -> str:
    info = release()
    return f"Facts release {info.version} (matchready-facts, published {info.released})."


def _show(text: str | None) -> None:
    rows = search_facts(load_facts(), text)
    out = console()
    out.print(_release_line())
    if not rows:
        out.print(f"No fact matches '{text}'.")
        raise typer.Exit(1)
    table = Table(show_lines=False, expand=True)
    table.add_column("key", overflow="fold", ratio=3)
    table.add_column("value", overflow="fold", ratio=2)
    table.add_column("source", overflow="fold", ratio=4)
    table.add_column("as of / for", no_wrap=True)
    for row in rows:
        value = row.value if not row.standing else f"{row.value} [yellow]({row.standing})[/]"
        table.add_row(row.key, value, row.source, f"{row.as_of}\n{row.applies_to}")
    out.print(table)
    out.print(
        f"{len(rows)} facts. Figures from a secondary source or unverified are shown as such; "
        "check them before use."
    )


@app.callback()
def facts_root(ctx: typer.Context) -> None:
    """List the facts matchready uses (filtered by TEXT), each with its source and date."""
    if ctx.invoked_subcommand is None:
        _show(None)


@app.command("search")
def search(
    text: Annotated[str, typer.Argument(help="Text to look for in keys, values and notes.")],
) -> None:
    """List the facts whose key, value or description contains TEXT."""
    _show(text)


@app.command("check")
def check() -> None:
    """Validate every bundled fact file; exit 1 naming file, line and field of any bad row."""
    facts = check_fact_files()
    everything = (*facts.rules, *facts.calendar, *facts.fees, *facts.signals)
    unverified = sum(1 for f in everything if not f.verified)
    console().print(
        f"ok: {len(facts.rules)} rules, {len(facts.calendar)} dates, "
        f"{len(facts.specialties)} specialties, {len(facts.fees)} fees, "
        f"{len(facts.signals)} signal limits; {unverified} unverified."
    )
    console().print(_release_line())
