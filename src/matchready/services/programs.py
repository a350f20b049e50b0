"""Program use cases: import a file, export, write the template, list and show programs, and
edit one requirement by hand (with its source and a history entry).

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
from datetime import UTC, date, datetime
from pathlib import Path

from matchready.domain.program import Claim, ClaimSource, Program
from matchready.domain.requirements import (
    Requirement,
    RequirementChange,
    RequirementKind,
    format_value,
)
from matchready.errors import ImportFileError, InputError, Location, NotFoundError, Problem
from matchready.io.acgme import looks_like_acgme, parse_acgme
from matchready.io.column_mapping import (
    IGNORE,
    ColumnMapping,
    check_user_map,
    parse_map_options,
    propose_mapping,
    read_mapping_file,
    write_mapping_file,
)
from matchready.io.common import ParsedFile
from matchready.io.nrmp_codes import looks_like_nrmp_codes, parse_nrmp_codes
from matchready.io.programs_csv import (
    REQUIRED_COLUMNS,
    TEMPLATE_COLUMNS,
    column_notes,
    parse_template,
    program_row,
    requirement_columns,
    requirement_from_cells,
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


class RowStatus(enum.StrEnum):
    """What an import does (or, in a dry run, would do) to one program."""

    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    CONFLICTING = (
        "conflicting"  # changes a known requirement to another value, from another source
    )


@dataclass(frozen=True)
class RowPreview:
    """One row of a file and what importing it does, with each changed requirement."""

    row: int
    key: str
    status: RowStatus
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportSummary:
    """What an import did (or would do, `dry_run`), with every problem of the rows it skipped,
    the column mapping used and one preview per program."""

    file: str
    file_format: str
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    problems: tuple[Problem, ...]
    ignored_columns: tuple[str, ...]
    mapping: tuple[str, ...] = ()
    previews: tuple[RowPreview, ...] = ()
    dry_run: bool = False

    @property
    def conflicting(self) -> int:
        """Programs whose import gives a known requirement another value from another source."""
        return sum(p.status is RowStatus.CONFLICTING for p in self.previews)


MAX_PROGRAM_FILE_BYTES = 20_000_000
"""A program file larger than this is refused (every US residency program fits in ~5 MB)."""


def detect_format(table: Table, mapping: ColumnMapping | None = None) -> ImportFormat:
    """The format of a table, from its header (and the proposed template mapping)."""
    if not table.header:
        return ImportFormat.TEMPLATE  # an empty JSON list
    if all(c in table.header for c in REQUIRED_COLUMNS):
        return ImportFormat.TEMPLATE
    if looks_like_nrmp_codes(table.header):
        return ImportFormat.NRMP_CODES
    if mapping is not None and mapping.places_requirement():
        return ImportFormat.TEMPLATE
    if looks_like_acgme(table.header):
        return ImportFormat.ACGME
    if mapping is not None and "name" in mapping.fields:
        return ImportFormat.TEMPLATE
    problems = [
        Problem(
            "cannot tell the format from the header; give --format template, nrmp-codes or "
            "acgme, or place the columns with --map 'HEADER=field'",
            Location(file=table.where),
        )
    ]
    if mapping is not None:
        problems += mapping_problems(mapping, table.where)
    raise ImportFileError(problems)


def mapping_problems(mapping: ColumnMapping, where: str) -> list[Problem]:
    """The proposed mapping as problems to show: every header's place, then how to fix it."""
    problems = [
        Problem(f"proposed mapping: {line}", Location(file=where)) for line in mapping.lines()
    ]
    if mapping.unplaced:
        unplaced = ", ".join(repr(p.header) for p in mapping.unplaced)
        problems.append(
            Problem(
                f"unplaced columns: {unplaced}; place each with --map 'HEADER=field' (or "
                f"'HEADER={IGNORE}'), or a mapping file (--mapping FILE; --save-mapping writes "
                "one)",
                Location(file=where),
            )
        )
    return problems


def merge_program(existing: Program, incoming: Program, *, keep_name: bool = False) -> Program:
    """`existing` updated with what `incoming` knows: known fields win, empty ones do not erase.

    Codes are united (existing first); requirements in `incoming` replace those of their kind.
    """
    changes: dict[str, object] = {}
    for spec in fields(Program):
        if spec.name in {"codes", "requirements", "contacts", "claims", "h1b_evidence"}:
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


def _kept(existing: Program, claims: list[Claim]) -> list[Claim]:
    """The claims of an update: the file's, and for a stated value recorded before claims
    were kept (no claim of its own) a claim of its source, so that it is not lost."""
    kept = list(claims)
    kinds = {c.kind for c in claims}
    for requirement in existing.requirements:
        stated = any(c.kind is requirement.kind for c in existing.claims)
        if requirement.kind in kinds and requirement.known and not stated:
            source = requirement.source or "earlier import"
            if not any(c.kind is requirement.kind and c.source == source for c in claims):
                kept.append(
                    Claim(
                        requirement.kind,
                        requirement.value,
                        source,
                        ClaimSource.IMPORT,
                        requirement.verified_on,
                    )
                )
    return kept


