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


_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str) -> date:
    """An ISO date (YYYY-MM-DD) or a US one (M/D/YYYY); ValueError otherwise."""
    text = text.strip()
    try:
        if _ISO_DATE.match(text):
            return date.fromisoformat(text)
        us = _US_DATE.match(text)
        if us:
            return date(int(us[3]), int(us[1]), int(us[2]))
    except ValueError:
        pass
    raise ValueError(f"expected a date YYYY-MM-DD, got {text!r}")


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
