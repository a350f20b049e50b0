"""The matchready program template (CSV, XLSX or JSON): one row per program.

Identity columns come first; then, per requirement kind, the group `<kind>`,
`<kind>_strictness`, `<kind>_source`, `<kind>_verified_on`. An empty value is unknown.
The same columns are what `matchready programs export` writes, so export -> import
round-trips.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from matchready.domain.program import (
    Contacts,
    Institution,
    Program,
    ProgramCode,
    Setting,
    is_acgme_number,
    is_nrmp_code,
)
from matchready.domain.requirements import (
    VALUE_HELP,
    Requirement,
    RequirementKind,
    RequirementValueError,
    Strictness,
    format_value,
    parse_strictness,
    parse_value,
    parse_visa_text,
)
from matchready.errors import Problem
from matchready.io.column_mapping import IGNORE, VISA_FIELD, ColumnMapping
from matchready.io.common import (
    ParsedFile,
    ParsedRow,
    acgme_number_problem,
    parse_date,
    validation_problems,
)
from matchready.io.tables import Table

IDENTITY_COLUMNS: dict[str, str] = {
    "acgme_number": "ACGME program number, 10 digits (first 3 = specialty code)",
    "nrmp_codes": "NRMP program codes separated by ';', e.g. 1000140C0;1000140P0",
    "name": "program name (required)",
    "specialty": "specialty name, e.g. Internal Medicine",
    "specialty_code": "3-digit ACGME specialty code (taken from the ACGME number if empty)",
    "institution_code": "sponsoring institution code",
    "institution_name": "sponsoring institution name",
    "sites": "participating sites separated by ';'",
    "address": "mailing address",
    "city": "city",
    "state": "2-letter US state or territory code",
    "zip_code": "ZIP code",
    "region": "region, e.g. Northeast",
    "positions_per_year": "first-year positions per year",
    "setting": "university / community-university-affiliated / community / military / other",
    "img_share": "share of IMGs among residents, a fraction 0-1",
    "website": "program website",
    "director": "program director",
    "coordinator": "program coordinator",
    "email": "contact email",
    "phone": "contact phone",
    "application_service": "application service, e.g. ERAS",
    "accreditation_status": "ACGME accreditation status",
    "accreditation_date": "original accreditation date, YYYY-MM-DD",
}
REQUIRED_COLUMNS = ("acgme_number", "nrmp_codes", "name")
SUFFIXES = ("", "_strictness", "_source", "_verified_on")


def requirement_columns(kind: RequirementKind) -> list[str]:
    """The four columns of a requirement kind."""
    return [f"{kind.value}{suffix}" for suffix in SUFFIXES]


CONFLICTS_COLUMN = "conflicts"
"""Written by the export: each requirement whose sources disagree, with every source's value
and date. Derived from the store, so an import ignores it."""

TEMPLATE_COLUMNS: list[str] = [
    *IDENTITY_COLUMNS,
    *(column for kind in RequirementKind for column in requirement_columns(kind)),
    CONFLICTS_COLUMN,
]


def column_notes() -> list[tuple[str, str]]:
    """Every template column with what goes in it."""
    notes = list(IDENTITY_COLUMNS.items())
    for kind in RequirementKind:
        value, strictness, source, verified = requirement_columns(kind)
        notes += [
            (value, f"{VALUE_HELP[kind]}; empty = unknown"),
            (strictness, "hard / preference / unknown (empty = unknown)"),
            (source, "where the value comes from: a URL, a document, or 'user'"),
            (verified, "when the value was last verified, YYYY-MM-DD"),
        ]
    notes.append(
        (CONFLICTS_COLUMN, "written by the export: sources that disagree (ignored on import)")
    )
    return notes


def conflicts_text(program: Program) -> str:
    """Every requirement of a program whose sources disagree: 'kind: value (source, date) vs
    ...', requirements separated by ' | '."""
    parts = []
    for kind in RequirementKind:
        conflict = program.conflict(kind)
        if not conflict:
            continue
        values = [
            f"{format_value(c.value) or 'unknown'} ({c.source}"
            + (f", {c.recorded_on.isoformat()}" if c.recorded_on else "")
            + ")"
            for c in conflict
        ]
        parts.append(f"{kind.value}: " + " vs ".join(values))
    return " | ".join(parts)


