"""ACGME public program search records (CSV or XLSX), headers matched ignoring case and spaces.

Columns other than those below are ignored and reported as ignored; the program name and
number are required. Participating sites are separated by ';'.
"""

from __future__ import annotations

from datetime import date

from matchready.domain.program import (
    Contacts,
    CrosswalkEntry,
    Institution,
    Program,
    is_acgme_number,
)
from matchready.io.common import (
    ParsedFile,
    ParsedRow,
    acgme_number_problem,
    normalise_header,
    parse_date,
)
from matchready.io.tables import Table

# field -> accepted headers, normalised (lowercase letters and digits only)
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("programname",),
    "number": ("programnumber", "acgmeprogramnumber", "10digitnumber", "acgmenumber"),
    "address": ("address", "mailingaddress"),
    "city": ("city",),
    "state": ("state",),
    "zip": ("zip", "zipcode"),
    "phone": ("phone", "programphone"),
    "institution_code": ("sponsoringinstitutioncode", "sponsorcode"),
    "institution_name": ("sponsoringinstitutionname", "sponsoringinstitution", "sponsorname"),
    "status": ("accreditationstatus",),
    "status_date": ("accreditationdate", "originalaccreditationdate", "effectivedate"),
    "director": ("programdirector", "directorname"),
    "coordinator": ("coordinator", "programcoordinator", "coordinatorname"),
    "email": ("coordinatoremail", "email"),
    "sites": ("participatingsites", "sites"),
}
REQUIRED = ("name", "number")


def _field_of(header: str) -> str | None:
    normal = normalise_header(header)
    return next((f for f, names in HEADERS.items() if normal in names), None)


def looks_like_acgme(header: list[str]) -> bool:
    """Whether a header is that of an ACGME program search export."""
    fields = {_field_of(h) for h in header}
    return all(f in fields for f in REQUIRED)


def parse_acgme(table: Table) -> ParsedFile:
    """Read ACGME program records into programs."""
    parsed = ParsedFile(table.where, "acgme")
    columns: dict[str, int] = {}
    names: dict[str, str] = {}
    for position, header in enumerate(table.header):
        field = _field_of(header)
        if field is None:
            parsed.ignored_columns.append(header)
        elif field in columns:
            parsed.reject_file(header, f"column {header!r} repeats {names[field]!r}")
        else:
            columns[field], names[field] = position, header
    for field in REQUIRED:
        if field not in columns:
            parsed.reject_file(
                HEADERS[field][0], f"missing required column for the program {field}"
            )
    if parsed.problems:
        return parsed
    seen: dict[str, int] = {}
    for index, cells in enumerate(table.rows):
        number = table.row_number(index)
        values = {f: cells[i].strip() for f, i in columns.items()}
        acgme = values["number"]
        if not values["name"]:
            parsed.reject(number, names["name"], "the program name is empty")
        if not is_acgme_number(acgme):
            parsed.reject(number, names["number"], acgme_number_problem(acgme))
        elif acgme in seen:
            parsed.reject(number, names["number"], f"{acgme} is already on row {seen[acgme]}")
        state = values.get("state", "").upper() or None
        if state is not None and not (len(state) == 2 and state.isalpha()):
            parsed.reject(number, names["state"], f"expected a 2-letter state code, got {state!r}")
        status_date: date | None = None
        if values.get("status_date"):
            try:
                status_date = parse_date(values["status_date"])
            except ValueError as error:
                parsed.reject(number, names["status_date"], str(error))
        if number in parsed.rejected_rows:
            continue
        seen[acgme] = number
        institution = None
        if values.get("institution_name"):
            sites = tuple(s.strip() for s in values.get("sites", "").split(";") if s.strip())
            institution = Institution(
                values["institution_name"], values.get("institution_code") or None, sites
            )
        program = Program(
            name=values["name"],
            acgme_number=acgme,
            specialty_code=acgme[:3],
            institution=institution,
            address=values.get("address") or None,
            city=values.get("city") or None,
            state=state,
            zip_code=values.get("zip") or None,
            contacts=Contacts(
                director=values.get("director") or None,
                coordinator=values.get("coordinator") or None,
                email=values.get("email") or None,
                phone=values.get("phone") or None,
            ),
            accreditation_status=values.get("status") or None,
            accreditation_date=status_date,
        )
        parsed.rows.append(ParsedRow(number, program))
        parsed.crosswalk.append(
            CrosswalkEntry(values["name"], f"acgme:{table.file}", acgme_number=acgme)
        )
    return parsed