def _requirement_changes(old: Program, new: Program, changed_by: str) -> list[RequirementChange]:
    changes = []
    for requirement in new.requirements:
        before = old.requirement(requirement.kind)
        if before != requirement:
            kept = before if before in old.requirements else None
            changes.append(RequirementChange(new.key, kept, requirement, changed_by))
    return changes


PRELOAD_ROWS = 50
"""Above this many rows an import reads every program once instead of one query per key
(13,000 rows: one read instead of 26,000 lookups)."""


def user_column_map(options: list[str], mapping_file: Path | None) -> dict[str, str]:
    """The user's column placements: a mapping file's, then each `HEADER=field` option."""
    user_map = read_mapping_file(mapping_file) if mapping_file else {}
    user_map.update(parse_map_options(options))
    return user_map


def _parse(
    table: Table, file_format: ImportFormat, user_map: dict[str, str] | None
) -> tuple[ImportFormat, ParsedFile, ColumnMapping | None]:
    mapping = None
    wants_template = file_format in {ImportFormat.AUTO, ImportFormat.TEMPLATE}
    exact = set(table.header) <= set(TEMPLATE_COLUMNS)
    if table.header and wants_template and (user_map or not exact):
        mapping = propose_mapping(table.header, TEMPLATE_COLUMNS, user_map)
    if file_format is ImportFormat.AUTO:
        chosen = ImportFormat.TEMPLATE if user_map else detect_format(table, mapping)
    else:
        chosen = file_format
    if chosen is ImportFormat.TEMPLATE:
        parsed = parse_template(table, mapping)
        if mapping is not None and parsed.file_problems:
            parsed.problems += mapping_problems(mapping, table.where)
        return chosen, parsed, mapping
    return chosen, PARSERS[chosen](table), None


def import_claims(program: Program, file_name: str, today: date) -> list[Claim]:
    """The values a file gives a program's requirements, as claims of their sources (the
    source column, else the file)."""
    return [
        Claim(
            r.kind,
            r.value,
            r.source or f"file {file_name}",
            ClaimSource.IMPORT,
            r.verified_on or today,
        )
        for r in program.requirements
        if r.known
    ]


def _preview(row: int, old: Program | None, new: Program) -> RowPreview:
    if old is None:
        return RowPreview(row, new.key, RowStatus.NEW)
    details = []
    conflicting = False
    for requirement in new.requirements:
        before = old.requirement(requirement.kind)
        if before == requirement:
            continue
        details.append(
            f"{requirement.kind.value}: {format_value(before.value) or 'unknown'} -> "
            f"{format_value(requirement.value) or 'unknown'}"
        )
        conflicting |= (
            before.known
            and requirement.known
            and before.value != requirement.value
            and before.source != requirement.source
        )
    if old == new:
        return RowPreview(row, new.key, RowStatus.UNCHANGED)
    status = RowStatus.CONFLICTING if conflicting else RowStatus.CHANGED
    return RowPreview(row, new.key, status, tuple(details) or ("identity fields",))


