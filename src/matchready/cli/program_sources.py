"""`matchready programs import-lca | lca review | read-page`: evidence from DOL LCA files and
from a program's own page. Registered on the `programs` command group.

Each command parses its options, calls one service function and renders the result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from matchready.cli.common import store, today
from matchready.cli.programs import _console, app
from matchready.domain.requirements import RequirementKind, format_value

lca_app = typer.Typer(help="H-1B evidence from DOL LCA disclosure files.", no_args_is_help=True)
app.add_typer(lca_app, name="lca")


@app.command("import-lca")
def import_lca_command(
    file: Annotated[
        Path, typer.Argument(help="A DOL LCA disclosure file (.xlsx or .csv), FY2020 layout on.")
    ],
) -> None:
    """Import H-1B evidence: certified resident/fellow physician LCAs per employer and fiscal
    year, matched to your stored institutions (public domain US federal data)."""
    from matchready.services.program_evidence import import_lca

    with store() as uow:
        summary = import_lca(uow, file)
    years = ", ".join(f"FY{y}" for y in summary.fiscal_years)
    _console().print(
        f"{summary.file}: {summary.rows_read} filings read, {summary.filings_kept} certified "
        f"resident/fellow physician filings ({years}) from {summary.employers} employers: "
        f"{summary.matched} matched to an institution, {summary.uncertain} to review "
        f"(matchready programs lca review), {summary.unmatched} not matched.",
        highlight=False,
    )


@lca_app.command("review")
def lca_review_command(
    accept: Annotated[
        str | None,
        typer.Option("--accept", metavar="EMPLOYER", help="Confirm this employer's match."),
    ] = None,
    reject: Annotated[
        str | None,
        typer.Option("--reject", metavar="EMPLOYER", help="Reject this employer's match."),
    ] = None,
    city: Annotated[
        str | None, typer.Option(help="The employer's city (with --accept/--reject).")
    ] = None,
    state: Annotated[
        str | None, typer.Option(help="The employer's state (with --accept/--reject).")
    ] = None,
) -> None:
    """List the uncertain employer-to-institution matches, or confirm / reject one."""
    from matchready.services.program_evidence import decide_lca, lca_review

    console = _console()
    with store() as uow:
        pending = lca_review(uow)
        if accept or reject:
            name = accept or reject or ""
            found = [e for e in pending if e.employer == " ".join(name.split()).upper()]
            if city:
                found = [e for e in found if e.city == " ".join(city.split()).upper()]
            if state:
                found = [e for e in found if e.state == state.strip().upper()]
            if len(found) != 1:
                where = (
                    "no uncertain match"
                    if not found
                    else f"{len(found)} places (give --city/--state)"
                )
                raise typer.BadParameter(f"{name!r}: {where}", param_hint="--accept/--reject")
            entry = found[0]
            decide_lca(uow, entry.employer, entry.city, entry.state, accept=bool(accept))
            verb = "confirmed" if accept else "rejected"
            console.print(
                f"{verb}: {entry.employer} ({entry.city}, {entry.state}) = "
                f"{entry.institution_name}",
                highlight=False,
            )
            return
    if not pending:
        console.print("No uncertain match to review.", highlight=False)
        return
    table = Table(title=f"{len(pending)} uncertain matches")
    for column in ("employer", "city", "state", "LCAs", "institution", "score"):
        table.add_column(column)
    for e in pending:
        table.add_row(
            e.employer,
            e.city,
            e.state,
            str(e.certified),
            e.institution_name or "",
            f"{e.match_score:.0f}" if e.match_score is not None else "",
        )
    console.print(table)
    console.print("Confirm with --accept 'EMPLOYER', or --reject 'EMPLOYER'.", highlight=False)


def _kinds(accept: list[str]) -> set[RequirementKind] | None:
    if any(a.strip().lower() == "all" for a in accept):
        return None
    kinds = set()
    for name in accept:
        try:
            kinds.add(RequirementKind(name.strip().lower()))
        except ValueError:
            known = ", ".join(k.value for k in RequirementKind)
            raise typer.BadParameter(
                f"{name!r}: expected all or one of {known}", param_hint="--accept"
            ) from None
    return kinds


@app.command("read-page")
def read_page_command(
    source: Annotated[str, typer.Argument(metavar="URL|FILE.html", help="The program's page.")],
    program: Annotated[str, typer.Option("--program", help="ACGME number or NRMP code.")],
    accept: Annotated[
        list[str] | None,
        typer.Option(
            "--accept",
            metavar="all|KIND",
            help="Store these proposals (repeat for more; 'all' for every one).",
        ),
    ] = None,
    url: Annotated[
        str | None,
        typer.Option("--url", help="The address of a saved page (kept as the source)."),
    ] = None,
    by: Annotated[str, typer.Option("--by", help="Who accepts (kept in the history).")] = "user",
) -> None:
    """Read a program's page for its requirements: each value with the sentence that states it,
    beside the stored value. Nothing is stored until you --accept."""
    from matchready.services.program_evidence import accept_page_values, read_program_page

    console = _console()
    with store() as uow:
        reading = read_program_page(uow, source, program, today(None), url=url)
        for policy in reading.img_policy:
            said = "welcomes IMGs" if policy.accepted else "does not take IMGs"
            console.print(f'IMGs: the page {said}: "{policy.sentence}"', highlight=False)
        if not reading.proposals:
            console.print(
                f"{reading.source}: no requirement text found (visa, year of graduation, "
                "Step minimums, attempts, USCE, letters, ECFMG certification); nothing to "
                "propose.",
                highlight=False,
            )
            raise typer.Exit(1)
        table = Table(title=f"{reading.program_name} ({reading.program_key}): {reading.source}")
        for column in ("requirement", "page says", "stored now", "sentence"):
            table.add_column(column)
        for p in reading.proposals:
            stored = format_value(p.stored.value) or "unknown"
            if p.stored.source:
                stored += f" ({p.stored.source})"
            table.add_row(
                p.finding.kind.value,
                format_value(p.finding.value) + (" (same)" if p.same else ""),
                stored,
                f'"{p.finding.sentence}"',
            )
        console.print(table)
        if not accept:
            console.print(
                "Nothing stored: --accept all, or --accept KIND for each value to keep.",
                highlight=False,
            )
            return
        changes = accept_page_values(uow, reading, _kinds(accept), by)
    for change in changes:
        console.print(
            f"stored {change.new.kind.value} = {format_value(change.new.value)} "
            f"(source {change.new.source}, read {change.new.verified_on})",
            highlight=False,
        )
    if not changes:
        console.print("The store already says all of that; nothing changed.", highlight=False)