def _blank_to_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


Text = Annotated[str | None, Field(default=None, max_length=300)]


class IdentityRow(BaseModel):
    """The identity columns of a template row, validated."""

    model_config = ConfigDict(str_strip_whitespace=True)

    acgme_number: str | None = None
    nrmp_codes: list[str] = []
    name: str = Field(min_length=1, max_length=300)
    specialty: Text
    specialty_code: str | None = Field(default=None, pattern=r"^\d{3}$")
    institution_code: Text
    institution_name: Text
    sites: list[str] = []
    address: Text
    city: Text
    state: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    zip_code: str | None = Field(default=None, pattern=r"^\d{5}(-\d{4})?$")
    region: Text
    positions_per_year: int | None = Field(default=None, ge=0, le=1000)
    setting: Setting | None = None
    img_share: float | None = Field(default=None, ge=0.0, le=1.0)
    website: Text
    director: Text
    coordinator: Text
    email: Text
    phone: Text
    application_service: Text
    accreditation_status: Text
    accreditation_date: date | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return _blank_to_none(value)

    @field_validator("nrmp_codes", "sites", mode="before")
    @classmethod
    def _split_list(cls, value: object) -> object:
        if value is None:
            return []
        if isinstance(value, str):
            return [part.strip() for part in value.split(";") if part.strip()]
        return value

    @field_validator("acgme_number")
    @classmethod
    def _acgme(cls, value: str | None) -> str | None:
        if value is not None and not is_acgme_number(value):
            raise ValueError(acgme_number_problem(value))
        return value

    @field_validator("nrmp_codes")
    @classmethod
    def _codes(cls, value: list[str]) -> list[str]:
        for code in value:
            if not is_nrmp_code(code):
                raise ValueError(f"not an NRMP program code (like 1000140C0): {code!r}")
        if len(set(value)) != len(value):
            raise ValueError("an NRMP code is listed twice")
        return value

    @field_validator("accreditation_date", mode="before")
    @classmethod
    def _date(cls, value: object) -> object:
        if isinstance(value, str):
            return parse_date(value) if value.strip() else None
        return value

    def to_program(self, requirements: list[Requirement]) -> Program:
        """The program this row describes."""
        specialty_code = self.specialty_code
        if specialty_code is None and self.acgme_number is not None:
            specialty_code = self.acgme_number[:3]
        institution = None
        if self.institution_name:
            institution = Institution(
                self.institution_name, self.institution_code, tuple(self.sites)
            )
        return Program(
            name=self.name,
            acgme_number=self.acgme_number,
            codes=tuple(ProgramCode(c) for c in self.nrmp_codes),
            specialty=self.specialty,
            specialty_code=specialty_code,
            institution=institution,
            address=self.address,
            city=self.city,
            state=self.state,
            zip_code=self.zip_code,
            region=self.region,
            positions_per_year=self.positions_per_year,
            setting=self.setting,
            img_share=self.img_share,
            website=self.website,
            contacts=Contacts(self.director, self.coordinator, self.email, self.phone),
            application_service=self.application_service,
            accreditation_status=self.accreditation_status,
            accreditation_date=self.accreditation_date,
            requirements=tuple(requirements),
        )