def import_programs(
    uow: UnitOfWork,
    path: Path,
    file_format: ImportFormat = ImportFormat.AUTO,
    *,
    skip_bad_rows: bool = False,
    changed_by: str = "user",
    user_map: dict[str, str] | None = None,
    dry_run: bool = False,
    save_mapping: Path | None = None,
) -> ImportSummary:
    """Import a program file in one transaction; see the module docstring for the rules.

    `user_map` places headers (header -> template field, or `ignore`); `dry_run` reads and
    compares everything but writes nothing; `save_mapping` writes the mapping used."""
    if user_map:
        check_user_map(user_map, TEMPLATE_COLUMNS, path.name)
    table = read_table(path, max_bytes=MAX_PROGRAM_FILE_BYTES)
    if not table.header and path.suffix.lower() != ".json":
        raise ImportFileError(
            Problem("the file is empty: no header row and no programs", Location(file=path.name))
        )
    if table.header and not table.rows and table.header != TEMPLATE_COLUMNS:
        # (an export of an empty store, exactly the template's header, imports as nothing)
        raise ImportFileError(
            Problem("the file has a header row but no programs", Location(file=table.where))
        )
    chosen, parsed, mapping = _parse(table, file_format, user_map)
    if parsed.file_problems or (parsed.problems and not skip_bad_rows):
        raise ImportFileError(parsed.problems)
    if save_mapping is not None and mapping is not None:
        write_mapping_file(save_mapping, mapping, path.name)
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    changes: list[RequirementChange] = []
    previews: list[RowPreview] = []
    today = datetime.now(UTC).date()
    with uow:
        if len(parsed.rows) > PRELOAD_ROWS:
            uow.programs.preload()
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
            claims = import_claims(incoming, path.name, today)
            if existing is None:
                previews.append(_preview(row.row, None, incoming))
                uow.programs.save(incoming.with_claims(claims), None)
                counts["inserted"] += 1
                continue
            keep_name = chosen is ImportFormat.NRMP_CODES
            merged = merge_program(existing, incoming, keep_name=keep_name)
            previews.append(_preview(row.row, existing, merged))
            if merged == existing:
                counts["unchanged"] += 1
                continue
            uow.programs.save(merged.with_claims(_kept(existing, claims)), existing)
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
        if not dry_run:
            uow.record_import(record, changes, parsed.crosswalk)
            uow.commit()
    ignored = list(parsed.ignored_columns)
    if mapping is not None:
        ignored += [p.header for p in mapping.placements if p.field == IGNORE]
    return ImportSummary(
        file=table.where,
        file_format=chosen.value,
        rejected=len(parsed.rejected_rows),
        problems=tuple(parsed.problems),
        ignored_columns=tuple(ignored),
        mapping=tuple(mapping.lines()) if mapping is not None else (),
        previews=tuple(previews),
        dry_run=dry_run,
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


EDIT_FIELDS = ("value", "strictness", "source", "verified_on")
"""The fields of a requirement edit, in the order of the template's four columns per kind."""


@dataclass(frozen=True)
class RequirementEdit:
    """A requirement of one program, changed by hand: the texts a user typed."""

    program: str
    kind: str
    value: str
    strictness: str
    source: str
    verified_on: str = ""


def read_requirement_edit(edit: RequirementEdit, today: date) -> Requirement:
    """The requirement an edit describes, read by the same rules as an imported row.

    On top of the import rules, a hand edit must say where the value comes from (`source`) and
    cannot be verified in the future; an empty `verified_on` means today. Every problem names
    its field (value, strictness, source, verified_on or kind).
    """
    try:
        kind = RequirementKind(edit.kind.strip().lower())
    except ValueError:
        known = ", ".join(k.value for k in RequirementKind)
        raise InputError(
            Problem(f"unknown requirement {edit.kind!r}; one of: {known}", Location(field="kind"))
        ) from None
    verified = edit.verified_on.strip() or today.isoformat()
    texts = (edit.value, edit.strictness, edit.source, verified)
    columns = requirement_columns(kind)
    parsed = ParsedFile(file="", file_format="edit")
    requirement = requirement_from_cells(parsed, 1, kind, dict(zip(columns, texts, strict=True)))
    field_of = dict(zip(columns, EDIT_FIELDS, strict=True))
    problems = [
        Problem(p.message, Location(field=field_of.get(p.location.field or "", "value")))
        for p in parsed.problems
    ]
    if not edit.source.strip():
        problems.append(
            Problem(
                "say where the value comes from (a URL or a document)", Location(field="source")
            )
        )
    if requirement is not None and requirement.verified_on and requirement.verified_on > today:
        problems.append(Problem("cannot be later than today", Location(field="verified_on")))
    if problems or requirement is None:
        raise InputError(problems)
    return requirement


def edit_requirement(
    uow: UnitOfWork,
    edit: RequirementEdit,
    changed_by: str,
    today: date,
    *,
    resolve: bool = False,
) -> RequirementChange | None:
    """Change one requirement of one program in one transaction, with a history entry naming
    who made it; `None` when the program already says exactly that (nothing is written).

    The value is kept as a claim of its source beside the other sources' values; `resolve`
    settles a conflict: the other sources' claims of that requirement are set aside (kept,
    marked superseded)."""
    requirement = read_requirement_edit(edit, today)
    with uow:
        program = uow.programs.find(edit.program.strip().upper())
        if program is None:
            raise NotFoundError(f"no program with ACGME number or NRMP code {edit.program!r}")
        change = write_requirement(uow, program, requirement, changed_by, resolve=resolve)
        if change is not None:
            uow.commit()
    return change


def write_requirement(
    uow: UnitOfWork,
    program: Program,
    requirement: Requirement,
    changed_by: str,
    *,
    resolve: bool = False,
) -> RequirementChange | None:
    """Within an open unit of work (not committed): set one shared requirement, keep it as a
    claim of its source and write its history entry; `None` when nothing changes."""
    before = program.requirement(requirement.kind)
    others = [
        replace(c, superseded=True)
        for c in program.claims
        if resolve
        and c.kind is requirement.kind
        and c.source != requirement.source
        and not c.superseded
    ]
    if before == requirement and not others:
        return None
    kept = before if before in program.requirements else None
    change = RequirementChange(program.key, kept, requirement, changed_by)
    uow.programs.set_requirement(program.key, requirement)
    claim = Claim(
        requirement.kind,
        requirement.value,
        requirement.source or "user",
        ClaimSource.EDIT,
        requirement.verified_on,
    )
    uow.programs.add_claims(program.key, [claim, *others])
    uow.record_changes([change])
    return change
