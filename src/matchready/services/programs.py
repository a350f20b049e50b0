"""Program use cases: import a file, export, write the template, list and show programs.

An import is one unit of work: a bad row rejects the whole file and nothing is written,
unless `skip_bad_rows`, which imports the good rows and reports the others. Importing fills
and updates; it never erases a known field with an empty one. Re-importing a file changes
nothing (programs are keyed on their ACGME number or NRMP code).
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from pathlib import Path

from matchready.domain.program import Program
from matchready.domain.requirements import RequirementChange
from matchready.errors import ImportFileError, Location, NotFoundError, Problem
from matchready.io.acgme import looks_like_acgme, parse_acgme
from matchready.io.common import ParsedFile
from matchready.io.nrmp_codes import looks_like_nrmp_codes, parse_nrmp_codes
from matchready.io.programs_csv import (
    REQUIRED_COLUMNS,
    TEMPLATE_COLUMNS,
    column_notes,
    parse_template,
    program_row,
)
from matchready.io.tables import Table, read_table, write_table
from matchready.services.ports import ImportRecord, UnitOfWork


class ImportFormat(enum.StrEnum):
    """The formats `import_programs` reads."""

    AUTO = "auto"
    TEMPLATE = "template"
    NRMP_CODES = "nrmp-codes"
    ACGME = "acgme"


PARSERS: dict[ImportFormat, Callable[[Table], ParsedFile]] = {
    ImportFormat.TEMPLATE: parse_template,
    ImportFormat.NRMP_CODES: parse_nrmp_codes,
    ImportFormat.ACGME: parse_acgme,
}


@dataclass(frozen=True)
class ImportSummary:
    """What an import did, with every problem of the rows it skipped."""

    file: str
    file_format: str
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    problems: tuple[Problem, ...]
    ignored_columns: tuple[str, ...]


def detect_format(table: Table) -> ImportFormat:
    """The format of a table, from its header."""
    if not table.header:
        return ImportFormat.TEMPLATE  # an empty JSON list
    if all(c in table.header for c in REQUIRED_COLUMNS):
        return ImportFormat.TEMPLATE
    if looks_like_nrmp_codes(table.header):
        return ImportFormat.NRMP_CODES
    if looks_like_acgme(table.header):
        return ImportFormat.ACGME
    raise ImportFileError(
        Problem(
            "cannot tell the format from the header; give --format template, nrmp-codes or acgme",
            Location(file=table.file),
        )
    )


def merge_program(existing: Program, incoming: Program, *, keep_name: bool = False) -> Program:
    """`existing` updated with what `incoming` knows: known fields win, empty ones do not erase.

    Codes are united (existing first); requirements in `incoming` replace those of their kind.
    """
    changes: dict[str, object] = {}
    for spec in fields(Program):
        if spec.name in {"codes", "requirements", "contacts"}:
            continue
        value = getattr(incoming, spec.name)
        if value is not None and not (keep_name and spec.name == "name"):
            changes[spec.name] = value
    contacts = existing.contacts
    for spec in fields(contacts):
        value = getattr(incoming.contacts, spec.name)
        if value is not None:
            contacts = replace(contacts, **{spec.name: value})
    codes = tuple(dict.fromkeys((*existing.codes, *incoming.codes)))
    merged = replace(existing, **changes, contacts=contacts, codes=codes)  # type: ignore[arg-type]
    return merged.with_requirements(incoming.requirements)


def _requirement_changes(old: Program, new: Program, changed_by: str) -> list[RequirementChange]:
    changes = []
    for requirement in new.requirements:
        before = old.requirement(requirement.kind)
        if before != requirement:
            kept = before if before in old.requirements else None
            changes.append(RequirementChange(new.key, kept, requirement, changed_by))
    return changes


def import_programs(
    uow: UnitOfWork,
    path: Path,
    file_format: ImportFormat = ImportFormat.AUTO,
    *,
    skip_bad_rows: bool = False,
    changed_by: str = "user",
) -> ImportSummary:
    """Import a program file in one transaction; see the module docstring for the rules."""
    table = read_table(path)
    if not table.header and path.suffix.lower() != ".json":
        raise ImportFileError(Problem("the file has no header row", Location(file=path.name)))
    chosen = detect_format(table) if file_format is ImportFormat.AUTO else file_format
    parsed = PARSERS[chosen](table)
    if parsed.file_problems or (parsed.problems and not skip_bad_rows):
        raise ImportFileError(parsed.problems)
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    changes: list[RequirementChange] = []
    with uow:
        for row in parsed.rows:
            incoming = row.program
            keys = [k for k in [incoming.acgme_number, *(c.code for c in incoming.codes)] if k]
            found = {p.key: p for p in map(uow.programs.find, keys) if p is not None}
            if len(found) > 1:
                problem = Problem(
                    f"its identifiers belong to {len(found)} different programs: "
                    + ", ".join(sorted(found)),
                    Location(file=path.name, row=row.row),
                )
                if not skip_bad_rows:
                    raise ImportFileError([problem])
                parsed.problems.append(problem)
                parsed.rejected_rows.add(row.row)
                continue
            existing = next(iter(found.values()), None)
            if existing is None:
                uow.programs.save(incoming, None)
                counts["inserted"] += 1
                continue
            keep_name = chosen is ImportFormat.NRMP_CODES
            merged = merge_program(existing, incoming, keep_name=keep_name)
            if merged == existing:
                counts["unchanged"] += 1
                continue
            uow.programs.save(merged, existing)
            changes += _requirement_changes(existing, merged, f"{changed_by} ({path.name})")
            counts["updated"] += 1
        record = ImportRecord(
            file_name=path.name,
            checksum=hashlib.sha256(path.read_bytes()).hexdigest(),
            file_format=chosen.value,
            imported_at=datetime.now(UTC),
            rejected=len(parsed.rejected_rows),
            **counts,
        )
        uow.record_import(record, changes, parsed.crosswalk)
        uow.commit()
    return ImportSummary(
        file=path.name,
        file_format=chosen.value,
        rejected=len(parsed.rejected_rows),
        problems=tuple(parsed.problems),
        ignored_columns=tuple(parsed.ignored_columns),
        **counts,
    )


TEMPLATE_INTRO = (
    "matchready program template: one row per program. Lines starting with # are comments.",
    "Per requirement: <kind> value, <kind>_strictness (hard/preference/unknown), "
    "<kind>_source (URL, document or 'user'), <kind>_verified_on (YYYY-MM-DD).",
    "Leave a value empty when you do not know it: screening will say 'unknown - verify'.",
)


def write_template(path: Path) -> None:
    """Write an empty, documented template (CSV with # comments, or XLSX with a README sheet)."""
    comments = [*TEMPLATE_INTRO, *(f"{name}: {meaning}" for name, meaning in column_notes())]
    write_table(path, TEMPLATE_COLUMNS, [], comments=comments, notes=column_notes())


def export_programs(uow: UnitOfWork, path: Path) -> int:
    """Write every program in template form (CSV, XLSX or JSON by suffix); returns the count."""
    with uow:
        programs = uow.programs.all()
    write_table(path, TEMPLATE_COLUMNS, [program_row(p) for p in programs])
    return len(programs)


def list_programs(
    uow: UnitOfWork, *, specialty: str | None = None, state: str | None = None
) -> list[Program]:
    """Programs, optionally of one specialty (name or 3-digit code) and one state."""
    with uow:
        programs = uow.programs.all()
    if specialty:
        wanted = specialty.strip().lower()
        programs = [
            p
            for p in programs
            if wanted in {(p.specialty or "").lower(), (p.specialty_code or "")}
        ]
    if state:
        programs = [p for p in programs if (p.state or "").upper() == state.strip().upper()]
    return programs


def get_program(uow: UnitOfWork, key: str) -> tuple[Program, list[RequirementChange]]:
    """A program by ACGME number or NRMP code, with its requirement history."""
    with uow:
        program = uow.programs.find(key.strip().upper())
        if program is None:
            raise NotFoundError(f"no program with ACGME number or NRMP code {key!r}")
        return program, uow.programs.history(program.key)
