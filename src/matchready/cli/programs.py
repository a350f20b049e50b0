"""`matchready programs`: template, import, export, list, show and edit residency programs.

Each command parses its options, calls one service function and renders the result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from matchready.cli.common import facts, runtime, store
from matchready.domain.facts import Facts
from matchready.domain.program import Program
from matchready.domain.requirements import (
    COORDINATOR_QUESTIONS,
    RequirementChange,
    RequirementKind,
    format_value,
)
from matchready.services.programs import (
    ImportFormat,
    ImportSummary,
    RequirementEdit,
    RowStatus,
    edit_requirement,
    export_programs,
    get_program,
    import_programs,
    list_programs,
    user_column_map,
    write_template,
)

app = typer.Typer(help="Residency programs: import, export, list and show.", no_args_is_help=True)


def _console() -> Console:
    return Console(width=120)


@app.command()
def template(
    out: Annotated[Path, typer.Argument(help="Where to write the template (.csv or .xlsx).")],
    xlsx: Annotated[bool, typer.Option("--xlsx", help="Write XLSX (or name it .xlsx).")] = False,
) -> None:
    """Write an empty, documented program template to fill from program websites."""
    if xlsx and out.suffix.lower() != ".xlsx":
        out = out.with_suffix(".xlsx")
    write_template(out)
    _console().print(f"wrote {out}", highlight=False)


def _summary_table(summary: ImportSummary) -> Table:
    table = Table(title=f"{summary.file} ({summary.file_format})")
    for column in ("inserted", "updated", "unchanged", "rejected"):
        table.add_column(column, justify="right")
    table.add_row(
        str(summary.inserted), str(summary.updated), str(summary.unchanged), str(summary.rejected)
    )
    return table


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="The file to import (.csv, .tsv, .xlsx or .json).")],
    file_format: Annotated[
        ImportFormat, typer.Option("--format", help="The file's format; auto reads the header.")
    ] = ImportFormat.AUTO,
    skip_bad_rows: Annotated[
        bool, typer.Option("--skip-bad-rows", help="Import the good rows, report the bad ones.")
    ] = False,
    column_map: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="'HEADER=field'",
            help="Place a column on a template field (or 'ignore'); repeat for more.",
        ),
    ] = None,
    mapping_file: Annotated[
        Path | None,
        typer.Option("--mapping", help="A mapping file (TOML) written by --save-mapping."),
    ] = None,
    save_mapping: Annotated[
        Path | None,
        typer.Option("--save-mapping", help="Write the column mapping used to this file."),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Show what would change (new, changed, ...); write nothing."
        ),
    ] = False,
) -> None:
    """Import programs from any spreadsheet of programs (the template or your own headers),
    an NRMP code list or ACGME program records."""
    user_map = user_column_map(column_map or [], mapping_file)
    with store() as uow:
        summary = import_programs(
            uow,
            file,
            file_format,
            skip_bad_rows=skip_bad_rows,
            user_map=user_map or None,
            dry_run=dry_run,
            save_mapping=save_mapping,
        )
    console = _console()
    if summary.mapping:
        console.print("column mapping:", highlight=False)
        for line in summary.mapping:
            console.print(f"  {line}", highlight=False, soft_wrap=True)
    if summary.dry_run:
        _print_previews(console, summary)
    else:
        console.print(_summary_table(summary))
    for problem in summary.problems:
        console.print(f"[yellow]skipped:[/yellow] {problem}", highlight=False, soft_wrap=True)
    if summary.ignored_columns:
        console.print(f"ignored columns: {', '.join(summary.ignored_columns)}", highlight=False)
    if save_mapping is not None and summary.mapping:
        console.print(f"wrote the mapping to {save_mapping}", highlight=False)


def _print_previews(console: Console, summary: ImportSummary) -> None:
    counts = {s: sum(p.status is s for p in summary.previews) for s in RowStatus}
    console.print(
        "dry run, nothing written: "
        + ", ".join(f"{n} {status.value}" for status, n in counts.items()),
        highlight=False,
    )
    for preview in summary.previews:
        if preview.status in {RowStatus.CHANGED, RowStatus.CONFLICTING, RowStatus.NEW}:
            details = f": {'; '.join(preview.details)}" if preview.details else ""
            console.print(
                f"  row {preview.row} {preview.key} {preview.status.value}{details}",
                highlight=False,
                soft_wrap=True,
            )


@app.command()
def export(
    out: Annotated[Path, typer.Argument(help="Where to write the programs.")],
    file_format: Annotated[str, typer.Option("--format", help="csv, xlsx or json.")] = "csv",
) -> None:
    """Export every program in template form (re-importable)."""
    if file_format not in {"csv", "xlsx", "json"}:
        raise typer.BadParameter("expected csv, xlsx or json", param_hint="--format")
    if out.suffix.lower() != f".{file_format}":
        out = out.with_suffix(f".{file_format}")
    with store() as uow:
        count = export_programs(uow, out)
    _console().print(f"wrote {count} programs to {out}", highlight=False)


@app.command("list")
def list_command(
    specialty: Annotated[str | None, typer.Option(help="Specialty name or 3-digit code.")] = None,
    state: Annotated[str | None, typer.Option(help="2-letter state code.")] = None,
) -> None:
    """List programs, optionally of one specialty and state."""
    with store() as uow:
        programs = list_programs(uow, specialty=specialty, state=state)
    known = facts()
    table = Table(title=f"{len(programs)} programs")
    for column in ("key", "name", "specialty", "city", "state", "tracks"):
        table.add_column(column)
    for program in programs:
        table.add_row(
            program.key,
            program.name,
            known.specialty_label(program),
            program.city or "",
            program.state or "",
            ", ".join(t.value for t in program.tracks),
        )
    _console().print(table)


def _identity_lines(program: Program, known: Facts) -> list[tuple[str, str]]:
    institution = program.institution
    return [
        ("ACGME number", program.acgme_number or "unknown"),
        ("NRMP codes", ", ".join(f"{c.code} ({c.track.value})" for c in program.codes) or "none"),
        ("specialty", known.specialty_label(program)),
        ("institution", institution.name if institution else "unknown"),
        ("location", ", ".join(x for x in (program.city, program.state) if x) or "unknown"),
        ("positions per year", str(program.positions_per_year or "unknown")),
        ("setting", program.setting.value if program.setting else "unknown"),
        ("website", program.website or "unknown"),
    ]


@app.command()
def show(key: Annotated[str, typer.Argument(help="ACGME number or NRMP code.")]) -> None:
    """Show one program: identity, every requirement with its source, and their history."""
    with store() as uow:
        program, history = get_program(uow, key)
    console = _console()
    console.print(f"[bold]{program.name}[/bold]", highlight=False)
    for label, value in _identity_lines(program, facts()):
        console.print(f"  {label}: {value}", highlight=False)
    table = Table(title="requirements")
    for column in ("requirement", "value", "strictness", "source", "verified on"):
        table.add_column(column)
    for kind in RequirementKind:
        requirement = program.requirement(kind)
        table.add_row(
            kind.value,
            format_value(requirement.value) or "unknown - verify",
            requirement.strictness.value,
            requirement.source or "",
            requirement.verified_on.isoformat() if requirement.verified_on else "",
        )
    console.print(table)
    if program.h1b_evidence is not None:
        stated = format_value(program.requirement(RequirementKind.H1B_SPONSORED).value)
        console.print(f"stated H-1B sponsorship: {stated or 'unknown'}", highlight=False)
        for line in program.h1b_evidence.lines():
            console.print(f"  {line}", highlight=False)
    for kind in RequirementKind:
        conflict = program.conflict(kind)
        if conflict:
            _print_conflict(console, program, kind)
    for change in history:
        console.print(f"  {_change_line(change)}", highlight=False)


def _print_conflict(console: Console, program: Program, kind: RequirementKind) -> None:
    stated = program.requirement(kind)
    table = Table(title=f"{kind.value}: conflict — verify", title_justify="left")
    for column in ("value", "source", "date", "evidence"):
        table.add_column(column)
    table.add_row(
        format_value(stated.value) or "unknown",
        f"stated now: {stated.source or ''}",
        stated.verified_on.isoformat() if stated.verified_on else "",
        "",
    )
    for claim in program.conflict(kind):
        table.add_row(
            format_value(claim.value) or "unknown",
            f"{claim.source_kind.value}: {claim.source}",
            claim.recorded_on.isoformat() if claim.recorded_on else "",
            claim.evidence or "",
        )
    console.print(table)
    console.print(f"  ask the coordinator: {COORDINATOR_QUESTIONS[kind]}", highlight=False)
    console.print(
        f"  settle it: matchready programs edit {program.key} --kind {kind.value} --value V "
        "--source WHERE --resolve",
        highlight=False,
    )


def _change_line(change: RequirementChange) -> str:
    old = format_value(change.old.value) if change.old else "(none)"
    when = f" on {change.changed_at:%Y-%m-%d %H:%M} UTC" if change.changed_at else ""
    source = f" (source: {change.new.source})" if change.new.source else ""
    return (
        f"changed {change.new.kind.value}: {old or 'unknown'} -> "
        f"{format_value(change.new.value) or 'unknown'} by {change.changed_by}{when}{source}"
    )


@app.command()
def edit(
    key: Annotated[str, typer.Argument(help="ACGME number or NRMP code.")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind", help="Requirement: " + ", ".join(k.value for k in RequirementKind) + "."
        ),
    ],
    source: Annotated[
        str, typer.Option("--source", help="Where the value comes from: a URL or a document.")
    ],
    value: Annotated[
        str, typer.Option("--value", help="The new value (empty = unknown); see the template.")
    ] = "",
    strictness: Annotated[
        str, typer.Option("--strictness", help="hard, preference or unknown.")
    ] = "unknown",
    verified_on: Annotated[
        str, typer.Option("--verified-on", metavar="YYYY-MM-DD", help="Default: today.")
    ] = "",
    by: Annotated[
        str, typer.Option("--by", help="Who made the change (kept in the history).")
    ] = "user",
    resolve: Annotated[
        bool,
        typer.Option(
            "--resolve", help="Settle a conflict: set the other sources' values aside (kept)."
        ),
    ] = False,
) -> None:
    """Change one requirement of a program by hand; its source is required and kept in the
    history with who made the change and when."""
    edit_ = RequirementEdit(key, kind, value, strictness, source, verified_on)
    with store() as uow:
        change = edit_requirement(uow, edit_, by, runtime().today(), resolve=resolve)
    if change is None:
        typer.echo(f"{key}: {kind} already says that; nothing changed.")
    else:
        typer.echo(f"{change.program_key}: {_change_line(change)}")


from matchready.cli import program_sources  # noqa: E402  (registers import-lca, lca, read-page)

__all__ = ["app", "program_sources"]
