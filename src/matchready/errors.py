"""The one exception tree of matchready.

    MatchreadyError                 anything matchready raises on purpose
    ├── InputError                  bad input from a user; names where (file, row, field)
    │   ├── ProfileError            an applicant profile (TOML) is malformed or invalid
    │   ├── DataFileError           a bundled or supplied fact file has a bad row
    │   ├── ImportFileError         a program/tracker file to import has a bad row
    │   └── TrackerError            a refused change to an application, letter, signal or list
    ├── NotFoundError               a named thing (fact, program, applicant) does not exist
    ├── NotAllowedError             the user may not do this (a non-editor deciding a proposal)
    └── StoreError                  the database could not be reached or migrated

Adapters convert foreign errors (TOML, pydantic, CSV, SQLAlchemy, openpyxl) into these, keeping
the location. The CLI prints one red line and exits 1; the web app renders one error shape.
Expected outcomes (a failed cutoff, an unknown requirement) are values, never exceptions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Location:
    """Where a problem is: any of file, row, column/field, line:col.

    `row` is the row number a spreadsheet shows (the header is row 1 of a file without
    comment lines; see `matchready.io.tables.Table.row_number`); an XLSX file's `file` names
    the sheet too ("programs.xlsx, sheet 'Programs'"). A record without a spreadsheet row (a
    JSON list, a form) numbers its records from 1."""

    file: str | None = None
    row: int | None = None
    field: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            parts.append(where)
        elif self.line is not None:
            parts.append(f"line {self.line}" + (f", column {self.column}" if self.column else ""))
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts)


@dataclass(frozen=True)
class Problem:
    """One problem found in an input, with where it is."""

    message: str
    location: Location = field(default_factory=Location)

    def __str__(self) -> str:
        where = str(self.location)
        return f"{where}: {self.message}" if where else self.message


class MatchreadyError(Exception):
    """Base of every error matchready raises on purpose."""


class InputError(MatchreadyError):
    """Bad input from a user. Carries every problem found, each with its location."""

    def __init__(self, problems: Sequence[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


class ProfileError(InputError):
    """An applicant profile is malformed or invalid."""


class DataFileError(InputError):
    """A fact file has a bad row."""


class ImportFileError(InputError):
    """A file to import has a bad row."""


class TrackerError(InputError):
    """A change the application tracker refuses (an illegal state change, a limit exceeded)."""


class NotFoundError(MatchreadyError):
    """A named thing does not exist."""


class NotAllowedError(MatchreadyError):
    """The user may not do this (only editors change the shared program data)."""


class StoreError(MatchreadyError):
    """The database could not be reached, created or migrated."""