def requirement_from_cells(
    parsed: ParsedFile, row: int, kind: RequirementKind, cells: dict[str, str]
) -> Requirement | None:
    value_col, strict_col, source_col, verified_col = requirement_columns(kind)
    ok = True
    try:
        value = parse_value(kind, cells.get(value_col, ""))
    except RequirementValueError as error:
        parsed.reject(row, value_col, str(error))
        value, ok = None, False
    strictness = Strictness.UNKNOWN
    try:
        strictness = parse_strictness(cells.get(strict_col, ""))
    except RequirementValueError as error:
        parsed.reject(row, strict_col, str(error))
        ok = False
    if ok and value is None and strictness is not Strictness.UNKNOWN:
        parsed.reject(
            row, strict_col, f"strictness {strictness.value!r} given for an unknown value"
        )
        ok = False
    verified_on = None
    if cells.get(verified_col, "").strip():
        try:
            verified_on = parse_date(cells[verified_col])
        except ValueError as error:
            parsed.reject(row, verified_col, str(error))
            ok = False
    if not ok:
        return None
    source = cells.get(source_col, "").strip() or None
    return Requirement(kind, value, strictness, source, verified_on)


def _mapped_table(table: Table, mapping: ColumnMapping, parsed: ParsedFile) -> Table:
    """The table with headers renamed to template columns (ignored ones dropped) and a visa
    column split into the two sponsorship columns."""
    renames = mapping.renames
    by_field: dict[str, str] = {}
    for header, target in renames.items():
        if target in by_field:
            parsed.reject_file(
                header, f"{header!r} and {by_field[target]!r} both map to {target!r}"
            )
        by_field[target] = header
    visa_header = by_field.get(VISA_FIELD)
    sponsorship = [RequirementKind.J1_SPONSORED.value, RequirementKind.H1B_SPONSORED.value]
    if visa_header and any(k in by_field for k in sponsorship):
        parsed.reject_file(
            visa_header,
            f"{visa_header!r} (visa) and a J-1/H-1B column both give the sponsorship: keep one "
            f"(--map '{visa_header}={IGNORE}')",
        )
    keep = [i for i, h in enumerate(table.header) if h in renames and renames[h] != VISA_FIELD]
    columns = [renames[table.header[i]] for i in keep]
    visa_at = table.header.index(visa_header) if visa_header else None
    if visa_at is not None:
        columns += sponsorship
    rows = []
    for number, cells in enumerate(table.rows):
        row = [cells[i] for i in keep]
        if visa_at is not None:
            try:
                visa = parse_visa_text(cells[visa_at])
            except RequirementValueError as error:
                parsed.reject(table.row_number(number), visa_header, str(error))
                visa = None
            row += ["", ""] if visa is None else [format_value(visa[0]), format_value(visa[1])]
        rows.append(row)
    return Table(table.file, columns, rows, table.row_numbers, table.sheet)


