"""What every program importer shares: header matching, row problems, and the parsed result."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from pydantic import ValidationError

from matchready.domain.program import CrosswalkEntry, Program
from matchready.errors import Location, Problem


def normalise_header(text: str) -> str:
    """A header in lowercase letters and digits: 'Program  Number' -> 'programnumber'."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


@dataclass(frozen=True)
class ParsedRow:
    """A good row: its number and the program it describes."""

    row: int
    program: Program


@dataclass
class ParsedFile:
    """What an importer read from a file: good rows, problems, and names for the crosswalk."""

    file: str
    file_format: str
    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    crosswalk: list[CrosswalkEntry] = field(default_factory=list)
    rejected_rows: set[int] = field(default_factory=set)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def file_problems(self) -> list[Problem]:
        """Problems with the whole file (no row): no row can be imported then."""
        return [p for p in self.problems if p.location.row is None]

    def reject(self, row: int, column: str | None, message: str) -> None:
        """Record a bad row, naming file, row and column."""
        self.problems.append(Problem(message, Location(file=self.file, row=row, field=column)))
        self.rejected_rows.add(row)

    def reject_file(self, column: str | None, message: str) -> None:
        """Record a problem with the whole file (a missing or unknown column)."""
        self.problems.append(Problem(message, Location(file=self.file, field=column)))


def acgme_number_problem(value: str) -> str:
    """What is wrong with a text that is not an ACGME number, with the fix for the usual cause:
    a spreadsheet that read the number as a number and dropped its leading zero."""
    message = f"not an ACGME program number (10 digits): {value!r}"
    if value.isdigit() and len(value) == 9:
        message += (
            f"; it has 9 digits: a spreadsheet may have dropped a leading zero (did you mean "
            f"0{value}?); format the column as text and type it again"
        )
    return message


_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_DAY_FIRST_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T]00:00(?::00)?)?$")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_FIRST = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")


def parse_date(text: str) -> date:
    """A date as people type it: ISO (2026-01-05, 2026/1/5), US (1/5/2026), day-first with dots
    (05.01.2026), or with the month's name (Jan 5, 2026; 5 January 2026). ValueError otherwise
    (never a guess between day and month)."""
    text = text.strip()
    lowered = text.lower()
    try:
        if m := _ISO_DATE.match(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _US_DATE.match(text):
            return date(int(m[3]), int(m[1]), int(m[2]))
        if m := _DAY_FIRST_DATE.match(text):
            return date(int(m[3]), int(m[2]), int(m[1]))
        if (m := _MONTH_FIRST.match(lowered)) and m[1] in _MONTHS:
            return date(int(m[3]), _MONTHS[m[1]], int(m[2]))
        if (m := _DAY_FIRST.match(lowered)) and m[2] in _MONTHS:
            return date(int(m[3]), _MONTHS[m[2]], int(m[1]))
    except ValueError:
        pass
    raise ValueError(f"expected a date such as 2026-01-05, 1/5/2026 or 5 Jan 2026, got {text!r}")


def validation_problems(
    parsed: ParsedFile, row: int, error: ValidationError, columns: dict[str, str]
) -> None:
    """Turn a pydantic error into row problems, naming each column as written in the file."""
    for detail in error.errors():
        name = str(detail["loc"][0]) if detail["loc"] else None
        column = columns.get(name, name) if name else None
        message = str(detail["msg"]).removeprefix("Value error, ")
        if detail.get("input", "") is None:
            message = "a value is required"
        parsed.reject(row, column, message)
