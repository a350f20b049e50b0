"""NRMP program code lists: a two-column CSV `name,code`, one row per track.

Codes that share institution and specialty (their first 7 characters) are tracks of one
program; the first row's name names it. Every row's name also goes into the ID crosswalk.
"""

from __future__ import annotations

from matchready.domain.program import CrosswalkEntry, Program, ProgramCode, is_nrmp_code
from matchready.io.common import ParsedFile, ParsedRow, normalise_header
from matchready.io.tables import Table

COLUMNS = ("name", "code")


def looks_like_nrmp_codes(header: list[str]) -> bool:
    """Whether a header is that of an NRMP code list."""
    return sorted(normalise_header(h) for h in header) == sorted(COLUMNS)


def parse_nrmp_codes(table: Table) -> ParsedFile:
    """Read an NRMP code list into programs (grouped tracks) and crosswalk names."""
    parsed = ParsedFile(table.where, "nrmp-codes")
    positions = {normalise_header(h): i for i, h in enumerate(table.header)}
    for column in table.header:
        if normalise_header(column) not in COLUMNS:
            parsed.reject_file(column, f"unknown column {column!r}: expected only name,code")
    for column in COLUMNS:
        if column not in positions:
            parsed.reject_file(column, f"missing required column {column!r}")
    if parsed.problems:
        return parsed
    groups: dict[str, tuple[int, str, list[str]]] = {}
    seen: dict[str, int] = {}
    for index, cells in enumerate(table.rows):
        number = table.row_number(index)
        name, code = cells[positions["name"]].strip(), cells[positions["code"]].strip().upper()
        if not name:
            parsed.reject(number, "name", "the program name is empty")
            continue
        if not is_nrmp_code(code):
            parsed.reject(number, "code", f"not an NRMP program code (like 1000140C0): {code!r}")
            continue
        if code in seen:
            parsed.reject(number, "code", f"{code} is already on row {seen[code]}")
            continue
        seen[code] = number
        parsed.crosswalk.append(CrosswalkEntry(name, f"nrmp-codes:{table.file}", nrmp_code=code))
        _first_row, _first_name, codes = groups.setdefault(code[:7], (number, name, []))
        codes.append(code)
    for prefix, (first_row, name, codes) in groups.items():
        program = Program(
            name=name, codes=tuple(ProgramCode(c) for c in codes), specialty_code=prefix[4:7]
        )
        parsed.rows.append(ParsedRow(first_row, program))
    return parsed