def parse_template(table: Table, mapping: ColumnMapping | None = None) -> ParsedFile:
    """Read template rows into programs; every bad cell is a problem naming the row as the
    spreadsheet shows it and the column as the file writes it.

    Without `mapping` the headers must be template column names; with one, they are placed
    by it (see `matchready.io.column_mapping`)."""
    parsed = ParsedFile(table.where, "template")
    if not table.header and not table.rows:
        return parsed  # an empty JSON export: nothing to import
    names: dict[str, str] = {}
    if mapping is not None:
        for placement in mapping.unplaced:
            hint = f" (closest: {placement.closest})" if placement.closest else ""
            parsed.reject_file(placement.header, f"cannot place column {placement.header!r}{hint}")
        names = {v: k for k, v in mapping.renames.items()}
        if parsed.problems:
            return parsed
        table = _mapped_table(table, mapping, parsed)
    if CONFLICTS_COLUMN in table.header:  # derived on export: never read back
        at = table.header.index(CONFLICTS_COLUMN)
        table = Table(
            table.file,
            [h for i, h in enumerate(table.header) if i != at],
            [[c for i, c in enumerate(r) if i != at] for r in table.rows],
            table.row_numbers,
            table.sheet,
        )
    known = set(TEMPLATE_COLUMNS)
    for column in table.header:
        if column not in known:
            parsed.reject_file(
                column, f"unknown column {column!r} (see `matchready programs template`)"
            )
    if "name" not in table.header:
        parsed.reject_file("name", "missing required column 'name' (the program name)")
    if "acgme_number" not in table.header and "nrmp_codes" not in table.header:
        parsed.reject_file(
            "acgme_number", "missing an identifier column: 'acgme_number' or 'nrmp_codes'"
        )
    if len(set(table.header)) != len(table.header):
        parsed.reject_file(None, "a column appears twice in the header")
    if parsed.file_problems:
        return _named(parsed, names)
    seen: dict[str, int] = {}
    for index, cells_list in enumerate(table.rows):
        number = table.row_number(index)
        cells = dict(zip(table.header, cells_list, strict=True))
        identity_cells = {k: v for k, v in cells.items() if k in IDENTITY_COLUMNS}
        try:
            identity = IdentityRow.model_validate(identity_cells)
        except ValidationError as error:
            validation_problems(parsed, number, error, {})
            identity = None
        requirements = [
            requirement_from_cells(parsed, number, kind, cells) for kind in RequirementKind
        ]
        if identity is None or number in parsed.rejected_rows:
            continue
        if identity.acgme_number is None and not identity.nrmp_codes:
            parsed.reject(
                number, "acgme_number", "a program needs an ACGME number or an NRMP code"
            )
            continue
        keys = [k for k in [identity.acgme_number, *identity.nrmp_codes] if k]
        duplicate = next((k for k in keys if k in seen), None)
        if duplicate is not None:
            column = "acgme_number" if duplicate == identity.acgme_number else "nrmp_codes"
            parsed.reject(number, column, f"{duplicate} is already on row {seen[duplicate]}")
            continue
        seen.update(dict.fromkeys(keys, number))
        program = identity.to_program([r for r in requirements if r is not None])
        parsed.rows.append(ParsedRow(number, program))
    return _named(parsed, names)


def _named(parsed: ParsedFile, names: dict[str, str]) -> ParsedFile:
    """Problems naming each column as the file writes it (not the template field)."""
    if not names:
        return parsed
    sponsorship = {RequirementKind.J1_SPONSORED.value, RequirementKind.H1B_SPONSORED.value}
    renamed = []
    for problem in parsed.problems:
        column = problem.location.field
        if column in sponsorship and column not in names and VISA_FIELD in names:
            column = names[VISA_FIELD]
        elif column is not None:
            column = names.get(column, column)
        renamed.append(Problem(problem.message, replace(problem.location, field=column)))
    parsed.problems[:] = renamed
    return parsed


def _text(value: object) -> str:
    return "" if value is None else str(value)


def program_row(program: Program) -> list[str]:
    """A program as template cells, in `TEMPLATE_COLUMNS` order."""
    institution = program.institution
    cells = [
        _text(program.acgme_number),
        ";".join(c.code for c in program.codes),
        program.name,
        _text(program.specialty),
        _text(program.specialty_code),
        _text(institution.code if institution else None),
        _text(institution.name if institution else None),
        ";".join(institution.sites) if institution else "",
        _text(program.address),
        _text(program.city),
        _text(program.state),
        _text(program.zip_code),
        _text(program.region),
        _text(program.positions_per_year),
        _text(program.setting.value if program.setting else None),
        _text(program.img_share),
        _text(program.website),
        _text(program.contacts.director),
        _text(program.contacts.coordinator),
        _text(program.contacts.email),
        _text(program.contacts.phone),
        _text(program.application_service),
        _text(program.accreditation_status),
        _text(program.accreditation_date.isoformat() if program.accreditation_date else None),
    ]
    for kind in RequirementKind:
        requirement = program.requirement(kind)
        cells += [
            format_value(requirement.value),
            requirement.strictness.value if requirement.known else "",
            _text(requirement.source),
            _text(requirement.verified_on.isoformat() if requirement.verified_on else None),
        ]
    cells.append(conflicts_text(program))
    return cells
