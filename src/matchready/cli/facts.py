"""`matchready facts`: list the facts (with source and date) and check the fact files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from typer.core import TyperGroup

from matchready.cli.common import console, today
from matchready.cli.common import facts as facts_in_use
from matchready.data.loader import release
from matchready.domain.facts import Facts
from matchready.services.facts import (
    check_fact_files,
    fact_rows,
    my_fact_rows,
    search_facts,
    set_user_fact,
    unset_user_fact,
    user_facts_file,
)
from matchready.services.facts_audit import SERIOUS, audit_facts
from matchready.settings import get_settings


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
    rows = search_facts(facts_in_use(), text)
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


def _user_file() -> Path:
    return user_facts_file(get_settings())


@app.command("set")
def set_fact(
    key: Annotated[str, typer.Argument(help="The fact's key, as `matchready facts` lists it.")],
    value: Annotated[str, typer.Argument(help="Its value: a date, an amount in USD, a number.")],
    applies_to: Annotated[
        str,
        typer.Option(
            "--applies-to", help="Match year it applies to (2027), or years (2027-2028, 2027-)."
        ),
    ],
    source: Annotated[
        str | None, typer.Option(help="URL of the page you read it on (required).")
    ] = None,
    note: Annotated[str, typer.Option(help="A note shown beside it.")] = "",
) -> None:
    """Set a fact of your own (with its source) over the bundled one for those Match years."""
    path = _user_file()
    row = set_user_fact(path, key, value, applies_to, source, today(None), note)
    shown = next(r for r in fact_rows(Facts().with_overrides([row])))
    console().print(f"{shown.key} = {shown.value}: {shown.standing}, in {path}.")


@app.command("unset")
def unset_fact(
    key: Annotated[str, typer.Argument(help="The key of your fact.")],
    applies_to: Annotated[
        str | None, typer.Option("--applies-to", help="Only the fact for these Match years.")
    ] = None,
) -> None:
    """Remove a fact of your own; the bundled fact applies again."""
    removed = unset_user_fact(_user_file(), key, applies_to)
    console().print(f"Removed {removed} fact{'s' if removed != 1 else ''} of yours ({key}).")


@app.command("list")
def list_facts(
    mine: Annotated[bool, typer.Option("--mine", help="Only the facts you set yourself.")] = False,
) -> None:
    """List the facts in use (yours in place of the bundled ones), or only yours with --mine."""
    if not mine:
        _show(None)
        return
    path = _user_file()
    rows = my_fact_rows(path)
    out = console()
    if not rows:
        out.print(f"No facts of your own (they would be in {path}).")
        return
    table = Table(expand=True)
    table.add_column("key", overflow="fold", ratio=3)
    table.add_column("value", overflow="fold", ratio=2)
    table.add_column("source", overflow="fold", ratio=4)
    table.add_column("for", no_wrap=True)
    for row in rows:
        table.add_row(row.key, row.value, row.source, row.applies_to)
    out.print(table)
    out.print(f"{len(rows)} facts of yours, in {path}.")


@app.command("audit")
def audit(
    online: Annotated[
        bool, typer.Option("--online", help="Also fetch every source page (httpx).")
    ] = False,
    directory: Annotated[
        Path | None,
        typer.Option("--dir", help="A facts release folder to check (default: the installed)."),
    ] = None,
) -> None:
    """Check the sources of the facts: secondary, stale, unscoped or invalid rows, and with
    --online dead pages and pages changed since their digest was stored. Exit 1 on a dead or
    changed page, an invalid or unscoped row, or a verified row on a non-official source."""
    findings = audit_facts(directory, today(None), online=online)
    out = console()
    table = Table(expand=True)
    table.add_column("finding", no_wrap=True)
    table.add_column("where", overflow="fold", ratio=2)
    table.add_column("fact", overflow="fold", ratio=2)
    table.add_column("detail", overflow="fold", ratio=4)
    for finding in findings:
        table.add_row(
            finding.kind.value, f"{finding.file}:{finding.line}", finding.what, finding.detail
        )
    if findings:
        out.print(table)
    counts = Counter(f.kind.value for f in findings)
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) or "nothing found"
    out.print(f"Audit of facts release {release().version}: {summary}.")
    if any(f.kind in SERIOUS for f in findings):
        raise typer.Exit(1)
